"""The export's events: one plain row per journal event, in sequence order, as the profile shows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from crisis.codec import Event
from crisis.drafts import KINDS as DRAFT_KINDS
from crisis.drafts import describe
from crisis.exports.header import Clockface
from crisis.exports.redact import Redactor


def summary(event: Event) -> str:
    """One line saying what the event was, for timelines and spreadsheets."""
    if event.kind in DRAFT_KINDS:
        return describe(event.kind, event.text, event.data)
    return " ".join(event.text.split())


def rows(
    events: Iterable[Event],
    when: Clockface,
    redactor: Redactor,
    redacted: Mapping[int, int],
) -> Iterator[dict[str, Any]]:
    """Each event as a row; an event redacted by a later correction keeps only its place."""
    if not redactor.active:
        yield from _plain(events, when, redacted)
        return
    for event in events:
        by = redacted.get(event.seq)
        text, data = event.text, event.data
        if by is not None:
            text, data = f"[redacted by event {by}]", {}
        row = {
            "seq": event.seq,
            "id": event.id,
            "time": when(event.ts),
            "tz": event.tz,
            "actor": redactor.person(event.actor),
            "kind": event.kind,
            "text": redactor.text(text),
            "summary": redactor.text(text if by is not None else summary(event)),
            "data": redactor.value(data),
            "prev": event.prev,
            "hash": event.hash,
            "redacted": by is not None,
        }
        yield row


def _plain(
    events: Iterable[Event], when: Clockface, redacted: Mapping[int, int]
) -> Iterator[dict[str, Any]]:
    """The rows of the `internal` profile: nothing to rewrite, so nothing is walked."""
    for event in events:
        by = redacted.get(event.seq)
        text, data, said = event.text, event.data, None
        if by is not None:
            text, data, said = f"[redacted by event {by}]", {}, f"[redacted by event {by}]"
        yield {
            "seq": event.seq,
            "id": event.id,
            "time": when(event.ts),
            "tz": event.tz,
            "actor": event.actor,
            "kind": event.kind,
            "text": text,
            "summary": said or summary(event),
            "data": data,
            "prev": event.prev,
            "hash": event.hash,
            "redacted": by is not None,
        }
