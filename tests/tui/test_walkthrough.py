"""A whole first hour in the TUI, asserted on the journal's events and on `crisis status`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select

from crisis.incident import fold
from crisis.journal import Journal
from crisis.status import status
from crisis.tui.app import CrisisApp
from crisis.tui.screens.home import Home
from crisis.tui.screens.workspace import Workspace
from crisis.tui.widgets.header import IncidentHeader

from .conftest import CATALOG, Clock, drive, type_text

INCIDENT = "INC-20261122-001"


async def declare(pilot: Pilot[None], title: str = "Instagram account taken over") -> None:
    await pilot.press("n")
    await pilot.pause()
    await type_text(pilot, "hijack")
    await pilot.press("enter")
    await type_text(pilot, title)
    await pilot.press("enter")
    await type_text(pilot, "03:05")  # Oslo time: 02:05 UTC, before the clock's 02:30
    await pilot.press("enter")
    await pilot.pause()


async def write_note(pilot: Pilot[None], text: str) -> None:
    """ctrl+n, the note, Enter."""
    await pilot.press("ctrl+n")
    await pilot.pause()
    await type_text(pilot, text)
    await pilot.press("enter")
    await pilot.pause()


def kinds(journal: Journal) -> list[str]:
    return [event.kind for event in journal.events(INCIDENT)]


def cell(table: DataTable[object], row: int, column: int) -> str:
    return str(table.get_cell_at((row, column)))


def test_a_whole_first_hour(
    make_app: Callable[..., CrisisApp], journal: Journal, clock: Clock
) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await declare(pilot)
        screen = app.screen
        assert isinstance(screen, Workspace)
        header = str(screen.query_one(IncidentHeader).render())
        assert INCIDENT in header and "not assessed" in header

        # Assess: answers update the verdict live; ctrl+s records them.
        screen.query_one("#q-attacker-posted", Select).value = "yes"
        screen.query_one("#q-control", Select).value = "partial"
        screen.query_one("#q-audience", Input).value = "25000"
        await pilot.pause()
        assert "SEV2 High" in str(screen.query_one("#verdict").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "SEV2 High" in str(screen.query_one(IncidentHeader).render())

        # Notify: acknowledge the social media manager, then escalate legal to the backup.
        await pilot.press("2")
        table = screen.query_one(DataTable)
        assert cell(table, 0, 1) == "Ingrid Halvorsen"
        await pilot.press("a")
        await pilot.pause()
        legal = next(i for i in range(table.row_count) if cell(table, i, 0) == "Legal counsel")
        table.move_cursor(row=legal)
        await pilot.press("x")
        clock.advance(minutes=20)  # past the 15-minute acknowledgement target of SEV2
        screen.tick()
        screen.reload()
        await pilot.pause()
        assert "NEXT" in cell(table, legal + 1, 4)  # the backup, Sofie, is next
        table.move_cursor(row=legal + 1)
        await pilot.press("a")
        await pilot.pause()

        # Runbook: tick the first step.
        await pilot.press("3")
        await pilot.press("space")
        await pilot.pause()

        # A note from anywhere.
        await write_note(pilot, "Screenshots saved")

        # Timeline shows every event.
        await pilot.press("4")
        await pilot.pause()
        lines = screen.query_one("#log").lines
        assert any("Screenshots saved" in line for line in lines)

        # Close.
        await pilot.press("ctrl+e")
        await pilot.pause()
        await type_text(pilot, "Account recovered")
        await pilot.press("ctrl+s")
        await pilot.pause()

    drive(app, scenario)
    assert kinds(journal) == [
        "declared",
        "assessed",
        "notified",
        "notified",
        "notified",
        "step",
        "note",
        "closed",
    ]
    events = list(journal.events(INCIDENT))
    assert {event.actor for event in events} == {"ingrid"}
    incident = fold(INCIDENT, events)
    assert incident.severity == "high"
    assert [(a.role, a.person, a.outcome) for a in incident.attempts] == [
        ("social-media", "ingrid", "acknowledged"),
        ("legal", "henrik", "no-answer"),
        ("legal", "sofie", "acknowledged"),
    ]
    assert list(incident.steps_done) == ["capture-evidence"]
    assert incident.notes[0].text == "Screenshots saved"
    assert incident.summary == "Account recovered"
    assert incident.aware_at == datetime(2026, 11, 22, 2, 5, tzinfo=UTC)
    book = CATALOG.playbook("account-hijack")
    assert CATALOG.scale is not None and CATALOG.contacts is not None
    current = status(incident, book, CATALOG.scale.value, CATALOG.contacts.value, clock())
    assert {r.role for r in current.unreached} == {
        "comms-lead",
        "customer-service",
        "security",
        "dpo",
    }


def test_resuming_shows_the_state_before_and_records_nothing_twice(
    make_app: Callable[..., CrisisApp], journal: Journal
) -> None:
    first = make_app()

    async def before(pilot: Pilot[None]) -> None:
        await declare(pilot)
        await write_note(pilot, "First note")

    drive(first, before)
    events = kinds(journal)
    second = make_app()

    async def after(pilot: Pilot[None]) -> None:
        assert isinstance(second.screen, Home)
        assert INCIDENT in str(second.screen.query_one("#open").get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(second.screen, Workspace)
        assert second.screen.incident is not None
        assert second.screen.incident.notes[0].text == "First note"

    drive(second, after)
    assert kinds(journal) == events == ["declared", "note"]


def test_an_event_from_another_terminal_appears(
    make_app: Callable[..., CrisisApp], journal: Journal, clock: Clock
) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await declare(pilot)
        journal.append(
            INCIDENT,
            kind="note",
            text="From the other terminal",
            data={},
            actor="kari",
            tz="Europe/Oslo",
            ts=clock(),
        )
        screen = app.screen
        assert isinstance(screen, Workspace)
        screen.poll()  # what the half-second timer does
        await pilot.pause()
        assert any("From the other terminal" in line for line in screen.query_one("#log").lines)
        assert screen.incident is not None and screen.incident.head[0] == 2

    drive(app, scenario)


def test_the_responder_is_asked_once_and_remembered(
    make_app: Callable[..., CrisisApp], journal: Journal
) -> None:
    remembered: list[str] = []
    app = make_app(actor=None, remember=remembered.append)

    async def scenario(pilot: Pilot[None]) -> None:
        await type_text(pilot, "Kari Solberg")
        await pilot.press("enter")
        await pilot.pause()
        await declare(pilot)

    drive(app, scenario)
    assert remembered == ["Kari Solberg"]
    assert [e.actor for e in journal.events(INCIDENT)] == ["Kari Solberg"]


def test_a_refused_action_is_shown_and_nothing_is_written(
    make_app: Callable[..., CrisisApp], journal: Journal
) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await declare(pilot)
        screen = app.screen
        assert isinstance(screen, Workspace)
        screen.query_one("#q-audience", Input).value = "-4"
        await pilot.press("ctrl+s")
        await pilot.pause()

    drive(app, scenario)
    assert kinds(journal) == ["declared"]


def test_nothing_essential_is_cut_off_at_80_by_24(make_app: Callable[..., CrisisApp]) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await declare(pilot)
        screen = app.screen
        assert isinstance(screen, Workspace)
        header = screen.query_one(IncidentHeader)
        assert header.region.width == 80
        first, second = str(header.render()).split("\n")
        visible = first[: header.region.width]
        assert INCIDENT in visible and "not assessed" in visible and "#1:" in visible
        assert second.startswith("next: notify the supervisory authority")
        steps = screen.query_one("#steps")
        assert steps.region.height >= 4
        assert screen.query_one("#confirm").region.bottom <= 24

    drive(app, scenario, size=(80, 24))
