"""Setting an organisation up (issue 29), at the service level on the real database: who may
move a team, which organisation goes when it empties, a team's first manager, one-time links,
the organisation's targets and rhythm, and what closing names."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Membership, Organisation, Team
from bot.db.repositories import Repository
from bot.services import org_cycles, org_rhythm, org_setup, organisations, permissions, teams
from bot.services.actor import Actor
from bot.services.permissions import PermissionsError
from tests.support.clock import FixedClock

OLGA, MIA, ANNA, PIET = 1, 2, 3, 4


async def _setup(sessions: async_sessionmaker[AsyncSession], clock: FixedClock
                 ) -> tuple[int, int]:
    """Olga's Zorggroep with team Zorg, managed by Mia (chosen by Olga) with Anna in it."""
    now = clock.now()
    async with sessions.begin() as session:
        repo = Repository(session)
        for user in (OLGA, MIA, ANNA, PIET):
            await repo.touch_person(user, f"P{user}", "nl", now)
        organisation = await organisations.create(repo, Actor(OLGA), "Zorggroep", now)
        made = await org_setup.create_team(repo, Actor(OLGA), organisation.id, "Zorg",
                                           teams.TeamSettings(), now)
        await repo.join(made.team_id, ANNA, "participant", None, now)
        _, candidates = await org_setup.manager_candidates(repo, Actor(OLGA), made.team_id)
        assert candidates == [(ANNA, "P3")]  # Mia is no one Olga knows yet
        assert await org_setup.choose_manager(repo, Actor(OLGA), made.team_id, MIA, now) is None
        token, _ = await org_setup.make_link(repo, Actor(OLGA), organisation.id,
                                             org_setup.MANAGER_LINK, made.team_id, now)
        accepted = await org_setup.accept_link(repo, token, MIA, now)
        assert isinstance(accepted, org_setup.Accepted) and accepted.team == "Zorg"
        assert accepted.admins == (org_setup.Recipient(OLGA, "nl"),)
    return organisation.id, made.team_id


