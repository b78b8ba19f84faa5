"""Validating 500 playbooks, against loading the same files with PyYAML's C loader alone.

Run with `python bench/validation.py` (from the repository, with the package installed).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crisis import clock  # noqa: E402
from crisis.catalog import load_catalog  # noqa: E402

PLAYBOOKS = 500
ROUNDS = 7
TARGET = 1.5


def generate(root: Path, count: int) -> list[Path]:
    """A root with the bundled roster and scale and `count` playbooks made from the bundled ones."""
    shutil.copy(REPO / "contacts.yaml", root / "contacts.yaml")
    shutil.copytree(REPO / "playbooks", root / "playbooks")
    sources = sorted(p for p in (REPO / "playbooks").glob("*.yaml") if p.name != "scale.yaml")
    for old in sources:
        (root / "playbooks" / old.name).unlink()
    for i in range(count):
        source = sources[i % len(sources)]
        text = source.read_text(encoding="utf-8")
        name = f"{source.stem}-{i:04d}"
        (root / "playbooks" / f"{name}.yaml").write_text(
            text.replace(f"id: {source.stem}\n", f"id: {name}\n", 1), encoding="utf-8"
        )
    return [root / "contacts.yaml", *sorted((root / "playbooks").glob("*.yaml"))]


def bare_libyaml(files: list[Path]) -> None:
    """The floor: read and load every file with PyYAML's C loader, nothing else."""
    for path in files:
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        files = generate(root, PLAYBOOKS)
        size = sum(path.stat().st_size for path in files) / len(files) / 1024
        catalog = load_catalog(root, clock.today())
        assert not catalog.errors, catalog.errors[:3]
        assert len(catalog.playbooks) == PLAYBOOKS
        floors, ours, ratios = [], [], []
        for round_ in range(ROUNDS):
            pair = [lambda: bare_libyaml(files), lambda: load_catalog(root, clock.today())]
            if round_ % 2:
                pair.reverse()
            first, second = (timed(action) for action in pair)
            floor, own = (first, second) if round_ % 2 == 0 else (second, first)
            floors.append(floor)
            ours.append(own)
            ratios.append(own / floor)
    ratio = statistics.median(ratios)
    print(f"validate {PLAYBOOKS} playbooks ({size:.1f} KiB average, with their templates)")
    print(f"  bare libyaml load: {statistics.median(floors) * 1000:8.1f} ms (median of {ROUNDS})")
    print(f"  crisis validate:   {statistics.median(ours) * 1000:8.1f} ms")
    verdict = "ok" if ratio <= TARGET else "OVER TARGET"
    print(f"  ratio:             {ratio:8.2f}x  (target <= {TARGET}x: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
