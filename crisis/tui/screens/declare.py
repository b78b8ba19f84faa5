"""Declaring an incident: pick a playbook by typing part of its name, give a title and a time."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from crisis.model import Playbook
from crisis.tui.messages import Declared


class Declare(ModalScreen[Declared | None]):
    """Type to filter the playbooks, Enter to choose, then a title and optionally 'aware at'."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("ctrl+s", "declare", "Declare", id="dialog.declare", priority=True),
    ]

    def __init__(self, playbooks: list[Playbook]) -> None:
        super().__init__()
        self.playbooks = playbooks
        self.chosen: str | None = playbooks[0].id if len(playbooks) == 1 else None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Declare an incident", classes="dialog-title")
            yield Input(placeholder="type to find a playbook", id="filter", compact=True)
            yield OptionList(id="playbooks")
            yield Input(
                placeholder="title: what is happening? (required)", id="title", compact=True
            )
            yield Input(
                placeholder="aware at: HH:MM or 2026-11-22T14:05 (empty: now)",
                id="aware",
                compact=True,
            )
            yield Label("Enter moves on; ctrl+s declares; Escape cancels", classes="dialog-help")

    def on_mount(self) -> None:
        self.show_matches("")

    def matches(self, text: str) -> list[Playbook]:
        """The playbooks whose id, title or summary hold every word typed."""
        words = text.lower().split()
        return [
            book
            for book in self.playbooks
            if all(word in f"{book.id} {book.title} {book.summary}".lower() for word in words)
        ]

    def show_matches(self, text: str) -> None:
        options = self.query_one("#playbooks", OptionList)
        options.clear_options()
        for book in self.matches(text):
            options.add_option(Option(f"{book.title}  ({book.id})", id=book.id))
        if options.option_count:
            options.highlighted = 0

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.show_matches(event.value)

    @on(Input.Submitted, "#filter")
    def filter_submitted(self, event: Input.Submitted) -> None:
        found = self.matches(event.value)
        options = self.query_one("#playbooks", OptionList)
        index = options.highlighted or 0
        if found:
            self.choose(found[min(index, len(found) - 1)].id)

    @on(OptionList.OptionSelected, "#playbooks")
    def playbook_selected(self, event: OptionList.OptionSelected) -> None:
        self.choose(event.option.id)

    def choose(self, playbook_id: str | None) -> None:
        self.chosen = playbook_id
        book = next((b for b in self.playbooks if b.id == playbook_id), None)
        if book is not None:
            self.query_one("#filter", Input).value = book.title
            self.query_one("#title", Input).focus()

    @on(Input.Submitted, "#title")
    def title_submitted(self) -> None:
        self.query_one("#aware", Input).focus()

    @on(Input.Submitted, "#aware")
    def action_declare(self) -> None:
        title = self.query_one("#title", Input).value.strip()
        if self.chosen is None:
            self.notify("Choose a playbook first", severity="warning")
            self.query_one("#filter", Input).focus()
        elif not title:
            self.notify("Give the incident a title", severity="warning")
            self.query_one("#title", Input).focus()
        else:
            aware = self.query_one("#aware", Input).value.strip()
            self.dismiss(Declared(self.chosen, title, aware))

    def action_cancel(self) -> None:
        self.dismiss(None)
