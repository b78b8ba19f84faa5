"""The command line: exit codes, output formats, the schema command and the global options."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from crisis.cli import main
from crisis.yamlio import load

from .conftest import REPO, edit


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_passes_on_the_bundled_set(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "--root", str(REPO), "--today", "2026-11-22")
    assert code == 0
    assert out.startswith("ok: 0 error(s), 0 warning(s)")


def test_validate_reports_problems_with_exit_1(
    capsys: pytest.CaptureFixture[str], root: Path
) -> None:
    edit(root / "contacts.yaml", "primary: henrik", "primary: henrk")
    code, out, _ = run(capsys, "--root", str(root), "validate", "--today", "2026-11-22")
    assert code == 1
    line = next(line for line in out.splitlines() if "henrk" in line)
    assert line.endswith(":14: roles.legal.primary: unknown person 'henrk'; did you mean 'henrik'?")
    assert out.splitlines()[-1].startswith("FAILED: 1 error(s)")


def test_warnings_fail_only_with_strict(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    edit(root / "contacts.yaml", "backups: [joost]", "backups: []")
    assert run(capsys, "validate", "--root", str(root), "--today", "2026-11-22")[0] == 0
    assert run(capsys, "validate", "--root", str(root), "--today", "2026-11-22", "--strict")[0] == 1


def test_json_output_for_ci(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    edit(root / "playbooks/account-hijack.yaml", "owner: security\n", "owner: securty\n")
    code, out, _ = run(capsys, "validate", "--root", str(root), "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False and report["errors"] == 1
    problem = report["problems"][0]
    assert problem["field"] == "owner" and problem["hint"] == "did you mean 'security'?"
    lines = (root / "playbooks/account-hijack.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[problem["line"] - 1] == "owner: securty" and problem["column"] == 8


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "--format", "xml"],
        ["nonsense"],
        ["validate", "--root"],
        ["schema", "pdf"],
        ["validate", "--today", "yesterday"],
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    try:
        code = main(argv)
    except SystemExit as stop:
        code = int(stop.code or 0)
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_a_root_without_a_set_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "validate", "--root", str(tmp_path))
    assert code == 2
    assert "holds neither contacts.yaml nor playbooks/" in err


@pytest.mark.parametrize(
    ("kind", "files"),
    [
        ("contacts", ["contacts.yaml"]),
        ("scale", ["playbooks/scale.yaml"]),
        (
            "playbook",
            sorted(
                str(p.relative_to(REPO))
                for p in (REPO / "playbooks").glob("*.yaml")
                if p.name != "scale.yaml"
            ),
        ),
    ],
)
def test_json_schemas_accept_the_bundled_files(
    capsys: pytest.CaptureFixture[str], kind: str, files: list[str]
) -> None:
    code, out, _ = run(capsys, "schema", kind)
    assert code == 0
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    for name in files:
        jsonschema.validate(load(REPO / name).data, schema)


def test_json_schema_rejects_unknown_keys(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "schema", "playbook")
    data = load(REPO / "playbooks/account-hijack.yaml").data
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "summry": "x"}, json.loads(out))


def test_python_dash_m_and_the_console_script_work(tmp_path: Path) -> None:
    module = subprocess.run(
        [sys.executable, "-m", "crisis", "--version"], capture_output=True, text=True, check=False
    )
    assert module.returncode == 0 and module.stdout.startswith("crisis ")
    script = Path(sys.executable).parent / "crisis"
    if not script.exists():
        pytest.skip("the console script is not installed next to this interpreter")
    done = subprocess.run(
        [str(script), "validate"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "6 playbook(s)" in done.stdout
