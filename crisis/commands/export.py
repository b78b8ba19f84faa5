"""The export command: an incident's review or timeline in a file, or on standard output."""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import suppress
from pathlib import Path
from typing import TextIO

from crisis.commands.common import Command, journal_file, open_desk
from crisis.engine import Desk
from crisis.exports.files import ExportError, check_target, journal_files, private_output

FORMATS = ("md", "json", "csv", "html", "toml")
PROFILES = ("internal", "regulator", "public")


def _check(desk: Desk, incident: str) -> None:
    """An unknown incident or a playbook gone from the catalog: an error before any file is made."""
    first = next(iter(desk.journal.events(incident)), None)
    if first is None:
        desk.incident(incident)  # raises the error that says which incidents there are
    elif "playbook" in first.data:  # raises the error that names the playbooks there are
        desk.catalog.playbook(str(first.data["playbook"]))


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


def _silence_stdout() -> None:
    """Point standard output at the null device, so that the flush at exit does not fail again."""
    with suppress(OSError, ValueError):
        descriptor = sys.stdout.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, descriptor)
        os.close(null)


def _to_stdout(desk: Desk, args: argparse.Namespace) -> None:
    """Write the export to standard output: a full or closed one is a clear error, a broken pipe is
    left to the command line, which stops quietly."""
    if sys.stdout is None:  # started with standard output closed
        raise ExportError("standard output is closed; name a file with -o")
    try:
        render(desk, args, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        _silence_stdout()
        raise ExportError(f"cannot write to standard output: {error.strerror or error}") from None


def _run(args: argparse.Namespace) -> int:
    if args.output is not None and (not args.output or args.output.endswith(("/", os.sep))):
        raise ExportError(f"-o '{args.output}' names no file; give the path of the file to write")
    if args.output is None:
        desk = open_desk(args)
        _check(desk, args.id)
        _to_stdout(desk, args)
        return 0
    output, journal = Path(args.output), journal_files(journal_file(args))
    check_target(output, journal)  # before the journal is read or anything is made
    desk = open_desk(args)
    _check(desk, args.id)
    with private_output(output, journal) as out:
        render(desk, args, out)
    print(f"{args.output}: {args.format}, profile {args.profile}", file=sys.stderr)
    return 0


COMMANDS = (Command("export", "export the incident's review or timeline", _arguments, _run),)
