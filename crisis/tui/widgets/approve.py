"""The Approve step: every draft's approval chain, and one key to approve, reject or publish."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import DataTable, Static

from crisis.approvals import CHANNELS
from crisis.drafts import Draft
from crisis.model import Contacts
from crisis.status import Status
from crisis.tui.messages import DraftDecided, DraftOpened
from crisis.tui.screens.decision import Decide, Publish

STAGE_STYLES = {
    "blocked": "bold red",
    "rejected": "bold red",
    "awaiting": "bold yellow",
    "approved": "bold green",
    "ready": "bold green",
    "published": "dim",
}


def chain_text(draft: Draft, required: tuple[str, ...], roster: Contacts, zone: ZoneInfo) -> Text:
    """Who approved which version and when, who is next, and what was rejected or published."""
    shown = Text()
    latest = draft.latest
    shown.append(f"{draft.id}.{latest.number} ", "bold")
    shown.append(f"{draft.template} · {draft.locale} · {draft.channel} · ")
    shown.append(f"sha256:{latest.sha256[:12]}\n", "dim")
    chain = draft.chain(required)
    if not draft.needs_approval:
        shown.append(f"  {draft.audience} audience: no approval needed\n", "dim")
    for role, verdict in zip(chain.required, chain.approvals, strict=True):
        title = roster.roles[role].title
        if verdict is not None:
            when = verdict.at.astimezone(zone).strftime("%H:%M")
            name = roster.people[verdict.person].name
            shown.append(f"  ✓ {title}: {name} at {when}", "green")
            shown.append(f"  {verdict.comment}\n" if verdict.comment else "\n", "italic")
        else:
            holders = (roster.roles[role].primary, *roster.roles[role].backups)
            names = ", ".join(roster.people[p].name for p in holders)
            mark = "→" if role == chain.next_role else "·"
            shown.append(f"  {mark} {title}: waiting ({names})\n", "yellow")
    rejection = draft.rejection()
    if rejection is not None:
        name = roster.people[rejection.person].name
        shown.append(f"  ✗ rejected by {name}: {rejection.comment}\n", "bold red")
    for violation in latest.violations:
        shown.append(f"  ✗ {violation}\n", "bold red")
    voided = draft.voided()
    if voided:
        shown.append(f"  {len(voided)} approval(s) of earlier versions void after edits\n", "dim")
    for publication in draft.publications:
        when = publication.at.astimezone(zone).strftime("%H:%M")
        where = f"{publication.channel} {publication.url}".rstrip()
        if publication.override:
            shown.append(
                f"  EMERGENCY OVERRIDE: v{publication.version} published on {where} at {when} "
                f"without approval: {publication.override}\n",
                "bold white on red",
            )
        else:
            shown.append(f"  published v{publication.version} on {where} at {when}\n", "bold")
    shown.append("\n")
    shown.append(latest.text, "")
    return shown


class ApprovePane(Vertical):
    """A table of drafts above the highlighted draft's chain and text."""

    BINDINGS = [
        Binding("y", "decide('approve')", "Approve", id="approve.approve"),
        Binding("n", "decide('reject')", "Reject", id="approve.reject"),
        Binding("p", "decide('publish')", "Publish", id="approve.publish"),
        Binding(
            "exclamation_mark", "decide('override')", "Emergency publish", id="approve.override"
        ),
        Binding("e", "decide('edit')", "Edit", id="approve.edit"),
    ]

    status: reactive[Status | None] = reactive(None)

    def __init__(self, roster: Contacts, zone: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.roster = roster
        self.zone = ZoneInfo(zone)
        self.shown = False

    def compose(self) -> ComposeResult:
        yield DataTable[Text | str](id="drafts", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="chain-box"):
            yield Static("No drafts yet: write one in the Draft step (5)", id="chain")

    def on_mount(self) -> None:
        table = self.query_one("#drafts", DataTable)
        table.add_columns("Draft", "Template", "Locale", "Channel", "Stage", "Waits for")

    @property
    def selected(self) -> str | None:
        table = self.query_one("#drafts", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def watch_status(self, current: Status | None) -> None:
        if current is None or not self.is_mounted:
            return
        table = self.query_one("#drafts", DataTable)
        row = table.cursor_row
        table.clear()
        for draft in current.drafts:
            stage = Text(draft.stage.upper(), STAGE_STYLES.get(draft.stage, ""))
            waits = draft.next_role or ("severity" if current.level is None else "")
            table.add_row(
                f"{draft.id}.{draft.version}",
                draft.template,
                draft.locale,
                draft.channel,
                stage,
                waits if draft.stage == "awaiting" else "",
                key=draft.id,
            )
        if table.row_count:
            if not self.shown:
                waiting = [d.stage == "awaiting" for d in current.drafts]
                row = waiting.index(True) if True in waiting else 0
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))
            self.shown = True
        self.show_chain()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.show_chain()

    def show_chain(self) -> None:
        current = self.status
        chosen = self.selected
        if current is None or chosen is None:
            return
        draft = current.incident.drafts[chosen]
        shown = chain_text(draft, current.approvals, self.roster, self.zone)
        self.query_one("#chain", Static).update(shown)

    def action_decide(self, what: str) -> None:
        """Open the dialog a decision needs, then send it up; the desk has the last word."""
        current, chosen = self.status, self.selected
        if current is None or chosen is None:
            self.notify("No draft to decide on yet", severity="warning")
            return
        draft = current.incident.drafts[chosen]
        version = draft.latest.number
        if what == "edit":
            self.post_message(DraftOpened(chosen))
        elif what in ("approve", "reject"):
            self.decide(what, draft, current)
        else:
            required = current.approvals if current.level else None
            review = draft.review(required)
            if what == "publish" and review not in ("approved", "ready"):
                waits = draft.chain(required).next_role or "the severity assessment"
                why = {"awaiting": f"it waits for {waits}"}.get(review, f"it is {review}")
                self.notify(f"{draft.id} cannot be published: {why}", severity="error")
                return

            def published(result: tuple[str, str, str] | None) -> None:
                if result is not None:
                    channel, url, reason = result
                    self.post_message(
                        DraftDecided(what, chosen, version, text=reason, channel=channel, url=url)
                    )

            self.app.push_screen(Publish(draft.channel, CHANNELS, what == "override"), published)

    def decide(self, what: str, draft: Draft, current: Status) -> None:
        """Ask who approves (the next role's holders) or who rejects (any approving role's)."""
        required = current.approvals if current.level else None
        chain = draft.chain(required)
        stage = draft.stage(required)
        if what == "approve" and (chain.next_role is None or stage != "awaiting"):
            why = "; ".join(draft.latest.violations) or f"it is {stage}"
            if required is None:
                why = "assess the severity first: it decides who approves"
            self.notify(f"{draft.id} cannot be approved: {why}", severity="error")
            return
        roles = (chain.next_role,) if what == "approve" and chain.next_role else required or ()
        people = [
            (f"{self.roster.people[p].name} ({role})", p)
            for role in roles
            for p in (self.roster.roles[role].primary, *self.roster.roles[role].backups)
        ]
        verb = "Approve" if what == "approve" else "Reject"
        title = f"{verb} {draft.id}.{draft.latest.number} as {', '.join(roles) or '-'}"
        version = draft.latest.number

        def decided(result: tuple[str, str] | None) -> None:
            if result is not None:
                person, text = result
                self.post_message(DraftDecided(what, draft.id, version, person, text))

        self.app.push_screen(Decide(title, people, what == "reject"), decided)
