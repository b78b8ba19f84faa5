"""The wall clock, in one place, so that everything else can take time as an argument."""

from __future__ import annotations

from datetime import UTC, date, datetime


def now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date where the user is."""
    return now().astimezone().date()
