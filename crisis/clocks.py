"""The regulatory clocks a playbook can enable, their sources and deadlines; not legal advice."""

from __future__ import annotations

import calendar
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True)
class ClockRule:
    """A regulatory reporting duty that runs from a trigger, named with its source."""

    id: str
    name: str
    source: str
    trigger: str


@dataclass(frozen=True)
class Deadline:
    """One duty of a clock and the moment it falls due, in UTC so any zone can show it."""

    clock: str
    duty: str
    due: datetime
    source: str
    note: str


RULES = {
    rule.id: rule
    for rule in (
        ClockRule(
            "gdpr-art33",
            "GDPR Art. 33: notify the supervisory authority",
            "Regulation (EU) 2016/679, Article 33",
            "awareness",
        ),
        ClockRule(
            "nis2",
            "NIS2 Art. 23: early warning, notification and final report",
            "Directive (EU) 2022/2555, Article 23(4)",
            "awareness",
        ),
        ClockRule(
            "sec-8k",
            "SEC Form 8-K Item 1.05: material cybersecurity incident",
            "SEC Release 33-11216, Form 8-K Item 1.05",
            "materiality determination",
        ),
    )
}
DUTIES: dict[str, tuple[str, ...]] = {
    "gdpr-art33": ("notify the supervisory authority",),
    "nis2": ("early warning", "incident notification", "final report"),
    "sec-8k": ("file Form 8-K Item 1.05",),
}
STARTED = "started"


def slug(duty: str) -> str:
    """A duty's name as typed on a command line, e.g. `incident-notification`."""
    return "-".join(duty.lower().replace(".", "").split())


DISCLAIMER = "Deadlines are aids for planning, not legal advice."
NEW_YORK = ZoneInfo("America/New_York")
SEC_BUSINESS_DAYS = 4


def deadlines(
    rule_id: str,
    start: datetime,
    zone: str,
    *,
    notified_at: datetime | None = None,
    holidays: Collection[date] | None = None,
) -> tuple[Deadline, ...]:
    """The deadlines of a clock started at `start` in the incident's `zone`, earliest first.

    Every count gives the earliest reading, leaving legal counting to counsel:

    - gdpr-art33: 72 elapsed hours after awareness, whatever the clocks on the wall do.
    - nis2: early warning 24 h and notification 72 h after awareness; the final report one
      calendar month after `notified_at` (or, until then, after the notification deadline), at
      the same wall time in `zone`, clamped to the month's last day; a wall time that does not
      exist or occurs twice in `zone` is read as the earlier of its two instants.
    - sec-8k: the day of the determination in New York is never counted, whatever its hour and
      whether or not it is a business day; the due moment is 23:59:59 New York time on the
      fourth business day after it. Business days skip weekends and `holidays`, which, when
      given, replace the built-in `federal_holidays` calendar.

    `notified_at` is used only by nis2 and `holidays` only by sec-8k.
    """
    if rule_id not in RULES:
        raise ValueError(f"unknown clock '{rule_id}'; expected one of {', '.join(RULES)}")
    local = _zone(zone)
    begin = _utc(start, "start")
    sent = None if notified_at is None else _utc(notified_at, "notified_at")
    if sent is not None and sent < begin:
        raise ValueError("notified_at is before the start of the clock")
    if rule_id == "gdpr-art33":
        return (_gdpr(begin),)
    if rule_id == "nis2":
        return _nis2(begin, local, sent)
    return (_sec(begin, holidays),)


def remaining(deadline: Deadline, now: datetime) -> timedelta:
    """The time left until a deadline, negative once it has passed."""
    return deadline.due - _utc(now, "now")


