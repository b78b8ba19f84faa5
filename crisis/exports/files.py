"""Export files: created readable by the user only, written whole or not at all."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from crisis.problems import CrisisError

EXTENSIONS = {"md": "md", "json": "json", "csv": "csv", "html": "html", "toml": "toml"}


class ExportError(CrisisError):
    """An export that could not be written, with the reason."""


def default_path(folder: Path, incident: str, profile: str, fmt: str) -> Path:
    """Where an export goes when no file is named: `exports/` beside the journal."""
    return folder / "exports" / f"{incident}-{profile}.{EXTENSIONS[fmt]}"


@contextmanager
def private_output(path: Path) -> Iterator[TextIO]:
    """A text file to write an export into: created 0600 beside `path`, renamed onto it once
    written whole and synced; removed, leaving `path` as it was, if anything goes wrong."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ExportError(f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def private_file(path: Path, text: str) -> Path:
    """Write `text` to `path` (0600) through a temporary file renamed into place."""
    with private_output(path) as out:
        out.write(text)
    return path
