"""The Markdown and HTML reviews: every section, loud warnings, hostile text kept inert, profiles."""

from __future__ import annotations

import dataclasses
import html
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from crisis.approvals import Approvals
from crisis.catalog import load_catalog
from crisis.engine import Desk
from crisis.exports import Export, prepare, write
from crisis.exports.check import verify_export
from crisis.exports.markdown import code, escape, fence
from crisis.exports.page import href
from crisis.journal import Journal
from crisis.newsroom import Newsroom

from .conftest import REPO, TODAY
from .export_fixture import Clock

CATALOG = load_catalog(REPO, TODAY)
# 00:30 CET on 29 March 2026; at 02:00 CET the clocks go forward to 03:00 CEST.
START = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)
RTL = "مرحبا بالعالم"
EMOJI = "🚨👩‍💻"
HOSTILE = (
    "<script>alert(1)</script> [click](javascript:alert(1)) <img src=x onerror=alert(1)> "
    '=HYPERLINK("http://evil") @SUM(1+1) ``` fence ```` | pipe | "double" \'single\'\n'
    f"# second line {RTL} {EMOJI}\n- third & last"
)
OVERRIDE_REASON = "approvers asleep <b>now</b>"
SECTIONS = (
    "Summary",
    "Key times",
    "Metrics",
    "Severity history",
    "Notifications",
    "Published statements",
    "Deadlines",
    "Runbook steps",
    "What went well",
    "What went wrong",
    "What was lucky",
    "Follow-ups",
    "Corrections",
    "Timeline",
)
FORMATS = ("md", "html")


@dataclasses.dataclass
class Scene:
    """A recorded incident and what is needed to export it."""

    desk: Desk
    incident: str

    def export(self, profile: str = "internal") -> Export:
        desk = self.desk
        state = desk.incident(self.incident)
        book = desk.playbook_of(state)
        return prepare(desk.journal, state, book, desk.scale, desk.roster, desk.clock(), profile)

    def render(self, fmt: str, profile: str = "internal") -> str:
        out = io.StringIO()
        write(self.export(profile), fmt, out)
        return out.getvalue()


def record(journal: Journal, *, exercise: bool = False, hostile: bool = True) -> Scene:
    """A whole account-hijack incident: assessed, notified, published twice, corrected, closed."""
    clock = Clock(START)
    desk = Desk(CATALOG, journal, "ingrid", "Europe/Oslo", clock)
    odd = HOSTILE if hostile else "nothing odd"
    facts = {
        "platform": "Instagram",
        "handle": odd if hostile else "@havbris",
        "updates": "https://havbris.example/status",
    }
    title = f"Instagram takeover {odd}"
    incident = desk.declare(
        "account-hijack", title, START - timedelta(minutes=20), facts, exercise=exercise
    ).id
    approvals, newsroom = Approvals(desk), Newsroom(desk)
    actions = [
        lambda: desk.override(incident, "high", f"Scam messages {odd}"),
        lambda: desk.notify(incident, "social-media", "ingrid", "acknowledged", ""),
        lambda: desk.notify(incident, "security", "aleksander", "no-answer", odd),
        lambda: desk.notify(incident, "legal", "henrik", "acknowledged", ""),
        lambda: desk.note(incident, odd),
        lambda: desk.note(incident, "meant for another incident"),
        lambda: desk.step(incident, "capture-evidence"),
        lambda: newsroom.draft(incident, "holding-statement", "en"),
        lambda: approvals.approve(incident, "D1", "kari", f"ok {odd}"),
        lambda: approvals.approve(incident, "D1", "henrik", "legal ok"),
        lambda: approvals.publish(incident, "D1", "web", "https://havbris.example/status"),
        lambda: newsroom.draft(incident, "holding-statement", "en"),
        lambda: newsroom.edit(incident, "D2", 1, f"Update: {odd}\nMore at https://havbris.example"),
        lambda: approvals.publish(incident, "D2", "web", "", OVERRIDE_REASON),
        lambda: desk.note(
            incident, "Kari Solberg called +4792345678 from kari.solberg@havbris.example"
        ),
        lambda: desk.correct(incident, 7, "typed in the wrong incident", redact=True),
    ]
    for action in actions:
        clock.advance(9)
        action()
    clock.advance(30)
    lessons = {"went_well": f"Fast {odd}", "went_wrong": odd, "lucky": "Nothing was sold"}
    desk.close(incident, f"Recovered. {odd}", lessons, [("security", f"Keys {odd}")])
    clock.advance(5)
    return Scene(desk, incident)


