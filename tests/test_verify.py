"""`verify`: each kind of damage gives its documented code and names the first bad seq."""

from __future__ import annotations

import dataclasses
import random
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crisis.codec import COLUMNS, Event, JournalError, event_hash, format_ts
from crisis.journal import Journal
from crisis.verify import BROKEN, DAMAGED, MISMATCH, OK, Verdict, verify, verify_events

T0 = datetime(2026, 11, 22, 3, 52, tzinfo=UTC)
INCIDENT = "INC-1"
Tamper = Callable[[sqlite3.Connection], None]
Anchor = Callable[[list[Event]], tuple[int, str] | None]


def build(path: Path, count: int = 6, filler: str = "") -> list[Event]:
    """A journal with `count` events of INC-1, interleaved with events of another incident."""
    with Journal.open(path) as journal:
        for number in range(1, count + 1):
            for incident in (INCIDENT, "INC-2"):
                journal.append(
                    incident,
                    kind="note",
                    text=f"note {number}: Æøå 🚨{filler}",
                    data={"n": number},
                    actor="kari",
                    tz="Europe/Oslo",
                    ts=T0 + timedelta(minutes=number),
                )
        return list(journal.events(INCIDENT))


def tamper(path: Path, change: Tamper) -> None:
    """Change rows behind the journal's back: drop the triggers, then write directly."""
    raw = sqlite3.connect(path, isolation_level=None)
    try:
        raw.execute("DROP TRIGGER events_no_update")
        raw.execute("DROP TRIGGER events_no_delete")
        change(raw)
    finally:
        raw.close()


def flip_text(raw: sqlite3.Connection) -> None:
    (text,) = raw.execute("SELECT text FROM events WHERE incident = ? AND seq = 3", (INCIDENT,))
    changed = bytearray(text[0].encode("utf-8"))
    changed[0] ^= 0x01
    raw.execute(
        "UPDATE events SET text = ? WHERE incident = ? AND seq = 3",
        (changed.decode("utf-8"), INCIDENT),
    )


def swap_rows(raw: sqlite3.Connection) -> None:
    """Exchange every column of seq 2 and seq 4, so each row is intact but the order is not."""
    query = f"SELECT position, {COLUMNS} FROM events WHERE incident = ? AND seq = ?"
    second = raw.execute(query, (INCIDENT, 2)).fetchone()
    fourth = raw.execute(query, (INCIDENT, 4)).fetchone()
    raw.execute("BEGIN")
    raw.execute("DELETE FROM events WHERE position IN (?, ?)", (second[0], fourth[0]))
    insert = f"INSERT INTO events (position, {COLUMNS}) VALUES ({', '.join(['?'] * 12)})"
    raw.execute(insert, (second[0], *fourth[1:]))
    raw.execute(insert, (fourth[0], *second[1:]))
    raw.execute("COMMIT")


def swap_texts(raw: sqlite3.Connection) -> None:
    rows = dict(raw.execute("SELECT seq, text FROM events WHERE incident = ?", (INCIDENT,)))
    for seq, other in ((2, 4), (4, 2)):
        raw.execute(
            "UPDATE events SET text = ? WHERE incident = ? AND seq = ?",
            (rows[other], INCIDENT, seq),
        )


def forge_one(raw: sqlite3.Connection) -> None:
    """Rewrite event 3's text and recompute its own hash, as a careful forger would."""
    seq, text = 3, "nothing happened"
    row = raw.execute(
        f"SELECT {COLUMNS} FROM events WHERE incident = ? AND seq = ?", (INCIDENT, seq)
    ).fetchone()
    fields = dict(zip(COLUMNS.split(", "), row, strict=True))
    fields.update(text=text, data={"n": seq})
    raw.execute(
        "UPDATE events SET text = ?, hash = ? WHERE incident = ? AND seq = ?",
        (text, event_hash(fields), INCIDENT, seq),
    )


def rewrite_tail(raw: sqlite3.Connection) -> None:
    """Forge events 5 and 6 with a consistent chain: only an anchored head can catch this."""
    prev = raw.execute(
        "SELECT hash FROM events WHERE incident = ? AND seq = 4", (INCIDENT,)
    ).fetchone()[0]
    for seq in (5, 6):
        row = raw.execute(
            f"SELECT {COLUMNS} FROM events WHERE incident = ? AND seq = ?", (INCIDENT, seq)
        ).fetchone()
        fields = dict(zip(COLUMNS.split(", "), row, strict=True))
        fields.update(text="nothing happened", data={"n": seq}, prev=prev)
        prev = event_hash(fields)
        raw.execute(
            "UPDATE events SET text = ?, prev = ?, hash = ? WHERE incident = ? AND seq = ?",
            (fields["text"], fields["prev"], prev, INCIDENT, seq),
        )


