"""Cross-checks across the roster, the scale and the playbooks: references, templates, freshness."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from crisis import rules, templating
from crisis.model import Contacts, Playbook, Question, Scale, Template
from crisis.problems import FieldPath, Problem
from crisis.schema import did_you_mean
from crisis.yamlio import Document

RESERVED_FACTS = templating.BUILTINS


@dataclass(frozen=True)
class Context:
    """What a playbook is checked against: the roster, the scale, the template files and today."""

    contacts: Contacts | None
    scale: Scale | None
    playbooks_dir: Path
    templates: templating.Templates
    today: date


class Report:
    """Problems found in one document, with helpers for the common kinds."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.problems: list[Problem] = []

    def error(self, path: FieldPath, message: str, hint: str = "", *, key: bool = False) -> None:
        self.problems.append(self.document.problem(path, message, hint, key=key))

    def warning(self, path: FieldPath, message: str, hint: str = "") -> None:
        self.problems.append(self.document.problem(path, message, hint, warning=True))

    def reference(
        self, path: FieldPath, value: str, known: Collection[str], what: str, *, key: bool = False
    ) -> None:
        """An error unless `value` names one of the `known` things."""
        if value not in known:
            self.error(path, f"unknown {what} '{value}'", did_you_mean(value, known), key=key)

    def unique(self, items: Iterable[tuple[FieldPath, str]], what: str) -> None:
        """An error for every repeated id, at its second place."""
        seen: set[str] = set()
        for path, value in items:
            if value in seen:
                self.error(path, f"duplicate {what} '{value}'")
            seen.add(value)


def contacts(document: Document, roster: Contacts, today: date) -> list[Problem]:
    """Every person a role names exists; warn on a stale roster and roles without backup."""
    report = Report(document)
    for role_id, role in roster.roles.items():
        people: list[tuple[FieldPath, str]] = [(("roles", role_id, "primary"), role.primary)]
        people += [(("roles", role_id, "backups", i), b) for i, b in enumerate(role.backups)]
        for path, person in people:
            report.reference(path, person, roster.people, "person")
        report.unique(people, "person in this role")
        if not role.backups:
            report.warning(("roles", role_id), f"role '{role_id}' has no backup", "add 'backups:'")
    if roster.verified + roster.verify_every < today:
        due = roster.verified + roster.verify_every
        report.warning(
            ("verified",),
            f"roster not verified since {roster.verified} (was due {due})",
            "check every contact, then update 'verified'",
        )
    if roster.verified > today:
        report.error(("verified",), f"date {roster.verified} is in the future")
    return report.problems


def scale(document: Document, levels: Scale, roster: Contacts | None) -> list[Problem]:
    """Level ids are unique and every role a level names is in the roster."""
    report = Report(document)
    report.unique(
        ((("levels", i, "id"), level.id) for i, level in enumerate(levels.levels)), "level"
    )
    if not levels.levels:
        report.error(("levels",), "at least one level is required")
    if roster is not None:
        for i, level in enumerate(levels.levels):
            for field in ("notify", "approvals"):
                for j, role in enumerate(getattr(level, field)):
                    report.reference(("levels", i, field, j), role, roster.roles, "role")
    return report.problems


def playbook(document: Document, book: Playbook, context: Context) -> list[Problem]:
    """Every reference in a playbook resolves, its questions cohere and its templates render."""
    report = Report(document)
    stem = Path(document.name).stem
    if book.id != stem:
        report.error(
            ("id",), f"id '{book.id}' differs from the file name '{stem}'", f"use '{stem}'"
        )
    roles = context.contacts.roles if context.contacts is not None else None
    levels = [level.id for level in context.scale.levels] if context.scale is not None else None
    if roles is not None:
        report.reference(("owner",), book.owner, roles, "role")
        for i, step in enumerate(book.steps):
            report.reference(("steps", i, "owner"), step.owner, roles, "role")
        for level_id, override in book.levels.items():
            for field in ("notify", "approvals"):
                for j, role in enumerate(getattr(override, field) or ()):
                    report.reference(("levels", level_id, field, j), role, roles, "role")
    if levels is not None:
        for level_id in book.levels:
            report.reference(("levels", level_id), level_id, levels, "severity level", key=True)
        for i, step in enumerate(book.steps):
            for j, level_id in enumerate(step.severities):
                report.reference(("steps", i, "severities", j), level_id, levels, "severity level")
        for i, question in enumerate(book.questions):
            _question(report, ("questions", i), question, levels)
        _scores(report, book, levels)
    report.unique(
        ((("questions", i, "id"), q.id) for i, q in enumerate(book.questions)), "question"
    )
    report.unique(((("steps", i, "id"), s.id) for i, s in enumerate(book.steps)), "step")
    report.unique(
        ((("templates", i, "id"), t.id) for i, t in enumerate(book.templates)), "template"
    )
    report.unique(((("rules", i, "id"), r.id) for i, r in enumerate(book.rules)), "rule")
    for i, rule in enumerate(book.rules):
        for j, needle in enumerate(rule.require_any):
            if "{link}" in needle and needle != "{link}":
                where = ("rules", i, "require_any", j)
                report.error(where, "'{link}' stands alone: any web address", 'write "{link}"')
            for name in rules.unknown_placeholders(needle):
                hint = did_you_mean(name, rules.PLACEHOLDERS)
                report.error(
                    ("rules", i, "require_any", j), f"unknown placeholder '{{{name}}}'", hint
                )
        if not (rule.require_any or rule.forbid or rule.forbid_people):
            report.error(
                ("rules", i), "the rule checks nothing", "add require_any, forbid or forbid_people"
            )
    for fact in book.facts:
        if fact in RESERVED_FACTS:
            report.error(("facts", fact), f"'{fact}' is reserved for templates", key=True)
    if book.reviewed > context.today:
        report.error(("reviewed",), f"date {book.reviewed} is in the future")
    elif book.reviewed + book.review_every < context.today:
        due = book.reviewed + book.review_every
        report.warning(("reviewed",), f"playbook review overdue since {due}", "review it")
    for i, template in enumerate(book.templates):
        _template(report, ("templates", i), template, book, context)
    return report.problems


