"""Shared fixtures: a private copy of the bundled set that a test may break on purpose."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 22)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the bundled playbooks and roster in a temporary directory."""
    target = tmp_path / "set"
    target.mkdir()
    shutil.copy(REPO / "contacts.yaml", target / "contacts.yaml")
    shutil.copytree(REPO / "playbooks", target / "playbooks")
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a file, failing loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
