"""The file formats as frozen dataclasses: the roster, the severity scale and playbooks."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Annotated, Literal

from crisis.values import (
    Day,
    Doc,
    Duration,
    Email,
    FactId,
    Ident,
    Locale,
    Phone,
    Text,
    TimeZone,
    Url,
)

Colour = Literal["green", "yellow", "orange", "red", "magenta", "blue"]
Channel = Literal[
    "x",
    "facebook",
    "instagram",
    "linkedin",
    "sms",
    "email",
    "web",
    "press",
    "internal",
    "regulator",
]
Audience = Literal["public", "internal", "regulator"]
ClockId = Literal["gdpr-art33", "nis2", "sec-8k"]
QuestionType = Literal["yes-no", "choice", "number"]


@dataclass(frozen=True)
class Organisation:
    """The organisation the roster belongs to, as templates name it."""

    name: Text
    website: Url
    press_email: Email
    press_phone: Phone | None = None


@dataclass(frozen=True)
class Person:
    """Someone who can be reached in a crisis."""

    name: Text
    email: Email
    phones: Annotated[tuple[Phone, ...], Doc("E.164 numbers as quoted text, preferred first")]
    timezone: TimeZone
    title: Text | None = None
    handles: Annotated[dict[str, str], Doc("Other ways to reach them, e.g. signal, slack")] = field(
        default_factory=dict
    )


@dataclass(frozen=True)
class Role:
    """A crisis role: who holds it first, and who to try next, in order."""

    title: Text
    primary: Ident
    backups: tuple[Ident, ...] = ()


@dataclass(frozen=True)
class Contacts:
    """`contacts.yaml`: the organisation, its people and the roles they hold."""

    organisation: Organisation
    verified: Annotated[Day, Doc("When every entry was last checked")]
    people: dict[Ident, Person]
    roles: dict[Ident, Role]
    verify_every: Annotated[Duration, Doc("How long a verification holds")] = timedelta(days=180)


@dataclass(frozen=True)
class Targets:
    """Response targets of a severity level; any may be absent in an override."""

    acknowledge: Annotated[Duration | None, Doc("Each notified role acknowledges within")] = None
    first_statement: Annotated[Duration | None, Doc("First public statement within")] = None
    update_every: Annotated[Duration | None, Doc("Public update cadence")] = None


@dataclass(frozen=True)
class Level:
    """One severity level of the shared scale."""

    id: Ident
    name: Text
    colour: Colour
    description: Text
    notify: Annotated[tuple[Ident, ...], Doc("Roles told at this level, in order")]
    approvals: Annotated[tuple[Ident, ...], Doc("Roles that approve, in order, before publishing")]
    targets: Targets = Targets()


@dataclass(frozen=True)
class Scale:
    """`playbooks/scale.yaml`: the severity levels, least severe first."""

    kind: Literal["scale"]
    levels: tuple[Level, ...]


@dataclass(frozen=True)
class LevelOverride:
    """A playbook's replacement for parts of one scale level."""

    notify: tuple[Ident, ...] | None = None
    approvals: tuple[Ident, ...] | None = None
    targets: Targets = Targets()


@dataclass(frozen=True)
class Fact:
    """A fact templates may use; asked for when the incident lacks it."""

    label: Annotated[Text, Doc("The question asked to fill it in")]
    example: Annotated[Text, Doc("A sample value used to validate the templates")]


@dataclass(frozen=True)
class Effect:
    """What an answer does to the severity, and why."""

    reason: Annotated[Text, Doc("Shown to the responder as the reason for the severity")]
    floor: Annotated[Ident | None, Doc("The severity is at least this level")] = None
    score: Annotated[int, Doc("Added to the assessment's score")] = 0


@dataclass(frozen=True)
class Option:
    """One answer of a choice question."""

    id: Ident
    label: Text
    reason: Text
    floor: Ident | None = None
    score: int = 0


@dataclass(frozen=True)
class Band:
    """A range of a number question: from `min` up to the next band's `min`."""

    min: int
    reason: Text
    floor: Ident | None = None
    score: int = 0


@dataclass(frozen=True)
class Question:
    """A scope question whose answer can raise the severity."""

    id: Ident
    text: Text
    type: QuestionType
    help: Text | None = None
    if_yes: Effect | None = None
    if_no: Effect | None = None
    options: tuple[Option, ...] = ()
    bands: tuple[Band, ...] = ()


@dataclass(frozen=True)
class Step:
    """A runbook step: a checklist item with an owning role."""

    id: Ident
    title: Text
    owner: Ident
    severities: Annotated[tuple[Ident, ...], Doc("Levels it applies to; empty means all")] = ()
    details: Text | None = None


@dataclass(frozen=True)
class Template:
    """A response template, one Jinja2 file per locale."""

    id: Ident
    title: Text
    channel: Channel
    audience: Audience
    files: Annotated[dict[Locale, Text], Doc("Locale -> file, relative to playbooks/")]
    limit: Annotated[int | None, Doc("Character limit (default: the channel's)")] = None
    needs: Annotated[tuple[FactId, ...], Doc("Facts the template uses")] = ()


@dataclass(frozen=True)
class Rule:
    """A content rule for drafts: what a statement must say, or must never say."""

    id: Ident
    text: Annotated[Text, Doc("The rule as shown to the responder when a draft breaks it")]
    audiences: Annotated[tuple[Audience, ...], Doc("Audiences it applies to; empty means all")] = ()
    channels: Annotated[tuple[Channel, ...], Doc("Channels it applies to; empty means all")] = ()
    require_any: Annotated[
        tuple[Text, ...],
        Doc("The draft contains at least one; {link}, {org.website}, {org.press_email} expand"),
    ] = ()
    forbid: Annotated[tuple[Text, ...], Doc("Words or phrases that must not appear")] = ()
    forbid_people: Annotated[bool, Doc("No full name of a person in the roster may appear")] = False


@dataclass(frozen=True)
class Playbook:
    """`playbooks/<id>.yaml`: how to handle one type of crisis."""

    kind: Literal["playbook"]
    id: Ident
    title: Text
    summary: Text
    owner: Annotated[Ident, Doc("Role that maintains the playbook")]
    reviewed: Day
    questions: tuple[Question, ...]
    steps: tuple[Step, ...]
    templates: tuple[Template, ...]
    review_every: Duration = timedelta(days=365)
    clocks: tuple[ClockId, ...] = ()
    levels: dict[Ident, LevelOverride] = field(default_factory=dict)
    facts: Annotated[dict[FactId, Fact], Doc("Facts templates use, by id")] = field(
        default_factory=dict
    )
    scores: Annotated[dict[Ident, int], Doc("Level -> total score that reaches it")] = field(
        default_factory=dict
    )
    rules: Annotated[tuple[Rule, ...], Doc("Content rules every draft is checked against")] = ()

    def level(self, scale: Scale, level_id: str) -> Level:
        """A scale level with this playbook's overrides applied."""
        base = next(level for level in scale.levels if level.id == level_id)
        override = self.levels.get(level_id)
        if override is None:
            return base
        targets = Targets(
            acknowledge=override.targets.acknowledge or base.targets.acknowledge,
            first_statement=override.targets.first_statement or base.targets.first_statement,
            update_every=override.targets.update_every or base.targets.update_every,
        )
        return replace(
            base,
            notify=base.notify if override.notify is None else override.notify,
            approvals=base.approvals if override.approvals is None else override.approvals,
            targets=targets,
        )
