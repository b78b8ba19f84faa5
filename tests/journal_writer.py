"""A journal writer for the concurrency and crash tests: appends and acknowledges each commit.

Usage: `python tests/journal_writer.py DB INCIDENT COUNT|forever ACTOR`. It prints `READY` once
the journal is open, then `ACK <seq> <hash>` (flushed) after each append returns, and `DONE`.
"""

from __future__ import annotations

import itertools
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crisis.journal import Journal  # noqa: E402

START = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


def main(argv: list[str]) -> int:
    db, incident, count, actor = argv
    numbers = itertools.count(1) if count == "forever" else range(1, int(count) + 1)
    out = sys.stdout
    with Journal.open(Path(db)) as journal:
        out.write("READY\n")
        out.flush()
        for number in numbers:
            event = journal.append(
                incident,
                kind="note",
                text=f"{actor} note {number}",
                data={"n": number, "actor": actor},
                actor=actor,
                tz="Europe/Oslo",
                ts=START + timedelta(milliseconds=number),
            )
            out.write(f"ACK {event.seq} {event.hash}\n")
            out.flush()
    out.write("DONE\n")
    out.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
