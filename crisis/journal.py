"""The append-only, hash-chained event journal of every incident, kept in one SQLite file."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from json.encoder import encode_basestring as _quote
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, TypeAlias
from zoneinfo import ZoneInfo

from crisis.problems import CrisisError

Json: TypeAlias = None | bool | int | str | list["Json"] | dict[str, "Json"]
IdMaker = Callable[[datetime], str]
Checked = tuple[str, str, str, str, str, datetime, dict[str, "Json"], str]

DOMAIN = b"crisis-journal-v1\x00"
GENESIS = "0" * 64
SCHEMA_VERSION = 1
JOURNAL_FILE = "journal.sqlite3"
FIELDS = ("incident", "seq", "id", "ts", "tz", "actor", "kind", "text", "data", "prev")
COLUMNS = ", ".join((*FIELDS, "hash"))
HEAD = "SELECT seq, hash FROM events WHERE incident = ? ORDER BY seq DESC LIMIT 1"
INSERT = f"INSERT INTO events ({COLUMNS}) VALUES ({', '.join('?' * len(FIELDS + ('hash',)))})"
MAX_SAFE_INT = 2**53 - 1
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MILLISECOND = timedelta(milliseconds=1)
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CROCKFORD_PAIRS = [first + second for first in CROCKFORD for second in CROCKFORD]

MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE events (
            position INTEGER PRIMARY KEY,
            incident TEXT NOT NULL CHECK (incident <> ''),
            seq INTEGER NOT NULL CHECK (seq >= 1),
            id TEXT NOT NULL UNIQUE,
            ts TEXT NOT NULL,
            tz TEXT NOT NULL,
            actor TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            data TEXT NOT NULL,
            prev TEXT NOT NULL,
            hash TEXT NOT NULL,
            UNIQUE (incident, seq)
        )""",
        "CREATE INDEX events_first ON events (position, incident) WHERE seq = 1",
        """CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN
            SELECT RAISE(ABORT, 'the journal is append-only: events cannot be updated');
        END""",
        """CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN
            SELECT RAISE(ABORT, 'the journal is append-only: events cannot be deleted');
        END""",
    ),
}


class JournalError(CrisisError):
    """The journal cannot be opened, read or written, or was asked to store something invalid."""


class MalformedEvent(JournalError):
    """A stored row that cannot be read back as an event, with the seq and column at fault."""

    def __init__(self, message: str, seq: int | None, field: str) -> None:
        super().__init__(message)
        self.seq = seq
        self.field = field


@dataclass(frozen=True)
class Event:
    """One entry of an incident's journal, linked to its predecessor by `prev`."""

    incident: str
    seq: int
    id: str
    ts: datetime
    tz: str
    actor: str
    kind: str
    text: str
    data: dict[str, Json]
    prev: str
    hash: str

    def fields(self) -> dict[str, object]:
        """Every field that the hash covers, so that anyone can recompute it."""
        return {
            "incident": self.incident,
            "seq": self.seq,
            "id": self.id,
            "ts": self.ts,
            "tz": self.tz,
            "actor": self.actor,
            "kind": self.kind,
            "text": self.text,
            "data": self.data,
            "prev": self.prev,
        }


@dataclass(frozen=True)
class Entry:
    """What a caller asks to append; the journal adds seq, id, prev and hash."""

    kind: str
    text: str
    actor: str
    tz: str
    ts: datetime
    data: Mapping[str, object] = field(default_factory=dict)


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

    def events(self, incident: str) -> Iterator[Event]: ...

    def incidents(self) -> list[str]: ...

    def head(self, incident: str) -> tuple[int, str] | None: ...

    def close(self) -> None: ...


def format_ts(ts: datetime) -> str:
    """An aware time as RFC 3339 in UTC with microseconds and 'Z', the one form that is hashed."""
    if type(ts) is not datetime and not isinstance(ts, datetime):
        raise JournalError(f"time must be a datetime, not {type(ts).__name__}")
    if ts.tzinfo is not UTC:
        if ts.tzinfo is None or ts.utcoffset() is None:
            raise JournalError(f"time {ts.isoformat()} has no time zone; the journal needs one")
        ts = ts.astimezone(UTC)
    return ts.isoformat(timespec="microseconds")[:-6] + "Z"


def parse_ts(text: str) -> datetime:
    """The stored form `YYYY-MM-DDTHH:MM:SS.ffffffZ` back as an aware UTC time."""
    if len(text) != 27 or text[-1] != "Z" or text[10] != "T" or text[19] != ".":
        raise ValueError(f"'{text}' is not a UTC time written YYYY-MM-DDTHH:MM:SS.ffffffZ")
    return datetime.fromisoformat(text)


