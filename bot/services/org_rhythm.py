"""The organisation's rhythm: an organisation-wide cycle opens by itself (quarterly by default).

An organisation whose rhythm is not "off" asks all its teams together, with the model and scope
of its previous organisation cycle; its teams then do not run a rhythm of their own
(`domain.rhythm.rhythm_owner`, applied in `bot.services.reassessment.open_due`). The
organisation's working days are those of its first team (its time zone and holidays).

The next one comes a full period after the last organisation survey (`one_period_after`), not at
the next calendar quarter: a survey in December is not followed by another in January. Its admins
set the rhythm and move the date in `/org` (`set_rhythm`, `set_next`); the heads-up the working
day before goes to the admins and to every team's managers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.db.models import Organisation, OrganisationCycle
from bot.db.queries import organisations as queries
from bot.db.repositories import Repository
from bot.services import cycles, org_cycles, outbox, permissions
from bot.services.actor import Actor
from bot.services.outbox import Kind
from domain.catalog import load_model
from domain.holidays import team_calendar
from domain.rhythm import (
    WORKDAY_START,
    Calendar,
    deadline_after,
    heads_up_at,
    one_period_after,
    send_moment,
)

RHYTHMS: dict[str, int] = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12, "off": 0}
CHOICES = ("off", "quarterly", "half-yearly", "yearly")
"""What an admin chooses from in `/org`."""
CYCLE_DAYS = 14
DEFAULT_TIMEZONE = "Europe/Amsterdam"


async def calendar_of(repo: Repository, organisation_id: int, now: datetime) -> Calendar:
    timezone = await queries.first_timezone(repo, organisation_id)
    return team_calendar(timezone or DEFAULT_TIMEZONE, now.date())


async def schedule_next(
    repo: Repository, organisation: Organisation, after: datetime
) -> datetime | None:
    """Set the organisation's next organisation-wide cycle: a full period after its last
    organisation survey (or after `after` when it had none), never in the past; None when its
    rhythm is off."""
    calendar = await calendar_of(repo, organisation.id, after)
    months = RHYTHMS.get(organisation.reassessment, 3)
    upcoming = one_period_after(await queries.last_opened(repo, organisation.id) or after,
                                calendar, months)
    while upcoming is not None and upcoming <= after:
        upcoming = one_period_after(upcoming, calendar, months)
    return await _plan(repo, organisation, upcoming, after, calendar)


async def _plan(
    repo: Repository, organisation: Organisation, upcoming: datetime | None, now: datetime,
    calendar: Calendar,
) -> datetime | None:
    """The date set, and the heads-up on the working day before planned for every team's
    managers and for the admins (an admin's in her first team of it, or the organisation's first
    team; one per person and team: a manager who is also an admin gets one)."""
    organisation.next_reassessment_at = upcoming
    if upcoming is None:
        return None
    due = max(heads_up_at(upcoming, calendar), now)
    for user_id, team_id in await queries.people_to_tell(repo, organisation.id):
        await outbox.plan(repo, outbox.heads_up_prefix(team_id, upcoming) + str(user_id),
                          Kind.HEADS_UP, due, user_id=user_id, team_id=team_id)
    return upcoming


@dataclass(frozen=True, slots=True)
class Governing:
    """The organisation whose rhythm, not the team's own, opens the team's next survey."""

    name: str
    reassessment: str
    next_reassessment_at: datetime | None


async def governing(repo: Repository, organisation_id: int) -> Governing | None:
    """The team's organisation when its rhythm governs (for `/settings` to say so, and point to
    `/org`)."""
    organisation = await queries.organisation(repo, organisation_id)
    if organisation is None or organisation.reassessment == "off":
        return None
    return Governing(organisation.name, organisation.reassessment,
                     organisation.next_reassessment_at)


async def after_opening(repo: Repository, organisation_id: int, now: datetime) -> None:
    """An organisation cycle opened (by an admin or the rhythm): the next one a full period
    after it."""
    organisation = await queries.organisation(repo, organisation_id)
    if organisation is None or organisation.reassessment == "off":
        return
    await schedule_next(repo, organisation, now)


async def set_rhythm(
    repo: Repository, actor: Actor, organisation_id: int,
    rhythm: str, now: datetime,
) -> datetime | None:
    """An admin sets the rhythm; the next date follows from it (None when off). An unknown
    choice changes nothing (a forged button)."""
    organisation = await permissions.check_can_administer_org(repo, actor, organisation_id)
    if rhythm not in CHOICES:
        return organisation.next_reassessment_at
    organisation.reassessment = rhythm
    return await schedule_next(repo, organisation, now)


async def set_next(
    repo: Repository, actor: Actor, organisation_id: int,
    day: date, now: datetime,
) -> datetime | None:
    """An admin moves the next organisation survey to a day (its first working day, at the
    start of the working day); None, and nothing changes, for a day not after today or while
    the rhythm is off."""
    organisation = await permissions.check_can_administer_org(repo, actor, organisation_id)
    calendar = await calendar_of(repo, organisation.id, now)
    if organisation.reassessment == "off" or day <= now.astimezone(calendar.timezone).date():
        return None
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return await _plan(repo, organisation, calendar.at(day, WORKDAY_START), now, calendar)


async def open_due(repo: Repository, now: datetime) -> int:
    """Open the organisation cycles whose time has come, at a working moment.

    As for a team (`bot.services.reassessment.open_due`): an organisation cycle past its deadline
    is closed first, in this transaction; one still open waits a round.
    """
    due = await queries.due_for_a_cycle(repo, now)
    opened = 0
    for organisation in due:
        assert organisation.next_reassessment_at is not None
        calendar = await calendar_of(repo, organisation.id, now)
        if send_moment(organisation.next_reassessment_at, now, calendar) > now:
            continue
        current = await org_cycles.open_for(repo, organisation.id)
        if current is not None and current.deadline <= now:
            await cycles.close_organisation_cycle(
                repo, current.id, now, send_moment(current.deadline, now, calendar))
            current = None
        if current is None:
            previous = await queries.last_cycle(repo, organisation.id)
            result = await org_cycles.open_organisation_cycle(
                repo, None, organisation.id, _scope_after(previous),
                deadline_after(now, CYCLE_DAYS, calendar), now)
            opened += 1 if result.organisation_cycle_id else 0
        if organisation.next_reassessment_at is not None and (
                organisation.next_reassessment_at <= now):
            await schedule_next(repo, organisation, now)
    return opened


def _scope_after(previous: OrganisationCycle | None) -> str:
    """The next reassessment asks what the last one asked, unless that scope has been retired
    (the old quick scan): then the quick scan of today."""
    if previous is not None and load_model(previous.model_id).offers(previous.scope_id):
        return previous.scope_id
    return "quick"
