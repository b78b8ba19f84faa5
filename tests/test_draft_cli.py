"""Drafting, content rules, approvals and publishing, end to end through the command line."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from crisis import clock
from crisis.cli import main
from crisis.journal import Journal, journal_path

from .conftest import REPO, edit

NOW = datetime(2026, 11, 22, 1, 30, tzinfo=UTC)
AWARE = "2026-11-22T02:10:00+01:00"
FACTS = (
    "--fact",
    "platform=Instagram",
    "--fact",
    "handle=@havbris",
    "--fact",
    "updates=https://havbris.example/status",
)
LINK = "https://havbris.example/status"
CLEAN_NB = (
    "Instagram-kontoen vår @havbris er kapret.\n\n"
    "Ikke klikk på lenker og ikke svar på meldinger fra @havbris før vi har bekreftet her at "
    "vi har kontroll over kontoen igjen. Havbris AS ber deg aldri om passord, engangskoder, "
    "kortopplysninger eller betaling i en direktemelding.\n\n"
    f"Oppdateringer legger vi ut på {LINK}.\n"
)
NAMED_NB = (
    "Instagram-kontoen vår @havbris er kapret.\n\n"
    "Spørsmål kan rettes til Kari Solberg. "
    f"Oppdateringer legger vi ut på {LINK}.\n"
)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Cli:
    """Runs `crisis` in-process on a private data directory, with a fixed clock."""

    data: Path
    capsys: pytest.CaptureFixture[str]
    root: Path = REPO
    files: list[Path] = field(default_factory=list)

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        base = ["--root", str(self.root), "--data-dir", str(self.data)]
        try:
            code = main([argv[0], *base, *argv[1:]])
        except SystemExit as stop:
            code = int(stop.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, *argv: str) -> str:
        code, out, err = self(*argv)
        assert code == 0, err
        return out

    def refused(self, *argv: str, code: int = 2) -> str:
        """Run a command that must fail, check that nothing was written, return its stderr."""
        incident = argv[1]
        before = self.head(incident)
        got, _, err = self(*argv)
        assert got == code, err
        assert "Traceback" not in err
        assert self.head(incident) == before
        return err

    def declare(self, *extra: str) -> str:
        out = self.ok(
            "declare",
            "account-hijack",
            "--title",
            "Instagram hijacked",
            "--aware-at",
            AWARE,
            *extra,
        )
        return out.strip()

    def status(self, incident: str) -> dict[str, Any]:
        return json.loads(self.ok("status", incident, "--json"))

    def drafts(self, incident: str, *draft: str) -> list[dict[str, Any]]:
        return json.loads(self.ok("drafts", incident, *draft, "--json"))

    def head(self, incident: str) -> dict[str, Any]:
        return self.status(incident)["head"]

    def text_file(self, text: str) -> str:
        path = self.data.parent / f"edit-{len(self.files)}.txt"
        path.write_text(text, encoding="utf-8")
        self.files.append(path)
        return str(path)

    def events(self, incident: str) -> list[tuple[str, str, dict[str, Any]]]:
        """The incident's events as the journal holds them: kind, text and data."""
        with Journal.open(journal_path(self.data)) as journal:
            return [(e.kind, e.text, dict(e.data)) for e in journal.events(incident)]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    monkeypatch.setenv("CRISIS_RESPONDER", "ingrid")
    monkeypatch.setenv("CRISIS_TIMEZONE", "Europe/Oslo")
    monkeypatch.delenv("CRISIS_DATA_DIR", raising=False)
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return Cli(tmp_path / "data", capsys)


