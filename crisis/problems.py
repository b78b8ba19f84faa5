"""Problems found in user files, each pointing at a file, line, column and field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning"]
FieldPath = tuple[str | int, ...]


def field_name(path: FieldPath) -> str:
    """Render a field path as `steps[2].owner`, the way a reader navigates the file."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in one place of one file."""

    file: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""
    level: Level = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}:"
        field = f" {self.field}:" if self.field else ""
        level = " warning:" if self.level == "warning" else ""
        hint = f"; {self.hint}" if self.hint else ""
        return f"{where}{field}{level} {self.message}{hint}"

    def as_json(self) -> dict[str, str | int]:
        """The problem as a plain mapping for `--format json`."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "level": self.level,
            "message": self.message,
            "hint": self.hint,
        }


class CrisisError(Exception):
    """Base of every error the core raises on purpose."""


class InvalidInput(CrisisError):
    """User files that cannot be used, with every problem found in them."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = tuple(problems)


def sort_key(problem: Problem) -> tuple[str, int, int, str]:
    """Order problems the way an editor lists them: by file, then position."""
    return (problem.file, problem.line, problem.column, problem.message)
