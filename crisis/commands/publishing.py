"""The commands that speak for the organisation: fact, draft, drafts, approve, reject, publish."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from crisis.commands.common import Command, open_desk, pair
from crisis.drafts import Draft, Publication, Verdict, Version
from crisis.engine import UsageError

EXIT_BROKEN = 1


def version_ref(text: str) -> tuple[str, int | None]:
    """DRAFT or DRAFT.VERSION from the command line, e.g. D1 or D1.2."""
    draft, sep, number = text.partition(".")
    if not draft or (sep and not number.isdigit()):
        raise argparse.ArgumentTypeError(f"'{text}' is not DRAFT or DRAFT.VERSION, e.g. D1.2")
    return draft, int(number) if sep else None


def diff(old: Version, new: Version, name: str) -> list[str]:
    """What changed between two versions, as unified diff lines."""
    return list(
        difflib.unified_diff(
            old.text.splitlines(),
            new.text.splitlines(),
            f"{name}.{old.number}",
            f"{name}.{new.number}",
            lineterm="",
        )
    )


def _read_text(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"--text-file {path}: {error}") from None


def _show(version: Version, name: str, violations: list[str]) -> int:
    print(f"{name}.{version.number}  sha256:{version.sha256[:16]}")
    print(version.text, end="" if version.text.endswith("\n") else "\n")
    return _verdict(version, name, violations)


def _verdict(version: Version, name: str, violations: list[str]) -> int:
    """Say whether a saved version may go for approval; 1 if it breaks rules."""
    if violations:
        print(f"{name}.{version.number} is saved, but cannot go for approval until fixed:")
        for line in violations:
            print(f"  - {line}")
        return EXIT_BROKEN
    return 0


def _draft_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id")
    parser.add_argument("template", nargs="?", help="template id (to start a new draft)")
    parser.add_argument("--locale", help="the template's language (default: its first)")
    parser.add_argument("--fact", type=pair, action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument(
        "--edit", type=version_ref, metavar="DRAFT[.VERSION]", help="save a new version of a draft"
    )
    parser.add_argument("--text-file", metavar="FILE", help="the edited text ('-' for stdin)")


def _draft(args: argparse.Namespace) -> int:
    from crisis.newsroom import Newsroom

    newsroom = Newsroom(open_desk(args))
    if args.edit is not None:
        if args.template or not args.text_file:
            raise UsageError("--edit takes --text-file FILE and no TEMPLATE")
        name, based_on = args.edit
        old = newsroom.find(newsroom.desk.incident(args.id), name)
        before = old.latest
        version = newsroom.edit(args.id, name, based_on, _read_text(args.text_file))
        for line in diff(before, version, name):
            print(line)
        void = [v for v in old.verdicts if v.approved and v.version == before.number]
        if void:
            who = ", ".join(f"{v.role} ({v.person})" for v in void)
            print(f"{name}.{version.number} voids the approvals of {name}.{before.number}: {who}")
        return _verdict(version, name, list(version.violations))
    if not args.template:
        raise UsageError("give a TEMPLATE to draft, or --edit DRAFT with --text-file")
    draft = newsroom.draft(args.id, args.template, args.locale, dict(args.fact))
    print(f"{draft.template} · {draft.locale} · {draft.channel} · {draft.audience}")
    return _show(draft.latest, draft.id, list(draft.latest.violations))


def _drafts_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id")
    parser.add_argument("draft", nargs="?", help="show one draft's versions, changes and decisions")
    parser.add_argument("--json", action="store_true")


def _history(draft: Draft, zone: ZoneInfo) -> list[str]:
    lines = [f"{draft.id}  {draft.template} · {draft.locale} · {draft.channel} · {draft.audience}"]
    previous: Version | None = None
    events: list[tuple[int, str, Version | Verdict | Publication]]
    events = [(v.seq, "v", v) for v in draft.versions]
    events += [(d.seq, "d", d) for d in draft.verdicts]
    events += [(p.seq, "p", p) for p in draft.publications]
    for _, _, item in sorted(events, key=lambda e: e[0]):
        if isinstance(item, Version):
            lines.append(
                f"version {item.number} by {item.by} at "
                f"{item.at.astimezone(zone):%Y-%m-%d %H:%M %Z} ({item.source})"
            )
            lines += diff(previous, item, draft.id) if previous else item.text.splitlines()
            lines += [f"  ! {v}" for v in item.violations]
            previous = item
        elif isinstance(item, Verdict):
            verb = "approved" if item.approved else "REJECTED"
            lines.append(
                f"{verb} v{item.version} by {item.person} as {item.role} "
                f"(sha256:{item.sha256[:16]}): {item.comment}".rstrip(": ")
            )
        else:
            loud = f" EMERGENCY OVERRIDE: {item.override}" if item.override else ""
            lines.append(f"published v{item.version} on {item.channel} {item.url}{loud}".rstrip())
    return lines


def _drafts(args: argparse.Namespace) -> int:
    from crisis.approvals import Approvals
    from crisis.newsroom import Newsroom

    desk = open_desk(args)
    state = desk.incident(args.id)
    required = Approvals(desk).required(state)
    chosen = [Newsroom(desk).find(state, args.draft)] if args.draft else list(state.drafts.values())
    if args.json:
        rows = [
            {
                "draft": d.id,
                "template": d.template,
                "locale": d.locale,
                "channel": d.channel,
                "audience": d.audience,
                "stage": d.stage(required),
                "next_role": d.chain(required).next_role,
                "decisions": [
                    {
                        "version": v.version,
                        "approved": v.approved,
                        "role": v.role,
                        "person": v.person,
                        "by": v.by,
                        "at": v.at.isoformat(),
                        "comment": v.comment,
                        "sha256": v.sha256,
                    }
                    for v in d.verdicts
                ],
                "publications": [
                    {
                        "version": p.version,
                        "channel": p.channel,
                        "url": p.url or None,
                        "by": p.by,
                        "at": p.at.isoformat(),
                        "sha256": p.sha256,
                        "override": p.override or None,
                    }
                    for p in d.publications
                ],
                "versions": [
                    {
                        "version": v.number,
                        "sha256": v.sha256,
                        "text": v.text,
                        "by": v.by,
                        "at": v.at.isoformat(),
                        "violations": list(v.violations),
                    }
                    for v in d.versions
                ],
            }
            for d in chosen
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if args.draft:
        print("\n".join(_history(chosen[0], ZoneInfo(desk.tz))))
        return 0
    for d in chosen:
        stage = d.stage(required)
        waits = f" (waits for {d.chain(required).next_role or 'a severity'})"
        waits = waits if stage == "awaiting" else ""
        name = f"{d.id}.{d.latest.number}"
        print(f"{name:7} {d.template:20} {d.locale:3} {d.channel:9} {stage}{waits}")
    return 0


def _decision_args(parser: argparse.ArgumentParser, reason: bool) -> None:
    parser.add_argument("id")
    parser.add_argument("draft", type=version_ref, metavar="DRAFT[.VERSION]")
    parser.add_argument("--person", required=True, help="who decides: a holder of the role")
    if reason:
        parser.add_argument("--reason", required=True)
    else:
        parser.add_argument("--comment", default="")


def _approve(args: argparse.Namespace) -> int:
    from crisis.approvals import Approvals

    approvals = Approvals(open_desk(args))
    name, version = args.draft
    draft = approvals.approve(args.id, name, args.person, args.comment, version)
    state = approvals.desk.incident(args.id)
    chain = draft.chain(approvals.required(state))
    done = "fully approved: ready to publish" if chain.complete else f"next: {chain.next_role}"
    print(f"{name}.{draft.latest.number} approved by {args.person}; {done}")
    return 0


def _reject(args: argparse.Namespace) -> int:
    from crisis.approvals import Approvals

    name, version = args.draft
    draft = Approvals(open_desk(args)).reject(args.id, name, args.person, args.reason, version)
    print(f"{name}.{draft.latest.number} rejected by {args.person}; save a new version")
    return 0


def _publish_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id")
    parser.add_argument("draft", type=version_ref, metavar="DRAFT[.VERSION]")
    parser.add_argument("--channel", required=True)
    parser.add_argument("--url", default="", help="where it was posted")
    parser.add_argument(
        "--override",
        default=None,
        metavar="REASON",
        help="EMERGENCY: publish without full approval; the reason is kept and shown everywhere",
    )


def _publish(args: argparse.Namespace) -> int:
    from crisis.approvals import Approvals

    name, version = args.draft
    published = Approvals(open_desk(args)).publish(
        args.id, name, args.channel, args.url, args.override, version
    )
    if published.override:
        print(f"EMERGENCY OVERRIDE: published without full approval: {published.override}")
    where = f"{published.channel} {published.url}".rstrip()
    print(f"{name}.{published.version} published on {where}")
    return 0


def _fact_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id")
    parser.add_argument("fact", type=pair, nargs="+", metavar="KEY=VALUE")


def _fact(args: argparse.Namespace) -> int:
    from crisis.newsroom import Newsroom

    newsroom = Newsroom(open_desk(args))
    before = dict(newsroom.desk.incident(args.id).facts)
    newsroom.facts(args.id, dict(args.fact))
    for key, value in dict(args.fact).items():
        same = before.get(key) == value.strip()
        print(f"{key} = {value.strip()}{'  (unchanged)' if same else ''}")
    return 0


COMMANDS = (
    Command("fact", "record facts that templates use", _fact_args, _fact),
    Command(
        "draft", "draft a response from a template, or save an edited version", _draft_args, _draft
    ),
    Command(
        "drafts", "list drafts, or show one draft's versions and decisions", _drafts_args, _drafts
    ),
    Command(
        "approve",
        "record an approval of a draft's latest version",
        lambda p: _decision_args(p, False),
        _approve,
    ),
    Command(
        "reject", "record a rejection with its reason", lambda p: _decision_args(p, True), _reject
    ),
    Command("publish", "mark an approved draft as published", _publish_args, _publish),
)
