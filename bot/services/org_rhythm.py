"""The organisation's rhythm: an organisation-wide cycle opens by itself (quarterly by default).

An organisation whose rhythm is not "off" asks all its teams together, with the model and scope
of its previous organisation cycle; its teams then do not run a rhythm of their own
(`domain.rhythm.rhythm_owner`, applied in `bot.services.reassessment.open_due`). The
organisation's working days are those of its first team (its time zone and holidays).
"""

from __future__ import annotations

from datetime import datetime

from bot.db.models import Organisation
from bot.db.queries import organisations as queries
from bot.db.repositories import Repository
from bot.services import cycles, org_cycles, outbox
from bot.services.outbox import Kind
from domain.holidays import team_calendar
from domain.rhythm import Calendar, deadline_after, heads_up_at, next_cycle_start, send_moment

RHYTHMS: dict[str, int] = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12, "off": 0}
CYCLE_DAYS = 14
DEFAULT_TIMEZONE = "Europe/Amsterdam"


async def calendar_of(repo: Repository, organisation_id: int, now: datetime) -> Calendar:
    timezone = await queries.first_timezone(repo, organisation_id)
    return team_calendar(timezone or DEFAULT_TIMEZONE, now.date())


async def schedule_next(
    repo: Repository, organisation: Organisation, after: datetime
) -> datetime | None:
    """Set the organisation's next organisation-wide cycle (None when its rhythm is off), and
    tell every team's managers on the working day before, as for a team's own rhythm."""
    calendar = await calendar_of(repo, organisation.id, after)
    upcoming = next_cycle_start(after, calendar, RHYTHMS.get(organisation.reassessment, 3))
    organisation.next_reassessment_at = upcoming
    if upcoming is None:
        return None
    due = max(heads_up_at(upcoming, calendar), after)
    for user_id, team_id in await queries.managers_of(repo, organisation.id):
        await outbox.plan(repo, outbox.heads_up_prefix(team_id, upcoming) + str(user_id),
                          Kind.HEADS_UP, due, user_id=user_id, team_id=team_id)
    return upcoming


async def after_opening(repo: Repository, organisation_id: int, now: datetime) -> None:
    """An organisation cycle opened (by an admin or the rhythm): the next one gets its date."""
    organisation = await queries.organisation(repo, organisation_id)
    if organisation is None or organisation.reassessment == "off":
        return
    if organisation.next_reassessment_at is None or organisation.next_reassessment_at <= now:
        await schedule_next(repo, organisation, now)


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
                repo, None, organisation.id,
                previous.scope_id if previous is not None else "quick",
                deadline_after(now, CYCLE_DAYS, calendar), now)
            opened += 1 if result.organisation_cycle_id else 0
        if organisation.next_reassessment_at is not None and (
                organisation.next_reassessment_at <= now):
            await schedule_next(repo, organisation, now)
    return opened
