"""The one strict YAML entry point: safe, alias-free, narrowly typed, with positions."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from crisis.problems import FieldPath, InvalidInput, Level, Problem, field_name

MAX_BYTES = 1 << 20
MAX_DEPTH = 64
PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_SECRET = re.compile(r"(?i)(?:^|[_-])(password|passwd|secret|token|api[_-]?key)\Z")


@dataclass(frozen=True)
class Mark:
    """A 1-based line and column in a source file."""

    line: int
    column: int


@dataclass(frozen=True)
class Document:
    """A parsed YAML mapping; the position of every value and key is worked out when needed."""

    name: str
    data: dict[str, Any]
    text: str = ""

    @functools.cached_property
    def _positions(self) -> tuple[dict[FieldPath, Mark], dict[FieldPath, Mark]]:
        builder = _Builder(self.name)
        builder.run(yaml.parse(self.text, Loader=PARSER))
        return builder.marks, builder.key_marks

    @property
    def marks(self) -> Mapping[FieldPath, Mark]:
        return self._positions[0]

    @property
    def key_marks(self) -> Mapping[FieldPath, Mark]:
        return self._positions[1]

    def mark(self, path: FieldPath, *, key: bool = False) -> Mark:
        """The position of `path` (or of its key), else of its nearest known ancestor."""
        if key and path in self.key_marks:
            return self.key_marks[path]
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, Mark(1, 1))

    def problem(
        self,
        path: FieldPath,
        message: str,
        hint: str = "",
        *,
        key: bool = False,
        warning: bool = False,
    ) -> Problem:
        """A problem located at `path` in this document."""
        mark = self.mark(path, key=key)
        level: Level = "warning" if warning else "error"
        return Problem(self.name, mark.line, mark.column, field_name(path), message, hint, level)


@dataclass
class _Frame:
    """A collection being built while events stream past."""

    value: dict[str, Any] | list[Any]
    path: FieldPath
    key: str | None = None
    key_line: dict[str, int] = field(default_factory=dict)


class _Builder:
    """Folds a stream of parser events into plain values, collecting every problem."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.marks: dict[FieldPath, Mark] = {}
        self.key_marks: dict[FieldPath, Mark] = {}
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0

    def fail(self, event: Any, path: FieldPath, message: str, hint: str = "") -> None:
        mark = event.start_mark
        self.problems.append(
            Problem(self.name, mark.line + 1, mark.column + 1, field_name(path), message, hint)
        )

    def run(self, events: Iterable[Any]) -> None:
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    self.fail(event, (), "a file holds exactly one YAML document", "remove '---'")
                    return
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                self.stack.pop()
            elif isinstance(event, yaml.NodeEvent) and not self.node(event):
                return

    def node(self, event: Any) -> bool:
        """Place one node event; False when the rest of the file cannot be read sensibly."""
        parent = self.stack[-1] if self.stack else None
        if isinstance(parent, _Frame) and isinstance(parent.value, dict) and parent.key is None:
            return self.key(event, parent)
        if parent is None:
            path: FieldPath = ()
        elif isinstance(parent.value, list):
            path = (*parent.path, len(parent.value))
        else:
            path = (*parent.path, str(parent.key))
        self.marks[path] = Mark(event.start_mark.line + 1, event.start_mark.column + 1)
        if isinstance(event, yaml.AliasEvent):
            self.fail(
                event, path, f"aliases are not allowed (*{event.anchor})", "write the value out"
            )
            value: Any = None
        else:
            if event.anchor is not None:
                self.fail(event, path, f"anchors are not allowed (&{event.anchor})", "remove it")
            if event.tag not in (None, "!"):
                self.fail(event, path, f"tags are not allowed ({event.tag})", "quote the value")
            if isinstance(event, yaml.ScalarEvent):
                value = _scalar(event)
            else:
                if len(self.stack) >= MAX_DEPTH:
                    self.fail(event, path, f"nested deeper than {MAX_DEPTH} levels")
                    return False
                value = {} if isinstance(event, yaml.MappingStartEvent) else []
        if parent is None:
            self.root = value
        elif isinstance(parent.value, list):
            parent.value.append(value)
        else:
            parent.value[str(parent.key)] = value
            parent.key = None
        if isinstance(value, (dict, list)) and not isinstance(event, yaml.AliasEvent):
            self.stack.append(_Frame(value, path))
        return True

    def key(self, event: Any, frame: _Frame) -> bool:
        """Accept a mapping key: plain text, unique, not a merge key and not a secret."""
        if not isinstance(event, yaml.ScalarEvent) or event.anchor is not None:
            self.fail(event, frame.path, "mapping keys must be plain text")
            return False
        key = event.value
        path = (*frame.path, key)
        start: Any = event.start_mark
        line = start.line + 1
        if key == "<<" and event.style in ("", None):
            self.fail(event, path, "merge keys (<<) are not allowed", "write the keys out")
        elif key in frame.key_line:
            first = frame.key_line[key]
            self.fail(event, path, f"duplicate key '{key}' on lines {first} and {line}")
        elif _SECRET.search(key):
            self.fail(
                event,
                path,
                f"'{key}' looks like a secret; secrets never go in files",
                "read it from an environment variable",
            )
        frame.key_line.setdefault(key, line)
        frame.key = key
        self.key_marks[path] = Mark(line, start.column + 1)
        return True


