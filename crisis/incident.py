"""An incident's state, derived only by folding its journal events, oldest first."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, Protocol

from crisis.drafts import KINDS as DRAFT_KINDS
from crisis.drafts import Draft, DraftLog

OUTCOMES = ("reached", "no-answer", "left-message", "acknowledged")
LESSONS = ("went_well", "went_wrong", "lucky")


class EventLike(Protocol):
    """What the fold reads of a journal event."""

    @property
    def seq(self) -> int: ...
    @property
    def ts(self) -> datetime: ...
    @property
    def actor(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def data(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True, init=False)
class SeverityChange:
    """The severity set at a time, by an assessment or an override with its written reason."""

    at: datetime
    level: str
    by: str
    reasons: tuple[str, ...]
    override: bool = False

    def __init__(
        self, at: datetime, level: str, by: str, reasons: tuple[str, ...], override: bool = False
    ) -> None:
        """Set the fields in one step, as a long incident makes many of these."""
        self.__dict__.update(at=at, level=level, by=by, reasons=reasons, override=override)


@dataclass(frozen=True, init=False)
class Attempt:
    """One try to reach a person for a role, and how it went."""

    at: datetime
    role: str
    person: str
    outcome: str
    by: str
    note: str = ""

    def __init__(
        self, at: datetime, role: str, person: str, outcome: str, by: str, note: str = ""
    ) -> None:
        """Set the fields in one step, as a long incident makes many of these."""
        self.__dict__.update(at=at, role=role, person=person, outcome=outcome, by=by, note=note)


@dataclass(frozen=True, init=False)
class Note:
    """A free-text log entry."""

    seq: int
    at: datetime
    by: str
    text: str

    def __init__(self, seq: int, at: datetime, by: str, text: str) -> None:
        """Set the fields in one step, as a long incident makes many of these."""
        self.__dict__.update(seq=seq, at=at, by=by, text=text)


@dataclass(frozen=True)
class Correction:
    """A later event that corrects or redacts an earlier one, which itself stays untouched."""

    seq: int
    at: datetime
    by: str
    ref: int
    text: str
    redact: bool = False


@dataclass(frozen=True)
class FollowUp:
    """An action to take after the incident, with its owner."""

    owner: str
    action: str


@dataclass(frozen=True)
class ClockMark:
    """A regulatory clock event: a trigger (materiality determined) or a duty reported."""

    at: datetime
    clock: str
    duty: str
    by: str


@dataclass(frozen=True)
class Incident:
    """The whole state of one incident, as its events say it is."""

    id: str
    playbook: str
    title: str
    declared_at: datetime
    aware_at: datetime
    declared_by: str
    exercise: bool = False
    facts: Mapping[str, str] = field(default_factory=dict)
    answers: Mapping[str, str | int] = field(default_factory=dict)
    severity_history: tuple[SeverityChange, ...] = ()
    attempts: tuple[Attempt, ...] = ()
    steps_done: Mapping[str, datetime] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()
    corrections: tuple[Correction, ...] = ()
    clock_marks: tuple[ClockMark, ...] = ()
    closed_at: datetime | None = None
    summary: str = ""
    lessons: Mapping[str, str] = field(default_factory=dict)
    follow_ups: tuple[FollowUp, ...] = ()
    drafts: Mapping[str, Draft] = field(default_factory=dict)
    head: tuple[int, str] = (0, "")

    @property
    def severity(self) -> str | None:
        """The current severity level id, if one has been set."""
        return self.severity_history[-1].level if self.severity_history else None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def acknowledged(self, role: str) -> Attempt | None:
        """The attempt at which the role acknowledged, if it has."""
        return next((a for a in self.tried(role) if a.outcome == "acknowledged"), None)

    def tried(self, role: str) -> tuple[Attempt, ...]:
        """Every attempt made for a role, oldest first."""
        return self._roles.get(role, ())

    @cached_property
    def _roles(self) -> dict[str, tuple[Attempt, ...]]:
        """The attempts by role, sorted out once: a long incident has many, and few roles."""
        roles: dict[str, list[Attempt]] = {}
        for attempt in self.attempts:
            roles.setdefault(attempt.role, []).append(attempt)
        return {role: tuple(attempts) for role, attempts in roles.items()}

    def clock_mark(self, clock: str, duty: str) -> ClockMark | None:
        """When a clock's trigger or duty was recorded, if it was."""
        return next((m for m in self.clock_marks if m.clock == clock and m.duty == duty), None)


class FoldError(Exception):
    """A journal whose first event does not declare an incident."""


