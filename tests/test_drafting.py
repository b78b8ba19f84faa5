"""Drafting, approving and publishing: templates, facts, versions and the approval chain."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crisis import templating
from crisis.approvals import Approvals
from crisis.catalog import Catalog, load_catalog
from crisis.codec import Conflict, Entry, new_id
from crisis.drafts import Draft, digest
from crisis.engine import Desk, UsageError
from crisis.journal import Journal
from crisis.newsroom import MAX_TEXT, Newsroom
from crisis.status import Status, as_json, status

from .conftest import REPO, TODAY, edit
from .stores import MemoryStore

CATALOG = load_catalog(REPO, TODAY)
START = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)
AWARE = START - timedelta(minutes=40)
FACTS = {
    "platform": "Instagram",
    "handle": "@havbris",
    "updates": "https://havbris.example/status",
}
LABELS = {
    "handle": "What is the account's handle or page name, exactly as followers see it?",
    "updates": "Web address where we publish updates about the hijacking",
}
HIJACK = "playbooks/account-hijack.yaml"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


class Tripwire:
    """Event ids for the journal; once armed, the second id fails mid-transaction."""

    def __init__(self) -> None:
        self.armed = False
        self.calls = 0

    def __call__(self, at: datetime) -> str:
        if self.armed:
            self.calls += 1
            if self.calls == 2:
                raise RuntimeError("disk unplugged")
        return new_id(at)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def tripwire() -> Tripwire:
    return Tripwire()


@pytest.fixture
def journal(tmp_path: Path, tripwire: Tripwire) -> Iterator[Journal]:
    journal = Journal.open(tmp_path / "journal.db", ids=tripwire)
    yield journal
    journal.close()


def make_desk(catalog: Catalog, store: Any, clock: Clock) -> Desk:
    return Desk(catalog, store, "ingrid", "Europe/Oslo", clock)


@pytest.fixture
def desk(journal: Journal, clock: Clock) -> Desk:
    return make_desk(CATALOG, journal, clock)


@pytest.fixture
def newsroom(desk: Desk) -> Newsroom:
    return Newsroom(desk)


@pytest.fixture
def approvals(desk: Desk) -> Approvals:
    return Approvals(desk)


def declare(desk: Desk, **facts: str) -> str:
    given = facts or FACTS
    return desk.declare("account-hijack", "Instagram account taken over", AWARE, given).id


def assessed(desk: Desk, level: str = "high", **facts: str) -> str:
    incident = declare(desk, **facts)
    desk.override(incident, level, "Scam messages to 200 000 followers")
    return incident


def head(desk: Desk, incident: str) -> tuple[int, str] | None:
    return desk.journal.head(incident)


def current(desk: Desk, incident: str, now: datetime | None = None) -> Status:
    state = desk.incident(incident)
    at = now or desk.clock()
    return status(state, desk.playbook_of(state), desk.scale, desk.roster, at, "Europe/Oslo")


def stage(desk: Desk, incident: str, draft: str) -> str:
    state = desk.incident(incident)
    return state.drafts[draft].stage(Approvals(desk).required(state))


def approve_all(approvals: Approvals, incident: str, draft: str, people: Iterable[str]) -> Draft:
    result = None
    for person in people:
        result = approvals.approve(incident, draft, person)
    assert result is not None
    return result


# --- rendering ---------------------------------------------------------------------------------


def test_a_norwegian_holding_statement_renders_with_the_facts(
    desk: Desk, newsroom: Newsroom
) -> None:
    incident = declare(desk, platform="Instagram")
    before = head(desk, incident)
    shown = newsroom.preview(
        incident, "holding-statement", "nb", {"handle": "@havbris", "updates": FACTS["updates"]}
    )
    assert shown.locale == "nb"
    assert shown.missing == ()
    assert shown.violations == ()
    assert shown.text.startswith("Instagram-kontoen vår @havbris er kapret\n\n")
    assert "Vi oppdaget dette 2026-03-28 23:50 CET." in shown.text  # aware_at in Oslo time
    assert (
        "Inntil videre kommer ikke innlegg og meldinger fra kontoen fra Havbris AS." in shown.text
    )
    assert "Oppdateringer legger vi ut på https://havbris.example/status." in shown.text
    assert (
        "Journalister kan kontakte oss på presse@havbris.example eller +4722334455." in shown.text
    )
    assert shown.text.endswith("\n\nHavbris AS\n")
    assert "{{" not in shown.text and "{%" not in shown.text
    assert (shown.count.length, shown.count.limit) == (len(shown.text.strip()), None)
    assert head(desk, incident) == before  # a preview writes nothing


def test_without_a_locale_the_templates_first_is_used(desk: Desk, newsroom: Newsroom) -> None:
    incident = declare(desk)
    shown = newsroom.preview(incident, "holding-statement")
    assert shown.locale == "en"
    assert shown.text.startswith("Our Instagram account @havbris has been taken over\n")


def test_the_severity_is_rendered_into_the_internal_note(desk: Desk, newsroom: Newsroom) -> None:
    incident = assessed(desk, "critical")
    text = newsroom.preview(incident, "internal-note", "en").text
    assert f"Subject: {incident}: our Instagram account @havbris has been hijacked" in text
    assert "it is being handled as SEV1 Critical." in text


@pytest.mark.parametrize(
    ("template", "locale", "have"),
    [
        ("holding-statement", "sv", "en, nb"),
        ("holding-statement", "EN", "en, nb"),
        ("social-post", "da", "en, nb"),
        ("internal-note", "nl", "en, nb"),
    ],
)
def test_a_missing_locale_is_named_and_never_replaced(
    desk: Desk, newsroom: Newsroom, template: str, locale: str, have: str
) -> None:
    incident = declare(desk)
    before = head(desk, incident)
    message = f"template '{template}' has no '{locale}' text; it has {have}"
    with pytest.raises(UsageError, match=message):
        newsroom.preview(incident, template, locale)
    with pytest.raises(UsageError, match=message):
        newsroom.draft(incident, template, locale)
    assert head(desk, incident) == before
    assert desk.incident(incident).drafts == {}


def test_missing_facts_are_listed_by_preview_and_refused_by_draft(
    desk: Desk, newsroom: Newsroom
) -> None:
    incident = declare(desk, platform="Instagram")
    before = head(desk, incident)
    shown = newsroom.preview(incident, "holding-statement", "nb")
    assert shown.missing == (("handle", LABELS["handle"]), ("updates", LABELS["updates"]))
    assert shown.text == ""
    assert shown.violations == ()
    with pytest.raises(UsageError) as refused:
        newsroom.draft(incident, "holding-statement", "nb", {"handle": "@havbris"})
    assert str(refused.value) == (
        f"missing facts: updates ({LABELS['updates']}); give them with --fact KEY=VALUE"
    )
    assert head(desk, incident) == before  # not even the handle given with it is kept
    assert desk.incident(incident).facts == {"platform": "Instagram"}


@pytest.mark.parametrize(
    "typed",
    [
        "{{ 7*7 }}",
        "{{ ''.__class__.__mro__ }}",
        "{% for i in range(3) %}x{% endfor %}",
        "{# hidden #}",
        "{{ org.press_email }}",
    ],
)
def test_text_typed_by_a_user_is_data_never_template_code(
    desk: Desk, newsroom: Newsroom, typed: str
) -> None:
    incident = declare(desk, platform="Instagram", updates=FACTS["updates"])
    shown = newsroom.preview(incident, "holding-statement", "en", {"handle": typed})
    assert f"Our Instagram account {typed} has been taken over" in shown.text
    draft = newsroom.draft(incident, "holding-statement", "en", {"handle": typed})
    assert draft.latest.text == shown.text
    assert shown.text.count(typed) == 3
    if typed == "{{ 7*7 }}":
        assert "49" not in shown.text
    assert desk.incident(incident).facts["handle"] == typed


def evil_root(root: Path, body: str, name: str = "evil.en.j2") -> Path:
    """The bundled set with one more internal template in account-hijack, reading `body`."""
    (root / "playbooks/account-hijack" / name).write_text(body, encoding="utf-8")
    hijack = root / HIJACK
    hijack.write_text(
        hijack.read_text(encoding="utf-8")
        + "  - id: evil\n"
        + "    title: A template that misbehaves\n"
        + "    channel: internal\n"
        + "    audience: internal\n"
        + "    needs: [platform]\n"
        + "    files:\n"
        + f"      en: account-hijack/{name}\n",
        encoding="utf-8",
    )
    return root


SANDBOX = [
    pytest.param("{{ ''.__class__.__mro__ }}", "not allowed in a template", id="mro"),
    pytest.param("{{ ''.__class__ }}", "not allowed in a template", id="class"),
    pytest.param("{{ cycler.__init__.__globals__ }}", "not allowed in a template", id="globals"),
    pytest.param("{{ '{0.__class__}'.format('') }}", "not allowed in a template", id="format"),
    pytest.param("{{ ''|attr('__class__') }}", "not allowed in a template", id="attr-filter"),
    pytest.param("{{ self._TemplateReference__context }}", "not allowed", id="private"),
    pytest.param("{% set l = [] %}{{ l.append(1) }}", "not allowed in a template", id="mutate"),
    pytest.param(
        "{{ range(10**9)|list }}", "range() of more than 1000 items is not allowed", id="range"
    ),
    pytest.param(
        "{% for i in range(1000) %}{{ 'x' * 100000 }}{% endfor %}",
        "output is larger than 1 MiB",
        id="huge-output",
    ),
    pytest.param("{% include '../../contacts.yaml' %}", "TemplateNotFound", id="include-up"),
    pytest.param("{% include 'nothing.j2' %}", "TemplateNotFound", id="include-missing"),
    pytest.param("{{ 1 / 0 }}", "ZeroDivisionError", id="zero-division"),
    pytest.param("{{ incident.titel }}", "undefined: 'dict object' has no attribute", id="strict"),
]


@pytest.mark.parametrize(("body", "message"), SANDBOX)
def test_a_template_that_escapes_its_sandbox_gives_a_clean_error(
    root: Path, clock: Clock, tmp_path: Path, body: str, message: str
) -> None:
    catalog = load_catalog(evil_root(root, "{{ platform }} " + body), TODAY)
    problems = [str(p) for p in catalog.errors]
    assert len(problems) == 1, problems
    assert "templates[3].files.en: account-hijack/evil.en.j2: " in problems[0]
    assert message in problems[0]
    with Journal.open(tmp_path / "evil.db") as journal:
        desk = make_desk(catalog, journal, clock)
        incident = declare(desk)
        before = head(desk, incident)
        for attempt in (Newsroom(desk).preview, Newsroom(desk).draft):
            with pytest.raises(UsageError) as refused:
                attempt(incident, "evil")
            assert str(refused.value).startswith("account-hijack/evil.en.j2: ")
            assert message in str(refused.value)
        assert head(desk, incident) == before


def test_a_fact_a_template_does_not_declare_is_a_clean_error(
    root: Path, clock: Clock, tmp_path: Path
) -> None:
    catalog = load_catalog(evil_root(root, "{{ platform }} {{ handle }}"), TODAY)
    assert [p.message for p in catalog.errors] == [
        "'account-hijack/evil.en.j2' uses 'handle', which is not in this template's needs"
    ]
    with Journal.open(tmp_path / "evil.db") as journal:
        desk = make_desk(catalog, journal, clock)
        incident = declare(desk)  # every fact is known, but only `needs` reach the template
        with pytest.raises(UsageError, match="undefined: 'handle' is undefined"):
            Newsroom(desk).preview(incident, "evil")


@pytest.mark.parametrize(
    ("body", "extra"),
    [
        pytest.param(
            "{% include 'account-hijack/broken.j2' %}",
            {"broken.j2": "{% if %}"},
            id="include-a-broken-file",
        ),
        pytest.param(
            "{% include 'account-hijack/evil.en.j2' %}",
            {},
            id="include-itself",
        ),
        pytest.param(
            "{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}",
            {},
            id="recursive-macro",
        ),
        pytest.param(
            "{{ 10 ** 100000 }}",
            {},
            id="huge-power",
        ),
        pytest.param("{{ 10 ** (10 ** 10) }}", {}, id="power-that-would-hang"),
        pytest.param("{{ 'x' * 10 ** 7 }}", {}, id="huge-repetition"),
    ],
)
def test_a_template_that_breaks_in_other_ways_gives_a_clean_error(
    root: Path, body: str, extra: dict[str, str]
) -> None:
    for name, text in extra.items():
        (root / "playbooks/account-hijack" / name).write_text(text, encoding="utf-8")
    templates = templating.Templates(evil_root(root, body) / "playbooks")
    with pytest.raises(templating.TemplateError):
        templates.render("account-hijack/evil.en.j2", {"platform": "Instagram"})
    problems = [str(p) for p in load_catalog(root, TODAY).errors]
    assert any("account-hijack/evil.en.j2" in line for line in problems), problems


# --- facts -------------------------------------------------------------------------------------


def test_new_facts_and_the_draft_are_written_in_one_transaction(clock: Clock) -> None:
    store = MemoryStore()
    desk = make_desk(CATALOG, store, clock)
    incident = declare(desk, platform="Instagram")
    store.calls.clear()
    clock.advance(minutes=3)
    draft = Newsroom(desk).draft(
        incident, "holding-statement", "nb", {"handle": "@havbris", "updates": FACTS["updates"]}
    )
    assert store.calls == [("append_many", ["fact", "fact", "drafted"])]
    rows = store.events(incident)[1:]
    assert [(r.kind, r.text) for r in rows[:2]] == [
        ("fact", "handle = @havbris"),
        ("fact", f"updates = {FACTS['updates']}"),
    ]
    assert [r.data for r in rows[:2]] == [
        {"key": "handle", "value": "@havbris"},
        {"key": "updates", "value": FACTS["updates"]},
    ]
    assert {r.ts for r in rows} == {clock.now}
    assert {r.actor for r in rows} == {"ingrid"}
    assert rows[2].text == draft.latest.text
    assert rows[2].data == {
        "draft": "D1",
        "version": 1,
        "template": "holding-statement",
        "locale": "nb",
        "channel": "web",
        "audience": "public",
        "sha256": digest(draft.latest.text),
        "source": "template",
        "violations": [],
    }
    assert desk.incident(incident).facts == FACTS


def test_facts_and_draft_in_the_journal_commit_together_or_not_at_all(
    desk: Desk, newsroom: Newsroom, journal: Journal, tripwire: Tripwire
) -> None:
    incident = declare(desk, platform="Instagram")
    before = head(desk, incident)
    given = {"handle": "@havbris", "updates": FACTS["updates"]}
    tripwire.armed = True
    with pytest.raises(RuntimeError, match="disk unplugged"):
        newsroom.draft(incident, "holding-statement", "en", given)
    assert head(desk, incident) == before  # the first fact was rolled back with the rest
    state = desk.incident(incident)
    assert (state.facts, state.drafts) == ({"platform": "Instagram"}, {})
    tripwire.armed = False
    draft = newsroom.draft(incident, "holding-statement", "en", given)
    events = list(journal.events(incident))
    assert [(e.seq, e.kind) for e in events] == [
        (1, "declared"),
        (2, "fact"),
        (3, "fact"),
        (4, "drafted"),
    ]
    assert all(e.prev == p.hash for p, e in zip(events, events[1:], strict=False))
    assert events[-1].data["sha256"] == draft.latest.sha256
    assert draft.id == "D1"


def test_later_drafts_reuse_the_facts_and_only_new_values_are_written(
    desk: Desk, newsroom: Newsroom, journal: Journal
) -> None:
    incident = declare(desk, platform="Instagram")
    first = newsroom.draft(
        incident, "holding-statement", "en", {"handle": "@havbris", "updates": FACTS["updates"]}
    )
    second = newsroom.draft(incident, "social-post")  # no facts given: the saved ones are used
    assert "@havbris" in second.latest.text and FACTS["updates"] in second.latest.text
    third = newsroom.draft(incident, "internal-note", None, {"handle": "@havbris"})  # unchanged
    assert [e.kind for e in journal.events(incident)] == [
        "declared",
        "fact",
        "fact",
        "drafted",
        "drafted",
        "drafted",
    ]
    newsroom.draft(incident, "social-post", "nb", {"handle": "@havbris_no"})
    kinds = [e.kind for e in journal.events(incident)][-2:]
    assert kinds == ["fact", "drafted"]
    state = desk.incident(incident)
    assert state.facts["handle"] == "@havbris_no"
    assert "@havbris_no" in state.drafts["D4"].latest.text
    assert state.drafts["D1"].latest.text == first.latest.text  # saved drafts never change
    assert [d for d in state.drafts] == ["D1", "D2", "D3", "D4"]
    assert third.id == "D3"


def test_recording_facts_writes_only_changed_values_all_or_none(
    desk: Desk, newsroom: Newsroom, journal: Journal
) -> None:
    incident = declare(desk, platform="Instagram")
    newsroom.facts(incident, {"platform": "Instagram", "handle": " @havbris "})
    assert [(e.kind, e.text) for e in journal.events(incident)][1:] == [
        ("fact", "handle = @havbris")
    ]
    before = head(desk, incident)
    for bad, message in [
        (
            {"updates": FACTS["updates"], "handel": "@x"},
            "unknown fact 'handel'; did you mean 'handle'?",
        ),
        (
            {"updates": FACTS["updates"], "handle": "  "},
            f"fact 'handle' is empty; {LABELS['handle']}",
        ),
        ({}, "give at least one fact as KEY=VALUE"),
    ]:
        with pytest.raises(UsageError) as refused:
            newsroom.facts(incident, bad)
        assert str(refused.value) == message
    assert head(desk, incident) == before
    assert desk.incident(incident).facts == {"platform": "Instagram", "handle": "@havbris"}


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"platfrom": "X"}, "unknown fact 'platfrom'; did you mean 'platform'?"),
        ({"handle": "@new", "audience": "200000"}, "unknown fact 'audience'"),
        ({"handle": "@new", "updates": " \t"}, "fact 'updates' is empty"),
    ],
)
def test_an_unknown_or_empty_fact_refuses_the_draft_and_writes_nothing(
    desk: Desk, newsroom: Newsroom, facts: dict[str, str], message: str
) -> None:
    incident = declare(desk)
    before = head(desk, incident)
    with pytest.raises(UsageError, match=message):
        newsroom.draft(incident, "holding-statement", "en", facts)
    assert head(desk, incident) == before
    state = desk.incident(incident)
    assert (state.facts, state.drafts) == (FACTS, {})


# --- versions ----------------------------------------------------------------------------------


def test_an_edit_saves_the_next_version_with_its_full_text_and_hash(
    desk: Desk, newsroom: Newsroom, journal: Journal, clock: Clock
) -> None:
    incident = declare(desk)
    first = newsroom.draft(incident, "holding-statement", "en").latest
    clock.advance(minutes=2)
    typed = "\n  " + first.text.replace("taken over", "hijacked") + "\n\n"
    second = newsroom.edit(incident, "D1", 1, typed)
    expected = typed.strip() + "\n"
    assert (second.number, second.text, second.source, second.by) == (2, expected, "edit", "ingrid")
    assert second.sha256 == hashlib.sha256(expected.encode("utf-8")).hexdigest()
    assert second.at == clock.now
    assert second.violations == ()
    event = list(journal.events(incident))[-1]
    assert (event.kind, event.text) == ("drafted", expected)
    assert event.data["version"] == 2 and event.data["sha256"] == second.sha256
    assert event.data["voids"] == 0
    third = newsroom.edit(incident, "D1", None, expected + "More soon.")
    draft = desk.incident(incident).drafts["D1"]
    assert [v.number for v in draft.versions] == [1, 2, 3]
    assert [v.text for v in draft.versions] == [first.text, expected, third.text]
    assert [v.source for v in draft.versions] == ["template", "edit", "edit"]
    assert draft.version(1) == first and draft.version(4) is None
    assert (draft.template, draft.locale, draft.channel) == ("holding-statement", "en", "web")


def test_an_edit_from_a_stale_version_is_refused_naming_the_current_one(
    desk: Desk, newsroom: Newsroom
) -> None:
    incident = declare(desk)
    text = newsroom.draft(incident, "holding-statement", "en").latest.text
    newsroom.edit(incident, "D1", 1, text + "Edited by Kari.")
    before = head(desk, incident)
    with pytest.raises(UsageError) as refused:
        newsroom.edit(incident, "D1", 1, text + "Edited by me.")
    assert str(refused.value) == (
        "D1 is at version 2 (saved by ingrid); you edited version 1: look at D1.2 and edit that"
    )
    assert head(desk, incident) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda text: text, "no change from D1.1"),
        (lambda text: "\n\n  " + text.strip() + "  \n\n", "no change from D1.1"),
        (lambda text: " \n\t ", "the text is empty"),
        (lambda text: "x" * (MAX_TEXT + 1), "the text is larger than 1 MiB"),
    ],
    ids=["same", "same-but-whitespace", "empty", "too-large"],
)
def test_an_edit_that_saves_nothing_new_is_refused(
    desk: Desk, newsroom: Newsroom, change: Callable[[str], str], message: str
) -> None:
    incident = declare(desk)
    text = newsroom.draft(incident, "holding-statement", "en").latest.text
    before = head(desk, incident)
    with pytest.raises(UsageError, match=message):
        newsroom.edit(incident, "D1", 1, change(text))
    assert head(desk, incident) == before


def test_the_rules_a_version_breaks_are_stored_with_it(desk: Desk, newsroom: Newsroom) -> None:
    incident = assessed(desk)
    text = newsroom.draft(incident, "holding-statement", "en").latest.text
    broken = newsroom.edit(
        incident, "D1", 1, text + "A former employee's weak password let them in. Ask Kari Solberg."
    )
    assert broken.violations == (
        "no-names: No names of individuals in public statements: remove 'Kari Solberg'",
        "no-entry-speculation: Do not say in public how the attacker got in before the "
        "after-action review: remove 'former employee', 'weak password'",
    )
    assert stage(desk, incident, "D1") == "blocked"
    bare = newsroom.edit(incident, "D1", 2, "We are working on it.")
    assert bare.violations == (
        "contact-point: A public statement says where people get updates or how to reach us: "
        "needs a web address or presse@havbris.example",
    )
    fixed = newsroom.edit(incident, "D1", 3, text)
    assert fixed.violations == ()
    assert stage(desk, incident, "D1") == "awaiting"
    draft = desk.incident(incident).drafts["D1"]
    assert [len(v.violations) for v in draft.versions] == [0, 2, 1, 0]  # history keeps them


# --- the approval chain ------------------------------------------------------------------------


def test_a_draft_that_breaks_a_rule_is_saved_but_cannot_be_approved(
    desk: Desk, newsroom: Newsroom, approvals: Approvals
) -> None:
    incident = assessed(desk)
    draft = newsroom.draft(incident, "holding-statement", "en", {"handle": "@havbris (phishing)"})
    assert draft.latest.violations == (
        "no-entry-speculation: Do not say in public how the attacker got in before the "
        "after-action review: remove 'phishing'",
    )
    assert stage(desk, incident, "D1") == "blocked"
    before = head(desk, incident)
    with pytest.raises(UsageError) as refused:
        approvals.approve(incident, "D1", "kari")
    assert str(refused.value) == (
        "D1.1 cannot go for approval: no-entry-speculation: Do not say in public how the "
        "attacker got in before the after-action review: remove 'phishing'"
    )
    with pytest.raises(UsageError, match="D1.1 breaks rules: no-entry-speculation"):
        approvals.publish(incident, "D1", "web")
    assert head(desk, incident) == before


def test_a_high_severity_statement_is_approved_by_comms_then_legal(
    desk: Desk, newsroom: Newsroom, approvals: Approvals, journal: Journal, clock: Clock
) -> None:
    incident = assessed(desk, "high")
    state = desk.incident(incident)
    assert approvals.required(state) == ("comms-lead", "legal")
    text = newsroom.draft(incident, "holding-statement", "en").latest.text
    assert stage(desk, incident, "D1") == "awaiting"
    clock.advance(minutes=5)
    draft = approvals.approve(incident, "D1", "kari", "  Fine by me  ")
    chain = draft.chain(("comms-lead", "legal"))
    assert (chain.next_role, chain.complete) == ("legal", False)
    kari = draft.verdicts[0]
    assert (kari.person, kari.role, kari.by, kari.comment) == (
        "kari",
        "comms-lead",
        "ingrid",
        "Fine by me",
    )
    assert (kari.version, kari.approved, kari.at) == (1, True, clock.now)
    assert kari.sha256 == digest(text) == hashlib.sha256(text.encode()).hexdigest()
    event = list(journal.events(incident))[-1]
    assert (event.kind, event.text) == ("approved", "Fine by me")
    assert event.data == {
        "draft": "D1",
        "version": 1,
        "sha256": digest(text),
        "person": "kari",
        "role": "comms-lead",
    }
    assert stage(desk, incident, "D1") == "awaiting"
    draft = approvals.approve(incident, "D1", "henrik", version=1)
    assert draft.chain(("comms-lead", "legal")).complete
    assert [(v.role, v.person) for v in draft.verdicts] == [
        ("comms-lead", "kari"),
        ("legal", "henrik"),
    ]
    assert stage(desk, incident, "D1") == "approved"
    before = head(desk, incident)
    with pytest.raises(UsageError, match="D1.1 is already fully approved"):
        approvals.approve(incident, "D1", "sofie")
    assert head(desk, incident) == before


@pytest.mark.parametrize(
    ("first", "second", "refusal"),
    [
        ("kari", "henrik", None),
        ("joost", "sofie", None),  # backups hold the roles as well
        ("kari", "sofie", None),
        ("henrik", None, "'henrik' does not hold 'comms-lead', the next approval"),  # out of order
        ("sofie", None, "'sofie' does not hold 'comms-lead', the next approval"),
        ("ingrid", None, "'ingrid' does not hold 'comms-lead', the next approval"),
        ("lars", None, "'lars' does not hold 'comms-lead'"),
        ("kari", "joost", "'joost' does not hold 'legal', the next approval"),
        ("kari", "kari", "'kari' does not hold 'legal', the next approval"),
        ("kari", "nobody", "'nobody' does not hold 'legal'"),
    ],
)
def test_each_approver_must_hold_the_next_role(
    desk: Desk,
    newsroom: Newsroom,
    approvals: Approvals,
    first: str,
    second: str | None,
    refusal: str | None,
) -> None:
    incident = assessed(desk, "high")
    newsroom.draft(incident, "holding-statement", "en")
    people = [p for p in (first, second) if p]
    for i, person in enumerate(people):
        last = i == len(people) - 1
        if last and refusal:
            before = head(desk, incident)
            with pytest.raises(UsageError, match=refusal):
                approvals.approve(incident, "D1", person)
            assert head(desk, incident) == before
        else:
            approvals.approve(incident, "D1", person)
    done = [(v.person, v.role) for v in desk.incident(incident).drafts["D1"].verdicts]
    expected = people if refusal is None else people[:-1]
    assert [person for person, _ in done] == expected
    assert stage(desk, incident, "D1") == ("approved" if refusal is None else "awaiting")


def test_one_person_cannot_approve_twice_even_holding_both_roles(
    root: Path, clock: Clock, tmp_path: Path
) -> None:
    edit(root / "contacts.yaml", "backups: [sofie]", "backups: [sofie, kari]")
    catalog = load_catalog(root, TODAY)
    assert catalog.errors == ()
    with Journal.open(tmp_path / "twice.db") as journal:
        desk = make_desk(catalog, journal, clock)
        approvals = Approvals(desk)
        incident = assessed(desk, "high")
        Newsroom(desk).draft(incident, "holding-statement", "en")
        approvals.approve(incident, "D1", "kari")
        before = head(desk, incident)
        with pytest.raises(UsageError) as refused:
            approvals.approve(incident, "D1", "kari")
        assert str(refused.value) == "'kari' has already approved D1; a second person must"
        assert head(desk, incident) == before
        approvals.approve(incident, "D1", "henrik")
        assert stage(desk, incident, "D1") == "approved"


def test_an_edit_voids_the_approvals_of_earlier_versions(
    desk: Desk, newsroom: Newsroom, approvals: Approvals, journal: Journal
) -> None:
    incident = assessed(desk, "high")
    text = newsroom.draft(incident, "holding-statement", "en").latest.text
    approvals.approve(incident, "D1", "kari")
    approvals.approve(incident, "D1", "henrik")
    assert stage(desk, incident, "D1") == "approved"
    newsroom.edit(incident, "D1", 1, text + "We will update this page hourly.")
    assert list(journal.events(incident))[-1].data["voids"] == 2
    draft = desk.incident(incident).drafts["D1"]
    chain = draft.chain(("comms-lead", "legal"))
    assert chain.approvals == (None, None)
    assert chain.next_role == "comms-lead"
    assert [(v.person, v.version) for v in draft.voided()] == [("kari", 1), ("henrik", 1)]
    assert stage(desk, incident, "D1") == "awaiting"
    before = head(desk, incident)
    with pytest.raises(UsageError, match="D1.2 is not fully approved; it waits for comms-lead"):
        approvals.publish(incident, "D1", "web")
    with pytest.raises(UsageError, match="D1 is now at version 2; read it before deciding on it"):
        approvals.approve(incident, "D1", "kari", version=1)
    assert head(desk, incident) == before
    draft = approvals.approve(incident, "D1", "kari", version=2)
    assert draft.verdicts[-1].version == 2
    old = draft.version(1)
    assert old is not None
    assert draft.verdicts[-1].sha256 == draft.latest.sha256 != old.sha256
    assert len(draft.voided()) == 2


def test_reverting_to_approved_words_still_needs_new_approvals(
    desk: Desk, newsroom: Newsroom, approvals: Approvals
) -> None:
    incident = assessed(desk, "high")
    text = newsroom.draft(incident, "holding-statement", "en").latest.text
    approve_all(approvals, incident, "D1", ["kari", "henrik"])
    newsroom.edit(incident, "D1", 1, text + "One more line.")
    reverted = newsroom.edit(incident, "D1", 2, text)
    assert (reverted.number, reverted.sha256) == (3, digest(text))
    draft = desk.incident(incident).drafts["D1"]
    assert draft.chain(("comms-lead", "legal")).approvals == (None, None)
    assert [v.version for v in draft.voided()] == [1, 1]
    assert stage(desk, incident, "D1") == "awaiting"


def test_an_approval_of_other_words_does_not_count(desk: Desk, newsroom: Newsroom) -> None:
    incident = assessed(desk, "high")
    newsroom.draft(incident, "holding-statement", "en")
    desk.record(
        incident,
        "approved",
        "",
        {
            "draft": "D1",
            "version": 1,
            "sha256": digest("other words\n"),
            "person": "kari",
            "role": "comms-lead",
        },
    )
    draft = desk.incident(incident).drafts["D1"]
    assert draft.chain(("comms-lead", "legal")).approvals == (None, None)
    assert stage(desk, incident, "D1") == "awaiting"


def test_raising_the_severity_mid_approval_adds_the_executive(
    desk: Desk, newsroom: Newsroom, approvals: Approvals
) -> None:
    incident = assessed(desk, "high")
    newsroom.draft(incident, "holding-statement", "en")
    approve_all(approvals, incident, "D1", ["kari", "henrik"])
    assert stage(desk, incident, "D1") == "approved"
    desk.override(incident, "critical", "A journalist is asking about the posts")
    state = desk.incident(incident)
    assert approvals.required(state) == ("comms-lead", "legal", "executive")
    chain = state.drafts["D1"].chain(approvals.required(state))
    assert chain.next_role == "executive"
    assert [a.person if a else None for a in chain.approvals] == ["kari", "henrik", None]
    assert stage(desk, incident, "D1") == "awaiting"
    assert [d.next_role for d in current(desk, incident).awaiting] == ["executive"]
    with pytest.raises(UsageError, match="D1.1 is not fully approved; it waits for executive"):
        approvals.publish(incident, "D1", "web")
    with pytest.raises(UsageError, match="'kari' does not hold 'executive'"):
        approvals.approve(incident, "D1", "kari")
    approvals.approve(incident, "D1", "astrid")  # the executive's backup
    assert stage(desk, incident, "D1") == "approved"
    desk.override(incident, "moderate", "Contained")
    assert approvals.required(desk.incident(incident)) == ("comms-lead",)
    assert stage(desk, incident, "D1") == "approved"


@pytest.mark.parametrize(
    ("level", "chain"),
    [
        ("low", ("comms-lead",)),
        ("moderate", ("comms-lead",)),
        ("high", ("comms-lead", "legal")),
        ("critical", ("comms-lead", "legal", "executive")),
    ],
)
def test_the_severity_decides_who_approves(desk: Desk, level: str, chain: tuple[str, ...]) -> None:
    incident = assessed(desk, level)
    assert Approvals(desk).required(desk.incident(incident)) == chain
    assert current(desk, incident).approvals == chain


def test_a_rejection_sends_the_draft_back_for_a_new_version(
    desk: Desk, newsroom: Newsroom, approvals: Approvals, journal: Journal
) -> None:
    incident = assessed(desk, "high")
    text = newsroom.draft(incident, "holding-statement", "en").latest.text
    approvals.approve(incident, "D1", "kari")
    draft = approvals.reject(
        incident, "D1", "sofie", "  Do not promise to report it to the police  "
    )
    rejection = draft.rejection()
    assert rejection is not None
    assert (rejection.person, rejection.role, rejection.approved) == ("sofie", "legal", False)
    assert rejection.comment == "Do not promise to report it to the police"
    assert rejection.sha256 == digest(text)
    event = list(journal.events(incident))[-1]
    assert (event.kind, event.text) == ("rejected", "Do not promise to report it to the police")
    assert stage(desk, incident, "D1") == "rejected"
    before = head(desk, incident)
    attempts: list[tuple[Callable[[], object], str]] = [
        (
            lambda: approvals.approve(incident, "D1", "henrik"),
            "D1.1 was rejected; save a new version first",
        ),
        (
            lambda: approvals.reject(incident, "D1", "henrik", "Also no"),
            "D1.1 was rejected; save a new version first",
        ),
        (
            lambda: approvals.publish(incident, "D1", "web"),
            "D1.1 was rejected; save a new version and have it approved",
        ),
    ]
    for refused, message in attempts:
        with pytest.raises(UsageError, match=message):
            refused()
    assert head(desk, incident) == before
    newsroom.edit(incident, "D1", 1, text.replace(" and report it to the police", ""))
    assert desk.incident(incident).drafts["D1"].rejection() is None
    assert stage(desk, incident, "D1") == "awaiting"
    approve_all(approvals, incident, "D1", ["kari", "sofie"])
    assert stage(desk, incident, "D1") == "approved"


@pytest.mark.parametrize(
    ("person", "reason", "message"),
    [
        ("henrik", "", "a rejection needs a written --reason"),
        ("henrik", " \n ", "a rejection needs a written --reason"),
        ("ingrid", "No", "'ingrid' holds none of the approving roles (comms-lead, legal)"),
        ("lars", "No", "'lars' holds none of the approving roles (comms-lead, legal)"),
    ],
)
def test_a_rejection_needs_a_reason_and_an_approver(
    desk: Desk, newsroom: Newsroom, approvals: Approvals, person: str, reason: str, message: str
) -> None:
    incident = assessed(desk, "high")
    newsroom.draft(incident, "holding-statement", "en")
    before = head(desk, incident)
    with pytest.raises(UsageError) as refused:
        approvals.reject(incident, "D1", person, reason)
    assert str(refused.value) == message
    assert head(desk, incident) == before


def test_an_internal_draft_needs_no_approval(
    desk: Desk, newsroom: Newsroom, approvals: Approvals
) -> None:
    incident = declare(desk)  # not even assessed
    draft = newsroom.draft(incident, "internal-note", "nb")
    assert draft.audience == "internal" and not draft.needs_approval
    assert stage(desk, incident, "D1") == "ready"
    before = head(desk, incident)
    with pytest.raises(UsageError, match="D1 is for the internal audience and needs no approval"):
        approvals.approve(incident, "D1", "kari")
    with pytest.raises(UsageError, match="needs no approval"):
        approvals.reject(incident, "D1", "kari", "No")
    assert head(desk, incident) == before
    published = approvals.publish(incident, "D1", "internal")
    assert (published.channel, published.text, published.override) == (
        "internal",
        draft.latest.text,
        "",
    )
    assert stage(desk, incident, "D1") == "published"
    whats = [d.what for d in current(desk, incident).deadlines]
    assert "first public statement" not in whats and "public update" not in whats


# --- publishing --------------------------------------------------------------------------------


def test_a_statement_is_published_only_once_fully_approved_and_as_approved(
    desk: Desk, newsroom: Newsroom, approvals: Approvals, journal: Journal, clock: Clock
) -> None:
    incident = assessed(desk, "high")
    text = newsroom.draft(incident, "holding-statement", "en").latest.text
    before = head(desk, incident)
    with pytest.raises(UsageError, match="D1.1 is not fully approved; it waits for comms-lead"):
        approvals.publish(incident, "D1", "web")
    approvals.approve(incident, "D1", "kari")
    with pytest.raises(UsageError, match="D1.1 is not fully approved; it waits for legal"):
        approvals.publish(incident, "D1", "web")
    after = head(desk, incident)
    assert before is not None and after is not None
    assert after[0] == before[0] + 1  # only the approval was written
    approvals.approve(incident, "D1", "henrik")
    clock.advance(minutes=9)
    url = "https://havbris.example/status/hijack"
    published = approvals.publish(incident, "D1", "web", url)
    draft = desk.incident(incident).drafts["D1"]
    assert published.text == text == draft.latest.text
    assert published.sha256 == digest(text) == draft.verdicts[0].sha256 == draft.verdicts[1].sha256
    assert (published.channel, published.url, published.version, published.override) == (
        "web",
        url,
        1,
        "",
    )
    assert (published.at, published.by) == (clock.now, "ingrid")
    assert draft.published() == published
    assert stage(desk, incident, "D1") == "published"
    event = list(journal.events(incident))[-1]
    assert (event.kind, event.text) == ("published", text)
    assert event.data == {
        "draft": "D1",
        "version": 1,
        "sha256": digest(text),
        "channel": "web",
        "url": url,
        "override": None,
    }
    before = head(desk, incident)
    with pytest.raises(UsageError, match="D1.1 is already published on web"):
        approvals.publish(incident, "D1", "web")
    with pytest.raises(UsageError, match="D1.1 is already fully approved"):
        approvals.approve(incident, "D1", "sofie")
    assert head(desk, incident) == before
    again = approvals.publish(incident, "D1", "facebook")  # the same approved words elsewhere
    assert again.text == text
    assert [p.channel for p in desk.incident(incident).drafts["D1"].publications] == [
        "web",
        "facebook",
    ]


@pytest.mark.parametrize("override", ["", "Attacker is posting scam links right now"])
def test_a_text_over_280_is_never_published_on_x(
    desk: Desk, newsroom: Newsroom, approvals: Approvals, override: str
) -> None:
    incident = assessed(desk, "high")
    newsroom.draft(incident, "holding-statement", "en")
    approve_all(approvals, incident, "D1", ["kari", "henrik"])
    long = newsroom.draft(incident, "social-post", "en", {"handle": "@" + "h" * 100})
    assert long.latest.violations == (
        "limit: 307 characters, over the x limit of 280 (a link counts as 23)",
    )
    before = head(desk, incident)
    with pytest.raises(UsageError, match=r"\d+ characters do not fit the x limit of 280"):
        approvals.publish(incident, "D1", "x", override=override)
    with pytest.raises(UsageError, match="307 characters do not fit the x limit of 280"):
        approvals.publish(incident, "D2", "x", override=override)
    with pytest.raises(UsageError, match="characters do not fit the sms limit of 160"):
        approvals.publish(incident, "D1", "sms", override=override)
    assert head(desk, incident) == before


def test_a_short_post_on_x_counts_its_link_as_23(
    desk: Desk, newsroom: Newsroom, approvals: Approvals
) -> None:
    long_link = "https://havbris.example/status/" + "x" * 200
    incident = assessed(
        desk, "moderate", platform="Instagram", handle="@havbris", updates=long_link
    )
    draft = newsroom.draft(incident, "social-post", "en")
    assert len(draft.latest.text.strip()) > 280
    assert draft.latest.violations == ()
    approvals.approve(incident, "D1", "kari")
    assert approvals.publish(incident, "D1", "x").text == draft.latest.text


def test_a_public_draft_cannot_be_published_before_the_severity_is_assessed(
    desk: Desk, newsroom: Newsroom, approvals: Approvals
) -> None:
    incident = declare(desk)
    newsroom.draft(incident, "holding-statement", "en")
    assert approvals.required(desk.incident(incident)) is None
    before = head(desk, incident)
    message = "assess the severity first: it decides who must approve"
    with pytest.raises(UsageError, match=message):
        approvals.publish(incident, "D1", "web")
    with pytest.raises(UsageError, match=message):
        approvals.approve(incident, "D1", "kari")
    with pytest.raises(UsageError, match=message):
        approvals.reject(incident, "D1", "kari", "No")
    assert head(desk, incident) == before
    desk.assess(incident, {"control": "full"})
    approvals.approve(incident, "D1", "kari")  # low: the comms lead alone
    assert approvals.publish(incident, "D1", "web").channel == "web"


def test_an_emergency_override_publishes_without_approvals_and_is_reported(
    desk: Desk, newsroom: Newsroom, approvals: Approvals, clock: Clock
) -> None:
    incident = assessed(desk, "critical")
    text = newsroom.draft(incident, "holding-statement", "en").latest.text
    approvals.approve(incident, "D1", "kari")
    before = head(desk, incident)
    with pytest.raises(UsageError, match="an emergency override needs a written reason"):
        approvals.publish(incident, "D1", "web", override=" \n ")  # a blank reason is no reason
    with pytest.raises(UsageError, match="D1.1 is not fully approved; it waits for legal"):
        approvals.publish(incident, "D1", "web")
    assert head(desk, incident) == before
    clock.advance(minutes=4)
    reason = "Followers are losing money now; legal and the CEO are unreachable"
    published = approvals.publish(incident, "D1", "web", override=f"  {reason} ")
    assert (published.override, published.text, published.at) == (reason, text, clock.now)
    assert stage(desk, incident, "D1") == "published"
    now = clock.advance(minutes=1)
    shown = current(desk, incident, now)
    assert shown.overrides == (published,)
    data = as_json(shown, now)
    assert data["emergency_overrides"] == [
        {"at": published.at.isoformat(), "channel": "web", "reason": reason, "by": "ingrid"}
    ]
    assert data["drafts"][0]["stage"] == "published"
    assert data["drafts"][0]["approved_by"] == [{"role": "comms-lead", "person": "kari"}]
    first = next(d for d in shown.deadlines if d.what == "first public statement")
    assert first.met_at == published.at


def test_an_override_skips_the_stage_checks_but_is_still_recorded_as_one(
    desk: Desk, newsroom: Newsroom, approvals: Approvals
) -> None:
    incident = assessed(desk, "high")
    text = newsroom.draft(incident, "holding-statement", "en").latest.text
    newsroom.edit(incident, "D1", 1, text + "It was phishing.")  # blocked
    newsroom.draft(incident, "holding-statement", "nb")
    approvals.reject(incident, "D2", "henrik", "Wait for the police report")  # rejected
    assert [stage(desk, incident, d) for d in ("D1", "D2")] == ["blocked", "rejected"]
    for draft in ("D1", "D2"):
        published = approvals.publish(incident, draft, "web", override="People are losing money")
        assert published.override == "People are losing money"
    assert [p.override for p in current(desk, incident).overrides] == [
        "People are losing money"
    ] * 2


def test_approved_publications_are_not_overrides(
    desk: Desk, newsroom: Newsroom, approvals: Approvals
) -> None:
    incident = assessed(desk, "moderate")
    newsroom.draft(incident, "holding-statement", "en")
    approvals.approve(incident, "D1", "joost")
    approvals.publish(incident, "D1", "web")
    shown = current(desk, incident)
    assert shown.overrides == ()
    assert as_json(shown, START)["emergency_overrides"] == []


# --- status ------------------------------------------------------------------------------------


def test_the_first_public_statement_and_the_update_cadence(
    desk: Desk, newsroom: Newsroom, approvals: Approvals, clock: Clock
) -> None:
    incident = assessed(desk, "high")
    newsroom.draft(incident, "holding-statement", "en")
    newsroom.draft(incident, "internal-note", "en")
    approve_all(approvals, incident, "D1", ["kari", "henrik"])

    def deadlines() -> dict[str, tuple[datetime, datetime | None]]:
        shown = current(desk, incident)
        return {
            d.what: (d.due, d.met_at)
            for d in shown.deadlines
            if "statement" in d.what or "update" in d.what
        }

    assert deadlines() == {"first public statement": (AWARE + timedelta(hours=1), None)}
    clock.advance(minutes=10)
    approvals.publish(incident, "D2", "internal")  # internal news is not a public statement
    assert deadlines() == {"first public statement": (AWARE + timedelta(hours=1), None)}
    first = clock.advance(minutes=30)
    approvals.publish(incident, "D1", "web")
    assert deadlines() == {
        "first public statement": (AWARE + timedelta(hours=1), first),
        "public update": (first + timedelta(hours=2), None),
    }
    overdue = current(desk, incident, first + timedelta(hours=3))
    assert "public update" in [d.what for d in overdue.overdue]
    assert "first public statement" not in [d.what for d in overdue.pending]
    text = desk.incident(incident).drafts["D1"].latest.text
    newsroom.edit(incident, "D1", 1, text + "Update: the account is back.")
    approve_all(approvals, incident, "D1", ["kari", "henrik"])
    second = clock.advance(hours=1)
    approvals.publish(incident, "D1", "web")
    assert deadlines() == {
        "first public statement": (AWARE + timedelta(hours=1), first),
        "public update": (second + timedelta(hours=2), None),
    }
    desk.close(incident, "Account recovered", {})
    assert "public update" not in deadlines()


def test_status_counts_the_drafts_awaiting_approval(
    desk: Desk, newsroom: Newsroom, approvals: Approvals
) -> None:
    incident = assessed(desk, "high")
    newsroom.draft(incident, "holding-statement", "en")  # D1 awaiting comms-lead
    newsroom.draft(incident, "holding-statement", "nb")  # D2 awaiting legal
    approvals.approve(incident, "D2", "kari")
    newsroom.draft(incident, "internal-note", "en")  # D3 ready
    newsroom.draft(incident, "social-post", "en")  # D4 approved
    approve_all(approvals, incident, "D4", ["joost", "sofie"])
    text = newsroom.draft(incident, "social-post", "nb").latest.text  # D5 blocked
    newsroom.edit(incident, "D5", 1, text + " Tidligere ansatt.")
    newsroom.draft(incident, "holding-statement", "en")  # D6 rejected
    approvals.reject(incident, "D6", "kari", "Too long")
    shown = current(desk, incident)
    assert [(d.id, d.stage, d.next_role) for d in shown.drafts] == [
        ("D1", "awaiting", "comms-lead"),
        ("D2", "awaiting", "legal"),
        ("D3", "ready", None),
        ("D4", "approved", None),
        ("D5", "blocked", "comms-lead"),
        ("D6", "rejected", "comms-lead"),
    ]
    assert [d.id for d in shown.awaiting] == ["D1", "D2"]
    assert shown.drafts[3].approved_by == (("comms-lead", "joost"), ("legal", "sofie"))
    assert (shown.drafts[4].version, shown.drafts[4].locale) == (2, "nb")
    data = as_json(shown, START)
    assert [d["stage"] for d in data["drafts"]] == [d.stage for d in shown.drafts]
    assert data["approvals_required"] == ["comms-lead", "legal"]


def test_a_public_draft_is_not_shown_as_approved_before_the_severity_is_assessed(
    desk: Desk, newsroom: Newsroom
) -> None:
    incident = declare(desk)
    newsroom.draft(incident, "holding-statement", "en")
    newsroom.draft(incident, "internal-note", "en")
    shown = current(desk, incident)
    assert [(d.id, d.stage) for d in shown.drafts] == [("D1", "awaiting"), ("D2", "ready")]
    assert [d.id for d in shown.awaiting] == ["D1"]
    assert shown.approvals == ()
    assert as_json(shown, START)["drafts"][0]["stage"] == "awaiting"


# --- every refusal writes nothing --------------------------------------------------------------


@dataclass(frozen=True)
class Scene:
    """A high-severity incident with drafts at every stage."""

    desk: Desk
    newsroom: Newsroom
    approvals: Approvals
    incident: str


@pytest.fixture
def scene(desk: Desk, newsroom: Newsroom, approvals: Approvals) -> Scene:
    incident = assessed(desk, "high")
    newsroom.draft(incident, "holding-statement", "en")  # D1: awaiting comms-lead
    newsroom.draft(incident, "internal-note", "en")  # D2: ready
    post = newsroom.draft(incident, "social-post", "en").latest.text  # D3: blocked at version 2
    newsroom.edit(incident, "D3", 1, post + " It was phishing.")
    newsroom.draft(incident, "holding-statement", "nb")  # D4: rejected
    approvals.reject(incident, "D4", "henrik", "Not yet")
    newsroom.draft(incident, "holding-statement", "en")  # D5: published on web
    approve_all(approvals, incident, "D5", ["kari", "henrik"])
    approvals.publish(incident, "D5", "web")
    assert [stage(desk, incident, f"D{i}") for i in range(1, 6)] == [
        "awaiting",
        "ready",
        "blocked",
        "rejected",
        "published",
    ]
    return Scene(desk, newsroom, approvals, incident)


Action = Callable[[Newsroom, Approvals, str], object]
REFUSALS: list[tuple[str, Action, str]] = [
    (
        "unknown-template",
        lambda n, a, i: n.draft(i, "holding"),
        "unknown template 'holding'; valid: holding-statement, internal-note, social-post",
    ),
    (
        "unknown-locale",
        lambda n, a, i: n.draft(i, "holding-statement", "sv"),
        "has no 'sv' text; it has en, nb",
    ),
    (
        "unknown-fact",
        lambda n, a, i: n.draft(i, "holding-statement", "en", {"handle": "@n", "platfrom": "X"}),
        "unknown fact 'platfrom'",
    ),
    (
        "empty-fact",
        lambda n, a, i: n.draft(i, "holding-statement", "en", {"handle": " "}),
        "fact 'handle' is empty",
    ),
    ("no-facts", lambda n, a, i: n.facts(i, {}), "give at least one fact"),
    ("facts-unknown", lambda n, a, i: n.facts(i, {"handle": "@n", "x": "y"}), "unknown fact 'x'"),
    ("edit-unknown-draft", lambda n, a, i: n.edit(i, "D9", None, "x"), "no draft 'D9' in"),
    (
        "edit-stale",
        lambda n, a, i: n.edit(i, "D3", 1, "new"),
        "D3 is at version 2 (saved by ingrid); you edited version 1",
    ),
    ("edit-empty", lambda n, a, i: n.edit(i, "D1", 1, "\n"), "the text is empty"),
    (
        "approve-out-of-order",
        lambda n, a, i: a.approve(i, "D1", "henrik"),
        "'henrik' does not hold 'comms-lead', the next approval",
    ),
    (
        "approve-not-a-holder",
        lambda n, a, i: a.approve(i, "D1", "ingrid"),
        "'ingrid' does not hold 'comms-lead'",
    ),
    (
        "approve-stale",
        lambda n, a, i: a.approve(i, "D3", "kari", version=1),
        "D3 is now at version 2; read it before deciding on it",
    ),
    ("approve-internal", lambda n, a, i: a.approve(i, "D2", "kari"), "needs no approval"),
    (
        "approve-blocked",
        lambda n, a, i: a.approve(i, "D3", "kari"),
        "D3.2 cannot go for approval: no-entry-speculation",
    ),
    (
        "approve-rejected",
        lambda n, a, i: a.approve(i, "D4", "kari"),
        "D4.1 was rejected; save a new version first",
    ),
    (
        "approve-published",
        lambda n, a, i: a.approve(i, "D5", "sofie"),
        "D5.1 is already fully approved",
    ),
    ("approve-unknown-draft", lambda n, a, i: a.approve(i, "D7", "kari"), "no draft 'D7' in"),
    (
        "reject-no-reason",
        lambda n, a, i: a.reject(i, "D1", "henrik", " "),
        "a rejection needs a written --reason",
    ),
    (
        "reject-not-an-approver",
        lambda n, a, i: a.reject(i, "D1", "ingrid", "No"),
        "'ingrid' holds none of the approving roles",
    ),
    (
        "reject-rejected",
        lambda n, a, i: a.reject(i, "D4", "kari", "No"),
        "D4.1 was rejected; save a new version first",
    ),
    (
        "publish-unapproved",
        lambda n, a, i: a.publish(i, "D1", "web"),
        "D1.1 is not fully approved; it waits for comms-lead",
    ),
    (
        "publish-blank-override",
        lambda n, a, i: a.publish(i, "D1", "web", override="  "),
        "an emergency override needs a written reason",
    ),
    (
        "publish-blocked",
        lambda n, a, i: a.publish(i, "D3", "x"),
        "D3.2 breaks rules: no-entry-speculation",
    ),
    ("publish-rejected", lambda n, a, i: a.publish(i, "D4", "web"), "D4.1 was rejected"),
    (
        "publish-twice",
        lambda n, a, i: a.publish(i, "D5", "web"),
        "D5.1 is already published on web",
    ),
    (
        "publish-too-long-for-x",
        lambda n, a, i: a.publish(i, "D5", "x"),
        "do not fit the x limit of 280",
    ),
    (
        "publish-too-long-overridden",
        lambda n, a, i: a.publish(i, "D5", "sms", override="now"),
        "do not fit the sms limit of 160",
    ),
    (
        "publish-unknown-channel",
        lambda n, a, i: a.publish(i, "D5", "twitter"),
        "unknown channel 'twitter'",
    ),
    (
        "publish-bad-url",
        lambda n, a, i: a.publish(i, "D5", "facebook", "havbris.example/s"),
        "--url: 'havbris.example/s' is not a web address",
    ),
    ("publish-unknown-draft", lambda n, a, i: a.publish(i, "D7", "web"), "no draft 'D7' in"),
    (
        "unknown-incident",
        lambda n, a, i: a.publish("INC-NOPE", "D1", "web"),
        "no incident 'INC-NOPE'",
    ),
]


@pytest.mark.parametrize(
    ("action", "message"), [pytest.param(a, m, id=name) for name, a, m in REFUSALS]
)
def test_every_refusal_writes_nothing(scene: Scene, action: Action, message: str) -> None:
    desk, incident = scene.desk, scene.incident
    before = (head(desk, incident), desk.incident(incident))
    with pytest.raises(UsageError) as refused:
        action(scene.newsroom, scene.approvals, incident)
    assert message in str(refused.value)
    assert (head(desk, incident), desk.incident(incident)) == before
    assert desk.journal.incidents() == [incident]


class Interleaving:
    """The desk's journal, where another terminal appends a note just before our next write."""

    def __init__(self, mine: Journal, theirs: Journal) -> None:
        self.mine = mine
        self.theirs = theirs
        self.armed = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.mine, name)

    def append_many(
        self, incident: str, entries: Iterable[Entry], *, after: int | None = None
    ) -> Any:
        if self.armed:
            self.armed = False
            self.theirs.append(
                incident,
                kind="note",
                text="from another terminal",
                data={},
                actor="kari",
                tz="Europe/Oslo",
                ts=START,
            )
        return self.mine.append_many(incident, entries, after=after)


