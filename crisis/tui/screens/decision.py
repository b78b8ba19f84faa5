"""Dialogs for a draft: who approves or rejects it and why, and where it was published."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select


class Decide(ModalScreen[tuple[str, str] | None]):
    """Choose the approving person among the role's holders; a comment, or a required reason."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, title: str, people: list[tuple[str, str]], reason: bool) -> None:
        super().__init__()
        self.title_text = title
        self.people = people
        self.reason = reason

    def compose(self) -> ComposeResult:
        hint = "why it goes back (required)" if self.reason else "comment (optional)"
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            first = self.people[0][1] if self.people else Select.NULL
            yield Select(self.people, value=first, id="person", allow_blank=False)
            yield Input(placeholder=hint, id="text", compact=True)
            yield Label("Enter to record, Escape to cancel", classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    @on(Input.Submitted, "#text")
    def submitted(self, event: Input.Submitted) -> None:
        person = self.query_one("#person", Select).value
        if not isinstance(person, str):
            return
        if self.reason and not event.value.strip():
            self.notify("A rejection needs a reason", severity="warning")
            return
        self.dismiss((person, event.value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)


class Publish(ModalScreen[tuple[str, str, str] | None]):
    """Where the text went out: channel and the post's address; an emergency needs a reason."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, channel: str, channels: tuple[str, ...], emergency: bool) -> None:
        super().__init__()
        self.channel = channel
        self.channels = channels
        self.emergency = emergency

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog emergency" if self.emergency else "dialog"):
            if self.emergency:
                yield Label(
                    "EMERGENCY OVERRIDE: publish WITHOUT full approval. "
                    "This is marked in the timeline, the status and every export.",
                    classes="dialog-title warning",
                )
            else:
                yield Label("Mark as published", classes="dialog-title")
            options = [(name, name) for name in self.channels]
            yield Select(options, value=self.channel, id="channel", allow_blank=False)
            yield Input(placeholder="address of the post (optional)", id="url", compact=True)
            if self.emergency:
                yield Input(placeholder="why it cannot wait (required)", id="reason", compact=True)
            yield Label("Enter to record, Escape to cancel", classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one("#url", Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        if self.emergency and event.input.id == "url":
            self.query_one("#reason", Input).focus()
            return
        reason = self.query_one("#reason", Input).value.strip() if self.emergency else ""
        if self.emergency and not reason:
            self.notify("An emergency override needs a reason", severity="warning")
            return
        channel = str(self.query_one("#channel", Select).value)
        self.dismiss((channel, self.query_one("#url", Input).value.strip(), reason))

    def action_cancel(self) -> None:
        self.dismiss(None)
