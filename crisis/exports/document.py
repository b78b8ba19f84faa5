"""The JSON export: the header, then every event, streamed in sequence order."""

from __future__ import annotations

import json
from _json import make_encoder
from collections.abc import Iterable
from json.encoder import encode_basestring as _quote
from typing import Any, TextIO

from crisis.exports.digest import spooled
from crisis.exports.rows import ROW_KEYS, Layout, batched, ending

Json = dict[str, Any]
_ROW = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
_ENCODE = make_encoder(None, _ROW.default, _quote, None, ": ", ", ", False, False, True)
_TIME_KEYS = ("utc", "local")


def _compact(value: Any) -> str:
    """A value as one line of JSON, as `_ROW` writes it."""
    return "".join(_ENCODE(value, 0))


def _json_items(items: Iterable[Any], out: TextIO) -> None:
    """A header list, one compact item per line; a spooled list inside an item is read and
    written item by item, so no list of values is held."""
    separator = "\n    "
    for item in items:
        if type(item) is not dict or not any(map(spooled, item.values())):
            out.write(separator + _compact(item))
        else:
            out.write(separator + "{")
            for i, (key, value) in enumerate(item.items()):
                out.write(f"{', ' if i else ''}{_quote(key)}: ")
                if spooled(value):
                    out.write("[")
                    batched(map(_compact, value), out, ", ", "")
                    out.write("]")
                else:
                    out.write(_compact(value))
            out.write("}")
        separator = ",\n    "


def _json_row(row: dict[str, Any]) -> str:
    """An event row as one line of JSON; rows of the usual shape are written field by field."""
    if tuple(row) != ROW_KEYS or type(row["seq"]) is not int or type(row["redacted"]) is not bool:
        return _compact(row)
    q, time, data = _quote, row["time"], row["data"]
    try:
        if type(time) is dict and len(time) == 2 and tuple(time) == _TIME_KEYS:
            time_text = f'{{"utc": {q(time["utc"])}, "local": {q(time["local"])}}}'
        else:
            time_text = _compact(time)
        return (
            f'{{"seq": {row["seq"]}, "id": {q(row["id"])}, "time": {time_text}, '
            f'"tz": {q(row["tz"])}, "actor": {q(row["actor"])}, "kind": {q(row["kind"])}, '
            f'"text": {q(row["text"])}, "summary": {q(row["summary"])}, '
            f'"data": {_compact(data) if data else "{}"}, "prev": {q(row["prev"])}, '
            f'"hash": {q(row["hash"])}, "redacted": {"true" if row["redacted"] else "false"}}}'
        )
    except TypeError:  # a field that is not text
        return _compact(row)


def _json_head(header: Json, out: TextIO) -> None:
    """The header's keys: small tables pretty, long lists one compact item per line."""
    out.write("{\n")
    for key, value in header.items():
        if (type(value) is list or spooled(value)) and value:
            out.write(f"  {json.dumps(key)}: [")
            _json_items(value, out)
            out.write("\n  ],\n")
        else:
            shown = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            out.write(f"  {json.dumps(key)}: {shown},\n")
    out.write('  "events": [')


def _json_body(rows: Iterable[Json], out: TextIO, header: Json) -> None:
    batched(map(_json_row, rows), out, ",\n    ", "\n    ")


JSON = Layout(_json_head, _json_body, ending("\n  ]\n}\n"))
"""A JSON object: the header's keys, then `events`, one compact event per line."""
