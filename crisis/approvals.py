"""The approval chain a draft goes through before it may be published, enforced for every client."""

from __future__ import annotations

from dataclasses import dataclass

from crisis import channels
from crisis.drafts import Draft, Publication
from crisis.engine import Desk, UsageError
from crisis.incident import Incident
from crisis.newsroom import Newsroom
from crisis.schema import did_you_mean
from crisis.values import URL

CHANNELS = tuple(channels.LIMITS)
MIN_REASON = 10
PUBLIC_CHANNELS = ("x", "facebook", "instagram", "linkedin", "web", "press")


@dataclass(frozen=True)
class Approvals:
    """Approve, reject and publish drafts; the severity's approval roles decide what is complete."""

    desk: Desk

    def required(self, state: Incident) -> tuple[str, ...] | None:
        """The roles that approve public drafts, in order, at the current severity (None: unset)."""
        if state.severity is None:
            return None
        return self.desk.playbook_of(state).level(self.desk.scale, state.severity).approvals

    def holders(self, role: str) -> tuple[str, ...]:
        """The people who hold a role, primary first."""
        held = self.desk.roster.roles[role]
        return (held.primary, *held.backups)

    def approve(
        self,
        incident_id: str,
        draft_id: str,
        person: str,
        comment: str = "",
        version: int | None = None,
    ) -> Draft:
        """Record the next required role's approval of the latest version's exact text."""
        state, draft = self._reviewable(incident_id, draft_id, version)
        chain = draft.chain(self.required(state))
        role = chain.next_role
        if role is None:
            raise UsageError(f"{draft_id}.{draft.latest.number} is already fully approved")
        holders = self.holders(role)
        if person not in holders:
            hint = did_you_mean(person, holders)
            raise UsageError(f"'{person}' does not hold '{role}', the next approval; {hint}")
        if any(a is not None and a.person == person for a in chain.approvals):
            raise UsageError(f"'{person}' has already approved {draft_id}; a second person must")
        self._verdict(state, draft, "approved", comment.strip(), person, role)
        return self.desk.incident(incident_id).drafts[draft_id]

    def reject(
        self,
        incident_id: str,
        draft_id: str,
        person: str,
        reason: str,
        version: int | None = None,
    ) -> Draft:
        """Record a rejection with its reason; the draft goes back for a new version."""
        state, draft = self._reviewable(incident_id, draft_id, version)
        if not reason.strip():
            raise UsageError("a rejection needs a written --reason")
        roles = self.required(state) or ()
        role = next((r for r in roles if person in self.holders(r)), None)
        if role is None:
            listed = ", ".join(roles)
            raise UsageError(f"'{person}' holds none of the approving roles ({listed})")
        self._verdict(state, draft, "rejected", reason.strip(), person, role)
        return self.desk.incident(incident_id).drafts[draft_id]

    def publish(
        self,
        incident_id: str,
        draft_id: str,
        channel: str,
        url: str = "",
        override: str | None = None,
        version: int | None = None,
    ) -> Publication:
        """Mark the latest version published; unless overridden in writing, it must be approved."""
        state = self.desk.open_incident(incident_id)
        draft = Newsroom(self.desk).find(state, draft_id)
        latest = draft.latest
        if version is not None and version != latest.number:
            raise UsageError(
                f"{draft_id} is now at version {latest.number}, not {version}; "
                f"read {draft_id}.{latest.number} before publishing it"
            )
        if channel not in CHANNELS:
            raise UsageError(f"unknown channel '{channel}'; {did_you_mean(channel, CHANNELS)}")
        if url:
            try:
                URL.parse(url)
            except ValueError as error:
                raise UsageError(f"--url: {error}") from None
        if not draft.needs_approval and channel in PUBLIC_CHANNELS:
            raise UsageError(
                f"{draft_id} is for the {draft.audience} audience and was never approved for "
                f"{channel}; draft a public template for it"
            )
        if any(p.version == latest.number and p.channel == channel for p in draft.publications):
            raise UsageError(f"{draft_id}.{latest.number} is already published on {channel}")
        over = channels.length(channel, latest.text)
        own = None
        if channel == draft.channel:
            own = Newsroom(self.desk).template(self.desk.playbook_of(state), draft.template).limit
        limit = channels.limit(channel, own)
        if limit is not None and over > limit:
            raise UsageError(f"{over} characters do not fit the {channel} limit of {limit}")
        if override is None:
            self._publishable(state, draft)
        elif len(override.strip()) < MIN_REASON:
            raise UsageError(
                f"an emergency override needs a written reason of at least {MIN_REASON} "
                "characters: who is at risk and why approval cannot wait"
            )
        data = {
            "draft": draft.id,
            "version": latest.number,
            "sha256": latest.sha256,
            "channel": channel,
            "url": url or None,
            "override": override.strip() if override is not None else None,
        }
        self.desk.record_many(incident_id, [("published", latest.text, data)], after=state.head[0])
        return self.desk.incident(incident_id).drafts[draft_id].publications[-1]

    def _publishable(self, state: Incident, draft: Draft) -> None:
        stage = draft.review(self.required(state))
        where = f"{draft.id}.{draft.latest.number}"
        if stage == "rejected":
            raise UsageError(f"{where} was rejected; save a new version and have it approved")
        if stage == "blocked":
            raise UsageError(f"{where} breaks rules: {'; '.join(draft.latest.violations)}")
        if draft.needs_approval and state.severity is None:
            raise UsageError("assess the severity first: it decides who must approve")
        if stage == "awaiting":
            role = draft.chain(self.required(state)).next_role
            raise UsageError(f"{where} is not fully approved; it waits for {role}")

    def _reviewable(
        self, incident_id: str, draft_id: str, version: int | None
    ) -> tuple[Incident, Draft]:
        state = self.desk.open_incident(incident_id)
        newsroom = Newsroom(self.desk)
        draft = newsroom.find(state, draft_id)
        latest = draft.latest
        if version is not None and version != latest.number:
            raise UsageError(
                f"{draft_id} is now at version {latest.number}; read it before deciding on it"
            )
        if not draft.needs_approval:
            raise UsageError(
                f"{draft_id} is for the {draft.audience} audience and needs no approval"
            )
        if state.severity is None:
            raise UsageError("assess the severity first: it decides who must approve")
        if draft.rejection() is not None:
            raise UsageError(f"{draft_id}.{latest.number} was rejected; save a new version first")
        broken = newsroom.check(state, draft, latest.text)
        if broken:
            shown = "; ".join(f"{v.rule}: {v.message}" for v in broken)
            raise UsageError(f"{draft_id}.{latest.number} cannot go for approval: {shown}")
        return state, draft

    def _verdict(
        self, state: Incident, draft: Draft, kind: str, text: str, person: str, role: str
    ) -> None:
        latest = draft.latest
        data = {
            "draft": draft.id,
            "version": latest.number,
            "sha256": latest.sha256,
            "person": person,
            "role": role,
        }
        self.desk.record_many(state.id, [(kind, text, data)], after=state.head[0])
