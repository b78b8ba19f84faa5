"""`crisis` with no command: open the terminal UI on the playbooks and the journal."""

from __future__ import annotations

import argparse

from crisis import clock
from crisis.commands.common import place
from crisis.settings import remember_responder, remembered_responder


def run(args: argparse.Namespace) -> int:
    """Start the TUI; Textual is imported here only, so the rest of the CLI stays light."""
    from crisis.catalog import load_catalog
    from crisis.journal import Journal
    from crisis.tui.app import CrisisApp

    where = place(args)
    journals: list[Journal] = []

    def open_journal() -> Journal:
        journals.append(Journal.open(where.journal_file))
        return journals[-1]

    app = CrisisApp(
        lambda: load_catalog(where.root, clock.today()),
        open_journal,
        where.settings.responder or remembered_responder(where.data_dir),
        where.settings.timezone,
        clock.now,
        remember=lambda name: remember_responder(where.data_dir, name),
    )
    app.run()
    for journal in journals:
        journal.close()
    return 0
