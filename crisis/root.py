"""Where a set lives: `--root`, else the current directory, else the set bundled with crisis."""

from __future__ import annotations

from pathlib import Path

from crisis.problems import CrisisError

CONTACTS = "contacts.yaml"
PLAYBOOKS = "playbooks"


class RootError(CrisisError):
    """A root directory that does not hold a roster and playbooks."""


def bundled_root() -> Path | None:
    """The example set shipped with the package (installed), or beside it (a checkout)."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "bundled", package.parent):
        if (candidate / CONTACTS).is_file() and (candidate / PLAYBOOKS).is_dir():
            return candidate
    return None


def find_root(given: str | None, cwd: Path | None = None) -> Path:
    """`--root` if given, else the current directory if it holds a set, else the bundled set."""
    if given is not None:
        root = Path(given)
        if not root.is_dir():
            raise RootError(f"--root {given}: no such directory")
        if not (root / CONTACTS).exists() and not (root / PLAYBOOKS).exists():
            raise RootError(f"--root {given}: holds neither {CONTACTS} nor {PLAYBOOKS}/")
        return root
    here = cwd or Path.cwd()
    if (here / CONTACTS).exists() or (here / PLAYBOOKS).is_dir():
        return here
    bundled = bundled_root()
    if bundled is None:
        raise RootError(f"no {CONTACTS} or {PLAYBOOKS}/ here; pass --root DIR")
    return bundled
