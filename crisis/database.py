"""The journal's SQLite file: where it lives, and how it is created, configured and migrated."""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

from crisis.codec import JournalError

SCHEMA_VERSION = 1
JOURNAL_FILE = "journal.sqlite3"
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


def prepare(path: Path) -> None:
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


def configure(connection: sqlite3.Connection) -> None:
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
def transaction(connection: sqlite3.Connection) -> Iterator[None]:
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
        with transaction(connection):
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
