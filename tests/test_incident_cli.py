"""The headless incident commands, end to end on a real journal in a temporary data directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crisis.cli import main

from .conftest import REPO


@pytest.fixture
def crisis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    monkeypatch.setenv("CRISIS_RESPONDER", "ingrid")
    monkeypatch.setenv("CRISIS_TIMEZONE", "Europe/Oslo")
    base = ["--root", str(REPO), "--data-dir", str(tmp_path / "data")]

    def run(*argv: str) -> tuple[int, str, str]:
        try:
            code = main([argv[0], *base, *argv[1:]])
        except SystemExit as stop:
            code = int(stop.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_a_first_hour_from_the_command_line(crisis, tmp_path: Path) -> None:
    code, out, _ = crisis(
        "declare",
        "account-hijack",
        "--title",
        "Instagram hijacked",
        "--aware-at",
        "2026-11-22T02:10:00+01:00",
        "--fact",
        "platform=Instagram",
    )
    assert code == 0
    incident = out.strip()
    assert incident.startswith("INC-")
    code, out, _ = crisis(
        "assess", incident, "--answer", "attacker-posted=yes", "--answer", "control=none"
    )
    assert code == 0
    assert out.startswith("severity: high")
    assert "Content we did not write is public under our name" in out
    assert (
        crisis(
            "notify", incident, "security", "--person", "aleksander", "--outcome", "acknowledged"
        )[0]
        == 0
    )
    assert crisis("note", incident, "Screenshots taken")[0] == 0
    assert crisis("step", incident, "capture-evidence", "done")[0] == 0
    assert crisis("severity", incident, "critical", "--reason", "Press is calling")[0] == 0
    code, out, _ = crisis("status", incident, "--json")
    report = json.loads(out)
    assert report["severity"] == "critical"
    roles = {r["role"]: r for r in report["roles"]}
    assert roles["security"]["acknowledged_by"] == "aleksander"
    assert roles["executive"]["next"] == "lars"
    assert report["approvals_required"] == ["comms-lead", "legal", "executive"]
    assert report["head"]["seq"] == 6
    assert report["overdue"] == ["first public statement"]  # aware since 02:10, target 30m
    code, out, _ = crisis("status", incident)
    assert "severity: SEV1 Critical" in out
    assert "not legal advice" in out
    assert crisis("correct", incident, "3", "Acknowledged by phone, not Signal")[0] == 0
    code, out, _ = crisis("status", incident)
    assert "OVERDUE:" in out  # the new critical roles have had no acknowledgement
    assert (
        crisis(
            "close",
            incident,
            "--summary",
            "Recovered",
            "--went-well",
            "Fast",
            "--follow-up",
            "security=Enforce hardware keys",
        )[0]
        == 0
    )
    code, out, _ = crisis("list", "--json")
    assert json.loads(out)[0]["open"] is False
    assert (tmp_path / "data" / "journal.sqlite3").stat().st_mode & 0o777 == 0o600
    code, out, _ = crisis("verify", incident)
    assert code == 0, out
    code, _, err = crisis("verify", "INC-NOPE")
    assert code == 2
    assert "no incident 'INC-NOPE'" in err
    assert crisis("verify", incident, "--expect-head", "7:" + "0" * 64)[0] == 3
    assert crisis("verify", incident, "--expect-head", "seven")[0] == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["note", "INC-NOPE", "x"], "no incident 'INC-NOPE'"),
        (["verify", "INC-NOPE"], "no journal at"),
        (["clock", "INC-NOPE", "nis2", "early-warning"], "no incident 'INC-NOPE'"),
        (["correct", "INC-NOPE", "x", "y"], "invalid int value"),
        (["declare", "hijack", "--title", "x"], "no playbook 'hijack'"),
        (["declare", "account-hijack", "--title", "x", "--aware-at", "yesterday"], "not a time"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    crisis, tmp_path: Path, argv: list[str], message: str
) -> None:
    code, _, err = crisis(*argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    code, out, _ = crisis("list", "--json")
    assert json.loads(out) == []
