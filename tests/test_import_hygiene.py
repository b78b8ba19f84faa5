"""The core never imports Textual: `crisis validate` and friends run headless."""

from __future__ import annotations

import subprocess
import sys

PROGRAM = """
import importlib, pkgutil, sys
import crisis
names = [m.name for m in pkgutil.walk_packages(crisis.__path__, "crisis.")
         if not m.name.startswith("crisis.tui") and m.name != "crisis.__main__"]
for name in names:
    importlib.import_module(name)
assert len(names) > 5, names
print("textual" in sys.modules, len(names))
"""


def test_importing_the_core_does_not_import_textual() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=True
    )
    loaded, count = done.stdout.split()
    assert loaded == "False"
    assert int(count) > 5
