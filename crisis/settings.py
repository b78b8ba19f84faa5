"""`crisis.toml` and the environment: who the responder is, their time zone, where data lives."""

from __future__ import annotations

import getpass
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crisis.problems import CrisisError
from crisis.schema import did_you_mean

FILE = "crisis.toml"
KEYS = ("responder", "timezone", "data_dir")
REMEMBERED = "responder"


class SettingsError(CrisisError):
    """A `crisis.toml` that cannot be used, with where and why."""


@dataclass(frozen=True)
class Settings:
    """The responder's name and zone, and the configured data directory, if any."""

    responder: str | None
    timezone: str
    data_dir: str | None = None


def local_zone(env: Mapping[str, str]) -> str:
    """The machine's IANA zone name: $TZ, else the target of /etc/localtime, else UTC."""
    name = env.get("TZ", "").removeprefix(":")
    if not name:
        target = os.path.realpath("/etc/localtime")
        name = target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else "UTC"
    return name


def load_settings(root: Path, env: Mapping[str, str]) -> Settings:
    """Read `crisis.toml` under `root` if present; the environment fills what it leaves out."""
    path = root / FILE
    values: dict[str, object] = {}
    if path.is_file():
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise SettingsError(f"{path}: {error}") from None
    for key, value in values.items():
        if key not in KEYS:
            raise SettingsError(f"{path}: {key}: unknown setting; {did_you_mean(key, KEYS)}")
        if not isinstance(value, str) or not value.strip():
            raise SettingsError(f"{path}: {key}: expected non-empty text")
    responder = values.get("responder") or env.get("CRISIS_RESPONDER") or None
    zone = str(values.get("timezone") or env.get("CRISIS_TIMEZONE") or local_zone(env))
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"timezone '{zone}' is not an IANA time zone name") from None
    data_dir = values.get("data_dir")
    return Settings(
        str(responder) if responder else None, zone, str(data_dir) if data_dir else None
    )


def remembered_responder(data_dir: Path) -> str | None:
    """The name the responder gave the terminal UI once, if they did."""
    try:
        return (data_dir / REMEMBERED).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def remember_responder(data_dir: Path, name: str) -> None:
    """Keep the responder's name beside the journal, readable by the user only."""
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = data_dir / REMEMBERED
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(name.strip() + "\n")


def responder(settings: Settings, data_dir: Path) -> str:
    """Who is acting: crisis.toml or the environment, else the remembered name, else the login."""
    return settings.responder or remembered_responder(data_dir) or getpass.getuser()
