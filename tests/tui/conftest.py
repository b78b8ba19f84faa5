"""TUI fixtures: a fixed terminal size, an injected clock, deterministic ids, a private journal."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from crisis.catalog import load_catalog
from crisis.journal import Journal
from crisis.tui.app import CrisisApp

from ..conftest import REPO, TODAY

SIZE = (100, 32)
START = datetime(2026, 11, 22, 2, 30, tzinfo=UTC)
CATALOG = load_catalog(REPO, TODAY)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def counting_ids() -> Callable[[datetime], str]:
    """Event ids that are the same on every run, so hashes and snapshots are too."""
    counter = itertools.count(1)
    return lambda ts: f"01TEST{next(counter):020d}"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "journal.sqlite3"


@pytest.fixture
def journal(journal_path: Path) -> Iterator[Journal]:
    with Journal.open(journal_path, ids=counting_ids()) as opened:
        yield opened


@pytest.fixture
def make_app(journal: Journal, clock: Clock) -> Callable[..., CrisisApp]:
    def make(actor: str | None = "ingrid", **kwargs: Any) -> CrisisApp:
        numbers = itertools.count(1)
        app = CrisisApp(
            lambda: CATALOG,
            lambda: journal,
            actor,
            "Europe/Oslo",
            clock,
            new_id=lambda now: f"INC-{now:%Y%m%d}-{next(numbers):03d}",
            **kwargs,
        )
        app.animation_level = "none"
        return app

    return make


def drive(
    app: CrisisApp, scenario: Callable[[Pilot[None]], Awaitable[None]], size: tuple[int, int] = SIZE
) -> None:
    """Run a scenario against the app headless at a fixed size."""

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await scenario(pilot)

    asyncio.run(main())


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the playbooks to load in their worker, then for the screen to catch up."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(char, char) for char in text])
