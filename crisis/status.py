"""Where an incident stands now: who is still to be reached, what approvals apply, what is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from crisis import clocks
from crisis.drafts import Publication, statements
from crisis.incident import Incident
from crisis.model import Contacts, Playbook, Scale

EVERY_AUDIENCE = ("public", "regulator", "internal")


@dataclass(frozen=True)
class RoleStatus:
    """One role the severity requires: whether it is covered, and whom to try next."""

    role: str
    title: str
    required_since: datetime
    acknowledged_by: str | None
    tried: tuple[str, ...]
    next_person: str | None
    due: datetime | None


@dataclass(frozen=True)
class Due:
    """A deadline with what it is for and where it comes from."""

    what: str
    due: datetime
    source: str = ""
    met_at: datetime | None = None


@dataclass(frozen=True)
class DraftStatus:
    """A draft's latest version, where it stands, and whose approval it waits for."""

    id: str
    template: str
    locale: str
    channel: str
    version: int
    stage: str
    next_role: str | None
    approved_by: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Status:
    """The incident as the responder needs to see it at a glance."""

    incident: Incident
    level: str | None
    level_name: str
    roles: tuple[RoleStatus, ...]
    approvals: tuple[str, ...]
    deadlines: tuple[Due, ...]
    now: datetime
    waiting: tuple[str, ...] = ()
    drafts: tuple[DraftStatus, ...] = ()
    overrides: tuple[Publication, ...] = ()

    @property
    def awaiting(self) -> tuple[DraftStatus, ...]:
        """Drafts whose latest version waits for an approval."""
        return tuple(draft for draft in self.drafts if draft.stage == "awaiting")

    @property
    def unreached(self) -> tuple[RoleStatus, ...]:
        return tuple(role for role in self.roles if role.acknowledged_by is None)

    @property
    def pending(self) -> tuple[Due, ...]:
        """Deadlines not yet met, earliest first."""
        return tuple(due for due in self.deadlines if due.met_at is None)

    @property
    def overdue(self) -> tuple[Due, ...]:
        """Deadlines not met whose time has passed."""
        return tuple(due for due in self.pending if due.due < self.now)


def required_since(incident: Incident, book: Playbook, scale: Scale) -> dict[str, datetime]:
    """When each role was first required by the severity set at that time."""
    since: dict[str, datetime] = {}
    seen: set[str] = set()
    for change in incident.severity_history:
        if change.level not in seen:  # a level met again requires no role it did not before
            seen.add(change.level)
            for role in book.level(scale, change.level).notify:
                since.setdefault(role, change.at)
    return since


def status(
    incident: Incident,
    book: Playbook,
    scale: Scale,
    roster: Contacts,
    now: datetime,
    zone: str = "UTC",
) -> Status:
    """Derive the status at `now` from the incident's state and its playbook."""
    level_id = incident.severity
    level = book.level(scale, level_id) if level_id else None
    since = required_since(incident, book, scale)
    roles: list[RoleStatus] = []
    for role_id in level.notify if level else ():
        role = roster.roles[role_id]
        ack = incident.acknowledged(role_id)
        tried = tuple(attempt.person for attempt in incident.tried(role_id))
        target = level.targets.acknowledge if level else None
        due = since[role_id] + target if target else None
        holders = (role.primary, *role.backups)
        untried = [person for person in holders if person not in tried]
        overdue = due is not None and now > due
        if ack is not None:
            next_person = None
        elif not tried:
            next_person = role.primary
        elif overdue and untried:
            next_person = untried[0]
        else:
            next_person = tried[-1]
        roles.append(
            RoleStatus(
                role_id,
                role.title,
                since[role_id],
                ack.person if ack else None,
                tried,
                next_person,
                due,
            )
        )
    deadlines: list[Due] = [
        Due(f"{r.role} acknowledges", r.due) for r in roles if r.due and not r.acknowledged_by
    ]
    published = statements(incident.drafts)
    if level is not None and level.targets.first_statement is not None:
        first = published[0].at if published else None
        due_at = incident.aware_at + level.targets.first_statement
        deadlines.append(Due("first public statement", due_at, met_at=first))
    if level is not None and level.targets.update_every and published and incident.is_open:
        deadlines.append(Due("public update", published[-1].at + level.targets.update_every))
    required = level.approvals if level else None
    drafts = []
    for draft in incident.drafts.values():
        chain = draft.chain(required)
        drafts.append(
            DraftStatus(
                draft.id,
                draft.template,
                draft.locale,
                draft.channel,
                draft.latest.number,
                draft.stage(required),
                chain.next_role,
                tuple((a.role, a.person) for a in chain.approvals if a is not None),
            )
        )
    waiting: list[str] = []
    for clock_id in book.clocks:
        start = incident.aware_at
        if clocks.RULES[clock_id].trigger != "awareness":
            mark = incident.clock_mark(clock_id, clocks.STARTED)
            if mark is None:
                waiting.append(f"{clock_id} starts at the {clocks.RULES[clock_id].trigger}")
                continue
            start = mark.at
        notification = incident.clock_mark(clock_id, "incident notification")
        notified_at = notification.at if notification else None
        for deadline in clocks.deadlines(clock_id, start, zone, notified_at=notified_at):
            reported = incident.clock_mark(clock_id, deadline.duty)
            what = f"{deadline.duty} ({clock_id})"
            met = reported.at if reported else None
            deadlines.append(Due(what, deadline.due, deadline.source, met))
    deadlines.sort(key=lambda item: item.due)
    return Status(
        incident=incident,
        level=level_id,
        level_name=level.name if level else "not assessed",
        roles=tuple(roles),
        approvals=level.approvals if level else (),
        deadlines=tuple(deadlines),
        now=now,
        waiting=tuple(waiting),
        drafts=tuple(drafts),
        overrides=tuple(p for p in statements(incident.drafts, EVERY_AUDIENCE) if p.override),
    )


def as_json(current: Status, now: datetime) -> dict[str, Any]:
    """The status as plain data for `--json`."""

    def left(due: datetime) -> int:
        return int((due - now) / timedelta(seconds=1))

    return {
        "incident": current.incident.id,
        "title": current.incident.title,
        "playbook": current.incident.playbook,
        "open": current.incident.is_open,
        "severity": current.level,
        "severity_name": current.level_name,
        "roles": [
            {
                "role": r.role,
                "acknowledged_by": r.acknowledged_by,
                "tried": list(r.tried),
                "next": r.next_person,
                "due": r.due.isoformat() if r.due else None,
            }
            for r in current.roles
        ],
        "approvals_required": list(current.approvals),
        "waiting": list(current.waiting),
        "overdue": [d.what for d in current.overdue],
        "deadlines": [
            {
                "what": d.what,
                "due": d.due.isoformat(),
                "seconds_left": left(d.due),
                "source": d.source,
                "met_at": d.met_at.isoformat() if d.met_at else None,
            }
            for d in current.deadlines
        ],
        "drafts": [
            {
                "draft": d.id,
                "template": d.template,
                "locale": d.locale,
                "version": d.version,
                "stage": d.stage,
                "next_role": d.next_role,
                "approved_by": [{"role": role, "person": person} for role, person in d.approved_by],
            }
            for d in current.drafts
        ],
        "emergency_overrides": [
            {"at": p.at.isoformat(), "channel": p.channel, "reason": p.override, "by": p.by}
            for p in current.overrides
        ],
        "head": {"seq": current.incident.head[0], "hash": current.incident.head[1]},
    }
