"""Content rules for drafts: how each channel counts, what a draft must say and must never say."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisis import channels, rules
from crisis.catalog import load_catalog
from crisis.model import Organisation, Rule

from .conftest import REPO, TODAY, edit

ORG = Organisation(
    name="Havbris AS",
    website="https://havbris.example",
    press_email="presse@havbris.example",
    press_phone="+4722334455",
)
CATALOG = load_catalog(REPO, TODAY)
assert CATALOG.contacts is not None
ROSTER_NAMES = tuple(person.name for person in CATALOG.contacts.value.people.values())
LONG_URL = "https://havbris.example/status/" + "a" * 300
HIJACK = "playbooks/account-hijack.yaml"


def rule(**fields: object) -> Rule:
    """A rule with an id and text, and whatever the test gives it."""
    return Rule(id="r", text="The rule", **fields)  # type: ignore[arg-type]


def check(
    text: str,
    *,
    channel: str = "web",
    audience: str = "public",
    given: tuple[Rule, ...] = (),
    people: tuple[str, ...] = ROSTER_NAMES,
    limit: int | None = None,
    org: Organisation = ORG,
) -> tuple[rules.Violation, ...]:
    return rules.check(
        text,
        channel=channel,
        audience=audience,
        rules=given,
        org=org,
        people=people,
        limit=limit,
    )


def ids(found: tuple[rules.Violation, ...]) -> list[str]:
    return [violation.rule for violation in found]


# --- how each channel counts -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "text", "expected"),
    [
        ("x", "hello", 5),
        ("x", "  hello \n\n", 5),  # surrounding whitespace is not counted
        pytest.param("x", f"see {LONG_URL}", 4 + 23, id="x-long-link"),  # a link is 23
        ("x", "a http://a.example and https://b.example/x", len("a  and ") + 2 * 23),
        ("x", "https://havbris.example", 23),  # a short link counts as 23 too
        ("x", "havbris.example/status", 22),  # no scheme: plain text
        ("x", "日本語", 6),  # CJK counts two each
        ("x", "안녕", 4),  # Hangul as well
        ("x", "😀", 2),  # an emoji counts two
        ("x", "Blåbær æøå", 10),  # Latin letters count one
        ("x", "Привет", 6),  # so do Cyrillic letters
        ("x", "“quoted” – dash", 15),  # common punctuation counts one
        ("x", "…", 2),  # the ellipsis is outside X's light ranges
        pytest.param("sms", f"see {LONG_URL}", 4 + len(LONG_URL), id="sms-long-link"),
        ("web", "日本語", 3),  # only X weighs characters
        ("instagram", "😀", 1),
    ],
)
def test_each_channel_counts_characters_its_own_way(channel: str, text: str, expected: int) -> None:
    assert channels.length(channel, text) == expected


@pytest.mark.parametrize(
    ("channel", "override", "expected"),
    [
        ("x", None, 280),
        ("sms", None, 160),
        ("instagram", None, 2200),
        ("linkedin", None, 3000),
        ("facebook", None, 63206),
        ("web", None, None),
        ("email", None, None),
        ("internal", None, None),
        ("web", 1200, 1200),  # a template's own limit wins
        ("x", 100, 100),
    ],
)
def test_the_limit_is_the_templates_own_else_the_channels(
    channel: str, override: int | None, expected: int | None
) -> None:
    assert channels.limit(channel, override) == expected


@pytest.mark.parametrize(
    ("text", "channel", "limit", "message"),
    [
        pytest.param(f"Updates: {LONG_URL}", "x", None, None, id="long-link-fits-x"),
        pytest.param(
            f"Updates: {LONG_URL}",
            "sms",
            None,
            f"{9 + len(LONG_URL)} characters, over the sms limit of 160",
            id="long-link-over-sms",
        ),
        pytest.param("a" * 280, "x", None, None, id="280-latin-fit-x"),
        pytest.param(
            "a" * 281,
            "x",
            None,
            "281 characters, over the x limit of 280 (a link counts as 23)",
            id="281-latin-over-x",
        ),
        pytest.param("語" * 140, "x", None, None, id="140-cjk-fit-x"),
        pytest.param(
            "語" * 141, "x", None, "282 characters, over the x limit", id="141-cjk-over-x"
        ),
        pytest.param("😀" * 140, "x", None, None, id="140-emoji-fit-x"),
        pytest.param("😀" * 141, "x", None, "282 characters, over the x", id="141-emoji-over-x"),
        pytest.param(
            "語" * 200, "sms", None, "200 characters, over the sms", id="cjk-is-one-on-sms"
        ),
        pytest.param("a" * 160, "sms", None, None, id="160-fit-sms"),
        pytest.param("a" * 161, "sms", None, "161 characters, over the sms", id="161-over-sms"),
        pytest.param(
            "a" * 11, "web", 10, "11 characters, over the web limit of 10", id="own-limit"
        ),
        pytest.param("a" * 10, "web", 10, None, id="own-limit-reached"),
        pytest.param("a" * 100_000, "web", None, None, id="web-has-no-limit"),
        pytest.param("a" * 120, "x", 100, "over the x limit of 100", id="own-limit-on-x"),
    ],
)
def test_the_length_limit(text: str, channel: str, limit: int | None, message: str | None) -> None:
    found = [v for v in check(text, channel=channel, limit=limit) if v.rule == "limit"]
    if message is None:
        assert found == []
    else:
        assert len(found) == 1
        assert message in found[0].message
        assert ("a link counts as 23" in found[0].message) == (channel == "x")


def test_count_reports_the_length_and_limit_that_apply() -> None:
    size = rules.count(f"Updates: {LONG_URL}", "x")
    assert (size.length, size.limit, size.over) == (9 + 23, 280, False)
    size = rules.count(f"Updates: {LONG_URL}", "sms")
    assert (size.limit, size.over) == (160, True)
    assert not rules.count("a" * 10**6, "web").over
    assert rules.count("abc", "web", 2).over


@pytest.mark.parametrize("emoji", ["👍🏽", "❤️", "👩‍💻"])
def test_an_emoji_sequence_counts_as_one_emoji_on_x(emoji: str) -> None:
    assert channels.length("x", emoji) == 2


# --- what a draft must say ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("needles", "text", "passes"),
    [
        (("{link}",), "Updates at https://havbris.example/status", True),
        (("{link}",), "Updates at http://havbris.example/status", True),
        (("{link}",), "Updates at havbris.example/status", False),
        (("{link}",), "Updates soon", False),
        (("{org.press_email}",), "Journalists: presse@havbris.example", True),
        (("{org.press_email}",), "Journalists: PRESSE@Havbris.EXAMPLE", True),
        (("{org.press_email}",), "Journalists: presse at havbris", False),
        (("{org.website}",), "More at https://havbris.example/news", True),
        (("{org.name}",), "HAVBRIS AS is working on it", True),
        (("{org.press_phone}",), "Call +4722334455", True),
        (("{org.press_phone}",), "Call +47 22 33 44 55", False),
        (("hotline",), "Call our HOTLINE now", True),
        (("hotline",), "Call our hot line now", False),
        (("Customer Service",), "customer service is open", True),
        (("{link}", "{org.press_email}"), "Write to presse@havbris.example", True),
        (("{link}", "{org.press_email}"), "See https://havbris.example/s", True),
        (("{link}", "{org.press_email}"), "We will tell you more later", False),
    ],
)
def test_require_any(needles: tuple[str, ...], text: str, passes: bool) -> None:
    found = check(text, given=(rule(require_any=needles),))
    assert ids(found) == ([] if passes else ["r"])


def test_a_missing_requirement_names_every_option_expanded() -> None:
    found = check("Nothing useful", given=(rule(require_any=("{link}", "{org.press_email}")),))
    assert found == (
        rules.Violation("r", "The rule: needs a web address or presse@havbris.example"),
    )


NO_PHONE = Organisation("Havbris AS", "https://havbris.example", "presse@havbris.example")


def test_an_entry_that_expands_to_nothing_is_skipped() -> None:
    given = (rule(require_any=("{org.press_phone}", "{org.press_email}")),)
    assert check("presse@havbris.example", given=given, org=NO_PHONE) == ()
    assert ids(check("Call us", given=given, org=NO_PHONE)) == ["r"]


def test_a_rule_whose_entries_all_expand_to_nothing_does_not_demand_nothing() -> None:
    found = check("Call us", given=(rule(require_any=("{org.press_phone}",)),), org=NO_PHONE)
    assert all(not v.message.endswith("needs ") for v in found), found


def test_validation_refuses_a_link_placeholder_inside_a_phrase(root: Path) -> None:
    edit(
        root / HIJACK,
        'require_any: ["{link}", "{org.press_email}"]',
        'require_any: ["updates at {link}", "{org.press_email}"]',
    )
    found = [str(p) for p in load_catalog(root, TODAY).errors]
    assert any(
        "rules[0].require_any[0]: '{link}' stands alone: any web address" in line for line in found
    ), found


# --- what a draft must never say ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "text", "said"),
    [
        ("phishing", "It was phishing.", True),
        ("phishing", "A PHISHING attack", True),
        ("phishing", "(phishing)", True),
        ("phishing", "anti-phishing training", True),  # a hyphen separates words
        ("phishing", "phishingx", False),  # whole words only
        ("phishing", "antiphishing", False),
        ("phishing", "phishing_kit", False),  # '_' is a word character
        ("phishing", "phishings", True),  # plural and possessive forms count
        ("former employee", "a former employee did it", True),
        ("former employee", "a Former\n    Employee did it", True),  # across any whitespace
        ("former employee", "a former\temployee", True),
        ("former employee", "a former employees", True),
        ("Kari Solberg", "Kari Solbergs uttalelse", True),
        ("Kari Solberg", "Kari Solberg's statement", True),
        ("former employee", "a former-employee", False),
        ("former employee", "formeremployee", False),
        ("svakt passord", "Et SVAKT passord.", True),
        ("tidligere ansatt", "en tidligere ansatt", True),
        ("tidligere ansatt", "tidligere ansatte", False),
        ("C++", "written in C++ daily", True),  # regular-expression characters are literal
        ("a.b", "axb", False),
        ("a.b", "see a.b here", True),
        ("weak password", "", False),
    ],
)
def test_forbid_matches_whole_words_ignoring_case(phrase: str, text: str, said: bool) -> None:
    found = check(text, audience="internal", given=(rule(forbid=(phrase,)),))
    forbidden = [v for v in found if v.rule == "r"]
    if said:
        assert forbidden == [rules.Violation("r", f"The rule: remove '{phrase}'")]
    else:
        assert forbidden == []


def test_every_forbidden_phrase_said_is_named_in_one_violation() -> None:
    given = (rule(forbid=("phishing", "weak password", "former employee")),)
    found = check("Phishing and a weak  password", given=given)
    assert found == (rules.Violation("r", "The rule: remove 'phishing', 'weak password'"),)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Kari Solberg will answer", ["Kari Solberg"]),
        ("kari   SOLBERG will answer", ["Kari Solberg"]),
        ("Kari will answer", []),  # a first name alone is not a full name
        ("Solberg will answer", []),
        ("Sofie Nørgaard will answer", ["Sofie Nørgaard"]),
        ("Henrik Aasland's team", ["Henrik Aasland"]),
        ("Kari Solberg and Lars Haugen", ["Kari Solberg", "Lars Haugen"]),
        ("Kari Solbergx", []),
        ("", []),
    ],
)
def test_forbid_people_matches_full_roster_names(text: str, said: list[str]) -> None:
    assert "Kari Solberg" in ROSTER_NAMES and "Sofie Nørgaard" in ROSTER_NAMES
    found = [v for v in check(text, given=(rule(forbid_people=True),)) if v.rule == "r"]
    if said:
        shown = ", ".join(f"'{name}'" for name in said)
        assert found == [rules.Violation("r", f"The rule: remove {shown}")]
    else:
        assert found == []


def test_people_are_only_checked_by_a_rule_that_forbids_them() -> None:
    assert check("Kari Solberg will answer", given=(rule(forbid=("phishing",)),)) == ()
    assert check("Kari Solberg will answer", given=(rule(forbid_people=True),), people=()) == ()


# --- which drafts a rule covers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("audiences", "only", "channel", "audience", "covers"),
    [
        ((), (), "x", "public", True),
        ((), (), "internal", "internal", True),
        (("public",), (), "web", "public", True),
        (("public",), (), "web", "internal", False),
        (("public", "regulator"), (), "regulator", "regulator", True),
        ((), ("x",), "x", "internal", True),
        ((), ("x",), "web", "public", False),
        (("public",), ("x", "sms"), "sms", "public", True),
        (("public",), ("x", "sms"), "sms", "internal", False),
        (("public",), ("x", "sms"), "web", "public", False),
    ],
)
def test_a_rule_covers_only_its_audiences_and_channels(
    audiences: tuple[str, ...], only: tuple[str, ...], channel: str, audience: str, covers: bool
) -> None:
    given = rule(audiences=audiences, channels=only, forbid=("phishing",))
    assert rules.applies(given, channel, audience) is covers
    found = check("phishing", channel=channel, audience=audience, given=(given,))
    assert ids(found) == (["r"] if covers else [])


# --- the bundled rules together ----------------------------------------------------------------

BUNDLED = CATALOG.playbook("account-hijack").rules


@pytest.mark.parametrize(
    ("text", "audience", "expected"),
    [
        ("Updates at https://havbris.example/status", "public", []),
        ("Write to presse@havbris.example", "public", []),
        ("We are on it", "public", ["contact-point"]),
        (
            "Updates: https://havbris.example/s. A former employee did it.",
            "public",
            ["no-entry-speculation"],
        ),
        ("Updates: https://havbris.example/s. Ask Kari Solberg.", "public", ["no-names"]),
        (
            "Kari Solberg says phishing",
            "public",
            ["contact-point", "no-names", "no-entry-speculation"],
        ),
        ("Kari Solberg says phishing", "internal", []),  # every bundled rule is for the public
    ],
)
def test_the_bundled_hijack_rules(text: str, audience: str, expected: list[str]) -> None:
    assert ids(check(text, audience=audience, given=BUNDLED)) == expected


@pytest.mark.parametrize("text", ["", "   ", "\n\t \n"])
def test_an_empty_draft_is_a_violation_of_its_own(text: str) -> None:
    assert check(text) == (rules.Violation("empty", "the draft has no text"),)
    given = (rule(require_any=("{link}",)),)
    assert ids(check(text, given=given)) == ["empty", "r"]


def test_a_clean_text_breaks_nothing() -> None:
    assert check("Hello", channel="x", given=BUNDLED, audience="internal") == ()


# --- placeholders ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("needle", "unknown"),
    [
        ("{link}", []),
        ("{org.name} {org.website} {org.press_email} {org.press_phone}", []),
        ("plain text", []),
        ("{org.phone}", ["org.phone"]),
        ("{url} or {link}", ["url"]),
        ("{org.email} and {org.press}", ["org.email", "org.press"]),
        ("{org.press_email", []),  # not closed: not a placeholder
    ],
)
def test_unknown_placeholders(needle: str, unknown: list[str]) -> None:
    assert rules.unknown_placeholders(needle) == unknown


@pytest.mark.parametrize("needle", ["{org.press-email}", "{Link}", "{ORG.NAME}"])
def test_a_mistyped_placeholder_is_reported(needle: str) -> None:
    assert rules.unknown_placeholders(needle) != []


def test_validation_reports_an_unknown_placeholder_in_a_rule(root: Path) -> None:
    edit(
        root / HIJACK,
        'require_any: ["{link}", "{org.press_email}"]',
        'require_any: ["{org.phone}"]',
    )
    found = [str(p) for p in load_catalog(root, TODAY).errors]
    assert any(
        "rules[0].require_any[0]: unknown placeholder '{org.phone}'" in line for line in found
    ), found
