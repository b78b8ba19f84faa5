"""The JSON and TOML exports: the header, then every event, streamed in sequence order."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, TextIO

import tomli_w

if TYPE_CHECKING:
    from crisis.exports import Export

_ROW = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _json(value: Any) -> str:
    """A header value: small tables pretty, long lists one compact item per line (fast to write)."""
    if isinstance(value, list) and value:
        items = ",\n    ".join(_ROW.encode(item) for item in value)
        return f"[\n    {items}\n  ]"
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")


def write_json(export: Export, out: TextIO) -> None:
    """A JSON object: the header's keys, then `events`, one compact event per line."""
    out.write("{\n")
    for key, value in export.header.items():
        out.write(f"  {json.dumps(key)}: {_json(value)},\n")
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


def _toml_string(text: str) -> str:
    # JSON's escapes are TOML's, except that TOML also forbids a raw DEL.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _toml_string(key)


def _toml_inline(value: Any) -> str:
    """A TOML value on one line; tables inline; nulls left out."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, dict):
        pairs = (f"{_toml_key(k)} = {_toml_inline(v)}" for k, v in value.items() if v is not None)
        return "{ " + ", ".join(pairs) + " }" if value else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_inline(v) for v in value if v is not None) + "]"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def write_toml(export: Export, out: TextIO) -> None:
    """The same content as JSON, without nulls: the header by tomli-w, then `[[events]]` tables."""
    out.write(tomli_w.dumps(without_nulls(export.header)))
    for row in export.rows():
        out.write("\n[[events]]\n")
        for key, value in row.items():
            if value is not None:
                out.write(f"{key} = {_toml_inline(value)}\n")
