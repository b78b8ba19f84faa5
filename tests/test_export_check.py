"""`verify --export` holds an export to its own events: redactions, corrections and the head."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from crisis.cli import main
from crisis.codec import JournalError
from crisis.engine import Desk, UsageError
from crisis.exports import PROFILES
from crisis.exports.check import verify_export
from crisis.journal import Journal
from crisis.verify import BROKEN, MISMATCH, OK

from .export_fixture import INCIDENT, build
from .test_export_properties import export_of, text_of

Change = Callable[[dict[str, Any]], None]
HEAD = 20  # build() records 19 events; the fixture redacts event 2 by a 20th


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Journal, Desk]]:
    """The fixture incident with two redactions: a note (no data) and an assessment (nested)."""
    journal, desk = build(tmp_path_factory.mktemp("check") / "journal.sqlite3")
    with journal:
        desk.correct(INCIDENT, 2, "the answers were guesses", True)
        yield journal, desk


def exported(desk: Desk, profile: str = "internal") -> dict[str, Any]:
    document: dict[str, Any] = json.loads(text_of(export_of(desk, profile), "json"))
    return document


def written(tmp_path: Path, document: dict[str, Any]) -> Path:
    target = tmp_path / "export.json"
    target.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return target


def mark(by: int) -> str:
    return f"[redacted by event {by}]"


def setting(seq: int, **fields: Any) -> Change:
    """A change that sets fields of event `seq`'s row."""

    def change(document: dict[str, Any]) -> None:
        document["events"][seq - 1].update(fields)

    return change


def in_data(seq: int, *path: str | int, value: Any) -> Change:
    """A change that sets one value deep in event `seq`'s data."""

    def change(document: dict[str, Any]) -> None:
        place = document["events"][seq - 1]["data"]
        for step in path[:-1]:
            place = place[step]
        place[path[-1]] = value

    return change


@pytest.mark.parametrize("profile", PROFILES)
def test_an_unchanged_export_with_redactions_passes(
    recorded: tuple[Journal, Desk], tmp_path: Path, profile: str
) -> None:
    document = exported(recorded[1], profile)
    assert [row["seq"] for row in document["events"] if row["redacted"]] == [2, 16]
    verdict = verify_export(written(tmp_path, document))
    assert verdict.ok, verdict.message
    assert ("2 redacted" if profile == "internal" else "redactions matched") in verdict.message


FORGED = {
    "a note marked redacted with no correction": (
        setting(7, redacted=True, text=mark(17), summary=mark(17), data={}),
        7,
        "redacted",
    ),
    "a fact marked redacted, naming the last correction": (
        setting(9, redacted=True, text=mark(HEAD), summary=mark(HEAD), data={"value": mark(HEAD)}),
        9,
        "redacted",
    ),
    "the mark names another correction": (
        setting(16, text=mark(HEAD), summary=mark(HEAD)),
        16,
        "text",
    ),
    "the summary says more than the mark": (
        setting(16, summary="Kari Solberg called +47 22 33 44 55"),
        16,
        "summary",
    ),
    "words added to the data": (setting(16, data={"phone": "+47 22 33 44 55"}), 16, "data"),
    "a reason left in a list": (
        in_data(2, "reasons", 0, value="Content we did not write"),
        2,
        "data",
    ),
    "an answer left in a dict": (in_data(2, "answers", "control", value="none"), 2, "data"),
}


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("case", FORGED)
def test_a_redaction_the_export_does_not_back_fails(
    recorded: tuple[Journal, Desk], tmp_path: Path, profile: str, case: str
) -> None:
    change, seq, field = FORGED[case]
    document = exported(recorded[1], profile)
    change(document)
    verdict = verify_export(written(tmp_path, document))
    assert (verdict.code, verdict.seq, verdict.field) == (BROKEN, seq, field), verdict.message


def restored(desk: Desk, seq: int) -> Change:
    """Event `seq` shown as the journal holds it, as if it had never been redacted."""
    event = next(e for e in desk.journal.events(INCIDENT) if e.seq == seq)
    text = event.text
    return setting(seq, redacted=False, text=text, summary=" ".join(text.split()), data={})


@pytest.mark.parametrize(
    ("profile", "change", "seq"),
    [
        ("internal", None, 16),  # the original text restored: its hash is right again
        ("public", setting(16, redacted=False), 16),
        ("regulator", setting(2, redacted=False), 2),
        ("public", in_data(17, "redact", value=False), 16),
        ("regulator", setting(HEAD, kind="note"), 2),
    ],
)
def test_an_event_a_correction_redacts_must_be_marked_redacted(
    recorded: tuple[Journal, Desk], tmp_path: Path, profile: str, change: Change | None, seq: int
) -> None:
    document = exported(recorded[1], profile)
    (change or restored(recorded[1], 16))(document)
    verdict = verify_export(written(tmp_path, document))
    assert (verdict.code, verdict.seq, verdict.field) == (BROKEN, seq, "redacted"), verdict.message


def in_correction(index: int, **fields: Any) -> Change:
    def change(document: dict[str, Any]) -> None:
        document["corrections"][index].update(fields)

    return change


