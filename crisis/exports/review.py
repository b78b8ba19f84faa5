"""The post-incident review as an outline of blocks, which Markdown and HTML each write out."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import Any, Literal, NamedTuple

Json = dict[str, Any]
EXERCISE = "EXERCISE — NOT A REAL INCIDENT"
OVERRIDE = "EMERGENCY OVERRIDE — PUBLISHED WITHOUT APPROVAL"
NONE = "–"
LESSONS = {"went_well": "went well", "went_wrong": "went wrong", "lucky": "was lucky"}


class Span(NamedTuple):
    """Text shown a particular way: `code` as written, `loud`, `link` an address, `time` ours."""

    style: Literal["code", "loud", "link", "time"]
    text: str


Inline = str | Span | list[str | Span]
Cells = Sequence[Inline]
Head = tuple[str, ...]


class Heading(NamedTuple):
    """A section heading; level 1 is the document's title."""

    level: int
    text: str


class Banner(NamedTuple):
    """A loud warning across the page, with an optional detail after it."""

    title: str
    detail: str = ""


class Prose(NamedTuple):
    """Free text as written, in paragraphs and lines."""

    text: str


class Facts(NamedTuple):
    """Labelled values, one to a line."""

    items: tuple[tuple[str, Inline], ...]


class Table(NamedTuple):
    """A table whose rows may be a stream, read once as it is written."""

    head: Head
    rows: Iterable[Cells]


class Pre(NamedTuple):
    """Text kept exactly, line by line, such as a published statement."""

    text: str


Block = Heading | Banner | Prose | Facts | Table | Pre


def _local(moment: Json | None) -> Span:
    return Span("time", moment["local"].replace("T", " ", 1) if moment else NONE)


def _utc(moment: Json | None) -> Span:
    return Span("time", utc_text(moment["utc"]) if moment else NONE)


def utc_text(utc: str) -> str:
    """A UTC time as the review shows it: a space for the T, no fraction of a second."""
    shown = utc.replace("T", " ", 1)
    dot = shown.rfind(".")
    if dot >= 0 and shown[-1:] == "Z" and shown[dot + 1 : -1].isdecimal():
        return shown[:dot] + "Z"
    return re.sub(r"\.\d+Z$", "Z", shown)


def _both(moment: Json | None) -> Span:
    return Span("time", f"{_local(moment).text} (UTC {_utc(moment).text})" if moment else NONE)


def title(header: Json) -> str:
    """The review's title: the incident's id and title."""
    return f"Post-incident review: {header['incident']['id']} {header['incident']['title']}"


def _listed(
    head: Head, items: Collection[Json], cells: Callable[[Json], Cells], empty: str, name: str = ""
) -> Iterator[Block]:
    """A table of a header list (perhaps spooled), each item read as its row is written."""
    if name:
        yield Heading(2, name)
    yield Table(head, map(cells, items)) if len(items) else Prose(empty)


def _metric(m: Json) -> Cells:
    met = NONE if m["met"] is None else ("yes" if m["met"] else "no")
    return (m["what"], m["took"]["text"] or NONE, m["target"]["text"] or NONE, met)


def _change(c: Json) -> Cells:
    how = Span("loud", "override") if c["override"] else "assessed"
    return (_both(c["at"]), c["name"], c["by"], how, "; ".join(c["reasons"]))


def _deadline(d: Json) -> Cells:
    status = Span("loud", d["status"]) if d["status"] in ("missed", "met late") else d["status"]
    return (d["what"], _both(d["due"]), status, _both(d["met_at"]), d["source"] or NONE)


def _attempt(a: Json) -> Cells:
    return (_both(a["at"]), a["person"], a["outcome"], a["by"], a["note"] or "")


def _approval(a: Json) -> Cells:
    return (a["role"], a["person"], _both(a["at"]), a["comment"], Span("code", a["sha256"][:16]))


def _step(s: Json) -> Cells:
    return (s["id"], s["title"], s["owner"], s["status"], _both(s["done"]))


def _follow_up(f: Json) -> Cells:
    return (f["owner"], f["action"])


def _correction(c: Json) -> Cells:
    kind = "redaction" if c["redact"] else "correction"
    return (str(c["seq"]), str(c["ref"]), _both(c["at"]), c["by"], kind, c["text"])


def _facts(header: Json) -> Block:
    incident, head = header["incident"], header["head"]
    severity = incident["severity_name"] or incident["severity"]
    return Facts(
        (
            ("Playbook", f"{incident['playbook_title']} ({incident['playbook']})"),
            ("Severity", f"{severity} ({incident['severity']})" if severity else "not assessed"),
            ("Status", "open" if incident["open"] else "closed"),
            ("Exercise", Span("loud", "yes") if header["exercise"] else "no"),
            ("Declared by", incident["declared_by"]),
            ("Time zone", incident["zone"]),
            ("Profile", header["profile"]),
            ("Generator", header["generator"]),
            ("Generated", _both(header["generated"])),
            ("Journal head", Span("code", f"{head['seq']}:{head['hash']}")),
            ("Verify with", Span("code", head["verify"])),
        )
    )