def format_remaining(left: timedelta) -> str:
    """Say how long is left, rounded towards urgency: '2d 3h 15m left' or 'overdue by 4h 2m'."""
    seconds = left.total_seconds()
    minutes = int(seconds // 60) if seconds >= 0 else -int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    units = [(days, "d"), (hours, "h"), (minutes, "m")]
    while len(units) > 1 and units[0][0] == 0:
        units.pop(0)
    text = " ".join(f"{count}{unit}" for count, unit in units)
    return f"{text} left" if seconds >= 0 else f"overdue by {text}"


@cache
def federal_holidays(year: int) -> frozenset[date]:
    """The days of `year` on which US federal holidays are observed (5 U.S.C. 6103)."""
    observed = (_observed(day) for named in (year, year + 1) for day in _named_holidays(named))
    return frozenset(day for day in observed if day.year == year)


def _gdpr(aware: datetime) -> Deadline:
    return Deadline(
        "gdpr-art33",
        "notify the supervisory authority",
        aware + timedelta(hours=72),
        "Regulation (EU) 2016/679, Article 33(1)",
        "Without undue delay and, where feasible, within 72 hours of awareness; "
        "a later notification must give the reasons for the delay.",
    )


def _nis2(aware: datetime, zone: ZoneInfo, notified_at: datetime | None) -> tuple[Deadline, ...]:
    source = "Directive (EU) 2022/2555, Article 23(4)"
    notification = aware + timedelta(hours=72)
    submitted = notification if notified_at is None else notified_at
    base = "the notification deadline" if notified_at is None else "the notification was submitted"
    return (
        Deadline(
            "nis2",
            "early warning",
            aware + timedelta(hours=24),
            f"{source}(a)",
            "Without undue delay and within 24 hours of awareness.",
        ),
        Deadline(
            "nis2",
            "incident notification",
            notification,
            f"{source}(b)",
            "Without undue delay and within 72 hours of awareness.",
        ),
        Deadline(
            "nis2",
            "final report",
            _one_month_later(submitted, zone),
            f"{source}(d)",
            f"Within one month of the incident notification; counted from when {base}.",
        ),
    )


def _sec(determined: datetime, holidays: Collection[date] | None) -> Deadline:
    day = determined.astimezone(NEW_YORK).date()
    counted = 0
    while counted < SEC_BUSINESS_DAYS:
        day += timedelta(days=1)
        if _is_business_day(day, holidays):
            counted += 1
    return Deadline(
        "sec-8k",
        "file Form 8-K Item 1.05",
        datetime.combine(day, time(23, 59, 59), NEW_YORK).astimezone(UTC),
        "SEC Release 33-11216, Form 8-K Item 1.05; Form 8-K General Instruction B.1",
        "Within four business days of the materiality determination, counted in New York; "
        "the day of the determination is not counted.",
    )


def _is_business_day(day: date, holidays: Collection[date] | None) -> bool:
    closed = federal_holidays(day.year) if holidays is None else holidays
    return day.weekday() < 5 and day not in closed


def _one_month_later(moment: datetime, zone: ZoneInfo) -> datetime:
    local = moment.astimezone(zone)
    year, month = divmod(local.year * 12 + local.month, 12)
    day = min(local.day, calendar.monthrange(year, month + 1)[1])
    wall = local.replace(year=year, month=month + 1, day=day, tzinfo=None)
    return min(wall.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1))


def _named_holidays(year: int) -> tuple[date, ...]:
    fixed = [(1, 1), (7, 4), (11, 11), (12, 25)] + ([(6, 19)] if year >= 2021 else [])
    floating = (
        _nth_weekday(year, 1, calendar.MONDAY, 3),
        _nth_weekday(year, 2, calendar.MONDAY, 3),
        _nth_weekday(year, 6, calendar.MONDAY, 1) - timedelta(days=7),
        _nth_weekday(year, 9, calendar.MONDAY, 1),
        _nth_weekday(year, 10, calendar.MONDAY, 2),
        _nth_weekday(year, 11, calendar.THURSDAY, 4),
    )
    return tuple(date(year, month, day) for month, day in fixed) + floating


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _observed(day: date) -> date:
    shift = {calendar.SATURDAY: -1, calendar.SUNDAY: 1}.get(day.weekday(), 0)
    return day + timedelta(days=shift)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{name}' is not an IANA time zone name") from None


def _utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {moment.isoformat()}")
    return moment.astimezone(UTC)
