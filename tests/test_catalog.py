"""Loading and cross-checking a whole set: every problem with its file, line, column and field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from crisis.catalog import load_catalog
from crisis.problems import Problem
from crisis.root import find_root

from .conftest import REPO, TODAY, edit

HIJACK = "playbooks/account-hijack.yaml"
SCALE = "playbooks/scale.yaml"
CONTACTS = "contacts.yaml"


def problems_of(root: Path, today: date = TODAY) -> list[Problem]:
    return list(load_catalog(root, today).problems)


def line_of(path: Path, text: str) -> int:
    """The 1-based line where `text` last appears."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return max(number for number, line in enumerate(lines, 1) if text in line)


def test_the_bundled_set_is_clean() -> None:
    catalog = load_catalog(REPO, TODAY)
    assert [str(p) for p in catalog.problems] == []
    assert len(catalog.playbooks) >= 6
    assert catalog.scale is not None and len(catalog.scale.value.levels) == 4


def test_the_bundled_set_covers_the_required_crises_and_languages() -> None:
    catalog = load_catalog(REPO, TODAY)
    ids = {source.value.id for source in catalog.playbooks}
    assert {
        "account-hijack",
        "complaint-storm",
        "data-exposure",
        "employee-leak",
        "impersonation",
        "staff-threats",
    } <= ids
    every_locale = set()
    for source in catalog.playbooks:
        templates = {t.id: set(t.files) for t in source.value.templates}
        for needed in ("holding-statement", "social-post", "internal-note"):
            assert {"en", "nb"} <= templates[needed], (source.value.id, needed)
        every_locale |= set().union(*templates.values())
    assert {"da", "sv", "nl"} <= every_locale
    assert "gdpr-art33" in catalog.playbook("data-exposure").clocks
    assert catalog.contacts is not None
    roles = set(catalog.contacts.value.roles)
    assert {
        "social-media",
        "comms-lead",
        "legal",
        "security",
        "hr",
        "customer-service",
        "dpo",
        "executive",
    } <= roles


