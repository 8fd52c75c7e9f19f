"""When an action's owner is asked: the team's rhythm on working days, a heads-up, once overdue."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from domain.action_rhythm import CheckIn, checkins, moment_of
from domain.holidays import team_calendar

CALENDAR = team_calendar("Europe/Amsterdam", date(2026, 11, 2))
START = date(2026, 11, 2)  # a Monday


def test_fortnightly_until_the_due_date_with_a_heads_up_and_one_overdue_question() -> None:
    due = date(2026, 12, 4)  # a Friday
    found = checkins(START, "fortnightly", due, START, date(2027, 1, 31), CALENDAR)
    assert found == [
        CheckIn(date(2026, 11, 16), "regular"), CheckIn(date(2026, 11, 30), "regular"),
        CheckIn(date(2026, 12, 1), "heads_up"),  # three working days before Friday 4 December
        CheckIn(date(2026, 12, 7), "overdue"),  # the first working day after it: a Monday
    ]


def test_a_check_in_on_a_weekend_or_holiday_moves_to_the_next_working_day() -> None:
    saturday = date(2026, 12, 12)
    found = checkins(saturday, "weekly", None, saturday, date(2026, 12, 31), CALENDAR)
    assert [c.day for c in found] == [date(2026, 12, 21), date(2026, 12, 28)]  # Saturdays
    christmas = checkins(date(2026, 12, 11), "fortnightly", None, START, date(2027, 1, 31),
                         CALENDAR)
    assert christmas[0].day == date(2026, 12, 28)  # 25 Friday is Christmas, then the weekend


def test_off_means_nothing_and_the_window_limits_what_is_planned() -> None:
    assert checkins(START, "off", date(2026, 12, 4), START, date(2027, 1, 31), CALENDAR) == []
    window = checkins(START, "weekly", None, date(2026, 11, 20), date(2026, 11, 30), CALENDAR)
    assert [c.day for c in window] == [date(2026, 11, 23), date(2026, 11, 30)]


def test_the_moment_is_judged_against_the_due_date_when_sent() -> None:
    due = date(2026, 12, 4)
    assert moment_of(date(2026, 12, 1), due, CALENDAR) == "heads_up"
    assert moment_of(date(2026, 12, 7), due, CALENDAR) == "overdue"
    assert moment_of(date(2026, 11, 16), None, CALENDAR) == "regular"
    assert CALENDAR.timezone == ZoneInfo("Europe/Amsterdam")