def test_a_statement_from_template_to_publication(cli: Cli) -> None:
    incident = cli.declare()

    # Without its facts the template is not rendered, and nothing is written.
    err = cli.refused("draft", incident, "holding-statement", "--locale", "nb")
    assert "missing facts:" in err
    for fact in ("platform", "handle", "updates"):
        assert f"{fact} (" in err
    assert "--fact KEY=VALUE" in err
    assert len(err.splitlines()) == 1

    out = cli.ok("draft", incident, "holding-statement", "--locale", "nb", *FACTS)
    assert "holding-statement · nb · web · public" in out
    assert "D1.1  sha256:" in out
    assert "Instagram-kontoen vår @havbris er kapret" in out
    assert f"Oppdateringer legger vi ut på {LINK}" in out
    assert "cannot go for approval" not in out
    events = cli.events(incident)
    assert [kind for kind, _, _ in events] == ["declared", "fact", "fact", "fact", "drafted"]
    assert [data for _, _, data in events[1:4]] == [
        {"key": "platform", "value": "Instagram"},
        {"key": "handle", "value": "@havbris"},
        {"key": "updates", "value": LINK},
    ]
    assert events[1][1] == "platform = Instagram"
    _, first_text, drafted = events[4]
    assert drafted == {
        "draft": "D1",
        "version": 1,
        "template": "holding-statement",
        "locale": "nb",
        "channel": "web",
        "audience": "public",
        "sha256": sha(first_text),
        "source": "template",
        "violations": [],
    }
    assert first_text.startswith("Instagram-kontoen vår @havbris er kapret")

    # A locale the template does not have is named, never swapped for another.
    err = cli.refused("draft", incident, "social-post", "--locale", "sv")
    assert "no 'sv' text" in err
    assert "it has en, nb" in err

    # An edit that names a person in the roster is saved, but blocked.
    code, out, err = cli(
        "draft", incident, "--edit", "D1.1", "--text-file", cli.text_file(NAMED_NB)
    )
    assert code == 1, err
    assert "--- D1.1" in out
    assert "+++ D1.2" in out
    assert "-Instagram-kontoen vår @havbris er kapret" in out
    assert "+Spørsmål kan rettes til Kari Solberg. Oppdateringer" in out
    kind, text, data = cli.events(incident)[-1]
    assert (kind, text) == ("drafted", NAMED_NB)
    assert data["version"] == 2
    assert data["source"] == "edit"
    assert data["sha256"] == sha(NAMED_NB)
    assert data["voids"] == 0
    assert len(data["violations"]) == 1
    assert data["violations"][0].startswith("no-names: ")
    assert "'Kari Solberg'" in data["violations"][0]

    out = cli.ok("drafts", incident)
    assert out.split() == ["D1.2", "holding-statement", "nb", "web", "blocked"]

    out = cli.ok("drafts", incident, "D1")
    assert out.startswith("D1  holding-statement · nb · web · public\n")
    assert "version 1 by ingrid at 2026-11-22 02:30 CET (template)" in out
    assert "version 2 by ingrid at 2026-11-22 02:30 CET (edit)" in out
    assert "--- D1.1\n+++ D1.2" in out
    assert (
        "  ! no-names: No names of individuals in public statements: remove 'Kari Solberg'" in out
    )

    (row,) = cli.drafts(incident)
    assert row["draft"] == "D1"
    assert row["stage"] == "blocked"
    assert [v["version"] for v in row["versions"]] == [1, 2]
    assert row["versions"][1]["text"] == NAMED_NB
    assert row["versions"][1]["sha256"] == sha(NAMED_NB)
    assert row["versions"][1]["by"] == "ingrid"
    assert row["versions"][0]["violations"] == []
    assert cli.drafts(incident, "D1") == [row]

    # Nobody can approve before the severity says who must, nor while the draft breaks a rule.
    err = cli.refused("approve", incident, "D1", "--person", "kari")
    assert "assess the severity first" in err
    cli.ok("severity", incident, "high", "--reason", "Scam messages to 40 000 followers")
    assert cli.status(incident)["approvals_required"] == ["comms-lead", "legal"]
    err = cli.refused("approve", incident, "D1", "--person", "kari")
    assert "D1.2 cannot go for approval: no-names:" in err
    assert len(err.splitlines()) == 1

    # Fixed with another edit; the chain starts with the comms lead.
    code, out, err = cli(
        "draft", incident, "--edit", "D1.2", "--text-file", cli.text_file(CLEAN_NB)
    )
    assert code == 0, err
    assert "--- D1.2\n+++ D1.3" in out
    (row,) = cli.drafts(incident)
    assert row["stage"] == "awaiting"
    assert row["next_role"] == "comms-lead"
    assert row["versions"][2]["violations"] == []
    assert "D1.3" in cli.ok("drafts", incident) and "(waits for comms-lead)" in cli.ok(
        "drafts", incident
    )

    # Decisions name the version read; an older one is refused.
    err = cli.refused("approve", incident, "D1.1", "--person", "kari")
    assert "D1 is now at version 3" in err
    err = cli.refused("publish", incident, "D1", "--channel", "web", "--url", LINK)
    assert "D1.3 is not fully approved; it waits for comms-lead" in err
    err = cli.refused("approve", incident, "D1.3", "--person", "henrik")
    assert "'henrik' does not hold 'comms-lead'" in err

    out = cli.ok("approve", incident, "D1.3", "--person", "kari", "--comment", "Good")
    assert out.strip() == "D1.3 approved by kari; next: legal"
    err = cli.refused("publish", incident, "D1", "--channel", "web", "--url", LINK)
    assert "it waits for legal" in err

    code, _, err = cli("reject", incident, "D1", "--person", "henrik")
    assert code == 2
    assert "--reason" in err
    assert "Traceback" not in err

    out = cli.ok("approve", incident, "D1", "--person", "henrik")
    assert out.strip() == "D1.3 approved by henrik; fully approved: ready to publish"
    approvals = [(text, data) for kind, text, data in cli.events(incident) if kind == "approved"]
    assert approvals == [
        (
            "Good",
            {
                "draft": "D1",
                "version": 3,
                "sha256": sha(CLEAN_NB),
                "person": "kari",
                "role": "comms-lead",
            },
        ),
        (
            "",
            {
                "draft": "D1",
                "version": 3,
                "sha256": sha(CLEAN_NB),
                "person": "henrik",
                "role": "legal",
            },
        ),
    ]
    report = cli.status(incident)
    assert report["drafts"] == [
        {
            "draft": "D1",
            "template": "holding-statement",
            "locale": "nb",
            "version": 3,
            "stage": "approved",
            "next_role": None,
            "approved_by": [
                {"role": "comms-lead", "person": "kari"},
                {"role": "legal", "person": "henrik"},
            ],
        }
    ]
    err = cli.refused("approve", incident, "D1", "--person", "sofie")
    assert "already fully approved" in err

    # Publishing rechecks the limit of the channel it goes out on.
    err = cli.refused("publish", incident, "D1", "--channel", "x")
    assert "do not fit the x limit of 280" in err
    out = cli.ok("publish", incident, "D1", "--channel", "web", "--url", LINK)
    assert out.strip() == f"D1.3 published on web {LINK}"
    assert "EMERGENCY" not in out
    kind, text, data = cli.events(incident)[-1]
    assert (kind, text) == ("published", CLEAN_NB)
    assert data == {
        "draft": "D1",
        "version": 3,
        "sha256": sha(CLEAN_NB),
        "channel": "web",
        "url": LINK,
        "override": None,
    }
    err = cli.refused("publish", incident, "D1", "--channel", "web")
    assert "D1.3 is already published on web" in err
    err = cli.refused("approve", incident, "D1", "--person", "kari")
    assert "already fully approved" in err
    report = cli.status(incident)
    assert report["drafts"][0]["stage"] == "published"
    first = next(d for d in report["deadlines"] if d["what"] == "first public statement")
    assert first["met_at"] == NOW.isoformat()
    assert report["emergency_overrides"] == []
    assert f"published v3 on web {LINK}" in cli.ok("drafts", incident, "D1")

    # An emergency override on another draft is published, kept and shown loudly.
    cli.ok("draft", incident, "social-post", "--locale", "en")  # the facts are stored now
    assert cli.drafts(incident, "D2")[0]["stage"] == "awaiting"
    reason = "Followers are losing money to scam DMs; legal unreachable"
    out = cli.ok("publish", incident, "D2", "--channel", "x", "--override", reason)
    assert f"EMERGENCY OVERRIDE: published without full approval: {reason}" in out
    assert "D2.1 published on x" in out
    kind, _, data = cli.events(incident)[-1]
    assert kind == "published"
    assert data["override"] == reason
    assert data["url"] is None
    status = cli.ok("status", incident)
    assert (
        "EMERGENCY OVERRIDE: D2.1 published on x at 2026-11-22 02:30 CET without approval" in status
    )
    assert f"by ingrid: {reason}" in status
    assert "draft D2.1 social-post/en: published" in status
    report = cli.status(incident)
    assert report["emergency_overrides"] == [
        {"at": NOW.isoformat(), "channel": "x", "reason": reason, "by": "ingrid"}
    ]
    assert f"EMERGENCY OVERRIDE: {reason}" in cli.ok("drafts", incident, "D2")

    assert cli.ok("verify", incident).strip()
    kinds = [kind for kind, _, _ in cli.events(incident)]
    assert kinds == [
        "declared",
        "fact",
        "fact",
        "fact",
        "drafted",
        "drafted",
        "severity",
        "drafted",
        "approved",
        "approved",
        "published",
        "drafted",
        "published",
    ]


