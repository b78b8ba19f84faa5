"""Content rules for drafts: the channel's length, required elements and forbidden content."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from crisis import channels
from crisis.model import Organisation, Rule

PLACEHOLDERS = ("link", "org.name", "org.website", "org.press_email", "org.press_phone")
_PLACEHOLDER = re.compile(r"\{([^{}\s]+)\}")
_LINK = re.compile(r"(?<![\w@])(?:https?://|www\.)\S+", re.IGNORECASE)


@dataclass(frozen=True)
class Violation:
    """A rule a draft breaks: the rule's id and what is wrong, in words a responder can act on."""

    rule: str
    message: str


@dataclass(frozen=True)
class Count:
    """A draft's length as the channel counts it, against the limit that applies."""

    length: int
    limit: int | None

    @property
    def over(self) -> bool:
        return self.limit is not None and self.length > self.limit


def unknown_placeholders(needle: str) -> list[str]:
    """Placeholders in a `require_any` entry that this version does not know."""
    return [name for name in _PLACEHOLDER.findall(needle) if name not in PLACEHOLDERS]


def _expand(needle: str, org: Organisation) -> str:
    values = {
        "org.name": org.name,
        "org.website": org.website,
        "org.press_email": org.press_email,
        "org.press_phone": org.press_phone or "",
    }
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), needle)


def _mentions(text: str, phrase: str) -> bool:
    """Whether `phrase` occurs in `text` as whole words, ignoring case."""
    words = r"\s+".join(map(re.escape, phrase.split()))
    pattern = r"(?<!\w)" + words + r"(?:['\u2019]?s)?(?!\w)"  # also the possessive: Karis, Kari's
    return re.search(pattern, text, re.IGNORECASE) is not None


def applies(rule: Rule, channel: str, audience: str) -> bool:
    """Whether a rule covers drafts for this channel and audience."""
    return (not rule.audiences or audience in rule.audiences) and (
        not rule.channels or channel in rule.channels
    )


def count(text: str, channel: str, limit: int | None = None) -> Count:
    """The length of a draft as its platform counts it, and the limit that applies."""
    return Count(channels.length(channel, text), channels.limit(channel, limit))


def check(
    text: str,
    *,
    channel: str,
    audience: str,
    rules: Iterable[Rule],
    org: Organisation,
    people: Iterable[str] = (),
    limit: int | None = None,
) -> tuple[Violation, ...]:
    """Every rule the text breaks on this channel for this audience; empty when it is clean."""
    found: list[Violation] = []
    size = count(text, channel, limit)
    if size.over:
        found.append(
            Violation(
                "limit",
                f"{size.length} characters, over the {channel} limit of {size.limit}"
                + (" (a link counts as 23)" if channel == "x" else ""),
            )
        )
    if not text.strip():
        found.append(Violation("empty", "the draft has no text"))
    names = tuple(people)
    for rule in rules:
        if not applies(rule, channel, audience):
            continue
        needles = [n for n in rule.require_any if _expand(n, org).strip()]
        if needles and not any(
            (_LINK.search(text) is not None)
            if needle == "{link}"
            else _expand(needle, org).casefold() in text.casefold()
            for needle in needles
        ):
            wanted = " or ".join(
                "a web address" if needle == "{link}" else _expand(needle, org)
                for needle in needles
            )
            found.append(Violation(rule.id, f"{rule.text}: needs {wanted}"))
        said = [phrase for phrase in rule.forbid if _mentions(text, phrase)]
        if rule.forbid_people:
            said += [name for name in names if _mentions(text, name)]
        if said:
            shown = ", ".join(f"'{phrase}'" for phrase in said)
            found.append(Violation(rule.id, f"{rule.text}: remove {shown}"))
    return tuple(found)
