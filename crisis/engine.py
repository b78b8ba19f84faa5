"""What a responder can do to an incident: each action checks its input, then appends one event."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from crisis import assessment, clocks
from crisis.catalog import Catalog
from crisis.codec import Entry
from crisis.incident import LESSONS, OUTCOMES, Incident, Replay
from crisis.model import Contacts, Playbook, Scale
from crisis.problems import CrisisError
from crisis.schema import did_you_mean


def incident_id(now: datetime) -> str:
    """A short incident id that people can read out on the phone: INC-20261122-3FA9C2."""
    return f"INC-{now:%Y%m%d}-{secrets.token_hex(3).upper()}"


class UsageError(CrisisError):
    """Input that names something that does not exist or cannot be done; nothing was written."""


class Store(Protocol):
    """The journal operations the engine needs."""

    def append(
        self,
        incident: str,
        *,
        kind: str,
        text: str,
        data: dict[str, Any],
        actor: str,
        tz: str,
        ts: datetime,
    ) -> Any: ...

    def append_many(
        self, incident: str, entries: Iterable[Entry], *, after: int | None = None
    ) -> Any: ...

    def events(self, incident: str, after: int = 0) -> Any: ...

    def incidents(self) -> list[str]: ...

    def head(self, incident: str) -> tuple[int, str] | None: ...


@dataclass(frozen=True)
class Desk:
    """A responder at work: the checked playbooks, the journal, who they are and the clock."""

    catalog: Catalog
    journal: Store
    actor: str
    tz: str
    clock: Callable[[], datetime]
    new_id: Callable[[datetime], str] = incident_id
    replays: dict[str, Replay] = field(default_factory=dict, compare=False, repr=False)
    """Each incident folded so far, so that reading it again reads only the new events."""

    @property
    def scale(self) -> Scale:
        assert self.catalog.scale is not None
        return self.catalog.scale.value

    @property
    def roster(self) -> Contacts:
        assert self.catalog.contacts is not None
        return self.catalog.contacts.value

    def record(self, incident: str, kind: str, text: str, data: dict[str, Any]) -> Any:
        """Append one event, stamped now, by this responder; returns once it is committed."""
        return self.journal.append(
            incident,
            kind=kind,
            text=text,
            data=data,
            actor=self.actor,
            tz=self.tz,
            ts=self.clock(),
        )

    def record_many(
        self,
        incident: str,
        items: Sequence[tuple[str, str, dict[str, Any]]],
        after: int | None = None,
    ) -> Any:
        """Append events in one transaction, all or none; with `after`, only onto that head."""
        now = self.clock()
        entries = [Entry(kind, text, self.actor, self.tz, now, data) for kind, text, data in items]
        return self.journal.append_many(incident, entries, after=after)

    def incident(self, incident_id: str) -> Incident:
        """The current state of an incident, or a UsageError naming the known ones."""
        replay = self.replays.get(incident_id)
        if replay is None:
            events = iter(self.journal.events(incident_id))
            first = next(events, None)
            if first is None:
                known = self.journal.incidents()
                hint = did_you_mean(incident_id, known)
                raise UsageError(f"no incident '{incident_id}'; {hint}")
            replay = self.replays[incident_id] = Replay(incident_id, first)
        else:
            events = iter(self.journal.events(incident_id, after=replay.head[0]))
        for event in events:
            replay.add(event)
        return replay.state()

    def playbook_of(self, incident: Incident) -> Playbook:
        return self.catalog.playbook(incident.playbook)

    def declare(
        self,
        playbook_id: str,
        title: str,
        aware_at: datetime | None,
        facts: Mapping[str, str],
        exercise: bool = False,
    ) -> Incident:
        """Open a new incident under a playbook; its id is printed for every later command."""
        try:
            book = self.catalog.playbook(playbook_id)
        except CrisisError as error:
            raise UsageError(str(error)) from None
        if not title.strip():
            raise UsageError("--title must not be empty")
        now = self.clock()
        if aware_at is not None and aware_at > now:
            raise UsageError(f"--aware-at {aware_at.isoformat()} is in the future")
        for key in facts:
            if key not in book.facts:
                raise UsageError(f"unknown fact '{key}'; {did_you_mean(key, book.facts)}")
        known = set(self.journal.incidents())
        new = self.new_id(now)
        for _ in range(100):
            if new not in known:
                break
            new = self.new_id(now)
        else:
            raise UsageError(f"no free incident id: '{new}' and 99 more are taken")
        data = {
            "playbook": book.id,
            "aware_at": (aware_at or now).isoformat(),
            "exercise": exercise,
            "facts": dict(facts),
        }
        self.record(new, "declared", title.strip(), data)
        return self.incident(new)

    def assess(self, incident_id: str, answers: Mapping[str, str]) -> assessment.Assessment:
        """Record answers to scope questions and the severity they give, with its reasons."""
        state = self._open(incident_id)
        book = self.playbook_of(state)
        questions = {question.id: question for question in book.questions}
        parsed: dict[str, str | int] = {}
        for key, text in answers.items():
            if key not in questions:
                raise UsageError(f"unknown question '{key}'; {did_you_mean(key, questions)}")
            try:
                parsed[key] = assessment.parse_answer(questions[key], text)
            except ValueError as error:
                raise UsageError(str(error)) from None
        result = assessment.assess(book, self.scale, {**state.answers, **parsed})
        reasons = [reason.text for reason in result.reasons]
        data = {"answers": parsed, "level": result.level, "score": result.score, "reasons": reasons}
        self.record(incident_id, "assessed", f"severity {result.level}", data)
        return result

    def override(self, incident_id: str, level: str, reason: str) -> None:
        """Set the severity by hand; the written reason is required and kept."""
        self._open(incident_id)
        levels = [item.id for item in self.scale.levels]
        if level not in levels:
            raise UsageError(f"unknown severity level '{level}'; {did_you_mean(level, levels)}")
        if not reason.strip():
            raise UsageError("an override needs a written --reason")
        self.record(incident_id, "severity", reason.strip(), {"level": level})

    def notify(self, incident_id: str, role: str, person: str, outcome: str, note: str) -> None:
        """Record one attempt to reach a role holder, and how it went."""
        self._open(incident_id)
        roles = self.roster.roles
        if role not in roles:
            raise UsageError(f"unknown role '{role}'; {did_you_mean(role, roles)}")
        holders = (roles[role].primary, *roles[role].backups)
        if person not in holders:
            hint = did_you_mean(person, holders)
            raise UsageError(f"'{person}' does not hold the role '{role}'; {hint}")
        if outcome not in OUTCOMES:
            raise UsageError(f"unknown outcome '{outcome}'; {did_you_mean(outcome, OUTCOMES)}")
        data = {"role": role, "person": person, "outcome": outcome}
        self.record(incident_id, "notified", note.strip(), data)

    def note(self, incident_id: str, text: str) -> None:
        """Log a free-text note."""
        self._open(incident_id)
        if not text.strip():
            raise UsageError("a note must not be empty")
        self.record(incident_id, "note", text.strip(), {})

    def step(self, incident_id: str, step_id: str) -> None:
        """Tick a runbook step as done."""
        state = self._open(incident_id)
        steps = [step.id for step in self.playbook_of(state).steps]
        if step_id not in steps:
            raise UsageError(f"unknown step '{step_id}'; {did_you_mean(step_id, steps)}")
        if step_id in state.steps_done:
            raise UsageError(f"step '{step_id}' is already done")
        self.record(incident_id, "step", step_id, {"step": step_id, "status": "done"})

    def close(
        self,
        incident_id: str,
        summary: str,
        lessons: Mapping[str, str],
        follow_ups: Sequence[tuple[str, str]] = (),
    ) -> None:
        """Close the incident with a summary, lessons learned and follow-up actions with owners."""
        self._open(incident_id)
        if not summary.strip():
            raise UsageError("closing needs a --summary")
        unknown = sorted(set(lessons) - set(LESSONS))
        if unknown:
            raise UsageError(f"unknown lesson '{unknown[0]}'; {did_you_mean(unknown[0], LESSONS)}")
        owners = {**self.roster.roles, **self.roster.people}
        actions = []
        for owner, action in follow_ups:
            if owner not in owners:
                raise UsageError(f"unknown owner '{owner}'; {did_you_mean(owner, owners)}")
            if not action.strip():
                raise UsageError(f"the follow-up for '{owner}' has no action")
            actions.append({"owner": owner, "action": action.strip()})
        data = {
            "lessons": {k: v.strip() for k, v in lessons.items() if v.strip()},
            "follow_ups": actions,
        }
        self.record(incident_id, "closed", summary.strip(), data)

    def correct(self, incident_id: str, ref: int, text: str, redact: bool = False) -> None:
        """Correct or redact an earlier event by a new one that refers to it; nothing is edited."""
        state = self.incident(incident_id)
        if not 1 <= ref <= state.head[0]:
            raise UsageError(f"{incident_id} has events 1 to {state.head[0]}, not {ref}")
        if not text.strip():
            raise UsageError("a correction needs the corrected text or the reason to redact")
        if redact and any(c.seq == ref and c.redact for c in state.corrections):
            raise UsageError(
                f"event {ref} is a redaction, which cannot itself be redacted: an export could "
                "then not show why the event it hides is hidden; correct it with a note instead"
            )
        self.record(incident_id, "correction", text.strip(), {"ref": ref, "redact": redact})

    def mark_clock(self, incident_id: str, clock_id: str, duty: str, at: datetime | None) -> str:
        """Record a regulatory clock's trigger (`started`) or a duty reported; returns the duty."""
        state = self._open(incident_id)
        enabled = self.playbook_of(state).clocks
        if clock_id not in enabled:
            shown = ", ".join(enabled) or "none"
            raise UsageError(f"clock '{clock_id}' is not enabled in {state.playbook} ({shown})")
        names = {clocks.slug(name): name for name in clocks.DUTIES[clock_id]}
        if clocks.RULES[clock_id].trigger != "awareness":
            names[clocks.STARTED] = clocks.STARTED
        key = clocks.slug(duty)
        if key not in names:
            raise UsageError(f"'{duty}' is not a duty of {clock_id}; {did_you_mean(key, names)}")
        moment = at or self.clock()
        if moment > self.clock():
            raise UsageError(f"--at {moment.isoformat()} is in the future")
        if state.clock_mark(clock_id, names[key]) is not None:
            raise UsageError(f"{clock_id} '{names[key]}' is already recorded")
        data = {"clock": clock_id, "duty": names[key], "at": moment.isoformat()}
        self.record(incident_id, "clock", f"{clock_id}: {names[key]}", data)
        return names[key]

    def open_incident(self, incident_id: str) -> Incident:
        """The incident's state, refusing one that is closed."""
        return self._open(incident_id)

    def _open(self, incident_id: str) -> Incident:
        state = self.incident(incident_id)
        if not state.is_open:
            raise UsageError(f"incident {incident_id} is closed")
        return state