def test_an_edit_that_breaks_a_rule_says_which(cli: Cli) -> None:
    incident = cli.declare(*FACTS)
    cli.ok("draft", incident, "holding-statement", "--locale", "nb")
    code, out, _ = cli("draft", incident, "--edit", "D1.1", "--text-file", cli.text_file(NAMED_NB))
    assert code == 1
    assert "+++ D1.2" in out
    assert "no-names" in out


def test_a_public_draft_is_not_approved_before_anyone_approves_it(cli: Cli) -> None:
    incident = cli.declare(*FACTS)
    cli.ok("draft", incident, "holding-statement")
    err = cli.refused("publish", incident, "D1", "--channel", "web")
    assert "assess the severity first" in err
    assert cli.drafts(incident)[0]["stage"] != "approved"
    assert cli.status(incident)["drafts"][0]["stage"] != "approved"


def test_fact_records_each_fact_once(cli: Cli) -> None:
    incident = cli.declare()
    assert (
        cli.ok("fact", incident, "platform=Instagram", "handle=@havbris")
        == "platform = Instagram\nhandle = @havbris\n"
    )
    events = cli.events(incident)
    assert [(k, t, d) for k, t, d in events[1:]] == [
        ("fact", "platform = Instagram", {"key": "platform", "value": "Instagram"}),
        ("fact", "handle = @havbris", {"key": "handle", "value": "@havbris"}),
    ]
    cli.ok("fact", incident, "platform=Instagram")  # unchanged: nothing new
    assert len(cli.events(incident)) == 3
    err = cli.refused("draft", incident, "holding-statement")
    assert "missing facts: updates (" in err
    assert "platform" not in err
    err = cli.refused("fact", incident, "platfrom=X")
    assert "unknown fact 'platfrom'; did you mean 'platform'?" in err
    err = cli.refused("fact", incident, "handle=  ")
    assert "fact 'handle' is empty" in err
    # A value given with a draft replaces the stored one in the same transaction.
    cli.ok(
        "draft",
        incident,
        "social-post",
        "--fact",
        "handle=@havbris_no",
        "--fact",
        f"updates={LINK}",
    )
    kinds = [(k, d.get("key")) for k, _, d in cli.events(incident)[3:]]
    assert kinds == [("fact", "handle"), ("fact", "updates"), ("drafted", None)]
    assert "@havbris_no" in cli.drafts(incident, "D1")[0]["versions"][0]["text"]


