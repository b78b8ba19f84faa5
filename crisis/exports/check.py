"""Checks a JSON export against itself: its hash chain, its redactions, header and stated head."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crisis.codec import GENESIS, Event, JournalError, event_hash, format_ts, parse_ts
from crisis.exports.rows import summary, withheld
from crisis.incident import fold
from crisis.verify import BROKEN, DAMAGED, MISMATCH, OK, Verdict, checked_head


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


def _redacts(row: Any) -> int | None:
    """The seq a row's correction redacts, or None when the row is no redacting correction."""
    data = row["data"]
    if row["kind"] != "correction" or not isinstance(data, dict) or data.get("redact") is not True:
        return None
    ref = data.get("ref")
    return ref if type(ref) is int and ref < row["seq"] else None


def _redactions(incident: str, rows: list[Any]) -> Verdict | None:
    """Where a row's redaction mark disagrees with the corrections: a mark must be earned."""
    named: dict[int, int] = {}  # the mark each redacted event carries: its last correction
    for row in rows:
        ref = _redacts(row)
        if ref is not None and row.get("redacted"):  # nothing could show it is genuine
            message = f"event {row['seq']} is a redaction that is itself redacted, which crisis "
            return Verdict(BROKEN, message + "never records", row["seq"], "redacted")
        if ref is not None:
            named[ref] = row["seq"]
    for row, event in zip(rows, _events(incident, rows), strict=True):
        seq = event.seq
        if not row.get("redacted"):
            if seq in named:
                message = f"event {seq} is redacted by event {named[seq]} but not marked so"
                return Verdict(BROKEN, message, seq, "redacted")
            continue
        if seq not in named:
            message = f"event {seq} is marked redacted, but no later correction redacts it"
            return Verdict(BROKEN, message, seq, "redacted")
        by = named[seq]
        hidden = withheld(event, by)
        shown = (("text", event.text, hidden.text), ("summary", row["summary"], hidden.text))
        for field, found, due in (*shown, ("data", event.data, hidden.data)):
            if found != due:
                message = f"event {seq}'s {field} is not what redaction by event {by} leaves"
                return Verdict(BROKEN, message, seq, field)
    return None


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
        "corrections": (
            [(c.seq, c.ref, utc(c.at), c.by, c.text, c.redact) for c in state.corrections],
            [
                (c["seq"], c["ref"], time(c["at"]), c["by"], c["text"], c["redact"])
                for c in document["corrections"]
            ],
        ),
    }
    for name, (derived, stated) in expected.items():
        if derived != stated:
            return name
    return None


def verify_export(path: Path, expect_head: tuple[int, str] | None = None) -> Verdict:
    """Recompute an export's chain: every hash for `internal`, the links for redacted profiles.

    `expect_head` needs 12 to 64 hex digits of the hash, as for the journal; a JournalError if not.
    """
    anchor = checked_head(expect_head)
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
        if verdict.ok:
            verdict = _redactions(incident, rows) or verdict
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
    if anchor is not None:
        seq, digest = anchor
        hashes = {row["seq"]: row["hash"] for row in rows}
        if seq not in hashes:
            message = f"{path}: the export ends at event {stated[0]}, before expected head {seq}"
            return Verdict(MISMATCH, message, seq, "seq")
        if not hashes[seq].startswith(digest):
            message = f"{path}: event {seq} hashes to {hashes[seq][:12]}, the expected head says"
            return Verdict(MISMATCH, f"{message} {digest[:12]}", seq, "hash")
    redacted = sum(1 for row in rows if row.get("redacted"))
    how = f"{profile} profile: links checked and redactions matched, text redacted"
    if complete:
        how = "every hash recomputed" + (f" but {redacted} redacted" if redacted else "")
    head = f"{stated[0]}:{stated[1][:12]}"
    return Verdict(
        OK, f"{path}: incident {incident!r}: {len(rows)} event(s), head {head}; {how}", head=stated
    )
