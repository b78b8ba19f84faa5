"""The JSON and TOML exports: the header, then every event, streamed in sequence order."""

from __future__ import annotations

import json
import re
from _json import make_encoder
from collections.abc import Callable, Iterable, Mapping
from json.encoder import encode_basestring as _quote
from typing import TYPE_CHECKING, Any, TextIO

from crisis.exports.rows import ROW_KEYS

if TYPE_CHECKING:
    from crisis.exports import Export

_ROW = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
_ENCODE = make_encoder(None, _ROW.default, _quote, None, ": ", ", ", False, False, True)
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_INLINE = 95
"""The longest table tomli-w writes inline in an array: 100 characters with indent and comma."""
_NESTED = frozenset({dict, list})
_TIME_KEYS = ("utc", "local")
_BATCH = 256
"""Rows encoded before each write to the output."""


def _compact(value: Any) -> str:
    """A value as one line of JSON, as `_ROW` writes it."""
    return "".join(_ENCODE(value, 0))


def _json(value: Any) -> str:
    """A header value: small tables pretty, long lists one compact item per line (fast to write)."""
    if isinstance(value, list) and value:
        items = ",\n    ".join(map(_compact, value))
        return f"[\n    {items}\n  ]"
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")


def _json_row(row: dict[str, Any]) -> str:
    """An event row as one line of JSON; rows of the usual shape are written field by field."""
    if tuple(row) != ROW_KEYS or type(row["seq"]) is not int or type(row["redacted"]) is not bool:
        return _compact(row)
    q, time = _quote, row["time"]
    try:
        return (
            f'{{"seq": {row["seq"]}, "id": {q(row["id"])}, "time": {_compact(time)}, '
            f'"tz": {q(row["tz"])}, "actor": {q(row["actor"])}, "kind": {q(row["kind"])}, '
            f'"text": {q(row["text"])}, "summary": {q(row["summary"])}, '
            f'"data": {_compact(row["data"])}, "prev": {q(row["prev"])}, '
            f'"hash": {q(row["hash"])}, "redacted": {"true" if row["redacted"] else "false"}}}'
        )
    except TypeError:  # a field that is not text
        return _compact(row)


def _batched(texts: Iterable[str], out: TextIO, separator: str, first: str) -> None:
    """Write texts with a separator between them, a batch at a time."""
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) == _BATCH:
            out.write(first + separator.join(batch))
            batch.clear()
            first = separator
    if batch:
        out.write(first + separator.join(batch))


def write_json(export: Export, out: TextIO) -> None:
    """A JSON object: the header's keys, then `events`, one compact event per line."""
    out.write("{\n")
    for key, value in export.header.items():
        out.write(f"  {json.dumps(key)}: {_json(value)},\n")
    out.write('  "events": [')
    _batched(map(_json_row, export.rows()), out, ",\n    ", "\n    ")
    out.write("\n  ]\n}\n")


def without_nulls(value: Any) -> Any:
    """TOML has no null: absent values are left out, in tables and in arrays."""
    if isinstance(value, dict):
        return {
            k: without_nulls(v) if type(v) in _NESTED else v
            for k, v in value.items()
            if v is not None
        }
    if isinstance(value, list):
        return [without_nulls(v) if type(v) in _NESTED else v for v in value if v is not None]
    return value


def _toml_string(text: str) -> str:
    # JSON's escapes are TOML's, except that TOML also forbids a raw DEL.
    quoted: str = _quote(text)
    return quoted.replace("\x7f", "\\u007f") if "\x7f" in text else quoted


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _toml_string(key)


def _toml_inline(value: Any) -> str:
    """A TOML value on one line; tables inline; nulls left out."""
    kind = type(value)
    if kind is str or isinstance(value, str):
        return _toml_string(value)
    if kind is bool or isinstance(value, bool):
        return "true" if value else "false"
    if kind is int or isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        pairs = (f"{_toml_key(k)} = {_toml_inline(v)}" for k, v in value.items() if v is not None)
        return "{ " + ", ".join(pairs) + " }" if value else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_inline(v) for v in value if v is not None) + "]"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def _toml_row(row: dict[str, Any]) -> str:
    """An event as a `[[events]]` table, one line per field that is not null."""
    text = _toml_usual(row) if tuple(row) == ROW_KEYS else None
    if text is None:
        lines = ["\n[[events]]\n"]
        for key, value in row.items():
            if value is not None:
                lines.append(f"{key} = {_toml_inline(value)}\n")
        return "".join(lines)
    return text.replace("\x7f", "\\u007f") if "\x7f" in text else text


