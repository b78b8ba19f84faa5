"""Times as exports write them: in UTC as hashed, and in the incident's zone with its offset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from crisis.codec import format_ts

_UNKNOWN: Any = object()
_HOUR = timedelta(hours=1)
_ZERO = timedelta(0)
_HOURS = 4096
"""Hours of local time remembered; an incident longer than this just computes more."""


class Clockface:
    """Writes a time twice: in UTC, and in the incident's zone with its offset."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self._hours: dict[str, tuple[str, str] | None] = {}
        self._last: tuple[datetime | None, str, str] = (None, "", "")

    def __call__(self, moment: datetime | None) -> dict[str, str] | None:
        if moment is None:
            return None
        last, utc_text, local_text = self._last
        if moment is last:  # the same event's time, asked again for the header
            return {"utc": utc_text, "local": local_text}
        face = self._face(moment)
        self._last = (moment, face["utc"], face["local"])
        return face

    def _face(self, moment: datetime) -> dict[str, str]:
        if moment.tzinfo is UTC:
            utc = moment.isoformat("T", "microseconds")  # 2026-11-22T02:00:00.000000+00:00
            hour = utc[:13]
            face = self._hours.get(hour, _UNKNOWN)
            if face is _UNKNOWN:
                face = self._hour(moment, hour)
            if face is not None:
                return {"utc": utc[:-6] + "Z", "local": face[0] + utc[13:19] + face[1]}
        local = moment.astimezone(self.zone)
        return {"utc": format_ts(moment), "local": local.isoformat(timespec="seconds")}

    def _hour(self, moment: datetime, hour: str) -> tuple[str, str] | None:
        """The local date and hour, and the offset, of a UTC hour the zone keeps one offset in."""
        start = moment.replace(minute=0, second=0, microsecond=0).astimezone(self.zone)
        end = (moment.replace(minute=59, second=59, microsecond=999999)).astimezone(self.zone)
        offset = start.utcoffset()
        face = None
        if offset == end.utcoffset() and offset is not None and offset % _HOUR == _ZERO:
            text = start.isoformat(timespec="seconds")  # 2026-11-22T03:00:00+01:00
            face = (text[:13], text[19:])
        if len(self._hours) >= _HOURS:
            self._hours.clear()
        self._hours[hour] = face
        return face
