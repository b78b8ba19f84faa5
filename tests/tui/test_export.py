"""Exporting from the workspace: a format and a profile, a private file, and where it went."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Select

from crisis.engine import Desk
from crisis.journal import Journal
from crisis.tui.app import CrisisApp

from .conftest import CATALOG, Clock, drive, settle


def test_a_closed_incident_exports_as_a_private_public_review(
    make_app: Callable[..., CrisisApp], journal: Journal, journal_path: Path, clock: Clock
) -> None:
    desk = Desk(CATALOG, journal, "ingrid", "Europe/Oslo", clock)
    incident = desk.declare("account-hijack", "Drill", None, {}, exercise=True)
    desk.note(incident.id, "Kari Solberg called from +4791234567")
    desk.close(incident.id, "Recovered", {})
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("tab", "enter")  # the closed list, then open it
        await settle(pilot)
        assert app.screen.__class__.__name__ == "Workspace"
        await pilot.press("ctrl+x")
        await pilot.pause()
        app.screen.query_one("#format", Select).value = "html"
        app.screen.query_one("#profile", Select).value = "public"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = [str(n.message) for n in app._notifications]
        assert any(m.endswith(f"{incident.id}-public.html") for m in shown), shown

    drive(app, scenario, size=(120, 40))
    written = journal_path.parent / "exports" / f"{incident.id}-public.html"
    assert stat.S_IMODE(os.stat(written).st_mode) == 0o600
    text = written.read_text(encoding="utf-8")
    assert "EXERCISE" in text and "Kari Solberg" not in text and "+4791234567" not in text
