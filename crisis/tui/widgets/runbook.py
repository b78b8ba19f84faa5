"""The Runbook step: the playbook's steps for the current severity, ticked as they are done."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from crisis.incident import Incident
from crisis.model import Playbook
from crisis.tui.messages import StepTicked


class RunbookList(OptionList):
    """A checklist with owners; Enter or space ticks the highlighted step and logs it."""

    BINDINGS = [Binding("space", "tick", "Tick step", id="runbook.tick")]

    incident: reactive[Incident | None] = reactive(None)

    def __init__(self, playbook: Playbook, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.playbook = playbook

    def watch_incident(self, incident: Incident | None) -> None:
        highlighted = self.highlighted
        self.clear_options()
        if incident is None:
            return
        for step in self.playbook.steps:
            if step.severities and incident.severity not in step.severities:
                continue
            done = step.id in incident.steps_done
            prompt = Text()
            prompt.append("[x] " if done else "[ ] ", "bold green" if done else "bold")
            prompt.append(step.title, "dim" if done else "")
            prompt.append(f"  ({step.owner})", "italic")
            if step.details and not done:
                summary = step.details.strip().split(". ")[0].rstrip(".")
                prompt.append(f"\n    {summary}.", "dim")
            self.add_option(Option(prompt, id=step.id))
        if self.option_count:
            self.highlighted = min(highlighted or 0, self.option_count - 1)

    def action_tick(self) -> None:
        if self.highlighted is None or self.incident is None:
            return
        step = self.get_option_at_index(self.highlighted).id or ""
        if step not in self.incident.steps_done:
            self.post_message(StepTicked(step))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_tick()
