"""Check-ins to an action's owner and the managers' weekly digest, as outbox rows.

Planned ahead (a fortnight at a time, by the scheduler's job and when an owner accepts), with
unique keys, so planning twice or on two workers adds nothing: `checkin:<action>:<day>` and
`digest:<team>:<monday>:<manager>`. What a row means is decided again when it is sent
(`bot.outbox.delivery`): an action done or dropped, reassigned or without owner, a team that
switched check-ins off, an owner away, all get nothing; after downtime a stale row is re-planned
to working hours by the outbox like every other notification.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.db.queries import actions
from bot.db.queries import checkins as queries
from bot.db.repositories import Repository
from bot.services import away
from bot.services.outbox import Kind, plan_many
from domain.action_rhythm import CHECKIN_AT, EVERY, checkins, moment_of
from domain.holidays import team_calendar
from domain.rhythm import WORKDAY_START, Calendar

HORIZON = timedelta(days=14)


@functools.lru_cache(maxsize=64)
def _calendar(timezone: str, year: int) -> Calendar:
    """A time zone's working days around a year (built once: thousands of actions share it)."""
    return team_calendar(timezone, date(year, 1, 1))
OPEN = ("open", "on_track", "stuck")
DIGEST_KINDS = ("stuck", "done", "dropped", "owner_left")


async def plan(repo: Repository, now: datetime, *, action_id: int | None = None) -> int:
    """Plan the check-ins of the coming fortnight for every open action with an owner (or just
    `action_id`), and each team's next digest for its managers. Returns the rows offered."""
    rows: list[dict[str, object]] = []
    for aid, team_id, owner_id, created_at, due_on, setting, timezone in (
            await queries.due_checkins(repo, action_id)):
        calendar = _calendar(timezone, now.year)
        today = now.astimezone(calendar.timezone).date()
        start = created_at.astimezone(calendar.timezone).date()
        for check in checkins(start, setting, due_on, today, today + HORIZON, calendar):
            rows.append(_row(f"checkin:{aid}:{check.day:%Y%m%d}", Kind.CHECKIN,
                             calendar.at(check.day, CHECKIN_AT), owner_id, team_id))
    if action_id is None:
        rows += await _digests(repo, await _digest_teams(repo, now), now)
    await plan_many(repo, rows)
    return len(rows)


def _row(key: str, kind: Kind, due_at: datetime, user_id: int | None, team_id: int
         ) -> dict[str, object]:
    return {"key": key, "kind": kind.value, "user_id": user_id, "team_id": team_id,
            "cycle_id": None, "due_at": due_at, "status": "pending", "attempts": 0}


async def _digest_teams(repo: Repository, now: datetime) -> dict[int, str]:
    """Teams (and their time zones) whose managers get a digest next Monday: those with open
    actions, and those where something happened to an action lately (the last one done, or
    its owner gone), whatever their check-in setting."""
    return await queries.teams_with_news(repo, now - timedelta(days=8))


def next_monday(now: datetime, timezone: str) -> date:
    today = now.astimezone(ZoneInfo(timezone)).date()
    return today + timedelta(days=7 - today.weekday())


async def _digests(repo: Repository, teams: dict[int, str], now: datetime
                   ) -> list[dict[str, object]]:
    """Next Monday's digest for each active manager of a team with open actions."""
    if not teams:
        return []
    rows = []
    for team_id, user_id in await queries.active_managers(repo, teams):
        monday = next_monday(now, teams[team_id])
        calendar = _calendar(teams[team_id], monday.year)
        rows.append(_row(f"digest:{team_id}:{monday:%Y%m%d}:{user_id}", Kind.DIGEST,
                         calendar.at(monday, WORKDAY_START), user_id, team_id))
    return rows


@dataclass(frozen=True, slots=True)
class CheckinNotice:
    action_id: int
    what: str
    team: str
    due_on: date | None
    moment: str


async def checkin(repo: Repository, key: str, user_id: int, now: datetime
                  ) -> CheckinNotice | None:
    """What a check-in row means now; None when it no longer makes sense."""
    _, action_id, day = key.split(":")
    action = await actions.action(repo, int(action_id))
    if action is None or action.status not in OPEN or action.owner_id != user_id:
        return None
    team = await repo.team(action.team_id)
    membership = await repo.membership(action.team_id, user_id)
    if (team is None or EVERY.get(team.checkins) is None or membership is None
            or not membership.active or away.is_away(membership.away_until, now)):
        return None
    calendar = _calendar(team.timezone, now.year)
    moment = moment_of(datetime.strptime(day, "%Y%m%d").date(), action.due_on, calendar)
    return CheckinNotice(action.id, action.what, team.name, action.due_on, moment)


@dataclass(frozen=True, slots=True)
class DigestItem:
    kind: str
    """stuck, done, dropped, owner_left or overdue."""
    what: str
    owner: str
    note: str | None


async def digest(repo: Repository, key: str, user_id: int) -> tuple[str, list[DigestItem]]:
    """The team's name and what happened in the week before the digest's Monday: actions that
    became stuck, done or dropped (with their notes), lost their owner, or fell due unfinished.
    Each week's window is fixed by the key, so a change reaches a digest once, however late it is
    sent. Nothing for someone who no longer manages the team."""
    _, team_id, monday_text, _ = key.split(":")
    team = await repo.team(int(team_id))
    membership = await repo.membership(int(team_id), user_id)
    if team is None or membership is None or not membership.active or (
            membership.role != "manager"):
        return "", []
    monday = datetime.strptime(monday_text, "%Y%m%d").date()
    calendar = _calendar(team.timezone, monday.year)
    end, start = calendar.at(monday, WORKDAY_START), calendar.at(monday - timedelta(days=7),
                                                                 WORKDAY_START)
    items = [DigestItem(kind, what, owner, note) for kind, note, what, owner in
             await queries.events_between(repo, team.id, DIGEST_KINDS, start, end)]
    items += [DigestItem("overdue", what, owner, None) for what, owner in
              await queries.fell_due_between(repo, team.id, monday - timedelta(days=7), monday)]
    return team.name, items
