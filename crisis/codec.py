"""Events as text and back: canonical JSON, the hash, times, ids, and the checks on each field."""

from __future__ import annotations

import hashlib
import json
import os
import re
from _json import make_encoder
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from json.encoder import encode_basestring as _quote
from typing import Any, TypeAlias, cast
from zoneinfo import ZoneInfo

from crisis.problems import CrisisError

Json: TypeAlias = None | bool | int | str | list["Json"] | dict[str, "Json"]
IdMaker = Callable[[datetime], str]
Checked = tuple[str, str, str, str, str, datetime, dict[str, "Json"], str]
Row = tuple[str, int, str, str, str, str, str, str, str, str]

DOMAIN = b"crisis-journal-v1\x00"
GENESIS = "0" * 64
FIELDS = ("incident", "seq", "id", "ts", "tz", "actor", "kind", "text", "data", "prev")
COLUMNS = ", ".join((*FIELDS, "hash"))
MAX_SAFE_INT = 2**53 - 1
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MILLISECOND = timedelta(milliseconds=1)
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CROCKFORD_PAIRS = [first + second for first in CROCKFORD for second in CROCKFORD]
RANDOM_CHARS = bytes(ord(CROCKFORD[byte % 32]) for byte in range(256))


class JournalError(CrisisError):
    """The journal cannot be opened, read or written, or was asked to store something invalid."""


class Conflict(JournalError):
    """Events not appended because the incident changed since the caller read it."""


class MalformedEvent(JournalError):
    """A stored row that cannot be read back as an event, with the seq and column at fault."""

    def __init__(self, message: str, seq: int | None, field: str) -> None:
        super().__init__(message)
        self.seq = seq
        self.field = field


@dataclass(frozen=True, init=False)
class Event:
    """One entry of an incident's journal, linked to its predecessor by `prev`."""

    incident: str
    seq: int
    id: str
    ts: datetime
    tz: str
    actor: str
    kind: str
    text: str
    data: dict[str, Json]
    prev: str
    hash: str

    def __init__(
        self,
        incident: str,
        seq: int,
        id: str,
        ts: datetime,
        tz: str,
        actor: str,
        kind: str,
        text: str,
        data: dict[str, Json],
        prev: str,
        hash: str,
    ) -> None:
        """Set the fields in one step: the generated frozen __init__ calls setattr eleven times."""
        self.__dict__.update(incident=incident, seq=seq, id=id, ts=ts, tz=tz, actor=actor,
                             kind=kind, text=text, data=data, prev=prev, hash=hash)  # fmt: skip

    def fields(self) -> dict[str, object]:
        """Every field that the hash covers, so that anyone can recompute it."""
        return {name: getattr(self, name) for name in FIELDS}


@dataclass(frozen=True)
class Entry:
    """What a caller asks to append; the journal adds seq, id, prev and hash."""

    kind: str
    text: str
    actor: str
    tz: str
    ts: datetime
    data: Mapping[str, object] = field(default_factory=dict)


def format_ts(ts: datetime) -> str:
    """An aware time as RFC 3339 in UTC with microseconds and 'Z', the one form that is hashed."""
    if type(ts) is not datetime and not isinstance(ts, datetime):
        raise JournalError(f"time must be a datetime, not {type(ts).__name__}")
    if ts.tzinfo is not UTC:
        if ts.tzinfo is None or ts.utcoffset() is None:
            raise JournalError(f"time {ts.isoformat()} has no time zone; the journal needs one")
        ts = ts.astimezone(UTC)
    return ts.isoformat(timespec="microseconds")[:-6] + "Z"


def parse_ts(text: str) -> datetime:
    """The stored form `YYYY-MM-DDTHH:MM:SS.ffffffZ` back as an aware UTC time."""
    if len(text) != 27 or text[-1] != "Z" or text[10] != "T" or text[19] != ".":
        raise ValueError(f"'{text}' is not a UTC time written YYYY-MM-DDTHH:MM:SS.ffffffZ")
    return datetime.fromisoformat(text)


