"""Drafts as their events tell them: versions, approvals and rejections, publications."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal, Protocol

Stage = Literal["blocked", "rejected", "awaiting", "approved", "ready", "published"]
NEEDS_APPROVAL = ("public", "regulator")
KINDS = ("drafted", "approved", "rejected", "published")


def digest(text: str) -> str:
    """The SHA-256 of a text, which approvals and publications name to pin the exact words."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Event(Protocol):
    @property
    def seq(self) -> int: ...
    @property
    def ts(self) -> datetime: ...
    @property
    def actor(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def data(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class Version:
    """One saved text of a draft, rendered from its template or edited by hand."""

    number: int
    seq: int
    at: datetime
    by: str
    text: str
    sha256: str
    source: str
    violations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """An approval or a rejection of one version, by a person in a role."""

    seq: int
    at: datetime
    by: str
    person: str
    role: str
    version: int
    sha256: str
    approved: bool
    comment: str


@dataclass(frozen=True)
class Publication:
    """A version marked as published on a channel; an emergency override carries its reason."""

    seq: int
    at: datetime
    by: str
    channel: str
    url: str
    version: int
    sha256: str
    text: str
    override: str = ""
    draft: str = ""


@dataclass(frozen=True)
class Chain:
    """Where a version stands against the approval roles its severity requires, in order."""

    required: tuple[str, ...]
    approvals: tuple[Verdict | None, ...]

    @property
    def next_role(self) -> str | None:
        return next(
            (r for r, a in zip(self.required, self.approvals, strict=True) if a is None), None
        )

    @property
    def complete(self) -> bool:
        return self.next_role is None


@dataclass(frozen=True)
class Draft:
    """A response being written: its template, locale, every version and every decision on it."""

    id: str
    template: str
    locale: str
    channel: str
    audience: str
    versions: tuple[Version, ...]
    verdicts: tuple[Verdict, ...] = ()
    publications: tuple[Publication, ...] = ()

    @property
    def latest(self) -> Version:
        return self.versions[-1]

    @property
    def needs_approval(self) -> bool:
        return self.audience in NEEDS_APPROVAL

    def version(self, number: int) -> Version | None:
        return next((v for v in self.versions if v.number == number), None)

    def rejection(self) -> Verdict | None:
        """The rejection of the latest version, which sends it back for editing."""
        latest = self.latest.number
        return next((v for v in self.verdicts if v.version == latest and not v.approved), None)

    def chain(self, required: Sequence[str] | None) -> Chain:
        """The latest version's approvals matched to the required roles; older ones are void."""
        latest = self.latest
        valid = {
            v.role: v
            for v in self.verdicts
            if v.approved and v.version == latest.number and v.sha256 == latest.sha256
        }
        roles = tuple(required or ()) if self.needs_approval else ()
        return Chain(roles, tuple(valid.get(role) for role in roles))

    def voided(self) -> tuple[Verdict, ...]:
        """Approvals given to earlier versions, voided by a later edit."""
        latest = self.latest.number
        return tuple(v for v in self.verdicts if v.approved and v.version != latest)

    def published(self) -> Publication | None:
        """The latest version's publication, if it has one."""
        return next((p for p in self.publications if p.version == self.latest.number), None)

    def stage(self, required: Sequence[str] | None) -> Stage:
        """Where the latest version stands: fix, wait, publish, or done.

        `required` is None while the severity is not assessed: nothing public is approved then.
        """
        if self.published() is not None:
            return "published"
        return self.review(required)

    def review(self, required: Sequence[str] | None) -> Stage:
        """Where the latest version stands in review, whether or not it went out already.

        Every publication needs this to be `approved` or `ready` (or its own override): going
        out once is no permission to go out again after the chain has grown.
        """
        if self.rejection() is not None:
            return "rejected"
        if self.latest.violations:
            return "blocked"
        if not self.needs_approval:
            return "ready"
        if required is None:
            return "awaiting"
        return "approved" if self.chain(required).complete else "awaiting"


class DraftLog:
    """The drafts of one incident being replayed; `freeze()` gives them as frozen values."""

    def __init__(self) -> None:
        self.drafts: dict[str, Draft] = {}

    def add(self, kind: str, event: _Event) -> None:
        data = event.data
        key = str(data["draft"])
        if kind == "drafted":
            version = Version(
                int(data["version"]),
                event.seq,
                event.ts,
                event.actor,
                event.text,
                str(data["sha256"]),
                str(data.get("source", "")),
                tuple(str(v) for v in data.get("violations", ())),
            )
            old = self.drafts.get(key)
            if old is None:
                self.drafts[key] = Draft(
                    key,
                    str(data["template"]),
                    str(data["locale"]),
                    str(data["channel"]),
                    str(data["audience"]),
                    (version,),
                )
            else:
                self.drafts[key] = replace(old, versions=(*old.versions, version))
            return
        draft = self.drafts.get(key)
        if draft is None:
            return
        number, sha = int(data["version"]), str(data["sha256"])
        if kind in ("approved", "rejected"):
            verdict = Verdict(
                event.seq,
                event.ts,
                event.actor,
                str(data["person"]),
                str(data["role"]),
                number,
                sha,
                kind == "approved",
                event.text,
            )
            self.drafts[key] = replace(draft, verdicts=(*draft.verdicts, verdict))
        elif kind == "published":
            publication = Publication(
                event.seq,
                event.ts,
                event.actor,
                str(data["channel"]),
                str(data.get("url") or ""),
                number,
                sha,
                event.text,
                str(data.get("override") or ""),
                key,
            )
            self.drafts[key] = replace(draft, publications=(*draft.publications, publication))

    def freeze(self) -> dict[str, Draft]:
        return dict(self.drafts)


def statements(
    drafts: Mapping[str, Draft], audiences: Sequence[str] = ("public",)
) -> list[Publication]:
    """Every publication of a draft for these audiences, in the order they were recorded."""
    found = [p for d in drafts.values() if d.audience in audiences for p in d.publications]
    return sorted(found, key=lambda p: p.seq)


def describe(kind: str, text: str, data: Mapping[str, Any]) -> str:
    """One line for a draft event in a timeline; an emergency override is said out loud."""
    name = f"{data.get('draft')}.{data.get('version')}"
    if kind == "drafted":
        first = text.strip().splitlines()[0] if text.strip() else ""
        how = "rendered" if data.get("source") == "template" else "edited"
        where = f"{data.get('template')}/{data.get('locale')}"
        return f"{name} {how} {where}, {len(text.strip())} chars: {first}"
    if kind in ("approved", "rejected"):
        said = f": {text}" if text else ""
        return f"{name} {kind} by {data.get('person')} as {data.get('role')}{said}"
    if kind == "published":
        url = f" {data['url']}" if data.get("url") else ""
        if data.get("override"):
            loud = "EMERGENCY OVERRIDE, NOT APPROVED"
            return f"{loud}: {name} published on {data.get('channel')}{url}: {data['override']}"
        return f"{name} published on {data.get('channel')}{url}"
    return text
