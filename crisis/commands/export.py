"""The export command: an incident's review or timeline in a file, or on standard output."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from crisis.commands.common import Command, open_desk
from crisis.engine import Desk
from crisis.exports.files import private_output

FORMATS = ("md", "json", "csv", "html", "toml")
PROFILES = ("internal", "regulator", "public")


def _check(desk: Desk, incident: str) -> None:
    """An unknown incident is a usage error naming the known ones, before any file is made."""
    if incident not in desk.journal.incidents():
        desk.incident(incident)  # raises the error that says which incidents there are


def render(desk: Desk, args: argparse.Namespace, out: TextIO) -> None:
    """Write the export from the journal as it is now, reading it once."""
    from crisis.exports import stream

    scale, roster, now = desk.scale, desk.roster, desk.clock()
    stream(desk.journal, args.id, desk.catalog.playbook, scale, roster, now, args.format, out,
           args.profile)  # fmt: skip


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id")
    parser.add_argument("--format", choices=FORMATS, required=True)
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (0600), not to stdout")
    parser.add_argument(
        "--profile",
        choices=PROFILES,
        default="internal",
        help="internal: everything; regulator: roles, not people; public: also no contact details",
    )


def _run(args: argparse.Namespace) -> int:
    desk = open_desk(args)
    _check(desk, args.id)
    if args.output:
        with private_output(Path(args.output)) as out:
            render(desk, args, out)
        print(f"{args.output}: {args.format}, profile {args.profile}", file=sys.stderr)
    else:
        render(desk, args, sys.stdout)
    return 0


COMMANDS = (Command("export", "export the incident's review or timeline", _arguments, _run),)
