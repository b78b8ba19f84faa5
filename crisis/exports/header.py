"""The export's header: everything a review needs, as plain JSON values, from the journal alone."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from crisis import __version__
from crisis.drafts import Draft, statements
from crisis.exports.clockface import Clockface
from crisis.incident import Attempt, Incident, SeverityChange
from crisis.model import Contacts, Playbook, Scale
from crisis.status import required_since, status
from crisis.values import duration_text

FORMAT = "crisis-incident-export"
SCHEMA_VERSION = 1
Json = dict[str, Any]


def _span(delta: timedelta | None) -> Json:
    if delta is None:
        return {"seconds": None, "text": None}
    seconds = int(delta.total_seconds())
    return {"seconds": seconds, "text": duration_text(timedelta(seconds=max(seconds, 0)))}


def _metric(
    what: str, start: datetime, at: datetime | None, target: timedelta | None, when: Clockface
) -> Json:
    taken = at - start if at is not None else None
    met = None if taken is None or target is None else taken <= target
    return {
        "what": what,
        "from": when(start),
        "at": when(at),
        "took": _span(taken),
        "target": _span(target),
        "met": met,
    }


def _approvals(draft: Draft, version: int, when: Clockface) -> list[Json]:
    return [
        {
            "role": v.role,
            "person": v.person,
            "at": when(v.at),
            "comment": v.comment,
            "sha256": v.sha256,
        }
        for v in draft.verdicts
        if v.approved and v.version == version
    ]


def change_item(change: SeverityChange, names: Mapping[str, str], when: Clockface) -> Json:
    """A change of severity as the header's history shows it."""
    return {
        "at": when(change.at),
        "level": change.level,
        "name": names.get(change.level, change.level),
        "by": change.by,
        "override": change.override,
        "reasons": list(change.reasons),
    }


def attempt_item(attempt: Attempt, when: Clockface) -> Json:
    """An attempt to reach someone as the header's notifications show it."""
    return {
        "at": when(attempt.at),
        "person": attempt.person,
        "outcome": attempt.outcome,
        "by": attempt.by,
        "note": attempt.note,
    }


