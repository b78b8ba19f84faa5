"""The Textual app: composes the screens and routes their requests to the desk."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App
from textual.binding import Binding

from crisis.problems import CrisisError
from crisis.tui.commands import CrisisCommands
from crisis.tui.messages import CatalogLoaded, Declared, IncidentChosen, NoteWritten
from crisis.tui.screens.dialogs import Prompt
from crisis.tui.screens.home import Home

if TYPE_CHECKING:  # the engine and the workspace load after the first frame
    from crisis.catalog import Catalog
    from crisis.engine import Desk
    from crisis.journal import Journal


class CrisisApp(App[None]):
    """Declare, assess, notify, follow the runbook and log: every action a journal event."""

    CSS_PATH = "app.tcss"
    TITLE = "crisis"
    COMMANDS = App.COMMANDS | {CrisisCommands}
    BINDINGS = [
        Binding("ctrl+n", "note", "Note", id="app.note", priority=True),
        Binding("question_mark", "keys", "Keys", id="app.keys"),
    ]

    def __init__(
        self,
        load: Callable[[], Catalog],
        open_journal: Callable[[], Journal],
        actor: str | None,
        zone: str,
        clock: Callable[[], datetime],
        remember: Callable[[str], None] = lambda name: None,
        new_id: Callable[[datetime], str] | None = None,
    ) -> None:
        super().__init__()
        self.load = load
        self.open_journal = open_journal
        self.catalog: Catalog | None = None
        self.journal: Journal | None = None
        self.home = Home()
        self.actor = actor
        self.zone = zone
        self.clock = clock
        self.remember = remember
        self.new_id = new_id

    @property
    def desk(self) -> Desk | None:
        """The desk, once the playbooks validate, the journal is open and the responder known."""
        from crisis.engine import Desk, incident_id

        if self.catalog is None or self.catalog.errors or self.journal is None or not self.actor:
            return None
        new_id = self.new_id or incident_id
        return Desk(self.catalog, self.journal, self.actor, self.zone, self.clock, new_id)

    def on_mount(self) -> None:
        self.push_screen(self.home)
        if not self.actor:
            self.push_screen(
                Prompt("Your name, as the log should show it (asked once)"), self.named
            )
        self.call_after_refresh(self.load_set)

    @work(thread=True, exclusive=True, group="load")
    def load_set(self) -> None:
        """Read and check the playbooks after the first frame, off the UI thread."""
        self.post_message(CatalogLoaded(self.load()))

    @on(CatalogLoaded)
    def catalog_loaded(self, message: CatalogLoaded) -> None:
        self.catalog = message.catalog
        if not message.catalog.errors:
            self.journal = self.open_journal()
        self.home.loaded(message.catalog, self.journal)

    def named(self, name: str | None) -> None:
        if name:
            self.actor = name
            self.remember(name)
            self.notify(f"Every event will carry '{name}'", title="Welcome")
        else:
            self.exit(message="crisis needs your name to record anything")

    def action_keys(self) -> None:
        """Show or hide the keys of the current screen."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_declare(self) -> None:
        if self.catalog is None:
            self.notify("Still checking the playbooks; a moment", severity="warning")
            return
        if self.desk is None:
            self.notify("The playbooks do not validate; nothing can be declared", severity="error")
            return
        from crisis.tui.screens.declare import Declare

        playbooks = [source.value for source in self.catalog.playbooks]
        self.push_screen(Declare(playbooks), self.declared)

    def declared(self, request: Declared | None) -> None:
        if request is not None:
            self.post_message(request)

    @on(Declared)
    def declare(self, request: Declared) -> None:
        from crisis.clock import parse_moment
        from crisis.tui.screens.workspace import Workspace

        desk = self.desk
        assert desk is not None
        try:
            aware = (
                parse_moment(request.aware_at, self.zone, self.clock())
                if (request.aware_at)
                else None
            )
            incident = desk.declare(request.playbook, request.title, aware, {})
        except (CrisisError, ValueError) as error:
            self.notify(str(error), title="Not declared", severity="error")
            return
        self.push_screen(Workspace(desk, incident.id))

    @on(IncidentChosen)
    def open_incident(self, request: IncidentChosen) -> None:
        from crisis.tui.screens.workspace import Workspace

        desk = self.desk
        if desk is not None:
            self.push_screen(Workspace(desk, request.incident_id))

    def action_note(self) -> None:
        """Log a note from anywhere an incident is open."""
        from crisis.tui.screens.workspace import Workspace

        screen = self.screen
        if not isinstance(screen, Workspace):
            self.notify("Open an incident to log a note", severity="warning")
            return

        def written(text: str | None) -> None:
            if text:
                screen.post_message(NoteWritten(text))

        self.push_screen(Prompt("Note for the log", "what happened, who said what"), written)

    def action_go(self, step: str) -> None:
        """Move to a step of the open incident."""
        from crisis.tui.screens.workspace import Workspace

        if isinstance(self.screen, Workspace):
            self.screen.action_show(step)
