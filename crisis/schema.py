"""Decode a located YAML document into frozen dataclasses, and describe them as JSON Schema."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import types
import typing
from collections.abc import Mapping
from dataclasses import MISSING, dataclass
from typing import Any, Literal, Union

from crisis.problems import FieldPath, Problem
from crisis.values import Check, Doc

if typing.TYPE_CHECKING:
    from crisis.yamlio import Document

INVALID: Any = object()

_KINDS = {
    bool: "true or false",
    int: "a whole number",
    str: "text",
    dict: "a mapping",
    list: "a list",
}


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str:
    """A hint naming the closest valid choice, or listing them when few."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if options and len(options) <= 12:
        return "valid: " + ", ".join(options)
    return ""


def describe(value: Any) -> str:
    """Name what the author wrote, for messages."""
    if value is None:
        return "nothing"
    kind = _KINDS.get(type(value), type(value).__name__)
    return f"{kind} {value!r}" if isinstance(value, (bool, int)) else kind


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)


def _split(tp: Any) -> tuple[Any, list[Any]]:
    """Separate a type from its Annotated extras."""
    if typing.get_origin(tp) is typing.Annotated:
        return tp.__origin__, list(tp.__metadata__)
    return tp, []


def _check(tp: Any) -> Check | None:
    """The Check among a type's Annotated extras, if any."""
    return next((extra for extra in _split(tp)[1] if isinstance(extra, Check)), None)


def _optional(tp: Any) -> Any | None:
    """The inner type of `X | None`, else None."""
    if typing.get_origin(tp) in (Union, types.UnionType):
        args = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        if len(args) == 1 and len(typing.get_args(tp)) == 2:
            return args[0]
    return None


@dataclass(frozen=True)
class Shape:
    """What a type annotation asks for, worked out once per type."""

    kind: str
    base: Any
    args: tuple[Any, ...] = ()
    check: Check | None = None


@functools.cache
def _shape(tp: Any) -> Shape:
    base, _ = _split(tp)
    check = _check(tp)
    inner = _optional(base)
    origin = typing.get_origin(base)
    if inner is not None:
        return Shape("optional", base, (inner,))
    if check is not None:
        return Shape("check", base, check=check)
    if dataclasses.is_dataclass(base):
        return Shape("record", base)
    if origin is Literal:
        return Shape("literal", base, typing.get_args(base))
    if origin is tuple:
        return Shape("tuple", base, typing.get_args(base))
    if origin in (dict, Mapping):
        return Shape("mapping", base, typing.get_args(base))
    return Shape("plain", base)


@functools.cache
def _fields(cls: type) -> dict[str, tuple[Any, bool]]:
    """Each field's type and whether it is required."""
    hints = _hints(cls)
    return {
        f.name: (hints[f.name], f.default is MISSING and f.default_factory is MISSING)
        for f in dataclasses.fields(cls)
    }