def build(
    incident: Incident,
    book: Playbook,
    scale: Scale,
    roster: Contacts,
    zone: str,
    now: datetime,
    profile: str,
    lists: tuple[Iterable[Json], Mapping[str, Iterable[Json]]] | None = None,
) -> Json:
    """The header of an export, before redaction; times are as of closing, or `now` if open.

    `lists` are the severity history and each role's attempts if they were kept elsewhere (see
    `digest`); else they are made from the incident."""
    when = Clockface(ZoneInfo(zone))
    as_of = incident.closed_at or now
    current = status(incident, book, scale, roster, as_of, zone)
    names = {level.id: level.name for level in scale.levels}
    history = incident.severity_history
    if lists is None:
        changes: Iterable[Json] = [change_item(change, names, when) for change in history]
        tries: Mapping[str, Iterable[Json]] = {
            role: [attempt_item(a, when) for a in incident.tried(role)]
            for role in {a.role for a in incident.attempts}
        }
    else:
        changes, tries = lists
    level = book.level(scale, incident.severity) if incident.severity else None
    head_seq, head_hash = incident.head
    metrics = [
        _metric("declared", incident.aware_at, incident.declared_at, None, when),
        _metric(
            "first severity", incident.aware_at, history[0].at if history else None, None, when
        ),
    ]
    notifications = []
    since = required_since(incident, book, scale)
    now_required = {role.role for role in current.roles}
    roles = [role.role for role in current.roles]
    roles += [role for role in since if role not in now_required]  # required at an earlier level
    roles += sorted(set(tries) - set(roles))  # tried without being required
    for role_id in roles:
        first_level = next(
            (c.level for c in history if role_id in book.level(scale, c.level).notify), None
        )
        target = book.level(scale, first_level).targets.acknowledge if first_level else None
        reached = next(
            (a for a in incident.tried(role_id) if a.outcome in ("reached", "acknowledged")),
            None,
        )
        acknowledged = incident.acknowledged(role_id)
        required = since.get(role_id)
        if required is not None:
            moment = reached.at if reached else None
            metrics.append(_metric(f"{role_id} reached", required, moment, target, when))
        held = roster.roles.get(role_id)
        notifications.append(
            {
                "role": role_id,
                "title": held.title if held else role_id,
                "required": when(required),
                "required_now": role_id in now_required,
                "reached": when(reached.at) if reached else None,
                "reached_by": reached.person if reached else None,
                "acknowledged_by": acknowledged.person if acknowledged else None,
                "target": _span(target)["text"],
                "attempts": tries.get(role_id, []),
            }
        )
    public = statements(incident.drafts)
    approved = next((p for p in public if not p.override), None)
    first_target = level.targets.first_statement if level else None
    metrics.append(
        _metric(
            "first approved public statement",
            incident.aware_at,
            approved.at if approved else None,
            first_target,
            when,
        )
    )
    cadence = level.targets.update_every if level else None
    if public:
        moments = [p.at for p in public] + [as_of]  # until now, or until closing
        gaps = [later - earlier for earlier, later in zip(moments, moments[1:], strict=False)]
        longest = max(gaps, default=timedelta(0))
        met = None if cadence is None else longest <= cadence
        span = _span(longest)
        metrics.append(
            {
                "what": "longest gap between public updates",
                "from": when(public[0].at),
                "at": when(moments[-1]),
                "took": span,
                "target": _span(cadence),
                "met": met,
            }
        )
    drafts_by_seq = {p.seq: d for d in incident.drafts.values() for p in d.publications}
    published = []
    for publication in statements(incident.drafts, ("public", "regulator", "internal")):
        draft = drafts_by_seq[publication.seq]
        published.append(
            {
                "draft": draft.id,
                "version": publication.version,
                "template": draft.template,
                "locale": draft.locale,
                "audience": draft.audience,
                "channel": publication.channel,
                "url": publication.url or None,
                "at": when(publication.at),
                "by": publication.by,
                "sha256": publication.sha256,
                "override": publication.override or None,
                "text": publication.text,
                "approvals": _approvals(draft, publication.version, when),
            }
        )
    deadlines = []
    for due in current.deadlines:
        if due.met_at is not None:
            state = "met" if due.met_at <= due.due else "met late"
        else:
            state = "missed" if due.due < as_of else "pending"
        deadlines.append(
            {
                "what": due.what,
                "due": when(due.due),
                "source": due.source or None,
                "met_at": when(due.met_at),
                "status": state,
            }
        )
    steps = []
    for step in book.steps:
        applies = not step.severities or incident.severity in step.severities
        done = incident.steps_done.get(step.id)
        if done is None and not applies:
            continue
        steps.append(
            {
                "id": step.id,
                "title": step.title,
                "owner": step.owner,
                "done": when(done),
                "status": "done" if done else ("skipped" if not incident.is_open else "open"),
            }
        )
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "generator": f"crisis {__version__}",
        "generated": when(now),
        "profile": profile,
        "exercise": incident.exercise,
        "incident": {
            "id": incident.id,
            "title": incident.title,
            "playbook": book.id,
            "playbook_title": book.title,
            "zone": zone,
            "open": incident.is_open,
            "severity": incident.severity,
            "severity_name": names.get(incident.severity or ""),
            "summary": incident.summary or None,
            "declared_by": incident.declared_by,
        },
        "times": {
            "aware": when(incident.aware_at),
            "declared": when(incident.declared_at),
            "first_severity": when(history[0].at) if history else None,
            "closed": when(incident.closed_at),
        },
        "head": {
            "seq": head_seq,
            "hash": head_hash,
            "verify": f"crisis verify {incident.id} --expect-head {head_seq}:{head_hash}",
        },
        "severity_history": changes,
        "metrics": metrics,
        "notifications": notifications,
        "statements": published,
        "deadlines": deadlines,
        "steps": steps,
        "lessons": {
            key: incident.lessons.get(key) or None for key in ("went_well", "went_wrong", "lucky")
        },
        "follow_ups": [{"owner": f.owner, "action": f.action} for f in incident.follow_ups],
        "corrections": [
            {
                "seq": c.seq,
                "ref": c.ref,
                "at": when(c.at),
                "by": c.by,
                "text": c.text,
                "redact": c.redact,
            }
            for c in incident.corrections
        ],
    }
