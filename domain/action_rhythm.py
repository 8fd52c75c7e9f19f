"""When an action's owner is asked how it goes: the team's rhythm, a heads-up, once when overdue.

Pure: the days come from the action's start, its due date, the team's setting and its working
days (`domain.rhythm.Calendar`); the outbox plans them as rows and checks each again when sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from domain.rhythm import Calendar

EVERY: dict[str, int | None] = {"off": None, "weekly": 7, "fortnightly": 14, "monthly": 28}
"""A team's check-in setting and its days between two check-ins ("off": none at all)."""
CHECKIN_AT = time(10, 0)
HEADS_UP_WORKING_DAYS = 3


@dataclass(frozen=True, slots=True)
class CheckIn:
    day: date
    moment: str
    """"regular", "heads_up" (three working days before the due date) or "overdue" (the first
    working day after it: the owner is asked once more, then the managers' digest names it)."""


def working_day_on_or_after(day: date, calendar: Calendar) -> date:
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def working_days_before(day: date, count: int, calendar: Calendar) -> date:
    while count:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            count -= 1
    return day


def moment_of(day: date, due: date | None, calendar: Calendar) -> str:
    """What a check-in on `day` is, judged when it is sent (the due date may have moved)."""
    if due is None:
        return "regular"
    if day > due:
        return "overdue"
    if day == working_days_before(due, HEADS_UP_WORKING_DAYS, calendar):
        return "heads_up"
    return "regular"


def checkins(
    start: date, setting: str, due: date | None, first: date, last: date, calendar: Calendar
) -> list[CheckIn]:
    """The check-in days in [first, last]: every `EVERY[setting]` days after `start` (on the next
    working day) until the due date, the heads-up and the one overdue question."""
    every = EVERY.get(setting)
    if every is None:
        return []
    days: dict[date, str] = {}
    step = start + timedelta(days=every)
    while step <= last and (due is None or step <= due):
        day = working_day_on_or_after(step, calendar)
        if due is None or day <= due:
            days[day] = "regular"
        step += timedelta(days=every)
    if due is not None:
        days[working_days_before(due, HEADS_UP_WORKING_DAYS, calendar)] = "heads_up"
        days[working_day_on_or_after(due + timedelta(days=1), calendar)] = "overdue"
    return [CheckIn(day, moment) for day, moment in sorted(days.items())
            if first <= day <= last and day > start]
