"""The export command: an incident's review or timeline in a file, or on standard output."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from crisis.commands.common import Command, open_desk
from crisis.exports.files import private_file

FORMATS = ("md", "json", "csv", "html", "toml")
PROFILES = ("internal", "regulator", "public")


def render(args: argparse.Namespace) -> str:
    """The export as text, from the journal as it is now."""
    from crisis.exports import prepare, write

    desk = open_desk(args)
    incident = desk.incident(args.id)
    book = desk.playbook_of(incident)
    export = prepare(
        desk.journal, incident, book, desk.scale, desk.roster, desk.clock(), args.profile
    )
    buffer = io.StringIO(newline="")
    write(export, args.format, buffer)
    return buffer.getvalue()


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
    text = render(args)
    if args.output:
        private_file(Path(args.output), text)
        print(f"{args.output}: {args.format}, profile {args.profile}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


COMMANDS = (Command("export", "export the incident's review or timeline", _arguments, _run),)
