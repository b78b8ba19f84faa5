"""Exporting an incident of 100,000 events to each format, against dumping its rows as JSON Lines.

Run with `python bench/export.py [EVENTS] [FORMAT,...] [PROFILE,...]` (default: 100,000 events,
every format, profiles internal and public). The floor, measured in the same run, reads the same
rows with a plain SELECT and writes each as one JSON line. The export is `crisis.exports.stream`,
what `crisis export` runs. Targets: at most 2x the floor in time, and a peak of memory (traced by
tracemalloc) that does not grow with the number of events: 10x the events, under 1.5x the peak.
The time target is the issue's, for the complete (`internal`) export; `public` also rewrites every
string it writes, and its ratio is printed beside it without a target. Exits 1 if a target is
missed.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.fold import START, entry  # noqa: E402
from crisis.catalog import load_catalog  # noqa: E402
from crisis.clock import today  # noqa: E402
from crisis.engine import Desk  # noqa: E402
from crisis.exports import FORMATS, stream  # noqa: E402
from crisis.journal import Journal  # noqa: E402

ROUNDS = 3
TARGET = 2.0
GROWTH = 1.5


def build(path: Path, events: int) -> None:
    """An account-hijack incident, then `events` more: notes, attempts, assessments."""
    with Journal.open(path) as journal:
        first = {"playbook": "account-hijack", "aware_at": START.isoformat(), "facts": {}}
        journal.append(
            "INC-1", kind="declared", text="t", data=first, actor="ingrid", tz="Europe/Oslo",
            ts=START,
        )  # fmt: skip
        for chunk in range(1, events, 10_000):
            journal.append_many(
                "INC-1", [entry(i) for i in range(chunk, min(chunk + 10_000, events))]
            )


def floor(path: Path, out: Path) -> None:
    """The bare dump: every row of the incident as one JSON line."""
    connection = sqlite3.connect(path)
    query = (
        "SELECT seq, id, ts, tz, actor, kind, text, data, prev, hash FROM events "
        "WHERE incident = ? ORDER BY seq"
    )
    names = ("seq", "id", "ts", "tz", "actor", "kind", "text", "data", "prev", "hash")
    with out.open("w", encoding="utf-8") as sink:
        for row in connection.execute(query, ("INC-1",)):
            record = dict(zip(names, row, strict=True))
            record["data"] = json.loads(record["data"])
            sink.write(json.dumps(record, ensure_ascii=False))
            sink.write("\n")
    connection.close()


def exporter(path: Path, fmt: str, profile: str) -> Callable[[Path], None]:
    catalog = load_catalog(REPO, today())

    def run(out: Path) -> None:
        with Journal.open(path) as journal:
            desk = Desk(catalog, journal, "bench", "Europe/Oslo", lambda: START + timedelta(days=1))
            with out.open("w", encoding="utf-8", newline="") as sink:
                stream(
                    journal, "INC-1", catalog.playbook, desk.scale, desk.roster, desk.clock(),
                    fmt, sink, profile,
                )  # fmt: skip

    return run


def timed(run: Callable[[Path], None], out: Path) -> float:
    start = time.perf_counter()
    run(out)
    return time.perf_counter() - start


def peak(run: Callable[[Path], None], out: Path) -> int:
    tracemalloc.start()
    run(out)
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


def main() -> int:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    formats = sys.argv[2].split(",") if len(sys.argv) > 2 else FORMATS
    profiles = sys.argv[3].split(",") if len(sys.argv) > 3 else ("internal", "public")
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        small, large = base / "small.sqlite3", base / "large.sqlite3"
        build(small, events // 10)
        build(large, events)
        out = base / "out"
        print(f"exporting {events:,} events; floor = SELECT + one JSON line per row, same run")
        for profile in profiles:
            for fmt in formats:
                run = exporter(large, fmt, profile)
                base_times, times = [], []
                for _ in range(ROUNDS):  # interleaved, so that the machine's mood hits both
                    base_times.append(timed(lambda o: floor(large, o), out))
                    times.append(timed(run, out))
                ratio = statistics.median(times) / statistics.median(base_times)
                top = peak(run, out)
                grow = top / max(peak(exporter(small, fmt, profile), out), 1)
                floor_grow = peak(lambda o: floor(large, o), out) / max(
                    peak(lambda o: floor(small, o), out), 1
                )
                judged = profile == "internal"  # the target; redaction costs more
                verdict = "ok" if ratio <= TARGET else "OVER TARGET" if judged else "over 2x"
                flat = "ok" if grow <= GROWTH else "GROWS"
                failed |= judged and ratio > TARGET or grow > GROWTH
                print(
                    f"{fmt:>4} {profile:<8} {statistics.median(times):6.2f} s  "
                    f"floor {statistics.median(base_times):5.2f} s  {ratio:4.2f}x  {verdict}; "
                    f"peak memory {top / 2**20:5.1f} MiB, x{grow:4.2f} for 10x the events "
                    f"(floor x{floor_grow:4.2f})  {flat}"
                )
                os.sync()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
