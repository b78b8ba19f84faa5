"""Drafting, approving and publishing responses: every rule is enforced here, for every client."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from crisis import rules, templating
from crisis.drafts import Draft, Version, digest
from crisis.engine import Desk, UsageError
from crisis.incident import Incident
from crisis.model import Playbook, Template
from crisis.schema import did_you_mean

MAX_TEXT = 1 << 20


@dataclass(frozen=True)
class Preview:
    """A template rendered for an incident, not yet saved, with what it still lacks or breaks."""

    template: Template
    locale: str
    text: str
    missing: tuple[tuple[str, str], ...]
    violations: tuple[rules.Violation, ...]
    count: rules.Count


@dataclass(frozen=True)
class Newsroom:
    """A desk's drafting and approval actions; each checks its input, then appends its events."""

    desk: Desk

    def template(self, book: Playbook, template_id: str) -> Template:
        found = next((t for t in book.templates if t.id == template_id), None)
        if found is None:
            known = [t.id for t in book.templates]
            raise UsageError(
                f"unknown template '{template_id}'; {did_you_mean(template_id, known)}"
            )
        return found

    def locale(self, template: Template, locale: str | None) -> str:
        """The locale asked for, or the template's first; a missing one is named, never swapped."""
        if locale is None:
            return next(iter(template.files))
        if locale not in template.files:
            have = ", ".join(template.files)
            raise UsageError(f"template '{template.id}' has no '{locale}' text; it has {have}")
        return locale

    def violations(
        self, text: str, channel: str, audience: str, book: Playbook, limit: int | None
    ) -> tuple[rules.Violation, ...]:
        """Every rule `text` breaks for this channel and audience under the playbook's rules."""
        roster = self.desk.roster
        return rules.check(
            text,
            channel=channel,
            audience=audience,
            rules=book.rules,
            org=roster.organisation,
            people=[person.name for person in roster.people.values()],
            limit=limit,
        )

    def check(self, incident: Incident, draft: Draft, text: str) -> tuple[rules.Violation, ...]:
        """The rules a draft's text breaks, with its template's limit."""
        book = self.desk.playbook_of(incident)
        limit = self.template(book, draft.template).limit
        return self.violations(text, draft.channel, draft.audience, book, limit)

    def preview(
        self,
        incident_id: str,
        template_id: str,
        locale: str | None = None,
        facts: Mapping[str, str] | None = None,
    ) -> Preview:
        """Render a template with the incident's facts and `facts`; nothing is written."""
        state = self.desk.incident(incident_id)
        book = self.desk.playbook_of(state)
        template = self.template(book, template_id)
        chosen = self.locale(template, locale)
        given = self._facts(book, facts or {})
        known = {**state.facts, **given}
        missing = tuple((k, book.facts[k].label) for k in template.needs if not known.get(k))
        size = rules.count("", template.channel, template.limit)
        if missing:
            return Preview(template, chosen, "", missing, (), size)
        text = self._render(state, book, template, chosen, known)
        found = self.violations(text, template.channel, template.audience, book, template.limit)
        return Preview(
            template, chosen, text, (), found, rules.count(text, template.channel, template.limit)
        )

    def draft(
        self,
        incident_id: str,
        template_id: str,
        locale: str | None = None,
        facts: Mapping[str, str] | None = None,
    ) -> Draft:
        """Save a new draft rendered from a template; new facts are saved with it, atomically."""
        state = self.desk.open_incident(incident_id)
        book = self.desk.playbook_of(state)
        given = self._facts(book, facts or {})
        shown = self.preview(incident_id, template_id, locale, given)
        if shown.missing:
            listed = "; ".join(f"{key} ({label})" for key, label in shown.missing)
            raise UsageError(f"missing facts: {listed}; give them with --fact KEY=VALUE")
        new_id = f"D{len(state.drafts) + 1}"
        items: list[tuple[str, str, dict[str, Any]]] = [
            ("fact", f"{key} = {value}", {"key": key, "value": value})
            for key, value in given.items()
            if state.facts.get(key) != value
        ]
        template = shown.template
        items.append(
            (
                "drafted",
                shown.text,
                {
                    "draft": new_id,
                    "version": 1,
                    "template": template.id,
                    "locale": shown.locale,
                    "channel": template.channel,
                    "audience": template.audience,
                    "sha256": digest(shown.text),
                    "source": "template",
                    "violations": [f"{v.rule}: {v.message}" for v in shown.violations],
                },
            )
        )
        self.desk.record_many(incident_id, items, after=state.head[0])
        return self.desk.incident(incident_id).drafts[new_id]

    def edit(self, incident_id: str, draft_id: str, based_on: int | None, text: str) -> Version:
        """Save edited text as the draft's next version; approvals of earlier versions are void."""
        state = self.desk.open_incident(incident_id)
        draft = self.find(state, draft_id)
        latest = draft.latest
        if based_on is not None and draft.version(based_on) is None:
            raise UsageError(f"{draft_id} has no version {based_on}; it has 1 to {latest.number}")
        if based_on is not None and based_on != latest.number:
            raise UsageError(
                f"{draft_id} is at version {latest.number} (saved by {latest.by}); "
                f"you edited version {based_on}: look at {draft_id}.{latest.number} and edit that"
            )
        text = text.strip() + "\n"
        if len(text) > MAX_TEXT:
            raise UsageError("the text is larger than 1 MiB")
        if not text.strip():
            raise UsageError("the text is empty")
        if text == latest.text:
            raise UsageError(f"no change from {draft_id}.{latest.number}")
        found = self.check(state, draft, text)
        data = {
            "draft": draft.id,
            "version": latest.number + 1,
            "template": draft.template,
            "locale": draft.locale,
            "channel": draft.channel,
            "audience": draft.audience,
            "sha256": digest(text),
            "source": "edit",
            "violations": [f"{v.rule}: {v.message}" for v in found],
            "voids": len([v for v in draft.verdicts if v.approved and v.version == latest.number]),
        }
        self.desk.record_many(incident_id, [("drafted", text, data)], after=state.head[0])
        return self.desk.incident(incident_id).drafts[draft_id].latest

    def facts(self, incident_id: str, facts: Mapping[str, str]) -> None:
        """Record facts for templates, all or none; later drafts reuse them."""
        state = self.desk.open_incident(incident_id)
        given = self._facts(self.desk.playbook_of(state), facts)
        if not given:
            raise UsageError("give at least one fact as KEY=VALUE")
        items = [(k, v) for k, v in given.items() if state.facts.get(k) != v]
        self.desk.record_many(
            incident_id,
            [("fact", f"{k} = {v}", {"key": k, "value": v}) for k, v in items],
            after=state.head[0],
        )

    def find(self, state: Incident, draft_id: str) -> Draft:
        draft = state.drafts.get(draft_id)
        if draft is None:
            hint = did_you_mean(draft_id, list(state.drafts)) if state.drafts else "none yet"
            raise UsageError(f"no draft '{draft_id}' in {state.id}; {hint}")
        return draft

    def _facts(self, book: Playbook, facts: Mapping[str, str]) -> dict[str, str]:
        clean: dict[str, str] = {}
        for key, value in facts.items():
            if key not in book.facts:
                raise UsageError(f"unknown fact '{key}'; {did_you_mean(key, book.facts)}")
            if not value.strip():
                raise UsageError(f"fact '{key}' is empty; {book.facts[key].label}")
            clean[key] = value.strip()
        return clean

    def _render(
        self,
        state: Incident,
        book: Playbook,
        template: Template,
        locale: str,
        facts: Mapping[str, str],
    ) -> str:
        templates = self.desk.catalog.templates
        if templates is None:
            templates = templating.Templates(self.desk.catalog.root / "playbooks")
        level_id = state.severity or self.desk.scale.levels[0].id
        level = book.level(self.desk.scale, level_id)
        zone = ZoneInfo(self.desk.tz)

        def local(moment: datetime) -> str:
            return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")

        incident = {
            "id": state.id,
            "title": state.title,
            "declared": local(state.declared_at),
            "aware": local(state.aware_at),
        }
        names = {k: v for k, v in facts.items() if k in template.needs}
        context = templating.context(incident, level, self.desk.roster.organisation, names)
        try:
            return templates.render(template.files[locale], context)
        except templating.TemplateError as error:
            raise UsageError(f"{template.files[locale]}: {error.message}") from None