DECISIONS: list[tuple[str, Action]] = [
    ("draft", lambda n, a, i: n.draft(i, "social-post")),
    ("draft-with-facts", lambda n, a, i: n.draft(i, "social-post", "en", {"handle": "@new"})),
    ("edit", lambda n, a, i: n.edit(i, "D1", 1, "Updates at https://havbris.example/s")),
    ("facts", lambda n, a, i: n.facts(i, {"handle": "@new"})),
    ("approve", lambda n, a, i: a.approve(i, "D1", "kari")),
    ("reject", lambda n, a, i: a.reject(i, "D1", "kari", "No")),
    ("publish", lambda n, a, i: a.publish(i, "D2", "web")),
]


@pytest.mark.parametrize("action", [pytest.param(a, id=name) for name, a in DECISIONS])
def test_a_decision_on_what_someone_else_has_since_changed_is_refused(
    tmp_path: Path, clock: Clock, action: Action
) -> None:
    path = tmp_path / "shared.db"
    with Journal.open(path) as mine, Journal.open(path) as theirs:
        store = Interleaving(mine, theirs)
        desk = make_desk(CATALOG, store, clock)
        newsroom, approvals = Newsroom(desk), Approvals(desk)
        incident = assessed(desk, "high")
        newsroom.draft(incident, "holding-statement", "en")
        newsroom.draft(incident, "holding-statement", "nb")
        approve_all(approvals, incident, "D2", ["kari", "henrik"])
        seen = desk.incident(incident)
        store.armed = True
        with pytest.raises(Conflict, match="changed while you were deciding"):
            action(newsroom, approvals, incident)
        after = desk.incident(incident)
        assert after.head[0] == seen.head[0] + 1  # their note, and nothing of ours
        assert [n.text for n in after.notes] == ["from another terminal"]
        assert (after.facts, after.drafts) == (seen.facts, seen.drafts)
        action(newsroom, approvals, incident)  # having read their change, it goes through
        assert desk.incident(incident).head[0] > after.head[0]


