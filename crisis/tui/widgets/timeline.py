"""The Timeline step: every event, newest at the bottom, filterable by kind; cheap at 10,000+."""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Log, Select

from crisis.drafts import KINDS as DRAFT_KINDS
from crisis.drafts import describe
from crisis.journal import Event

ALL = "all"


def line(event: Event, zone: ZoneInfo) -> str:
    """One event as a timeline line: local time, actor, kind and text."""
    text = event.text
    if event.kind in DRAFT_KINDS:
        text = describe(event.kind, text, event.data)
    text = text.replace("\n", " ")
    when = event.ts.astimezone(zone)
    return f"{event.seq:>4} {when:%d %b %H:%M:%S} {event.actor[:10]:<10} {event.kind:<9} {text}"


class Timeline(Vertical):
    """A filter by kind above a plain log that only ever appends."""

    def __init__(self, zone: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.zone = ZoneInfo(zone)
        self.events: list[Event] = []
        self.kinds: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Select([("all kinds", ALL)], value=ALL, allow_blank=False, id="kind")
        yield Log(id="log", auto_scroll=True)

    @property
    def kind(self) -> str:
        return str(self.query_one("#kind", Select).value)

    def add(self, events: Iterable[Event]) -> None:
        """Append events (oldest first) that arrived since the last call."""
        new = list(events)
        self.events.extend(new)
        kind = self.kind
        shown = [line(e, self.zone) for e in new if kind in (ALL, e.kind)]
        self.query_one(Log).write_lines(shown)
        if not self.kinds.issuperset(e.kind for e in new):
            self.kinds.update(e.kind for e in new)
            select = self.query_one("#kind", Select)
            with select.prevent(Select.Changed):
                current = select.value
                select.set_options([("all kinds", ALL), *((k, k) for k in sorted(self.kinds))])
                select.value = current

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        log = self.query_one(Log)
        log.clear()
        kind = self.kind
        log.write_lines(line(e, self.zone) for e in self.events if kind in (ALL, e.kind))
