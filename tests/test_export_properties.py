"""Exports agree with each other and with the journal: schema, formats, chain, redaction."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import stat
import tomllib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisis.cli import main
from crisis.engine import Desk
from crisis.exports import FORMATS, PROFILES, Export, prepare, write
from crisis.exports.check import verify_export
from crisis.exports.sheet import COLUMNS, inert
from crisis.journal import Journal
from crisis.problems import CrisisError
from crisis.verify import verify

from .export_fixture import CATALOG, INCIDENT, build

SCHEMA = json.loads(
    (Path(__file__).parent.parent / "crisis" / "exports" / "export.schema.json").read_text()
)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Journal, Desk, Path]]:
    path = tmp_path_factory.mktemp("export") / "journal.sqlite3"
    journal, desk = build(path)
    with journal:
        yield journal, desk, path


def export_of(desk: Desk, profile: str = "internal", incident: str = INCIDENT) -> Export:
    state = desk.incident(incident)
    book = CATALOG.playbook(state.playbook)
    return prepare(desk.journal, state, book, desk.scale, desk.roster, desk.clock(), profile)


def text_of(export: Export, fmt: str) -> str:
    out = io.StringIO(newline="")
    write(export, fmt, out)
    return out.getvalue()


def without_nulls(value: Any) -> Any:
    """What TOML can hold of a JSON value: absent values left out, in tables and in arrays."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value if v is not None]
    return value


def uninert(cell: str) -> str:
    return (
        cell[1:]
        if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@", "\t", "\r", "\n")
        else cell
    )


def same_content(export: Export) -> None:
    """JSON, TOML and CSV hold the same header and the same events, field for field."""
    document = json.loads(text_of(export, "json"))
    jsonschema.validate(document, SCHEMA)
    assert tomllib.loads(text_of(export, "toml")) == without_nulls(document)
    reader = csv.DictReader(io.StringIO(text_of(export, "csv"), newline=""))
    rows = list(reader)
    assert tuple(reader.fieldnames or ()) == COLUMNS
    assert len(rows) == len(document["events"])
    for row, event in zip(rows, document["events"], strict=True):
        assert int(row["seq"]) == event["seq"]
        assert row["id"] == event["id"] and row["hash"] == event["hash"]
        assert row["prev"] == event["prev"] and row["kind"] == event["kind"]
        assert (row["time_utc"], row["time_local"]) == (
            event["time"]["utc"],
            event["time"]["local"],
        )
        assert uninert(row["actor"]) == event["actor"]
        assert uninert(row["text"]) == event["text"]
        assert json.loads(uninert(row["data"])) == event["data"]
        assert row["profile"] == document["profile"]
        assert row["exercise"] == ("EXERCISE" if document["exercise"] else "")


@pytest.mark.parametrize("profile", PROFILES)
def test_json_toml_and_csv_agree_and_the_json_fits_its_schema(
    recorded: tuple[Journal, Desk, Path], profile: str
) -> None:
    same_content(export_of(recorded[1], profile))


@given(texts=st.lists(st.text(min_size=1, max_size=40).filter(str.strip), min_size=1, max_size=4))
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_note_text_survives_every_machine_format(tmp_path: Path, texts: list[str]) -> None:
    journal, desk = build(tmp_path / f"{uuid.uuid4().hex}.sqlite3", close=False)
    with journal:
        kept = []
        for text in texts:
            try:
                desk.note(INCIDENT, text)
            except CrisisError:  # text the journal refuses (a lone surrogate) is not recorded
                continue
            kept.append(text.strip())
        export = export_of(desk)
        same_content(export)
        document = json.loads(text_of(export, "json"))
        notes = [e["text"] for e in document["events"] if e["kind"] == "note"]
        assert notes[-len(kept) :] == kept if kept else True


def test_verify_export_agrees_with_verify_on_the_journal(
    recorded: tuple[Journal, Desk, Path], tmp_path: Path
) -> None:
    journal, desk, path = recorded
    target = tmp_path / "internal.json"
    target.write_text(text_of(export_of(desk), "json"), encoding="utf-8")
    on_disk, from_export = verify(path, INCIDENT), verify_export(target)
    assert on_disk.ok and from_export.ok
    assert on_disk.head == from_export.head
    assert verify_export(target, on_disk.head).ok
    head = from_export.head
    assert head is not None
    assert verify(path, INCIDENT, head).ok


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Instagram account taken over", "Instagram account taken 0ver"),
        ('"outcome": "no-answer"', '"outcome": "reached"'),
        ('"seq": 3,', '"seq": 33,'),
    ],
)
def test_a_changed_export_fails_verification(
    recorded: tuple[Journal, Desk, Path], tmp_path: Path, old: str, new: str
) -> None:
    text = text_of(export_of(recorded[1]), "json")
    assert old in text
    target = tmp_path / "changed.json"
    before, _, after = text.rpartition(old)  # the last place: an event, not the header
    target.write_text(before + new + after, encoding="utf-8")
    assert verify_export(target).code == 1


