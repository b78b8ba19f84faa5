"""`crisis schema`: print the JSON Schema of a file format, for editors' completion and checks."""

from __future__ import annotations

import argparse
import json

from crisis.model import Contacts, Playbook, Scale
from crisis.schema import json_schema

NAME = "schema"
HELP = "print the JSON Schema of playbooks, the scale or contacts.yaml"
FORMATS = {"playbook": Playbook, "scale": Scale, "contacts": Contacts}


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("format", choices=sorted(FORMATS), help="which file format")


def run(args: argparse.Namespace) -> int:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"crisis {args.format}",
        **json_schema(FORMATS[args.format]),
    }
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0
