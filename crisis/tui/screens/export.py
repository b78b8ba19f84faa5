"""The export dialog: a format and a profile for the incident's review or timeline."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Select

FORMATS = (
    ("Review document (Markdown)", "md"),
    ("Review document (HTML, printable)", "html"),
    ("Timeline (JSON)", "json"),
    ("Timeline (CSV)", "csv"),
    ("Timeline (TOML)", "toml"),
)
PROFILES = (
    ("internal: everything", "internal"),
    ("regulator: roles instead of people", "regulator"),
    ("public: no people, e-mails or phone numbers", "public"),
)


class ExportDialog(ModalScreen[tuple[str, str] | None]):
    """Choose what to export; ctrl+s writes the file, Escape cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("ctrl+s", "save", "Export", id="dialog.save", priority=True),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                "Export the incident (ctrl+s to write, Escape to cancel)", classes="dialog-title"
            )
            yield Select(FORMATS, value="md", id="format", allow_blank=False)
            yield Select(PROFILES, value="internal", id="profile", allow_blank=False)
            yield Label("The file is readable by you only.", classes="dialog-help")

    def action_save(self) -> None:
        fmt = self.query_one("#format", Select).value
        profile = self.query_one("#profile", Select).value
        if isinstance(fmt, str) and isinstance(profile, str):
            self.dismiss((fmt, profile))

    def action_cancel(self) -> None:
        self.dismiss(None)
