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
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_X_HEAVY = re.compile("[^\u0000-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")
_EMOJI_PART = "[\u2600-\u27bf\U0001f000-\U0001faff][\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]*"
_EMOJI = re.compile(f"[\U0001f1e6-\U0001f1ff]{{2}}|{_EMOJI_PART}(?:\u200d{_EMOJI_PART})*")


def length(channel: str, text: str) -> int:
    """The length of `text` as the channel's platform counts it."""
    text = text.strip()
    if channel != "x":
        return len(text)
    links = _URL.findall(text)
    rest = _URL.sub("", text)
    emoji = _EMOJI.findall(rest)  # a flag, a skin tone or a ZWJ family is one emoji: two
    rest = _EMOJI.sub("", rest)
    # X counts Latin and common punctuation as one, most other characters (CJK) as two.
    return len(links) * X_URL_LENGTH + 2 * len(emoji) + len(rest) + len(_X_HEAVY.findall(rest))


def limit(channel: str, override: int | None) -> int | None:
    """The character limit that applies: the template's own, else the channel's."""
    return override if override is not None else LIMITS.get(channel)
