"""The home screen's health report, the keys panel, the palette and a long timeline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Log

from crisis.catalog import load_catalog
from crisis.journal import Entry, Journal
from crisis.tui.app import CrisisApp
from crisis.tui.commands import CrisisCommands
from crisis.tui.screens.workspace import Workspace

from ..conftest import TODAY, edit
from .conftest import START, Clock, drive


def test_home_shows_the_problems_instead_of_crashing(
    root: Path, journal: Journal, clock: Clock
) -> None:
    edit(root / "contacts.yaml", "primary: henrik", "primary: henrk")
    catalog = load_catalog(root, TODAY)
    app = CrisisApp(lambda: catalog, lambda: journal, "ingrid", "Europe/Oslo", clock)

    async def scenario(pilot: Pilot[None]) -> None:
        text = str(app.screen.query_one("#problems").render())
        assert "1 problem(s)" in text
        assert "unknown person 'henrk'; did you mean 'henrik'?" in text
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "Home"

    drive(app, scenario)


def test_question_mark_shows_the_keys_of_the_screen(make_app: Callable[..., CrisisApp]) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.query("HelpPanel")
        await pilot.press("question_mark")
        await pilot.pause()
        assert not app.screen.query("HelpPanel")

    drive(app, scenario)


def test_every_action_is_in_the_command_palette(make_app: Callable[..., CrisisApp]) -> None:
    app = make_app()
    names: list[list[str]] = []

    async def scenario(pilot: Pilot[None]) -> None:
        provider = CrisisCommands(app.screen)
        names.append([name for name, _, _ in provider.commands()])
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"hijack", "enter", *"Drill", "ctrl+s")
        await pilot.pause()
        provider = CrisisCommands(app.screen)
        names.append([name for name, _, _ in provider.commands()])
        hits = [hit async for hit in provider.search("overr")]
        assert hits
        await hits[0].command()  # type: ignore[misc]
        await pilot.pause()
        assert app.screen.__class__.__name__ == "Override"

    drive(app, scenario)
    assert "Declare an incident" in names[0]
    assert {
        "Go to Notify",
        "Go to Timeline",
        "Override the severity",
        "Close the incident",
        "Log a note",
    } <= set(names[1])


def test_a_timeline_of_ten_thousand_events_is_shown_whole(
    make_app: Callable[..., CrisisApp], journal: Journal
) -> None:
    first = {"playbook": "account-hijack", "aware_at": START.isoformat(), "facts": {}}
    journal.append(
        "INC-LONG",
        kind="declared",
        text="Long incident",
        data=first,
        actor="ingrid",
        tz="Europe/Oslo",
        ts=START,
    )
    journal.append_many(
        "INC-LONG",
        [
            Entry(
                kind="note",
                text=f"note {i}",
                actor="ingrid",
                tz="Europe/Oslo",
                ts=START + timedelta(seconds=i),
            )
            for i in range(1, 10_000)
        ],
    )
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, Workspace)
        await pilot.press("4")
        await pilot.pause()
        log = app.screen.query_one(Log)
        assert log.line_count == 10_000
        assert "note 9999" in log.lines[-1]

    drive(app, scenario)