def test_a_closed_incident_takes_no_drafting_actions(scene: Scene) -> None:
    desk, incident, n, a = scene.desk, scene.incident, scene.newsroom, scene.approvals
    desk.close(incident, "Account recovered", {})
    before = head(desk, incident)
    actions: list[Callable[[], object]] = [
        lambda: n.draft(incident, "holding-statement", "en"),
        lambda: n.edit(incident, "D1", 1, "New text at https://havbris.example"),
        lambda: n.facts(incident, {"handle": "@new"}),
        lambda: a.approve(incident, "D1", "kari"),
        lambda: a.reject(incident, "D1", "kari", "No"),
        lambda: a.publish(incident, "D2", "internal"),
    ]
    for action in actions:
        with pytest.raises(UsageError, match=f"incident {incident} is closed"):
            action()
    assert head(desk, incident) == before
    assert n.preview(incident, "holding-statement").text  # reading still works


@pytest.mark.parametrize(
    ("channel", "allowed"), [("internal", True), ("email", True), ("web", False), ("x", False)]
)
def test_an_internal_draft_never_goes_out_on_a_public_channel(
    journal: Journal, clock: Clock, channel: str, allowed: bool
) -> None:
    desk = make_desk(CATALOG, journal, clock)
    incident = declare(desk)
    Newsroom(desk).draft(incident, "internal-note", "en")
    head = journal.head(incident)
    if allowed:
        Approvals(desk).publish(incident, "D1", channel)
        assert journal.head(incident) != head
    else:
        with pytest.raises(UsageError, match="never approved for"):
            Approvals(desk).publish(incident, "D1", channel, override="urgent")
        assert journal.head(incident) == head


