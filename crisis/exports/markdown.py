"""The post-incident review written as Markdown, with every piece of user text escaped."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from crisis.exports.review import (
    TIMELINE,
    Banner,
    Block,
    Cells,
    Facts,
    Heading,
    Inline,
    Json,
    Prose,
    Span,
    Table,
    closing,
    outline,
    stamps,
    timeline,
)
from crisis.exports.rows import Layout, batched

_ESCAPES = {ord(c): "\\" + c for c in "\\`*_{}[]()#+-.!|~:@=$"}
_ESCAPES |= {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", 0: "\ufffd"}
_FLAT = _ESCAPES | {ord("\n"): " ", ord("\r"): " ", ord("\t"): " "}
_STAMP = re.compile(r"[0-9 :+\-.()TUCZ–]*")


def escape(text: str) -> str:
    """Text Markdown shows as written, on one line: no markup, HTML, link or line break."""
    return text.translate(_FLAT)


def _longest_tick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


def code(text: str) -> str:
    """A code span on one line that no backtick in the text can close early."""
    text = " ".join(text.splitlines())
    ticks = "`" * (_longest_tick_run(text) + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def fence(text: str) -> str:
    """A fenced block longer than any backtick run in the text, so no line can close it."""
    ticks = "`" * max(3, _longest_tick_run(text) + 1)
    return f"{ticks}text\n{text.rstrip(chr(10))}\n{ticks}\n"


def prose(text: str) -> str:
    """Free text as paragraphs, its lines kept apart by hard breaks, every line escaped."""
    paragraphs = []
    for chunk in re.split(r"(?:\r\n?|\n)\s*(?:\r\n?|\n)", text.strip()):
        lines = [escape(line.strip()) for line in chunk.splitlines() if line.strip()]
        paragraphs.append("\\\n".join(lines))
    return "\n\n".join(paragraphs) + "\n"


def _inline(value: Inline, cell: bool = False) -> str:
    if isinstance(value, str):
        return value.translate(_FLAT)
    if isinstance(value, Span) and value.style == "time":
        return value.text if _STAMP.fullmatch(value.text) else escape(value.text)
    out = []
    for span in value if isinstance(value, list) else [value]:
        if isinstance(span, str):
            out.append(escape(span))
        elif span.style in ("code", "link"):
            out.append(code(span.text).replace("|", "\\|") if cell else code(span.text))
        elif span.style == "loud":
            out.append(f"**{escape(span.text)}**")
        else:
            out.append(span.text if _STAMP.fullmatch(span.text) else escape(span.text))
    return "".join(out)


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |\n"


def _block(block: Block, out: TextIO) -> None:
    if isinstance(block, Heading):
        out.write(f"{'#' * block.level} {escape(block.text)}\n\n")
    elif isinstance(block, Banner):
        detail = f":** {escape(block.detail)}" if block.detail else "**"
        out.write(f"> **{escape(block.title)}{detail}\n\n")
    elif isinstance(block, Prose):
        out.write(prose(block.text) + "\n")
    elif isinstance(block, Facts):
        out.writelines(f"- **{escape(k)}:** {_inline(v)}\n" for k, v in block.items)
        out.write("\n")
    elif isinstance(block, Table):
        _table_head(block.head, out)
        _table_rows(block.rows, out)
        out.write("\n")
    else:
        out.write(fence(block.text) + "\n")


def _table_head(head: Iterable[str], out: TextIO) -> None:
    out.write(_row(escape(h) for h in head))
    out.write(_row("---" for _ in head))


def _table_rows(rows: Iterable[Cells], out: TextIO) -> None:
    batched((_row(_inline(cell, cell=True) for cell in cells) for cells in rows), out)


def _head(header: Json, out: TextIO) -> None:
    for block in outline(header):
        _block(block, out)
    _table_head(TIMELINE, out)


def _body(rows: Iterable[Json], out: TextIO, header: Json) -> None:
    batched(map(_timeline_row, rows), out)


def _timeline_row(row: Json) -> str:
    """A timeline row; one of the usual shape written at once, as `_table_rows` would write it."""
    shown = stamps(row)
    if shown is None or not _STAMP.fullmatch("".join(shown)):
        return _row(_inline(cell, cell=True) for cell in next(timeline((row,))))
    seq, local, utc = shown
    said = f"{escape(row['actor'])} | {escape(row['kind'])} | {escape(row['summary'])}"
    return f"| {seq} | {local} | {utc} | {said} |\n"


def _tail(header: Json, out: TextIO) -> None:
    out.write("\n")
    for block in closing(header):
        _block(block, out)


MARKDOWN = Layout(_head, _body, _tail, said=False)
"""The review as Markdown, every responder's text escaped; the timeline is streamed."""
