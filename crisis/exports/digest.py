"""The fold an export reads the journal with: the header's long lists go to disk as they pass, so
memory stays flat however long the incident is."""

from __future__ import annotations

import json
import tempfile
from _json import make_encoder
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from json.encoder import encode_basestring
from typing import Any

from crisis.exports.clockface import Clockface
from crisis.exports.header import Json, attempt_item, change_item
from crisis.incident import Attempt, EventLike, Incident, Note, Replay, SeverityChange

_ENCODE = make_encoder(
    None, json.JSONEncoder().default, encode_basestring, None, ":", ",", False, False, True
)
"""Compact JSON, as `json.dumps(..., ensure_ascii=False, separators=(",", ":"))` writes it."""
_BATCH = 256
"""Items encoded before each write to the file."""
_REACHED = ("reached", "acknowledged")


class Spool:
    """A list of JSON values kept in a private temporary file, read back as often as needed."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")  # noqa: SIM115
        self._count = 0
        self._waiting: list[str] = []

    def append(self, item: Json) -> None:
        waiting = self._waiting
        waiting.append("".join(_ENCODE(item, 0)))
        self._count += 1
        if len(waiting) == _BATCH:
            self._write()

    def _write(self) -> None:
        if self._waiting:
            self._file.write("\n".join(self._waiting) + "\n")
            self._waiting.clear()

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Json]:
        """The items in the order they were added; appends after a read go on at the end."""
        spool = self._file
        self._write()
        spool.flush()
        end = spool.tell()
        spool.seek(0)
        try:
            while line := spool.readline():
                yield json.loads(line)
        finally:
            spool.seek(end)

    def close(self) -> None:
        self._file.close()


class Digest(Replay):
    """A replay that keeps only what status and the header's metrics need of the severity history
    and the attempts, and none of the notes; each change and attempt is spooled as shown."""

    def __init__(
        self,
        incident_id: str,
        first: EventLike,
        when: Clockface,
        names: Mapping[str, str],
        shown: Callable[[Json], Json],
    ) -> None:
        super().__init__(incident_id, first)
        self.when, self.names, self.shown = when, names, shown
        self.history = Spool()
        self.tries: dict[str, Spool] = {}
        self._seen_levels: set[str] = set()
        self._latest_only = False  # the last kept change is kept only as the latest
        self._kept: dict[str, list[Attempt]] = {}
        self._persons: dict[str, set[str]] = {}
        self._flags: dict[str, tuple[bool, bool, bool]] = {}  # reached, acknowledged, latest only

    def changed(self, change: SeverityChange) -> None:
        """Spool the change; keep it if its level is new (which roles it required, since when) or
        as the latest (the severity now)."""
        self.history.append(self.shown(change_item(change, self.names, self.when)))
        kept = self.severity_history
        if self._latest_only:
            kept.pop()
        self._latest_only = change.level in self._seen_levels
        self._seen_levels.add(change.level)
        kept.append(change)

    def attempted(self, attempt: Attempt) -> None:
        """Spool the attempt; keep a role's first try of each person, its first reach, its first
        acknowledgement and its latest try: all that status and the metrics ask of them."""
        role = attempt.role
        spool = self.tries.get(role)
        if spool is None:
            spool = self.tries[role] = Spool()
            self._kept[role], self._persons[role] = [], set()
            self._flags[role] = (False, False, False)
        spool.append(self.shown(attempt_item(attempt, self.when)))
        kept, persons = self._kept[role], self._persons[role]
        reached, acknowledged, latest_only = self._flags[role]
        if latest_only:
            kept.pop()
        wanted = attempt.person not in persons
        if attempt.outcome in _REACHED and not reached:
            wanted = reached = True
        if attempt.outcome == "acknowledged" and not acknowledged:
            wanted = acknowledged = True
        persons.add(attempt.person)
        kept.append(attempt)
        self._flags[role] = (reached, acknowledged, not wanted)

    def noted(self, note: Note) -> None:
        """Notes are in the rows; neither status nor the header reads them."""

    def state(self) -> Incident:
        attempts = tuple(a for kept in self._kept.values() for a in kept)
        return replace(super().state(), attempts=attempts)

    def lists(self) -> tuple[Spool, dict[str, Spool]]:
        """The spooled severity history and attempts by role, as the header shows them."""
        return self.history, self.tries

    def close(self) -> None:
        self.history.close()
        for spool in self.tries.values():
            spool.close()


def spooled(value: Any) -> bool:
    """Whether a header value is a spooled list, which writers stream rather than hold."""
    return isinstance(value, Spool)
