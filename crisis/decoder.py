"""Stored rows back into Events: fast where a row is as it was written, strict where it is not."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from crisis.codec import COLUMNS, Event, MalformedEvent, parse_ts

_scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


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


def _objects(texts: list[str]) -> list[Any]:
    """A batch of data texts decoded in one pass, or all None when they do not parse as one each."""
    # One scan shares the parser's cache of keys across rows and saves a call per row. If the
    # joined text does not parse as exactly one value per row, every row is decoded on its own.
    joined = "[" + ",".join(texts) + "]"
    try:
        values, end = _scan(joined, 0)
    except (ValueError, TypeError, StopIteration):
        return [None] * len(texts)
    return values if end == len(joined) and len(values) == len(texts) else [None] * len(texts)


def decode_rows(
    incident: str, common: tuple[Any, Any, Any], batches: Iterable[list[tuple[Any, ...]]]
) -> Iterator[Event]:
    """Batches of one incident's rows as Events; tz, actor or kind is None where it is `common`."""
    # The read path checks only what an Event needs: an aware UTC time and a JSON object. A row
    # that fails even that is decoded again strictly, which names the fault. verify() decodes
    # every row strictly and recomputes every hash; this path is for reading fast.
    fromisoformat, (tz0, actor0, kind0) = datetime.fromisoformat, common
    for rows in batches:
        for row, data in zip(rows, _objects([row[7] for row in rows]), strict=True):
            seq, id_, ts, tz, actor, kind, text, stored, prev, hash_ = row
            tz = tz0 if tz is None else tz
            actor = actor0 if actor is None else actor
            kind = kind0 if kind is None else kind
            try:
                moment = fromisoformat(ts)
                if moment.tzinfo is not UTC or type(data) is not dict:
                    raise ValueError("not as written")
            except (ValueError, TypeError):
                full = (incident, seq, id_, ts, tz, actor, kind, text, stored, prev, hash_)
                yield decode_row(full)
                continue
            yield Event(incident, seq, id_, moment, tz, actor, kind, text, data, prev, hash_)
