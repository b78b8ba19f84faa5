"""An in-memory journal for the engine's tests: atomic batches, `after` heads, a log of writes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crisis.codec import Conflict, Entry


@dataclass(frozen=True)
class Recorded:
    """An event as the in-memory store keeps it."""

    incident: str
    seq: int
    ts: datetime
    actor: str
    kind: str
    text: str
    data: dict[str, Any]
    tz: str
    hash: str = ""


@dataclass
class MemoryStore:
    """An in-memory store with `append_many`, logging each write call and the kinds it wrote."""

    rows: list[Recorded] = field(default_factory=list)
    calls: list[tuple[str, list[str]]] = field(default_factory=list)

    def append(self, incident: str, **fields: Any) -> Recorded:
        self.calls.append(("append", [fields["kind"]]))
        return self._add(incident, [fields])[0]

    def append_many(
        self, incident: str, entries: Iterable[Entry], *, after: int | None = None
    ) -> list[Recorded]:
        batch = list(entries)
        self.calls.append(("append_many", [entry.kind for entry in batch]))
        seen = self.head(incident)
        if after is not None and (seen[0] if seen else 0) != after:
            raise Conflict(f"{incident} changed")
        return self._add(
            incident,
            [
                {
                    "kind": e.kind,
                    "text": e.text,
                    "actor": e.actor,
                    "tz": e.tz,
                    "ts": e.ts,
                    "data": dict(e.data),
                }
                for e in batch
            ],
        )

    def _add(self, incident: str, batch: list[dict[str, Any]]) -> list[Recorded]:
        seq = sum(1 for row in self.rows if row.incident == incident)
        new = [Recorded(incident=incident, seq=seq + i, **f) for i, f in enumerate(batch, 1)]
        self.rows.extend(new)  # all at once: the batch is written whole or not at all
        return new

    def events(self, incident: str, after: int = 0) -> list[Recorded]:
        return [row for row in self.rows if row.incident == incident and row.seq > after]

    def incidents(self) -> list[str]:
        return list(dict.fromkeys(row.incident for row in self.rows))

    def head(self, incident: str) -> tuple[int, str] | None:
        rows = self.events(incident)
        return (rows[-1].seq, rows[-1].hash) if rows else None