class Decoder:
    """Decodes one document, collecting every problem rather than stopping at the first."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.problems: list[Problem] = []

    def error(self, path: FieldPath, message: str, hint: str = "", *, key: bool = False) -> Any:
        self.problems.append(self.document.problem(path, message, hint, key=key))
        return INVALID

    def decode(self, tp: Any, value: Any, path: FieldPath) -> Any:
        """The value decoded as `tp`, or INVALID after recording why."""
        shape = _shape(tp)
        kind = shape.kind
        if kind == "optional":
            return None if value is None else self.decode(shape.args[0], value, path)
        if kind == "check":
            assert shape.check is not None
            if not isinstance(value, str):
                return self.error(path, f"expected {shape.check.describe()}, got {describe(value)}")
            try:
                return shape.check.parse(value)
            except ValueError as problem:
                return self.error(path, str(problem))
        if kind == "record":
            return self.record(shape.base, value, path)
        if kind == "literal":
            if value not in shape.args:
                shown = ", ".join(str(choice) for choice in shape.args)
                hint = did_you_mean(str(value), map(str, shape.args))
                return self.error(path, f"expected one of {shown}, got {describe(value)}", hint)
            return value
        if kind == "tuple":
            if not isinstance(value, list):
                return self.error(path, f"expected a list, got {describe(value)}")
            item_type = shape.args[0]
            items = [self.decode(item_type, item, (*path, i)) for i, item in enumerate(value)]
            if INVALID in items and _shape(item_type).kind == "record":
                return INVALID  # dropping a record would shift the positions later checks report
            return tuple(item for item in items if item is not INVALID)
        if kind == "mapping":
            return self.mapping(shape, value, path)
        base = shape.base
        if base is int and (isinstance(value, bool) or not isinstance(value, int)):
            return self.error(path, f"expected a whole number, got {describe(value)}")
        if not isinstance(value, base):
            hint = "put it in quotes" if base is str and value is not None else ""
            return self.error(
                path, f"expected {_KINDS.get(base, base)}, got {describe(value)}", hint
            )
        if base is str and not value.strip():
            return self.error(path, "must not be empty")
        return value

    def mapping(self, shape: Shape, value: Any, path: FieldPath) -> Any:
        """A mapping whose keys pass the key type's check (keys are always text)."""
        if not isinstance(value, dict):
            return self.error(path, f"expected a mapping, got {describe(value)}")
        key_type, item_type = shape.args
        key_check = _check(key_type)
        result = {}
        for key, item in value.items():
            result[key] = self.decode(item_type, item, (*path, key))
            try:
                if key_check is not None:
                    key_check.parse(key)
            except ValueError as problem:
                result[key] = self.error((*path, key), str(problem), key=True)
        return {key: item for key, item in result.items() if item is not INVALID}

    def record(self, cls: type, value: Any, path: FieldPath) -> Any:
        """A dataclass from a mapping; a bad optional field falls back to its default so that
        later checks still run, while the problem is recorded."""
        if not isinstance(value, dict):
            return self.error(path, f"expected a mapping, got {describe(value)}")
        fields = _fields(cls)
        for key in value:
            if key not in fields:
                self.error(
                    (*path, key), f"unknown key '{key}'", did_you_mean(key, fields), key=True
                )
        arguments: dict[str, Any] = {}
        complete = True
        for name, (hint, required) in fields.items():
            if name in value:
                decoded = self.decode(hint, value[name], (*path, name))
                if decoded is not INVALID:
                    arguments[name] = decoded
                complete = complete and (decoded is not INVALID or not required)
            elif required:
                complete = self.error(path, f"required key '{name}' is missing") and False
        return cls(**arguments) if complete else INVALID


def decode(cls: type, document: Document) -> tuple[Any, list[Problem]]:
    """Decode a whole document as `cls`; the value is INVALID when there are problems."""
    decoder = Decoder(document)
    value = decoder.decode(cls, document.data, ())
    return value, decoder.problems


def json_schema(tp: Any) -> dict[str, Any]:
    """The JSON Schema of a type of the file formats, for editors' completion and checking."""
    base, extras = _split(tp)
    schema: dict[str, Any] = {}
    inner = _optional(base)
    check = _check(tp)
    if inner is not None:
        schema = {"anyOf": [json_schema(inner), {"type": "null"}]}
    elif check is not None:
        schema = check.schema()
    elif dataclasses.is_dataclass(base):
        hints = _hints(typing.cast(type, base))
        fields = dataclasses.fields(base)
        schema = {
            "type": "object",
            "additionalProperties": False,
            "properties": {f.name: json_schema(hints[f.name]) for f in fields},
            "required": [
                f.name
                for f in fields
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            ],
        }
        if base.__doc__:
            schema["description"] = base.__doc__
    elif typing.get_origin(base) is Literal:
        schema = {"enum": list(typing.get_args(base))}
    elif typing.get_origin(base) is tuple:
        schema = {"type": "array", "items": json_schema(typing.get_args(base)[0])}
    elif typing.get_origin(base) in (dict, Mapping):
        key_type, item_type = typing.get_args(base)
        schema = {"type": "object", "additionalProperties": json_schema(item_type)}
        key_check = _check(key_type)
        if key_check is not None:
            schema["propertyNames"] = key_check.schema()
    else:
        names = {bool: "boolean", int: "integer", str: "string"}
        schema = {"type": names[base]}
    for extra in extras:
        if isinstance(extra, Doc):
            schema["description"] = extra.text
    return schema
