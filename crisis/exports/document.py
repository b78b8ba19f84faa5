"""The JSON and TOML exports: the header, then every event, streamed in sequence order."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

import tomli_w

if TYPE_CHECKING:
    from crisis.exports import Export

_ROW = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def write_json(export: Export, out: TextIO) -> None:
    """A JSON object: the header's keys, pretty, then `events`, one compact event per line."""
    out.write("{\n")
    for key, value in export.header.items():
        text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        out.write(f"  {json.dumps(key)}: {text},\n")
    out.write('  "events": [')
    encode = _ROW.encode
    separator = "\n    "
    for row in export.rows():
        out.write(separator)
        out.write(encode(row))
        separator = ",\n    "
    out.write("\n  ]\n}\n")


def without_nulls(value: Any) -> Any:
    """TOML has no null: absent values are left out, in tables and in arrays."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value if v is not None]
    return value


def write_toml(export: Export, out: TextIO) -> None:
    """The same content as JSON, without nulls; each event an `[[events]]` table."""
    out.write(tomli_w.dumps(without_nulls(export.header)))
    dumps = tomli_w.dumps
    for row in export.rows():
        out.write("\n")
        out.write(dumps({"events": [without_nulls(row)]}))
