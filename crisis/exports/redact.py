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

    @property
    def active(self) -> bool:
        return self.profile != "internal"

    def person(self, value: str) -> str:
        """A person (an id, a name or a free-text actor) as the profile may show them."""
        if not self.active:
            return value
        return self.label.get(value.strip().casefold()) or self.text(value)

    def text(self, value: str) -> str:
        """Free text with roster names turned into roles, and for `public` no contact details."""
        if not self.active or not value:
            return value
        if self.names is not None:
            value = self.names.sub(self._role_of, value)
        if self.profile == "public":
            value = EMAIL.sub(EMAIL_MARK, value)
            for number in self.phones:
                value = value.replace(number, PHONE_MARK)
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
            return {k: self.value(v, k) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.value(v, key) for v in value]
        return value