def test_an_edit_voids_approvals_and_a_raised_severity_adds_a_step(cli: Cli) -> None:
    incident = cli.declare(*FACTS)
    cli.ok("severity", incident, "moderate", "--reason", "Locked out")
    cli.ok("draft", incident, "holding-statement")
    out = cli.ok("approve", incident, "D1.1", "--person", "kari")
    assert "fully approved" in out
    assert cli.drafts(incident)[0]["stage"] == "approved"

    text = cli.drafts(incident)[0]["versions"][0]["text"].replace("straight away", "at once")
    cli.ok("draft", incident, "--edit", "D1", "--text-file", cli.text_file(text))
    kind, _, data = cli.events(incident)[-1]
    assert (kind, data["version"], data["voids"]) == ("drafted", 2, 1)
    (row,) = cli.drafts(incident)
    assert (row["stage"], row["next_role"]) == ("awaiting", "comms-lead")
    assert cli.status(incident)["drafts"][0]["approved_by"] == []
    history = cli.ok("drafts", incident, "D1")
    assert "approved v1 by kari as comms-lead" in history
    assert "--- D1.1\n+++ D1.2" in history
    assert (
        "-- If you have shared card details or paid money after a message from the account, contact your bank straight away"
        in history
    )
    assert history.count("Our Instagram account @havbris has been taken over") == 1  # a diff
    assert (
        "+- If you have shared card details or paid money after a message from the account, contact your bank at once"
        in history
    )

    cli.ok("approve", incident, "D1.2", "--person", "kari")
    assert cli.drafts(incident)[0]["stage"] == "approved"

    cli.ok("severity", incident, "high", "--reason", "Scam messages to followers")
    (row,) = cli.drafts(incident)
    assert (row["stage"], row["next_role"]) == ("awaiting", "legal")
    assert cli.status(incident)["drafts"][0]["approved_by"] == [
        {"role": "comms-lead", "person": "kari"}
    ]
    err = cli.refused("publish", incident, "D1", "--channel", "web")
    assert "it waits for legal" in err
    cli.ok("approve", incident, "D1", "--person", "sofie")  # a backup may approve
    assert cli.drafts(incident)[0]["stage"] == "approved"
    cli.ok("publish", incident, "D1", "--channel", "web")


