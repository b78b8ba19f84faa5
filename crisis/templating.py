"""Render playbook templates in an immutable, strict sandbox; user text is only ever data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from crisis.model import Level, Organisation

MAX_TEMPLATE_BYTES = 64 * 1024
MAX_OUTPUT_CHARS = 1 << 20
MAX_RANGE = 1000
MAX_POWER = 64
BUILTINS = frozenset({"incident", "severity", "org"})


class TemplateError(Exception):
    """A template that cannot be compiled or rendered, with a reason a person can act on."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _bounded_range(*args: int) -> range:
    """`range` that refuses to build huge sequences inside a template."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateError(f"range() of more than {MAX_RANGE} items is not allowed")
    return numbers


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox, with `*` and `**` bounded so that no expression builds a huge value."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if isinstance(right, int) and abs(right) > MAX_POWER:
                raise TemplateError(f"powers above {MAX_POWER} are not allowed")
        elif isinstance(left, int) and isinstance(right, str | list | tuple):
            left, right = right, left
        sequence = isinstance(left, str | list | tuple) and isinstance(right, int)
        if operator == "*" and sequence and len(left) * right > MAX_OUTPUT_CHARS:
            raise TemplateError("output is larger than 1 MiB")
        return super().call_binop(context, operator, left, right)


class Templates:
    """The template files under one directory, each parsed and compiled at most once."""

    def __init__(self, root: Path) -> None:
        self.env = _Sandbox(
            loader=jinja2.FileSystemLoader(root),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            auto_reload=False,
        )
        self.env.globals["range"] = _bounded_range
        self._compiled: dict[str, Compiled] = {}

    def _source(self, name: str) -> str:
        assert self.env.loader is not None
        try:
            text, _, _ = self.env.loader.get_source(self.env, name)
        except jinja2.TemplateNotFound:
            raise TemplateError(f"template file '{name}' does not exist") from None
        except UnicodeDecodeError:
            raise TemplateError(f"template file '{name}' is not valid UTF-8") from None
        if len(text.encode()) > MAX_TEMPLATE_BYTES:
            raise TemplateError(f"template file '{name}' is larger than 64 KiB")
        return text

    def compile(self, name: str) -> Compiled:
        """Parse and compile a template file once, with clean errors."""
        if name not in self._compiled:
            env = self.env
            try:
                tree = env.parse(self._source(name))
                names = frozenset(meta.find_undeclared_variables(tree))
                code = env.compile(tree)
            except jinja2.TemplateSyntaxError as error:
                raise TemplateError(f"syntax: {error.message}", error.lineno) from None
            except (ValueError, ArithmeticError, RecursionError) as error:
                raise TemplateError(f"cannot compile: {type(error).__name__}: {error}") from None
            template = env.template_class.from_code(env, code, env.make_globals(None))
            self._compiled[name] = Compiled(name, names, template)
        return self._compiled[name]

    def variables(self, name: str) -> frozenset[str]:
        """The top-level names a template reads (its facts and the built-ins)."""
        return self.compile(name).variables

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """Render one template file with `context`, bounded in size, with clean errors."""
        template = self.compile(name).template
        try:
            size, parts = 0, []
            for part in template.generate(dict(context)):
                size += len(part)
                if size > MAX_OUTPUT_CHARS:
                    raise TemplateError("output is larger than 1 MiB")
                parts.append(part)
        except jinja2.UndefinedError as error:
            raise TemplateError(f"undefined: {error.message}") from None
        except jinja2.exceptions.SecurityError as error:
            raise TemplateError(f"not allowed in a template: {error}") from None
        except jinja2.TemplateSyntaxError as error:
            where = f" in {error.name}" if error.name else ""
            raise TemplateError(f"syntax{where}: {error.message}", error.lineno) from None
        except jinja2.TemplateError as error:
            raise TemplateError(f"{type(error).__name__}: {error}") from None
        except RecursionError:
            raise TemplateError("the template includes or calls itself without end") from None
        except (TypeError, ValueError, ArithmeticError, LookupError, OverflowError) as error:
            raise TemplateError(f"{type(error).__name__}: {error}") from None
        return "".join(parts).strip() + "\n"


@dataclass(frozen=True)
class Compiled:
    """A template file parsed once: the names it reads and the code that renders it."""

    name: str
    variables: frozenset[str]
    template: jinja2.Template


def context(
    incident: Mapping[str, str], level: Level, org: Organisation, facts: Mapping[str, str]
) -> dict[str, Any]:
    """The names a template sees: the facts, plus `incident`, `severity` and `org`."""
    return {
        **facts,
        "incident": dict(incident),
        "severity": {"id": level.id, "name": level.name},
        "org": {
            "name": org.name,
            "website": org.website,
            "press_email": org.press_email,
            "press_phone": org.press_phone or "",
        },
    }


def sample_context(
    title: str, level: Level, org: Organisation, facts: Mapping[str, str]
) -> dict[str, Any]:
    """A context for validating templates, with fixed sample incident values."""
    incident = {
        "id": "INC-SAMPLE",
        "title": title,
        "declared": "2026-03-29 09:30 CEST",
        "aware": "2026-03-29 08:55 CEST",
    }
    return context(incident, level, org, facts)
