"""Deadlines of the regulatory clocks across DST changes, month ends and US holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest

from crisis.clocks import (
    DISCLAIMER,
    RULES,
    Deadline,
    deadlines,
    federal_holidays,
    format_remaining,
    remaining,
)

OSLO = ZoneInfo("Europe/Oslo")
NEW_YORK = ZoneInfo("America/New_York")


def wall(
    zone: tzinfo, year: int, month: int, day: int, hour: int, minute: int, second: int
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=zone)


def oslo(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return wall(OSLO, year, month, day, hour, minute, 0)


def new_york(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return wall(NEW_YORK, year, month, day, hour, minute, 0)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return wall(UTC, year, month, day, hour, minute, second)


def due(rule_id: str, start: datetime, duty: str, notified_at: datetime | None = None) -> datetime:
    found = deadlines(rule_id, start, "Europe/Oslo", notified_at=notified_at)
    return {deadline.duty: deadline.due for deadline in found}[duty]


@pytest.mark.parametrize(
    ("start", "expected_utc", "expected_wall"),
    [
        (oslo(2026, 3, 27, 12, 0), utc(2026, 3, 30, 11, 0), oslo(2026, 3, 30, 13, 0)),
        (oslo(2026, 3, 28, 2, 30), utc(2026, 3, 31, 1, 30), oslo(2026, 3, 31, 3, 30)),
        (oslo(2026, 10, 23, 12, 0), utc(2026, 10, 26, 10, 0), oslo(2026, 10, 26, 11, 0)),
        (oslo(2026, 10, 24, 2, 30), utc(2026, 10, 27, 0, 30), oslo(2026, 10, 27, 1, 30)),
        (oslo(2026, 6, 1, 9, 15), utc(2026, 6, 4, 7, 15), oslo(2026, 6, 4, 9, 15)),
    ],
)
def test_gdpr_counts_72_real_hours_across_oslo_dst_changes(
    start: datetime, expected_utc: datetime, expected_wall: datetime
) -> None:
    (deadline,) = deadlines("gdpr-art33", start, "Europe/Oslo")
    assert deadline.due == expected_utc
    assert deadline.due.tzinfo is UTC
    assert deadline.due - start == timedelta(hours=72)
    assert deadline.due.astimezone(OSLO).replace(tzinfo=None) == expected_wall.replace(tzinfo=None)
    assert deadline.duty == "notify the supervisory authority"
    assert "reasons for the delay" in deadline.note


@pytest.mark.parametrize(
    ("start", "early", "notification"),
    [
        (utc(2026, 5, 4, 8, 0), utc(2026, 5, 5, 8, 0), utc(2026, 5, 7, 8, 0)),
        (oslo(2026, 3, 28, 12, 0), utc(2026, 3, 29, 11, 0), utc(2026, 3, 31, 11, 0)),
        (oslo(2026, 10, 24, 12, 0), utc(2026, 10, 25, 10, 0), utc(2026, 10, 27, 10, 0)),
    ],
)
def test_nis2_early_warning_and_notification_are_24_and_72_hours(
    start: datetime, early: datetime, notification: datetime
) -> None:
    assert due("nis2", start, "early warning") == early
    assert due("nis2", start, "incident notification") == notification


@pytest.mark.parametrize(
    ("start", "notified_at", "expected"),
    [
        # notification deadline 31 Jan 10:00 Oslo; February has no 31st
        (oslo(2026, 1, 28, 10, 0), None, oslo(2026, 2, 28, 10, 0)),
        (oslo(2028, 1, 28, 10, 0), None, oslo(2028, 2, 29, 10, 0)),
        # 72 h after 28 Mar 22:30 CET is 31 Mar 23:30 CEST; April has no 31st
        (oslo(2026, 3, 28, 22, 30), None, oslo(2026, 4, 30, 23, 30)),
        # same wall time in Oslo although the offset changed (CET in March, CEST in April)
        (oslo(2026, 3, 9, 9, 0), oslo(2026, 3, 10, 14, 0), oslo(2026, 4, 10, 14, 0)),
        (oslo(2026, 10, 1, 9, 0), oslo(2026, 10, 3, 8, 0), oslo(2026, 11, 3, 8, 0)),
        # December rolls over into January of the next year
        (oslo(2026, 12, 20, 9, 0), oslo(2026, 12, 31, 16, 45), oslo(2027, 1, 31, 16, 45)),
    ],
)
def test_nis2_final_report_is_one_calendar_month_after_the_notification(
    start: datetime, notified_at: datetime | None, expected: datetime
) -> None:
    found = due("nis2", start, "final report", notified_at=notified_at)
    assert found == expected.astimezone(UTC)
    assert found.tzinfo is UTC


@pytest.mark.parametrize(
    ("notified_at", "expected"),
    [
        # 28 Mar 2027 02:30 does not exist in Oslo: the earlier reading, +02:00
        (oslo(2027, 2, 28, 2, 30), utc(2027, 3, 28, 0, 30)),
        # 25 Oct 2026 02:30 occurs twice in Oslo: the first one, +02:00
        (oslo(2026, 9, 25, 2, 30), utc(2026, 10, 25, 0, 30)),
    ],
)
def test_nis2_final_report_on_a_missing_or_repeated_wall_time_is_the_earlier_instant(
    notified_at: datetime, expected: datetime
) -> None:
    start = notified_at - timedelta(hours=1)
    assert due("nis2", start, "final report", notified_at=notified_at) == expected


def test_nis2_final_report_follows_notified_at_rather_than_the_deadline() -> None:
    start = oslo(2026, 1, 28, 10, 0)
    early = due("nis2", start, "final report", notified_at=oslo(2026, 1, 29, 9, 0))
    late = due("nis2", start, "final report", notified_at=oslo(2026, 2, 3, 9, 0))
    assert early == oslo(2026, 2, 28, 9, 0)
    assert late == oslo(2026, 3, 3, 9, 0)
    notes = {d.duty: d.note for d in deadlines("nis2", start, "Europe/Oslo")}
    assert "notification deadline" in notes["final report"]


def test_nis2_uses_the_incident_zone_for_the_month() -> None:
    # 31 Jan 23:30 in Oslo is already 1 Feb in Tokyo, so one month later differs by zone
    start = utc(2026, 1, 28, 22, 30)
    in_oslo = {d.duty: d.due for d in deadlines("nis2", start, "Europe/Oslo")}
    in_tokyo = {d.duty: d.due for d in deadlines("nis2", start, "Asia/Tokyo")}
    assert in_oslo["final report"] == oslo(2026, 2, 28, 23, 30)
    assert in_tokyo["final report"] == datetime(2026, 3, 1, 7, 30, tzinfo=ZoneInfo("Asia/Tokyo"))


@pytest.mark.parametrize(
    ("determined", "expected_day"),
    [
        # Friday evening: Mon 23, Tue 24, Wed 25, (Thanksgiving Thu 26), Fri 27
        (new_york(2026, 11, 20, 18, 0), date(2026, 11, 27)),
        # Friday morning counts the same: the determination day is never counted
        (new_york(2026, 11, 20, 8, 0), date(2026, 11, 27)),
        # Saturday: Mon-Thu of the next week
        (new_york(2026, 11, 21, 12, 0), date(2026, 11, 27)),
        # an ordinary Monday: Tue, Wed, Thu, Fri
        (new_york(2026, 6, 1, 10, 0), date(2026, 6, 5)),
        # before Independence Day (Sat 4 July, observed Fri 3 July): Mon 6 .. Thu 9
        (new_york(2026, 7, 2, 11, 0), date(2026, 7, 9)),
        # Christmas and New Year's Day: Mon 28, Tue 29, Wed 30, Thu 31 Dec 2026, (Fri 1), Mon 4
        (new_york(2026, 12, 24, 9, 0), date(2026, 12, 31)),
        (new_york(2026, 12, 28, 9, 0), date(2027, 1, 4)),
        # 23:30 in New York on Tuesday is already Wednesday in UTC: New York decides the day
        (utc(2026, 6, 3, 3, 30), date(2026, 6, 8)),
    ],
)
def test_sec_8k_is_due_at_the_end_of_the_fourth_business_day_in_new_york(
    determined: datetime, expected_day: date
) -> None:
    (deadline,) = deadlines("sec-8k", determined, "Europe/Oslo")
    local = deadline.due.astimezone(NEW_YORK)
    assert local.date() == expected_day
    assert (local.hour, local.minute, local.second) == (23, 59, 59)
    assert deadline.due.tzinfo is UTC


def test_sec_8k_friday_evening_before_thanksgiving_in_utc() -> None:
    (deadline,) = deadlines("sec-8k", new_york(2026, 11, 20, 18, 0), "America/New_York")
    assert deadline.due == utc(2026, 11, 28, 4, 59, 59)
    (summer,) = deadlines("sec-8k", new_york(2026, 7, 2, 11, 0), "America/New_York")
    assert summer.due == utc(2026, 7, 10, 3, 59, 59)


@pytest.mark.parametrize(
    ("holidays", "expected_day"),
    [
        ([], date(2026, 11, 26)),
        ([date(2026, 11, 26), date(2026, 11, 27)], date(2026, 11, 30)),
        ({date(2026, 11, 24)}, date(2026, 11, 27)),
        (federal_holidays(2026) | {date(2026, 11, 23)}, date(2026, 11, 30)),
    ],
)
def test_sec_8k_holidays_replace_the_federal_calendar(
    holidays: set[date] | list[date], expected_day: date
) -> None:
    (deadline,) = deadlines(
        "sec-8k", new_york(2026, 11, 20, 18, 0), "America/New_York", holidays=holidays
    )
    assert deadline.due.astimezone(NEW_YORK).date() == expected_day


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (
            2026,
            {
                date(2026, 1, 1),
                date(2026, 1, 19),
                date(2026, 2, 16),
                date(2026, 5, 25),
                date(2026, 6, 19),
                date(2026, 7, 3),
                date(2026, 9, 7),
                date(2026, 10, 12),
                date(2026, 11, 11),
                date(2026, 11, 26),
                date(2026, 12, 25),
            },
        ),
        (
            # Juneteenth and Christmas on Saturday, New Year's Day 2022 observed on 31 December
            2021,
            {
                date(2021, 1, 1),
                date(2021, 1, 18),
                date(2021, 2, 15),
                date(2021, 5, 31),
                date(2021, 6, 18),
                date(2021, 7, 5),
                date(2021, 9, 6),
                date(2021, 10, 11),
                date(2021, 11, 11),
                date(2021, 11, 25),
                date(2021, 12, 24),
                date(2021, 12, 31),
            },
        ),
        (
            # New Year's Day on Saturday belongs to 2021; Juneteenth, Christmas on Sunday -> Monday
            2022,
            {
                date(2022, 1, 17),
                date(2022, 2, 21),
                date(2022, 5, 30),
                date(2022, 6, 20),
                date(2022, 7, 4),
                date(2022, 9, 5),
                date(2022, 10, 10),
                date(2022, 11, 11),
                date(2022, 11, 24),
                date(2022, 12, 26),
            },
        ),
        (
            # Veterans Day on Saturday, before Juneteenth became a federal holiday
            2017,
            {
                date(2017, 1, 2),
                date(2017, 1, 16),
                date(2017, 2, 20),
                date(2017, 5, 29),
                date(2017, 7, 4),
                date(2017, 9, 4),
                date(2017, 10, 9),
                date(2017, 11, 10),
                date(2017, 11, 23),
                date(2017, 12, 25),
            },
        ),
        (
            2028,
            {
                date(2028, 1, 17),
                date(2028, 2, 21),
                date(2028, 5, 29),
                date(2028, 6, 19),
                date(2028, 7, 4),
                date(2028, 9, 4),
                date(2028, 10, 9),
                date(2028, 11, 10),
                date(2028, 11, 23),
                date(2028, 12, 25),
            },
        ),
    ],
)
def test_federal_holidays_are_observed_on_the_nearest_weekday(
    year: int, expected: set[date]
) -> None:
    assert federal_holidays(year) == expected


@pytest.mark.parametrize("rule_id", list(RULES))
def test_every_deadline_carries_its_clock_and_source(rule_id: str) -> None:
    found = deadlines(rule_id, oslo(2026, 5, 4, 9, 0), "Europe/Oslo")
    assert found
    assert [d.due for d in found] == sorted(d.due for d in found)
    for deadline in found:
        assert deadline.clock == rule_id
        assert deadline.source.startswith(RULES[rule_id].source)
        assert deadline.duty
        assert deadline.note
        assert deadline.due.tzinfo is UTC


def test_the_disclaimer_says_not_legal_advice() -> None:
    assert "not legal advice" in DISCLAIMER


@pytest.mark.parametrize(
    ("left", "expected"),
    [
        (timedelta(days=2, hours=3, minutes=15), "2d 3h 15m left"),
        (timedelta(days=2, hours=3, minutes=15, seconds=59), "2d 3h 15m left"),
        (timedelta(days=1, minutes=5), "1d 0h 5m left"),
        (timedelta(hours=4, minutes=2), "4h 2m left"),
        (timedelta(minutes=7), "7m left"),
        (timedelta(seconds=59), "0m left"),
        (timedelta(0), "0m left"),
        (-timedelta(seconds=1), "overdue by 1m"),
        (-timedelta(hours=4, minutes=2), "overdue by 4h 2m"),
        (-timedelta(hours=4, minutes=1, seconds=30), "overdue by 4h 2m"),
        (-timedelta(days=3, hours=1), "overdue by 3d 1h 0m"),
    ],
)
def test_format_remaining_rounds_towards_urgency(left: timedelta, expected: str) -> None:
    assert format_remaining(left) == expected


def test_remaining_is_the_signed_time_to_the_deadline() -> None:
    (deadline,) = deadlines("gdpr-art33", oslo(2026, 3, 27, 12, 0), "Europe/Oslo")
    assert remaining(deadline, oslo(2026, 3, 28, 8, 45)) == timedelta(days=2, hours=3, minutes=15)
    assert format_remaining(remaining(deadline, utc(2026, 3, 30, 15, 2))) == "overdue by 4h 2m"
    assert remaining(deadline, deadline.due) == timedelta(0)


def test_unknown_clock_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="gdpr-art34") as caught:
        deadlines("gdpr-art34", utc(2026, 1, 1), "Europe/Oslo")
    assert all(rule_id in str(caught.value) for rule_id in ("gdpr-art33", "nis2", "sec-8k"))


@pytest.mark.parametrize(
    ("start", "zone", "notified_at", "message"),
    [
        (datetime(2026, 1, 1, 12, 0), "Europe/Oslo", None, "start must be an aware datetime"),  # noqa: DTZ001
        (utc(2026, 1, 1), "Europe/Olso", None, "not an IANA time zone"),
        (utc(2026, 1, 1), "", None, "not an IANA time zone"),
        (utc(2026, 1, 2), "Europe/Oslo", utc(2026, 1, 1), "before the start"),
        (
            utc(2026, 1, 1),
            "Europe/Oslo",
            datetime(2026, 1, 2),  # noqa: DTZ001
            "notified_at must be an aware datetime",
        ),
    ],
)
def test_bad_input_is_a_value_error(
    start: datetime, zone: str, notified_at: datetime | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        deadlines("nis2", start, zone, notified_at=notified_at)


def test_remaining_refuses_a_naive_now() -> None:
    deadline = Deadline("gdpr-art33", "notify", utc(2026, 1, 4), "source", "note")
    with pytest.raises(ValueError, match="now must be an aware datetime"):
        remaining(deadline, datetime(2026, 1, 1))  # noqa: DTZ001
