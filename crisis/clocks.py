"""The regulatory clocks a playbook can enable, with their legal sources; not legal advice."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClockRule:
    """A regulatory reporting duty that runs from a trigger, named with its source."""

    id: str
    name: str
    source: str
    trigger: str


RULES = {
    rule.id: rule
    for rule in (
        ClockRule(
            "gdpr-art33",
            "GDPR Art. 33: notify the supervisory authority",
            "Regulation (EU) 2016/679, Article 33",
            "awareness",
        ),
        ClockRule(
            "nis2",
            "NIS2 Art. 23: early warning, notification and final report",
            "Directive (EU) 2022/2555, Article 23(4)",
            "awareness",
        ),
        ClockRule(
            "sec-8k",
            "SEC Form 8-K Item 1.05: material cybersecurity incident",
            "SEC Release 33-11216, Form 8-K Item 1.05",
            "materiality determination",
        ),
    )
}
DISCLAIMER = "Deadlines are aids for planning, not legal advice."
