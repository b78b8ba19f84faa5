"""`crisis.toml` and the environment: the responder, the zone and the data directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisis.settings import (
    SettingsError,
    load_settings,
    remember_responder,
    remembered_responder,
    responder,
)


def test_the_file_wins_over_the_environment(tmp_path: Path) -> None:
    (tmp_path / "crisis.toml").write_text(
        'responder = "Kari Solberg"\ntimezone = "Europe/Oslo"\ndata_dir = "journal"\n',
        encoding="utf-8",
    )
    settings = load_settings(tmp_path, {"CRISIS_RESPONDER": "someone", "TZ": "UTC"})
    assert (settings.responder, settings.timezone, settings.data_dir) == (
        "Kari Solberg",
        "Europe/Oslo",
        "journal",
    )


def test_the_environment_fills_in_without_a_file(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, {"CRISIS_RESPONDER": "ingrid", "TZ": ":Europe/Stockholm"})
    assert (settings.responder, settings.timezone, settings.data_dir) == (
        "ingrid",
        "Europe/Stockholm",
        None,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'responder = "x"\ntimezon = "UTC"\n',
            "timezon: unknown setting; did you mean 'timezone'?",
        ),
        ("responder = 42\n", "responder: expected non-empty text"),
        ('timezone = "Europe/Olso"\n', "'Europe/Olso' is not an IANA time zone name"),
        ("responder = \n", "Invalid value (at line 1, column 13)"),
        ('smtp_password = "x"\n', "unknown setting"),
    ],
)
def test_bad_settings_say_where_and_what(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "crisis.toml").write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_settings(tmp_path, {})


def test_a_remembered_name_is_used_when_nothing_else_names_the_responder(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, {"TZ": "UTC"})
    assert settings.responder is None
    data = tmp_path / "data"
    assert remembered_responder(data) is None
    remember_responder(data, "  Kari Solberg ")
    assert remembered_responder(data) == "Kari Solberg"
    assert (data / "responder").stat().st_mode & 0o777 == 0o600
    assert responder(settings, data) == "Kari Solberg"
    assert responder(load_settings(tmp_path, {"CRISIS_RESPONDER": "ingrid"}), data) == "ingrid"