def fresh(journal: Journal, clock: Clock | None = None) -> Scene:
    """An incident just declared: no severity, nobody told, nothing published, still open."""
    desk = Desk(CATALOG, journal, "ingrid", "Europe/Oslo", clock or Clock(START))
    return Scene(desk, desk.declare("account-hijack", "Just declared", None, {}).id)


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    journal = Journal.open(tmp_path / "journal.db")
    yield journal
    journal.close()


@pytest.fixture
def scene(journal: Journal) -> Scene:
    return record(journal)


def unmark(markdown: str) -> str:
    """Markdown source with backslash escapes and entities undone, to search for plain text."""
    return html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown))


def outside_fences(markdown: str) -> str:
    """Markdown with every fenced block left out, checking each fence closes only where it ends."""
    kept, fence_bar = [], ""
    for line in markdown.split("\n"):
        opening = re.match(r"(`{3,})[^`]*$", line)
        if not fence_bar and opening:
            fence_bar = opening.group(1)
        elif fence_bar and re.fullmatch(r"`{3,}\s*", line) and len(line.strip()) >= len(fence_bar):
            assert line.strip() == fence_bar, f"{line!r} closes a {fence_bar} fence early"
            fence_bar = ""
        elif not fence_bar:
            kept.append(line)
    assert not fence_bar, "a fence is never closed"
    return "\n".join(kept)