@pytest.mark.parametrize(
    "change",
    [
        in_correction(0, text="a typo"),
        in_correction(0, ref=15),
        in_correction(0, seq=18),
        in_correction(1, by="kari"),
        in_correction(1, redact=False),
        in_correction(1, at={"utc": "2026-10-25T09:00:00.000000Z", "local": "x"}),
        lambda document: document["corrections"].pop(),
        lambda document: document["corrections"].reverse(),
    ],
)
def test_a_header_whose_corrections_contradict_the_events_fails(
    recorded: tuple[Journal, Desk], tmp_path: Path, change: Change
) -> None:
    document = exported(recorded[1])
    change(document)
    verdict = verify_export(written(tmp_path, document))
    assert (verdict.code, verdict.field) == (BROKEN, "corrections"), verdict.message


@pytest.mark.parametrize(
    ("head", "error"),
    [
        (lambda digest: (HEAD, digest[:1]), "12 to 64 hex digits"),
        (lambda digest: (HEAD, digest[:11]), "12 to 64 hex digits"),
        (lambda digest: (HEAD, digest + "0"), "12 to 64 hex digits"),
        (lambda digest: (0, digest), "seq >= 1"),
        (lambda digest: (HEAD, "z" * 64), "not hexadecimal"),
    ],
)
def test_a_malformed_expected_head_is_refused(
    recorded: tuple[Journal, Desk], tmp_path: Path, head: Callable[[str], Any], error: str
) -> None:
    document = exported(recorded[1])
    with pytest.raises(JournalError, match=error):
        verify_export(written(tmp_path, document), head(document["head"]["hash"]))


@pytest.mark.parametrize(
    ("head", "code", "field"),
    [
        (lambda digest: (HEAD, digest), OK, None),
        (lambda digest: (HEAD, digest.upper()), OK, None),
        (lambda digest: (HEAD, digest[:12]), OK, None),
        (lambda digest: (HEAD - 1, digest), MISMATCH, "hash"),
        (lambda digest: (HEAD, "0" * 64), MISMATCH, "hash"),
        (lambda digest: (HEAD + 1, digest), MISMATCH, "seq"),
    ],
)
def test_an_expected_head_is_matched_by_at_least_12_hex_digits(
    recorded: tuple[Journal, Desk],
    tmp_path: Path,
    head: Callable[[str], tuple[int, str]],
    code: int,
    field: str | None,
) -> None:
    document = exported(recorded[1])
    verdict = verify_export(written(tmp_path, document), head(document["head"]["hash"]))
    assert (verdict.code, verdict.field) == (code, field), verdict.message


@pytest.mark.parametrize(
    ("head", "code", "said"),
    [
        (lambda digest: f"{HEAD}:{digest[:1]}", 2, "12 to 64 hex digits"),
        (lambda digest: f"{HEAD}:{digest[:12]}x", 2, "not hexadecimal"),
        (lambda digest: f"{HEAD}:{digest}", 0, "every hash recomputed"),
        (lambda digest: f"{HEAD}:{'0' * 64}", 3, "the expected head says"),
    ],
)
def test_verify_export_on_the_command_line_checks_the_expected_head(
    recorded: tuple[Journal, Desk],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    head: Callable[[str], str],
    code: int,
    said: str,
) -> None:
    document = exported(recorded[1])
    target = written(tmp_path, document)
    command = ["--data-dir", str(tmp_path), "verify", "--export", str(target)]
    assert main([*command, "--expect-head", head(document["head"]["hash"])]) == code
    out, err = capsys.readouterr()
    assert said in out + err


def test_a_redaction_cannot_be_redacted(tmp_path: Path) -> None:
    journal, desk = build(tmp_path / "journal.sqlite3")
    with journal:
        head = desk.incident(INCIDENT).head
        with pytest.raises(UsageError, match="event 17 is a redaction"):
            desk.correct(INCIDENT, 17, "the reason named someone", True)
        assert desk.incident(INCIDENT).head == head
        desk.correct(INCIDENT, 17, "the reason was about the other account")  # a note is fine


@pytest.mark.parametrize("profile", PROFILES)
def test_a_redacted_row_claiming_to_redact_another_is_a_forgery(
    tmp_path: Path, profile: str
) -> None:
    journal, desk = build(tmp_path / "journal.sqlite3")
    with journal:
        desk.correct(INCIDENT, 9, "wrong step noted")  # a correction that does not redact
        fix = desk.incident(INCIDENT).head[0]
        desk.correct(INCIDENT, fix, "the note named someone", True)
        document = exported(desk, profile)
    assert verify_export(written(tmp_path, document)).ok
    rows = {row["seq"]: row for row in document["events"]}
    assert rows[fix]["redacted"] and rows[fix]["data"]["redact"] is False
    rows[fix]["data"]["redact"] = True  # the redacted correction now claims to hide event 9
    rows[9].update(redacted=True, text=mark(fix), summary=mark(fix))
    verdict = verify_export(written(tmp_path, document))
    assert (verdict.code, verdict.seq, verdict.field) == (BROKEN, fix, "redacted")
    assert "itself redacted" in verdict.message