def _notifications(header: Json) -> Iterator[Block]:
    if not header["notifications"]:
        yield Prose("No role had to be told.")
    for role in header["notifications"]:
        yield Heading(3, f"{role['title']} ({role['role']})")
        reached: Inline = Span("loud", "not reached")
        if role["reached"]:
            reached = [_both(role["reached"]), " by ", role["reached_by"] or NONE]
        since: Inline = [_both(role["required"]), f", target {role['target'] or NONE}"]
        if role["required"] is None:
            since = "not required at any severity"
        elif not role["required_now"]:
            since = [*since, " (no longer required at the last severity)"]
        told = ("Acknowledged by", role["acknowledged_by"] or NONE)
        yield Facts((("Required since", since), ("Reached", reached), told))
        head = ("time", "person", "outcome", "by", "note")
        yield from _listed(head, role["attempts"], _attempt, "No attempts recorded.")


def _statements(header: Json) -> Iterator[Block]:
    if not header["statements"]:
        yield Prose("Nothing was published.")
    rewritten = header["profile"] != "internal"
    for said in header["statements"]:
        digest = Span("code", f"sha256:{said['sha256']}")
        text: Inline = digest
        if rewritten:  # the hash is of what was published, the text below as the profile shows it
            shown = f" (of the text as published; shown below as the {header['profile']} profile"
            text = [digest, shown + " allows)"]
        yield Heading(3, f"{said['draft']}.{said['version']} on {said['channel']}")
        if said["override"]:
            yield Banner(OVERRIDE, said["override"])
        yield Facts(
            (
                ("Template", f"{said['template']} ({said['locale']}), {said['audience']} audience"),
                ("Address", Span("link", said["url"]) if said["url"] else NONE),
                ("Published", [_both(said["at"]), f" on {said['channel']} by ", said["by"]]),
                ("Text", text),
            )
        )
        none = "No approvals recorded for this version."
        head = ("role", "person", "time", "comment", "sha256")
        yield from _listed(head, said["approvals"], _approval, none)
        yield Pre(said["text"])


def _outcomes(header: Json) -> Iterator[Block]:
    head = ("what", "due", "status", "met at", "source")
    yield from _listed(head, header["deadlines"], _deadline, "No deadlines.", "Deadlines")
    yield Prose("Deadlines are aids for planning, not legal advice.")
    head = ("step", "title", "owner", "status", "done at")
    yield from _listed(head, header["steps"], _step, "No steps.", "Runbook steps")
    lessons = header["lessons"]
    for key, title in LESSONS.items():
        yield Heading(2, f"What {title}")
        yield Prose(lessons[key] or "Nothing recorded.")
    follow, none = header["follow_ups"], "No follow-ups."
    yield from _listed(("owner", "action"), follow, _follow_up, none, "Follow-ups")
    columns = ("seq", "of event", "time", "by", "kind", "text")
    yield from _listed(
        columns, header["corrections"], _correction, "No corrections.", "Corrections"
    )


TIMELINE = ("seq", "local time", "UTC", "actor", "kind", "summary")
"""The columns of the review's timeline, whose rows are written by `timeline` after `outline`."""


def stamps(row: Json) -> tuple[str, str, str] | None:
    """A timeline row's seq, local time and UTC as shown, if they are of the usual types."""
    seq, time = row["seq"], row["time"]
    if type(seq) is not int or type(time) is not dict:
        return None
    local, utc = time.get("local"), time.get("utc")
    if type(local) is not str or type(utc) is not str:
        return None
    return str(seq), local.replace("T", " ", 1), utc_text(utc)


def timeline(rows: Iterable[Json]) -> Iterator[Cells]:
    """The timeline's rows, one per event row, read as they are written."""
    for row in rows:
        time = row["time"]
        yield (str(row["seq"]), _local(time), _utc(time), row["actor"], row["kind"], row["summary"])


def outline(header: Json) -> Iterator[Block]:
    """Every section of the review in order, up to the timeline's heading."""
    incident, times = header["incident"], header["times"]
    yield Heading(1, title(header))
    if header["exercise"]:
        yield Banner(EXERCISE)
    yield _facts(header)
    yield Heading(2, "Summary")
    yield Prose(incident["summary"] or "No summary recorded.")
    yield Heading(2, "Key times")
    moments = ("aware", "declared", "first_severity", "closed")
    key_times = [(m.replace("_", " "), _local(times[m]), _utc(times[m])) for m in moments]
    yield Table(("moment", "local time", "UTC"), key_times)
    columns = ("what", "took", "target", "met")
    yield from _listed(columns, header["metrics"], _metric, "No metrics.", "Metrics")
    head = ("time", "level", "by", "how", "reasons")
    never = "The severity was never set."
    yield from _listed(head, header["severity_history"], _change, never, "Severity history")
    yield Heading(2, "Notifications")
    yield from _notifications(header)
    yield Heading(2, "Published statements")
    yield from _statements(header)
    yield from _outcomes(header)
    yield Heading(2, "Timeline")


def closing(header: Json) -> Iterator[Block]:
    """What follows the timeline: the exercise banner again, at the foot of the review."""
    if header["exercise"]:
        yield Banner(EXERCISE)
