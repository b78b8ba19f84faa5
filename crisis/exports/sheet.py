"""The CSV export: one RFC 4180 row per event, with cells a spreadsheet would run made inert."""

from __future__ import annotations

import csv
import json
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from crisis.exports import Export

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


def inert(cell: str) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe.

    This includes phone numbers such as +4722334455: the apostrophe keeps them text (Excel and
    LibreOffice hide it), where they would otherwise be read as a formula or a number.
    """
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def write_csv(export: Export, out: TextIO) -> None:
    """A header row, then one row per event in sequence order; CRLF line ends, as RFC 4180 says."""
    header = export.header
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    incident = inert(header["incident"]["id"])
    exercise = "EXERCISE" if header["exercise"] else ""
    profile = header["profile"]
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode
    for row in export.rows():
        time = row["time"]
        writer.writerow(
            (
                incident,
                exercise,
                profile,
                row["seq"],
                row["id"],
                time["utc"],
                time["local"],
                row["tz"],
                inert(row["actor"]),
                row["kind"],
                inert(row["summary"]),
                inert(row["text"]),
                inert(dumps(row["data"])),
                "yes" if row["redacted"] else "",
                row["prev"],
                row["hash"],
            )
        )
