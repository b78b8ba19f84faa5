"""The incident workspace: the header, the steps, and the handlers that record every action."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, OptionList
from textual.widgets.option_list import Option

from crisis.approvals import Approvals
from crisis.engine import Desk
from crisis.incident import Incident
from crisis.newsroom import Newsroom
from crisis.problems import CrisisError
from crisis.status import Status, status
from crisis.tui.messages import (
    AnswersConfirmed,
    AttemptRecorded,
    CloseRequested,
    DraftDecided,
    DraftOpened,
    DraftRequested,
    DraftSaved,
    ExportWritten,
    NoteWritten,
    SeverityOverridden,
    StepTicked,
)
from crisis.tui.screens.dialogs import Closing, Override
from crisis.tui.screens.export import ExportDialog
from crisis.tui.widgets.approve import ApprovePane
from crisis.tui.widgets.assess import AssessPane
from crisis.tui.widgets.draft import DraftPane
from crisis.tui.widgets.header import IncidentHeader
from crisis.tui.widgets.notify import NotifyTable
from crisis.tui.widgets.runbook import RunbookList
from crisis.tui.widgets.timeline import Timeline

STEPS = (
    ("assess", "1 Assess"),
    ("notify", "2 Notify"),
    ("runbook", "3 Runbook"),
    ("timeline", "4 Timeline"),
    ("draft", "5 Draft"),
    ("approve", "6 Approve"),
)
POLL_SECONDS = 0.5


class Workspace(Screen[None]):
    """One incident: every action goes through the desk, then the state is read back."""

    BINDINGS = [
        Binding("1", "show('assess')", "Assess", id="step.assess"),
        Binding("2", "show('notify')", "Notify", id="step.notify"),
        Binding("3", "show('runbook')", "Runbook", id="step.runbook"),
        Binding("4", "show('timeline')", "Timeline", id="step.timeline"),
        Binding("5", "show('draft')", "Draft", id="step.draft"),
        Binding("6", "show('approve')", "Approve", id="step.approve"),
        Binding("ctrl+s", "confirm", "Confirm severity", id="assess.confirm"),
        Binding("ctrl+o", "override", "Override severity", id="assess.override"),
        Binding("ctrl+e", "close_incident", "Close incident", id="incident.close"),
        Binding("ctrl+x", "export", "Export", id="incident.export"),
        Binding("escape", "home", "Home", id="incident.home"),
    ]

    incident: var[Incident | None] = var(None)

    def __init__(self, desk: Desk, incident_id: str) -> None:
        super().__init__()
        self.desk = desk
        self.incident_id = incident_id
        self.ready = False
        self.incident = desk.incident(incident_id)
        self.playbook = desk.playbook_of(self.incident)
        self.shown_seq = 0
        self.leaving = False

    def compose(self) -> ComposeResult:
        assert self.incident is not None
        yield IncidentHeader(id="header")
        with Horizontal(id="body"):
            yield OptionList(*(Option(label, id=key) for key, label in STEPS), id="steps")
            with ContentSwitcher(initial="assess", id="panes"):
                yield AssessPane(self.playbook, self.desk.scale, self.incident.answers, id="assess")
                yield NotifyTable(self.desk.roster, id="notify")
                yield RunbookList(self.playbook, id="runbook")
                yield Timeline(self.desk.tz, id="timeline")
                yield DraftPane(self.playbook, Newsroom(self.desk), id="draft")
                yield ApprovePane(self.desk.roster, self.desk.tz, id="approve")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.incident_id
        self.ready = True
        self.watch_incident(self.incident)
        self.set_interval(POLL_SECONDS, self.poll)
        self.set_interval(1.0, self.tick)

    def current_status(self) -> Status:
        assert self.incident is not None
        return status(
            self.incident,
            self.playbook,
            self.desk.scale,
            self.desk.roster,
            self.desk.clock(),
            self.desk.tz,
        )

    def watch_incident(self, incident: Incident | None) -> None:
        if incident is None or not self.ready:
            return
        current = self.current_status()
        header = self.query_one(IncidentHeader)
        level = next((lv for lv in self.desk.scale.levels if lv.id == incident.severity), None)
        header.colour = level.colour if level else ""
        header.status = current
        self.query_one(NotifyTable).status = current
        self.query_one(RunbookList).incident = incident
        self.query_one(DraftPane).incident = incident
        self.query_one(ApprovePane).status = current
        if incident.head[0] > self.shown_seq:
            fresh = self.desk.journal.events(incident.id, after=self.shown_seq)
            self.query_one(Timeline).add(fresh)
            self.shown_seq = incident.head[0]

    def reload(self) -> None:
        """Read the incident back from the journal (after an action, or another terminal's)."""
        self.incident = self.desk.incident(self.incident_id)

    def poll(self) -> None:
        head = self.desk.journal.head(self.incident_id)
        if self.incident is not None and head is not None and head[0] != self.incident.head[0]:
            self.reload()

    def tick(self) -> None:
        """Time moves: the header's clocks and the Notify step's targets follow it."""
        if self.incident is not None:
            current = self.current_status()
            self.query_one(IncidentHeader).status = current
            self.query_one(NotifyTable).status = current

    def act(self, action: Callable[[], object], done: str = "") -> None:
        """Run one desk action; a refusal is shown, nothing half-done is left behind."""
        try:
            action()
        except CrisisError as error:
            self.notify(str(error), title="Not recorded", severity="error")
            return
        self.reload()
        self.leaving = False
        if done:
            self.notify(done, title="Saved")

    def action_show(self, step: str) -> None:
        self.query_one(ContentSwitcher).current = step
        self.refresh_bindings()
        self.query_one("#steps", OptionList).highlighted = [k for k, _ in STEPS].index(step)
        pane = self.query_one(f"#{step}")
        focus = {"assess": "Select, Input", "draft": "Select", "approve": "DataTable"}
        target = pane.query(focus[step]).first() if step in focus else pane
        target.focus()

    @on(OptionList.OptionHighlighted, "#steps")
    def step_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.query_one(ContentSwitcher).current = event.option.id
            self.refresh_bindings()

    @on(AnswersConfirmed)
    def answers_confirmed(self, message: AnswersConfirmed) -> None:
        self.act(lambda: self.desk.assess(self.incident_id, message.answers), "Severity recorded")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Confirming the severity belongs to the Assess step; elsewhere ctrl+s saves drafts."""
        if action == "confirm" and self.ready:
            return self.query_one(ContentSwitcher).current == "assess"
        return True

    def action_home(self) -> None:
        """Back to home; unsaved edits of a draft are kept until Escape is pressed again."""
        pane = self.query_one(DraftPane)
        if pane.unsaved and not self.leaving:
            self.leaving = True
            self.notify(
                "The draft has unsaved edits: ctrl+s saves them, Escape again discards them",
                severity="warning",
            )
            return
        self.app.pop_screen()

    def action_confirm(self) -> None:
        """Record the answers in the Assess step and the severity they give."""
        self.query_one(AssessPane).action_confirm()

    def action_override(self) -> None:
        assert self.incident is not None

        def chosen(result: tuple[str, str] | None) -> None:
            if result is not None:
                self.post_message(SeverityOverridden(*result))

        self.app.push_screen(Override(self.desk.scale, self.incident.severity), chosen)

    @on(SeverityOverridden)
    def severity_overridden(self, message: SeverityOverridden) -> None:
        self.act(
            lambda: self.desk.override(self.incident_id, message.level, message.reason),
            "Severity overridden",
        )

    @on(AttemptRecorded)
    def attempt_recorded(self, message: AttemptRecorded) -> None:
        self.act(
            lambda: self.desk.notify(
                self.incident_id, message.role, message.person, message.outcome, ""
            )
        )

    @on(StepTicked)
    def step_ticked(self, message: StepTicked) -> None:
        self.act(lambda: self.desk.step(self.incident_id, message.step))

    @on(NoteWritten)
    def note_written(self, message: NoteWritten) -> None:
        self.act(lambda: self.desk.note(self.incident_id, message.text), "Note logged")

    def action_close_incident(self) -> None:
        def closed(result: CloseRequested | None) -> None:
            if result is not None:
                self.post_message(result)

        self.app.push_screen(Closing(), closed)

    @on(CloseRequested)
    def close_requested(self, message: CloseRequested) -> None:
        self.act(
            lambda: self.desk.close(
                self.incident_id, message.summary, message.lessons, message.follow_ups
            ),
            "Incident closed",
        )

    @on(DraftRequested)
    def draft_requested(self, message: DraftRequested) -> None:
        newsroom = Newsroom(self.desk)
        created: list[str] = []
        self.act(
            lambda: created.append(
                newsroom.draft(self.incident_id, message.template, message.locale, message.facts).id
            ),
            "Draft saved",
        )
        if created:
            self.query_one(DraftPane).open(created[0])

    @on(DraftSaved)
    def draft_saved(self, message: DraftSaved) -> None:
        newsroom = Newsroom(self.desk)
        self.act(
            lambda: newsroom.edit(self.incident_id, message.draft, message.based_on, message.text),
            f"{message.draft}: new version saved",
        )

    @on(DraftOpened)
    def draft_opened(self, message: DraftOpened) -> None:
        self.action_show("draft")
        self.query_one(DraftPane).open(message.draft)

    @on(DraftDecided)
    def draft_decided(self, message: DraftDecided) -> None:
        """Record a decision; the desk enforces the chain, whatever the screen offered."""
        approvals, name = Approvals(self.desk), message.draft
        if message.what == "approve":
            self.act(
                lambda: approvals.approve(
                    self.incident_id, name, message.person, message.text, message.version
                ),
                f"{name} approved by {message.person}",
            )
        elif message.what == "reject":
            self.act(
                lambda: approvals.reject(
                    self.incident_id, name, message.person, message.text, message.version
                ),
                f"{name} rejected",
            )
        else:
            self.act(
                lambda: approvals.publish(
                    self.incident_id,
                    name,
                    message.channel,
                    message.url,
                    message.text if message.what == "override" else None,
                    message.version,
                ),
                f"EMERGENCY OVERRIDE: {name} published on {message.channel} WITHOUT approval"
                if message.what == "override"
                else f"{name} published on {message.channel}",
            )

    def action_export(self) -> None:
        """Choose a format and a profile; the file is written in a worker."""

        def chosen(result: tuple[str, str] | None) -> None:
            if result is not None:
                self.write_export(*result)

        self.app.push_screen(ExportDialog(), chosen)

    @work(thread=True, exclusive=True, group="export")
    def write_export(self, fmt: str, profile: str) -> None:
        """Read the journal and write the export beside it, then say where."""
        from crisis.exports import stream
        from crisis.exports.files import default_path, private_output
        from crisis.journal import Journal

        desk = self.desk
        where = Path(getattr(desk.journal, "path", "journal.sqlite3"))
        path = default_path(where.parent, self.incident_id, profile, fmt)
        try:
            with Journal.open(where) as reader, private_output(path) as out:
                # SQLite connections stay in their thread: this one is the worker's own.
                stream(reader, self.incident_id, desk.catalog.playbook, desk.scale, desk.roster,
                       desk.clock(), fmt, out, profile)  # fmt: skip
        except CrisisError as error:
            self.post_message(ExportWritten("", str(error)))
            return
        self.post_message(ExportWritten(str(path)))

    @on(ExportWritten)
    def export_written(self, message: ExportWritten) -> None:
        if message.error:
            self.notify(message.error, title="Not exported", severity="error")
        else:
            self.notify(message.path, title="Export written (readable by you only)", timeout=10)
