"""Checks that a journal still holds what was written: a sound file, an unbroken chain, the head."""

from __future__ import annotations

import sqlite3
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from crisis.codec import (
    COLUMNS,
    GENESIS,
    Event,
    JournalError,
    MalformedEvent,
    event_hash,
)
from crisis.decoder import decode_row
from crisis.journal import SCHEMA_VERSION

OK, BROKEN, DAMAGED, MISMATCH = 0, 1, 2, 3
MIN_ANCHOR_HEX = 12
MAX_WARNINGS = 10


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: an exit code, a sentence, and where the first fault is."""

    code: int
    message: str
    seq: int | None = None
    field: str | None = None
    head: tuple[int, str] | None = None
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.code == OK


def _short(digest: str) -> str:
    return digest[:MIN_ANCHOR_HEX]


def checked_head(expect_head: tuple[int, str] | None) -> tuple[int, str] | None:
    """The expected head, checked: a seq from 1 and at least 12 hex digits of its hash."""
    if expect_head is None:
        return None
    seq, digest = expect_head
    digest = digest.lower()
    if seq < 1 or len(digest) < MIN_ANCHOR_HEX or len(digest) > 64:
        raise JournalError(f"expected head {seq}:{digest}: need a seq >= 1 and 12 to 64 hex digits")
    if set(digest) - set(string.hexdigits.lower()):
        raise JournalError(f"expected head {seq}:{digest}: the hash is not hexadecimal")
    return seq, digest


def verify_events(events: Iterable[Event], expect_head: tuple[int, str] | None = None) -> Verdict:
    """Check that events in stored order run 1, 2, 3..., each linked to and hashing as recorded."""
    anchor = checked_head(expect_head)
    incident: str | None = None
    expected, prev = 1, GENESIS
    anchored: str | None = None
    last_ts: datetime | None = None
    warnings: list[str] = []
    for event in events:
        seq = expected
        if incident is None:
            incident = event.incident
        elif event.incident != incident:
            message = f"position {seq} holds an event of incident {event.incident!r}"
            return Verdict(BROKEN, f"{message}, not {incident!r}", seq, "incident")
        if event.seq != seq:
            message = f"seq {event.seq} found where {seq} was expected"
            return Verdict(BROKEN, f"{message}: an event is missing or out of order", seq, "seq")
        if event.prev != prev:
            message = f"event {seq} links to {_short(event.prev)}, but event {seq - 1}"
            return Verdict(BROKEN, f"{message} hashes to {_short(prev)}", seq, "prev")
        try:
            computed = event_hash(event.fields())
        except JournalError as error:
            where = "data" if str(error).startswith("event.data") else "hash"
            return Verdict(BROKEN, f"event {seq} cannot be hashed: {error}", seq, where)
        if computed != event.hash:
            message = f"event {seq} was altered: stored hash {_short(event.hash)}"
            return Verdict(BROKEN, f"{message}, content hashes to {_short(computed)}", seq, "hash")
        if last_ts is not None and event.ts < last_ts and len(warnings) < MAX_WARNINGS:
            warnings.append(f"event {seq} is timed before event {seq - 1} (clocks may differ)")
        if anchor is not None and anchor[0] == seq:
            anchored = event.hash
        last_ts, prev, expected = event.ts, event.hash, expected + 1
    count = expected - 1
    head = (count, prev) if count else None
    found = f"{count} event(s), head {count}:{_short(prev)}" if count else "no events"
    if anchor is not None:
        if anchored is None:
            message = f"the journal is shorter than the expected head {anchor[0]}: it has {found}"
            return Verdict(MISMATCH, message, count + 1, "seq", head, tuple(warnings))
        if not anchored.startswith(anchor[1]):
            message = f"event {anchor[0]} hashes to {_short(anchored)}, the expected head says"
            message += f" {_short(anchor[1])}"
            return Verdict(MISMATCH, message, anchor[0], "hash", head, tuple(warnings))
        found += f"; matches the expected head {anchor[0]}:{_short(anchor[1])}"
    return Verdict(OK, f"the chain holds: {found}", None, None, head, tuple(warnings))


def _rows(connection: sqlite3.Connection, incident: str) -> Iterator[Event]:
    """The incident's events in the order written, not sorted by seq, so reordering shows."""
    cursor = connection.execute(
        f"SELECT {COLUMNS} FROM events WHERE incident = ? ORDER BY position", (incident,)
    )
    while rows := cursor.fetchmany(512):
        for row in rows:
            yield decode_row(row)


def _text(raw: bytes) -> str | bytes:
    """Decode a text column, leaving invalid UTF-8 as bytes so the event is reported as altered."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw


def _damage(connection: sqlite3.Connection) -> str | None:
    """What is wrong with the file itself, or None when SQLite finds it sound and ours."""
    problems = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        return f"integrity check failed: {'; '.join(problems[:3])}{more}"
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    if version == 0:
        return "not a crisis journal (no schema version)"
    if version > SCHEMA_VERSION:
        return f"schema version {version} is newer than this crisis knows ({SCHEMA_VERSION})"
    return None


def verify(path: Path, incident: str, expect_head: tuple[int, str] | None = None) -> Verdict:
    """Check one incident at `path`, read-only: 0 holds, 1 broken, 2 damaged, 3 wrong head."""
    anchor = checked_head(expect_head)
    if not path.is_file():
        return Verdict(DAMAGED, f"{path}: no journal file there")
    try:
        connection = sqlite3.connect(
            path.absolute().as_uri() + "?mode=ro", uri=True, timeout=10.0, isolation_level=None
        )
    except sqlite3.Error as error:
        return Verdict(DAMAGED, f"{path}: cannot open: {error}")
    try:
        connection.text_factory = _text
        connection.execute("PRAGMA busy_timeout = 10000")
        connection.execute("BEGIN")
        damage = _damage(connection)
        if damage is not None:
            return Verdict(DAMAGED, f"{path}: {damage}")
        try:
            verdict = verify_events(_rows(connection, incident), anchor)
        except MalformedEvent as error:
            message = f"{path}: incident {incident!r}: {error}"
            return Verdict(BROKEN, message, error.seq, error.field)
    except sqlite3.Error as error:
        return Verdict(DAMAGED, f"{path}: damaged or unreadable: {error}")
    finally:
        connection.close()
    if verdict.code == OK and verdict.head is None:
        message = f"{path}: incident {incident!r} has no events"
        return Verdict(OK, message, warnings=verdict.warnings)
    return Verdict(
        verdict.code,
        f"{path}: incident {incident!r}: {verdict.message}",
        verdict.seq,
        verdict.field,
        verdict.head,
        verdict.warnings,
    )
