"""Publishing channels: their default character limits and how each platform counts characters."""

from __future__ import annotations

import re

LIMITS: dict[str, int | None] = {
    "x": 280,
    "facebook": 63206,
    "instagram": 2200,
    "linkedin": 3000,
    "sms": 160,
    "email": None,
    "web": None,
    "press": None,
    "internal": None,
    "regulator": None,
}
X_URL_LENGTH = 23
_URL = re.compile(r"https?://\S+")
_X_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))


def _x_weight(char: str) -> int:
    """X counts Latin and common punctuation as one, most other characters (CJK, emoji) as two."""
    point = ord(char)
    return 1 if any(low <= point <= high for low, high in _X_LIGHT) else 2


def length(channel: str, text: str) -> int:
    """The length of `text` as the channel's platform counts it."""
    text = text.strip()
    if channel != "x":
        return len(text)
    links = _URL.findall(text)
    rest = _URL.sub("", text)
    return len(links) * X_URL_LENGTH + sum(_x_weight(char) for char in rest)


def limit(channel: str, override: int | None) -> int | None:
    """The character limit that applies: the template's own, else the channel's."""
    return override if override is not None else LIMITS.get(channel)
