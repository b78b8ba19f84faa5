"""`crisis validate`: check the roster, the scale and every playbook as strictly as a compiler."""

from __future__ import annotations

import argparse
import json
from datetime import date

from crisis import clock
from crisis.catalog import display_name, load_catalog
from crisis.root import find_root

NAME = "validate"
HELP = "check contacts.yaml and playbooks/ and print every problem"


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument("--strict", action="store_true", help="treat warnings as problems")
    parser.add_argument("--today", type=date.fromisoformat, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    root = find_root(getattr(args, "root", None))
    catalog = load_catalog(root, args.today or clock.today())
    failed = bool(catalog.errors) or (args.strict and bool(catalog.warnings))
    if args.format == "json":
        report = {
            "root": str(root),
            "ok": not failed,
            "files": catalog.files,
            "playbooks": [source.value.id for source in catalog.playbooks],
            "errors": len(catalog.errors),
            "warnings": len(catalog.warnings),
            "problems": [problem.as_json() for problem in catalog.problems],
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 1 if failed else 0
    for problem in catalog.problems:
        print(problem)
    counts = f"{len(catalog.errors)} error(s), {len(catalog.warnings)} warning(s)"
    checked = f"{len(catalog.playbooks)} playbook(s) in {catalog.files} file(s)"
    checked += f" under {display_name(root)}"
    print(f"{'FAILED' if failed else 'ok'}: {counts}; {checked}")
    return 1 if failed else 0
