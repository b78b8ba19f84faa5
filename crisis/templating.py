"""Render playbook templates in an immutable, strict sandbox; user text is only ever data."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from crisis.model import Level, Organisation

MAX_TEMPLATE_BYTES = 64 * 1024
MAX_OUTPUT_CHARS = 1 << 20
MAX_RANGE = 1000
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


def environment(root: Path) -> jinja2.Environment:
    """The sandboxed environment for the template files under `root`."""
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(root),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,
    )
    env.globals["range"] = _bounded_range
    return env


def _source(env: jinja2.Environment, name: str) -> str:
    assert env.loader is not None
    try:
        text, _, _ = env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        raise TemplateError(f"template file '{name}' does not exist") from None
    except UnicodeDecodeError:
        raise TemplateError(f"template file '{name}' is not valid UTF-8") from None
    if len(text.encode()) > MAX_TEMPLATE_BYTES:
        raise TemplateError(f"template file '{name}' is larger than 64 KiB")
    return text


def variables(env: jinja2.Environment, name: str) -> frozenset[str]:
    """The top-level names a template reads (its facts and the built-ins)."""
    try:
        return frozenset(meta.find_undeclared_variables(env.parse(_source(env, name))))
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(f"syntax: {error.message}", error.lineno) from None


def render(env: jinja2.Environment, name: str, context: Mapping[str, Any]) -> str:
    """Render one template file with `context`, bounded in size, with clean errors."""
    try:
        template = env.from_string(_source(env, name))
        size, parts = 0, []
        for part in template.generate(dict(context)):
            size += len(part)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateError("output is larger than 1 MiB")
            parts.append(part)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(f"syntax: {error.message}", error.lineno) from None
    except jinja2.UndefinedError as error:
        raise TemplateError(f"undefined: {error.message}") from None
    except jinja2.exceptions.SecurityError as error:
        raise TemplateError(f"not allowed in a template: {error}") from None
    except (TypeError, ValueError, ArithmeticError, LookupError, OverflowError) as error:
        raise TemplateError(f"{type(error).__name__}: {error}") from None
    return "".join(parts).strip() + "\n"


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