class Page(HTMLParser):
    """Every element, attribute and piece of text in an HTML page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def plain(text: str, fmt: str) -> str:
    """What a reader sees, near enough to search: escapes and entities undone."""
    return unmark(text) if fmt == "md" else html.unescape(text)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("stage", ["closed", "fresh"])
def test_every_section_appears_once_and_in_order(journal: Journal, fmt: str, stage: str) -> None:
    scene = record(journal) if stage == "closed" else fresh(journal)
    text = plain(scene.render(fmt), fmt)
    mark = "## {}\n" if fmt == "md" else '<h2 dir="auto">{}</h2>'
    places = [text.find(mark.format(name)) for name in SECTIONS]
    assert all(p >= 0 for p in places), dict(zip(SECTIONS, places, strict=True))
    assert places == sorted(places)
    assert all(text.count(mark.format(name)) == 1 for name in SECTIONS)
    assert 0 < text.find(f"Post-incident review: {scene.incident} ") < places[0]
    status = "open" if stage == "fresh" else "closed"
    assert (f"Status:** {status}" if fmt == "md" else f'<dd dir="auto">{status}</dd>') in text


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("exercise", [True, False])
def test_exercise_banner_at_top_and_bottom_only_for_an_exercise(
    journal: Journal, fmt: str, exercise: bool
) -> None:
    text = record(journal, exercise=exercise, hostile=False).render(fmt)
    banner = {
        "md": "> **EXERCISE — NOT A REAL INCIDENT**\n",
        "html": '<p class="banner" role="alert"><strong>EXERCISE — NOT A REAL INCIDENT</strong>',
    }[fmt]
    if not exercise:
        assert "EXERCISE" not in text
        return
    assert text.count(banner) == 2
    assert text.index(banner) < text.index("Summary")
    assert text.rindex(banner) > text.rindex("Timeline")
    if fmt == "html":
        assert '<title dir="auto">EXERCISE — Post-incident review' in text


def test_html_keeps_hostile_text_inert_and_shows_it_verbatim(scene: Scene) -> None:
    text = scene.render("html")
    page = Page(text)
    names = {tag for tag, _ in page.tags}
    assert not names & {"script", "img", "iframe", "object", "embed", "link", "base", "form"}
    assert names >= {"html", "head", "meta", "title", "style", "body", "table", "pre"}
    for tag, attrs in page.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        assert "src" not in attrs and "style" not in attrs, (tag, attrs)
    hrefs = [attrs["href"] for attrs in page.named("a")]
    assert hrefs == ["https://havbris.example/status"]
    assert "<script" not in text and "<img" not in text and "javascript:" not in hrefs[0]
    seen = "".join(page.text)
    for piece in (*HOSTILE.split("\n"), RTL, EMOJI, OVERRIDE_REASON):
        assert piece in seen
    assert [a["content"] for a in page.named("meta") if a.get("http-equiv")] == [
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
    ]


@pytest.mark.parametrize("profile", ["internal", "public"])
def test_markdown_has_no_markup_html_or_link_from_responders(scene: Scene, profile: str) -> None:
    text = scene.render("md", profile)
    prose = outside_fences(text)
    assert not re.search(r"<[A-Za-z/!?]", prose), "raw HTML outside a fence"
    assert not re.search(r"(?<!\\)\]\(", prose), "a live inline link"
    assert "javascript:" not in prose and "http://evil" not in prose
    assert r"&lt;script&gt;alert\(1\)&lt;/script&gt;" in prose
    assert RTL in prose and EMOJI in prose
    columns = 0
    for line in prose.splitlines():
        if line.startswith("| "):
            cells = len(re.findall(r"(?<!\\)(?:\\\\)*\|", line)) - 1
            columns = columns or cells
            assert cells == columns, line
        else:
            columns = 0
        if line.startswith("- "):
            assert re.match(r"- \*\*[A-Z][a-z ]+:\*\* ", line), line
        assert not re.match(r"(#{4,}|[+*] |\d+[.)] |=+$|<)", line), line
    assert text.startswith("# Post") and text.split("\n")[1] == ""  # the title is one line
    assert unmark(text).count(HOSTILE) >= 1  # the edited statement, verbatim in its fence
    longest = max(len(run) for run in re.findall("`+", HOSTILE))
    assert "`" * (longest + 1) + "text\n" in text


def test_markdown_renders_to_html_without_responder_markup(scene: Scene) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("gfm-like").render(scene.render("md"))
    page = Page(rendered)
    assert not {tag for tag, _ in page.tags} & {"script", "img", "a", "h4", "h5", "h6"}
    seen = "".join(page.text)
    for piece in (*HOSTILE.split("\n"), RTL, EMOJI):
        assert piece in seen


def test_html_loads_nothing_from_outside_and_prints_on_a4(journal: Journal) -> None:
    text = record(journal, hostile=False).render("html")
    assert text.startswith("<!doctype html>\n")
    assert '<meta charset="utf-8">' in text and "<title" in text
    for forbidden in ("src=", "<link", "@import", "url(", "<script", "<iframe"):
        assert forbidden not in text
    assert "@page" in text and "size: A4" in text and "@media print" in text
    assert "default-src 'none'; style-src 'unsafe-inline'" in text
    hrefs = [a["href"] for a in Page(text).named("a")]
    assert hrefs == ["https://havbris.example/status"]


@pytest.mark.parametrize(
    ("fmt", "loud"),
    [
        (
            "md",
            r"> **EMERGENCY OVERRIDE — PUBLISHED WITHOUT APPROVAL:** approvers asleep &lt;b&gt;",
        ),
        (
            "html",
            '<p class="banner override" role="alert"><strong>EMERGENCY OVERRIDE — PUBLISHED '
            'WITHOUT APPROVAL:</strong> <span dir="auto">approvers asleep &lt;b&gt;now&lt;/b&gt;',
        ),
    ],
)
def test_an_emergency_override_is_marked_loudly_once(scene: Scene, fmt: str, loud: str) -> None:
    text = scene.render(fmt)
    assert text.count(loud) == 1
    statements = text[text.index("Published statements") : text.index("Deadlines")]
    assert statements.index("D1") < statements.index(loud[:20]) > statements.index("D2")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("profile", ["internal", "regulator", "public"])
def test_verify_command_and_head_appear(scene: Scene, fmt: str, profile: str) -> None:
    export = scene.export(profile)
    text = scene.render(fmt, profile)
    head = export.header["head"]
    verify = head["verify"]
    shown = f"`{verify}`" if fmt == "md" else f"<code>{html.escape(verify)}</code>"
    assert shown in text
    assert f"{head['seq']}:{head['hash']}" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_public_profile_names_nobody_from_the_roster(scene: Scene, fmt: str) -> None:
    people = scene.desk.roster.people.values()
    secrets = [p.name for p in people] + [p.email for p in people]
    secrets += [number for p in people for number in p.phones]
    secrets += [number.lstrip("+") for p in people for number in p.phones]
    inside = plain(scene.render(fmt, "internal"), fmt).casefold()
    assert "kari solberg" in inside and "+4792345678" in inside  # the check can fail
    public = plain(scene.render(fmt, "public"), fmt).casefold()
    assert [s for s in secrets if s.casefold() in public] == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_times_show_the_offset_and_utc_across_summer_time(scene: Scene, fmt: str) -> None:
    text = scene.render(fmt)
    assert "2026-03-29 00:10:00+01:00" in text  # aware, in CET
    assert "2026-03-28 23:10:00Z" in text
    assert "+02:00" in text  # later events, in CEST


@pytest.mark.parametrize(("fmt", "cell"), [("md", "| {} |"), ("html", '<td dir="auto">{}</td>')])
def test_timeline_is_streamed_from_one_pass(scene: Scene, fmt: str, cell: str) -> None:
    export = scene.export()
    out = io.StringIO()
    passes: list[int] = []
    template = next(row for row in export.rows() if row["kind"] == "note")
    held = 300  # rows are written a batch of 256 at a time, never all at the end

    def watched() -> Iterator[dict[str, Any]]:
        passes.append(1)
        for seq in range(1, 2001):
            if seq > held:
                assert cell.format(seq - held) in out.getvalue(), "rows held back"
            yield {**template, "seq": seq}

    write(dataclasses.replace(export, rows=watched), fmt, out)
    assert passes == [1]
    assert cell.format(2000) in out.getvalue()


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://havbris.example/status", True),
        ("HTTP://havbris.example", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//evil.example/x", False),
        ("https:/evil.example", False),
        (" https://evil.example", False),
        ('https://evil.example/" onmouseover="alert(1)', False),
        ("https://evil.example/\nx", False),
        ("ftp://evil.example", False),
    ],
)
def test_only_plain_web_addresses_become_links(url: str, allowed: bool) -> None:
    assert (href(url) is not None) is allowed


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("<b>", "&lt;b&gt;"),
        ("a & b", "a &amp; b"),
        ("[x](javascript:y)", r"\[x\]\(javascript\:y\)"),
        ("# not a heading", r"\# not a heading"),
        ("- item\n1. item", r"\- item 1\. item"),
        ("| cell |", r"\| cell \|"),
        ("*a* _b_ ~c~ `d`", r"\*a\* \_b\_ \~c\~ \`d\`"),
        ("back\\slash", r"back\\slash"),
        (f"{RTL} {EMOJI}", f"{RTL} {EMOJI}"),
    ],
)
def test_markdown_escape(text: str, shown: str) -> None:
    assert escape(text) == shown


@pytest.mark.parametrize(
    ("text", "span"),
    [("abc", "`abc`"), ("a`b", "``a`b``"), ("`a", "`` `a ``"), ("a\nb", "`a b`")],
)
def test_markdown_code_span(text: str, span: str) -> None:
    assert code(text) == span


@pytest.mark.parametrize(
    ("text", "bar"), [("plain", "```"), ("a ``` b", "````"), ("x\n`````\ny", "``````")]
)
def test_markdown_fence_is_longer_than_any_backtick_run(text: str, bar: str) -> None:
    assert fence(text) == f"{bar}text\n{text}\n{bar}\n"


@pytest.mark.parametrize("fmt", [*FORMATS, "json"])
def test_a_redacted_event_leaves_no_trace_in_any_section(journal: Journal, fmt: str) -> None:
    clock = Clock(START)
    scene = fresh(journal, clock)
    desk, incident = scene.desk, scene.incident
    for action in (
        lambda: desk.override(incident, "high", "scam messages"),
        lambda: desk.notify(incident, "security", "aleksander", "no-answer", "home 98 76 54 32"),
        lambda: desk.correct(incident, 3, "a private number", redact=True),
    ):
        clock.advance(5)
        action()
    text = plain(scene.render(fmt), fmt)
    assert "redacted by event 4" in text or fmt != "md"
    assert "98 76 54 32" not in text


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("written", ["923 45 678", "+47-923-45-678", "(+47) 923 45 678"])
def test_public_profile_removes_a_roster_phone_however_it_is_written(
    journal: Journal, fmt: str, written: str
) -> None:
    scene = fresh(journal)
    assert "+4792345678" in scene.desk.roster.people["kari"].phones
    scene.desk.note(scene.incident, f"Kari is on {written} tonight")
    assert written not in plain(scene.render(fmt, "public"), fmt)


def test_roles_no_longer_or_never_required_keep_their_attempts(
    journal: Journal, tmp_path: Path
) -> None:
    scene = fresh(journal)
    desk, incident = scene.desk, scene.incident
    desk.override(incident, "high", "scam messages")
    desk.notify(incident, "legal", "henrik", "reached", "")
    desk.notify(incident, "monitoring", "emma", "no-answer", "")  # never required here
    desk.override(incident, "low", "contained")
    document = json.loads(scene.render("json"))
    shown = {n["role"]: n for n in document["notifications"]}
    assert shown["legal"]["required_now"] is False and shown["legal"]["required"] is not None
    assert [a["person"] for a in shown["legal"]["attempts"]] == ["henrik"]
    assert shown["monitoring"]["required"] is None
    assert [a["person"] for a in shown["monitoring"]["attempts"]] == ["emma"]
    assert "legal reached" in [m["what"] for m in document["metrics"]]
    review = scene.render("md")
    assert "no longer required at the last severity" in review
    assert "not required at any severity" in review
    assert "legal: henrik, reached" in unmark(review)
    exported = tmp_path / "export.json"
    exported.write_text(scene.render("json"), encoding="utf-8")
    assert verify_export(exported).ok