def test_a_rejection_sends_the_draft_back(cli: Cli) -> None:
    incident = cli.declare(*FACTS)
    cli.ok("severity", incident, "high", "--reason", "Scam messages to followers")
    cli.ok("draft", incident, "holding-statement")
    cli.ok("approve", incident, "D1", "--person", "kari")

    err = cli.refused("reject", incident, "D1", "--person", "fatima", "--reason", "No")
    assert "'fatima' holds none of the approving roles (comms-lead, legal)" in err
    err = cli.refused("reject", incident, "D1", "--person", "henrik", "--reason", "   ")
    assert "a rejection needs a written --reason" in err
    out = cli.ok("reject", incident, "D1.1", "--person", "henrik", "--reason", "Say when we knew")
    assert out.strip() == "D1.1 rejected by henrik; save a new version"
    kind, text, data = cli.events(incident)[-1]
    assert (kind, text) == ("rejected", "Say when we knew")
    assert data == {
        "draft": "D1",
        "version": 1,
        "sha256": cli.drafts(incident)[0]["versions"][0]["sha256"],
        "person": "henrik",
        "role": "legal",
    }
    assert cli.drafts(incident)[0]["stage"] == "rejected"
    assert "REJECTED v1 by henrik as legal" in cli.ok("drafts", incident, "D1")
    assert "Say when we knew" in cli.ok("drafts", incident, "D1")
    err = cli.refused("approve", incident, "D1", "--person", "henrik")
    assert "D1.1 was rejected; save a new version first" in err
    err = cli.refused("publish", incident, "D1", "--channel", "web")
    assert "D1.1 was rejected" in err

    cli.ok("draft", incident, "--edit", "D1.1", "--text-file", cli.text_file(CLEAN_NB))
    (row,) = cli.drafts(incident)
    assert (row["stage"], row["next_role"]) == ("awaiting", "comms-lead")


