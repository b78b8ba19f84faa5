"""Times typed by people: HH:MM today in the responder's zone, or ISO 8601."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crisis.clock import parse_moment

NOW = datetime(2026, 3, 29, 10, 0, tzinfo=UTC)  # 12:00 in Oslo, the day summer time starts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:15", datetime(2026, 3, 29, 7, 15, tzinfo=UTC)),
        ("01:30", datetime(2026, 3, 29, 0, 30, tzinfo=UTC)),  # still winter time in Oslo
        ("23:00", datetime(2026, 3, 28, 22, 0, tzinfo=UTC)),  # later than now: yesterday
        ("2026-03-29T03:30", datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
        ("2026-03-28T23:00Z", datetime(2026, 3, 28, 23, 0, tzinfo=UTC)),
        ("2026-03-29T08:00+05:00", datetime(2026, 3, 29, 3, 0, tzinfo=UTC)),
    ],
)
def test_typed_times(text: str, expected: datetime) -> None:
    assert parse_moment(text, "Europe/Oslo", NOW) == expected


@pytest.mark.parametrize("text", ["25:00", "noon", "2026-13-01", ""])
def test_bad_times_say_what_is_valid(text: str) -> None:
    with pytest.raises(ValueError, match="is not a time"):
        parse_moment(text, "Europe/Oslo", NOW)
