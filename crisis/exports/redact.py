"""Export profiles: internal keeps everything; regulator shows roles, not people; public also strips
contact details."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
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
_POSSESSIVE = re.compile(r"['\u2019]?s$")
_PHONE_HINT = re.compile(r"\+|\d\d[\d ]{6}")
_PHONELIKE = _PHONE_HINT.search
"""What every match of PHONE has in it: a plus, or eight digits and spaces from two digits on."""
_BETWEEN = r"\s.\-()"
"""What may stand between the digits of a written phone number."""
_GAP = rf"[{_BETWEEN}]*"
_RUN = 7
"""The digits in a row (or with what may stand between them) that `_run_of_digits` looks for."""
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
            names += (person.name, person_id)  # an id in free text is shown as the role too
        self.names = _words(names) if self.active else None
        mails = {p.email.casefold(): self.label[pid.casefold()] for pid, p in roster.people.items()}
        self._mail_roles = mails if profile == "regulator" else {}
        """A roster address in text shows its owner's role (under `public` it is removed)."""
        self._mails = _addresses(list(mails)) if self._mail_roles else None
        parts = [p for person in roster.people.values() for p in person.name.split() if len(p) > 2]
        self.parts = _words([*parts, *roster.people]) if self.active else None
        people = roster.people.values()
        self._covered = all(any(len(p) > 2 for p in person.name.split()) for person in people)
        """Every name has a word in `parts`, which therefore matches wherever `names` does."""
        self.phones = sorted(
            {n for p in roster.people.values() for n in p.phones}, key=len, reverse=True
        )
        public = profile == "public"
        self.written = _phones(self.phones) if public else None
        runs = _run_of_digits(self.phones) if public else None
        self._run = runs.search if runs is not None else None
        every = "" in self.phones  # an empty number would be replaced everywhere
        self._starts = None if every else frozenset(number[0] for number in self.phones)
        self._maybe_phone = _either(runs, _PHONE_HINT) if public else None
        """One search that finds nothing where neither `_run` nor `_PHONELIKE` would."""
        run = self._run
        self._short = every or any(run is None or run(n) is None for n in self.phones)
        """Whether a number is one that `_run` does not find in itself, and so may not find in a
        text that holds it: then every text is searched for the exact numbers."""
        self._texts: dict[str, str] = {}
        self._people: dict[str, str] = {}
        self._roles_of: dict[str, str] = {}

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

    def row(self, row: dict[str, Any]) -> dict[str, Any]:
        """An event row as the profile shows it: its actor, text, summary and data rewritten."""
        texts, actor, text, said, data = (
            self._texts,
            row["actor"],
            row["text"],
            row["summary"],
            row["data"],
        )
        row["actor"] = self._people.get(actor) or self.person(actor)
        shown = row["text"] = texts.get(text) or self.text(text)
        row["summary"] = shown if said is text else texts.get(said) or self.text(said)
        if type(data) is dict and self.active:
            row["data"] = self._table(data) if data else {}
        else:
            row["data"] = self.value(data)
        return row

    def row_outline(self, row: dict[str, Any]) -> dict[str, Any]:
        """An event row's actor and summary as the profile shows them; its text and data are
        left as they are, for a writer (the review's timeline) that does not show them."""
        actor, said = row["actor"], row["summary"]
        row["actor"] = self._people.get(actor) or self.person(actor)
        row["summary"] = self._texts.get(said) or self.text(said)
        return row

    def _rewrite(self, value: str) -> str:
        """Names to roles, then contact details, then any other part of a name; each pattern is
        tried only where a cheaper test says that it may match."""
        given = value
        named = self.parts is not None and self.parts.search(value) is not None
        if "@" in value:  # before names, which an address may hold
            if self.profile == "public":
                value = EMAIL.sub(EMAIL_MARK, value)
            elif self._mails is not None:
                value = self._mails.sub(lambda m: f"[{self._mail_roles[m[0].casefold()]}]", value)
        if self.names is not None and (named or not self._covered):
            value = self.names.sub(self._role_of, value)
        if self.profile == "public":
            maybe = self._maybe_phone is not None and self._maybe_phone(value) is not None
            run = maybe and self._run is not None and self._run(value) is not None
            if run or self._short and not self._starts_apart(value):
                for number in self.phones:
                    value = value.replace(number, PHONE_MARK)
            if maybe:
                if self.written is not None and run:
                    value = self.written.sub(PHONE_MARK, value)
                if _PHONELIKE(value):
                    value = PHONE.sub(PHONE_MARK, value)
        if self.parts is not None and (named or value is not given):
            value = self.parts.sub("[name removed]", value)
        return value

    def _starts_apart(self, value: str) -> bool:
        """Whether no roster number can start in the text: none of their first characters is."""
        return self._starts is not None and self._starts.isdisjoint(value)

    def _role_of(self, match: re.Match[str]) -> str:
        """The role shown for a name (or id) found in a text; the same few names recur."""
        found = match.group(0)
        role = self._roles_of.get(found)
        if role is None:
            spaced = " ".join(found.split()).casefold()  # "Lars" and "mads" end in s themselves
            label = self.label.get(spaced) or self.label.get(_POSSESSIVE.sub("", spaced))
            role = f"[{label or 'person'}]"
            _remember(self._roles_of, found, role)
        return role

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

    def header(self, header: dict[str, Any]) -> dict[str, Any]:
        """A header made for this export alone, as `value` shows it, but rewritten in place."""
        return self._table(header, header) if self.active else header

    def _table(self, table: Mapping[str, Any], into: dict[str, Any] | None = None) -> Any:
        """A mapping walked (into itself, if given as `into`), text handled without a call each."""
        shown: dict[str, Any] = {} if into is None else into
        texts, people, own = self._texts, self._people, into is not None
        for key, item in table.items():
            kind = type(item)
            if kind is str:
                if key in OPAQUE:
                    shown[key] = item
                elif key in PEOPLE_KEYS:
                    shown[key] = people.get(item) or self.person(item)
                else:
                    shown[key] = texts.get(item) or self.text(item)
            elif kind is int or kind is bool or item is None:
                shown[key] = item
            elif kind is dict:
                shown[key] = self._table(item, item if own else None)
            elif kind is list:
                shown[key] = self._items(item, key, own)
            else:
                shown[key] = self.value(item, key)
        return shown

    def _items(self, items: list[Any] | tuple[Any, ...], key: str, own: bool = False) -> Any:
        """A list walked (in place, if `own`), its items taken as what its key says they hold."""
        if own and type(items) is list:
            for i, item in enumerate(items):
                kind = type(item)
                if kind is dict:
                    items[i] = self._table(item, item)
                elif kind is list:
                    items[i] = self._items(item, key, own)
                else:
                    items[i] = self.value(item, key)
            return items
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
    gap = _GAP
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


def _addresses(mails: list[str]) -> re.Pattern[str] | None:
    """The roster's e-mail addresses, whole, ignoring case."""
    if not mails:
        return None
    body = "|".join(map(re.escape, sorted(mails, key=len, reverse=True)))
    return re.compile(rf"(?<![\w.+-])(?:{body})(?![\w-]|\.\w)", re.IGNORECASE)


def _either(*patterns: re.Pattern[str] | None) -> Callable[[str], re.Match[str] | None]:
    """One search for what any of the patterns looks for."""
    body = "|".join(f"(?:{p.pattern})" for p in patterns if p is not None)
    return re.compile(body).search


def _run_of_digits(numbers: list[str]) -> re.Pattern[str] | None:
    """A quick test that a text may hold a roster number in any form: one of the numbers' digits
    and six more digits or what a written number may have between them (seven digits at least)."""
    digits = sorted({c for number in numbers for c in number.lstrip("+") if c.isdigit()})
    if not digits:
        return None
    chars = "".join(map(re.escape, digits))
    return re.compile(rf"[{chars}][{chars}{_BETWEEN}]{{{_RUN - 1}}}")
