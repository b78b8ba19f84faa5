"""Snapshots of the key screens, at a fixed size with a fixed clock and fixed ids."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Select

from crisis.tui.app import CrisisApp

from .conftest import SIZE, settle
from .test_walkthrough import declare


async def workspace(pilot: Pilot[None]) -> None:
    await declare(pilot)
    pilot.app.screen.query_one("#q-attacker-posted", Select).value = "yes"
    await pilot.press("ctrl+s")
    await pilot.pause()


def step(key: str) -> Callable[[Pilot[None]], Any]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await workspace(pilot)
        await pilot.press(key)
        await pilot.pause()

    return run_before


def test_home(snap_compare: Any, make_app: Callable[..., CrisisApp]) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=settle)


def test_assess(snap_compare: Any, make_app: Callable[..., CrisisApp]) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=step("1"))


def test_notify(snap_compare: Any, make_app: Callable[..., CrisisApp]) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=step("2"))


def test_runbook(snap_compare: Any, make_app: Callable[..., CrisisApp]) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=step("3"))


def test_timeline(snap_compare: Any, make_app: Callable[..., CrisisApp]) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=step("4"))


def test_draft(snap_compare: Any, make_app: Callable[..., CrisisApp]) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=step("5"))


async def drafted(pilot: Pilot[None]) -> None:
    await step("5")(pilot)
    for value in ("Instagram", "@havbris", "https://havbris.example/s"):
        await pilot.press("tab", "tab") if value == "Instagram" else await pilot.press("tab")
        await pilot.press(*[{" ": "space"}.get(char, char) for char in value])
    await pilot.press("ctrl+r", "tab", "6")
    await pilot.pause()


def test_approve(snap_compare: Any, make_app: Callable[..., CrisisApp]) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=drafted)
