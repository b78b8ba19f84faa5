"""A root's roster, scale and playbooks, loaded and checked together in one pass."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from crisis.model import Contacts, Playbook, Scale
from crisis.problems import InvalidInput, Problem, sort_key
from crisis.root import CONTACTS, PLAYBOOKS, RootError
from crisis.schema import INVALID, decode, did_you_mean

if TYPE_CHECKING:
    from crisis.templating import Templates
    from crisis.yamlio import Document

T = TypeVar("T")
KINDS: dict[str, type] = {"playbook": Playbook, "scale": Scale}


@dataclass(frozen=True)
class Source(Generic[T]):
    """A decoded value with the document it came from, so later checks can point into it."""

    document: Document
    value: T


@dataclass(frozen=True)
class Catalog:
    """Everything under one root, with every problem found in it."""

    root: Path
    contacts: Source[Contacts] | None
    scale: Source[Scale] | None
    playbooks: tuple[Source[Playbook], ...]
    problems: tuple[Problem, ...]
    files: int
    templates: Templates | None = field(default=None, compare=False, repr=False)
    """The compiled template files, reused when drafting."""

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level == "warning")

    def playbook(self, playbook_id: str) -> Playbook:
        """The playbook with this id, or a RootError naming the ones there are."""
        for source in self.playbooks:
            if source.value.id == playbook_id:
                return source.value
        ids = [source.value.id for source in self.playbooks]
        raise RootError(f"no playbook '{playbook_id}'; {did_you_mean(playbook_id, ids)}")


def display_name(path: Path) -> str:
    """A path as short as it can be said: relative to the current directory when inside it."""
    absolute = path.absolute()
    here = Path.cwd()
    return str(absolute.relative_to(here)) if absolute.is_relative_to(here) else str(absolute)


def _decode(cls: type, document: Document, problems: list[Problem]) -> Any:
    value, found = decode(cls, document)
    problems.extend(found)
    return value


def _read(path: Path, problems: list[Problem]) -> Document | None:
    from crisis.yamlio import load

    try:
        return load(path, display_name(path))
    except InvalidInput as error:
        problems.extend(error.problems)
        return None


def load_catalog(root: Path, today: date) -> Catalog:
    """Load and check the whole set under `root`, collecting every problem in one pass."""
    from crisis import checks, templating  # Jinja2 is imported only when a set is loaded

    problems: list[Problem] = []
    contacts: Source[Contacts] | None = None
    scale: Source[Scale] | None = None
    playbooks: list[Source[Playbook]] = []
    playbooks_dir = root / PLAYBOOKS
    paths = sorted(p for p in playbooks_dir.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))
    collecting = gc.isenabled()
    gc.disable()
    try:
        contacts_path = root / CONTACTS
        if not contacts_path.is_file():
            problems.append(Problem(display_name(contacts_path), 1, 1, "", "file not found"))
        elif (document := _read(contacts_path, problems)) is not None:
            value = _decode(Contacts, document, problems)
            if value is not INVALID:
                contacts = Source(document, value)
                problems += checks.contacts(document, value, today)
        for path in paths:
            document = _read(path, problems)
            if document is None:
                continue
            kind = document.data.get("kind")
            if kind not in KINDS:
                problems.append(
                    document.problem(
                        ("kind",),
                        f"expected kind playbook or scale, got {kind!r}",
                        did_you_mean(str(kind), KINDS),
                    )
                )
                continue
            value = _decode(KINDS[kind], document, problems)
            if value is INVALID:
                continue
            if isinstance(value, Scale):
                if scale is not None:
                    problems.append(
                        document.problem(
                            ("kind",), f"a second scale; the scale is {scale.document.name}"
                        )
                    )
                else:
                    scale = Source(document, value)
            else:
                playbooks.append(Source(document, value))
    finally:
        if collecting:
            gc.enable()
    if scale is None:
        where = display_name(playbooks_dir)
        problems.append(Problem(where, 1, 1, "", "no severity scale (a file with kind: scale)"))
    else:
        roster = contacts.value if contacts else None
        problems += checks.scale(scale.document, scale.value, roster)
    context = checks.Context(
        contacts=contacts.value if contacts else None,
        scale=scale.value if scale else None,
        playbooks_dir=playbooks_dir,
        templates=templating.Templates(playbooks_dir),
        today=today,
    )
    seen: dict[str, str] = {}
    for source in playbooks:
        problems += checks.playbook(source.document, source.value, context)
        if source.value.id in seen:
            problems.append(
                source.document.problem(
                    ("id",),
                    f"playbook id '{source.value.id}' is also used by {seen[source.value.id]}",
                )
            )
        seen.setdefault(source.value.id, source.document.name)
    return Catalog(
        root=root,
        contacts=contacts,
        scale=scale,
        playbooks=tuple(playbooks),
        problems=tuple(sorted(problems, key=sort_key)),
        files=len(paths) + 1,
        templates=context.templates,
    )
