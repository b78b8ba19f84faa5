"""The Draft step: a template and locale, the missing facts, a live preview, edits and versions."""

from __future__ import annotations

import difflib
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Input, Label, Select, Static, TextArea

from crisis.drafts import Draft
from crisis.engine import UsageError
from crisis.incident import Incident
from crisis.model import Playbook, Template
from crisis.newsroom import Newsroom
from crisis.rules import Violation, count
from crisis.tui.messages import DraftRequested, DraftSaved


def changes(old: str, new: str) -> Text:
    """What changed between two texts, as coloured unified diff lines."""
    shown = Text()
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=1)
    for row in list(lines)[2:]:
        style = "green" if row.startswith("+") else "red" if row.startswith("-") else "dim"
        shown.append(row + "\n", style)
    return shown


class FactForm(VerticalScroll, can_focus=False):
    """The facts a template still needs, one labelled field each; it scrolls, Tab skips it."""


class DraftPane(Vertical):
    """New drafts render read-only from the template; a saved draft is edited freely."""

    BINDINGS = [
        Binding("ctrl+r", "create", "Create draft", id="draft.create"),
        Binding("ctrl+s", "save", "Save version", id="draft.save"),
    ]

    incident: reactive[Incident | None] = reactive(None)

    def __init__(self, playbook: Playbook, newsroom: Newsroom, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.zone = ZoneInfo(newsroom.desk.tz)
        self.playbook = playbook
        self.newsroom = newsroom
        self.current: str | None = None
        self.shown_version = 0

    def compose(self) -> ComposeResult:
        choices = [
            (f"{t.title} ({t.channel}, {t.audience})", t.id) for t in self.playbook.templates
        ]
        with Horizontal(id="draft-choice"):
            first = self.playbook.templates[0] if self.playbook.templates else None
            yield Select(
                choices,
                value=first.id if first else Select.NULL,
                id="template",
                allow_blank=False,
                compact=True,
            )
            locales = [(code, code) for code in (first.files if first else {})]
            yield Select(
                locales,
                value=locales[0][1] if locales else Select.NULL,
                id="locale",
                allow_blank=False,
                compact=True,
            )
        yield FactForm(id="facts")
        yield Label("", id="draft-title")
        yield TextArea("", id="draft-text", read_only=True, soft_wrap=True)
        yield Static("", id="draft-count")
        yield Static("", id="draft-changes")

    @property
    def unsaved(self) -> bool:
        """Whether the text on screen differs from the draft's latest saved version."""
        if self.incident is None or self.current is None:
            return False
        draft = self.incident.drafts[self.current]
        text = self.query_one("#draft-text", TextArea).text
        return text.strip() != draft.latest.text.strip()

    @property
    def template(self) -> Template:
        chosen = self.query_one("#template", Select).value
        return next(t for t in self.playbook.templates if t.id == chosen)

    @property
    def locale(self) -> str:
        return str(self.query_one("#locale", Select).value)

    def typed_facts(self) -> dict[str, str]:
        return {
            str(box.name): box.value.strip()
            for box in self.query("#facts Input").results(Input)
            if box.value.strip()
        }

    def watch_incident(self, incident: Incident | None) -> None:
        if incident is None or not self.is_mounted:
            return
        draft = incident.drafts.get(self.current or "")
        if draft is None:
            self.refresh_preview()
        elif draft.latest.number != self.shown_version:
            self.show_draft(draft)

    def on_mount(self) -> None:
        self.watch_incident(self.incident)

    def open(self, draft_id: str) -> None:
        """Show a saved draft for editing."""
        assert self.incident is not None
        draft = self.incident.drafts[draft_id]
        self.current = draft_id
        select = self.query_one("#template", Select)
        with select.prevent(Select.Changed):
            select.value = draft.template
        self.show_draft(draft)
        self.query_one("#draft-text", TextArea).focus()

    def show_draft(self, draft: Draft) -> None:
        self.shown_version = draft.latest.number
        self.query_one("#facts").remove_children()
        title = f"{draft.id}.{draft.latest.number}  {draft.template} · {draft.locale}  (editable)"
        self.query_one("#draft-title", Label).update(title)
        area = self.query_one("#draft-text", TextArea)
        area.read_only = False
        area.load_text(draft.latest.text)
        history = Text("versions: ", "bold")
        for version in draft.versions:
            when = version.at.astimezone(self.zone).strftime("%H:%M")
            how = "rendered" if version.source == "template" else "edited"
            mark = " ✗" if version.violations else ""
            history.append(f" v{version.number} {how} {when} {version.by}{mark} ·", "dim")
        if len(draft.versions) > 1:
            history.append(f"\nchanges from v{draft.versions[-2].number}:\n", "bold")
            history.append_text(changes(draft.versions[-2].text, draft.latest.text))
        self.query_one("#draft-changes", Static).update(history)
        self.check(draft.latest.text)

    @on(Select.Changed, "#template")
    def template_changed(self) -> None:
        self.current = None
        self.shown_version = 0
        locales = [(code, code) for code in self.template.files]
        select = self.query_one("#locale", Select)
        with select.prevent(Select.Changed):
            kept = select.value if select.value in self.template.files else locales[0][1]
            select.set_options(locales)
            select.value = kept
        self.refresh_preview()

    @on(Select.Changed, "#locale")
    def locale_changed(self) -> None:
        if self.current is None:
            self.refresh_preview()

    @on(Input.Changed, "#facts Input")
    def fact_typed(self) -> None:
        self.refresh_preview(keep_inputs=True)

    def refresh_preview(self, keep_inputs: bool = False) -> None:
        """Render the chosen template with the facts known and typed; nothing is saved."""
        if self.incident is None or self.current is not None:
            return
        typed = self.typed_facts()
        try:
            preview = self.newsroom.preview(self.incident.id, self.template.id, self.locale, typed)
        except UsageError as error:
            self.query_one("#draft-count", Static).update(Text(str(error), "bold red"))
            return
        box = self.query_one("#facts", FactForm)
        wanted = [key for key in self.template.needs if not self.incident.facts.get(key)]
        if not keep_inputs:
            box.remove_children()
            for key in wanted:
                label = self.playbook.facts[key].label
                field = Input(value=typed.get(key, ""), placeholder=label, name=key, compact=True)
                field.tooltip = label
                box.mount(Horizontal(Label(key, classes="fact-key"), field, classes="fact"))
        self.query_one("#draft-title", Label).update(
            f"New draft: {self.template.title} · {self.locale}  (preview, ctrl+r to create)"
        )
        area = self.query_one("#draft-text", TextArea)
        area.read_only = True
        if preview.missing:
            listed = ", ".join(key for key, _ in preview.missing)
            area.load_text(f"Fill in the facts above first: {listed}")
            self.query_one("#draft-count", Static).update("")
        else:
            area.load_text(preview.text)
            self.show_check(preview.violations, preview.text)
        self.query_one("#draft-changes", Static).update("")

    @on(TextArea.Changed, "#draft-text")
    def text_changed(self, event: TextArea.Changed) -> None:
        if self.current is not None:
            self.check(event.text_area.text)

    def check(self, text: str) -> None:
        """Count and check the text live, as the platform and the playbook's rules would."""
        assert self.incident is not None
        assert self.current is not None
        draft = self.incident.drafts[self.current]
        self.show_check(self.newsroom.check(self.incident, draft, text), text)

    def show_check(self, found: tuple[Violation, ...], text: str) -> None:
        template = self.template
        size = count(text, template.channel, template.limit)
        line = Text()
        limit = f" / {size.limit}" if size.limit else ""
        line.append(
            f"{size.length}{limit} characters on {template.channel}",
            "bold red" if size.over else "bold",
        )
        if template.channel == "x":
            line.append("  (a link counts as 23)", "dim")
        if not found:
            line.append("  ✓ rules met", "green")
        for violation in found:
            line.append(f"\n✗ {violation.rule}: {violation.message}", "bold red")
        self.query_one("#draft-count", Static).update(line)

    def action_create(self) -> None:
        """Save the previewed template as a new draft, with the facts typed."""
        if self.current is not None:
            self.notify("This draft exists; ctrl+s saves your edits", severity="warning")
            return
        self.post_message(DraftRequested(self.template.id, self.locale, self.typed_facts()))

    def action_save(self) -> None:
        """Save the edited text as the draft's next version."""
        if self.current is None:
            self.notify("Create the draft first (ctrl+r)", severity="warning")
            return
        text = self.query_one("#draft-text", TextArea).text
        self.post_message(DraftSaved(self.current, self.shown_version, text))
