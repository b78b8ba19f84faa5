"""Exports of an incident from the journal alone: a review and machine-readable timelines."""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TextIO
from zoneinfo import ZoneInfo

from crisis.codec import Event
from crisis.exports.header import Clockface, Json, build
from crisis.exports.redact import PROFILES, Redactor
from crisis.exports.rows import rows, withheld
from crisis.incident import Incident, fold
from crisis.model import Contacts, Playbook, Scale

FORMATS = ("md", "json", "csv", "html", "toml")
__all__ = ["FORMATS", "PROFILES", "Export", "prepare", "write"]


class Events(Protocol):
    """Where the events come from: the journal, read again for each pass."""

    def events(self, incident: str, after: int = 0) -> Iterator[Event]: ...


@dataclass(frozen=True)
class Export:
    """An incident's export: its header, and its event rows read afresh on each call."""

    header: Json
    rows: Callable[[], Iterator[dict[str, Any]]]

    @property
    def exercise(self) -> bool:
        return bool(self.header["exercise"])


def prepare(
    journal: Events,
    incident: Incident,
    book: Playbook,
    scale: Scale,
    roster: Contacts,
    now: datetime,
    profile: str = "internal",
) -> Export:
    """Everything an export says, redacted for the profile; events are streamed, not held."""
    redactor = Redactor(profile, roster)
    first = next(iter(journal.events(incident.id)))
    zone = first.tz
    redacted = {c.ref: c.seq for c in incident.corrections if c.redact}
    if redacted:  # the header, too, must show nothing of what a correction redacted
        events = (withheld(e, redacted.get(e.seq)) for e in journal.events(incident.id))
        incident = fold(incident.id, events)
    with _paused():
        header = redactor.value(build(incident, book, scale, roster, zone, now, profile))
    when = Clockface(ZoneInfo(zone))
    head = incident.head[0]

    def read() -> Iterator[dict[str, Any]]:
        return rows(journal.events(incident.id), when, redactor, redacted, head)

    return Export(header, read)


def write(export: Export, fmt: str, out: TextIO) -> None:
    """Write the export in one of FORMATS."""
    writers = {
        "json": ("document", "write_json"),
        "toml": ("document", "write_toml"),
        "csv": ("sheet", "write_csv"),
        "md": ("markdown", "write_markdown"),
        "html": ("page", "write_html"),
    }
    if fmt not in writers:
        raise ValueError(f"unknown format '{fmt}'; choose {', '.join(FORMATS)}")
    module, name = writers[fmt]
    writer: Callable[[Export, TextIO], None] = getattr(
        importlib.import_module(f"crisis.exports.{module}"), name
    )
    with _paused():
        writer(export, out)


@contextmanager
def _paused() -> Iterator[None]:
    """Hold off the cycle collector: an export makes no cycles, and a long incident's state is
    large, so that each full collection would walk it again for nothing."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
