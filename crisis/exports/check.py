"""Checks a JSON export against itself: the hash chain of its events and the head it states."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crisis.codec import GENESIS, Event, JournalError, event_hash, format_ts, parse_ts
from crisis.exports.rows import summary
from crisis.incident import fold
from crisis.verify import BROKEN, DAMAGED, MISMATCH, OK, Verdict


def _events(incident: str, rows: list[Any]) -> Iterator[Event]:
    """The rows as journal events; a redacted one keeps its structure but not its words."""
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


def _chain(incident: str, rows: list[Any], recompute: bool) -> Verdict:
    """Events run 1, 2, 3..., each links to the one before and, if asked, hashes as recorded."""
    prev = GENESIS
    for expected, (row, event) in enumerate(zip(rows, _events(incident, rows), strict=True), 1):
        if event.seq != expected:
            message = f"seq {event.seq} found where {expected} was expected"
            return Verdict(BROKEN, message, expected, "seq")
        if event.prev != prev:
            message = f"event {expected} does not link to event {expected - 1}"
            return Verdict(BROKEN, message, expected, "prev")
        if recompute and not row.get("redacted"):
            computed = event_hash(event.fields())
            if computed != event.hash:
                message = f"event {expected} was altered: stored hash {event.hash[:12]}"
                return Verdict(BROKEN, f"{message}, content hashes to {computed[:12]}", expected)
            if row["summary"] != summary(event):
                message = f"event {expected}'s summary does not say what the event records"
                return Verdict(BROKEN, message, expected, "summary")
        prev = event.hash
    return Verdict(OK, f"{len(rows)} event(s)", head=(len(rows), prev) if rows else None)


def _header_differs(document: dict[str, Any], rows: list[Any]) -> str | None:
    """Which part of the header the events contradict: the header is derived, never trusted."""
    state = fold(document["incident"]["id"], _events(document["incident"]["id"], rows))
    utc = format_ts

    def time(value: Any) -> str | None:
        return value["utc"] if value else None

    expected: dict[str, Any] = {
        "incident.title": (state.title, document["incident"]["title"]),
        "incident.severity": (state.severity, document["incident"]["severity"]),
        "incident.summary": (state.summary or None, document["incident"]["summary"]),
        "exercise": (state.exercise, document["exercise"]),
        "times.aware": (utc(state.aware_at), time(document["times"]["aware"])),
        "times.declared": (utc(state.declared_at), time(document["times"]["declared"])),
        "times.closed": (
            utc(state.closed_at) if state.closed_at else None,
            time(document["times"]["closed"]),
        ),
        "severity_history": (
            [(utc(c.at), c.level, c.override) for c in state.severity_history],
            [(time(c["at"]), c["level"], c["override"]) for c in document["severity_history"]],
        ),
        "statements": (
            sorted(
                (utc(p.at), p.sha256, p.text, p.channel, p.override or None)
                for d in state.drafts.values()
                for p in d.publications
            ),
            sorted(
                (time(s["at"]), s["sha256"], s["text"], s["channel"], s["override"])
                for s in document["statements"]
            ),
        ),
        "notifications": (
            sorted((utc(a.at), a.role, a.person, a.outcome) for a in state.attempts),
            sorted(
                (time(a["at"]), n["role"], a["person"], a["outcome"])
                for n in document["notifications"]
                for a in n["attempts"]
            ),
        ),
        "lessons": (
            {k: state.lessons.get(k) or None for k in ("went_well", "went_wrong", "lucky")},
            document["lessons"],
        ),
        "follow_ups": (
            [(f.owner, f.action) for f in state.follow_ups],
            [(f["owner"], f["action"]) for f in document["follow_ups"]],
        ),
    }
    for name, (derived, stated) in expected.items():
        if derived != stated:
            return name
    return None


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
    complete = profile == "internal"
    try:
        verdict = _chain(incident, rows, complete)
        differs = _header_differs(document, rows) if complete and verdict.ok else None
    except (JournalError, KeyError, TypeError, ValueError) as error:
        return Verdict(BROKEN, f"{path}: an event cannot be read: {error}")
    if not verdict.ok:
        return Verdict(verdict.code, f"{path}: {verdict.message}", verdict.seq, verdict.field)
    if verdict.head != stated:
        message = f"{path}: the events end at {verdict.head}, the header says {stated}"
        return Verdict(BROKEN, message)
    if differs is not None:
        message = f"{path}: the header's {differs} does not match what the events record"
        return Verdict(BROKEN, message, None, differs)
    if expect_head is not None:
        seq, digest = expect_head
        hashes = {row["seq"]: row["hash"] for row in rows}
        if not hashes.get(seq, "").startswith(digest.lower()):
            message = f"{path}: event {seq} does not match the expected head {seq}:{digest}"
            return Verdict(MISMATCH, message, seq)
    withheld = sum(1 for row in rows if row.get("redacted"))
    how = f"{profile} profile: links checked, text redacted"
    if complete:
        how = "every hash recomputed" + (f" but {withheld} redacted" if withheld else "")
    head = f"{stated[0]}:{stated[1][:12]}"
    return Verdict(
        OK, f"{path}: incident {incident!r}: {len(rows)} event(s), head {head}; {how}", head=stated
    )
