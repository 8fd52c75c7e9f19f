"""Reminders at a decent local hour and quarterly reassessments, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.holidays import dutch_holidays, easter_sunday, holidays_for
from domain.rhythm import (
    Calendar,
    days_left,
    deadline_after,
    heads_up_at,
    heads_up_wording,
    next_cycle_start,
    next_quarter_start,
    one_period_after,
    parse_day,
    reminder_times,
    rhythm_owner,
    send_moment,
    within_working_hours,
)

AMSTERDAM = Calendar(ZoneInfo("Europe/Amsterdam"))


def local(moment: datetime) -> datetime:
    return moment.astimezone(AMSTERDAM.timezone)


def test_a_reminder_due_at_night_waits_until_nine_the_next_working_morning() -> None:
    friday_night = datetime(2026, 11, 27, 22, 30, tzinfo=UTC)
    moved = local(within_working_hours(friday_night, AMSTERDAM))
    assert (moved.date(), moved.time()) == (date(2026, 11, 30), time(9, 0))  # Monday


def test_public_holidays_are_skipped() -> None:
    calendar = Calendar(AMSTERDAM.timezone, frozenset({date(2026, 12, 25)}))
    christmas_eve_evening = datetime(2026, 12, 24, 18, 0, tzinfo=UTC)
    assert local(within_working_hours(christmas_eve_evening, calendar)).date() == date(2026, 12, 28)


def test_two_week_survey_gets_a_halfway_and_a_last_day_reminder_in_working_hours() -> None:
    opened = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # Monday 09:00 in Amsterdam
    reminders = [local(r) for r in reminder_times(opened, opened + timedelta(days=14), AMSTERDAM)]
    # One day before the deadline is a Sunday: that reminder goes out on Friday afternoon.
    assert [r.date() for r in reminders] == [date(2026, 11, 9), date(2026, 11, 13)]
    assert all(time(9) <= r.time() < time(17) and r.weekday() < 5 for r in reminders)


def test_a_one_day_survey_gets_no_reminder_it_could_not_act_on() -> None:
    opened = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    reminders = reminder_times(opened, opened + timedelta(days=1), AMSTERDAM)
    assert len(reminders) <= 1
    assert all(r < opened + timedelta(days=1) for r in reminders)


@given(st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31),
                    timezones=st.just(UTC)),
       st.integers(min_value=26, max_value=24 * 30))
def test_reminders_always_fall_in_working_hours_before_the_deadline(
    opened: datetime, hours: int
) -> None:
    deadline = opened + timedelta(hours=hours)
    for reminder in reminder_times(opened, deadline, AMSTERDAM):
        assert opened < reminder < deadline
        assert time(9) <= local(reminder).time() < time(17)
        assert local(reminder).weekday() < 5


def test_the_next_quarter_starts_on_its_first_working_day_at_nine_local_time() -> None:
    # 1 January 2027 is a Friday (a holiday here), so the quarter starts on Monday the 4th.
    calendar = Calendar(AMSTERDAM.timezone, frozenset({date(2027, 1, 1)}))
    start = local(next_quarter_start(datetime(2026, 11, 24, 12, tzinfo=UTC), calendar))
    assert (start.date(), start.time()) == (date(2027, 1, 4), time(9, 0))


def test_quarters_across_daylight_saving_changes_stay_at_nine_local_time() -> None:
    # From winter time (UTC+1) into the quarter after the last Sunday of March (UTC+2), and back.
    spring = next_quarter_start(datetime(2027, 3, 20, tzinfo=UTC), AMSTERDAM)
    autumn = next_quarter_start(datetime(2027, 10, 20, tzinfo=UTC), AMSTERDAM)
    assert spring == datetime(2027, 4, 1, 7, 0, tzinfo=UTC)
    assert autumn == datetime(2028, 1, 3, 8, 0, tzinfo=UTC)
    assert local(spring).time() == local(autumn).time() == time(9, 0)


def test_a_reminder_on_the_night_the_clocks_go_back_lands_at_nine() -> None:
    night = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # a Sunday, the clocks go back
    assert local(within_working_hours(night, AMSTERDAM)).time() == time(9, 0)


def test_reassessment_rhythm_can_be_quarterly_half_yearly_monthly_or_off() -> None:
    now = datetime(2026, 11, 24, 12, tzinfo=UTC)
    assert local(next_cycle_start(now, AMSTERDAM, 3)).date() == date(2027, 1, 1)  # type: ignore[union-attr]
    assert local(next_cycle_start(now, AMSTERDAM, 6)).date() == date(2027, 4, 1)  # type: ignore[union-attr]
    assert local(next_cycle_start(now, AMSTERDAM, 1)).date() == date(2026, 12, 1)  # type: ignore[union-attr]
    assert next_cycle_start(now, AMSTERDAM, 0) is None


def test_days_left_rounds_up_until_the_last_moment() -> None:
    deadline = datetime(2026, 12, 1, 17, tzinfo=UTC)
    assert days_left(deadline - timedelta(hours=1), deadline) == 1
    assert days_left(deadline - timedelta(days=2), deadline) == 2
    assert days_left(deadline, deadline) == 0


def test_dutch_holidays_move_with_easter_and_kings_day_avoids_sunday() -> None:
    assert easter_sunday(2026) == date(2026, 4, 5)
    assert easter_sunday(2027) == date(2027, 3, 28)
    holidays = dutch_holidays(2027)
    # Easter Monday, Ascension Day and Whit Monday follow Easter.
    assert {date(2027, 3, 29), date(2027, 5, 6), date(2027, 5, 17)} <= holidays
    assert date(2025, 4, 26) in dutch_holidays(2025)  # 27 April 2025 was a Sunday


def test_a_team_in_amsterdam_gets_no_reminder_on_kings_day() -> None:
    calendar = Calendar(AMSTERDAM.timezone, holidays_for("Europe/Amsterdam", range(2027, 2028)))
    kings_day_morning = datetime(2027, 4, 27, 8, 0, tzinfo=UTC)  # a Tuesday
    assert local(within_working_hours(kings_day_morning, calendar)).date() == date(2027, 4, 28)


@pytest.mark.parametrize(("typed", "expected"), [
    ("24-12-2026", date(2026, 12, 24)), ("24/12", date(2026, 12, 24)),
    ("2026-12-24", date(2026, 12, 24)), ("5.1", date(2027, 1, 5)), ("1-1-27", date(2027, 1, 1)),
    ("31-2-2027", None), ("morgen", None), ("", None),
])
def test_dates_are_read_as_people_type_them(typed: str, expected: date | None) -> None:
    assert parse_day(typed, today=date(2026, 11, 24)) == expected


def test_a_deadline_never_falls_on_a_weekend_or_a_holiday() -> None:
    calendar = Calendar(AMSTERDAM.timezone, frozenset({date(2026, 12, 25), date(2026, 12, 28)}))
    thursday = datetime(2026, 11, 26, 10, tzinfo=UTC)
    saturday_deadline = local(deadline_after(thursday, 2, calendar))
    assert (saturday_deadline.date(), saturday_deadline.time()) == (date(2026, 11, 30), time(17))
    # Christmas (Friday), the weekend and a Monday off: the Tuesday after.
    assert local(deadline_after(datetime(2026, 12, 18, 10, tzinfo=UTC), 7, calendar)).date() == (
        date(2026, 12, 29))


@given(st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31),
                    timezones=st.just(UTC)),
       st.integers(min_value=1, max_value=60))
def test_every_deadline_is_the_end_of_a_working_day(now: datetime, days: int) -> None:
    deadline = local(deadline_after(now, days, AMSTERDAM))
    assert deadline.weekday() < 5 and deadline.time() == time(17)


def test_a_notification_found_late_at_night_waits_for_the_next_working_morning() -> None:
    due = datetime(2026, 11, 11, 8, 0, tzinfo=UTC)  # Wednesday 09:00 in Amsterdam
    night = datetime(2026, 11, 11, 21, 0, tzinfo=UTC)  # 22:00: the bot was down all day
    assert local(send_moment(due, night, AMSTERDAM)) == datetime(
        2026, 11, 12, 9, tzinfo=AMSTERDAM.timezone)
    afternoon = datetime(2026, 11, 11, 14, 0, tzinfo=UTC)
    assert send_moment(due, afternoon, AMSTERDAM) == afternoon  # late, but at a decent hour


def test_a_notification_that_answers_what_just_happened_goes_at_once_even_at_night() -> None:
    evening = datetime(2026, 11, 11, 21, 0, tzinfo=UTC)  # a manager's /survey at 22:00
    assert send_moment(evening, evening + timedelta(seconds=30), AMSTERDAM) == (
        evening + timedelta(seconds=30))


def test_the_heads_up_comes_on_the_working_day_before_and_says_tomorrow_only_when_true() -> None:
    calendar = Calendar(AMSTERDAM.timezone, frozenset({date(2027, 1, 1)}))
    opens = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)  # Monday 09:00
    sent = heads_up_at(opens, calendar)
    assert local(sent) == datetime(2026, 12, 31, 9, tzinfo=AMSTERDAM.timezone)
    assert heads_up_wording(sent, opens, calendar) == "later"
    tuesday = datetime(2027, 1, 5, 8, 0, tzinfo=UTC)
    assert heads_up_wording(heads_up_at(tuesday, calendar), tuesday, calendar) == "tomorrow"
    assert heads_up_wording(opens - timedelta(hours=1), opens, calendar) is None  # today
    assert heads_up_wording(opens + timedelta(hours=1), opens, calendar) is None  # opened


def test_an_organisation_with_a_rhythm_owns_it_and_one_without_leaves_it_to_its_teams() -> None:
    assert rhythm_owner("quarterly") == "organisation"
    assert rhythm_owner("yearly") == "organisation"
    assert rhythm_owner("off") == "team"


def test_the_next_organisation_survey_comes_a_full_period_later_on_a_working_day() -> None:
    """Asked on 7 December: again in March, not at the calendar quarter four weeks later."""
    december = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)

    def after(moment: datetime, months: int) -> datetime:
        found = one_period_after(moment, AMSTERDAM, months)
        assert found is not None
        return local(found)

    assert after(december, 3).date() == date(2027, 3, 8)  # 7 March is a Sunday
    assert after(december, 6).date() == date(2027, 6, 7)
    assert after(december, 12).time() == time(9, 0)
    assert after(datetime(2027, 1, 31, 10, 0, tzinfo=UTC), 1).date() == date(2027, 3, 1)
    assert one_period_after(december, AMSTERDAM, 0) is None