async def test_a_manager_cannot_move_her_team_out_of_the_admins_organisation(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    zorggroep, zorg = await _setup(sessions, clock)
    now = clock.now()
    async with sessions.begin() as session:
        repo = Repository(session)
        assert await repo.membership(zorg, OLGA) is None  # the admin is nobody's manager
        own = await organisations.create(repo, Actor(MIA), "Eigen", now)
        assert await organisations.movable_teams(repo, Actor(MIA), own.id) == []
        with pytest.raises(organisations.MoveRefusal) as refused:
            await organisations.move_team(repo, Actor(MIA), zorg, own.id)
        assert refused.value.args == ("Zorg", "not_admin", "Zorggroep")
    async with sessions.begin() as session:
        team = await session.get(Team, zorg)
        assert team is not None and team.organisation_id == zorggroep
        assert await permissions.is_org_admin(Repository(session), Actor(OLGA), zorggroep)


async def test_only_the_organisation_newteam_made_goes_when_it_empties(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    zorggroep, zorg = await _setup(sessions, clock)
    now = clock.now()
    async with sessions.begin() as session:
        repo = Repository(session)
        apart, _ = await teams.create_team(repo, "Apart", MIA, teams.TeamSettings(), now)
        solo = apart.organisation_id
        await repo.add_organisation_admin(zorggroep, MIA, OLGA, now)
        oost = await organisations.create(repo, Actor(OLGA), "Oost", now)
        await repo.add_organisation_admin(oost.id, PIET, OLGA, now)
        moved = await organisations.move_team(repo, Actor(MIA), apart.id, zorggroep)
        assert (moved.left, moved.tell) == (None, (org_setup.Recipient(OLGA, "nl"),))
        assert await session.get(Organisation, solo) is None  # /newteam's: gone with its team
        moved = await organisations.move_team(repo, Actor(OLGA), zorg, oost.id)
        assert moved.left == "Zorggroep"
        assert {r.user_id for r in moved.tell} == {PIET, MIA}  # both sides' admins, not Olga
        await organisations.move_team(repo, Actor(OLGA), apart.id, oost.id)
    async with sessions.begin() as session:  # emptied, but an admin made it: it stays
        assert await session.get(Organisation, zorggroep) is not None


async def test_one_time_links_work_once_and_not_after_a_week(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    zorggroep, zorg = await _setup(sessions, clock)
    now = clock.now()
    async with sessions.begin() as session:
        repo = Repository(session)
        with pytest.raises(PermissionsError):  # a manager cannot hand out admin rights
            await org_setup.make_link(repo, Actor(MIA), zorggroep, org_setup.ADMIN_LINK, None,
                                      now)
        token, expires = await org_setup.make_link(repo, Actor(OLGA), zorggroep,
                                                   org_setup.ADMIN_LINK, None, now)
        late, _ = await org_setup.make_link(repo, Actor(OLGA), zorggroep, org_setup.ADMIN_LINK,
                                            None, now)
        assert expires == now + timedelta(days=7)
        accepted = await org_setup.accept_link(repo, token, PIET, now)
        assert isinstance(accepted, org_setup.Accepted) and accepted.kind == "admin"
        assert await org_setup.accept_link(repo, token, ANNA, now) is org_setup.LinkProblem.USED
        assert await org_setup.accept_link(repo, late, ANNA, now + timedelta(days=8)) is (
            org_setup.LinkProblem.EXPIRED)
        assert await org_setup.accept_link(repo, "org_nothing", ANNA, now) is (
            org_setup.LinkProblem.UNKNOWN)
        assert await permissions.is_org_admin(repo, Actor(PIET), zorggroep)
        assert not await permissions.is_org_admin(repo, Actor(ANNA), zorggroep)
        roles = dict((await session.execute(select(Membership.user_id, Membership.role).where(
            Membership.team_id == zorg))).all())
    assert roles == {ANNA: "participant", MIA: "manager"}


async def test_the_organisations_targets_are_its_admins_and_a_forged_chapter_changes_nothing(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    zorggroep, _ = await _setup(sessions, clock)
    async with sessions.begin() as session:
        repo = Repository(session)
        with pytest.raises(PermissionsError):
            await org_setup.set_target(repo, Actor(MIA), zorggroep, "5", 4)
        assert all(level is None for *_, level in (
            await org_setup.targets(repo, Actor(OLGA), zorggroep)).chapters)
        await org_setup.set_target(repo, Actor(OLGA), zorggroep, "5", 4)
        await org_setup.set_target(repo, Actor(OLGA), zorggroep, "99", 4)
        assert await repo.organisation_targets(zorggroep) == {"5": 4}
        await org_setup.set_target(repo, Actor(OLGA), zorggroep, "5", None)
        assert await repo.organisation_targets(zorggroep) == {}


async def test_the_rhythm_comes_a_full_period_after_the_survey_and_admins_move_it(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    zorggroep, _ = await _setup(sessions, clock)
    now = clock.now()  # Monday 2 November 2026
    async with sessions.begin() as session:
        repo = Repository(session)
        opened = await org_cycles.open_organisation_cycle(
            repo, Actor(OLGA), zorggroep, "quick", now + timedelta(days=7), now)
        await org_rhythm.after_opening(repo, zorggroep, now)
        organisation = await session.get(Organisation, zorggroep)
        assert organisation is not None and organisation.next_reassessment_at is not None
        assert organisation.next_reassessment_at.date() == date(2027, 2, 2)
        with pytest.raises(PermissionsError):
            await org_rhythm.set_rhythm(repo, Actor(MIA), zorggroep, "yearly", now)
        await org_rhythm.set_rhythm(repo, Actor(OLGA), zorggroep, "weekly", now)  # forged
        assert organisation.reassessment == "quarterly"
        later = await org_rhythm.set_rhythm(repo, Actor(OLGA), zorggroep, "yearly", now)
        assert later is not None and later.date() == date(2027, 11, 2)
        assert await org_rhythm.set_next(repo, Actor(OLGA), zorggroep, date(2026, 11, 1),
                                         now) is None  # the past
        moved = await org_rhythm.set_next(repo, Actor(OLGA), zorggroep, date(2027, 3, 14), now)
        assert moved is not None and moved.date() == date(2027, 3, 15)  # a Sunday: Monday
        name, closing = await org_setup.closing(repo, Actor(OLGA), opened.organisation_cycle_id)
        assert (name, closing) == ("Zorggroep", ("Zorg",))
        with pytest.raises(PermissionsError):
            await org_setup.closing(repo, Actor(MIA), opened.organisation_cycle_id)
        assert await org_rhythm.set_rhythm(repo, Actor(OLGA), zorggroep, "off", now) is None
