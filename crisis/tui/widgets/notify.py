"""The Notify step: the roles the severity requires, who holds them, and each attempt's outcome."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import DataTable

from crisis import clocks
from crisis.model import Contacts
from crisis.status import Status
from crisis.tui.messages import AttemptRecorded

OUTCOME_KEYS = {
    "a": "acknowledged",
    "r": "reached",
    "x": "no-answer",
    "m": "left-message",
}


class NotifyTable(DataTable[Text | str]):
    """One row per role holder, primary first; a key records how the attempt went."""

    BINDINGS = [
        Binding("a", "record('acknowledged')", "Acknowledged", id="notify.acknowledged"),
        Binding("r", "record('reached')", "Reached", id="notify.reached"),
        Binding("x", "record('no-answer')", "No answer", id="notify.no-answer"),
        Binding("m", "record('left-message')", "Left message", id="notify.left-message"),
    ]

    status: reactive[Status | None] = reactive(None)

    def __init__(self, roster: Contacts, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.roster = roster

    def on_mount(self) -> None:
        self.add_columns("Role", "Person", "Phone", "Other", "State", "Ack due")

    def watch_status(self, current: Status | None) -> None:
        row = self.cursor_row
        self.clear()
        if current is None:
            return
        if current.level is None:
            self.add_row("Assess first: the severity decides who is told", "", "", "", "", "")
            return
        for role in current.roles:
            holders = (self.roster.roles[role.role].primary, *self.roster.roles[role.role].backups)
            for rank, person_id in enumerate(holders):
                person = self.roster.people[person_id]
                outcomes = [
                    a.outcome for a in current.incident.tried(role.role) if a.person == person_id
                ]
                state = Text(outcomes[-1] if outcomes else "")
                if role.acknowledged_by == person_id:
                    state = Text("ACKNOWLEDGED", "bold green")
                elif role.next_person == person_id and not role.acknowledged_by:
                    state = Text(f"→ NEXT {state}".strip(), "bold yellow")
                due = ""
                if rank == 0 and role.due and not role.acknowledged_by:
                    due = clocks.format_remaining(role.due - current.now)
                label = role.title if rank == 0 else ""
                other = " ".join(f"{k}:{v}" for k, v in person.handles.items())
                self.add_row(
                    label,
                    person.name,
                    person.phones[0],
                    other,
                    state,
                    due,
                    key=f"{role.role}/{person_id}",
                )
        if self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1))

    def action_record(self, outcome: str) -> None:
        if not self.row_count:
            return
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value or ""
        role, _, person = key.partition("/")
        if not person:
            return
        self.post_message(AttemptRecorded(role, person, outcome))
