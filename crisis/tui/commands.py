"""The command palette's actions: every key of the app is also a command here."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

STEPS = ("assess", "notify", "runbook", "timeline", "draft", "approve")


class CrisisCommands(Provider):
    """Declare, note, move between steps, override, close, show keys."""

    def commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = self.app
        found: list[tuple[str, Callable[[], object], str]] = [
            ("Declare an incident", partial(app.run_action, "declare"), "pick a playbook"),
            ("Log a note", partial(app.run_action, "note"), "ctrl+n from any screen"),
            ("Show keys", partial(app.run_action, "keys"), "the keys of this screen"),
        ]
        from crisis.tui.screens.workspace import Workspace

        if isinstance(app.screen, Workspace):
            for step in STEPS:
                found.append(
                    (
                        f"Go to {step.title()}",
                        partial(app.run_action, f"go('{step}')"),
                        f"the {step} step",
                    )
                )
            found.append(
                (
                    "Override the severity",
                    partial(app.screen.run_action, "override"),
                    "with a written reason",
                )
            )
            found.append(
                (
                    "Export the incident",
                    partial(app.screen.run_action, "export"),
                    "review or timeline, ctrl+x",
                )
            )
            found.append(
                (
                    "Close the incident",
                    partial(app.screen.run_action, "close_incident"),
                    "summary, lessons",
                )
            )
        return found

    async def discover(self) -> Hits:
        for name, callback, help_text in self.commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