# (file, text to replace, replacement, expected "field: message" in the problem at that line)
MUTATIONS = [
    (
        HIJACK,
        "owner: security\n",
        "owner: securty\n",
        "owner: unknown role 'securty'; did you mean 'security'?",
    ),
    (
        HIJACK,
        "review_every: 365d",
        "review_every: 365 days",
        "review_every: '365 days' is not a duration of days, hours and minutes",
    ),
    (
        HIJACK,
        "reviewed: 2026-11-01",
        "reviewed: 2026-02-30",
        "reviewed: '2026-02-30' is not a real calendar date",
    ),
    (
        HIJACK,
        "clocks: [gdpr-art33]",
        "clocks: [gdpr-art34]",
        "clocks[0]: expected one of gdpr-art33, nis2, sec-8k, got text; did you mean 'gdpr-art33'?",
    ),
    (HIJACK, "    channel: web", "    channel: website", "channel: expected one of x, facebook"),
    (
        HIJACK,
        "review_every: 365d",
        "review_every: 365d\nsummry: x",
        "summry: unknown key 'summry'; did you mean 'summary'?",
    ),
    (HIJACK, "    type: yes-no", "    type: yesno", "type: expected one of yes-no, choice, number"),
    (
        HIJACK,
        "if_yes: {floor: high,",
        "if_yes: {floor: hihg,",
        "questions[0].if_yes.floor: unknown severity level 'hihg'; did you mean 'high'?",
    ),
    (
        HIJACK,
        "    notify: [social-media, security]",
        "    notify: [social-media, securiti]",
        "levels.low.notify[1]: unknown role 'securiti'; did you mean 'security'?",
    ),
    (HIJACK, "  low:\n", "  lowest:\n", "levels.lowest: unknown severity level 'lowest'"),
    (
        HIJACK,
        "needs: [platform, handle, updates]",
        "needs: [platform, handle, update]",
        "templates[0].needs[2]: unknown fact 'update'; did you mean 'updates'?",
    ),
    (
        HIJACK,
        "en: account-hijack/holding-statement.en.j2",
        "en: account-hijack/missing.en.j2",
        "templates[0].files.en: template file 'account-hijack/missing.en.j2' does not exist",
    ),
    (
        HIJACK,
        "en: account-hijack/holding-statement.en.j2",
        "en: ../../etc/passwd",
        "is outside the playbooks directory",
    ),
    (
        HIJACK,
        "id: account-hijack",
        "id: hijack",
        "id: id 'hijack' differs from the file name 'account-hijack'; use 'account-hijack'",
    ),
    (HIJACK, "  platform:\n", "  org:\n", "facts.org: 'org' is reserved for templates"),
    (
        HIJACK,
        "  platform:\n",
        "  plat-form:\n",
        "facts.plat-form: 'plat-form' is not a fact id of lower-case letters, digits and '_'",
    ),
    (
        HIJACK,
        "title: Hijacked corporate social media account\n",
        "",
        ": required key 'title' is missing",
    ),
    (
        CONTACTS,
        "primary: henrik",
        "primary: henrk",
        "roles.legal.primary: unknown person 'henrk'; did you mean 'henrik'?",
    ),
    (
        CONTACTS,
        "backups: [emma, mads]",
        "backups: [emma, mdas]",
        "roles.social-media.backups[1]: unknown person 'mdas'; did you mean 'mads'?",
    ),
    (
        CONTACTS,
        'phones: ["+4791234567"]',
        "phones: [+47 912 34 567]",
        "people.ingrid.phones[0]: '+47 912 34 567' is not an E.164 phone number",
    ),
    (
        CONTACTS,
        'phones: ["+4791234567"]',
        "phones: [4791234567]",
        "people.ingrid.phones[0]: expected an E.164 phone number",
    ),
    (
        CONTACTS,
        "timezone: Europe/Oslo",
        "timezone: Europe/Olso",
        "people.ingrid.timezone: 'Europe/Olso' is not an IANA time zone name",
    ),
    (
        CONTACTS,
        "email: ingrid.halvorsen@havbris.example",
        "email: ingrid",
        "people.ingrid.email: 'ingrid' is not an e-mail address",
    ),
    (CONTACTS, "  ingrid:\n", "  Ingrid:\n", "people.Ingrid: 'Ingrid' is not an id"),
    (
        CONTACTS,
        "backups: [joost]",
        "backups: [kari]",
        "roles.comms-lead.backups[0]: duplicate person in this role 'kari'",
    ),
    (SCALE, "    colour: red", "    colour: rouge", "levels[3].colour: expected one of green"),
    (
        SCALE,
        "approvals: [comms-lead, legal, executive]",
        "approvals: [comms-lead, legal, ceo]",
        "levels[3].approvals[2]: unknown role 'ceo'",
    ),
    (SCALE, "  - id: critical", "  - id: high", "levels[3].id: duplicate level 'high'"),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), MUTATIONS)
def test_each_problem_names_file_line_column_and_field(
    root: Path, file: str, old: str, new: str, expected: str
) -> None:
    edit(root / file, old, new)
    found = [p for p in problems_of(root) if p.level == "error"]
    matching = [
        p
        for p in found
        if expected in f"{p.field}: {p.message}" + (f"; {p.hint}" if p.hint else "")
    ]
    assert matching, [str(p) for p in found]
    problem = matching[0]
    assert problem.file.endswith(file)
    if new.strip() and "\n" not in new.strip():
        assert problem.line == line_of(root / file, new.strip().split("\n")[0])


def test_problems_in_several_files_are_collected_in_one_pass(root: Path) -> None:
    edit(root / HIJACK, "owner: security\n", "owner: securty\n")
    edit(root / HIJACK, "review_every: 365d", "review_every: 365d\nsummry: x")
    edit(root / CONTACTS, "primary: henrik", "primary: henrk")
    edit(root / "playbooks/staff-threats.yaml", "kind: playbook", "kind: playbok")
    found = problems_of(root)
    files = {Path(p.file).name for p in found}
    assert files == {"account-hijack.yaml", "contacts.yaml", "staff-threats.yaml"}
    assert len([p for p in found if "account-hijack" in p.file]) == 2


