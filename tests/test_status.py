"""Status: raising the severity brings roles into force at once, and clocks say what is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crisis.catalog import load_catalog
from crisis.engine import Desk, UsageError
from crisis.status import Status, status

from .conftest import TODAY, edit
from .test_engine import START, Clock, MemoryStore


@pytest.fixture
def desk(root: Path) -> Desk:
    """A desk whose data-exposure playbook enables all three regulatory clocks."""
    edit(
        root / "playbooks/data-exposure.yaml",
        "clocks: [gdpr-art33]",
        "clocks: [gdpr-art33, nis2, sec-8k]",
    )
    catalog = load_catalog(root, TODAY)
    assert not catalog.errors, catalog.errors
    return Desk(catalog, MemoryStore(), "nina", "Europe/Oslo", Clock())


def now_status(desk: Desk, incident_id: str) -> Status:
    state = desk.incident(incident_id)
    return status(state, desk.playbook_of(state), desk.scale, desk.roster, desk.clock(), desk.tz)


def move(desk: Desk, **delta: float) -> None:
    desk.clock.now += timedelta(**delta)  # type: ignore[attr-defined]


def test_raising_the_severity_brings_its_roles_into_force_and_says_what_is_overdue(
    desk: Desk,
) -> None:
    incident = desk.declare("data-exposure", "Order export left public", None, {})
    desk.override(incident.id, "low", "One customer reported it")
    for role in ("social-media", "dpo", "security"):
        desk.notify(incident.id, role, desk.roster.roles[role].primary, "acknowledged", "")
    low = now_status(desk, incident.id)
    assert not [due.what for due in low.overdue if "acknowledges" in due.what]
    move(desk, hours=1)
    desk.override(incident.id, "critical", "The file was indexed by a search engine")
    raised = now_status(desk, incident.id)
    assert {"legal", "executive"} <= {role.role for role in raised.unreached}
    assert raised.approvals[-1] == "executive"
    assert not [d for d in raised.overdue if d.what == "executive acknowledges"]
    move(desk, minutes=11)  # critical: acknowledge within 10 minutes
    later = now_status(desk, incident.id)
    assert "executive acknowledges" in [d.what for d in later.overdue]
    executive = next(r for r in later.roles if r.role == "executive")
    assert executive.required_since == START + timedelta(hours=1)
    assert executive.next_person == "lars"


def test_clocks_run_from_awareness_and_duties_reported_are_met(desk: Desk) -> None:
    aware = START - timedelta(hours=2)
    incident = desk.declare("data-exposure", "Order export left public", aware, {})
    current = now_status(desk, incident.id)
    dues = {d.what: d for d in current.deadlines}
    assert dues["notify the supervisory authority (gdpr-art33)"].due == aware + timedelta(hours=72)
    assert dues["early warning (nis2)"].due == aware + timedelta(hours=24)
    assert current.waiting == ("sec-8k starts at the materiality determination",)
    move(desk, hours=30)
    assert "early warning (nis2)" in [d.what for d in now_status(desk, incident.id).overdue]
    sent = desk.clock() - timedelta(hours=1)
    desk.mark_clock(incident.id, "nis2", "early-warning", sent)
    desk.mark_clock(incident.id, "nis2", "incident-notification", None)
    after = {d.what: d for d in now_status(desk, incident.id).deadlines}
    assert after["early warning (nis2)"].met_at == sent
    final = after["final report (nis2)"].due
    assert final.month == 4
    assert "early warning (nis2)" not in [d.what for d in now_status(desk, incident.id).overdue]


def test_the_sec_clock_starts_at_the_materiality_determination(desk: Desk) -> None:
    incident = desk.declare("data-exposure", "Order export left public", None, {})
    friday = datetime(2026, 3, 27, 23, 0, tzinfo=UTC)  # 19:00 in New York, a Friday
    desk.mark_clock(incident.id, "sec-8k", "started", friday)
    dues = {d.what: d for d in now_status(desk, incident.id).deadlines}
    assert dues["file Form 8-K Item 1.05 (sec-8k)"].due == datetime(
        2026, 4, 3, 3, 59, 59, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("clock", "duty", "message"),
    [
        ("dora", "started", "not enabled"),
        ("nis2", "final-reprot", "did you mean 'final-report'"),
        ("gdpr-art33", "started", "is not a duty of gdpr-art33"),
    ],
)
def test_bad_clock_marks_are_refused(desk: Desk, clock: str, duty: str, message: str) -> None:
    incident = desk.declare("data-exposure", "Order export left public", None, {})
    with pytest.raises(UsageError, match=message):
        desk.mark_clock(incident.id, clock, duty, None)


def test_a_duty_is_recorded_once_and_never_in_the_future(desk: Desk) -> None:
    incident = desk.declare("data-exposure", "Order export left public", None, {})
    desk.mark_clock(incident.id, "gdpr-art33", "notify-the-supervisory-authority", None)
    with pytest.raises(UsageError, match="already recorded"):
        desk.mark_clock(incident.id, "gdpr-art33", "notify-the-supervisory-authority", None)
    with pytest.raises(UsageError, match="in the future"):
        desk.mark_clock(incident.id, "nis2", "early-warning", desk.clock() + timedelta(hours=1))
