"""Scope assessment: a playbook's answers to its questions give a severity, with the reasons."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from crisis.model import Band, Effect, Option, Playbook, Question, Scale
from crisis.schema import did_you_mean

Answer = str | int


@dataclass(frozen=True)
class Reason:
    """Why the severity is what it is: one answer and what it did."""

    question: str
    answer: Answer
    text: str
    floor: str | None = None
    score: int = 0


@dataclass(frozen=True)
class Assessment:
    """The severity that a set of answers gives, the total score and every reason."""

    level: str
    score: int
    reasons: tuple[Reason, ...]
    unanswered: tuple[str, ...]


def parse_answer(question: Question, text: str) -> Answer:
    """An answer typed as text, checked against the question; ValueError says what is valid."""
    value = text.strip()
    if question.type == "yes-no":
        lowered = value.lower()
        if lowered in ("yes", "y"):
            return "yes"
        if lowered in ("no", "n"):
            return "no"
        raise ValueError(f"'{text}' is not an answer to '{question.id}'; answer yes or no")
    if question.type == "number":
        if not value.isdigit():
            raise ValueError(f"'{text}' is not an answer to '{question.id}'; give a whole number")
        return int(value)
    options = [option.id for option in question.options]
    if value not in options:
        hint = did_you_mean(value, options)
        raise ValueError(f"'{text}' is not an answer to '{question.id}'; {hint}")
    return value


def effect_of(question: Question, answer: Answer) -> Effect | Option | Band | None:
    """What one answer does to the severity, if anything."""
    if question.type == "yes-no":
        return question.if_yes if answer == "yes" else question.if_no
    if question.type == "choice":
        return next((option for option in question.options if option.id == answer), None)
    assert isinstance(answer, int)
    reached = [band for band in question.bands if band.min <= answer]
    return reached[-1] if reached else None


def assess(playbook: Playbook, scale: Scale, answers: Mapping[str, Answer]) -> Assessment:
    """The severity: the highest of the lowest level, every floor and the score thresholds."""
    order = [level.id for level in scale.levels]
    rank = order.index
    level = order[0]
    score = 0
    reasons: list[Reason] = []
    unanswered: list[str] = []
    for question in playbook.questions:
        if question.id not in answers:
            unanswered.append(question.id)
            continue
        answer = answers[question.id]
        effect = effect_of(question, answer)
        if effect is None:
            continue
        score += effect.score
        if effect.floor is not None and rank(effect.floor) > rank(level):
            level = effect.floor
        reasons.append(Reason(question.id, answer, effect.reason, effect.floor, effect.score))
    for level_id, threshold in playbook.scores.items():
        if score >= threshold and rank(level_id) > rank(level):
            level = level_id
            text = f"Total score {score} reaches the threshold {threshold} of '{level_id}'"
            reasons.append(Reason("score", score, text, level_id))
    return Assessment(level, score, tuple(reasons), tuple(unanswered))