def set_column(column: str, expression: str, seq: int = 3) -> Tamper:
    """Set one column of one INC-1 event to an SQL expression."""

    def change(raw: sqlite3.Connection) -> None:
        raw.execute(
            f"UPDATE events SET {column} = {expression} WHERE incident = ? AND seq = ?",
            (INCIDENT, seq),
        )

    return change


def delete(*seqs: int, incident: str = INCIDENT) -> Tamper:
    def change(raw: sqlite3.Connection) -> None:
        for seq in seqs:
            raw.execute("DELETE FROM events WHERE incident = ? AND seq = ?", (incident, seq))

    return change


def nothing(raw: sqlite3.Connection) -> None:
    return None


def unanchored(events: list[Event]) -> None:
    return None


def at(seq: int, hash_of: int | None = None) -> Anchor:
    """An anchor at `seq` holding the original hash of event `hash_of` (default: the same)."""
    return lambda events: (seq, events[(hash_of or seq) - 1].hash)


def abbreviated(events: list[Event]) -> tuple[int, str]:
    return 6, events[5].hash[:12].upper()


CASES: list[tuple[str, Tamper, Anchor, int, int | None, str | None]] = [
    ("clean", nothing, unanchored, OK, None, None),
    ("clean, anchored at the head", nothing, at(6), OK, None, None),
    ("clean, anchored earlier", nothing, at(4), OK, None, None),
    ("clean, abbreviated anchor", nothing, abbreviated, OK, None, None),
    ("byte of text flipped", flip_text, unanchored, BROKEN, 3, "hash"),
    ("row deleted", delete(3), unanchored, BROKEN, 3, "seq"),
    ("first row deleted", delete(1), unanchored, BROKEN, 1, "seq"),
    ("two rows swapped", swap_rows, unanchored, BROKEN, 2, "seq"),
    ("two texts swapped", swap_texts, unanchored, BROKEN, 2, "hash"),
    ("prev altered", set_column("prev", f"'{'f' * 64}'", 4), unanchored, BROKEN, 4, "prev"),
    ("hash altered", set_column("hash", f"'{'0' * 64}'", 4), unanchored, BROKEN, 4, "hash"),
    ("actor altered", set_column("actor", "'mallory'"), unanchored, BROKEN, 3, "hash"),
    ("data altered", set_column("data", """'{"n":4}'"""), unanchored, BROKEN, 3, "hash"),
    ("forged and rehashed", forge_one, unanchored, BROKEN, 4, "prev"),
    ("ts not our format", set_column("ts", "'2026-11-22 03:55:00'"), unanchored, BROKEN, 3, "ts"),
    ("data not JSON", set_column("data", "'{n: 3}'"), unanchored, BROKEN, 3, "data"),
    ("data with a float", set_column("data", """'{"n":3.0}'"""), unanchored, BROKEN, 3, "data"),
    ("text not UTF-8", set_column("text", "CAST(X'FF6E' AS TEXT)"), unanchored, BROKEN, 3, "text"),
    ("text made a blob", set_column("text", "X'6E6F7465'"), unanchored, BROKEN, 3, "text"),
    ("seq made text", set_column("seq", "'three'"), unanchored, BROKEN, None, "seq"),
    ("tail truncated, anchored", delete(5, 6), at(6), MISMATCH, 5, "seq"),
    ("tail truncated, not anchored", delete(5, 6), unanchored, OK, None, None),
    ("tail rewritten, anchored", rewrite_tail, at(6), MISMATCH, 6, "hash"),
    ("tail rewritten, not anchored", rewrite_tail, unanchored, OK, None, None),
    ("wrong anchor", nothing, at(6, hash_of=5), MISMATCH, 6, "hash"),
    ("anchor beyond the head", nothing, at(7, hash_of=6), MISMATCH, 7, "seq"),
    ("another incident altered", delete(2, incident="INC-2"), at(6), OK, None, None),
]


