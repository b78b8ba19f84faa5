"""The commands that record: declare, assess, severity, notify, note, step, correct, close..."""

from __future__ import annotations

import argparse

from crisis.commands.common import Command, moment, open_desk, pair
from crisis.incident import OUTCOMES


def _declare_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("playbook", help="playbook id")
    parser.add_argument("--title", required=True)
    parser.add_argument("--aware-at", type=moment, help="when we became aware (ISO 8601)")
    parser.add_argument("--fact", type=pair, action="append", default=[], metavar="KEY=VALUE")


def _declare(args: argparse.Namespace) -> int:
    incident = open_desk(args).declare(args.playbook, args.title, args.aware_at, dict(args.fact))
    print(incident.id)
    return 0


def _assess_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id")
    parser.add_argument(
        "--answer", type=pair, action="append", required=True, metavar="QUESTION=ANSWER"
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
    parser.add_argument(
        "--follow-up",
        type=pair,
        action="append",
        default=[],
        metavar="OWNER=ACTION",
        help="a role or person id and what they will do",
    )


def _close(args: argparse.Namespace) -> int:
    lessons = {"went_well": args.went_well, "went_wrong": args.went_wrong, "lucky": args.lucky}
    open_desk(args).close(args.id, args.summary, lessons, args.follow_up)
    return 0


def _correct_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id")
    parser.add_argument("seq", type=int, help="the sequence number of the event to correct")
    parser.add_argument("text", help="the corrected text, or why it is redacted")
    parser.add_argument("--redact", action="store_true", help="mark the event's text redacted")


def _correct(args: argparse.Namespace) -> int:
    open_desk(args).correct(args.id, args.seq, args.text, args.redact)
    return 0


def _clock_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id")
    parser.add_argument("clock", help="gdpr-art33, nis2 or sec-8k")
    parser.add_argument(
        "duty",
        help="'started' (SEC: materiality determined) or a duty done, "
        "e.g. early-warning, incident-notification, final-report",
    )
    parser.add_argument("--at", type=moment, help="when it happened (default: now)")


def _clock(args: argparse.Namespace) -> int:
    duty = open_desk(args).mark_clock(args.id, args.clock, args.duty, args.at)
    print(f"{args.clock}: {duty}")
    return 0


COMMANDS = (
    Command(
        "declare", "declare an incident under a playbook; prints its id", _declare_args, _declare
    ),
    Command("assess", "answer scope questions; prints the severity and why", _assess_args, _assess),
    Command("severity", "override the severity with a written reason", _severity_args, _severity),
    Command("notify", "record an attempt to reach a role holder", _notify_args, _notify),
    Command("note", "log a note", _note_args, _note),
    Command("step", "tick a runbook step", _step_args, _step),
    Command("correct", "correct or redact an earlier event", _correct_args, _correct),
    Command("clock", "record a regulatory clock's start or a duty reported", _clock_args, _clock),
    Command("close", "close with a summary, lessons and follow-ups", _close_args, _close),
)
