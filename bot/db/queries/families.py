"""Queries behind the stored disclosure families (for `bot.services.families`): who answered
which element (never a level), the teams' thresholds and names, the kept family itself."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.db.models import Answer, Cycle, DisclosureFamily, OrganisationCycle, Response, Team
from bot.db.repositories import Repository


async def answered_elements(repo: Repository, response_ids: Sequence[int]
                            ) -> dict[int, set[str]]:
    """Per response: the elements it answered (never the level)."""
    found: dict[int, set[str]] = {r: set() for r in response_ids}
    rows = await repo.session.execute(
        select(Answer.response_id, Answer.element_id)
        .where(Answer.response_id.in_(list(response_ids))))
    for response_id, element_id in rows.all():
        found[response_id].add(element_id)
    return found


async def thresholds(repo: Repository, team_ids: Sequence[int]) -> Sequence[int]:
    """The anonymity thresholds the teams set."""
    return (await repo.session.scalars(
        select(Team.anonymity_threshold).where(Team.id.in_(list(team_ids))))).all()


async def responses_of(repo: Repository, cycle_id: int) -> Sequence[Response]:
    return (await repo.session.scalars(
        select(Response).where(Response.cycle_id == cycle_id).order_by(Response.id))).all()


async def teams_of(repo: Repository, organisation_cycle_id: int) -> list[int]:
    """The ids of the team cycles' teams in this organisation cycle, in order."""
    return sorted((await repo.session.scalars(select(Cycle.team_id).where(
        Cycle.organisation_cycle_id == organisation_cycle_id))).all())


async def organisation_cycle(repo: Repository, organisation_cycle_id: int
                             ) -> OrganisationCycle | None:
    return await repo.session.get(OrganisationCycle, organisation_cycle_id)


async def stored(repo: Repository, *, cycle_id: int | None = None,
                 organisation_cycle_id: int | None = None) -> str | None:
    """The kept family (as JSON) of a team cycle or of an organisation cycle."""
    column = (DisclosureFamily.cycle_id == cycle_id if cycle_id is not None
              else DisclosureFamily.organisation_cycle_id == organisation_cycle_id)
    return await repo.session.scalar(select(DisclosureFamily.family).where(column))


async def keep(repo: Repository, row: DisclosureFamily) -> None:
    """Stored once: a concurrent first read that stored the same family first wins."""
    try:
        async with repo.session.begin_nested():
            repo.session.add(row)
    except IntegrityError:
        pass


async def team_names(repo: Repository, team_ids: Collection[int]) -> dict[int, str]:
    if not team_ids:
        return {}
    return dict((await repo.session.execute(
        select(Team.id, Team.name).where(Team.id.in_(list(team_ids))))).all())