@pytest.mark.parametrize(
    ("template_text", "expected"),
    [
        (
            "{{ platfrm }}",
            "uses 'platfrm', which is not in this template's needs; did you mean 'platform'?",
        ),
        ("{{ incident.titel }}", "undefined: 'dict object' has no attribute 'titel'"),
        ("{% if %}", "syntax:"),
        ("{{ org.__class__ }}", "not allowed in a template"),
        ("{{ ''.__class__.__mro__ }}", "not allowed in a template"),
        ("{% for i in range(100000) %}x{% endfor %}", "range() of more than 1000 items"),
        ("{{ 'x' * 2000000 }}", "output is larger than 1 MiB"),
        ("{{ 1 / 0 }}", "ZeroDivisionError"),
    ],
)
def test_templates_are_strict_and_sandboxed(root: Path, template_text: str, expected: str) -> None:
    (root / "playbooks/account-hijack/holding-statement.en.j2").write_text(
        "{{ platform }} {{ handle }} {{ updates }} " + template_text, encoding="utf-8"
    )
    messages = [p.message + (f"; {p.hint}" if p.hint else "") for p in problems_of(root)]
    assert any(expected in m for m in messages), messages


def test_locales_of_a_template_must_use_the_same_facts(root: Path) -> None:
    (root / "playbooks/account-hijack/holding-statement.nb.j2").write_text(
        "{{ platform }}", encoding="utf-8"
    )
    messages = [str(p) for p in problems_of(root)]
    assert any(
        "templates[0].files.nb: locale 'nb' uses different facts than 'en' "
        "(missing: handle, updates; extra: -)" in m
        for m in messages
    ), messages


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            CONTACTS,
            "backups: [joost]",
            "backups: []",
            "roles.comms-lead: warning: role 'comms-lead' has no backup",
        ),
        (
            CONTACTS,
            "verified: 2026-11-02",
            "verified: 2025-01-10",
            "verified: warning: roster not verified since 2025-01-10 (was due 2025-07-09)",
        ),
        (
            HIJACK,
            "reviewed: 2026-11-01",
            "reviewed: 2025-06-01",
            "reviewed: warning: playbook review overdue since 2026-06-01",
        ),
    ],
)
def test_warnings(root: Path, file: str, old: str, new: str, expected: str) -> None:
    edit(root / file, old, new)
    found = problems_of(root)
    assert [p.level for p in found] == ["warning"]
    assert expected in str(found[0])


def test_a_sample_over_the_channel_limit_is_a_warning(root: Path) -> None:
    edit(root / HIJACK, "example: Instagram", "example: " + "Instagram " * 40)
    found = [str(p) for p in problems_of(root)]
    assert any("over the x limit of 280" in p for p in found), found


def test_a_missing_scale_and_roster_are_reported(tmp_path: Path) -> None:
    (tmp_path / "playbooks").mkdir()
    found = [str(p) for p in problems_of(tmp_path)]
    assert any("contacts.yaml:1:1: file not found" in p for p in found)
    assert any("no severity scale" in p for p in found)


def test_root_falls_back_to_the_bundled_set(tmp_path: Path) -> None:
    assert (find_root(None, cwd=tmp_path) / "contacts.yaml").is_file()
    assert find_root(None, cwd=REPO) == REPO


def test_playbook_levels_apply_overrides() -> None:
    catalog = load_catalog(REPO, TODAY)
    assert catalog.scale is not None
    scale = catalog.scale.value
    book = catalog.playbook("account-hijack")
    low = book.level(scale, "low")
    assert low.notify == ("social-media", "security")
    assert low.targets.acknowledge is not None and low.targets.acknowledge.total_seconds() == 1800
    assert low.approvals == scale.levels[0].approvals
    assert (
        replace(low, notify=scale.levels[0].notify, targets=scale.levels[0].targets)
        == scale.levels[0]
    )
