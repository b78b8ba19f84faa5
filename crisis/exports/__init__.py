"""Exports of an incident from the journal alone: a review and machine-readable timelines."""

from __future__ import annotations

import gc
import importlib
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TextIO
from zoneinfo import ZoneInfo

from crisis.codec import Event
from crisis.exports.clockface import Clockface
from crisis.exports.digest import Digest
from crisis.exports.header import Json, build
from crisis.exports.redact import PROFILES, Redactor
from crisis.exports.rows import Layout, rows, withheld
from crisis.incident import FoldError, Incident, fold
from crisis.model import Contacts, Playbook, Scale

FORMATS = ("md", "json", "csv", "html", "toml")
__all__ = ["FORMATS", "PROFILES", "Export", "prepare", "stream", "write"]
LAYOUTS = {
    "json": ("document", "JSON"),
    "toml": ("toml", "TOML"),
    "csv": ("sheet", "CSV"),
    "md": ("markdown", "MARKDOWN"),
    "html": ("page", "PAGE"),
}
COPY = 1 << 16
"""Characters copied from the spooled rows to the output at a time."""


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
        header = redactor.header(build(incident, book, scale, roster, zone, now, profile))
    when = Clockface(ZoneInfo(zone))
    head = incident.head[0]

    def read() -> Iterator[dict[str, Any]]:
        return rows(journal.events(incident.id), when, redactor, redacted, head)

    return Export(header, read)


def layout(fmt: str) -> Layout:
    """How one of FORMATS is written; its module is imported only when it is asked for."""
    if fmt not in LAYOUTS:
        raise ValueError(f"unknown format '{fmt}'; choose {', '.join(FORMATS)}")
    module, name = LAYOUTS[fmt]
    found: Layout = getattr(importlib.import_module(f"crisis.exports.{module}"), name)
    return found


def write(export: Export, fmt: str, out: TextIO) -> None:
    """Write a prepared export in one of FORMATS."""
    with _paused():
        layout(fmt).write(export.header, export.rows(), out)


def stream(
    journal: Events,
    incident_id: str,
    playbook: Callable[[str], Playbook],
    scale: Scale,
    roster: Contacts,
    now: datetime,
    fmt: str,
    out: TextIO,
    profile: str = "internal",
) -> Incident:
    """Write an incident's export as `prepare` and `write` would, reading the journal once (twice
    if a correction redacts an event) and holding neither the events nor the long lists.

    The rows wait in a private temporary file until the header is known; nothing is written to
    `out` before the whole journal has been read. Returns the incident as exported; FoldError if
    the journal has no such incident."""
    shape = layout(fmt)
    redactor = Redactor(profile, roster)
    redacted: dict[int, int] = {}
    with _paused():
        while True:
            with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
                digest, zone = _read(journal, incident_id, scale, redactor, redacted, shape, spool)
                try:
                    incident = digest.state()
                    found = {c.ref: c.seq for c in incident.corrections if c.redact}
                    if found != redacted:  # the rows show too much: read again, knowing it
                        redacted = found
                        continue
                    header = _known(incident, profile)
                    if shape.whole:
                        history, tries = digest.lists()
                        changes: Iterable[Json] = history if len(history) else []
                        lists = (changes, dict[str, Iterable[Json]](tries))
                        book = playbook(incident.playbook)
                        header = build(incident, book, scale, roster, zone, now, profile, lists)
                        header = redactor.header(header)
                    shape.head(header, out)
                    spool.seek(0)
                    shutil.copyfileobj(spool, out, COPY)
                    shape.tail(header, out)
                    return incident
                finally:
                    digest.close()


def _read(
    journal: Events,
    incident_id: str,
    scale: Scale,
    redactor: Redactor,
    redacted: dict[int, int],
    shape: Layout,
    spool: TextIO,
) -> tuple[Digest, str]:
    """One pass over the journal: fold the digest and write the rows to the spool."""
    events = iter(journal.events(incident_id))
    first = next(events, None)
    if first is None:
        raise FoldError(f"no events for incident {incident_id}")
    when = Clockface(ZoneInfo(first.tz))
    names = {level.id: level.name for level in scale.levels}
    digest = Digest(
        incident_id, withheld(first, redacted.get(first.seq)), when, names, redactor.value
    )
    try:
        passing = _folding(digest, first, events, redacted)
        made = rows(passing, when, redactor, redacted, said=shape.said)
        shape.body(made, spool, _known(digest, redactor.profile))
    except BaseException:
        digest.close()
        raise
    return digest, first.tz


def _known(incident: Incident | Digest, profile: str) -> Json:
    """What the rows of CSV need of the header, and all that its head shows."""
    return {"incident": {"id": incident.id}, "exercise": incident.exercise, "profile": profile}


def _folding(
    digest: Digest, first: Event, events: Iterable[Event], redacted: dict[int, int]
) -> Iterator[Event]:
    """The events, each taken into the digest (as far as a correction lets it) as it passes; the
    first is in it already."""
    yield first
    add = digest.add
    if redacted:
        for event in events:
            add(withheld(event, redacted.get(event.seq)))
            yield event
        return
    for event in events:
        add(event)
        yield event


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
