"""The CSV export: one RFC 4180 row per event, with cells a spreadsheet would run made inert."""

from __future__ import annotations

import csv
import json
import re
from _json import make_encoder
from collections.abc import Iterable
from json.encoder import encode_basestring as _quote
from typing import TextIO

from crisis.exports.rows import Layout, Row, ending

COLUMNS = (
    "incident",
    "exercise",
    "profile",
    "seq",
    "id",
    "time_utc",
    "time_local",
    "tz",
    "actor",
    "kind",
    "summary",
    "text",
    "data",
    "redacted",
    "prev",
    "hash",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_BATCH = 256
"""Rows made before each write to the output."""
_QUOTED = re.compile(r'[",\r\n\x00]').search
"""A character that makes the csv writer quote a cell (or refuse it, for NUL)."""
_QUOTED_BUT_COMMA = re.compile(r'["\r\n\x00]').search


def inert(cell: str) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe.

    This includes phone numbers such as +4722334455: the apostrophe keeps them text (Excel and
    LibreOffice hide it), where they would otherwise be read as a formula or a number.
    """
    return "'" + cell if cell.startswith(FORMULA_START) else cell


class _Lines(list[str]):
    """Where the csv writer puts each row, to be written to the output a batch at a time."""

    write = list.append


def _csv_head(header: Row, out: TextIO) -> None:
    csv.writer(out, lineterminator="\r\n").writerow(COLUMNS)


def _csv_body(rows: Iterable[Row], out: TextIO, header: Row) -> None:
    """One row per event, its cells made inert; most written at once, the rest by csv.writer."""
    lines = _Lines()
    writer = csv.writer(lines, lineterminator="\r\n")
    incident = inert(header["incident"]["id"])
    exercise = "EXERCISE" if header["exercise"] else ""
    profile = header["profile"]
    sorted_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    encode = make_encoder(None, sorted_json.default, _quote, None, ":", ",", True, False, True)
    row_of, formula, commas = writer.writerow, FORMULA_START, len(COLUMNS) - 1
    for row in rows:
        time, actor, summary, text, seq = (
            row["time"], row["actor"], row["summary"], row["text"], row["seq"]
        )  # fmt: skip
        data = "".join(encode(row["data"], 0))
        cells = [
            incident,
            exercise,
            profile,
            str(seq) if type(seq) is int else seq,
            row["id"],
            time["utc"],
            time["local"],
            row["tz"],
            "'" + actor if actor.startswith(formula) else actor,
            row["kind"],
            "'" + summary if summary.startswith(formula) else summary,
            "'" + text if text.startswith(formula) else text,
            "",  # the data, which has commas and quotes of its own, is looked at on its own
            "yes" if row["redacted"] else "",
            row["prev"],
            row["hash"],
        ]
        if data.startswith(formula):
            data = "'" + data
        try:
            line = ",".join(cells)
        except TypeError:  # a cell that is not text: the csv writer knows what to do
            line = ""
        if line.count(",") == commas and not _QUOTED_BUT_COMMA(line) and "\x00" not in data:
            # No other cell needs quotes, so this is what the csv writer would write.
            cells[12] = '"' + data.replace('"', '""') + '"' if _QUOTED(data) else data
            lines.append(",".join(cells) + "\r\n")
        else:
            cells[12] = data
            row_of(cells)
        if len(lines) >= _BATCH:
            out.write("".join(lines))
            lines.clear()
    out.write("".join(lines))


CSV = Layout(_csv_head, _csv_body, ending(""), whole=False)
"""A header row, then one row per event in sequence order; CRLF line ends, as RFC 4180 says."""
