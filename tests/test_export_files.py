"""`crisis export -o` never destroys what is at the path, leaves nothing behind when it fails,
and says plainly why a file or standard output could not be written."""

from __future__ import annotations

import errno
import io
import os
import shutil
import stat
from pathlib import Path

import pytest

from crisis.cli import main
from crisis.exports.files import ExportError, private_output

from .conftest import REPO
from .export_fixture import INCIDENT, recorded_folder

ROFS = OSError(errno.EROFS, os.strerror(errno.EROFS))


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory whose journal holds the closed export incident."""
    monkeypatch.setenv("CRISIS_RESPONDER", "ingrid")
    return recorded_folder(tmp_path)


def export(data: Path, *more: str) -> int:
    return main(["--data-dir", str(data), "export", INCIDENT, "--format", "json", *more])


def test_a_symbolic_link_is_refused_and_left_as_it_is(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    aimed = tmp_path / "precious.txt"
    aimed.write_text("keep me", encoding="utf-8")
    link = tmp_path / "review.json"
    link.symlink_to(aimed)
    assert export(data, "-o", str(link)) == 2
    assert "is a symbolic link; name the file itself" in capsys.readouterr().err
    assert link.is_symlink() and aimed.read_text(encoding="utf-8") == "keep me"
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere")
    assert export(data, "-o", str(dangling)) == 2
    assert dangling.is_symlink() and not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("kind", ["fifo", "directory"])
def test_what_is_not_a_regular_file_is_refused(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    target = tmp_path / "target"
    if kind == "fifo":
        os.mkfifo(target, 0o600)
    else:
        target.mkdir()
    assert export(data, "-o", str(target)) == 2  # a FIFO would block here if it were opened
    err = capsys.readouterr().err
    assert err.startswith(f"crisis: {target} is ") and "internal error" not in err
    assert stat.S_ISFIFO(target.lstat().st_mode) if kind == "fifo" else target.is_dir()
    assert list(tmp_path.glob(".target*")) == []


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_the_journal_and_its_companions_are_refused(
    data: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    part = data / f"journal.sqlite3{suffix}"
    before = part.read_bytes() if part.exists() else None
    for spelling in (part, data / ".." / "data" / part.name):
        assert export(data, "-o", str(spelling)) == 2
        assert "is part of the journal" in capsys.readouterr().err
    assert (part.read_bytes() if part.exists() else None) == before
    assert main(["--data-dir", str(data), "verify", INCIDENT]) == 0


def test_a_hard_link_to_the_journal_is_refused(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.json"
    os.link(data / "journal.sqlite3", other)
    assert export(data, "-o", str(other)) == 2
    assert "is part of the journal" in capsys.readouterr().err


def test_an_earlier_export_is_replaced_whole(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "review.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o644)
    assert export(data, "-o", str(target)) == 0, capsys.readouterr().err
    assert target.read_text(encoding="utf-8").startswith("{")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "review.json"]


def test_a_missing_playbook_fails_before_any_folder_is_made(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "set"
    root.mkdir()
    shutil.copy(REPO / "contacts.yaml", root / "contacts.yaml")
    shutil.copytree(REPO / "playbooks", root / "playbooks")
    (root / "playbooks" / "account-hijack.yaml").unlink()
    shutil.rmtree(root / "playbooks" / "account-hijack")
    target = tmp_path / "x" / "sub" / "out.json"
    assert main(["--root", str(root), "--data-dir", str(data), "export", INCIDENT,
                 "--format", "json", "-o", str(target)]) == 2  # fmt: skip
    assert "no playbook 'account-hijack'" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_every_missing_folder_is_made_readable_by_the_user_only(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "a" / "b" / "out.json"
    mask = os.umask(0o022)
    try:
        assert export(data, "-o", str(target)) == 0, capsys.readouterr().err
    finally:
        os.umask(mask)
    for folder in (tmp_path / "a", tmp_path / "a" / "b"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_failed_write_removes_the_folders_it_made(tmp_path: Path) -> None:
    def half(target: Path) -> None:
        with private_output(target) as out:
            out.write("half")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(ExportError, match="cannot write"):
        half(tmp_path / "a" / "b" / "out.json")
    assert list(tmp_path.iterdir()) == []


def test_the_default_path_is_protected_too(tmp_path: Path) -> None:
    """The TUI writes through `private_output` alone: a link or a FIFO there is refused."""
    link, fifo = tmp_path / "link.md", tmp_path / "fifo.md"
    link.symlink_to(tmp_path / "elsewhere")
    os.mkfifo(fifo)
    for path in (link, fifo):
        refused = pytest.raises(ExportError, match="symbolic link|not a regular file")
        with refused, private_output(path) as out:
            out.write("never")
    assert link.is_symlink() and stat.S_ISFIFO(fifo.lstat().st_mode)
    assert not (tmp_path / "elsewhere").exists()


@pytest.mark.parametrize("failing", ["open", "fsync"])
def test_a_read_only_filesystem_is_reported_not_masked_by_the_cleanup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise ROFS

    target = tmp_path / "out.json"
    monkeypatch.setattr(os, failing, refuse)
    monkeypatch.setattr(Path, "unlink", refuse)
    monkeypatch.setattr(Path, "rmdir", refuse)
    with pytest.raises(ExportError) as raised, private_output(target) as out:
        out.write("text")
    assert str(raised.value) == f"cannot write {target}: Read-only file system"
    assert not target.exists()


def test_a_read_only_filesystem_is_a_clear_cli_error(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise ROFS

    monkeypatch.setattr(os, "fsync", refuse)
    monkeypatch.setattr(Path, "unlink", refuse)
    target = tmp_path / "out.json"
    assert export(data, "-o", str(target)) == 2
    assert capsys.readouterr().err == f"crisis: cannot write {target}: Read-only file system\n"


class Refusing(io.StringIO):
    """A standard output whose writes fail with `error`."""

    def __init__(self, error: OSError, descriptor: int | None = None) -> None:
        super().__init__()
        self.error, self.descriptor = error, descriptor

    def write(self, text: str) -> int:
        raise self.error

    def fileno(self) -> int:
        if self.descriptor is None:
            return super().fileno()
        return self.descriptor


def test_a_full_standard_output_is_a_clear_error(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdout", Refusing(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))))
    assert export(data) == 2
    err = capsys.readouterr().err
    assert err == "crisis: cannot write to standard output: No space left on device\n"


def test_a_broken_pipe_stays_quiet(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    descriptor = os.open(tmp_path / "stand-in", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        monkeypatch.setattr(
            "sys.stdout", Refusing(BrokenPipeError(errno.EPIPE, "pipe"), descriptor)
        )
        assert export(data) == 0
    finally:
        os.close(descriptor)
    assert capsys.readouterr().err == ""


def test_a_closed_standard_output_is_a_clear_error(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdout", None)  # what Python sets when started with 1>&-
    assert export(data) == 2
    assert capsys.readouterr().err == "crisis: standard output is closed; name a file with -o\n"


@pytest.mark.parametrize("name", ["", "exports/", "exports/more/"])
def test_an_output_that_names_no_file_is_refused(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    name: str,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    assert export(data, "-o", name) == 2
    out, err = capsys.readouterr()
    assert out == "" and "names no file" in err
    assert not (tmp_path / "exports").exists()
