"""The TOML export: the same content as JSON without nulls, the header as tomli-w writes it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from json.encoder import encode_basestring as _quote
from typing import Any, TextIO

from crisis.exports.digest import spooled
from crisis.exports.rows import ROW_KEYS, Layout, batched, ending

Json = dict[str, Any]
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_INLINE = 95
"""The longest table tomli-w writes inline in an array: 100 characters with indent and comma."""
_TIME_KEYS = ("utc", "local")
_BATCH = 256
"""Pieces of the header made before each write to the output."""


def _toml_string(text: str) -> str:
    # JSON's escapes are TOML's, except that TOML also forbids a raw DEL.
    quoted: str = _quote(text)
    return quoted.replace("\x7f", "\\u007f") if "\x7f" in text else quoted


@lru_cache(maxsize=1024)
def _toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _toml_string(key)


def _toml_inline(value: Any) -> str:
    """A TOML value on one line; tables inline; nulls left out."""
    kind = type(value)
    if kind is str:
        return _toml_string(value)
    if kind is int:
        return str(value)
    if kind is dict:
        if not value:
            return "{}"
        pairs = [f"{_toml_key(k)} = {_toml_inline(v)}" for k, v in value.items() if v is not None]
        return "{ " + ", ".join(pairs) + " }"
    if kind is list:
        return "[" + ", ".join([_toml_inline(v) for v in value if v is not None]) + "]"
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return _toml_inline(dict(value))
    if isinstance(value, list):
        return _toml_inline(list(value))
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


def _toml_head(header: Json, out: TextIO) -> None:
    _Tomli(out).document(header)


def _toml_body(rows: Iterable[Json], out: TextIO, header: Json) -> None:
    batched(map(_toml_row, rows), out, "", "")


TOML = Layout(_toml_head, _toml_body, ending(""))
"""The same content as JSON, without nulls: the header as tomli-w writes it, then events."""


class _Tomli:
    """Writes what tomli-w 1.x writes for a table with its nulls left out (TOML has none),
    faster on long arrays of tables, and to the output as it goes."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.chunks: list[str] = []
        self.inline: dict[int, str] = {}  # by the id of a table the caller's document holds

    def document(self, table: Mapping[str, Any]) -> None:
        self._table(table, "", False)
        self.out.write("".join(self.chunks))

    def _table(self, table: Mapping[str, Any], name: str, item: bool) -> None:
        """A table's header line, its simple values, then its tables and arrays of tables."""
        lines: list[str | Callable[[], None]] = []
        tables: list[tuple[str, Any, bool | None]] = []
        emit, strip = self.chunks.append, isinstance(table, dict)
        for key, value in table.items():
            kind = type(value)
            if value is None and strip:
                continue
            if kind is str:
                lines.append(f"{_tomli_key(key)} = {_tomli_string(value)}\n")
            elif kind is int:
                lines.append(f"{_tomli_key(key)} = {value}\n")
            elif kind is dict or isinstance(value, Mapping):
                tables.append((key, value, False))
            elif spooled(value):
                if value and not all(self._fresh(self._fits, t) for t in value):
                    tables.append((key, value, None))
                else:
                    lines.append(self._spooled_literal(key, value))
            elif _tables_only(value) and not all(map(self._fits, _present(value))):
                tables.extend((key, member, True) for member in _present(value))
            else:
                lines.append(f"{_tomli_key(key)} = {self._literal(value, 0)}\n")
        written = False
        if item or name and (lines or not tables):
            written = True
            emit(f"[[{name}]]\n" if item else f"[{name}]\n")
        for line in lines:
            written = True
            if isinstance(line, str):
                emit(line)
            else:
                line()
        for key, value, member in tables:
            part = _tomli_key(key)
            path = f"{name}.{part}" if name else part
            for element in value if member is None else (value,):
                if written:
                    emit("\n")
                written = True
                if member is None:  # an item of a spooled array: fresh each time it is read
                    text = _flat_item(element, path)
                    if text is not None:
                        emit(text)
                    else:
                        self._fresh(lambda t: self._table(t, path, True), element)  # noqa: B023
                else:
                    self._table(element, path, member)
                self._flush()

    def _flush(self) -> None:
        if len(self.chunks) > _BATCH:
            self.out.write("".join(self.chunks))
            self.chunks.clear()

    def _fresh(self, write: Callable[[Any], Any], table: Any) -> Any:
        """Apply `write` to a table read back from a spool, with no inline form remembered by
        the id of a table that will not live on (another could be given its id)."""
        kept, self.inline = self.inline, {}
        try:
            return write(table)
        finally:
            self.inline = kept

    def _spooled_literal(self, key: str, items: Any) -> Callable[[], None]:
        """A spooled array as an inline literal, written item by item when its turn comes."""

        def write() -> None:
            if not items:
                self.chunks.append(f"{_tomli_key(key)} = []\n")
                return
            self.chunks.append(f"{_tomli_key(key)} = [\n")
            for item in items:
                if item is not None:
                    self.chunks.append(f"    {self._fresh(self._inline, item)},\n")
                    self._flush()
            self.chunks.append("]\n")

        return write

    def _literal(self, value: Any, level: int) -> str:
        kind = type(value)
        if kind is str or isinstance(value, str):
            return _tomli_string(value)
        if kind is bool or isinstance(value, bool):
            return "true" if value else "false"
        if kind is int or isinstance(value, int | float):
            return str(value)
        if isinstance(value, list | tuple):
            items = _present(value)
            if not items:
                return "[]"
            indent = "    " * (level + 1)
            lines = ",\n".join(indent + self._literal(item, level + 1) for item in items)
            return f"[\n{lines},\n{'    ' * level}]"
        if isinstance(value, Mapping):
            return self._inline(value)
        raise TypeError(f"no TOML form for {type(value).__name__}")

    def _inline(self, table: Mapping[str, Any]) -> str:
        known = self.inline.get(id(table))
        if known is None:
            pairs = [f"{_tomli_key(k)} = {self._literal(v, 0)}" for k, v in _pairs(table)]
            known = self.inline[id(table)] = "{ " + ", ".join(pairs) + " }" if pairs else "{}"
        return known

    def _fits(self, table: Mapping[str, Any]) -> bool:
        """Whether a table in an array is written inline: one line of at most 100 characters."""
        if id(table) not in self.inline:
            length = 2  # "{ " and " }", less the ", " that the first pair does not have
            for key, value in _pairs(table):
                pair = f"{_tomli_key(key)} = {self._literal(value, 0)}"
                length += len(pair) + 2
                if length > _INLINE or "\n" in pair:
                    return False  # not kept: only a table that fits is written inline
        shown = self._inline(table)
        return len(shown) <= _INLINE and "\n" not in shown


