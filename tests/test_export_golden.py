"""Golden files: each format of a fixed incident across a summer-time change, byte for byte."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from crisis.exports import FORMATS, PROFILES, prepare, write

from .export_fixture import CATALOG, INCIDENT, build

GOLDEN = Path(__file__).parent / "golden" / "export"
UPDATE = os.environ.get("CRISIS_UPDATE_GOLDEN") == "1"


def exported(tmp_path: Path, fmt: str, profile: str = "internal") -> str:
    journal, desk = build(tmp_path / "journal.sqlite3")
    with journal:
        incident = desk.incident(INCIDENT)
        book = CATALOG.playbook(incident.playbook)
        export = prepare(journal, incident, book, desk.scale, desk.roster, desk.clock(), profile)
        out = io.StringIO(newline="")
        write(export, fmt, out)
    return out.getvalue()


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_matches_its_golden_file(tmp_path: Path, fmt: str, profile: str) -> None:
    text = exported(tmp_path, fmt, profile)
    golden = GOLDEN / f"{profile}.{fmt}"
    if UPDATE:
        golden.write_text(text, encoding="utf-8", newline="")
    assert golden.exists(), f"run with CRISIS_UPDATE_GOLDEN=1 to create {golden.name}"
    assert text == golden.read_bytes().decode("utf-8"), golden.name


def test_the_incident_crosses_the_end_of_summer_time(tmp_path: Path) -> None:
    text = exported(tmp_path, "json")
    assert "+02:00" in text and "+01:00" in text