def _normal(value: object, where: str) -> Json:
    """The value checked for JSON types, with every object's keys in RFC 8785 (UTF-16) order."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        if -MAX_SAFE_INT <= value <= MAX_SAFE_INT:
            return int(value)
        raise JournalError(f"{where}: {value} is beyond the integers JSON can carry exactly")
    if isinstance(value, float):
        raise JournalError(f"{where}: {value!r} is a float; store a string or an integer")
    if isinstance(value, Mapping):
        keys = list(value)
        for key in keys:
            if not isinstance(key, str):
                raise JournalError(f"{where}: key {key!r} is not text")
        keys.sort(key=lambda key: key.encode("utf-16-be", "surrogatepass"))
        return {key: _normal(value[key], f"{where}.{key}") for key in keys}
    if isinstance(value, list | tuple):
        return [_normal(item, f"{where}[{i}]") for i, item in enumerate(value)]
    raise JournalError(f"{where}: a {type(value).__name__} cannot be stored in the journal")


def _no_float(text: str) -> int:
    raise ValueError(f"{text} is a float")


def _safe_int(text: str) -> int:
    value = int(text)
    if not -MAX_SAFE_INT <= value <= MAX_SAFE_INT:
        raise ValueError(f"{text} is too large")
    return value


def _flat(obj: dict[Any, Any]) -> bool:
    """A mapping of text to text, booleans, null and safe integers: JSON with nothing to check."""
    for key, value in obj.items():
        kind = type(value)
        if type(key) is not str:
            return False
        if kind is int:
            if not -MAX_SAFE_INT <= value <= MAX_SAFE_INT:
                return False
        elif not (kind is str or kind is bool or value is None):
            return False
    return True


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)
_DECODER = json.JSONDecoder(parse_float=_no_float, parse_int=_safe_int)
_FLAT = make_encoder(None, _ENCODER.default, _quote, None, ":", ",", True, False, False)
_HIGH = re.compile("[\ue000-\U0010ffff]")


def _canonical(obj: object, where: str) -> tuple[str, Json]:
    """Canonical JSON text of a value and a fresh copy, at C speed when that is provably exact."""
    # json's sort_keys orders by code point; RFC 8785 by UTF-16 unit. They agree unless a
    # character from U+E000 up occurs. Parsing back equal rules out floats, tuples and odd keys.
    # Anything else takes the checking walk, which also names the first bad place.
    if type(obj) is dict and _flat(obj):
        text = "".join(_FLAT(obj, 0))
        if text.isascii() or not _HIGH.search(text):
            return text, dict(obj)
    try:
        text = _ENCODER.encode(obj)
        if not _HIGH.search(text):
            copy = _DECODER.decode(text)
            if copy == obj:
                return text, copy
    except (TypeError, ValueError, RecursionError):
        pass
    normal = _normal(obj, where)
    return json.dumps(normal, ensure_ascii=False, separators=(",", ":")), normal


def _utf8(text: str, where: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise JournalError(f"{where}: text holds a lone surrogate, which is not Unicode") from error


def canonical_json(obj: object, where: str = "value") -> bytes:
    """RFC 8785 (JCS) bytes of a float-free JSON value: sorted keys, no spaces, UTF-8."""
    return _utf8(_canonical(obj, where)[0], where)


def digest(row: Row) -> str:
    """The hash of checked fields in FIELDS order with data as canonical text; keys are sorted."""
    incident, seq, id_, ts, tz, actor, kind, text, data, prev = row
    q = _quote
    preimage = (
        f'{{"actor":{q(actor)},"data":{data},"id":{q(id_)},"incident":{q(incident)},'
        f'"kind":{q(kind)},"prev":{q(prev)},"seq":{seq},"text":{q(text)},"ts":{q(ts)},'
        f'"tz":{q(tz)}}}'
    )
    return hashlib.sha256(DOMAIN + _utf8(preimage, "event")).hexdigest()


def event_hash(fields: Mapping[str, object]) -> str:
    """SHA-256 (hex) over the domain tag and the canonical JSON of every field but `hash`."""
    names = set(fields) - {"hash"}
    if names != set(FIELDS):
        missing = ", ".join(sorted(set(FIELDS) - names)) or "none"
        extra = ", ".join(sorted(names - set(FIELDS))) or "none"
        raise JournalError(f"event fields: missing {missing}; unexpected {extra}")
    ts, seq = fields["ts"], fields["seq"]
    values = dict(fields, ts=format_ts(ts) if isinstance(ts, datetime) else ts)
    if type(seq) is not int or not -MAX_SAFE_INT <= seq <= MAX_SAFE_INT:
        raise JournalError(f"event.seq: {seq!r} is not an integer JSON can carry exactly")
    values["data"] = _canonical(fields["data"], "event.data")[0]
    row = tuple(values[name] for name in FIELDS)
    for name, value in zip(FIELDS, row, strict=True):
        if name != "seq" and not isinstance(value, str):
            raise JournalError(f"event.{name}: must be text, not {type(value).__name__}")
    return digest(cast("Row", row))


def new_id(ts: datetime) -> str:
    """A ULID: the event's millisecond time and 80 random bits, in Crockford base 32."""
    millis, pairs = (ts - EPOCH) // MILLISECOND, CROCKFORD_PAIRS
    if not 0 <= millis < 2**48:
        millis = 0 if millis < 0 else 2**48 - 1
    # Each random byte picks one of the 32 characters evenly: 16 of them carry the 80 bits.
    return (
        pairs[millis >> 40]
        + pairs[millis >> 30 & 1023]
        + pairs[millis >> 20 & 1023]
        + pairs[millis >> 10 & 1023]
        + pairs[millis & 1023]
        + os.urandom(16).translate(RANDOM_CHARS).decode("ascii")
    )


