"""The post-incident review as one self-contained HTML page that prints cleanly on A4."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import TextIO
from urllib.parse import urlsplit

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
    title,
)
from crisis.exports.rows import Layout, batched

POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
WEB = re.compile(r"https?://[^\s\x00-\x1f\x7f\"'<>\\`]+", re.IGNORECASE)
STYLE = """
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic",
  sans-serif; color: #111; background: #fff; max-width: 64rem; margin: 2rem auto;
  padding: 0 1.25rem; }
h1 { font-size: 1.6rem; line-height: 1.25; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #222; margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid #999; padding: .25rem .45rem; text-align: start;
  vertical-align: top; overflow-wrap: anywhere; }
th { background: #e8e8e8; }
tbody tr:nth-child(even) { background: #f6f6f6; }
code, pre { font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace;
  font-size: .9em; }
code { overflow-wrap: anywhere; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; border: 1px solid #999;
  background: #fafafa; padding: .75rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
.prose { white-space: pre-wrap; }
.loud { color: #b00020; }
.banner { border: 4px solid #b00020; background: #b00020; color: #fff; font-size: 1.3rem;
  text-align: center; padding: .6rem 1rem; margin: 1rem 0; }
.banner.override { font-size: 1.05rem; text-align: start; }
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  html, body { background: #fff; color: #000; }
  body { font-size: 9.5pt; max-width: none; margin: 0; padding: 0; }
  a, .loud { color: #000; }
  th { background: #fff; border-bottom: 1.5pt solid #000; }
  th, td { border-color: #000; }
  tbody tr:nth-child(even), pre { background: #fff; }
  table { font-size: 8.5pt; }
  thead { display: table-header-group; }
  tr, dl.facts, .banner { break-inside: avoid; page-break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  .banner { background: #fff; color: #000; border: 3pt solid #000; }
}
"""


def esc(text: str) -> str:
    """Text as HTML shows it, quotes included, so it is never markup or an attribute's end."""
    return html.escape(text, quote=True)


def href(url: str) -> str | None:
    """The address as a link target if it is a plain http or https address, else None."""
    parts = urlsplit(url) if WEB.fullmatch(url) else None
    return url if parts and parts.scheme.lower() in ("http", "https") and parts.netloc else None


def inline(value: Inline) -> str:
    """Spans as HTML: every piece of text escaped, a link only to an http or https address."""
    if isinstance(value, str):
        return esc(value)
    if isinstance(value, Span) and value.style == "time":
        return esc(value.text)
    out = []
    for span in value if isinstance(value, list) else [value]:
        if isinstance(span, str) or span.style == "time":
            out.append(esc(span if isinstance(span, str) else span.text))
        elif span.style == "loud":
            out.append(f'<strong class="loud">{esc(span.text)}</strong>')
        elif span.style == "link" and (target := href(span.text)) is not None:
            out.append(f'<a href="{esc(target)}" rel="noopener noreferrer">{esc(span.text)}</a>')
        else:
            out.append(f"<code>{esc(span.text)}</code>")
    return "".join(out)


def _block(block: Block, out: TextIO) -> None:
    if isinstance(block, Heading):
        out.write(f'<h{block.level} dir="auto">{esc(block.text)}</h{block.level}>\n')
    elif isinstance(block, Banner):
        said, detail, kind = esc(block.title), "", "banner"
        if block.detail:
            said, kind = f"{said}:", "banner override"
            detail = f' <span dir="auto">{esc(block.detail)}</span>'
        out.write(f'<p class="{kind}" role="alert"><strong>{said}</strong>{detail}</p>\n')
    elif isinstance(block, Prose):
        out.write(f'<p class="prose" dir="auto">{esc(block.text.strip())}</p>\n')
    elif isinstance(block, Facts):
        out.write('<dl class="facts">\n')
        for label, value in block.items:
            out.write(f'<dt>{esc(label)}</dt><dd dir="auto">{inline(value)}</dd>\n')
        out.write("</dl>\n")
    elif isinstance(block, Table):
        _table_head(block.head, out)
        _table_rows(block.rows, out)
        out.write(_TABLE_END)
    else:
        out.write(f'<pre dir="auto">\n{esc(block.text)}</pre>\n')  # the first newline is dropped


_TABLE_END = "</tbody>\n</table>\n"


def _table_head(head: Iterable[str], out: TextIO) -> None:
    heads = "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
    out.write(f"<table>\n<thead><tr>{heads}</tr></thead>\n<tbody>\n")


def _table_rows(rows: Iterable[Cells], out: TextIO) -> None:
    batched((_cells(cells) for cells in rows), out)


def _cells(cells: Cells) -> str:
    return "<tr>" + "".join(f'<td dir="auto">{inline(c)}</td>' for c in cells) + "</tr>\n"


def _head(header: Json, out: TextIO) -> None:
    """The page up to the timeline's rows: no script, no outside resource."""
    name = " ".join(title(header).split())
    if header["exercise"]:
        name = f"EXERCISE — {name}"
    out.write('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')
    out.write(f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">\n')
    out.write('<meta name="referrer" content="no-referrer">\n')
    out.write('<meta name="viewport" content="width=device-width, initial-scale=1">\n')
    out.write(f'<title dir="auto">{esc(name)}</title>\n<style>{STYLE}</style>\n</head>\n')
    exercise = ' class="exercise"' if header["exercise"] else ""
    out.write(f"<body{exercise}>\n<main>\n")
    for block in outline(header):
        _block(block, out)
    _table_head(TIMELINE, out)


def _body(rows: Iterable[Json], out: TextIO, header: Json) -> None:
    batched(map(_timeline_row, rows), out)


def _timeline_row(row: Json) -> str:
    """A timeline row; one of the usual shape written at once, as `_table_rows` would write it."""
    shown = stamps(row)
    if shown is None:
        return _cells(next(timeline((row,))))
    seq, local, utc = map(esc, shown)
    actor, kind, said = esc(row["actor"]), esc(row["kind"]), esc(row["summary"])
    return (
        f'<tr><td dir="auto">{seq}</td><td dir="auto">{local}</td><td dir="auto">{utc}'
        f'</td><td dir="auto">{actor}</td><td dir="auto">{kind}</td><td dir="auto">'
        f"{said}</td></tr>\n"
    )


def _tail(header: Json, out: TextIO) -> None:
    out.write(_TABLE_END)
    for block in closing(header):
        _block(block, out)
    out.write("</main>\n</body>\n</html>\n")


PAGE = Layout(_head, _body, _tail, said=False)
"""The review as an HTML5 page that prints on A4; the timeline is streamed."""
