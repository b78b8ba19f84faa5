"""Export profiles: internal keeps everything; regulator shows roles, not people; public also strips
contact details."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from crisis.model import Contacts

PROFILES = ("internal", "regulator", "public")
OPAQUE = frozenset({"hash", "prev", "sha256", "id", "utc", "local", "verify", "seq", "tz"})
"""Keys whose values are hashes, ids or times: never names, and never rewritten."""
PEOPLE_KEYS = frozenset(
    {"by", "person", "actor", "owner", "declared_by", "reached_by", "acknowledged_by"}
)
"""Keys whose values name a person (or a role), mapped to roles outside `internal`."""
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w+])(?:\+\d[\d ]{5,17}\d|\d{2}(?: \d{2}){3,5}|\d{8,15})(?!\w)")
EMAIL_MARK = "[e-mail removed]"
PHONE_MARK = "[phone removed]"
_DIGIT = re.compile(r"\d").search
_SEEN = 4096
"""Texts remembered with their rewriting, since names, roles and outcomes repeat."""
_SEEN_LENGTH = 200


def _words(names: list[str]) -> re.Pattern[str] | None:
    """One pattern for whole words or phrases, longest first, ignoring case."""
    if not names:
        return None
    ordered = sorted(set(names), key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, name.split())) for name in ordered)
    return re.compile(rf"(?<!\w)(?:{body})(?:['\u2019]?s)?(?!\w)", re.IGNORECASE)


class Redactor:
    """Rewrites export values for a profile, knowing who is in the roster and what they hold."""

    def __init__(self, profile: str, roster: Contacts) -> None:
        if profile not in PROFILES:
            raise ValueError(f"unknown profile '{profile}'; choose {', '.join(PROFILES)}")
        self.profile = profile
        self.active = profile != "internal"
        self.roles: dict[str, str] = {}
        for held in roster.roles.values():
            for holder in (held.primary, *held.backups):
                self.roles.setdefault(holder, held.title)
        self.label: dict[str, str] = {}
        names: list[str] = []
        for person_id, person in roster.people.items():
            title = self.roles.get(person_id, "staff member")
            for key in (person_id, person.name):
                self.label[key.casefold()] = title
            names.append(person.name)
        self.names = _words(names)
        parts = [p for person in roster.people.values() for p in person.name.split() if len(p) > 2]
        self.parts = _words([*parts, *roster.people])
        self.phones = sorted(
            {n for p in roster.people.values() for n in p.phones}, key=len, reverse=True
        )
        self.written = _phones(self.phones)
        every = "" in self.phones  # an empty number would be replaced everywhere
        self._starts = None if every else frozenset(number[0] for number in self.phones)
        self._texts: dict[str, str] = {}
        self._people: dict[str, str] = {}

    def person(self, value: str) -> str:
        """A person (an id, a name or a free-text actor) as the profile may show them."""
        if not self.active:
            return value
        known = self._people.get(value)
        if known is None:
            known = self.label.get(value.strip().casefold()) or self.text(value)
            _remember(self._people, value, known)
        return known

    def text(self, value: str) -> str:
        """Free text with roster names turned into roles, and for `public` no contact details."""
        if not self.active or not value:
            return value
        known = self._texts.get(value)
        if known is None:
            known = self._rewrite(value)
            _remember(self._texts, value, known)
        return known

    def _rewrite(self, value: str) -> str:
        if self.names is not None:
            value = self.names.sub(self._role_of, value)
        if self.profile == "public":
            if "@" in value:
                value = EMAIL.sub(EMAIL_MARK, value)
            if self._starts is None or not self._starts.isdisjoint(value):
                for number in self.phones:
                    value = value.replace(number, PHONE_MARK)
            if _DIGIT(value):
                if self.written is not None:
                    value = self.written.sub(PHONE_MARK, value)
                value = PHONE.sub(PHONE_MARK, value)
        if self.parts is not None:
            value = self.parts.sub("[name removed]", value)
        return value

    def _role_of(self, match: re.Match[str]) -> str:
        name = re.sub(r"['\u2019]?s$", "", match.group(0))
        spaced = " ".join(name.split()).casefold()
        return f"[{self.label.get(spaced, 'person')}]"

    def value(self, value: Any, key: str = "") -> Any:
        """Any JSON value, walked: strings rewritten by what their key says they hold."""
        if not self.active:
            return value
        if isinstance(value, str):
            if key in OPAQUE:
                return value
            return self.person(value) if key in PEOPLE_KEYS else self.text(value)
        if isinstance(value, Mapping):
            return self._table(value)
        if isinstance(value, list | tuple):
            return self._items(value, key)
        return value

    def _table(self, table: Mapping[str, Any]) -> dict[str, Any]:
        """A mapping walked, its text and plain values handled without a call for each."""
        shown: dict[str, Any] = {}
        for key, item in table.items():
            kind = type(item)
            if kind is str:
                if key in OPAQUE:
                    shown[key] = item
                else:
                    shown[key] = self.person(item) if key in PEOPLE_KEYS else self.text(item)
            elif kind is int or kind is bool or item is None:
                shown[key] = item
            elif kind is dict:
                shown[key] = self._table(item)
            elif kind is list:
                shown[key] = self._items(item, key)
            else:
                shown[key] = self.value(item, key)
        return shown

    def _items(self, items: list[Any] | tuple[Any, ...], key: str) -> list[Any]:
        """A list walked, its items taken as what the list's key says they hold."""
        if key in OPAQUE:
            return [item if type(item) is str else self.value(item, key) for item in items]
        rewrite = self.person if key in PEOPLE_KEYS else self.text
        return [rewrite(item) if type(item) is str else self.value(item, key) for item in items]


def _remember(seen: dict[str, str], value: str, shown: str) -> None:
    """Keep a short text's rewriting, forgetting all once there are many, so memory stays flat."""
    if len(value) <= _SEEN_LENGTH:
        if len(seen) >= _SEEN:
            seen.clear()
        seen[value] = shown


def _phones(numbers: list[str]) -> re.Pattern[str] | None:
    """The roster's numbers however they are written: grouped, hyphenated, with or without the
    country code (+47, 0047, (+47)), since the country code's length is not known, 1 to 3."""
    gap = r"[\s.\-()]*"
    forms: set[str] = set()
    for number in numbers:
        digits = number.lstrip("+")
        if not digits.isdigit():
            continue
        for split in (1, 2, 3):
            country, national = digits[:split], digits[split:]
            if len(national) < 7:
                continue
            prefix = rf"(?:(?:\+|00)\s*\(?{country}\)?{gap}|\(\+{country}\){gap})?"
            forms.add(prefix + gap.join(national))
    if not forms:
        return None
    body = "|".join(sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w+])(?:{body})(?!\w)")
