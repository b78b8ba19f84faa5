"""The incident header: id, title, severity by name and colour, elapsed time, next deadline."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from crisis import clocks
from crisis.status import Status

COLOURS = {
    "green": "black on green",
    "yellow": "black on yellow",
    "orange": "black on dark_orange",
    "red": "bold white on red",
    "magenta": "bold white on magenta",
    "blue": "bold white on blue",
}


def elapsed(since: datetime, now: datetime) -> str:
    """How long since `since`, as 1h 05m or 2d 3h."""
    minutes = max(0, int((now - since).total_seconds()) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    return f"{days}d {hours}h" if days else f"{hours}h {minutes:02d}m"


class IncidentHeader(Static):
    """Always on top of the workspace: what the incident is and what is due next."""

    status: reactive[Status | None] = reactive(None)
    colour: reactive[str] = reactive("")

    def render(self) -> Text:
        current = self.status
        if current is None:
            return Text("")
        incident = current.incident
        first = Text(no_wrap=True, overflow="ellipsis")
        if incident.exercise:
            first.append(" EXERCISE ", "bold black on bright_yellow")
            first.append(" ")
        first.append(f"{incident.id} ", "bold")
        style = COLOURS.get(self.colour, "reverse") if current.level else "reverse"
        first.append(f" {current.level_name} ", style)
        first.append(f" {elapsed(incident.aware_at, current.now)} ")
        first.append(f"#{incident.head[0]}:{incident.head[1][:8]} ", "dim")
        first.append(incident.title)
        second = Text(no_wrap=True, overflow="ellipsis")
        pending = current.pending
        if not incident.is_open:
            second.append("CLOSED", "bold")
        elif pending:
            due = pending[0]
            left = clocks.format_remaining(due.due - current.now)
            alarm = due in current.overdue
            second.append("next: ")
            second.append(f"{due.what}, {left}", "bold white on red" if alarm else "bold")
            if len(current.overdue) > 1:
                second.append(f"  ({len(current.overdue)} overdue)", "bold red")
        if current.awaiting:
            count = len(current.awaiting)
            second.append(
                f"  {count} draft{'s' if count > 1 else ''} awaiting approval", "bold yellow"
            )
        if current.overrides:
            second.append(f"  {len(current.overrides)} EMERGENCY OVERRIDE", "bold white on red")
        return Text("\n", no_wrap=True).join([first, second])
