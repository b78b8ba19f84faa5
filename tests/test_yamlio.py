"""The strict YAML loader: typing, rejections and positions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisis.problems import InvalidInput
from crisis.yamlio import MAX_BYTES, Mark, parse


def load(text: str | bytes) -> dict[str, object]:
    raw = text.encode() if isinstance(text, str) else text
    return parse(raw, "f.yaml").data


def problems(text: str | bytes) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        load(text)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("country: NO", "NO"),
        ("phone: +4712345678", "+4712345678"),
        ("phone: 0041227000", "0041227000"),
        ("at: 12:30", "12:30"),
        ("zip: 01234", "01234"),
        ("version: 1.10", "1.10"),
        ("day: 2024-03-01", "2024-03-01"),
        ("answer: yes", "yes"),
        ("answer: off", "off"),
        ("ratio: 1e3", "1e3"),
        ("hex: 0x1F", "0x1F"),
        ("big: 1_000", "1_000"),
        ("inf: .inf", ".inf"),
        ("quoted: '42'", "42"),
        ('quoted: "true"', "true"),
        ("folded: >\n  a\n  b\n", "a b\n"),
        ("flag: true", True),
        ("flag: false", False),
        ("flag: True", True),
        ("count: 42", 42),
        ("count: -7", -7),
        ("count: 0", 0),
        ("none: null", None),
        ("none: ~", None),
        ("none:", None),
    ],
)
def test_only_booleans_integers_and_null_are_not_strings(source: str, expected: object) -> None:
    data = load(source)
    assert list(data.values()) == [expected]
    assert type(next(iter(data.values()))) is type(expected)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a: 1\nb: 2\na: 3\n", "f.yaml:3:1: a: duplicate key 'a' on lines 1 and 3"),
        ("a: &x 1\n", "f.yaml:1:4: a: anchors are not allowed (&x)"),
        ("a: [1]\nb: *x\n", "f.yaml:2:4: b: aliases are not allowed (*x)"),
        ("a: &x [1]\nb: *x\n", "f.yaml:2:4: b: aliases are not allowed (*x)"),
        (
            "base: {a: 1}\nother:\n  <<: {b: 2}\n",
            "f.yaml:3:3: other.<<: merge keys (<<) are not allowed",
        ),
        ("a: !!python/object/apply:os.system ['ls']\n", "f.yaml:1:4: a: tags are not allowed"),
        ("a: !!str x\n", "tags are not allowed"),
        ("- 1\n- 2\n", "f.yaml:1:1: the top level must be a mapping of keys, not a list"),
        ("just text\n", "the top level must be a mapping of keys, not text"),
        ("", "the top level must be a mapping of keys, not nothing"),
        ("a: 1\n---\nb: 2\n", "f.yaml:2:1: a file holds exactly one YAML document"),
        ("a: [1, 2\n", "f.yaml:2:1: YAML syntax"),
        ("a:\n  b: 1\n c: 2\n", "YAML syntax"),
        ("? [a, b]\n: 1\n", "mapping keys must be plain text"),
        ("smtp_password: hunter2\n", "'smtp_password' looks like a secret"),
        ("api_key: x\n", "looks like a secret"),
        ("webhook-token: x\n", "looks like a secret"),
    ],
)
def test_rejections_name_the_place(source: str, expected: str) -> None:
    assert any(expected in problem for problem in problems(source)), problems(source)


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    found = problems("a: &x 1\nb: *x\nc: 1\nc: 2\n")
    assert len(found) == 3


def test_nesting_deeper_than_64_is_rejected() -> None:
    assert load("a: " + "[" * 63 + "]" * 63)
    assert any("nested deeper than 64" in p for p in problems("a: " + "[" * 64 + "]" * 64))
    assert any("nested deeper" in p for p in problems("a: " + "[" * 200_000 + "]" * 200_000))


def test_billion_laughs_is_rejected_without_expanding() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    found = problems("\n".join(lines))
    assert found[0].startswith("f.yaml:1:4: a: anchors are not allowed (&a)")


def test_files_over_one_mebibyte_are_rejected() -> None:
    big = b"a: '" + b"x" * (2 * MAX_BYTES) + b"'\n"
    assert problems(big) == ["f.yaml:1:1: file is larger than the 1 MiB limit; split it"]


def test_non_utf8_is_rejected_with_its_position() -> None:
    assert problems(b"a: 1\nb: caf\xe9\n") == ["f.yaml:2:7: not valid UTF-8; save it as UTF-8"]


def test_a_byte_order_mark_is_accepted() -> None:
    assert load("\ufeffa: 1".encode()) == {"a": 1}


def test_positions_of_values_and_keys_are_kept() -> None:
    document = parse(b"people:\n  ingrid:\n    phones: ['+4791234567']\n", "f.yaml")
    assert document.mark(("people", "ingrid", "phones", 0)) == Mark(3, 14)
    assert document.mark(("people", "ingrid"), key=True) == Mark(2, 3)
    assert document.mark(("people", "nobody", "x")) == Mark(2, 3)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_any_input_loads_or_is_rejected_cleanly(raw: bytes) -> None:
    try:
        parse(raw, "f.yaml")
    except InvalidInput as error:
        assert error.problems


YAML_ALPHABET = st.sampled_from(list("ab:- \n[]{},&*!'\"#|>?<0123456789.~"))


@settings(max_examples=300, deadline=None)
@given(st.lists(YAML_ALPHABET, max_size=200).map("".join))
def test_yaml_shaped_noise_loads_or_is_rejected_cleanly(text: str) -> None:
    try:
        parse(text.encode(), "f.yaml")
    except InvalidInput as error:
        assert all(problem.line >= 1 and problem.column >= 1 for problem in error.problems)