class Replay:
    """An incident being replayed event by event; `state()` freezes what it has so far."""

    def __init__(self, incident_id: str, first: EventLike) -> None:
        if first.kind != "declared":
            raise FoldError(f"incident {incident_id} does not start with a declaration")
        data = first.data
        self.id = incident_id
        self.playbook = str(data["playbook"])
        self.title = first.text
        self.declared_at = first.ts
        self.aware_at = datetime.fromisoformat(str(data.get("aware_at") or first.ts.isoformat()))
        self.declared_by = first.actor
        self.exercise = bool(data.get("exercise", False))
        self.facts: dict[str, str] = dict(data.get("facts", {}))
        self.answers: dict[str, str | int] = {}
        self.severity_history: list[SeverityChange] = []
        self.attempts: list[Attempt] = []
        self.steps_done: dict[str, datetime] = {}
        self.notes: list[Note] = []
        self.corrections: list[Correction] = []
        self.clock_marks: list[ClockMark] = []
        self.closed_at: datetime | None = None
        self.summary = ""
        self.lessons: dict[str, str] = {}
        self.follow_ups: list[FollowUp] = []
        self.drafts = DraftLog()
        self.last = first
        self._handlers = {kind: getattr(self, name) for kind, name in _HANDLERS.items()}

    @property
    def head(self) -> tuple[int, str]:
        """The seq and hash of the last event added."""
        return (self.last.seq, str(getattr(self.last, "hash", "")))

    def add(self, event: EventLike) -> None:
        """Take one more event into account; kinds this version does not know change nothing."""
        kind = event.kind
        handler = self._handlers.get(kind)
        if handler is not None:
            handler(event, event.data)
        elif kind in DRAFT_KINDS:
            self.drafts.add(kind, event)
        self.last = event

    def fact(self, event: EventLike, data: Mapping[str, Any]) -> None:
        self.facts[str(data["key"])] = str(data["value"])

    def assessed(self, event: EventLike, data: Mapping[str, Any]) -> None:
        self.answers.update(data["answers"])
        reasons = tuple(data["reasons"])
        self.changed(SeverityChange(event.ts, data["level"], event.actor, reasons))

    def severity(self, event: EventLike, data: Mapping[str, Any]) -> None:
        self.changed(SeverityChange(event.ts, data["level"], event.actor, (event.text,), True))

    def changed(self, change: SeverityChange) -> None:
        """Keep a change of severity; a fold that keeps less (for an export) overrides this."""
        self.severity_history.append(change)

    def notified(self, event: EventLike, data: Mapping[str, Any]) -> None:
        role, person, outcome = data["role"], data["person"], data["outcome"]
        self.attempted(Attempt(event.ts, role, person, outcome, event.actor, event.text))

    def attempted(self, attempt: Attempt) -> None:
        """Keep an attempt to reach someone; a fold that keeps less overrides this."""
        self.attempts.append(attempt)

    def step(self, event: EventLike, data: Mapping[str, Any]) -> None:
        self.steps_done[str(data["step"])] = event.ts

    def note(self, event: EventLike, data: Mapping[str, Any]) -> None:
        self.noted(Note(event.seq, event.ts, event.actor, event.text))

    def noted(self, note: Note) -> None:
        """Keep a note; a fold that keeps less overrides this."""
        self.notes.append(note)

    def correction(self, event: EventLike, data: Mapping[str, Any]) -> None:
        redact = bool(data.get("redact", False))
        fix = Correction(event.seq, event.ts, event.actor, int(data["ref"]), event.text, redact)
        self.corrections.append(fix)

    def clock(self, event: EventLike, data: Mapping[str, Any]) -> None:
        at = datetime.fromisoformat(str(data["at"])) if data.get("at") else event.ts
        self.clock_marks.append(ClockMark(at, str(data["clock"]), str(data["duty"]), event.actor))

    def closed(self, event: EventLike, data: Mapping[str, Any]) -> None:
        self.closed_at = event.ts
        self.summary = event.text
        self.lessons = {k: str(v) for k, v in data.get("lessons", {}).items()}
        self.follow_ups = [
            FollowUp(str(f["owner"]), str(f["action"])) for f in data.get("follow_ups", ())
        ]

    def state(self) -> Incident:
        """The incident as of the last event added, as a frozen value."""
        return Incident(
            id=self.id,
            playbook=self.playbook,
            title=self.title,
            declared_at=self.declared_at,
            aware_at=self.aware_at,
            declared_by=self.declared_by,
            exercise=self.exercise,
            facts=dict(self.facts),
            answers=dict(self.answers),
            severity_history=tuple(self.severity_history),
            attempts=tuple(self.attempts),
            steps_done=dict(self.steps_done),
            notes=tuple(self.notes),
            corrections=tuple(self.corrections),
            clock_marks=tuple(self.clock_marks),
            closed_at=self.closed_at,
            summary=self.summary,
            lessons=dict(self.lessons),
            follow_ups=tuple(self.follow_ups),
            drafts=self.drafts.freeze(),
            head=self.head,
        )


_HANDLERS = {
    kind: kind
    for kind in (
        "fact", "assessed", "severity", "notified", "step", "note", "correction", "clock", "closed"
    )
}  # fmt: skip
"""The kinds a replay folds, each with its method of the same name."""


def fold(incident_id: str, events: Iterable[EventLike]) -> Incident:
    """Fold an incident's events, oldest first, into its state, in time linear in their number."""
    iterator = iter(events)
    first = next(iterator, None)
    if first is None:
        raise FoldError(f"no events for incident {incident_id}")
    state = Replay(incident_id, first)
    add = state.add
    for event in iterator:
        add(event)
    return state.state()
