"""The one-pass export writes exactly what the two-pass reference writes, and keeps little."""

from __future__ import annotations

import dataclasses
import io
import itertools
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crisis.cli import main
from crisis.engine import Desk
from crisis.exports import FORMATS, PROFILES, prepare, stream, write
from crisis.exports.clockface import Clockface
from crisis.exports.digest import Digest, Spool
from crisis.exports.redact import Redactor
from crisis.incident import FoldError, fold
from crisis.journal import Journal

from .export_fixture import CATALOG, INCIDENT, START, Clock, build, recorded_folder
from .test_export_documents import record

FORMATS_AND_PROFILES = list(itertools.product(FORMATS, PROFILES))
LEVELS = ("low", "high", "moderate", "high", "critical", "low")
TRIES = (
    ("legal", "henrik", "no-answer"),
    ("legal", "sofie", "left-message"),
    ("security", "aleksander", "no-answer"),
    ("legal", "henrik", "reached"),
    ("social-media", "ingrid", "no-answer"),
    ("legal", "sofie", "acknowledged"),
    ("security", "aleksander", "no-answer"),
    ("social-media", "emma", "acknowledged"),
    ("legal", "henrik", "acknowledged"),
)


def reference(desk: Desk, incident: str, fmt: str, profile: str) -> str:
    state = desk.incident(incident)
    book = CATALOG.playbook(state.playbook)
    out = io.StringIO(newline="")
    write(
        prepare(desk.journal, state, book, desk.scale, desk.roster, desk.clock(), profile), fmt, out
    )
    return out.getvalue()


def streamed(desk: Desk, incident: str, fmt: str, profile: str) -> str:
    out = io.StringIO(newline="")
    scale, roster, now = desk.scale, desk.roster, desk.clock()
    stream(desk.journal, incident, CATALOG.playbook, scale, roster, now, fmt, out, profile)
    return out.getvalue()


def long_incident(journal: Journal, rounds: int, *, redact: bool = False) -> tuple[Desk, str]:
    """Severity set again and again, the same people tried many times, notes in between."""
    clock = Clock()
    desk = Desk(CATALOG, journal, "ingrid", "Europe/Oslo", clock)
    incident = desk.declare("account-hijack", "Long one", START, {"platform": "X"}).id
    for i in range(rounds):
        clock.advance(7)
        desk.override(incident, LEVELS[i % len(LEVELS)], f"round {i}")
        for role, person, outcome in TRIES[: 1 + i % len(TRIES)]:
            clock.advance(1)
            desk.notify(incident, role, person, outcome, f"try {i}")
        desk.note(incident, f"Kari Solberg on +4792345678, round {i}")
    if redact:
        desk.correct(incident, 5, "wrong incident", redact=True)
    clock.advance(30)
    desk.close(incident, "Done", {"went_well": "a", "went_wrong": "b", "lucky": "c"}, [])
    return desk, incident


@pytest.fixture(scope="module")
def fixture_desk(tmp_path_factory: pytest.TempPathFactory) -> Desk:
    journal, desk = build(tmp_path_factory.mktemp("golden") / "journal.sqlite3")
    return desk


