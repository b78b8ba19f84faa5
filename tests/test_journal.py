"""The journal: durability settings, append-only rows, private files, the chain, crashes."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

import crisis.codec
import crisis.database
import crisis.decoder
import crisis.journal
from crisis.codec import (
    COLUMNS,
    DOMAIN,
    GENESIS,
    Entry,
    Event,
    JournalError,
    MalformedEvent,
    canonical_json,
    event_hash,
    format_ts,
    new_id,
    parse_ts,
)
from crisis.decoder import decode_row
from crisis.journal import EventStore, Journal, data_dir, journal_path
from crisis.verify import verify

WRITER = Path(__file__).resolve().parent / "journal_writer.py"
ACK = re.compile(r"ACK (\d+) ([0-9a-f]{64})")
T0 = datetime(2026, 11, 22, 3, 52, 0, 123456, tzinfo=UTC)
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and signals")

GOLDEN = [
    {
        "incident": "INC-2026-001",
        "seq": 1,
        "id": "01JDQ8Z4W0B2C3D4E5F6G7H8J9",
        "ts": datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=UTC),
        "tz": "Europe/Oslo",
        "actor": "kari.nordmann",
        "kind": "declared",
        "text": "Mistenkt datalekkasje: Æøå",
        "data": {"playbook": "data-breach", "severity": 3, "exercise": False, "aware_at": None},
    },
    {
        "incident": "INC-2026-001",
        "seq": 2,
        "id": "01JDQ8Z4W0B2C3D4E5F6G7H8JA",
        "ts": datetime(2026, 3, 29, 1, 0, 0, 1, tzinfo=UTC),
        "tz": "Europe/Oslo",
        "actor": "kari.nordmann",
        "kind": "note",
        "text": 'Pressen ringer 📞🚨 "sitat"\n\tneste linje',
        "data": {
            "roles": ["comms", "legal"],
            "reach": {"users": 12000, "regions": ["NO", "SE"]},
            "\ufb01": 1,
            "\U0001f600": 2,
        },
    },
    {
        "incident": "INC-2026-001",
        "seq": 3,
        "id": "01JDQ8Z4W0B2C3D4E5F6G7H8JB",
        "ts": datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        "tz": "America/New_York",
        "actor": "ola",
        "kind": "closed",
        "text": "",
        "data": {},
    },
]
GOLDEN_HASHES = [
    "8159cf38d00f962ad6a77aa3b040852d552460fba81d79343fffadd84ae00dd5",
    "0f83ad2d5056fe997d67d95cbf8af6b1c6ddb4001cc09fa7bd193518868524b5",
    "9620526ef739334e7c8897946ebc699f28a106f3a48e99e853bcb81b21c27976",
]
GOLDEN_PREIMAGE_1 = (
    '{"actor":"kari.nordmann","data":{"aware_at":null,"exercise":false,"playbook":"data-breach",'
    '"severity":3},"id":"01JDQ8Z4W0B2C3D4E5F6G7H8J9","incident":"INC-2026-001","kind":"declared",'
    '"prev":"0000000000000000000000000000000000000000000000000000000000000000","seq":1,'
    '"text":"Mistenkt datalekkasje: Æøå","ts":"2026-03-29T00:59:59.999999Z","tz":"Europe/Oslo"}'
)


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(tmp_path / "journal.sqlite3") as opened:
        yield opened


def note(journal: Journal, incident: str, number: int) -> None:
    journal.append(
        incident,
        kind="note",
        text=f"note {number}",
        actor="kari",
        tz="Europe/Oslo",
        ts=T0 + timedelta(seconds=number),
    )


def golden_ids() -> Iterator[str]:
    return iter(str(event["id"]) for event in GOLDEN)


def test_every_connection_is_wal_with_full_sync(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as first, Journal.open(path) as second:
        for journal in (first, second):
            assert journal.settings() == {
                "journal_mode": "wal",
                "synchronous": 2,
                "busy_timeout": 10000,
                "user_version": 1,
            }


def test_the_journal_satisfies_the_store_protocol(journal: Journal) -> None:
    store: EventStore = journal
    assert store.head("nothing") is None


def test_update_and_delete_are_refused_even_on_a_raw_connection(journal: Journal) -> None:
    note(journal, "INC-1", 1)
    raw = sqlite3.connect(journal.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only: events cannot be updated"):
            raw.execute("UPDATE events SET text = 'rewritten' WHERE seq = 1")
        with pytest.raises(sqlite3.IntegrityError, match="append-only: events cannot be deleted"):
            raw.execute("DELETE FROM events")
    finally:
        raw.close()
    assert [event.text for event in journal.events("INC-1")] == ["note 1"]


@POSIX
def test_directory_database_wal_and_shm_are_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "data" / "crisis" / "journal.sqlite3"
        with Journal.open(path) as journal:
            note(journal, "INC-1", 1)
            modes = {p.name: p.stat().st_mode & 0o777 for p in path.parent.iterdir()}
    finally:
        os.umask(old)
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert modes == {
        "journal.sqlite3": 0o600,
        "journal.sqlite3-wal": 0o600,
        "journal.sqlite3-shm": 0o600,
    }


@POSIX
def test_a_journal_others_can_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    Journal.open(path).close()
    path.chmod(0o644)
    with pytest.raises(JournalError, match=r"other users can access it \(mode 0644\); run `chmod"):
        Journal.open(path)


def test_golden_vectors_pin_the_serialisation() -> None:
    prev = GENESIS
    for fields, expected in zip(GOLDEN, GOLDEN_HASHES, strict=True):
        assert event_hash({**fields, "prev": prev}) == expected
        prev = expected
    preimage = DOMAIN + GOLDEN_PREIMAGE_1.encode("utf-8")
    assert hashlib.sha256(preimage).hexdigest() == GOLDEN_HASHES[0]


def test_the_journal_produces_the_golden_chain(tmp_path: Path) -> None:
    ids = golden_ids()
    with Journal.open(tmp_path / "journal.sqlite3", ids=lambda ts: next(ids)) as journal:
        for fields in GOLDEN:
            journal.append(
                str(fields["incident"]),
                kind=str(fields["kind"]),
                text=str(fields["text"]),
                data=fields["data"],  # type: ignore[arg-type]
                actor=str(fields["actor"]),
                tz=str(fields["tz"]),
                ts=fields["ts"],  # type: ignore[arg-type]
            )
        events = list(journal.events("INC-2026-001"))
        assert journal.head("INC-2026-001") == (3, GOLDEN_HASHES[2])
    assert [event.hash for event in events] == GOLDEN_HASHES
    assert events[1].data == GOLDEN[1]["data"]
    assert events[0].ts == GOLDEN[0]["ts"]
    assert [event.prev for event in events] == [GENESIS, *GOLDEN_HASHES[:2]]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"b": 1, "a": [True, None, "x"]}, '{"a":[true,null,"x"],"b":1}'),
        ({"\ufb01": 1, "\U0001f600": 2}, '{"\U0001f600":2,"\ufb01":1}'),
        ("Æøå 📞", '"Æøå 📞"'),
        ('q"\\\n\t\x01\x7f\u2028', '"q\\"\\\\\\n\\t\\u0001\x7f\u2028"'),
        ({"n": -(2**53 - 1)}, '{"n":-9007199254740991}'),
        ((1, 2), "[1,2]"),
    ],
)
def test_canonical_json_is_rfc_8785_for_float_free_values(value: object, expected: str) -> None:
    assert canonical_json(value) == expected.encode("utf-8")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"x": 1.5}, r"value\.x: 1\.5 is a float"),
        ({"x": [2**53]}, r"value\.x\[0\]: 9007199254740992 is beyond"),
        ({1: "a"}, "key 1 is not text"),
        ({"x": {1, 2}}, "a set cannot be stored"),
        ("\ud800", "lone surrogate"),
    ],
)
def test_canonical_json_rejects_what_json_cannot_carry_exactly(value: object, message: str) -> None:
    with pytest.raises(JournalError, match=message):
        canonical_json(value)


def test_times_are_utc_with_microseconds_and_z() -> None:
    oslo = timezone(timedelta(hours=2))
    moment = datetime(2026, 3, 29, 3, 0, 0, 5, tzinfo=oslo)
    assert format_ts(moment) == "2026-03-29T01:00:00.000005Z"
    assert parse_ts("2026-03-29T01:00:00.000005Z") == moment
    with pytest.raises(JournalError, match="no time zone"):
        format_ts(datetime(2026, 3, 29, 3, 0))  # noqa: DTZ001
    with pytest.raises(ValueError, match="is not a UTC time"):
        parse_ts("2026-03-29T01:00:00+00:00")


def test_ids_are_ulids_that_sort_by_time() -> None:
    first, second = new_id(T0), new_id(T0 + timedelta(milliseconds=1))
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", first)
    assert first[:10] < second[:10]
    assert new_id(T0) != new_id(T0)


def test_seq_is_contiguous_per_incident_and_incidents_keep_their_order(journal: Journal) -> None:
    for number, incident in enumerate(["INC-B", "INC-A", "INC-B", "INC-C", "INC-A", "INC-B"]):
        note(journal, incident, number)
    assert journal.incidents() == ["INC-B", "INC-A", "INC-C"]
    events = list(journal.events("INC-B"))
    assert [event.seq for event in events] == [1, 2, 3]
    assert [event.text for event in events] == ["note 0", "note 2", "note 5"]
    assert events[0].prev == GENESIS
    assert all(later.prev == earlier.hash for earlier, later in itertools.pairwise(events))
    assert journal.head("INC-B") == (3, events[-1].hash)
    assert journal.head("INC-Z") is None


def test_append_returns_what_is_read_back(journal: Journal) -> None:
    oslo = timezone(timedelta(hours=1))
    written = journal.append(
        "INC-1",
        kind="note",
        text="Æøå",
        data={"tuple": (1, 2), "b": None},
        actor="kari",
        tz="Europe/Oslo",
        ts=datetime(2026, 1, 1, 12, 0, tzinfo=oslo),
    )
    (read,) = journal.events("INC-1")
    assert written == read
    assert read.ts == datetime(2026, 1, 1, 11, 0, tzinfo=UTC)
    assert read.data == {"b": None, "tuple": [1, 2]}
    assert re.fullmatch(r"[0-9a-f]{64}", read.hash)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"data": {"score": 0.5}}, r"data\.score: 0\.5 is a float"),
        ({"ts": datetime(2026, 1, 1)}, "no time zone"),  # noqa: DTZ001
        ({"tz": "Europe/Atlantis"}, "not an IANA time zone"),
        ({"tz": "../../etc/passwd"}, "not an IANA time zone"),
        ({"tz": "Europe"}, "not an IANA time zone"),
        ({"kind": ""}, "kind must not be empty"),
        ({"actor": 7}, "actor must be text, not int"),
        ({"text": "bad \udc80"}, "lone surrogate"),
    ],
)
def test_invalid_events_are_refused_and_nothing_is_written(
    journal: Journal, change: dict[str, object], message: str
) -> None:
    note(journal, "INC-1", 1)
    before = journal.head("INC-1")
    fields: dict[str, object] = {
        "kind": "note",
        "text": "t",
        "data": {},
        "actor": "kari",
        "tz": "UTC",
        "ts": T0,
        **change,
    }
    with pytest.raises(JournalError, match=message):
        journal.append("INC-1", **fields)  # type: ignore[arg-type]
    assert journal.head("INC-1") == before


def test_append_many_is_all_or_nothing(journal: Journal) -> None:
    good = Entry(kind="note", text="ok", actor="kari", tz="UTC", ts=T0)
    bad = Entry(kind="note", text="bad", actor="kari", tz="UTC", ts=T0, data={"f": 1.0})
    with pytest.raises(JournalError, match="float"):
        journal.append_many("INC-1", [good, bad])
    assert journal.head("INC-1") is None
    events = journal.append_many("INC-1", [good] * 3)
    assert [event.seq for event in events] == [1, 2, 3]
    assert list(journal.events("INC-1")) == events


def test_appends_from_another_connection_in_between_keep_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as first, Journal.open(path) as second:
        for number in range(1, 7):
            note(first if number % 3 else second, "INC-1", number)
        second.append_many("INC-1", [Entry("note", "many", "ola", "UTC", T0)] * 2)
        note(first, "INC-1", 9)
        events = list(first.events("INC-1"))
    assert [event.seq for event in events] == list(range(1, 10))
    assert verify(path, "INC-1").code == 0


def test_a_repeated_id_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.sqlite3", ids=lambda ts: "0" * 26) as journal:
        note(journal, "INC-1", 1)
        with pytest.raises(JournalError, match="UNIQUE constraint failed: events.id"):
            note(journal, "INC-1", 2)
        assert journal.head("INC-1") == (1, next(journal.events("INC-1")).hash)


def test_events_read_back_exactly_what_a_strict_decode_gives(journal: Journal) -> None:
    data = {"list": [1, None], "nested": {"\U0001f600": "x", "\ufb01": 2}}
    entries = [
        Entry("note", f"note {n} Æ", "kari", "UTC", T0 + timedelta(seconds=n), {**data, "n": n})
        for n in range(700)
    ]
    entries[5] = Entry("note", "no data", "kari", "UTC", T0)
    journal.append_many("INC-1", entries)
    raw = sqlite3.connect(journal.path)
    try:
        rows = raw.execute(
            f"SELECT {COLUMNS} FROM events WHERE incident = 'INC-1' ORDER BY seq"
        ).fetchall()
    finally:
        raw.close()
    assert list(journal.events("INC-1")) == [decode_row(row) for row in rows]


@pytest.mark.parametrize(
    ("column", "value", "field"),
    [
        ("ts", "'2026-11-22 03:55:00'", "ts"),
        ("ts", "'yesterday'", "ts"),
        ("data", "'{n: 3}'", "data"),
        ("data", "'[3]'", "data"),
        ("data", """'{"n":3},{"n":4}'""", "data"),
        ("data", "''", "data"),
    ],
)
def test_events_name_the_first_row_they_cannot_read(
    journal: Journal, column: str, value: str, field: str
) -> None:
    for number in range(1, 6):
        note(journal, "INC-1", number)
    raw = sqlite3.connect(journal.path, isolation_level=None)
    try:
        raw.execute("DROP TRIGGER events_no_update")
        raw.execute(f"UPDATE events SET {column} = {value} WHERE seq = 3")
    finally:
        raw.close()
    events = journal.events("INC-1")
    assert [next(events).seq, next(events).seq] == [1, 2]
    with pytest.raises(MalformedEvent) as caught:
        next(events)
    assert (caught.value.seq, caught.value.field) == (3, field)


def test_events_are_frozen_and_compare_by_value(journal: Journal) -> None:
    note(journal, "INC-1", 1)
    (event,) = journal.events("INC-1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.text = "rewritten"  # type: ignore[misc]
    assert event == Event(**{name: getattr(event, name) for name in COLUMNS.split(", ")})
    assert dataclasses.replace(event, text="x").text == "x"


def test_the_journal_module_still_exports_the_event_format() -> None:
    for name in ("Event", "Entry", "JournalError", "MalformedEvent", "GENESIS", "COLUMNS"):
        assert getattr(crisis.journal, name) is getattr(crisis.codec, name)
    for name in ("canonical_json", "event_hash", "format_ts", "parse_ts", "new_id"):
        assert getattr(crisis.journal, name) is getattr(crisis.codec, name)
    assert crisis.journal.decode_row is crisis.decoder.decode_row
    for name in ("SCHEMA_VERSION", "MIGRATIONS", "data_dir", "journal_path", "migrate"):
        assert getattr(crisis.journal, name) is getattr(crisis.database, name)
    assert set(crisis.journal.__all__) <= set(dir(crisis.journal))


def test_a_closed_journal_says_so(tmp_path: Path) -> None:
    journal = Journal.open(tmp_path / "journal.sqlite3")
    journal.close()
    with pytest.raises(JournalError, match="closed database"):
        note(journal, "INC-1", 1)


def sqlite_file(path: Path, sql: str) -> None:
    raw = sqlite3.connect(path)
    try:
        raw.execute(sql)
        raw.commit()
    finally:
        raw.close()


@pytest.mark.parametrize(
    ("prepare", "message"),
    [
        (lambda p: p.write_bytes(b"not a database at all" * 100), "file is not a database"),
        (lambda p: sqlite_file(p, "CREATE TABLE contacts (name TEXT)"), "not a crisis journal"),
        (
            lambda p: sqlite_file(p, "PRAGMA user_version = 9"),
            "version 9; this crisis knows up to 1",
        ),
        (lambda p: p.mkdir(), "not a regular file"),
    ],
)
def test_files_that_are_not_our_journal_are_refused(
    tmp_path: Path, prepare: Callable[[Path], object], message: str
) -> None:
    path = tmp_path / "journal.sqlite3"
    prepare(path)
    if path.is_file():
        path.chmod(0o600)
    with pytest.raises(JournalError, match=message):
        Journal.open(path)


def test_migrate_upgrades_an_empty_file_once(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    path.touch(mode=0o600)
    with Journal.open(path) as journal:
        note(journal, "INC-1", 1)
    with Journal.open(path) as journal:
        assert journal.settings()["user_version"] == 1
        assert journal.head("INC-1") is not None


@pytest.mark.parametrize(
    ("cli", "env", "config", "expected"),
    [
        ("/cli", {"CRISIS_DATA_DIR": "/env", "XDG_DATA_HOME": "/xdg"}, "/cfg", "/cli"),
        (None, {"CRISIS_DATA_DIR": "/env", "XDG_DATA_HOME": "/xdg"}, "/cfg", "/env"),
        (None, {"CRISIS_DATA_DIR": "", "XDG_DATA_HOME": "/xdg"}, "/cfg", "/cfg"),
        (None, {"XDG_DATA_HOME": "/xdg", "HOME": "/home/kari"}, None, "/xdg/crisis"),
        (
            None,
            {"XDG_DATA_HOME": "relative", "HOME": "/home/kari"},
            None,
            "/home/kari/.local/share/crisis",
        ),
        (None, {"HOME": "/home/kari"}, None, "/home/kari/.local/share/crisis"),
        (None, {"HOME": "/home/kari"}, "~/incidents", "/home/kari/incidents"),
    ],
)
def test_data_dir_precedence(
    cli: str | None,
    env: dict[str, str],
    config: str | None,
    expected: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOME", env.get("HOME", "/home/nobody"))
    assert data_dir(cli, env, config) == Path(expected)
    assert journal_path(Path(expected)) == Path(expected) / "journal.sqlite3"


def writer(db: Path, incident: str, count: str, actor: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(db), incident, count, actor],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def acknowledged(output: str) -> list[tuple[int, str]]:
    """Complete `ACK` lines only: a kill may cut the last line short."""
    lines = output.split("\n")[:-1]
    return [(int(m[1]), m[2]) for line in lines if (m := ACK.fullmatch(line))]


def test_four_processes_create_and_append_4000_contiguous_events(tmp_path: Path) -> None:
    db = tmp_path / "fresh" / "journal.sqlite3"
    writers = [writer(db, "INC-SHARED", "1000", f"responder-{n}") for n in range(4)]
    acks: list[tuple[int, str]] = []
    for process in writers:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert out.startswith("READY\n")
        assert out.endswith("DONE\n")
        mine = acknowledged(out)
        assert len(mine) == 1000
        assert [seq for seq, _ in mine] == sorted(seq for seq, _ in mine)
        acks.extend(mine)
    assert sorted(seq for seq, _ in acks) == list(range(1, 4001))
    with Journal.open(db) as journal:
        stored = {event.seq: event.hash for event in journal.events("INC-SHARED")}
        actors = {event.actor for event in journal.events("INC-SHARED")}
    assert stored == dict(acks)
    assert actors == {f"responder-{n}" for n in range(4)}
    verdict = verify(db, "INC-SHARED", max(acks))
    assert verdict.code == 0, verdict.message
    assert verdict.head == max(acks)


@POSIX
def test_acknowledged_events_survive_kill_9(tmp_path: Path) -> None:
    rng = random.Random(20261122)
    db = tmp_path / "journal.sqlite3"
    acks: dict[int, str] = {}
    kills = 0
    started = time.monotonic()
    while kills < 60 and time.monotonic() - started < 35:
        process = writer(db, "INC-CRASH", "forever", "crash")
        assert process.stdout is not None
        ready = process.stdout.readline()
        assert ready == "READY\n", process.communicate()[1]
        time.sleep(rng.uniform(0.020, 0.200))
        process.send_signal(signal.SIGKILL)
        out, err = process.communicate(timeout=10)
        assert process.returncode == -signal.SIGKILL, err
        kills += 1
        for seq, digest in acknowledged(out):
            assert acks.setdefault(seq, digest) == digest, f"seq {seq} acknowledged twice"
    assert kills >= 50
    assert len(acks) > kills
    raw = sqlite3.connect(db)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = dict(raw.execute("SELECT seq, hash FROM events WHERE incident = 'INC-CRASH'"))
    finally:
        raw.close()
    assert sorted(stored) == list(range(1, len(stored) + 1))
    lost = {seq: digest for seq, digest in acks.items() if stored.get(seq) != digest}
    assert not lost, f"{len(lost)} acknowledged event(s) lost"
    last = max(acks)
    verdict = verify(db, "INC-CRASH", (last, acks[last]))
    assert verdict.code == 0, verdict.message


def test_events_after_a_sequence_number_reads_only_the_rest(journal: Journal) -> None:
    for i in range(5):
        journal.append(
            "INC-A",
            kind="note",
            text=f"n{i}",
            data={},
            actor="a",
            tz="Europe/Oslo",
            ts=datetime(2026, 11, 22, 2, i, tzinfo=UTC),
        )
    assert [e.seq for e in journal.events("INC-A", after=3)] == [4, 5]
    assert [e.seq for e in journal.events("INC-A", after=5)] == []
    assert [e.seq for e in journal.events("INC-A")] == [1, 2, 3, 4, 5]


def test_append_after_a_head_refuses_when_someone_else_wrote_first(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as mine, Journal.open(path) as theirs:
        note(mine, "INC-1", 1)
        seen = mine.head("INC-1")
        assert seen is not None
        note(theirs, "INC-1", 2)
        entry = crisis.codec.Entry("note", "mine", "ingrid", "UTC", datetime.now(UTC))
        with pytest.raises(crisis.codec.Conflict, match="now at event 2, you saw 1"):
            mine.append_many("INC-1", [entry, entry], after=seen[0])
        assert [e.text for e in mine.events("INC-1")] == ["note 1", "note 2"]
        # This connection's cached head is behind, but the caller has read event 2: it appends.
        written = mine.append_many("INC-1", [entry], after=2)
        assert [e.seq for e in written] == [3]
        assert verify(path, "INC-1").ok