@pytest.mark.parametrize(
    ("tampering", "anchor", "code", "seq", "field"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_verify_reports_each_kind_of_tampering(
    tmp_path: Path,
    tampering: Tamper,
    anchor: Anchor,
    code: int,
    seq: int | None,
    field: str | None,
) -> None:
    path = tmp_path / "journal.sqlite3"
    events = build(path)
    tamper(path, tampering)
    verdict = verify(path, INCIDENT, anchor(events))
    assert (verdict.code, verdict.seq, verdict.field) == (code, seq, field), verdict.message
    assert verdict.message.startswith(f"{path}: ")


def test_a_clean_journal_reports_its_head_and_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    events = build(path)
    before = path.read_bytes()
    verdict = verify(path, INCIDENT, None)
    assert verdict == Verdict(
        OK,
        f"{path}: incident 'INC-1': the chain holds: 6 event(s), head 6:{events[5].hash[:12]}",
        None,
        None,
        (6, events[5].hash),
    )
    assert path.read_bytes() == before


def test_an_unknown_incident_has_no_events(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    events = build(path)
    assert verify(path, "INC-404", None) == Verdict(OK, f"{path}: incident 'INC-404' has no events")
    assert verify(path, "INC-404", at(1)(events)).code == MISMATCH


def test_garbage_bytes_are_damage(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(random.Random(7).randbytes(64 * 1024))
    verdict = verify(path, INCIDENT, None)
    assert verdict.code == DAMAGED
    assert "file is not a database" in verdict.message


def test_a_corrupted_page_is_damage(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    build(path, count=200, filler="x" * 200)
    raw = sqlite3.connect(path)
    page_size, pages = (
        raw.execute(f"PRAGMA {name}").fetchone()[0] for name in ("page_size", "page_count")
    )
    raw.close()
    assert pages > 20
    data = bytearray(path.read_bytes())
    start = (pages // 2) * page_size
    data[start : start + 64] = random.Random(11).randbytes(64)
    path.write_bytes(bytes(data))
    verdict = verify(path, INCIDENT, None)
    assert verdict.code == DAMAGED, verdict.message


@pytest.mark.parametrize(
    ("prepare", "message"),
    [
        (lambda p: None, "no journal file there"),
        (lambda p: p.mkdir(), "no journal file there"),
        (lambda p: p.write_bytes(b""), "not a crisis journal"),
    ],
)
def test_what_is_not_a_journal_is_damage(
    tmp_path: Path, prepare: Callable[[Path], object], message: str
) -> None:
    path = tmp_path / "journal.sqlite3"
    prepare(path)
    verdict = verify(path, INCIDENT, None)
    assert verdict.code == DAMAGED
    assert message in verdict.message


def test_a_bad_anchor_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    build(path)
    with pytest.raises(JournalError, match="need a seq >= 1 and 12 to 64 hex digits"):
        verify(path, INCIDENT, (3, "abc"))
    with pytest.raises(JournalError, match="not hexadecimal"):
        verify(path, INCIDENT, (3, "z" * 64))


def test_verify_events_checks_a_list_as_exported(tmp_path: Path) -> None:
    events = build(tmp_path / "journal.sqlite3")
    assert verify_events(events).code == OK
    assert verify_events([]).head is None
    cases = [
        (events[:2] + events[3:], 3, "seq"),
        (events[::-1], 1, "seq"),
        (events[:2] + [dataclasses.replace(events[2], text="edited")] + events[3:], 3, "hash"),
        (events[:2] + [dataclasses.replace(events[2], incident="INC-2")], 3, "incident"),
        ([dataclasses.replace(events[0], data={"n": 1.5})], 1, "data"),  # type: ignore[dict-item]
    ]
    for changed, seq, field in cases:
        verdict = verify_events(changed)
        assert (verdict.code, verdict.seq, verdict.field) == (BROKEN, seq, field), verdict.message


def test_time_going_backwards_is_only_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as journal:
        for minutes in (10, 5, 20):
            journal.append(
                INCIDENT,
                kind="note",
                text=format_ts(T0 + timedelta(minutes=minutes)),
                actor="kari",
                tz="UTC",
                ts=T0 + timedelta(minutes=minutes),
            )
    verdict = verify(path, INCIDENT, None)
    assert verdict.code == OK
    assert verdict.warnings == ("event 2 is timed before event 1 (clocks may differ)",)
