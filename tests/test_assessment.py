"""Scope assessment: answers to a playbook's questions give a severity with its reasons."""

from __future__ import annotations

import pytest

from crisis.assessment import assess, parse_answer
from crisis.catalog import load_catalog
from crisis.model import Playbook, Scale

from .conftest import REPO, TODAY

CATALOG = load_catalog(REPO, TODAY)
assert CATALOG.scale is not None
SCALE: Scale = CATALOG.scale.value
HIJACK: Playbook = CATALOG.playbook("account-hijack")


@pytest.mark.parametrize(
    ("answers", "level", "score"),
    [
        ({}, "low", 0),
        ({"attacker-posted": "no", "control": "full"}, "low", 0),
        ({"control": "partial"}, "low", 1),
        ({"control": "none"}, "moderate", 2),
        ({"control": "partial", "audience": 20_000}, "moderate", 2),
        ({"attacker-posted": "yes"}, "high", 2),
        ({"control": "none", "audience": 20_000, "leaver-access": "yes"}, "high", 4),
        ({"audience": 9_999}, "low", 0),
        ({"audience": 100_000}, "high", 2),
        (
            {
                "attacker-posted": "yes",
                "control": "none",
                "audience": 150_000,
                "scam-messages": "yes",
            },
            "critical",
            8,
        ),
    ],
)
def test_answers_give_the_highest_of_floors_and_score_thresholds(
    answers: dict[str, str | int], level: str, score: int
) -> None:
    result = assess(HIJACK, SCALE, answers)
    assert (result.level, result.score) == (level, score)


def test_every_answer_with_an_effect_gives_its_reason() -> None:
    result = assess(
        HIJACK,
        SCALE,
        {"attacker-posted": "yes", "control": "none", "audience": 20_000, "leaver-access": "yes"},
    )
    assert result.reasons[0].text == "Content we did not write is public under our name"
    assert [r.question for r in result.reasons] == [
        "attacker-posted",
        "control",
        "audience",
        "leaver-access",
    ]
    assert "scam-messages" in result.unanswered


def test_a_score_that_raises_the_level_is_a_reason_too() -> None:
    result = assess(HIJACK, SCALE, {"control": "partial", "audience": 20_000})
    assert result.level == "moderate"
    assert result.reasons[-1].text == "Total score 2 reaches the threshold 2 of 'moderate'"


@pytest.mark.parametrize(
    ("question", "text", "expected"),
    [
        ("attacker-posted", "yes", "yes"),
        ("attacker-posted", " Y ", "yes"),
        ("attacker-posted", "no", "no"),
        ("audience", "12000", 12000),
        ("control", "none", "none"),
    ],
)
def test_answers_are_parsed_by_question_type(question: str, text: str, expected: object) -> None:
    found = next(q for q in HIJACK.questions if q.id == question)
    assert parse_answer(found, text) == expected


@pytest.mark.parametrize(
    ("question", "text", "message"),
    [
        ("attacker-posted", "maybe", "answer yes or no"),
        ("audience", "many", "give a whole number"),
        ("audience", "-5", "give a whole number"),
        ("control", "nnone", "did you mean 'none'?"),
    ],
)
def test_bad_answers_say_what_is_valid(question: str, text: str, message: str) -> None:
    found = next(q for q in HIJACK.questions if q.id == question)
    with pytest.raises(ValueError, match=message):
        parse_answer(found, text)
