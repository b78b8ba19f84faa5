"""What the incident commands share: the command record, the desk they open, argument types."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from crisis import clock
from crisis.clock import parse_moment
from crisis.journal import data_dir, journal_path
from crisis.root import find_root
from crisis.settings import Settings, load_settings, local_zone, responder

if TYPE_CHECKING:
    from crisis.engine import Desk


@dataclass(frozen=True)
class Command:
    """One sub-command: its name, help, options and what it runs."""

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


@dataclass(frozen=True)
class Place:
    """Where a command works: the playbook root, the settings and the data directory."""

    root: Path
    settings: Settings
    data_dir: Path

    @property
    def journal_file(self) -> Path:
        return journal_path(self.data_dir)


def place(args: argparse.Namespace) -> Place:
    """The root, settings and data directory, as the options, environment and crisis.toml say."""
    root = find_root(getattr(args, "root", None))
    settings = load_settings(root, os.environ)
    folder = data_dir(getattr(args, "data_dir", None), os.environ, settings.data_dir)
    return Place(root, settings, folder)


def journal_file(args: argparse.Namespace) -> Path:
    """The journal's path, as --data-dir, the environment and crisis.toml say."""
    return place(args).journal_file


def open_desk(args: argparse.Namespace) -> Desk:
    """The checked playbooks, the journal and the responder, as the options and settings say."""
    from crisis.catalog import load_catalog
    from crisis.engine import Desk, UsageError
    from crisis.journal import Journal

    where = place(args)
    catalog = load_catalog(where.root, clock.today())
    if catalog.errors:
        raise UsageError(f"the playbooks under {where.root} do not validate; run 'crisis validate'")
    journal = Journal.open(where.journal_file)
    actor = responder(where.settings, where.data_dir)
    return Desk(catalog, journal, actor, where.settings.timezone, clock.now)


def moment(text: str) -> datetime:
    """A time from the command line: ISO 8601, or HH:MM today; without an offset, local time."""
    zone = os.environ.get("CRISIS_TIMEZONE") or local_zone(os.environ)
    try:
        return parse_moment(text, zone, clock.now())
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def pair(text: str) -> tuple[str, str]:
    """KEY=VALUE from the command line."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"'{text}' is not KEY=VALUE")
    return key, value
