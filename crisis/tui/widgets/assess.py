"""The Assess step: one row per scope question, the severity and its reasons updating live."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from crisis import assessment
from crisis.model import Playbook, Question, Scale
from crisis.tui.messages import AnswersConfirmed


def answer_widget(question: Question, current: str | int | None) -> Input | Select[str]:
    """The input that fits a question: a choice list, or a number field."""
    if question.type == "number":
        value = "" if current is None else str(current)
        return Input(
            value=value, type="integer", placeholder="a number", id=f"q-{question.id}", compact=True
        )
    options = (
        [("yes", "yes"), ("no", "no")]
        if question.type == "yes-no"
        else [(option.label, option.id) for option in question.options]
    )
    return Select(
        options,
        prompt="not answered",
        value=str(current) if current is not None else Select.NULL,
        id=f"q-{question.id}",
        compact=True,
    )


class AssessPane(Vertical):
    """Answer the playbook's questions; confirming records the answers and the severity."""

    def __init__(
        self,
        playbook: Playbook,
        scale: Scale,
        answered: Mapping[str, str | int],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.playbook = playbook
        self.scale = scale
        self.answered = dict(answered)

    def compose(self) -> ComposeResult:
        answered = self.answered
        with VerticalScroll(id="questions"):
            for question in self.playbook.questions:
                with Horizontal(classes="question"):
                    yield Label(question.text, classes="question-text")
                    yield answer_widget(question, answered.get(question.id))
        yield Static(id="verdict")
        yield Button("Confirm severity (ctrl+s)", id="confirm", variant="primary")

    def on_mount(self) -> None:
        self.refresh_verdict()

    def typed(self) -> dict[str, str]:
        """The answers as they stand in the form."""
        answers: dict[str, str] = {}
        for question in self.playbook.questions:
            widget = self.query_one(f"#q-{question.id}")
            value = widget.value if isinstance(widget, (Input, Select)) else None
            if isinstance(value, str) and value.strip():
                answers[question.id] = value.strip()
        return answers

    def refresh_verdict(self) -> None:
        parsed: dict[str, str | int] = {}
        problems: list[str] = []
        questions = {question.id: question for question in self.playbook.questions}
        for key, text in self.typed().items():
            try:
                parsed[key] = assessment.parse_answer(questions[key], text)
            except ValueError as error:
                problems.append(str(error))
        result = assessment.assess(self.playbook, self.scale, parsed)
        level = next(level for level in self.scale.levels if level.id == result.level)
        verdict = Text()
        verdict.append("Severity: ", "bold")
        verdict.append(f" {level.name} ", "reverse bold")
        verdict.append(f"  score {result.score}")
        for reason in result.reasons:
            verdict.append(f"\n  • {reason.text}")
        for problem in problems:
            verdict.append(f"\n  ! {problem}", "bold red")
        if result.unanswered:
            verdict.append(f"\n  {len(result.unanswered)} question(s) not answered", "dim")
        self.query_one("#verdict", Static).update(verdict)

    @on(Input.Changed)
    @on(Select.Changed)
    def answer_changed(self) -> None:
        self.refresh_verdict()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        self.post_message(AnswersConfirmed(self.typed()))
