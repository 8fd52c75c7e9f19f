"""Public holidays that a team's calendar skips, computed (no data files, no network).

Only the Dutch national holidays are built in, because most teams are Dutch; Belgian and other
calendars can be added the same way. Easter uses the anonymous Gregorian algorithm.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from domain.rhythm import Calendar


def easter_sunday(year: int) -> date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month = (h + weekday_shift - 7 * m + 114) // 31
    day = (h + weekday_shift - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def dutch_holidays(year: int) -> frozenset[date]:
    """New Year, Easter, King's Day, Liberation Day, Ascension, Whitsun and Christmas."""
    easter = easter_sunday(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday it moves to the Saturday before
        kings_day -= timedelta(days=1)
    return frozenset({
        date(year, 1, 1), easter, easter + timedelta(days=1), kings_day, date(year, 5, 5),
        easter + timedelta(days=39), easter + timedelta(days=49), easter + timedelta(days=50),
        date(year, 12, 25), date(year, 12, 26),
    })


HOLIDAY_CALENDARS = {"Europe/Amsterdam": dutch_holidays}


def holidays_for(timezone: str, years: range) -> frozenset[date]:
    calendar = HOLIDAY_CALENDARS.get(timezone)
    if calendar is None:
        return frozenset()
    return frozenset(day for year in years for day in calendar(year))


def team_calendar(timezone: str, around: date) -> Calendar:
    """The working days of a team in `timezone`, for the years around `around`."""
    return Calendar(ZoneInfo(timezone), holidays_for(timezone, range(around.year - 1,
                                                                     around.year + 3)))
