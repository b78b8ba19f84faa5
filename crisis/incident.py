"""An incident's state, derived only by folding its journal events, oldest first."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

OUTCOMES = ("reached", "no-answer", "left-message", "acknowledged")


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


@dataclass(frozen=True)
class SeverityChange:
    """The severity set at a time, by an assessment or an override with its written reason."""

    at: datetime
    level: str
    by: str
    reasons: tuple[str, ...]
    override: bool = False


@dataclass(frozen=True)
class Attempt:
    """One try to reach a person for a role, and how it went."""

    at: datetime
    role: str
    person: str
    outcome: str
    by: str
    note: str = ""


@dataclass(frozen=True)
class Note:
    """A free-text log entry."""

    at: datetime
    by: str
    text: str


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
    closed_at: datetime | None = None
    summary: str = ""
    lessons: Mapping[str, str] = field(default_factory=dict)
    follow_ups: tuple[Mapping[str, str], ...] = ()
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
        return next(
            (a for a in self.attempts if a.role == role and a.outcome == "acknowledged"), None
        )

    def tried(self, role: str) -> tuple[Attempt, ...]:
        """Every attempt made for a role, oldest first."""
        return tuple(a for a in self.attempts if a.role == role)


class FoldError(Exception):
    """A journal whose first event does not declare an incident."""


def _declared(event: EventLike, incident_id: str) -> Incident:
    data = event.data
    if event.kind != "declared":
        raise FoldError(f"incident {incident_id} does not start with a declaration")
    return Incident(
        id=incident_id,
        playbook=str(data["playbook"]),
        title=event.text,
        declared_at=event.ts,
        aware_at=datetime.fromisoformat(str(data.get("aware_at") or event.ts.isoformat())),
        declared_by=event.actor,
        exercise=bool(data.get("exercise", False)),
        facts=dict(data.get("facts", {})),
    )


def apply(state: Incident, event: EventLike) -> Incident:
    """The state after one more event; unknown kinds change only the head."""
    data = event.data
    kind = event.kind
    if kind == "fact":
        state = replace(state, facts={**state.facts, str(data["key"]): str(data["value"])})
    elif kind == "assessed":
        answers = {**state.answers, **data["answers"]}
        change = SeverityChange(event.ts, data["level"], event.actor, tuple(data["reasons"]))
        state = replace(state, answers=answers, severity_history=(*state.severity_history, change))
    elif kind == "severity":
        change = SeverityChange(event.ts, data["level"], event.actor, (event.text,), True)
        state = replace(state, severity_history=(*state.severity_history, change))
    elif kind == "notified":
        attempt = Attempt(
            event.ts, data["role"], data["person"], data["outcome"], event.actor, event.text
        )
        state = replace(state, attempts=(*state.attempts, attempt))
    elif kind == "step":
        state = replace(state, steps_done={**state.steps_done, str(data["step"]): event.ts})
    elif kind == "note":
        state = replace(state, notes=(*state.notes, Note(event.ts, event.actor, event.text)))
    elif kind == "closed":
        state = replace(
            state,
            closed_at=event.ts,
            summary=event.text,
            lessons=dict(data.get("lessons", {})),
            follow_ups=tuple(data.get("follow_ups", ())),
        )
    return state


def fold(incident_id: str, events: Iterable[Any]) -> Incident:
    """Fold an incident's events, oldest first, into its state, in time linear in their number."""
    iterator = iter(events)
    first = next(iterator, None)
    if first is None:
        raise FoldError(f"no events for incident {incident_id}")
    state = _declared(first, incident_id)
    collected: dict[str, list[Any]] = {"severity_history": [], "attempts": [], "notes": []}
    last = first
    for event in iterator:
        last = event
        if event.kind in ("assessed", "severity", "notified", "note"):
            # Collect the growing tuples in lists so a long journal does not fold in n² time.
            probe = apply(replace(state, severity_history=(), attempts=(), notes=()), event)
            for name, items in collected.items():
                items.extend(getattr(probe, name))
            state = replace(
                probe,
                severity_history=state.severity_history,
                attempts=state.attempts,
                notes=state.notes,
            )
        else:
            state = apply(state, event)
    state = replace(
        state,
        severity_history=tuple(collected["severity_history"]),
        attempts=tuple(collected["attempts"]),
        notes=tuple(collected["notes"]),
    )
    return replace(state, head=(last.seq, getattr(last, "hash", "")))
