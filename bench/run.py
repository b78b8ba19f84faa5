"""Every benchmark, one after another: each prints its ratios to a floor measured in the same run.

Run with `python bench/run.py` (from the repository, with the package installed), or name some of
them: `python bench/run.py export fold`. Each prints its verdicts against its targets; this exits
1 if any of them exits non-zero (`export` does when it misses its targets).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("validation", "journal", "fold", "tui", "export")
"""Each is `bench/NAME.py`, and runs on its own too."""


def main(names: list[str]) -> int:
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
        return 2
    missed = []
    for name in names or BENCHMARKS:
        print(f"== bench/{name}.py", flush=True)
        if subprocess.run([sys.executable, str(HERE / f"{name}.py")], check=False).returncode:
            missed.append(name)
    if missed:
        print(f"exited non-zero: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
