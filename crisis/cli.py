"""The `crisis` command line: global options, sub-commands and exit codes scripts can trust."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from crisis import __version__
from crisis.problems import CrisisError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70
Command = Callable[[argparse.Namespace], int]


def _global_options() -> argparse.ArgumentParser:
    """Options every command understands, before or after the command's name."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--root",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="where playbooks/ and contacts.yaml are (default: here, else the bundled set)",
    )
    options.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="where the journal lives (default: $CRISIS_DATA_DIR, crisis.toml, ~/.local/share)",
    )
    return options


def parser() -> argparse.ArgumentParser:
    """The argument parser of the whole command line."""
    common = _global_options()
    main = argparse.ArgumentParser(
        prog="crisis",
        description="Crisis-response runbooks: playbooks as code, checked like code.",
        parents=[common],
    )
    main.add_argument("--version", action="version", version=f"crisis {__version__}")
    from crisis.commands import export, publishing, record, report, schema, validate

    commands = main.add_subparsers(dest="command", metavar="COMMAND")
    for module in (validate, schema):
        sub = commands.add_parser(
            module.NAME, help=module.HELP, description=module.HELP, parents=[common]
        )
        module.arguments(sub)
        sub.set_defaults(run=module.run)
    for command in (*record.COMMANDS, *publishing.COMMANDS, *report.COMMANDS, *export.COMMANDS):
        sub = commands.add_parser(
            command.name, help=command.help, description=command.help, parents=[common]
        )
        command.arguments(sub)
        sub.set_defaults(run=command.run)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code; never a traceback for bad input."""
    words = list(sys.argv[1:] if argv is None else argv)
    only_globals, rest = _global_options().parse_known_args(words)
    run: Command
    if not rest:  # the TUI: skip building every command's parser
        arguments, run = only_globals, _terminal
    else:
        arguments = parser().parse_args(words)
        run = getattr(arguments, "run", _terminal)
    try:
        return run(arguments)
    except CrisisError as error:
        print(f"crisis: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, like other tools
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:  # a bug: say so plainly instead of dumping a traceback
        print(f"crisis: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_INTERNAL


def _terminal(arguments: argparse.Namespace) -> int:
    """Open the TUI, importing it only now so that other commands stay light."""
    from crisis.commands import terminal

    return terminal.run(arguments)


def entry() -> None:
    """The console script."""
    sys.exit(main())