def test_one_override_is_no_permission_to_publish_again_elsewhere(
    desk: Desk, newsroom: Newsroom, approvals: Approvals
) -> None:
    incident = assessed(desk, "critical")
    newsroom.draft(incident, "holding-statement", "en")
    approvals.publish(incident, "D1", "web", override="Scam links live and legal unreachable")
    before = head(desk, incident)
    with pytest.raises(UsageError, match="not fully approved; it waits for comms-lead"):
        approvals.publish(incident, "D1", "linkedin")
    assert head(desk, incident) == before
    again = approvals.publish(incident, "D1", "linkedin", override="Still no approver reachable")
    assert again.override == "Still no approver reachable"
    assert len(current(desk, incident).overrides) == 2


def test_a_severity_raise_after_publication_needs_the_new_approvals_before_the_next(
    desk: Desk, newsroom: Newsroom, approvals: Approvals
) -> None:
    incident = assessed(desk, "moderate")
    newsroom.draft(incident, "holding-statement", "en")
    approvals.approve(incident, "D1", "kari")
    approvals.publish(incident, "D1", "web")
    desk.override(incident, "critical", "A journalist is asking")
    with pytest.raises(UsageError, match="it waits for legal"):
        approvals.publish(incident, "D1", "facebook")
    approvals.approve(incident, "D1", "henrik")
    approvals.approve(incident, "D1", "lars")
    assert approvals.publish(incident, "D1", "facebook").channel == "facebook"


def test_publishing_pins_the_version_read(
    desk: Desk, newsroom: Newsroom, approvals: Approvals
) -> None:
    incident = assessed(desk, "low")
    text = newsroom.draft(incident, "holding-statement", "en").latest.text
    approvals.approve(incident, "D1", "kari")
    newsroom.edit(incident, "D1", 1, text + "\nMore soon.")
    with pytest.raises(UsageError, match="D1 is now at version 2, not 1"):
        approvals.publish(incident, "D1", "web", version=1)
