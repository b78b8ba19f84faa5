"""The wall clock, in one place, so that everything else can take time as an argument."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


def now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date where the user is."""
    return now().astimezone().date()


def parse_moment(text: str, zone: str, now: datetime) -> datetime:
    """A time typed by a person: ISO 8601 (offset optional), or HH:MM meaning today in `zone`.

    A time without an offset is read in `zone`; an HH:MM later than now means yesterday.
    """
    value = text.strip()
    local = ZoneInfo(zone)
    if re.fullmatch(r"\d{1,2}:\d{2}", value):
        hours, minutes = (int(part) for part in value.split(":"))
        if hours > 23 or minutes > 59:
            raise ValueError(f"'{text}' is not a time of day")
        today = now.astimezone(local)
        moment = today.replace(hour=hours, minute=minutes, second=0, microsecond=0)
        return moment - timedelta(days=1) if moment > now else moment
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"'{text}' is not a time like 14:05 or 2026-11-22T14:05+01:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=local)
