"""The incident commands: declare, assess, override, notify, note, step, close, status, list."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from crisis import clock, clocks
from crisis.catalog import find_root, load_catalog
from crisis.engine import Desk, UsageError
from crisis.incident import OUTCOMES, fold
from crisis.journal import Journal, data_dir, journal_path
from crisis.settings import load_settings
from crisis.status import as_json, status
from crisis.verify import verify


@dataclass(frozen=True)
class Command:
    """One sub-command: its name, help, options and what it runs."""

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def open_desk(args: argparse.Namespace) -> Desk:
    """The checked playbooks, the journal and the responder, as the options and settings say."""
    root = find_root(getattr(args, "root", None))
    settings = load_settings(root, os.environ)
    catalog = load_catalog(root, clock.today())
    if catalog.errors:
        raise UsageError(f"the playbooks under {root} do not validate; run 'crisis validate'")
    folder = data_dir(getattr(args, "data_dir", None), os.environ, settings.data_dir)
    journal = Journal.open(journal_path(folder))
    return Desk(catalog, journal, settings.responder, settings.timezone, clock.now)


def _time(text: str) -> datetime:
    """An ISO 8601 time with offset (or Z); a time without one is taken as the local zone's."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        message = f"'{text}' is not a time like 2026-11-22T08:30+01:00"
        raise argparse.ArgumentTypeError(message) from None
    return moment if moment.tzinfo else moment.astimezone()


def _pair(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"'{text}' is not KEY=VALUE")
    return key, value


def _declare_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("playbook", help="playbook id")
    parser.add_argument("--title", required=True)
    parser.add_argument("--aware-at", type=_time, help="when we became aware (ISO 8601)")
    parser.add_argument("--fact", type=_pair, action="append", default=[], metavar="KEY=VALUE")


def _declare(args: argparse.Namespace) -> int:
    incident = open_desk(args).declare(args.playbook, args.title, args.aware_at, dict(args.fact))
    print(incident.id)
    return 0


def _assess_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id")
    parser.add_argument(
        "--answer", type=_pair, action="append", required=True, metavar="QUESTION=ANSWER"
    )


def _assess(args: argparse.Namespace) -> int:
    result = open_desk(args).assess(args.id, dict(args.answer))
    print(f"severity: {result.level} (score {result.score})")
    for reason in result.reasons:
        print(f"  - {reason.question}={reason.answer}: {reason.text}")
    return 0


def _severity_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id")
    parser.add_argument("level")
    parser.add_argument("--reason", required=True)


def _severity(args: argparse.Namespace) -> int:
    open_desk(args).override(args.id, args.level, args.reason)
    print(f"severity: {args.level} (override)")
    return 0


def _notify_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id")
    parser.add_argument("role")
    parser.add_argument("--person", required=True)
    parser.add_argument("--outcome", required=True, choices=OUTCOMES)
    parser.add_argument("--note", default="")


def _notify(args: argparse.Namespace) -> int:
    open_desk(args).notify(args.id, args.role, args.person, args.outcome, args.note)
    return 0


def _note_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id")
    parser.add_argument("text")


def _note(args: argparse.Namespace) -> int:
    open_desk(args).note(args.id, args.text)
    return 0


def _step_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id")
    parser.add_argument("step")
    parser.add_argument("state", choices=("done",))


def _step(args: argparse.Namespace) -> int:
    open_desk(args).step(args.id, args.step)
    return 0


def _close_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id")
    parser.add_argument("--summary", required=True)
    for lesson in ("went-well", "went-wrong", "lucky"):
        parser.add_argument(f"--{lesson}", default="")


def _close(args: argparse.Namespace) -> int:
    lessons = {"went_well": args.went_well, "went_wrong": args.went_wrong, "lucky": args.lucky}
    open_desk(args).close(args.id, args.summary, {k: v for k, v in lessons.items() if v})
    return 0


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
    state = "open" if incident.is_open else "closed"
    print(f"{incident.id}  {incident.title}  [{state}]")
    print(f"severity: {current.level_name}")
    for role in current.roles:
        done = (
            f"acknowledged by {role.acknowledged_by}"
            if role.acknowledged_by
            else (
                f"next: {role.next_person}"
                + (f" (tried {', '.join(role.tried)})" if role.tried else "")
            )
        )
        print(f"  {role.role:18} {done}")
    if current.approvals:
        print(f"approvals required before publishing: {', '.join(current.approvals)}")
    for due in current.deadlines:
        left = clocks.format_remaining(due.due - now)
        print(f"  due {due.due.astimezone():%Y-%m-%d %H:%M %Z}  {left:>20}  {due.what}")
    if any(d.source for d in current.deadlines):
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
    parser.add_argument("id")
    parser.add_argument("--expect-head", type=_head, metavar="SEQ:HASH")


def _verify(args: argparse.Namespace) -> int:
    root = find_root(getattr(args, "root", None))
    settings = load_settings(root, os.environ)
    folder = data_dir(getattr(args, "data_dir", None), os.environ, settings.data_dir)
    verdict = verify(journal_path(folder), args.id, args.expect_head)
    print(verdict.message)
    return verdict.code


COMMANDS = (
    Command(
        "declare", "declare an incident under a playbook; prints its id", _declare_args, _declare
    ),
    Command("assess", "answer scope questions; prints the severity and why", _assess_args, _assess),
    Command("severity", "override the severity with a written reason", _severity_args, _severity),
    Command("notify", "record an attempt to reach a role holder", _notify_args, _notify),
    Command("note", "log a note", _note_args, _note),
    Command("step", "tick a runbook step", _step_args, _step),
    Command("close", "close an incident with a summary and lessons", _close_args, _close),
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
