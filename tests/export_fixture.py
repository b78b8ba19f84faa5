"""A fixed incident for export tests: fixed clock and ids, across the end of summer time in Oslo."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crisis.approvals import Approvals
from crisis.catalog import load_catalog
from crisis.engine import Desk
from crisis.journal import Journal
from crisis.newsroom import Newsroom

from .conftest import REPO, TODAY

CATALOG = load_catalog(REPO, TODAY)
# 00:40 CEST on 25 October 2026; at 03:00 CEST the clocks go back to 02:00 CET.
START = datetime(2026, 10, 24, 22, 40, tzinfo=UTC)
INCIDENT = "INC-20261024-0001"
HOSTILE = (
    '<script>alert(1)</script> [click](javascript:alert(1)) =HYPERLINK("http://evil") '
    '@SUM(1+1) "quoted" | pipe | ``` fence\nsecond line مرحبا بالعالم 🚨👩‍💻'
)


class Clock:
    """A clock each action moves on by a few minutes."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


def fixed_ids() -> Callable[[datetime], str]:
    counter = itertools.count(1)
    return lambda ts: f"01EXPORT{next(counter):018d}"


def build(path: Path, *, exercise: bool = False, close: bool = True) -> tuple[Journal, Desk]:
    """Record a whole account-hijack incident from declaration to closing."""
    journal = Journal.open(path, ids=fixed_ids())
    clock = Clock()
    desk = Desk(CATALOG, journal, "ingrid", "Europe/Oslo", clock, new_id=lambda now: INCIDENT)
    facts = {"platform": "Instagram", "handle": "@havbris"}
    desk.declare(
        "account-hijack",
        "Instagram account taken over",
        START - timedelta(minutes=20),
        facts,
        exercise=exercise,
    )
    steps: list[tuple[float, Callable[[], object]]] = [
        (4, lambda: desk.assess(INCIDENT, {"attacker-posted": "yes", "control": "none"})),
        (3, lambda: desk.notify(INCIDENT, "social-media", "ingrid", "acknowledged", "")),
        (2, lambda: desk.notify(INCIDENT, "security", "aleksander", "no-answer", "voicemail")),
        (9, lambda: desk.notify(INCIDENT, "security", "linnea", "acknowledged", "")),
        (5, lambda: desk.notify(INCIDENT, "comms-lead", "kari", "acknowledged", "")),
        (3, lambda: desk.note(INCIDENT, HOSTILE)),
        (60, lambda: desk.step(INCIDENT, "capture-evidence")),
        (
            30,
            lambda: Newsroom(desk).draft(
                INCIDENT, "holding-statement", "nb", {"updates": "https://havbris.example/s"}
            ),
        ),
        (4, lambda: Approvals(desk).approve(INCIDENT, "D1", "kari", "ok")),
        (6, lambda: Approvals(desk).approve(INCIDENT, "D1", "henrik", "juridisk ok")),
        (2, lambda: Approvals(desk).publish(INCIDENT, "D1", "web", "https://havbris.example/s")),
        (3, lambda: Newsroom(desk).draft(INCIDENT, "social-post", "en")),
        (
            1,
            lambda: Approvals(desk).publish(
                INCIDENT, "D2", "x", "", "scam links live; legal unreachable"
            ),
        ),
        (
            20,
            lambda: desk.note(
                INCIDENT, "Kari Solberg called +47 22 33 44 55, kari@havbris.example"
            ),
        ),
        (1, lambda: desk.correct(INCIDENT, 16, "personal phone number typed by mistake", True)),
        (45, lambda: desk.step(INCIDENT, "secure-login-email")),
    ]
    for minutes, action in steps:
        clock.advance(minutes)
        action()
    if close:
        clock.advance(120)
        desk.close(
            INCIDENT,
            "Account recovered through the platform; followers warned.",
            {
                "went_well": "Evidence captured before deletion",
                "went_wrong": "Security primary unreachable for 11 minutes",
                "lucky": "The attacker did not read the inbox",
            },
            [("security", "Move every account to security keys"), ("hr", "Offboarding checklist")],
        )
    clock.advance(5)
    return journal, desk


def recorded_folder(tmp_path: Path) -> Path:
    """A data directory (0700) whose journal holds the closed incident, for the command line."""
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    journal, _ = build(folder / "journal.sqlite3")
    journal.close()
    return folder