def test_one_person_cannot_approve_twice(cli: Cli, root: Path) -> None:
    notify = "    notify: [social-media, security, comms-lead, customer-service, legal, dpo]\n"
    edit(
        root / "playbooks" / "account-hijack.yaml", notify, notify + "    approvals: [legal, dpo]\n"
    )
    cli.root = root
    incident = cli.declare(*FACTS)
    cli.ok("severity", incident, "high", "--reason", "Scam messages to followers")
    assert cli.status(incident)["approvals_required"] == ["legal", "dpo"]
    cli.ok("draft", incident, "holding-statement")
    cli.ok("approve", incident, "D1", "--person", "henrik")
    err = cli.refused("approve", incident, "D1", "--person", "henrik")  # henrik backs up the DPO
    assert "'henrik' has already approved D1; a second person must" in err
    assert "fully approved" in cli.ok("approve", incident, "D1", "--person", "nina")


def test_an_internal_note_needs_no_approval(cli: Cli) -> None:
    incident = cli.declare(*FACTS)
    out = cli.ok("draft", incident, "internal-note", "--locale", "en")
    assert "internal-note · en · internal · internal" in out
    (row,) = cli.drafts(incident)
    assert (row["stage"], row["next_role"]) == ("ready", None)
    err = cli.refused("approve", incident, "D1", "--person", "kari")
    assert "internal audience and needs no approval" in err
    cli.ok("publish", incident, "D1", "--channel", "internal")
    assert cli.drafts(incident)[0]["stage"] == "published"


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("a" * 256 + f" {LINK}", None),  # 256 + 1 + a link counted as 23 = 280
        ("账户" * 65 + f" {LINK}", 284),  # CJK counts double
        ("🚨" * 129 + f" {LINK}", 282),  # so does emoji
        ("a" * 258 + f" {LINK}", 282),
    ],
)
def test_x_counts_links_as_23_and_wide_characters_double(
    cli: Cli, text: str, length: int | None
) -> None:
    incident = cli.declare(*FACTS)
    cli.ok("draft", incident, "social-post", "--locale", "en")
    code, _, err = cli("draft", incident, "--edit", "D1", "--text-file", cli.text_file(text))
    assert code == (0 if length is None else 1), err
    violations = cli.drafts(incident)[0]["versions"][-1]["violations"]
    if length is None:
        assert violations == []
    else:
        assert violations == [
            f"limit: {length} characters, over the x limit of 280 (a link counts as 23)"
        ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["draft", "{id}", "--edit", "D1.x", "--text-file", "f.txt"],
            "'D1.x' is not DRAFT or DRAFT.VERSION",
        ),
        (["approve", "{id}", "D1.", "--person", "kari"], "'D1.' is not DRAFT or DRAFT.VERSION"),
        (["publish", "{id}", "D1", "--channel", "tiktok"], "unknown channel 'tiktok'"),
        (
            ["draft", "{id}", "holding-statment"],
            "unknown template 'holding-statment'; did you mean 'holding-statement'?",
        ),
        (
            ["draft", "{id}", "holding-statement", "--fact", "platform"],
            "'platform' is not KEY=VALUE",
        ),
        (["draft", "{id}", "--edit", "D1"], "--edit takes --text-file FILE and no TEMPLATE"),
        (
            ["draft", "{id}", "--edit", "D1", "--text-file", "/nonexistent/f.txt"],
            "--text-file /nonexistent/f.txt:",
        ),
        (["draft", "{id}"], "give a TEMPLATE to draft"),
        (["drafts", "{id}", "D7"], "no draft 'D7' in"),
        (["approve", "{id}", "D1", "--person", "kari", "--comment"], "expected one argument"),
        (
            ["reject", "{id}", "D1", "--person", "kari"],
            "the following arguments are required: --reason",
        ),
        (["publish", "{id}", "D1", "--channel", "web", "--url", "not a url"], "--url:"),
        (["fact", "{id}", "platform=X", "colour=blue"], "unknown fact 'colour'"),
    ],
)
def test_bad_arguments_exit_2_with_one_clear_line(cli: Cli, argv: list[str], message: str) -> None:
    incident = cli.declare(*FACTS)
    cli.ok("draft", incident, "holding-statement")
    err = cli.refused(*[incident if word == "{id}" else word for word in argv])
    said = [line for line in err.splitlines() if line and not line.startswith(("usage:", " "))]
    assert len(said) == 1, err
    assert message in said[0]
    assert said[0].startswith("crisis")
