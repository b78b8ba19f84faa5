"""The incident engine: every action checks its input, appends one event, and the fold agrees."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from crisis.catalog import load_catalog
from crisis.engine import Desk, UsageError
from crisis.incident import Incident, Replay, fold

from .conftest import REPO, TODAY
from .stores import MemoryStore

CATALOG = load_catalog(REPO, TODAY)
START = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def desk() -> Desk:
    return Desk(CATALOG, MemoryStore(), "ingrid", "Europe/Oslo", Clock())


def declare(desk: Desk) -> Incident:
    return desk.declare(
        "account-hijack",
        "Instagram account taken over",
        START - timedelta(minutes=40),
        {"platform": "Instagram"},
    )


def test_a_whole_first_hour_is_folded_from_its_events(desk: Desk) -> None:
    incident = declare(desk)
    assert incident.severity is None
    assert incident.aware_at == START - timedelta(minutes=40)
    desk.clock.now += timedelta(minutes=5)  # type: ignore[attr-defined]
    result = desk.assess(incident.id, {"attacker-posted": "yes", "control": "none"})
    assert result.level == "high"
    desk.notify(incident.id, "security", "aleksander", "no-answer", "voicemail full")
    desk.notify(incident.id, "security", "linnea", "acknowledged", "")
    desk.override(incident.id, "critical", "A journalist is asking about the posts")
    desk.step(incident.id, "capture-evidence")
    desk.note(incident.id, "Screenshots saved to the evidence folder")
    desk.close(incident.id, "Account recovered", {"went_well": "Fast recovery"})
    state = desk.incident(incident.id)
    assert [c.level for c in state.severity_history] == ["high", "critical"]
    assert state.severity_history[-1].override
    assert state.severity_history[-1].reasons == ("A journalist is asking about the posts",)
    assert state.acknowledged("security") is not None
    assert [a.person for a in state.tried("security")] == ["aleksander", "linnea"]
    assert list(state.steps_done) == ["capture-evidence"]
    assert state.notes[0].text == "Screenshots saved to the evidence folder"
    assert not state.is_open
    assert state.head[0] == 8
    assert {row.actor for row in desk.journal.events(incident.id)} == {"ingrid"}


def test_answers_accumulate_across_reassessments(desk: Desk) -> None:
    incident = declare(desk)
    desk.assess(incident.id, {"control": "partial"})
    result = desk.assess(incident.id, {"audience": "20000"})
    assert result.level == "moderate"
    assert desk.incident(incident.id).answers == {"control": "partial", "audience": 20000}


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda d, i: d.assess(i, {"atacker-posted": "yes"}), "did you mean 'attacker-posted'"),
        (lambda d, i: d.assess(i, {"attacker-posted": "maybe"}), "answer yes or no"),
        (lambda d, i: d.override(i, "severe", "x"), "unknown severity level 'severe'"),
        (lambda d, i: d.override(i, "high", " "), "needs a written --reason"),
        (lambda d, i: d.notify(i, "legl", "henrik", "reached", ""), "did you mean 'legal'"),
        (lambda d, i: d.notify(i, "legal", "ingrid", "reached", ""), "does not hold the role"),
        (lambda d, i: d.notify(i, "legal", "henrik", "busy", ""), "unknown outcome 'busy'"),
        (lambda d, i: d.step(i, "lock"), "unknown step 'lock'"),
        (lambda d, i: d.note(i, "  "), "must not be empty"),
        (lambda d, i: d.note("INC-NOPE", "x"), "no incident 'INC-NOPE'"),
        (lambda d, i: d.declare("hijack", "t", None, {}), "no playbook 'hijack'"),
        (
            lambda d, i: d.declare("account-hijack", "t", START + timedelta(hours=1), {}),
            "in the future",
        ),
        (lambda d, i: d.declare("account-hijack", "t", None, {"platfrom": "x"}), "unknown fact"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(desk: Desk, action: Any, message: str) -> None:
    incident = declare(desk)
    before = len(desk.journal.rows)  # type: ignore[attr-defined]
    with pytest.raises(UsageError, match=message):
        action(desk, incident.id)
    assert len(desk.journal.rows) == before  # type: ignore[attr-defined]


def test_a_closed_incident_takes_no_more_actions(desk: Desk) -> None:
    incident = declare(desk)
    desk.close(incident.id, "done", {})
    with pytest.raises(UsageError, match="is closed"):
        desk.note(incident.id, "late")


def test_replaying_event_by_event_gives_the_same_state_as_folding(desk: Desk) -> None:
    incident = declare(desk)
    for i in range(50):
        desk.note(incident.id, f"note {i}")
        desk.notify(incident.id, "legal", "henrik", "no-answer", "")
        desk.assess(incident.id, {"audience": str(i * 1000)})
    events = desk.journal.events(incident.id)
    replay = Replay(incident.id, events[0])
    halfway = None
    for event in events[1:]:
        replay.add(event)
        if event.seq == 60:
            halfway = replay.state()
    assert replay.state() == fold(incident.id, events)
    assert halfway == fold(incident.id, events[:60])
    assert len(replay.state().notes) == 50


def test_status_names_who_is_still_to_be_reached_and_what_is_due(desk: Desk) -> None:
    from crisis.status import as_json, status

    incident = declare(desk)
    desk.assess(incident.id, {"attacker-posted": "yes"})
    desk.notify(incident.id, "security", "aleksander", "acknowledged", "")
    desk.notify(incident.id, "legal", "henrik", "no-answer", "")
    state = desk.incident(incident.id)
    book = desk.playbook_of(state)
    at = START + timedelta(minutes=30)
    current = status(state, book, desk.scale, desk.roster, at, "Europe/Oslo")
    roles = {r.role: r for r in current.roles}
    assert current.level == "high"
    assert roles["security"].acknowledged_by == "aleksander"
    assert roles["legal"].next_person == "sofie"  # primary tried, 15m target passed: the backup
    assert roles["comms-lead"].next_person == "kari"
    assert "security" not in {r.role for r in current.unreached}
    assert current.approvals == ("comms-lead", "legal")
    whats = [d.what for d in current.deadlines]
    assert "first public statement" in whats
    assert any("gdpr-art33" in what for what in whats)
    gdpr = next(d for d in current.deadlines if "gdpr-art33" in d.what)
    assert gdpr.due == incident.aware_at + timedelta(hours=72)
    assert as_json(current, at)["roles"][0]["role"] == "social-media"


def test_corrections_refer_to_earlier_events_and_change_nothing_in_place(desk: Desk) -> None:
    incident = declare(desk)
    desk.note(incident.id, "Called Henrik at 0245")
    desk.correct(incident.id, 2, "It was 02:54, not 02:45")
    desk.correct(incident.id, 2, "Contained a private phone number", redact=True)
    state = desk.incident(incident.id)
    assert state.notes[0].text == "Called Henrik at 0245"
    assert [(c.ref, c.redact) for c in state.corrections] == [(2, False), (2, True)]
    with pytest.raises(UsageError, match="has events 1 to 4, not 9"):
        desk.correct(incident.id, 9, "x")


def test_closing_keeps_lessons_and_follow_ups_with_owners(desk: Desk) -> None:
    incident = declare(desk)
    desk.close(
        incident.id,
        "Recovered in 40 minutes",
        {"went_well": "Backups held", "went_wrong": "", "lucky": "It was a Sunday"},
        [("security", "Enforce hardware keys"), ("ingrid", "Review agency access")],
    )
    state = desk.incident(incident.id)
    assert state.lessons == {"went_well": "Backups held", "lucky": "It was a Sunday"}
    assert [(f.owner, f.action) for f in state.follow_ups] == [
        ("security", "Enforce hardware keys"),
        ("ingrid", "Review agency access"),
    ]
    assert state.closed_at == START


def test_follow_ups_need_a_known_owner(desk: Desk) -> None:
    incident = declare(desk)
    with pytest.raises(UsageError, match="unknown owner 'securty'; did you mean 'security'"):
        desk.close(incident.id, "done", {}, [("securty", "x")])
    assert desk.incident(incident.id).is_open


def test_reading_again_picks_up_events_written_by_others(desk: Desk) -> None:
    incident = declare(desk)
    desk.note(incident.id, "mine")
    desk.journal.append(
        incident.id,
        kind="note",
        text="from another terminal",
        data={},
        actor="kari",
        tz="Europe/Oslo",
        ts=START,
    )
    state = desk.incident(incident.id)
    assert [n.text for n in state.notes] == ["mine", "from another terminal"]
    assert state.head[0] == 3
