"""The export's events: one plain row per journal event, in sequence order, as the profile shows."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple, TextIO

from crisis.codec import Event
from crisis.drafts import KINDS as DRAFT_KINDS
from crisis.drafts import describe
from crisis.exports.clockface import Clockface
from crisis.exports.redact import Redactor

ROW_KEYS = (
    "seq", "id", "time", "tz", "actor", "kind", "text", "summary", "data", "prev", "hash",
    "redacted",
)  # fmt: skip
"""The keys of every row, in the order the formats write them."""
Row = dict[str, Any]
_BATCH = 256
"""Texts made before each write to the output."""


class Layout(NamedTuple):
    """How a format writes an export: the header, then the rows (which need only the header's
    incident id, exercise flag and profile), then an ending, so rows can be written first."""

    head: Callable[[Row, TextIO], None]
    body: Callable[[Iterable[Row], TextIO, Row], None]
    tail: Callable[[Row, TextIO], None]
    whole: bool = True
    """Whether the head shows the header; if not, the rows' three fields are all it needs."""
    said: bool = True
    """Whether the rows' text and data are written; if not, a profile need not rewrite them."""

    def write(self, header: Row, rows: Iterable[Row], out: TextIO) -> None:
        """The whole export, in order."""
        self.head(header, out)
        self.body(rows, out, header)
        self.tail(header, out)


def batched(texts: Iterable[str], out: TextIO, separator: str = "", first: str = "") -> None:
    """Write texts with a separator between them, a batch at a time: few writes, little held."""
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) == _BATCH:
            out.write(first + separator.join(batch))
            batch.clear()
            first = separator
    if batch:
        out.write(first + separator.join(batch))


def ending(text: str) -> Callable[[Row, TextIO], None]:
    """A tail that is the same text whatever the header says."""

    def tail(header: Row, out: TextIO) -> None:
        out.write(text)

    return tail


def summary(event: Event) -> str:
    """One line saying what the event was, for timelines and spreadsheets."""
    if event.kind in DRAFT_KINDS:
        return describe(event.kind, event.text, event.data)
    if event.kind == "notified":
        return tried(event.text, event.data)
    return " ".join(event.text.split())


def tried(note: str, data: Mapping[str, Any]) -> str:
    """An attempt to reach someone in one line: the role, who was tried, how it went, the note."""
    said = f"{data.get('role', '?')}: {data.get('person', '?')}, {data.get('outcome', '?')}"
    note = " ".join(note.split())
    return f"{said}: {note}" if note else said


def rows(
    events: Iterable[Event],
    when: Clockface,
    redactor: Redactor,
    redacted: Mapping[int, int],
    last: int | None = None,
    said: bool = True,
) -> Iterator[dict[str, Any]]:
    """Each event up to seq `last` as a row; one redacted by a later correction keeps its place.

    Without `said`, the rows' text and data are left as they are: for a writer that omits them."""
    if not redactor.active:
        yield from _plain(events, when, redacted, last)
        return
    rewrite, text = redactor.row if said else redactor.row_outline, redactor.text
    for row in _plain(events, when, redacted, last):
        if row["kind"] != "notified" or row["redacted"] or type(row["data"]) is not dict:
            yield rewrite(row)
            continue
        # An attempt's summary is made again from its parts as the profile shows them: each part
        # recurs (and is remembered), where the whole line is new each time.
        note, data = row["text"], row["data"]
        row["summary"] = ""
        row = rewrite(row)
        parts = {key: text(value) if type(value) is str else value for key, value in data.items()}
        row["summary"] = tried(text(note), parts)
        yield row


def _plain(
    events: Iterable[Event], when: Clockface, redacted: Mapping[int, int], last: int | None
) -> Iterator[dict[str, Any]]:
    """The rows as the `internal` profile shows them: nothing rewritten."""
    drafts = frozenset(DRAFT_KINDS)
    for event in events:
        seq, kind, text, data = event.seq, event.kind, event.text, event.data
        if last is not None and seq > last:
            return  # written after the header was taken: not part of this export
        by = redacted.get(seq) if redacted else None
        if by is not None:
            hidden = withheld(event, by)
            text = said = hidden.text
            data = hidden.data
        elif kind in drafts:
            said = describe(kind, text, data)
        elif kind == "notified":
            said = tried(text, data)
        else:
            said = " ".join(text.split())
            if said == text:
                said = text  # the same object: a redactor rewrites it once
        yield {
            "seq": seq,
            "id": event.id,
            "time": when(event.ts),
            "tz": event.tz,
            "actor": event.actor,
            "kind": kind,
            "text": text,
            "summary": said,
            "data": data,
            "prev": event.prev,
            "hash": event.hash,
            "redacted": by is not None,
        }


STRUCTURE = frozenset(
    {"role", "person", "outcome", "level", "draft", "version", "sha256", "channel", "step",
     "status", "clock", "duty", "template", "locale", "audience", "playbook", "aware_at", "at",
     "key", "source", "exercise", "ref", "redact", "score"}
)  # fmt: skip
"""Data keys that say what happened, not what was said: kept when an event is redacted."""


def withheld(event: Event, by: int | None) -> Event:
    """The event as an export may use it: a redacted one keeps its structure, not its words."""
    if by is None:
        return event
    mark = f"[redacted by event {by}]"

    def blank(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: blank(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [blank(v, key) for v in value]
        if isinstance(value, str) and key not in STRUCTURE:
            return mark
        return value

    return Event(
        event.incident, event.seq, event.id, event.ts, event.tz, event.actor, event.kind,
        mark, blank(event.data), event.prev, event.hash,
    )  # fmt: skip