def _scalar(event: Any) -> Any:
    """Type a scalar as YAML 1.2 core, narrowed: only booleans, decimal integers and null."""
    text: str = event.value
    if event.tag is None and event.implicit[0]:
        if text in _BOOLS:
            return _BOOLS[text]
        if text in _NULLS:
            return None
        if _INT.match(text):
            return int(text)
    return text


class _Unusual(Exception):
    """The document needs the careful, located reading: it has (or may have) a problem."""


def _plain(text: str) -> dict[str, Any]:
    """Build a clean document's values quickly, without positions; raise _Unusual otherwise."""
    stack: list[Any] = []
    keys: list[str | None] = []
    root: Any = None
    documents = 0
    event: Any
    for event in yaml.parse(text, Loader=PARSER):
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if event.anchor is not None or event.tag not in (None, "!"):
                raise _Unusual
            if stack and keys[-1] is None and type(stack[-1]) is dict:
                key = event.value
                if key in stack[-1] or key == "<<" or _SECRET.search(key):
                    raise _Unusual
                keys[-1] = key
                continue
            value: Any = _scalar(event)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH:
                raise _Unusual
            if stack and keys[-1] is None and type(stack[-1]) is dict:
                raise _Unusual
            value = {} if kind is yaml.MappingStartEvent else []
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
            keys.pop()
            continue
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Unusual
            continue
        elif kind is yaml.AliasEvent:
            raise _Unusual
        else:
            continue
        if not stack:
            root = value
        elif type(stack[-1]) is list:
            stack[-1].append(value)
        else:
            stack[-1][keys[-1]] = value
            keys[-1] = None
        if kind is not yaml.ScalarEvent:
            stack.append(value)
            keys.append(None)
    if type(root) is not dict:
        raise _Unusual
    return root


def _position(raw: bytes, offset: int) -> Mark:
    """The line and column of a byte offset."""
    before = raw[:offset]
    line = before.count(b"\n") + 1
    return Mark(line, offset - (before.rfind(b"\n") + 1) + 1)


def parse(raw: bytes, name: str) -> Document:
    """Parse one YAML file's bytes into a Document, or raise InvalidInput with every problem."""
    if len(raw) > MAX_BYTES:
        problem = Problem(name, 1, 1, "", "file is larger than the 1 MiB limit", "split it")
        raise InvalidInput([problem])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        mark = _position(raw, error.start)
        problem = Problem(name, mark.line, mark.column, "", "not valid UTF-8", "save it as UTF-8")
        raise InvalidInput([problem]) from None
    text = text.removeprefix("\ufeff")
    try:
        return Document(name, _plain(text), text)
    except (_Unusual, yaml.YAMLError):
        pass  # read it again carefully, collecting every problem with its position
    builder = _Builder(name)
    try:
        builder.run(yaml.parse(text, Loader=PARSER))
    except yaml.MarkedYAMLError as error:
        where = error.problem_mark or error.context_mark
        line, column = (where.line + 1, where.column + 1) if where else (1, 1)
        message = " ".join(part for part in (error.context, error.problem) if part)
        builder.problems.append(Problem(name, line, column, "", f"YAML syntax: {message}"))
    except yaml.YAMLError as error:
        builder.problems.append(Problem(name, 1, 1, "", f"YAML syntax: {error}"))
    if not builder.problems and not isinstance(builder.root, dict):
        kinds = {list: "a list", str: "text", int: "a number", bool: "true or false"}
        found = kinds.get(type(builder.root), "nothing")
        builder.problems.append(
            Problem(name, 1, 1, "", f"the top level must be a mapping of keys, not {found}")
        )
    raise InvalidInput(builder.problems)


def load(path: Path, name: str | None = None) -> Document:
    """Read and parse a YAML file; `name` is how problems refer to it."""
    name = name or str(path)
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except OSError as error:
        raise InvalidInput([Problem(name, 1, 1, "", f"cannot read: {error.strerror}")]) from None
    return parse(raw, name)
