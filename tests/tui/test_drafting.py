"""Drafting a Norwegian holding statement, fixing a broken rule, approving it and publishing it."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import DataTable, Select, Static, TextArea

from crisis.engine import Desk
from crisis.journal import Journal
from crisis.tui.app import CrisisApp
from crisis.tui.widgets.approve import ApprovePane
from crisis.tui.widgets.draft import DraftPane

from .conftest import CATALOG, Clock, drive, settle, type_text

FACTS = {"platform": "Instagram", "handle": "@havbris", "updates": "https://havbris.example/s"}


def declared(journal: Journal, clock: Clock, level: str = "high") -> str:
    """An account-hijack incident already at a severity, declared by the same responder."""
    desk = Desk(CATALOG, journal, "ingrid", "Europe/Oslo", clock)
    incident = desk.declare("account-hijack", "Instagram-kontoen kapret", None, {})
    desk.override(incident.id, level, "attacker is posting to 120 000 followers")
    return incident.id


def text_of(app: CrisisApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_incident(pilot: Pilot[None]) -> None:
    await pilot.press("enter")
    await settle(pilot)


def test_norwegian_holding_statement_through_approval_to_publication(
    make_app: Callable[..., CrisisApp], journal: Journal, clock: Clock
) -> None:
    incident_id = declared(journal, clock)
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await open_incident(pilot)
        await pilot.press("5")
        await pilot.pause()
        pane = app.screen.query_one(DraftPane)
        assert pane.template.id == "holding-statement"
        await pilot.press("tab", "enter", "down", "enter")  # the locale list: en, then nb
        await pilot.pause()
        assert pane.locale == "nb"
        area = app.screen.query_one("#draft-text", TextArea)
        assert "Fill in the facts above first" in area.text
        for value in FACTS.values():
            await pilot.press("tab")
            await type_text(pilot, value)
        await pilot.pause()
        assert area.text.startswith("Instagram-kontoen vår @havbris er kapret")
        assert "Oppdateringer legger vi ut på https://havbris.example/s" in area.text
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert pane.current == "D1"
        assert not area.read_only
        # A name from the roster in a public statement breaks the playbook's rule, live.
        await pilot.press("end")
        await type_text(pilot, " Kari Solberg")
        await pilot.pause()
        assert "no-names" in text_of(app, "#draft-count")
        await pilot.press("ctrl+s", "tab")  # out of the text, where 6 is typed
        await pilot.pause()
        await pilot.press("6")
        await pilot.pause()
        assert "1 draft" not in text_of(app, "#header")
        await pilot.press("y")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "Workspace"  # refused before any dialog
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end", *["backspace"] * len(" Kari Solberg"))
        await pilot.pause()
        assert "rules met" in text_of(app, "#draft-count")
        versions = text_of(app, "#draft-changes")
        assert "v1 rendered" in versions and "v2 edited" in versions and "✗" in versions
        assert "+Instagram-kontoen vår @havbris er kapret Kari Solberg" in versions
        await pilot.press("ctrl+s", "tab")  # out of the text, where 6 is typed
        await pilot.pause()
        await pilot.press("6")
        await pilot.pause()
        assert "1 draft awaiting approval" in text_of(app, "#header")
        assert "Kari Solberg" in str(app.screen.query_one("#chain", Static).render())
        for comment in ("ok fra kommunikasjon", "juridisk ok"):
            await pilot.press("y")
            await pilot.pause()
            assert app.screen.__class__.__name__ == "Decide", [
                n.message for n in app._notifications
            ]
            await type_text(pilot, comment)
            await pilot.press("enter")
            await pilot.pause()
        chain = str(app.screen.query_one("#chain", Static).render())
        assert "✓ Communications and PR lead: Kari Solberg" in chain
        assert "✓ Legal counsel: Henrik Aasland" in chain
        await pilot.press("p")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "Publish"
        await type_text(pilot, "https://havbris.example/s")
        await pilot.press("enter")
        await pilot.pause()
        table = app.screen.query_one(ApprovePane).query_one("#drafts", DataTable)
        assert str(table.get_row_at(0)[4]) == "PUBLISHED"

    drive(app, scenario, size=(120, 40))
    events = list(journal.events(incident_id))
    kinds = [e.kind for e in events]
    assert kinds == [
        "declared",
        "severity",
        "fact",
        "fact",
        "fact",
        "drafted",
        "drafted",
        "drafted",
        "approved",
        "approved",
        "published",
    ]
    facts = {e.data["key"]: e.data["value"] for e in events if e.kind == "fact"}
    assert facts == FACTS
    drafted = [e for e in events if e.kind == "drafted"]
    assert [e.data["version"] for e in drafted] == [1, 2, 3]
    assert drafted[0].data["locale"] == "nb"
    assert drafted[1].data["violations"] and not drafted[2].data["violations"]
    assert "Kari Solberg" in drafted[1].text and "Kari Solberg" not in drafted[2].text
    approved = [e for e in events if e.kind == "approved"]
    assert [(e.data["role"], e.data["person"], e.text) for e in approved] == [
        ("comms-lead", "kari", "ok fra kommunikasjon"),
        ("legal", "henrik", "juridisk ok"),
    ]
    assert all(e.data["sha256"] == drafted[2].data["sha256"] for e in approved)
    published = events[-1]
    assert published.text == drafted[2].text
    assert published.data["channel"] == "web"
    assert published.data["url"] == "https://havbris.example/s"
    assert published.data["override"] is None


def test_emergency_publication_is_loud_and_needs_a_reason(
    make_app: Callable[..., CrisisApp], journal: Journal, clock: Clock
) -> None:
    incident_id = declared(journal, clock, "critical")
    desk = Desk(CATALOG, journal, "ingrid", "Europe/Oslo", clock)
    from crisis.newsroom import Newsroom

    Newsroom(desk).draft(incident_id, "social-post", "en", FACTS)
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await open_incident(pilot)
        await pilot.press("6")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "Workspace"  # not approved: refused
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "Publish"
        await pilot.press("enter", "enter")  # no reason: stays open
        await pilot.pause()
        assert app.screen.__class__.__name__ == "Publish"
        await type_text(pilot, "scam links are live, followers lose money now")
        await pilot.press("enter")
        await pilot.pause()
        assert "EMERGENCY OVERRIDE" in text_of(app, "#header")
        assert "EMERGENCY OVERRIDE" in str(app.screen.query_one("#chain", Static).render())
        channel = app.screen.query_one(ApprovePane)
        assert channel.status is not None and channel.status.overrides

    drive(app, scenario, size=(120, 40))
    last = list(journal.events(incident_id))[-1]
    assert last.kind == "published"
    assert last.data["override"] == "scam links are live, followers lose money now"
    assert last.data["channel"] == "x"


def test_template_and_locale_choices_follow_the_playbook(
    make_app: Callable[..., CrisisApp], journal: Journal, clock: Clock
) -> None:
    declared(journal, clock)
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await open_incident(pilot)
        await pilot.press("5")
        await pilot.pause()
        select = app.screen.query_one("#template", Select)
        ids = [t.id for t in CATALOG.playbook("account-hijack").templates]
        assert select.value == ids[0]
        select.value = "internal-note"
        await pilot.pause()
        pane = app.screen.query_one(DraftPane)
        assert pane.template.channel == "internal"
        assert [str(v) for _, v in pane.query_one("#locale", Select)._options] == ["en", "nb"]

    drive(app, scenario, size=(120, 40))


def test_ctrl_s_outside_the_assess_step_never_records_a_severity(
    make_app: Callable[..., CrisisApp], journal: Journal, clock: Clock
) -> None:
    incident_id = declared(journal, clock, "critical")
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await open_incident(pilot)
        for step in ("5", "6"):
            await pilot.press(step)
            await pilot.pause()
            await pilot.press("shift+tab")  # the step list
            await pilot.press("ctrl+s")
            await pilot.pause()

    drive(app, scenario, size=(120, 40))
    assert [e.kind for e in journal.events(incident_id)] == ["declared", "severity"]


def test_escape_with_unsaved_edits_warns_before_leaving(
    make_app: Callable[..., CrisisApp], journal: Journal, clock: Clock
) -> None:
    incident_id = declared(journal, clock)
    from crisis.newsroom import Newsroom

    Newsroom(Desk(CATALOG, journal, "ingrid", "Europe/Oslo", clock)).draft(
        incident_id, "holding-statement", "en", FACTS
    )
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await open_incident(pilot)
        await pilot.press("6", "e")
        await pilot.pause()
        await pilot.press("end")
        await type_text(pilot, " More soon")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "Workspace"
        assert any("unsaved edits" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+s", "escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "Home"

    drive(app, scenario, size=(120, 40))
    drafted = [e for e in journal.events(incident_id) if e.kind == "drafted"]
    assert len(drafted) == 2 and "More soon" in drafted[-1].text
