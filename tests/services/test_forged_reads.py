"""A forged read is refused by the service itself, whoever calls it.

A button's data names what it reads (a team, a cycle, a membership, an organisation cycle), and
anyone can send any data: so every read service is called here directly, with an actor who may
not read it — a member of the team, a manager of another team, a stranger — and must raise
`PermissionsError`. The team's own manager reads the same things, so a refusal here is the rule
and not a broken story.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.repositories import Repository
from bot.services import (
    cycles,
    improvement,
    joining,
    members,
    org_cycles,
    org_reports,
    organisations,
    report_view,
    reports,
    teams,
)
from bot.services.actor import Actor
from bot.services.permissions import PermissionsError
from tests.support.clock import FixedClock

MANON, ANNA, BRAM, OTTO, ADA = 1, 2, 3, 4, 5
"""Manon manages Zorg, Anna is a member of it, Bram manages the Bakkerij, Otto is nobody there,
Ada is in ADMIN_IDS."""

Read = Callable[[Repository, Actor], Awaitable[Any]]


@dataclass(frozen=True)
class Zorg:
    team_id: int
    cycle_id: int
    organisation_id: int
    organisation_cycle_id: int
    annas_membership: int


@pytest.fixture
async def zorg(sessions: async_sessionmaker[AsyncSession], clock: FixedClock) -> Zorg:
    """Zorg with Anna in it and an organisation survey open in its organisation; the Bakkerij
    beside it, in an organisation of its own."""
    now = clock.now()
    async with sessions.begin() as session:
        repo = Repository(session)
        for user, name in ((MANON, "Manon"), (ANNA, "Anna"), (BRAM, "Bram"), (OTTO, "Otto")):
            await repo.touch_person(user, name, "nl", now)
        team, _ = await teams.create_team(repo, "Zorg", MANON, teams.TeamSettings(), now)
        await teams.create_team(repo, "Bakkerij", BRAM, teams.TeamSettings(), now)
        invite = await teams.create_invite(repo, team.id, MANON, None, now)
        joined = await joining.join(repo, invite.token, ANNA, None, now)
        assert isinstance(joined, joining.Joined)
        opened = await org_cycles.open_organisation_cycle(
            repo, Actor(MANON), team.organisation_id, "quick", now + timedelta(days=7), now)
        cycle = await repo.open_cycle(team.id)
        assert cycle is not None and opened.organisation_cycle_id is not None
        return Zorg(team.id, cycle.id, team.organisation_id, opened.organisation_cycle_id,
                    joined.membership.id)


def _team_reads(zorg: Zorg, clock: FixedClock) -> dict[str, Read]:
    """Every read of one team a manager makes: report, export, status, members, targets,
    actions, settings, what closing would close."""
    now = clock.now()
    return {
        "report": lambda repo, actor: report_view.latest(repo, actor, zorg.team_id),
        "export": lambda repo, actor: report_view.of_cycle(repo, actor, zorg.cycle_id),
        "status": lambda repo, actor: reports.cycle_status(repo, actor, zorg.team_id),
        "members": lambda repo, actor: members.member_lines(repo, actor, zorg.team_id, now),
        "member": lambda repo, actor: members.member_line(
            repo, actor, zorg.annas_membership, now),
        "targets": lambda repo, actor: improvement.targets(repo, actor, zorg.team_id),
        "actions": lambda repo, actor: improvement.actions(
            repo, actor, zorg.team_id, open_only=False),
        "settings": lambda repo, actor: teams.managed_team(repo, actor, zorg.team_id),
        "closable": lambda repo, actor: cycles.closable(repo, actor, zorg.team_id),
    }


def _organisation_reads(zorg: Zorg) -> dict[str, Read]:
    return {
        "org report": lambda repo, actor: org_reports.build_org_report(
            repo, actor, zorg.organisation_cycle_id),
        "org overview": lambda repo, actor: organisations.overview(
            repo, actor, zorg.organisation_id),
        "org status": lambda repo, actor: org_cycles.status(
            repo, actor, zorg.organisation_cycle_id),
        "org survey plan": lambda repo, actor: organisations.survey_plan(
            repo, actor, zorg.organisation_id, 0),
        "org admin candidates": lambda repo, actor: organisations.admin_candidates(
            repo, actor, zorg.organisation_id),
    }


async def _refused(sessions: async_sessionmaker[AsyncSession], read: Read, actor: Actor
                   ) -> bool:
    """Whether the service refused this actor (as herself: the refusal names who asked)."""
    refused_as: int | None = None
    try:
        async with sessions.begin() as session:
            await read(Repository(session), actor)
    except PermissionsError as refusal:
        refused_as = refusal.actor_id
    assert refused_as in (None, actor.id)
    return refused_as is not None


@pytest.mark.parametrize("who", [ANNA, BRAM, OTTO], ids=["member", "other manager", "stranger"])
async def test_another_teams_reads_are_refused_by_the_service(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, zorg: Zorg, who: int,
) -> None:
    reads = _team_reads(zorg, clock)
    read_anyway = [name for name, read in reads.items()
                   if not await _refused(sessions, read, Actor(who))]
    assert read_anyway == []


async def test_the_teams_manager_reads_them_all(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, zorg: Zorg,
) -> None:
    reads = {**_team_reads(zorg, clock), **_organisation_reads(zorg)}
    refused = [name for name, read in reads.items()
               if await _refused(sessions, read, Actor(MANON))]
    assert refused == []


@pytest.mark.parametrize("who", [ANNA, BRAM, OTTO], ids=["member", "other manager", "stranger"])
async def test_the_organisations_reads_are_refused_to_a_non_admin(
    sessions: async_sessionmaker[AsyncSession], zorg: Zorg, who: int,
) -> None:
    reads = _organisation_reads(zorg)
    read_anyway = [name for name, read in reads.items()
                   if not await _refused(sessions, read, Actor(who))]
    assert read_anyway == []
    async with sessions.begin() as session:
        assert await org_reports.reportable(Repository(session), Actor(who)) == []


async def test_admin_ids_read_every_organisation_without_a_row(
    sessions: async_sessionmaker[AsyncSession], zorg: Zorg,
) -> None:
    """The admin flag travels in the Actor, not through the call: ADMIN_IDS read it all."""
    ada = Actor.of(ADA, frozenset({ADA}))
    reads = _organisation_reads(zorg)
    refused = [name for name, read in reads.items() if await _refused(sessions, read, ada)]
    assert refused == []
    async with sessions.begin() as session:
        found = await org_reports.reportable(Repository(session), ada)
    assert [cycle_id for cycle_id, _ in found] == [zorg.organisation_cycle_id]