_ZONES: set[str] = set()


def _zone(tz: str) -> None:
    """Accept an IANA zone name once ZoneInfo has found it; remember it for the next event."""
    try:
        ZoneInfo(tz)
    except (ValueError, KeyError, OSError):
        raise JournalError(f"tz: '{tz}' is not an IANA time zone such as Europe/Oslo") from None
    _ZONES.add(tz)


def text_field(name: str, value: object, *, empty: bool = False) -> str:
    """A field checked to be text, and not empty unless allowed."""
    if type(value) is not str and not isinstance(value, str):
        raise JournalError(f"{name} must be text, not {type(value).__name__}")
    if not value and not empty:
        raise JournalError(f"{name} must not be empty")
    return value


def checked(
    kind: str, text: str, actor: str, tz: str, ts: datetime, data: Mapping[str, object]
) -> Checked:
    """An event's parts validated before the write lock is taken, with stored ts and data."""
    if type(text) is not str or not (
        type(kind) is type(actor) is type(tz) is str and kind and actor
    ):
        for name, value in (("kind", kind), ("actor", actor), ("tz", tz)):
            text_field(name, value)
        text_field("text", text, empty=True)
    if tz not in _ZONES:
        _zone(tz)
    if type(data) is not dict and not isinstance(data, Mapping):
        raise JournalError(f"data must be a mapping, not {type(data).__name__}")
    stored, copy = ("{}", {}) if not data else _canonical(data, "data")
    if type(ts) is datetime and ts.tzinfo is UTC:
        moment = ts.isoformat("T", "microseconds")[:-6] + "Z"
        return kind, text, actor, tz, moment, ts, cast("dict[str, Json]", copy), stored
    moment = format_ts(ts)
    return kind, text, actor, tz, moment, ts.astimezone(UTC), cast("dict[str, Json]", copy), stored