def _normal(value: object, where: str) -> Json:
    """The value checked for JSON types, with every object's keys in RFC 8785 (UTF-16) order."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        if -MAX_SAFE_INT <= value <= MAX_SAFE_INT:
            return int(value)
        raise JournalError(f"{where}: {value} is beyond the integers JSON can carry exactly")
    if isinstance(value, float):
        raise JournalError(f"{where}: {value!r} is a float; store a string or an integer")
    if isinstance(value, Mapping):
        keys = list(value)
        for key in keys:
            if not isinstance(key, str):
                raise JournalError(f"{where}: key {key!r} is not text")
        keys.sort(key=lambda key: key.encode("utf-16-be", "surrogatepass"))
        return {key: _normal(value[key], f"{where}.{key}") for key in keys}
    if isinstance(value, list | tuple):
        return [_normal(item, f"{where}[{i}]") for i, item in enumerate(value)]
    raise JournalError(f"{where}: a {type(value).__name__} cannot be stored in the journal")


def _no_float(text: str) -> int:
    raise ValueError(f"{text} is a float")


def _safe_int(text: str) -> int:
    value = int(text)
    if not -MAX_SAFE_INT <= value <= MAX_SAFE_INT:
        raise ValueError(f"{text} is too large")
    return value


def _flat(obj: dict[Any, Any]) -> bool:
    """A mapping of text to text, booleans, null and safe integers: JSON with nothing to check."""
    for key, value in obj.items():
        kind = type(value)
        if type(key) is not str:
            return False
        if kind is int:
            if not -MAX_SAFE_INT <= value <= MAX_SAFE_INT:
                return False
        elif not (kind is str or kind is bool or value is None):
            return False
    return True


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)
_DECODER = json.JSONDecoder(parse_float=_no_float, parse_int=_safe_int)


def _canonical(obj: object, where: str) -> tuple[str, Json]:
    """Canonical JSON text of a value and a fresh copy, at C speed when that is provably exact."""
    # json's sort_keys orders by code point; RFC 8785 by UTF-16 unit. They agree unless a
    # character from U+E000 up occurs. Parsing back equal rules out floats, tuples and odd keys.
    # Anything else takes the checking walk, which also names the first bad place.
    if type(obj) is dict and _flat(obj):
        text = _ENCODER.encode(obj)
        if max(text, default="") < "\ue000":
            return text, dict(obj)
    try:
        text = _ENCODER.encode(obj)
        if max(text) < "\ue000":
            copy = _DECODER.decode(text)
            if copy == obj:
                return text, copy
    except (TypeError, ValueError, RecursionError):
        pass
    normal = _normal(obj, where)
    return json.dumps(normal, ensure_ascii=False, separators=(",", ":")), normal


def _utf8(text: str, where: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise JournalError(f"{where}: text holds a lone surrogate, which is not Unicode") from error


def canonical_json(obj: object, where: str = "value") -> bytes:
    """RFC 8785 (JCS) bytes of a float-free JSON value: sorted keys, no spaces, UTF-8."""
    return _utf8(_canonical(obj, where)[0], where)


def _digest(
    incident: str,
    seq: int,
    id_: str,
    ts: str,
    tz: str,
    actor: str,
    kind: str,
    text: str,
    data: str,
    prev: str,
) -> str:
    """The event hash from checked fields and canonical data: the keys are fixed and sorted."""
    q = _quote
    preimage = (
        f'{{"actor":{q(actor)},"data":{data},"id":{q(id_)},"incident":{q(incident)},'
        f'"kind":{q(kind)},"prev":{q(prev)},"seq":{seq},"text":{q(text)},"ts":{q(ts)},'
        f'"tz":{q(tz)}}}'
    )
    return hashlib.sha256(DOMAIN + _utf8(preimage, "event")).hexdigest()


def event_hash(fields: Mapping[str, object]) -> str:
    """SHA-256 (hex) over the domain tag and the canonical JSON of every field but `hash`."""
    names = set(fields) - {"hash"}
    if names != set(FIELDS):
        missing = ", ".join(sorted(set(FIELDS) - names)) or "none"
        extra = ", ".join(sorted(names - set(FIELDS))) or "none"
        raise JournalError(f"event fields: missing {missing}; unexpected {extra}")
    ts, seq = fields["ts"], fields["seq"]
    if isinstance(ts, datetime):
        ts = format_ts(ts)
    if type(seq) is not int or not -MAX_SAFE_INT <= seq <= MAX_SAFE_INT:
        raise JournalError(f"event.seq: {seq!r} is not an integer JSON can carry exactly")

    def text(name: str, value: object = None) -> str:
        value = fields[name] if value is None else value
        if not isinstance(value, str):
            raise JournalError(f"event.{name}: must be text, not {type(value).__name__}")
        return value

    data = _canonical(fields["data"], "event.data")[0]
    return _digest(
        text("incident"),
        seq,
        text("id"),
        text("ts", ts),
        text("tz"),
        text("actor"),
        text("kind"),
        text("text"),
        data,
        text("prev"),
    )


def new_id(ts: datetime) -> str:
    """A ULID: the event's millisecond time and 80 random bits, in Crockford base 32."""
    millis = min(max((ts - EPOCH) // MILLISECOND, 0), 2**48 - 1)
    value = (millis << 80) | int.from_bytes(os.urandom(10), "big")
    return "".join([CROCKFORD_PAIRS[(value >> shift) & 1023] for shift in range(120, -1, -10)])


@lru_cache(maxsize=256)
def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ValueError, KeyError):
        return False
    return True


def _text(name: str, value: object, *, empty: bool = False) -> str:
    if type(value) is not str and not isinstance(value, str):
        raise JournalError(f"{name} must be text, not {type(value).__name__}")
    if not value and not empty:
        raise JournalError(f"{name} must not be empty")
    return value


def _checked(
    kind: str, text: str, actor: str, tz: str, ts: datetime, data: Mapping[str, object]
) -> Checked:
    """An event's parts validated before the write lock is taken, with stored ts and data."""
    if type(text) is not str or not (
        type(kind) is type(actor) is type(tz) is str and kind and actor
    ):
        for name, value in (("kind", kind), ("actor", actor), ("tz", tz)):
            _text(name, value)
        _text("text", text, empty=True)
    if not _known_zone(tz):
        raise JournalError(f"tz: '{tz}' is not an IANA time zone such as Europe/Oslo")
    if type(data) is not dict and not isinstance(data, Mapping):
        raise JournalError(f"data must be a mapping, not {type(data).__name__}")
    stored, copy = ("{}", {}) if not data else _canonical(data, "data")
    assert isinstance(copy, dict)
    moment = format_ts(ts)
    return (
        kind,
        text,
        actor,
        tz,
        moment,
        ts if ts.tzinfo is UTC else ts.astimezone(UTC),
        copy,
        stored,
    )


def _misfit(row: tuple[Any, ...]) -> MalformedEvent:
    """The exact complaint about a row whose columns do not have the types we store."""
    seq = row[1]
    if type(seq) is not int:
        return MalformedEvent(f"an event of incident {row[0]!r} has seq {seq!r}", None, "seq")
    for name, value in zip(COLUMNS.split(", "), row, strict=True):
        if name != "seq" and type(value) is not str:
            return MalformedEvent(
                f"event {seq}: {name} is not UTF-8 text: {value!r:.40}", seq, name
            )
    return MalformedEvent(f"event {seq}: unreadable", seq, "seq")


def decode_row(row: tuple[Any, ...]) -> Event:
    """A stored row as an Event, or MalformedEvent naming the seq and the column that is wrong."""
    incident, seq, id_, ts, tz, actor, kind, text, data, prev, hash_ = row
    if type(seq) is not int or not all(type(value) is str for value in row[2:]):
        raise _misfit(row)
    try:
        moment = parse_ts(ts)
    except ValueError as error:
        raise MalformedEvent(f"event {seq}: ts: {error}", seq, "ts") from error
    try:
        values = {} if data == "{}" else json.loads(data)
    except ValueError as error:
        raise MalformedEvent(f"event {seq}: data is not JSON: {error}", seq, "data") from error
    if type(values) is not dict:
        raise MalformedEvent(f"event {seq}: data is not a JSON object", seq, "data")
    return Event(incident, seq, id_, moment, tz, actor, kind, text, values, prev, hash_)


def data_dir(cli_value: str | None, env: Mapping[str, str], config_value: str | None) -> Path:
    """Where journals live: --data-dir, then CRISIS_DATA_DIR, then crisis.toml, then XDG."""
    for value in (cli_value, env.get("CRISIS_DATA_DIR"), config_value):
        if value:
            return Path(value).expanduser()
    xdg = env.get("XDG_DATA_HOME")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "crisis"
    home = env.get("HOME")
    return (Path(home) if home else Path.home()) / ".local" / "share" / "crisis"


def journal_path(directory: Path) -> Path:
    """The journal's database file inside a data directory."""
    return directory / JOURNAL_FILE


def _prepare(path: Path) -> None:
    """Create missing directories 0700 and the database 0600 before SQLite derives -wal/-shm."""
    missing = []
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        with suppress(FileExistsError):
            folder.mkdir(mode=0o700)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    try:
        os.close(os.open(path, flags | getattr(os, "O_NOFOLLOW", 0), 0o600))
    except FileExistsError:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise JournalError("not a regular file") from None
        if os.name == "posix" and info.st_mode & 0o077:
            raise JournalError(
                f"other users can access it (mode {stat.S_IMODE(info.st_mode):04o});"
                f" run `chmod 600 {path}` and try again"
            ) from None


def _configure(connection: sqlite3.Connection) -> None:
    """Set durability explicitly on every connection: build defaults differ."""
    connection.execute("PRAGMA busy_timeout = 10000")
    mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise JournalError(f"WAL mode is not available here (journal_mode is {mode})")
    connection.execute("PRAGMA synchronous = FULL")
    if sys.platform == "darwin":
        connection.execute("PRAGMA fullfsync = ON")
        connection.execute("PRAGMA checkpoint_fullfsync = ON")


@contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any failure, so a write never waits to upgrade."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def _version(connection: sqlite3.Connection) -> int:
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise JournalError(
            f"the journal has schema version {version}; this crisis knows up to"
            f" {SCHEMA_VERSION}: upgrade crisis"
        )
    return version


def migrate(connection: sqlite3.Connection) -> int:
    """Bring the schema up to SCHEMA_VERSION, one locked transaction per step; return it."""
    while _version(connection) < SCHEMA_VERSION:
        with _transaction(connection):
            version = _version(connection)
            if version == SCHEMA_VERSION:
                break
            if (
                version == 0
                and connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
            ):
                raise JournalError("the database holds other tables: it is not a crisis journal")
            for statement in MIGRATIONS[version + 1]:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {version + 1}")
    return SCHEMA_VERSION


class Journal:
    """The SQLite journal: one connection per thread, one BEGIN IMMEDIATE transaction per append."""

    def __init__(self, connection: sqlite3.Connection, path: Path, ids: IdMaker) -> None:
        self._connection = connection
        self._cursor = connection.cursor()
        self.path = path
        self._ids = ids

    @classmethod
    def open(cls, path: Path, *, ids: IdMaker = new_id) -> Journal:
        """Open (creating privately if needed) and migrate the journal at `path`."""
        with _failures(path, "cannot open the journal"):
            _prepare(path)
            connection = sqlite3.connect(path, timeout=10.0, isolation_level=None)
            try:
                _configure(connection)
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
        return self._write(incident, [_checked(kind, text, actor, tz, ts, data or {})])[0]

    def append_many(self, incident: str, entries: Iterable[Entry]) -> list[Event]:
        """Append several events in one transaction (imports, benchmarks); all or none commit."""
        checked = [_checked(e.kind, e.text, e.actor, e.tz, e.ts, e.data) for e in entries]
        return self._write(incident, checked)

    def _write(self, incident: str, checked: list[Checked]) -> list[Event]:
        """Chain and insert checked events in one BEGIN IMMEDIATE transaction, then COMMIT."""
        _text("incident", incident)
        cursor, appended, rows = self._cursor, [], []
        try:
            cursor.execute("BEGIN IMMEDIATE")
            try:
                row = cursor.execute(HEAD, (incident,)).fetchone()
                seq, prev = (int(row[0]), str(row[1])) if row else (0, GENESIS)
                for kind, text, actor, tz, ts, at, data, stored in checked:
                    seq += 1
                    id_ = self._ids(at)
                    digest = _digest(incident, seq, id_, ts, tz, actor, kind, text, stored, prev)
                    rows.append(
                        (incident, seq, id_, ts, tz, actor, kind, text, stored, prev, digest)
                    )
                    event = Event(incident, seq, id_, at, tz, actor, kind, text, data, prev, digest)
                    appended.append(event)
                    prev = digest
                if len(rows) == 1:
                    cursor.execute(INSERT, rows[0])
                else:
                    cursor.executemany(INSERT, rows)
                cursor.execute("COMMIT")
            except BaseException:
                if self._connection.in_transaction:
                    cursor.execute("ROLLBACK")
                raise
        except sqlite3.Error as error:
            raise JournalError(f"{self.path}: cannot append: {error}") from error
        return appended

    def events(self, incident: str) -> Iterator[Event]:
        """Every event of an incident in seq order, read in one snapshot."""
        with _failures(self.path, "cannot read the journal"):
            cursor = self._connection.execute(
                f"SELECT {COLUMNS} FROM events WHERE incident = ? ORDER BY seq", (incident,)
            )
            try:
                while rows := cursor.fetchmany(512):
                    for row in rows:
                        yield decode_row(row)
            finally:
                cursor.close()

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
