"""`crisis schema`: print the JSON Schema of a file format, for editors' completion and checks."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from crisis.model import Contacts, Playbook, Scale
from crisis.schema import json_schema

NAME = "schema"
HELP = "print the JSON Schema of playbooks, the scale, contacts.yaml or a JSON export"
FORMATS = {"playbook": Playbook, "scale": Scale, "contacts": Contacts}
EXPORT_SCHEMA = Path(__file__).parent.parent / "exports" / "export.schema.json"


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("format", choices=[*sorted(FORMATS), "export"], help="which file format")


def run(args: argparse.Namespace) -> int:
    if args.format == "export":
        print(EXPORT_SCHEMA.read_text(encoding="utf-8"), end="")
        return 0
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"crisis {args.format}",
        **json_schema(FORMATS[args.format]),
    }
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0
