"""The append-only, hash-chained event journal of every incident, kept in one SQLite file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from crisis.codec import (
    COLUMNS,
    CROCKFORD,
    CROCKFORD_PAIRS,
    DOMAIN,
    EPOCH,
    FIELDS,
    GENESIS,
    MAX_SAFE_INT,
    MILLISECOND,
    Checked,
    Conflict,
    Entry,
    Event,
    IdMaker,
    JournalError,
    Json,
    MalformedEvent,
    canonical_json,
    checked,
    digest,
    event_hash,
    format_ts,
    new_id,
    parse_ts,
    text_field,
)
from crisis.database import (
    JOURNAL_FILE,
    MIGRATIONS,
    SCHEMA_VERSION,
    configure,
    data_dir,
    journal_path,
    migrate,
    prepare,
)
from crisis.decoder import decode_row, decode_rows

__all__ = [
    "COLUMNS", "CROCKFORD", "CROCKFORD_PAIRS", "DOMAIN", "EPOCH", "FIELDS", "GENESIS", "HEAD",
    "INSERT", "JOURNAL_FILE", "MAX_SAFE_INT", "MIGRATIONS", "MILLISECOND", "SCHEMA_VERSION",
    "Checked", "Entry", "Event", "EventStore", "IdMaker", "Journal", "JournalError", "Json",
    "MalformedEvent", "canonical_json", "data_dir", "decode_row", "event_hash", "format_ts",
    "journal_path", "migrate", "new_id", "parse_ts",
]  # fmt: skip

HEAD = "SELECT seq, hash FROM events WHERE incident = ? ORDER BY seq DESC LIMIT 1"
INSERT = f"INSERT INTO events ({COLUMNS}) VALUES ({', '.join('?' * len(FIELDS + ('hash',)))})"
BATCH = 256
Head = tuple[int, str]
# tz, actor and kind mostly repeat: where they equal the first event's, SQLite returns NULL and
# the reader reuses one string instead of building another for every event.
COMMON = "SELECT tz, actor, kind FROM events WHERE incident = ? AND seq = 1"
EVENTS = (
    "SELECT seq, id, ts, NULLIF(tz, ?2), NULLIF(actor, ?3), NULLIF(kind, ?4), text, data, prev,"
    " hash FROM events WHERE incident = ?1 AND seq > ?5 ORDER BY seq"
)


class EventStore(Protocol):
    """The journal interface: SQLite here, PostgreSQL for teams on several machines later."""

    def append(
        self,
        incident: str,
        *,
        kind: str,
        text: str,
        data: Mapping[str, object] | None = None,
        actor: str,
        tz: str,
        ts: datetime,
    ) -> Event: ...

    def events(self, incident: str, after: int = 0) -> Iterator[Event]: ...

    def incidents(self) -> list[str]: ...

    def head(self, incident: str) -> tuple[int, str] | None: ...

    def close(self) -> None: ...


class Journal:
    """The SQLite journal: one connection per thread, one BEGIN IMMEDIATE transaction per append."""

    def __init__(self, connection: sqlite3.Connection, path: Path, ids: IdMaker) -> None:
        self._connection = connection
        self._cursor = connection.cursor()
        self.path = path
        self._ids = ids
        self._heads: dict[str, Head] = {}

    @classmethod
    def open(cls, path: Path, *, ids: IdMaker = new_id) -> Journal:
        """Open (creating privately if needed) and migrate the journal at `path`."""
        with _failures(path, "cannot open the journal"):
            prepare(path)
            connection = sqlite3.connect(path, timeout=10.0, isolation_level=None)
            try:
                configure(connection)
                migrate(connection)
            except BaseException:
                connection.close()
                raise
        return cls(connection, path, ids)

    def close(self) -> None:
        """Close the connection; the last one to close checkpoints and removes the -wal file."""
        with _failures(self.path, "cannot close the journal"):
            self._connection.close()

    def settings(self) -> dict[str, object]:
        """The connection's durability settings as SQLite reports them, for checks and doctors."""
        names = ("journal_mode", "synchronous", "busy_timeout", "user_version")
        with _failures(self.path, "cannot read the settings"):
            return {
                name: self._connection.execute(f"PRAGMA {name}").fetchone()[0] for name in names
            }

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def append(
        self,
        incident: str,
        *,
        kind: str,
        text: str,
        data: Mapping[str, object] | None = None,
        actor: str,
        tz: str,
        ts: datetime,
    ) -> Event:
        """Append one event and return it only once it is committed to disk."""
        return self._write(incident, (checked(kind, text, actor, tz, ts, data or {}),))[0]

    def append_many(
        self, incident: str, entries: Iterable[Entry], *, after: int | None = None
    ) -> list[Event]:
        """Append several events in one transaction; all or none commit.

        With `after`, they commit only if the incident's last event is still seq `after`, so that
        a decision taken on what a responder saw is never recorded over someone else's change.
        """
        parts = [checked(e.kind, e.text, e.actor, e.tz, e.ts, e.data) for e in entries]
        return self._write(incident, parts, after)

    def _write(
        self, incident: str, parts: Sequence[Checked], after: int | None = None
    ) -> list[Event]:
        """Append checked events after the head this connection last wrote, or the stored one."""
        if type(incident) is not str or not incident:
            text_field("incident", incident)
        try:
            try:
                events = self._commit(incident, parts, self._heads.get(incident), after)
            except sqlite3.IntegrityError:
                # A stale head always collides on UNIQUE (incident, seq): seqs are never removed.
                if self._heads.pop(incident, None) is None:
                    raise
                events = self._commit(incident, parts, None, after)
        except sqlite3.Error as error:
            raise JournalError(f"{self.path}: cannot append: {error}") from error
        if events:
            self._heads[incident] = (events[-1].seq, events[-1].hash)
        return events

    def _commit(
        self, incident: str, parts: Sequence[Checked], head: Head | None, after: int | None
    ) -> list[Event]:
        """One BEGIN IMMEDIATE transaction: chain from `head` (read now if None), insert, COMMIT."""
        cursor, ids, rows, events = self._cursor, self._ids, [], []
        cursor.execute("BEGIN IMMEDIATE")
        try:
            if after is not None and head is not None and head[0] != after:
                head = None  # the cache may be behind another connection's appends
            seq, prev = head or cursor.execute(HEAD, (incident,)).fetchone() or (0, GENESIS)
            if after is not None and seq != after:
                raise Conflict(
                    f"{incident} changed while you were deciding (now at event {seq}, "
                    f"you saw {after}); look again and retry"
                )
            for kind, text, actor, tz, ts, at, data, stored in parts:
                seq += 1
                id_ = ids(at)
                row = (incident, seq, id_, ts, tz, actor, kind, text, stored, prev)
                hash_ = digest(row)
                rows.append((*row, hash_))
                events.append(
                    Event(incident, seq, id_, at, tz, actor, kind, text, data, prev, hash_)
                )
                prev = hash_
            if len(rows) == 1:
                cursor.execute(INSERT, rows[0])
            else:
                cursor.executemany(INSERT, rows)
            cursor.execute("COMMIT")
        except BaseException:
            if self._connection.in_transaction:
                cursor.execute("ROLLBACK")
            raise
        return events

    def events(self, incident: str, after: int = 0) -> Iterator[Event]:
        """An incident's events after seq `after` (all by default), in seq order, read at once."""
        with _failures(self.path, "cannot read the journal"):
            common = self._connection.execute(COMMON, (incident,)).fetchone() or (None,) * 3
            cursor = self._connection.execute(EVENTS, (incident, *common, after))
        return decode_rows(incident, common, _batches(self.path, cursor))

    def incidents(self) -> list[str]:
        """Every incident in the journal, in the order of their first event."""
        with _failures(self.path, "cannot read the journal"):
            rows = self._connection.execute(
                "SELECT incident FROM events WHERE seq = 1 ORDER BY position"
            ).fetchall()
        return [str(row[0]) for row in rows]

    def head(self, incident: str) -> tuple[int, str] | None:
        """The last (seq, hash) of an incident, the value to anchor in exports; None if empty."""
        with _failures(self.path, "cannot read the journal"):
            row = self._connection.execute(HEAD, (incident,)).fetchone()
        return (int(row[0]), str(row[1])) if row else None


@contextmanager
def _failures(path: Path, doing: str) -> Iterator[None]:
    """Turn SQLite and file-system errors into one JournalError that says what and where."""
    try:
        yield
    except JournalError as error:
        if isinstance(error, MalformedEvent):
            raise
        raise JournalError(f"{path}: {doing}: {error}") from error
    except (sqlite3.Error, OSError) as error:
        raise JournalError(f"{path}: {doing}: {error}") from error


def _batches(path: Path, cursor: sqlite3.Cursor) -> Iterator[list[Any]]:
    """The cursor's rows a batch at a time, then closed; SQLite errors become JournalError."""
    with _failures(path, "cannot read the journal"):
        try:
            while rows := cursor.fetchmany(BATCH):
                yield rows
        finally:
            with suppress(sqlite3.ProgrammingError):  # the journal was closed first
                cursor.close()
