"""Home: open incidents to resume, recently closed ones, declaring, and the playbooks' health."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from crisis.tui.messages import IncidentChosen

if TYPE_CHECKING:
    from crisis.catalog import Catalog
    from crisis.incident import Incident
    from crisis.journal import Journal

RECENT = 10


def incident_line(incident: Incident) -> Text:
    line = Text()
    if incident.exercise:
        line.append("EXERCISE ", "bold")
    line.append(f"{incident.id}  ", "bold")
    line.append(f"{incident.severity or '-':9} ")
    line.append(incident.title)
    return line


class Home(Screen[None]):
    """Where the tool opens: resume with Enter, declare with n."""

    BINDINGS = [
        Binding("n", "app.declare", "Declare incident", id="home.declare"),
        Binding("q", "app.quit", "Quit", id="home.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.catalog: Catalog | None = None
        self.journal: Journal | None = None
        self.known = -1

    def compose(self) -> ComposeResult:
        with Horizontal(id="home"):
            with Vertical(id="incidents"):
                yield Label("Open incidents (Enter to resume)", classes="section")
                yield OptionList(id="open")
                yield Label("Recently closed", classes="section")
                yield OptionList(id="closed")
            with Vertical(id="health"):
                yield Label("Playbooks", classes="section")
                yield Static(id="problems")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#problems", Static).update("Checking the playbooks...")
        self.set_interval(1.0, self.refresh_incidents)
        self.query_one("#open", OptionList).focus()

    def loaded(self, catalog: Catalog, journal: Journal | None) -> None:
        """The playbooks are checked and the journal is open: show them."""
        self.catalog = catalog
        self.journal = journal
        self.show_health(catalog)
        self.refresh_incidents()

    def show_health(self, catalog: Catalog) -> None:
        text = Text()
        if catalog.errors:
            text.append(
                f"{len(catalog.errors)} problem(s): fix them, then start again.\n", "bold red"
            )
        else:
            text.append(
                f"{len(catalog.playbooks)} playbooks ready. n declares an incident.\n", "bold"
            )
        for problem in catalog.problems:
            text.append(f"\n{problem}", "red" if problem.level == "error" else "yellow")
        self.query_one("#problems", Static).update(text)

    def refresh_incidents(self) -> None:
        from crisis.incident import fold

        if self.journal is None:
            return
        ids = self.journal.incidents()
        if len(ids) == self.known:
            return
        self.known = len(ids)
        incidents = [fold(i, self.journal.events(i)) for i in ids]
        open_list = self.query_one("#open", OptionList)
        closed_list = self.query_one("#closed", OptionList)
        open_list.clear_options()
        closed_list.clear_options()
        for incident in incidents:
            if incident.is_open:
                open_list.add_option(Option(incident_line(incident), id=incident.id))
        closed = [i for i in incidents if not i.is_open][-RECENT:]
        for incident in reversed(closed):
            closed_list.add_option(Option(incident_line(incident), id=incident.id))
        for shown in (open_list, closed_list):
            if shown.option_count and shown.highlighted is None:
                shown.highlighted = 0

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.post_message(IncidentChosen(event.option.id))

    def on_screen_resume(self) -> None:
        self.known = -1
        self.refresh_incidents()
