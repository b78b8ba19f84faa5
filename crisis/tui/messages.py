"""Messages the TUI's widgets send up to the screen that owns the incident."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from crisis.catalog import Catalog


@dataclass
class CatalogLoaded(Message):
    """The playbooks and roster were read and checked."""

    catalog: Catalog
    """The set, with every problem found in it."""


@dataclass
class AnswersConfirmed(Message):
    """The responder confirmed the scope answers."""

    answers: dict[str, str]
    """Question id -> the answer as typed."""


@dataclass
class SeverityOverridden(Message):
    """The responder set the severity by hand."""

    level: str
    """The level chosen."""
    reason: str
    """The written reason."""


@dataclass
class AttemptRecorded(Message):
    """An attempt to reach a role holder, and its outcome."""

    role: str
    """The role."""
    person: str
    """The person tried."""
    outcome: str
    """reached, no-answer, left-message or acknowledged."""


@dataclass
class StepTicked(Message):
    """A runbook step was done."""

    step: str
    """The step id."""


@dataclass
class NoteWritten(Message):
    """A note to log."""

    text: str
    """The note."""


@dataclass
class CloseRequested(Message):
    """The responder closes the incident."""

    summary: str
    """The resolution summary."""
    lessons: dict[str, str] = field(default_factory=dict)
    """went_well, went_wrong, lucky."""
    follow_ups: list[tuple[str, str]] = field(default_factory=list)
    """(owner, action) pairs."""


@dataclass
class IncidentChosen(Message):
    """An incident to open in the workspace."""

    incident_id: str
    """Its id."""


@dataclass
class Declared(Message):
    """A new incident to declare."""

    playbook: str
    """The playbook id."""
    title: str
    """The title."""
    aware_at: str = ""
    """When we became aware, as typed (empty: now)."""


@dataclass
class DraftRequested(Message):
    """A new draft from a template, with facts typed into the form."""

    template: str
    """The template id."""
    locale: str
    """The locale chosen."""
    facts: dict[str, str] = field(default_factory=dict)
    """Facts the incident lacked, as typed."""


@dataclass
class DraftSaved(Message):
    """Edited text to save as a draft's next version."""

    draft: str
    """The draft id."""
    based_on: int
    """The version the edit started from."""
    text: str
    """The full text."""


@dataclass
class DraftDecided(Message):
    """An approval, rejection or publication of a draft's version, as entered in its dialog."""

    what: str
    """approve, reject, publish or override."""
    draft: str
    """The draft id."""
    version: int
    """The version decided on: the one on screen."""
    person: str = ""
    """Who approves or rejects."""
    text: str = ""
    """The comment, the rejection's reason or the override's reason."""
    channel: str = ""
    """Where it was published."""
    url: str = ""
    """The post's address."""


@dataclass
class DraftOpened(Message):
    """A draft to show in the Draft step for editing."""

    draft: str
    """The draft id."""


@dataclass
class ExportWritten(Message):
    """An export file was written, or could not be."""

    path: str
    """Where it was written (empty if it failed)."""
    error: str = ""
    """Why it failed."""
