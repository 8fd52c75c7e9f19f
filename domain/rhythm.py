"""When things happen: reminders at a decent local hour, and the next quarterly reassessment.

All moments are timezone-aware; the team's time zone is an argument, so daylight-saving changes are
handled by `zoneinfo` and no function here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WORKDAY_START = time(9, 0)
WORKDAY_END = time(17, 0)
FRESH = timedelta(minutes=15)
"""A notification due less long ago than this answers what just happened and is sent at once."""


@dataclass(frozen=True, slots=True)
class Calendar:
    """A team's working days: weekends and the given public holidays are skipped."""

    timezone: ZoneInfo
    holidays: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=self.timezone).astimezone(UTC)


def within_working_hours(moment: datetime, calendar: Calendar) -> datetime:
    """`moment`, or the first working hour after it if it falls at night, a weekend or a holiday."""
    local = moment.astimezone(calendar.timezone)
    day = local.date()
    if calendar.is_working_day(day) and WORKDAY_START <= local.time() < WORKDAY_END:
        return moment.astimezone(UTC)
    if calendar.is_working_day(day) and local.time() < WORKDAY_START:
        return calendar.at(day, WORKDAY_START)
    day += timedelta(days=1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return calendar.at(day, WORKDAY_START)


def reminder_times(
    opened_at: datetime, deadline: datetime, calendar: Calendar
) -> tuple[datetime, ...]:
    """Halfway through the period and one day before the deadline, at working hours.

    A reminder that would land after the deadline, or within two hours of another one, is dropped:
    a reminder nobody can act on, or two in a row, only annoy.
    """
    wanted = [opened_at + (deadline - opened_at) / 2, deadline - timedelta(days=1)]
    moved = [_working_moment_before(m, deadline - timedelta(hours=1), calendar)
             for m in wanted if m > opened_at]
    chosen: list[datetime] = []
    for moment in sorted(m for m in moved if m is not None):
        if moment <= opened_at:
            continue
        if chosen and moment - chosen[-1] < timedelta(hours=2):
            continue
        chosen.append(moment)
    return tuple(chosen)


def _working_moment_before(
    moment: datetime, limit: datetime, calendar: Calendar
) -> datetime | None:
    """Forward into working hours if that stays before `limit`, else back to the last working
    afternoon before it (a Sunday "last day" reminder goes out on Friday, not after the
    deadline).
    """
    forward = within_working_hours(moment, calendar)
    if forward < limit:
        return forward
    day = moment.astimezone(calendar.timezone).date()
    for _ in range(14):
        candidate = calendar.at(day, time(15, 0))
        if calendar.is_working_day(day) and candidate < limit and candidate <= moment:
            return candidate
        day -= timedelta(days=1)
    return None


def next_quarter_start(after: datetime, calendar: Calendar, hour: time = WORKDAY_START) -> datetime:
    """The first working day of the next calendar quarter after `after`, at `hour` local time."""
    local = after.astimezone(calendar.timezone)
    month = ((local.month - 1) // 3 + 1) * 3 + 1
    year = local.year + (month > 12)
    day = date(year, (month - 1) % 12 + 1, 1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return calendar.at(day, hour)


def next_cycle_start(
    after: datetime, calendar: Calendar, every_months: int, hour: time = WORKDAY_START
) -> datetime | None:
    """The next reassessment: quarterly by default, every `every_months`, or never (0)."""
    if every_months <= 0:
        return None
    moment = after
    for _ in range(every_months // 3 if every_months % 3 == 0 else 0):
        moment = next_quarter_start(moment, calendar, hour)
    if every_months % 3 == 0:
        return moment
    local = after.astimezone(calendar.timezone)
    month_index = local.year * 12 + local.month - 1 + every_months
    day = date(month_index // 12, month_index % 12 + 1, 1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return calendar.at(day, hour)


def one_period_after(
    moment: datetime, calendar: Calendar, every_months: int, hour: time = WORKDAY_START
) -> datetime | None:
    """A full period after `moment` (the same day of the month, or the month's last day), on the
    first working day from then: an organisation asked on 7 December is asked again in March,
    not at the next calendar quarter four weeks later. None when the rhythm is off (0)."""
    if every_months <= 0:
        return None
    local = moment.astimezone(calendar.timezone).date()
    month_index = local.year * 12 + local.month - 1 + every_months
    year, month = month_index // 12, month_index % 12 + 1
    day = local.day
    while day > 28:
        try:
            date(year, month, day)
            break
        except ValueError:
            day -= 1
    found = date(year, month, day)
    while not calendar.is_working_day(found):
        found += timedelta(days=1)
    return calendar.at(found, hour)


def deadline_after(now: datetime, days: int, calendar: Calendar) -> datetime:
    """`days` from now, at the end of that working day (17:00 local), so nobody loses an evening.

    A day that is no working day (a weekend, a holiday) becomes the next working day: the promise
    is "the end of a working day", and nobody answers on Sunday evening.
    """
    day = now.astimezone(calendar.timezone).date() + timedelta(days=days)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return calendar.at(day, WORKDAY_END)


def send_moment(due_at: datetime, now: datetime, calendar: Calendar) -> datetime:
    """When a notification that fell due at `due_at` may reach a person: `now`, or later.

    It goes now during working hours, or when it answers something that just happened (it fell due
    less than `FRESH` ago: the invitations after a manager's /survey, the report at the 17:00
    deadline). Anything older, found after the bot was down, waits for the next working moment
    instead of arriving at night, at the weekend or on a holiday.
    """
    if now - due_at < FRESH or within_working_hours(now, calendar) == now.astimezone(UTC):
        return now
    return within_working_hours(now, calendar)


def heads_up_at(opens_at: datetime, calendar: Calendar) -> datetime:
    """The working day before a cycle opens, at the same local hour: the managers' heads-up."""
    local = opens_at.astimezone(calendar.timezone)
    day = local.date() - timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return calendar.at(day, local.time())


def heads_up_wording(now: datetime, opens_at: datetime, calendar: Calendar) -> str | None:
    """How a heads-up sent `now` names the opening: "tomorrow" only when it is, "later" (with its
    date) after a weekend; None when it opens today or has opened (the invitation says it all).
    """
    today = now.astimezone(calendar.timezone).date()
    opening_day = opens_at.astimezone(calendar.timezone).date()
    if opens_at <= now or opening_day <= today:
        return None
    return "tomorrow" if opening_day == today + timedelta(days=1) else "later"


def days_left(now: datetime, deadline: datetime) -> int:
    """Whole days left, rounded up: "1 day left" until the very last moment.
    """
    remaining = deadline - now
    if remaining <= timedelta(0):
        return 0
    return remaining.days + (1 if remaining % timedelta(days=1) else 0)


def parse_day(text: str, today: date) -> date | None:
    """A date as people type it in Dutch or English: 24-12-2026, 24/12, 2026-12-24, 24.12.

    Without a year the next such day is meant (in December, "5-1" is January next year).
    """
    cleaned = text.strip().replace("/", "-").replace(".", "-")
    parts = cleaned.split("-")
    try:
        numbers = [int(part) for part in parts]
    except ValueError:
        return None
    try:
        if len(numbers) == 3 and numbers[0] > 31:
            return date(numbers[0], numbers[1], numbers[2])
        if len(numbers) == 3:
            return date(numbers[2] + (2000 if numbers[2] < 100 else 0), numbers[1], numbers[0])
        if len(numbers) == 2:
            day = date(today.year, numbers[1], numbers[0])
            return day if day >= today else date(today.year + 1, numbers[1], numbers[0])
    except ValueError:
        return None
    return None


def rhythm_owner(organisation_rhythm: str) -> str:
    """Who opens the next cycle by itself: "organisation" when the organisation has a rhythm of
    its own (then all its teams are asked together, and no team also runs its own), else "team"
    (each team by its own setting, as before organisations existed; an organisation made for one
    team by /newteam has no rhythm)."""
    return "team" if organisation_rhythm == "off" else "organisation"
