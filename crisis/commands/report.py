"""The commands that read: status, list and verify."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from crisis import clocks
from crisis.commands.common import Command, journal_file, open_desk
from crisis.engine import UsageError
from crisis.incident import fold
from crisis.status import as_json, status
from crisis.verify import verify


def _status_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id")
    parser.add_argument("--json", action="store_true")


def _status(args: argparse.Namespace) -> int:
    desk = open_desk(args)
    incident = desk.incident(args.id)
    now = desk.clock()
    current = status(incident, desk.playbook_of(incident), desk.scale, desk.roster, now, desk.tz)
    if args.json:
        print(json.dumps(as_json(current, now), indent=2, ensure_ascii=False))
        return 0
    zone = ZoneInfo(desk.tz)
    state = "open" if incident.is_open else "closed"
    print(f"{incident.id}  {incident.title}  [{state}]")
    print(f"severity: {current.level_name}")
    for role in current.roles:
        if role.acknowledged_by:
            line = f"acknowledged by {role.acknowledged_by}"
        else:
            tried = f" (tried {', '.join(role.tried)})" if role.tried else ""
            line = f"next: {role.next_person}{tried}"
        print(f"  {role.role:18} {line}")
    if current.approvals:
        print(f"approvals required before publishing: {', '.join(current.approvals)}")
    for due in current.deadlines:
        when = f"{due.due.astimezone(zone):%Y-%m-%d %H:%M %Z}"
        if due.met_at is not None:
            left = f"met {due.met_at.astimezone(zone):%Y-%m-%d %H:%M}"
        else:
            left = clocks.format_remaining(due.due - now)
            left = left.upper() if due in current.overdue else left
        print(f"  due {when}  {left:>24}  {due.what}")
    for line in current.waiting:
        print(f"  waiting: {line}")
    for draft in current.drafts:
        approved = ", ".join(f"{role}:{person}" for role, person in draft.approved_by)
        waits = (
            f"  waits for {draft.next_role or 'a severity'}" if draft.stage == "awaiting" else ""
        )
        done = f"  approved by {approved}" if approved else ""
        name = f"{draft.id}.{draft.version} {draft.template}/{draft.locale}"
        print(f"  draft {name}: {draft.stage}{waits}{done}")
    for publication in current.overrides:
        when = f"{publication.at.astimezone(zone):%Y-%m-%d %H:%M %Z}"
        print(
            f"EMERGENCY OVERRIDE: {publication.draft}.{publication.version} published on "
            f"{publication.channel} at {when} without approval"
        )
        print(f"  by {publication.by}: {publication.override}")
    if current.overdue:
        print(f"OVERDUE: {', '.join(due.what for due in current.overdue)}")
    if any(d.source for d in current.deadlines) or current.waiting:
        print(clocks.DISCLAIMER)
    print(f"journal head: {incident.head[0]}:{incident.head[1][:12]}")
    return 0


def _list_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true")


def _list(args: argparse.Namespace) -> int:
    desk = open_desk(args)
    rows = [fold(i, desk.journal.events(i)) for i in desk.journal.incidents()]
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "title": r.title,
                        "playbook": r.playbook,
                        "severity": r.severity,
                        "open": r.is_open,
                        "declared_at": r.declared_at.isoformat(),
                    }
                    for r in rows
                ],
                indent=2,
            )
        )
        return 0
    for r in rows:
        print(f"{r.id}  {'open  ' if r.is_open else 'closed'}  {r.severity or '-':9} {r.title}")
    return 0


def _head(text: str) -> tuple[int, str]:
    seq, sep, digest = text.partition(":")
    if not sep or not seq.isdigit() or not digest:
        raise argparse.ArgumentTypeError(f"'{text}' is not SEQ:HASH, for example 12:3fa9c2d81b07")
    return int(seq), digest.lower()


def _verify_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", nargs="?", help="the incident (not with --export)")
    parser.add_argument("--expect-head", type=_head, metavar="SEQ:HASH")
    parser.add_argument(
        "--export", metavar="FILE", help="check a JSON export's own chain instead of the journal"
    )


def _verify(args: argparse.Namespace) -> int:
    if args.export:
        from crisis.exports.check import verify_export

        if args.id:
            raise UsageError("give either an incident id or --export FILE, not both")
        verdict = verify_export(Path(args.export), args.expect_head)
        print(verdict.message)
        return verdict.code
    if not args.id:
        raise UsageError("give the incident id, or --export FILE")
    path = journal_file(args)
    if not path.exists():
        raise UsageError(f"no journal at {path}; nothing has been recorded there yet")
    verdict = verify(path, args.id, args.expect_head)
    if verdict.code == 0 and verdict.head is None:
        raise UsageError(f"no incident '{args.id}' in the journal")
    print(verdict.message)
    for warning in verdict.warnings:
        print(f"warning: {warning}")
    return verdict.code


COMMANDS = (
    Command(
        "status", "who is still to be reached, approvals, next deadlines", _status_args, _status
    ),
    Command("list", "list incidents", _list_args, _list),
    Command(
        "verify",
        "check an incident's hash chain (exit 0 ok, 1 altered, 2 damaged, 3 head)",
        _verify_args,
        _verify,
    ),
)
