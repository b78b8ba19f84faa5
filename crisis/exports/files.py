"""Export files: created readable by the user only, written whole or not at all."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

from crisis.problems import CrisisError

EXTENSIONS = {"md": "md", "json": "json", "csv": "csv", "html": "html", "toml": "toml"}
JOURNAL_COMPANIONS = ("", "-wal", "-shm", "-journal")


class ExportError(CrisisError):
    """An export that could not be written, with the reason."""


def default_path(folder: Path, incident: str, profile: str, fmt: str) -> Path:
    """Where an export goes when no file is named: `exports/` beside the journal."""
    return folder / "exports" / f"{incident}-{profile}.{EXTENSIONS[fmt]}"


def journal_files(journal: Path) -> tuple[Path, ...]:
    """The journal and the files SQLite keeps beside it, none of which an export may replace."""
    return tuple(journal.with_name(journal.name + suffix) for suffix in JOURNAL_COMPANIONS)


def check_target(path: Path, keep: Iterable[Path] = ()) -> None:
    """Refuse, before anything is read or made, a target that replacing would destroy: anything but
    a regular file, a symbolic link, or one of the files in `keep` (the journal's)."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise ExportError(f"cannot write {path}: {error.strerror or error}") from None
    if info is not None and stat.S_ISLNK(info.st_mode):
        raise ExportError(f"{path} is a symbolic link; name the file itself")
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise ExportError(f"{path} is a directory; name a file to write the export to")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise ExportError(f"{path} is not a regular file; name a file to write the export to")
    for kept in keep:
        if _resolved(path) == _resolved(kept) or _same(path, kept):
            raise ExportError(f"{path} is part of the journal ({kept.name}); name another file")


def _resolved(path: Path) -> Path:
    """The path with its links followed, or as given if they loop, so that comparing never fails."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _same(one: Path, other: Path) -> bool:
    """Whether two existing paths are the same file (a hard link, another spelling)."""
    with suppress(OSError):
        return os.path.samefile(one, other)
    return False


def _make_folders(folder: Path, created: list[Path]) -> None:
    """Create the missing folders down to `folder`, each 0700, noting them outermost first."""
    missing: list[Path] = []
    while not folder.exists() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        each.mkdir(mode=0o700)
        created.append(each)


def _discard(temporary: Path | None, created: list[Path]) -> None:
    """Remove what a failed export made; a failure here is ignored, never hiding the first."""
    if temporary is not None:
        with suppress(OSError):
            temporary.unlink(missing_ok=True)
    for folder in reversed(created):
        with suppress(OSError):
            folder.rmdir()


@contextmanager
def private_output(path: Path, keep: Iterable[Path] = ()) -> Iterator[TextIO]:
    """A text file to write an export into: created 0600 beside `path`, renamed onto it once
    written whole and synced; removed, leaving `path` as it was, if anything goes wrong."""
    check_target(path, keep)
    created: list[Path] = []
    temporary: Path | None = None
    try:
        _make_folders(path.parent, created)
        descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        temporary = Path(name)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except OSError as error:
        _discard(temporary, created)
        raise ExportError(f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        _discard(temporary, created)
        raise