@pytest.fixture(scope="module")
def scene_desk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Desk, str]:
    journal = Journal.open(tmp_path_factory.mktemp("scene") / "journal.sqlite3")
    scene = record(journal, exercise=True)
    return scene.desk, scene.incident


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "redacted"])
def long_desk(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> tuple[Desk, str]:
    journal = Journal.open(tmp_path_factory.mktemp("long") / "journal.sqlite3")
    return long_incident(journal, 40, redact=request.param)


@pytest.mark.parametrize(("fmt", "profile"), FORMATS_AND_PROFILES)
def test_stream_writes_what_the_reference_writes_for_the_golden_incident(
    fixture_desk: Desk, fmt: str, profile: str
) -> None:
    assert streamed(fixture_desk, INCIDENT, fmt, profile) == reference(
        fixture_desk, INCIDENT, fmt, profile
    )


@pytest.mark.parametrize(("fmt", "profile"), FORMATS_AND_PROFILES)
def test_stream_writes_what_the_reference_writes_with_hostile_text_and_a_redaction(
    scene_desk: tuple[Desk, str], fmt: str, profile: str
) -> None:
    desk, incident = scene_desk
    text = streamed(desk, incident, fmt, profile)
    assert text == reference(desk, incident, fmt, profile)
    assert any(mark in text for mark in ("EXERCISE", '"exercise": true', "exercise = true"))
    assert "meant for another incident" not in text  # the redacted note, read twice to know it


@pytest.mark.parametrize(("fmt", "profile"), FORMATS_AND_PROFILES)
def test_stream_writes_what_the_reference_writes_for_a_long_incident(
    long_desk: tuple[Desk, str], fmt: str, profile: str
) -> None:
    desk, incident = long_desk
    assert streamed(desk, incident, fmt, profile) == reference(desk, incident, fmt, profile)


def test_the_digest_keeps_a_bounded_state_however_long_the_incident(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        desk, incident = long_incident(journal, 120)
        events = list(journal.events(incident))
    first = events[0]
    digest = Digest(incident, first, Clockface(ZoneInfo("Europe/Oslo")), {}, lambda item: item)
    for event in events[1:]:
        digest.add(event)
    kept, full = digest.state(), fold(incident, events)
    try:
        assert len(full.severity_history) == 120 and len(full.attempts) > 500
        assert len(kept.severity_history) <= len(set(LEVELS)) + 1
        assert len(kept.attempts) <= 3 * 6  # roles x (people + first reach + ack + latest)
        assert kept.notes == () and len(full.notes) == 120
        assert kept.severity == full.severity
        for role in ("legal", "security", "social-media"):
            assert kept.acknowledged(role) == full.acknowledged(role)
            assert {a.person for a in kept.tried(role)} == {a.person for a in full.tried(role)}
            assert kept.tried(role)[-1] == full.tried(role)[-1]
        history, tries = digest.lists()
        assert len(history) == 120
        assert sum(map(len, tries.values())) == len(full.attempts)
    finally:
        digest.close()


def test_a_spool_reads_back_in_order_as_often_as_asked() -> None:
    spool = Spool()
    try:
        for i in range(1000):
            spool.append({"i": i, "text": f"line\nbreak {i} æøå"})
        assert next(iter(spool)) == {"i": 0, "text": "line\nbreak 0 æøå"}  # left half-read
        assert [item["i"] for item in spool] == list(range(1000))
        spool.append({"i": 1000, "text": ""})
        assert len(spool) == 1001 and [item["i"] for item in spool][-2:] == [999, 1000]
    finally:
        spool.close()


def test_an_unknown_incident_writes_nothing(fixture_desk: Desk) -> None:
    out = io.StringIO()
    desk = fixture_desk
    with pytest.raises(FoldError):
        stream(desk.journal, "INC-NOPE", CATALOG.playbook, desk.scale, desk.roster, desk.clock(),
               "json", out)  # fmt: skip
    assert out.getvalue() == ""


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CRISIS_RESPONDER", "ingrid")
    return recorded_folder(tmp_path)


def undated(toml: str) -> str:
    """A TOML export without the time it was made (the command's clock is the real one)."""
    generated = re.compile(r'\[generated\]\nutc = "[^"]+"\nlocal = "[^"]+"\n')
    assert len(generated.findall(toml)) == 1
    return generated.sub("", toml)


def test_the_command_streams_what_the_reference_writes(
    data_dir: Path, fixture_desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    target = data_dir.parent / "review.toml"
    command = ["--data-dir", str(data_dir), "export", INCIDENT, "--format", "toml"]
    assert main([*command, "-o", str(target), "--profile", "public"]) == 0
    written = target.read_text(encoding="utf-8")
    assert undated(written) == undated(reference(fixture_desk, INCIDENT, "toml", "public"))
    capsys.readouterr()
    assert main(command) == 0
    printed = capsys.readouterr().out
    assert undated(printed) == undated(reference(fixture_desk, INCIDENT, "toml", "internal"))


def test_an_unknown_incident_makes_no_file_and_names_the_known_ones(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = data_dir.parent / "new" / "review.md"
    command = ["--data-dir", str(data_dir), "export", "INC-NOPE", "--format", "md"]
    assert main([*command, "-o", str(target)]) == 2
    assert INCIDENT in capsys.readouterr().err
    assert not target.parent.exists()


def test_an_export_that_fails_midway_leaves_the_old_file_alone(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = data_dir.parent / "review.json"
    target.write_text("the export from yesterday", encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("crisis.exports.shutil.copyfileobj", broken)
    command = ["--data-dir", str(data_dir), "export", INCIDENT, "--format", "json"]
    assert main([*command, "-o", str(target)]) != 0
    assert "No space left on device" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "the export from yesterday"
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    ("number", "text"),
    [
        ("+4792345678", "call +4792345678 now"),
        ("+4792345678", "call 0047 923 45 678 now"),
        ("+4792345678", "call (+47) 92-34-56-78 now"),
        ("+47112", "dial +47112 now"),  # too short for the quick test: looked for as written
        ("+47112", "dial+47112now"),
    ],
)
def test_the_quick_tests_before_the_phone_patterns_miss_no_roster_number(
    fixture_desk: Desk, number: str, text: str
) -> None:
    roster = fixture_desk.roster
    person = next(iter(roster.people.values()))
    extra = dataclasses.replace(person, name="Extra Person", phones=(number,))
    redactor = Redactor("public", dataclasses.replace(roster, people={"extra": extra}))
    shown = redactor.text(text)
    assert "[phone removed]" in shown
    assert not any(digits in shown for digits in ("92345678", "923 45 678", "112"))


@pytest.mark.parametrize(
    ("profile", "text", "shown"),
    [
        ("regulator", "approved by lars", "approved by [Executive decision maker]"),
        ("regulator", "mads tried, then Lars's deputy", "[Social media manager] tried, then [Executive decision maker] deputy"),
        ("regulator", "Lars Haugen said", "[Executive decision maker] said"),
        ("regulator", "mail henrik.aasland@havbris.example now", "mail [Legal counsel] now"),
        ("regulator", "mail HENRIK.AASLAND@havbris.example.", "mail [Legal counsel]."),
        ("regulator", "mail someone@elsewhere.example", "mail someone@elsewhere.example"),
        ("public", "mail henrik.aasland@havbris.example now", "mail [e-mail removed] now"),
    ],
)  # fmt: skip
def test_roster_ids_names_and_addresses_in_text_become_roles(
    fixture_desk: Desk, profile: str, text: str, shown: str
) -> None:
    assert Redactor(profile, fixture_desk.roster).text(text) == shown
