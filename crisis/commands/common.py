"""What the incident commands share: the command record, the desk they open, argument types."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from crisis import clock
from crisis.catalog import find_root, load_catalog
from crisis.engine import Desk, UsageError
from crisis.journal import Journal, data_dir, journal_path
from crisis.settings import load_settings


@dataclass(frozen=True)
class Command:
    """One sub-command: its name, help, options and what it runs."""

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def journal_file(args: argparse.Namespace) -> Path:
    """The journal's path, as --data-dir, the environment and crisis.toml say."""
    root = find_root(getattr(args, "root", None))
    settings = load_settings(root, os.environ)
    return journal_path(data_dir(getattr(args, "data_dir", None), os.environ, settings.data_dir))


def open_desk(args: argparse.Namespace) -> Desk:
    """The checked playbooks, the journal and the responder, as the options and settings say."""
    root = find_root(getattr(args, "root", None))
    settings = load_settings(root, os.environ)
    catalog = load_catalog(root, clock.today())
    if catalog.errors:
        raise UsageError(f"the playbooks under {root} do not validate; run 'crisis validate'")
    journal = Journal.open(journal_file(args))
    return Desk(catalog, journal, settings.responder, settings.timezone, clock.now)


def moment(text: str) -> datetime:
    """An ISO 8601 time with offset (or Z); a time without one is taken as the local zone's."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        message = f"'{text}' is not a time like 2026-11-22T08:30+01:00"
        raise argparse.ArgumentTypeError(message) from None
    return moment if moment.tzinfo else moment.astimezone()


def pair(text: str) -> tuple[str, str]:
    """KEY=VALUE from the command line."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"'{text}' is not KEY=VALUE")
    return key, value
