"""Rebuilding an incident's state from 100,000 journal events, against reading the bare rows.

Run with `python bench/fold.py`. The floor is a plain SELECT of the same rows with their data
decoded by `json.loads`, measured in the same run; the target is under one second in all.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crisis.incident import fold  # noqa: E402
from crisis.journal import Entry, Journal  # noqa: E402

EVENTS = 100_000
ROUNDS = 3
START = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def entry(i: int) -> Entry:
    """A mix of the kinds a long incident accumulates: notes, attempts, assessments."""
    ts = START + timedelta(seconds=i)
    kind = ("note", "notified", "assessed", "note")[i % 4]
    data: dict[str, object] = {}
    if kind == "notified":
        data = {"role": "legal", "person": "henrik", "outcome": "no-answer"}
    elif kind == "assessed":
        data = {"answers": {"audience": i}, "level": "high", "score": 3, "reasons": ["Audience"]}
    return Entry(kind=kind, text=f"event {i}", actor="ingrid", tz="Europe/Oslo", ts=ts, data=data)


def build(path: Path) -> None:
    with Journal.open(path) as journal:
        first = {"playbook": "account-hijack", "aware_at": START.isoformat(), "facts": {}}
        journal.append(
            "INC-1",
            kind="declared",
            text="t",
            data=first,
            actor="ingrid",
            tz="Europe/Oslo",
            ts=START,
        )
        for chunk in range(1, EVENTS, 10_000):
            journal.append_many(
                "INC-1", [entry(i) for i in range(chunk, min(chunk + 10_000, EVENTS))]
            )


def floor(path: Path) -> int:
    """The bare read: every row of the incident, its data decoded."""
    connection = sqlite3.connect(path)
    query = "SELECT seq, ts, kind, text, data FROM events WHERE incident = ? ORDER BY seq"
    count = 0
    for _seq, _ts, _kind, _text, data in connection.execute(query, ("INC-1",)):
        json.loads(data)
        count += 1
    connection.close()
    return count


def rebuild(path: Path) -> int:
    with Journal.open(path) as journal:
        return fold("INC-1", journal.events("INC-1")).head[0]


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data" / "journal.sqlite3"
        build(path)
        assert rebuild(path) == EVENTS
        floors, ours = [], []
        for _ in range(ROUNDS):
            for action, times in ((floor, floors), (rebuild, ours)):
                start = time.perf_counter()
                action(path)
                times.append(time.perf_counter() - start)
    base, own = statistics.median(floors), statistics.median(ours)
    print(f"rebuild an incident from {EVENTS:,} events (median of {ROUNDS})")
    print(f"  bare SELECT + json.loads:   {base:6.2f} s")
    print(f"  Journal.events + fold:      {own:6.2f} s  ({own / base:.2f}x the floor)")
    print(f"  target under 1 s: {'ok' if own < 1 else 'OVER TARGET'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
