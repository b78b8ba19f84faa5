"""Journal benchmarks: durable appends against bare SQLite inserts, and reading 100,000 events.

Run with `python bench/journal.py` (from the repository). Both writers commit one transaction
per event in WAL mode with synchronous=FULL into the same schema, in short alternating rounds
so that load from other processes falls on both alike.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crisis.codec import COLUMNS, Entry  # noqa: E402
from crisis.journal import MIGRATIONS, Journal  # noqa: E402
from crisis.verify import verify  # noqa: E402

WARMUP = 1_000
ROUNDS = 101
APPENDS = 40
READ_EVENTS = 100_000
BATCH = 10_000
APPEND_TARGET = 0.8
READ_TARGET = 0.35
T0 = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
DATA = {"role": "comms", "attempt": 2, "reached": True}
TEXT = "Called the comms lead: no answer, left a message; Æøå"


def bare_floor(path: Path) -> Callable[[int], None]:
    """The floor: prepared rows inserted with plain sqlite3, one BEGIN IMMEDIATE/COMMIT each."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA busy_timeout = 10000")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    for statement in MIGRATIONS[1]:
        connection.execute(statement)
    insert = f"INSERT INTO events ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    data = '{"attempt":2,"reached":true,"role":"comms"}'
    seq = 0

    def run(count: int) -> None:
        nonlocal seq
        rows = []
        for _ in range(count):
            seq += 1
            ts = "2026-11-22T03:00:00.000000Z"
            event = ("INC-1", seq, uuid.uuid4().hex, ts, "Europe/Oslo", "kari", "note", TEXT)
            rows.append((*event, data, "0" * 64, "f" * 64))
        for values in rows:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(insert, values)
            connection.execute("COMMIT")

    return run


def journal_appends(path: Path) -> Callable[[int], None]:
    """Ours: Journal.append, which validates, chains, hashes and commits each event."""
    journal = Journal.open(path)

    def run(count: int) -> None:
        for number in range(count):
            journal.append(
                "INC-1",
                kind="note",
                text=TEXT,
                data=DATA,
                actor="kari",
                tz="Europe/Oslo",
                ts=T0 + timedelta(microseconds=number),
            )

    return run


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def appends(folder: Path) -> None:
    floor, ours = bare_floor(folder / "floor.sqlite3"), journal_appends(folder / "ours.sqlite3")
    floor(WARMUP)
    ours(WARMUP)
    floors, own, ratios = [], [], []
    for round_ in range(ROUNDS):
        pair = [lambda: floor(APPENDS), lambda: ours(APPENDS)]
        if round_ % 2:
            pair.reverse()
        first, second = (timed(action) for action in pair)
        floor_time, own_time = (first, second) if round_ % 2 == 0 else (second, first)
        floors.append(APPENDS / floor_time)
        own.append(APPENDS / own_time)
        ratios.append(floor_time / own_time)
    ratio = statistics.median(ratios)
    verdict = "ok" if ratio >= APPEND_TARGET else "UNDER TARGET"
    print(f"durable appends, one transaction each: {ROUNDS} alternating rounds of {APPENDS},")
    print(f"after {WARMUP:,} warm-up appends each (medians; the ratio is the median per round)")
    print(f"  bare sqlite3 insert: {statistics.median(floors):9.0f} /s")
    print(f"  Journal.append:      {statistics.median(own):9.0f} /s")
    print(f"  ratio:               {ratio:9.2f}x  (target >= {APPEND_TARGET}x: {verdict})")


def reads(folder: Path) -> None:
    path = folder / "read.sqlite3"
    with Journal.open(path) as journal:
        start = time.perf_counter()
        for first in range(0, READ_EVENTS, BATCH):
            journal.append_many(
                "INC-BIG",
                [
                    Entry("note", f"{TEXT} #{n}", "kari", "Europe/Oslo", T0, {**DATA, "n": n})
                    for n in range(first, first + BATCH)
                ],
            )
        created = time.perf_counter() - start
    times = []
    for _ in range(3):
        with Journal.open(path) as journal:
            start = time.perf_counter()
            count = sum(1 for _ in journal.events("INC-BIG"))
            times.append(time.perf_counter() - start)
        assert count == READ_EVENTS, count
    check = timed(lambda: verify(path, "INC-BIG", None))
    best = statistics.median(times)
    verdict = "ok" if best <= READ_TARGET else "OVER TARGET"
    print(f"read one incident of {READ_EVENTS:,} events back through events() (median of 3)")
    print(f"  bulk create (append_many, {BATCH:,} per transaction): {created:6.2f} s")
    print(f"  events():                {best:6.2f} s  (target <= {READ_TARGET} s: {verdict})")
    print(f"  verify() of the same:    {check:6.2f} s  (integrity check and the whole chain)")


def main() -> int:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        appends(folder)
        reads(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
