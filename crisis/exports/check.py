"""Checks a JSON export against itself: the hash chain of its events and the head it states."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crisis.codec import GENESIS, Event, JournalError, parse_ts
from crisis.verify import BROKEN, DAMAGED, MISMATCH, OK, Verdict, verify_events


def _events(incident: str, rows: list[Any]) -> Iterator[Event]:
    for row in rows:
        yield Event(
            incident,
            row["seq"],
            row["id"],
            parse_ts(row["time"]["utc"]),
            row["tz"],
            row["actor"],
            row["kind"],
            row["text"],
            row["data"],
            row["prev"],
            row["hash"],
        )


def _links(rows: list[Any]) -> Verdict:
    """For a redacted export: events run 1, 2, 3... and each links to the hash before it."""
    prev = GENESIS
    for expected, row in enumerate(rows, 1):
        if row["seq"] != expected:
            return Verdict(
                BROKEN, f"seq {row['seq']} found where {expected} was expected", expected
            )
        if row["prev"] != prev:
            return Verdict(
                BROKEN, f"event {expected} does not link to event {expected - 1}", expected
            )
        prev = row["hash"]
    head = (len(rows), prev) if rows else None
    return Verdict(OK, f"{len(rows)} event(s) linked", head=head)


def verify_export(path: Path, expect_head: tuple[int, str] | None = None) -> Verdict:
    """Recompute an export's chain: every hash for `internal`, the links for redacted profiles."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        incident = document["incident"]["id"]
        rows = document["events"]
        stated = (int(document["head"]["seq"]), str(document["head"]["hash"]))
        profile = document["profile"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        return Verdict(DAMAGED, f"{path}: not a crisis JSON export: {error}")
    if document.get("format") != "crisis-incident-export":
        return Verdict(DAMAGED, f"{path}: not a crisis JSON export (format)")
    complete = profile == "internal" and not any(row.get("redacted") for row in rows)
    try:
        verdict = verify_events(_events(incident, rows), expect_head) if complete else _links(rows)
    except (JournalError, KeyError, TypeError, ValueError) as error:
        return Verdict(BROKEN, f"{path}: an event cannot be read: {error}")
    if verdict.code != OK:
        return Verdict(verdict.code, f"{path}: {verdict.message}", verdict.seq, verdict.field)
    if verdict.head != stated:
        return Verdict(
            BROKEN, f"{path}: the events end at {verdict.head}, the header says {stated}"
        )
    if not complete and expect_head is not None:
        seq, digest = expect_head
        hashes = {row["seq"]: row["hash"] for row in rows}
        if not hashes.get(seq, "").startswith(digest.lower()):
            return Verdict(MISMATCH, f"{path}: event {seq} does not match the expected head", seq)
    how = (
        "every hash recomputed" if complete else f"{profile} profile: links checked, text redacted"
    )
    head = f"{stated[0]}:{stated[1][:12]}"
    return Verdict(
        OK, f"{path}: incident {incident!r}: {len(rows)} event(s), head {head}; {how}", head=stated
    )