def _flat_item(table: Any, path: str) -> str | None:
    """An item of an array of tables as `_Tomli` writes it, if its values are text, numbers,
    lists of text and tables of text (as a spooled history or attempt is); else None."""
    if type(table) is not dict:
        return None
    lines, tables = [f"[[{path}]]\n"], []
    for key, value in table.items():
        kind, name = type(value), _tomli_key(key)
        if kind is str:
            lines.append(f"{name} = {_tomli_string(value)}\n")
        elif kind is int:
            lines.append(f"{name} = {value}\n")
        elif kind is bool:
            lines.append(f"{name} = {'true' if value else 'false'}\n")
        elif value is None:
            continue
        elif kind is list and all(type(item) is str for item in value):
            items = "".join(f"    {_tomli_string(item)},\n" for item in value)
            lines.append(f"{name} = [\n{items}]\n" if value else f"{name} = []\n")
        elif kind is dict and value and all(type(item) is str for item in value.values()):
            pairs = "".join(f"{_tomli_key(k)} = {_tomli_string(v)}\n" for k, v in value.items())
            tables.append(f"\n[{path}.{name}]\n{pairs}")
        else:
            return None
    return "".join(lines) + "".join(tables)


def _pairs(table: Mapping[str, Any]) -> Iterable[tuple[str, Any]]:
    """A table's keys and values, but those that are null."""
    if isinstance(table, dict):
        return [(key, value) for key, value in table.items() if value is not None]
    return table.items()


def _present(items: Any) -> Any:
    """A list's items, but those that are null."""
    return [item for item in items if item is not None] if isinstance(items, list) else items


def _tables_only(value: Any) -> bool:
    """An array that tomli-w may write as `[[tables]]`: not empty, and tables all."""
    if not isinstance(value, list | tuple):
        return False
    items = _present(value)
    return bool(items) and all(type(item) is dict or isinstance(item, Mapping) for item in items)


def _tomli_string(text: str) -> str:
    """A basic string as tomli-w writes it: JSON's escapes, but a tab kept and DEL escaped."""
    quoted: str = _quote(text)
    if "\t" in text:
        quoted = '"' + "\t".join(_quote(part)[1:-1] for part in text.split("\t")) + '"'
    return quoted.replace("\x7f", "\\u007f") if "\x7f" in text else quoted


@lru_cache(maxsize=1024)
def _tomli_key(key: str) -> str:
    return key if key and _BARE_KEY.fullmatch(key) else _tomli_string(key)