@pytest.mark.parametrize(
    ("old", "new", "part"),
    [
        ('"title": "Instagram account taken over"', '"title": "Nothing happened"', "title"),
        ('"went_well": "Evidence', '"went_well": "No evidence', "lessons"),
        ("scam links live; legal unreachable", "approved by legal", "statements"),
        ('"outcome": "no-answer"', '"outcome": "acknowledged"', "notifications"),
    ],
)
def test_a_header_that_contradicts_the_events_fails_verification(
    recorded: tuple[Journal, Desk, Path], tmp_path: Path, old: str, new: str, part: str
) -> None:
    text = text_of(export_of(recorded[1]), "json")
    target = tmp_path / "header.json"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    verdict = verify_export(target)
    assert verdict.code == 1 and part in verdict.message


def test_a_redacted_export_is_checked_by_its_links(
    recorded: tuple[Journal, Desk, Path], tmp_path: Path
) -> None:
    target = tmp_path / "public.json"
    target.write_text(text_of(export_of(recorded[1], "public"), "json"), encoding="utf-8")
    verdict = verify_export(target)
    assert verdict.ok and "links checked" in verdict.message


def roster_secrets(desk: Desk) -> list[str]:
    people = desk.roster.people.values()
    found = [p.name for p in people] + [p.email for p in people]
    found += [phone for p in people for phone in p.phones]
    found += [part for p in people for part in p.name.split() if len(part) > 2]
    return found


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_public_export_names_nobody_in_the_roster(
    recorded: tuple[Journal, Desk, Path], fmt: str
) -> None:
    desk = recorded[1]
    text = html.unescape(text_of(export_of(desk, "public"), fmt))
    leaked = [
        secret
        for secret in roster_secrets(desk)
        if re.search(rf"(?<!\w){re.escape(secret)}(?!\w)", text, re.IGNORECASE)
    ]
    assert not leaked
    assert "+47 22 33 44 55" not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_regulator_export_shows_roles_not_people(
    recorded: tuple[Journal, Desk, Path], fmt: str
) -> None:
    desk = recorded[1]
    text = text_of(export_of(desk, "regulator"), fmt)
    assert "Kari Solberg" not in text and "Henrik Aasland" not in text
    assert "Communications and PR lead" in text
    assert "regulator" in text


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("+4722334455", "'+4722334455"),
        ("-2+3", "'-2+3"),
        ("\tcmd", "'\tcmd"),
        ("plain text", "plain text"),
        ("مرحبا 🚨", "مرحبا 🚨"),
    ],
)
def test_cells_a_spreadsheet_would_run_are_made_text(cell: str, shown: str) -> None:
    assert inert(cell) == shown


def test_the_csv_is_rfc_4180(recorded: tuple[Journal, Desk, Path]) -> None:
    text = text_of(export_of(recorded[1]), "csv")
    assert text.startswith(",".join(COLUMNS) + "\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert all(len(row) == len(COLUMNS) for row in rows)
    hostile = next(row for row in rows if row[9] == "note" and "script" in row[11])
    assert "second line" in hostile[11] and "\n" in hostile[11]


def test_an_exercise_says_so_in_every_format(tmp_path: Path) -> None:
    journal, desk = build(tmp_path / "journal.sqlite3", exercise=True)
    with journal:
        export = export_of(desk)
        for fmt in FORMATS:
            assert "EXERCISE" in text_of(export, fmt).upper(), fmt
        assert json.loads(text_of(export, "json"))["exercise"] is True


def test_the_export_command_writes_a_private_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    journal, _ = build(data / "journal.sqlite3")
    journal.close()
    monkeypatch.setenv("CRISIS_RESPONDER", "ingrid")
    target = tmp_path / "review.json"
    code = main(
        ["--data-dir", str(data), "export", INCIDENT, "--format", "json", "-o", str(target)]
    )
    assert code == 0, capsys.readouterr().err
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert main(["--data-dir", str(data), "verify", "--export", str(target)]) == 0
    document: dict[str, Any] = json.loads(target.read_text(encoding="utf-8"))
    assert document["head"]["seq"] == 19
    with pytest.raises(SystemExit) as stopped:
        main(["--data-dir", str(data), "export", INCIDENT, "--format", "docx"])
    assert stopped.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
