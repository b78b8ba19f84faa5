"""Typed text values of the file formats (ids, dates, durations, phones), each parsed explicitly."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True)
class Doc:
    """A field's description, shown in the JSON Schema and so in editors."""

    text: str


class Check:
    """Turns the text written in a file into a typed value, or says what would be valid."""

    description = "text"
    example = ""

    def parse(self, text: str) -> Any:
        return text

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "description": self.describe()}

    def describe(self) -> str:
        return f"{self.description}, for example '{self.example}'" if self.example else ""

    def invalid(self, text: str) -> ValueError:
        return ValueError(f"'{text}' is not {self.describe()}")


@dataclass(frozen=True)
class Matches(Check):
    """Text that matches a regular expression."""

    pattern: str
    description: str = "valid"
    example: str = ""

    def parse(self, text: str) -> str:
        if not re.fullmatch(self.pattern, text):
            raise self.invalid(text)
        return text

    def schema(self) -> dict[str, Any]:
        return {**super().schema(), "pattern": f"^(?:{self.pattern})$"}


class DateCheck(Check):
    """A calendar date written as YYYY-MM-DD."""

    description = "a date written YYYY-MM-DD"
    example = "2026-11-01"

    def parse(self, text: str) -> date:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise self.invalid(text)
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"'{text}' is not a real calendar date") from None

    def schema(self) -> dict[str, Any]:
        return {**super().schema(), "format": "date"}


_DURATION_PART = re.compile(r"(\d+)([dhm])")
_UNIT = {"d": timedelta(days=1), "h": timedelta(hours=1), "m": timedelta(minutes=1)}


class DurationCheck(Check):
    """A duration such as 15m, 4h, 1h30m or 3d."""

    description = "a duration of days, hours and minutes"
    example = "1h30m"

    def parse(self, text: str) -> timedelta:
        if not re.fullmatch(r"(?:\d+[dhm])+", text):
            raise self.invalid(text)
        total = sum((int(n) * _UNIT[u] for n, u in _DURATION_PART.findall(text)), timedelta())
        if total <= timedelta():
            raise ValueError(f"'{text}' must be longer than zero")
        return total

    def schema(self) -> dict[str, Any]:
        return {**super().schema(), "pattern": r"^(?:\d+[dhm])+$"}


class ZoneCheck(Check):
    """An IANA time zone name."""

    description = "an IANA time zone name"
    example = "Europe/Oslo"

    def parse(self, text: str) -> str:
        try:
            ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            raise self.invalid(text) from None
        return text


def duration_text(value: timedelta) -> str:
    """Write a duration back the way a playbook author would."""
    minutes = int(value.total_seconds()) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        f"{days}d" if days else "",
        f"{hours}h" if hours else "",
        f"{minutes}m" if minutes else "",
    ]
    return "".join(parts) or "0m"


Ident = Annotated[
    str,
    Matches(
        r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*",
        "an id of lower-case letters, digits and '-'",
        "comms-lead",
    ),
]
FactId = Annotated[
    str,
    Matches(r"[a-z][a-z0-9_]*", "a fact id of lower-case letters, digits and '_'", "press_contact"),
]
Phone = Annotated[str, Matches(r"\+[1-9][0-9]{6,14}", "an E.164 phone number", "+4791234567")]
Email = Annotated[
    str, Matches(r"[^@\s]+@[^@\s]+\.[^@\s]+", "an e-mail address", "ingrid@havbris.example")
]
URL = Matches(r"https?://[^\s]+", "a web address", "https://havbris.example")
Url = Annotated[str, URL]
Locale = Annotated[str, Matches(r"[a-z]{2,3}(?:-[A-Z]{2})?", "a language code", "nb")]
Day = Annotated[date, DateCheck()]
Duration = Annotated[timedelta, DurationCheck()]
TimeZone = Annotated[str, ZoneCheck()]
Text = Annotated[str, Matches(r"[\s\S]*\S[\s\S]*", "non-empty text", "")]
