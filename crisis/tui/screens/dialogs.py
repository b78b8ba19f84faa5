"""Small dialogs: a one-line prompt, a severity override and the closing form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, TextArea

from crisis.tui.messages import CloseRequested

if TYPE_CHECKING:
    from crisis.model import Scale


class Prompt(ModalScreen[str | None]):
    """Ask for one line of text; Enter answers, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, title: str, placeholder: str = "", value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(value=self.value, placeholder=self.placeholder, id="answer", compact=True)
            yield Label("Enter to save, Escape to cancel", classes="dialog-help")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class Override(ModalScreen[tuple[str, str] | None]):
    """Choose a severity level by hand, with the written reason it requires."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, scale: Scale, current: str | None) -> None:
        super().__init__()
        self.scale = scale
        self.current = current

    def compose(self) -> ComposeResult:
        options = [(level.name, level.id) for level in self.scale.levels]
        with Vertical(classes="dialog"):
            yield Label("Override the severity", classes="dialog-title")
            yield Select(
                options, value=self.current or Select.NULL, id="level", prompt="choose a level"
            )
            yield Input(placeholder="why (required)", id="reason", compact=True)
            yield Label("Enter in the reason to save, Escape to cancel", classes="dialog-help")

    @on(Input.Submitted, "#reason")
    def submitted(self, event: Input.Submitted) -> None:
        level = self.query_one("#level", Select).value
        if isinstance(level, str) and event.value.strip():
            self.dismiss((level, event.value.strip()))
        else:
            self.notify("Choose a level and write a reason", severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)


class Closing(ModalScreen[CloseRequested | None]):
    """The closing form: summary, lessons learned and follow-ups with owners."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("ctrl+s", "save", "Close incident", id="dialog.save", priority=True),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(
                "Close the incident (ctrl+s to close, Escape to cancel)", classes="dialog-title"
            )
            yield Input(
                placeholder="summary: how was it resolved? (required)", id="summary", compact=True
            )
            yield Input(placeholder="what went well", id="went_well", compact=True)
            yield Input(placeholder="what went wrong", id="went_wrong", compact=True)
            yield Input(placeholder="where we got lucky", id="lucky", compact=True)
            yield Label("Follow-ups, one per line as OWNER: action (a role or person id)")
            yield TextArea(id="follow_ups")

    def action_save(self) -> None:
        summary = self.query_one("#summary", Input).value.strip()
        if not summary:
            self.notify("A summary is required", severity="warning")
            return
        lessons = {
            key: self.query_one(f"#{key}", Input).value.strip()
            for key in ("went_well", "went_wrong", "lucky")
        }
        follow_ups = []
        for row in self.query_one("#follow_ups", TextArea).text.splitlines():
            owner, sep, action = row.partition(":")
            if row.strip():
                follow_ups.append((owner.strip(), action.strip() if sep else ""))
        self.dismiss(CloseRequested(summary, lessons, follow_ups))

    def action_cancel(self) -> None:
        self.dismiss(None)