def _toml_usual(row: dict[str, Any]) -> str | None:
    """A row of the usual shape and types written field by field; None for any other row."""
    time, q = row["time"], _quote
    if type(time) is not dict or tuple(time) != _TIME_KEYS:
        return None
    if type(row["seq"]) is not int or type(row["redacted"]) is not bool:
        return None
    try:
        return (
            f"\n[[events]]\nseq = {row['seq']}\nid = {q(row['id'])}\n"
            f"time = {{ utc = {q(time['utc'])}, local = {q(time['local'])} }}\n"
            f"tz = {q(row['tz'])}\nactor = {q(row['actor'])}\nkind = {q(row['kind'])}\n"
            f"text = {q(row['text'])}\nsummary = {q(row['summary'])}\n"
            f"data = {_toml_inline(row['data'])}\nprev = {q(row['prev'])}\n"
            f"hash = {q(row['hash'])}\nredacted = {'true' if row['redacted'] else 'false'}\n"
        )
    except TypeError:  # a null, or a value that is not text
        return None


def write_toml(export: Export, out: TextIO) -> None:
    """The same content as JSON, without nulls: the header as tomli-w writes it, then events."""
    out.write(_Tomli().document(without_nulls(export.header)))
    _batched(map(_toml_row, export.rows()), out, "", "")


class _Tomli:
    """Writes a table exactly as tomli-w 1.x does with its defaults, only faster on long arrays."""

    def __init__(self) -> None:
        self.inline: dict[int, str] = {}  # id of a table still referenced by the document

    def document(self, table: Mapping[str, Any]) -> str:
        chunks: list[str] = []
        self._table(table, "", False, chunks.append)
        return "".join(chunks)

    def _table(
        self, table: Mapping[str, Any], name: str, item: bool, emit: Callable[[str], Any]
    ) -> None:
        """A table's header line, its simple values, then its tables and arrays of tables."""
        literals, tables = [], []
        for key, value in table.items():
            if isinstance(value, Mapping):
                tables.append((key, value, False))
            elif _tables_only(value) and not all(map(self._fits, value)):
                tables.extend((key, member, True) for member in value)
            else:
                literals.append((key, value))
        written = False
        if item or name and (literals or not tables):
            written = True
            emit(f"[[{name}]]\n" if item else f"[{name}]\n")
        for key, value in literals:
            written = True
            emit(f"{_tomli_key(key)} = {self._literal(value, 0)}\n")
        for key, value, member in tables:
            if written:
                emit("\n")
            written = True
            part = _tomli_key(key)
            self._table(value, f"{name}.{part}" if name else part, member, emit)

    def _literal(self, value: Any, level: int) -> str:
        if isinstance(value, str):
            return _tomli_string(value)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, list | tuple):
            if not value:
                return "[]"
            indent = "    " * (level + 1)
            items = ",\n".join(indent + self._literal(item, level + 1) for item in value)
            return f"[\n{items},\n{'    ' * level}]"
        if isinstance(value, Mapping):
            return self._inline(value)
        raise TypeError(f"no TOML form for {type(value).__name__}")

    def _inline(self, table: Mapping[str, Any]) -> str:
        known = self.inline.get(id(table))
        if known is None:
            pairs = ", ".join(f"{_tomli_key(k)} = {self._literal(v, 0)}" for k, v in table.items())
            known = self.inline[id(table)] = "{ " + pairs + " }" if table else "{}"
        return known

    def _fits(self, table: Mapping[str, Any]) -> bool:
        """Whether a table in an array is written inline: one line of at most 100 characters."""
        if id(table) not in self.inline:
            length = 2  # "{ " and " }", less the ", " that the first pair does not have
            for key, value in table.items():
                pair = f"{_tomli_key(key)} = {self._literal(value, 0)}"
                length += len(pair) + 2
                if length > _INLINE or "\n" in pair:
                    return False  # not kept: only a table that fits is written inline
        shown = self._inline(table)
        return len(shown) <= _INLINE and "\n" not in shown


def _tables_only(value: Any) -> bool:
    return (
        isinstance(value, list | tuple)
        and bool(value)
        and all(isinstance(item, Mapping) for item in value)
    )


def _tomli_string(text: str) -> str:
    """A basic string as tomli-w writes it: JSON's escapes, but a tab kept and DEL escaped."""
    quoted: str = _quote(text)
    if "\t" in text:
        quoted = '"' + "\t".join(_quote(part)[1:-1] for part in text.split("\t")) + '"'
    return quoted.replace("\x7f", "\\u007f") if "\x7f" in text else quoted


def _tomli_key(key: str) -> str:
    return key if key and _BARE_KEY.fullmatch(key) else _tomli_string(key)