def _question(report: Report, path: FieldPath, question: Question, levels: list[str]) -> None:
    """The fields of a question fit its type, and its floors are levels."""
    extra = {
        "yes-no": ("options", "bands"),
        "choice": ("if_yes", "if_no", "bands"),
        "number": ("if_yes", "if_no", "options"),
    }[question.type]
    for name in extra:
        if getattr(question, name):
            report.error((*path, name), f"'{name}' does not apply to a {question.type} question")
    if question.type == "choice" and len(question.options) < 2:
        report.error((*path, "options"), "a choice question needs at least two options")
    if question.type == "number" and not question.bands:
        report.error((*path, "bands"), "a number question needs at least one band")
    mins = [band.min for band in question.bands]
    if mins != sorted(set(mins)):
        report.error((*path, "bands"), "band minimums must increase from one band to the next")
    report.unique(
        (((*path, "options", i, "id"), o.id) for i, o in enumerate(question.options)), "option"
    )
    effects: list[tuple[FieldPath, Any]] = [
        ((*path, "if_yes"), question.if_yes),
        ((*path, "if_no"), question.if_no),
    ]
    effects += [((*path, "options", i), o) for i, o in enumerate(question.options)]
    effects += [((*path, "bands", i), b) for i, b in enumerate(question.bands)]
    for where, effect in effects:
        if effect is not None and effect.floor is not None:
            report.reference((*where, "floor"), effect.floor, levels, "severity level")


def _scores(report: Report, book: Playbook, levels: list[str]) -> None:
    """Score thresholds name levels and rise with severity."""
    for level_id in book.scores:
        report.reference(("scores", level_id), level_id, levels, "severity level")
    ordered = [book.scores[level] for level in levels if level in book.scores]
    if ordered != sorted(set(ordered)):
        report.error(("scores",), "thresholds must rise with the severity of the level")


def _template(
    report: Report, path: FieldPath, template: Template, book: Playbook, context: Context
) -> None:
    """Each locale file exists, uses only its declared facts, matches the others and renders."""
    for j, need in enumerate(template.needs):
        report.reference((*path, "needs", j), need, book.facts, "fact")
    base = context.playbooks_dir.resolve()
    used_by_locale: dict[str, frozenset[str]] = {}
    for locale, name in template.files.items():
        where = (*path, "files", locale)
        target = (base / name).resolve()
        if not target.is_relative_to(base):
            report.error(where, f"'{name}' is outside the playbooks directory")
            continue
        if not target.is_file():
            report.error(where, f"template file '{name}' does not exist")
            continue
        try:
            used = context.templates.variables(name) - templating.BUILTINS
        except templating.TemplateError as error:
            report.error(where, f"{name}:{error.line or 1}: {error.message}")
            continue
        for fact in sorted(used - set(template.needs)):
            hint = "add it to 'needs'" if fact in book.facts else did_you_mean(fact, book.facts)
            report.error(
                where, f"'{name}' uses '{fact}', which is not in this template's needs", hint
            )
        used_by_locale[locale] = used
        if used <= set(template.needs):
            _render(report, where, template, book, context, name)
    if used_by_locale:
        first, first_used = next(iter(used_by_locale.items()))
        for locale, used in used_by_locale.items():
            if used != first_used:
                missing = ", ".join(sorted(first_used - used)) or "-"
                added = ", ".join(sorted(used - first_used)) or "-"
                report.error(
                    (*path, "files", locale),
                    f"locale '{locale}' uses different facts than '{first}' "
                    f"(missing: {missing}; extra: {added})",
                )
        unused = set(template.needs) - set().union(*used_by_locale.values())
        for fact in sorted(unused):
            report.warning((*path, "needs"), f"fact '{fact}' is listed but no file uses it")


def _render(
    report: Report,
    where: FieldPath,
    template: Template,
    book: Playbook,
    context: Context,
    name: str,
) -> None:
    """Render with the facts' examples; a rule broken by the sample is a warning."""
    if context.contacts is None or context.scale is None or not context.scale.levels:
        return
    level = book.level(context.scale, context.scale.levels[-1].id)
    facts = {fact_id: fact.example for fact_id, fact in book.facts.items()}
    sample = templating.sample_context(book.title, level, context.contacts.organisation, facts)
    try:
        text = context.templates.render(name, sample)
    except templating.TemplateError as error:
        report.error(where, f"{name}: {error.message}")
        return
    people = [person.name for person in context.contacts.people.values()]
    broken = rules.check(
        text,
        channel=template.channel,
        audience=template.audience,
        rules=book.rules,
        org=context.contacts.organisation,
        people=people,
        limit=template.limit,
    )
    for violation in broken:
        report.warning(
            where, f"{name} with the example facts breaks '{violation.rule}': {violation.message}"
        )
