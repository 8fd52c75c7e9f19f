"""Organisations and organisation-wide cycles, at the service level, on the real database.

The story: an admin with four teams; Piet is in the first two. Piet answers once and counts in
both; the status, the team report's response rate, /resume and the reminders all agree.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import (
    Cycle,
    Membership,
    Notification,
    Organisation,
    OrganisationAdmin,
    OrganisationCycle,
    Team,
)
from bot.db.repositories import Repository
from bot.services import (
    account,
    org_cycles,
    org_rhythm,
    organisations,
    outbox,
    permissions,
    reassessment,
    reports,
    survey,
    teams,
)
from bot.services import (
    cycles as cycles_service,
)
from bot.services.actor import Actor
from bot.services.permissions import Permission, PermissionsError
from bot.services.survey import AnswerRefusal
from tests.support.clock import FixedClock
from tests.support.organisation_story import (
    ADMIN,
    GLOBAL_ADMIN,
    OUTSIDER,
    PEOPLE,
    PIET,
    Story,
    _answer_all,
    _cycles,
    _open,
)


async def test_one_command_opens_every_team_and_each_person_is_invited_once(story: Story) -> None:
    opened = await _open(story)
    assert [name for _, name in opened.teams] == list(PEOPLE)
    assert opened.invitations == 1 + 10  # the admin manages all four teams; Piet is in two
    cycles = await _cycles(story)
    assert {(c.scope_id, c.deadline, c.organisation_cycle_id) for c in cycles.values()} == {
        ("quick", story.clock.now() + timedelta(days=7), opened.organisation_cycle_id)}
    async with story.sessions.begin() as session:
        invited = (await session.execute(select(Notification.user_id, Notification.cycle_id)
                                         .where(Notification.kind == "invite"))).all()
    assert len(invited) == 11
    assert dict(invited)[PIET] == cycles["Zorg"].id  # his first team, by id
    with pytest.raises(org_cycles.AlreadyOpen):
        await _open(story)


async def test_only_an_admin_opens_it(story: Story) -> None:
    with pytest.raises(PermissionsError) as refused:
        await _open(story, actor=OUTSIDER)
    assert refused.value.permission is Permission.ADMINISTER_ORG
    async with story.sessions.begin() as session:
        assert await session.scalar(select(func.count()).select_from(Cycle)) == 0
        assert await permissions.is_org_admin(Repository(session),
                                              Actor.of(GLOBAL_ADMIN, {GLOBAL_ADMIN}),
                                              story.organisation_id)


async def test_a_person_in_two_teams_answers_once_and_counts_in_both(story: Story) -> None:
    opened = await _open(story)
    cycles = await _cycles(story)
    async with story.sessions.begin() as session:  # before he starts: his first team's
        where = await org_cycles.answering_cycle(Repository(session), cycles["Logistiek"], PIET)
        assert where.id == cycles["Zorg"].id
    assert await _answer_all(story, PIET, cycles["Zorg"].id) is None
    assert await _answer_all(story, PIET, cycles["Logistiek"].id) is AnswerRefusal.ELSEWHERE
    now = story.clock.now()
    async with story.sessions.begin() as session:
        repo = Repository(session)
        assert [team.name for _, team, _ in await survey.open_surveys(repo, PIET, now)] == [
            "Zorg"]
        counted = await org_cycles.counted_responses(repo, opened.organisation_cycle_id)
        assert [(c.team_ids, c.user_id, c.completed, c.is_manager) for c in counted] == [
            (frozenset({story.team_ids["Zorg"], story.team_ids["Logistiek"]}), PIET, True,
             False)]
        _, statuses = await org_cycles.status(repo, Actor(ADMIN),
                                              opened.organisation_cycle_id)
        assert [(s.team, s.members, s.started, s.completed) for s in statuses] == [
            ("Zorg", 4, 1, 1), ("Logistiek", 4, 1, 1), ("Kantoor", 4, 0, 0), ("Duo", 3, 0, 0)]
        rate = await reports.response_rate(repo, cycles["Logistiek"])
        assert (rate.members, rate.started, rate.completed) == (4, 1, 1)
        unfinished = await outbox.unfinished_members(repo, cycles["Logistiek"])
        assert PIET not in {m.user_id for m in unfinished}
        with pytest.raises(PermissionsError):
            await org_cycles.status(repo, Actor(OUTSIDER), opened.organisation_cycle_id)


async def test_closing_closes_every_team_at_once_and_only_an_admin_may(story: Story) -> None:
    opened = await _open(story)
    cycles = await _cycles(story)
    now = story.clock.now()
    async with story.sessions.begin() as session:
        repo = Repository(session)
        await repo.join(story.team_ids["Zorg"], OUTSIDER, "manager", None, now)
    async with story.sessions.begin() as session:  # a team's manager, no admin
        with pytest.raises(PermissionsError):
            await permissions.check_can_close_cycle(Repository(session), Actor(OUTSIDER),
                                                    cycles["Zorg"].id)
        with pytest.raises(PermissionsError):
            await org_cycles.close(Repository(session), Actor(OUTSIDER),
                                   opened.organisation_cycle_id, now)
    async with story.sessions.begin() as session:
        assert await org_cycles.close(Repository(session), Actor(ADMIN),
                                      opened.organisation_cycle_id, now)
    async with story.sessions.begin() as session:
        assert not await org_cycles.close(Repository(session), Actor(ADMIN),
                                          opened.organisation_cycle_id, now)
        closed = await session.get(OrganisationCycle, opened.organisation_cycle_id)
        assert closed is not None and closed.closed_at == now
        reports_planned = await session.scalar(select(func.count()).select_from(Notification)
                                               .where(Notification.kind == "report"))
    assert all(c.closed_at == now for c in (await _cycles(story)).values())
    assert reports_planned == 4 + 1  # the admin in each team, and Otto


async def test_where_an_answer_counts_is_frozen_at_the_close(story: Story) -> None:
    """Piet answers for Zorg and Logistiek. Had his leaving Logistiek after the close moved his
    answers out of it, Logistiek's cells before and after would differ by exactly his answers."""
    opened = await _open(story)
    cycles = await _cycles(story)
    assert await _answer_all(story, PIET, cycles["Zorg"].id) is None
    both = frozenset({story.team_ids["Zorg"], story.team_ids["Logistiek"]})
    async with story.sessions.begin() as session:
        assert await org_cycles.close(Repository(session), Actor(ADMIN),
                                      opened.organisation_cycle_id, story.clock.now())
    async with story.sessions.begin() as session:
        await session.execute(update(Membership).where(
            Membership.user_id == PIET, Membership.team_id == story.team_ids["Logistiek"])
            .values(active=False))
        await session.execute(update(Membership).where(
            Membership.user_id == PIET, Membership.team_id == story.team_ids["Zorg"])
            .values(role="manager"))
    async with story.sessions.begin() as session:
        counted = await org_cycles.counted_responses(Repository(session),
                                                     opened.organisation_cycle_id)
    assert [(c.team_ids, c.user_id, c.is_manager) for c in counted] == [(both, PIET, False)]


async def test_forgetting_a_sole_manager_unmarks_where_his_answer_counts(story: Story) -> None:
    """Piet manages Logistiek alone. After /deleteme his unlinked answers stay in its figures,
    but a manager mark there would still name him."""
    async with story.sessions.begin() as session:
        await session.execute(update(Membership).where(
            Membership.user_id == PIET, Membership.team_id == story.team_ids["Logistiek"])
            .values(role="manager"))
    opened = await _open(story)
    cycles = await _cycles(story)
    assert await _answer_all(story, PIET, cycles["Zorg"].id) is None
    async with story.sessions.begin() as session:
        await org_cycles.close(Repository(session), Actor(ADMIN),
                               opened.organisation_cycle_id, story.clock.now())
    async with story.sessions.begin() as session:
        before = await org_cycles.counted_responses(Repository(session),
                                                    opened.organisation_cycle_id)
    assert [c.manager_in for c in before] == [frozenset({story.team_ids["Logistiek"]})]
    async with story.sessions.begin() as session:
        assert await account.forget(Repository(session), PIET, story.clock.now()) is None
    async with story.sessions.begin() as session:
        after = await org_cycles.counted_responses(Repository(session),
                                                   opened.organisation_cycle_id)
    both = frozenset({story.team_ids["Zorg"], story.team_ids["Logistiek"]})
    assert [(c.team_ids, c.manager_in, c.user_id) for c in after] == [(both, frozenset(), None)]


async def test_a_deadline_of_one_team_closes_them_all(story: Story) -> None:
    opened = await _open(story)
    cycles = await _cycles(story)
    later = story.clock.now() + timedelta(days=8)
    async with story.sessions.begin() as session:
        await cycles_service.close_and_plan_reports(Repository(session), cycles["Duo"].id, later)
    assert {c.closed_at for c in (await _cycles(story)).values()} == {later}
    async with story.sessions.begin() as session:
        closed = await session.get(OrganisationCycle, opened.organisation_cycle_id)
        assert closed is not None and closed.closed_at == later


async def test_the_organisation_runs_the_rhythm_and_its_teams_do_not(story: Story) -> None:
    await _open(story)
    async with story.sessions.begin() as session:
        repo = Repository(session)
        await reassessment.open_due(repo, story.clock.now())  # the rhythm's date is set
        await org_rhythm.after_opening(repo, story.organisation_id, story.clock.now())
        organisation = await session.get(Organisation, story.organisation_id)
        assert organisation is not None and organisation.next_reassessment_at is not None
        next_at = organisation.next_reassessment_at
        heads_up = (await session.scalars(select(Notification.key).where(
            Notification.kind == "heads_up"))).all()
        assert heads_up == [  # the admin manages each team: told once, for the organisation
            outbox.heads_up_prefix(story.team_ids["Zorg"], next_at) + str(ADMIN)]
        assert next_at - story.clock.now() > timedelta(days=85)  # a full quarter later
        for team in (await session.scalars(select(Team))).all():  # as if they had their own
            assert await reassessment.schedule_next(repo, team, story.clock.now()) is None
            team.next_reassessment_at = next_at
    story.clock.advance(next_at - story.clock.now() + timedelta(minutes=1))
    async with story.sessions.begin() as session:
        assert await reassessment.open_due(Repository(session), story.clock.now()) == 1
    async with story.sessions.begin() as session:
        shared = await session.scalar(select(func.count()).select_from(OrganisationCycle))
        open_cycles = (await session.scalars(select(Cycle).where(
            Cycle.closed_at.is_(None)))).all()
    assert shared == 2
    assert len(open_cycles) == 4 and all(c.organisation_cycle_id for c in open_cycles)


async def test_a_team_made_the_old_way_has_its_own_organisation_and_can_move(
    story: Story,
) -> None:
    now = story.clock.now()
    async with story.sessions.begin() as session:
        repo = Repository(session)
        team, _ = await teams.create_team(repo, "Apart", OUTSIDER, teams.TeamSettings(), now)
        own = await session.get(Organisation, team.organisation_id)
        assert own is not None and (own.name, own.reassessment) == ("Apart", "off")
        mine = await organisations.administered(repo, Actor(OUTSIDER))
        assert [o.name for o in mine] == ["Apart"]
        with pytest.raises(PermissionsError):  # Otto administers not the Zorggroep
            await organisations.move_team(repo, Actor(OUTSIDER), team.id,
                                          story.organisation_id)
        with pytest.raises(organisations.MoveRefusal):  # the admin neither manages Apart
            await organisations.move_team(repo, Actor(ADMIN), team.id,
                                          story.organisation_id)
        assert await organisations.move_team(repo, Actor.of(ADMIN, {ADMIN}), team.id,
                                             story.organisation_id)
        assert await session.get(Organisation, own.id) is None  # left empty: gone
    async with story.sessions.begin() as session:
        moved = await session.get(Team, team.id)
        assert moved is not None and moved.organisation_id == story.organisation_id


async def test_an_admin_adds_admins_from_the_members_and_forgetting_removes_them(
    story: Story,
) -> None:
    now = story.clock.now()
    async with story.sessions.begin() as session:
        repo = Repository(session)
        candidates = dict(await organisations.admin_candidates(
            repo, Actor(ADMIN), story.organisation_id))
        assert PIET in candidates and ADMIN not in candidates and OUTSIDER not in candidates
        assert await organisations.add_admin(repo, Actor(ADMIN), story.organisation_id,
                                             OUTSIDER, now) is None  # no member: refused
        assert await organisations.add_admin(repo, Actor(ADMIN), story.organisation_id,
                                             PIET, now) == "P2"
        assert await permissions.is_org_admin(repo, Actor(PIET), story.organisation_id)
        with pytest.raises(PermissionsError):
            await organisations.add_admin(repo, Actor(OUTSIDER),
                                          story.organisation_id, 10, now)
    async with story.sessions.begin() as session:
        repo = Repository(session)
        assert await account.forget(repo, PIET, now) is None
        assert not await permissions.is_org_admin(repo, Actor(PIET),
                                                  story.organisation_id)
        rows = (await session.execute(select(OrganisationAdmin.user_id,
                                             OrganisationAdmin.added_by))).all()
    assert rows == [(ADMIN, None)]


async def test_a_team_that_is_another_plus_one_shows_no_figures_to_anyone(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    """Kern plus is Kern and Sam: whoever reads both (now, or after a role change) would read
    Sam's answers by subtracting, so the family shows the larger team and never Kern, to
    anyone."""
    now = clock.now()
    manager, other_manager, sam = 1, 2, 13
    async with sessions.begin() as session:
        repo = Repository(session)
        for user in (manager, other_manager, 10, 11, 12, 14, sam):
            await repo.touch_person(user, f"P{user}", "nl", now)
        organisation = await organisations.create(repo, Actor(manager), "Groep", now)
        members = {"Kern": (10, 11, 12, 14), "Kern plus": (10, 11, 12, 14, sam)}
        for name, people in members.items():
            team, _ = await organisations.create_team(
                repo, Actor(manager), organisation.id, name,
                teams.TeamSettings(share_results=False), now)
            for person in people:
                await repo.join(team.id, person, "member", None, now)
            if name == "Kern plus":
                await repo.join(team.id, other_manager, "manager", None, now)
        opened = await org_cycles.open_organisation_cycle(
            repo, Actor(manager), organisation.id, "quick", now + timedelta(days=7), now)
    story = Story(sessions, clock, organisation.id, {})
    cycles = await _cycles(story)
    for person in (10, 11, 12, 14, sam):
        where = cycles["Kern"] if person != sam else cycles["Kern plus"]
        assert await _answer_all(story, person, where.id) is None
    async with sessions.begin() as session:
        repo = Repository(session)
        await org_cycles.close(repo, Actor(manager), opened.organisation_cycle_id, now)
    async with sessions.begin() as session:
        repo = Repository(session)
        kern, plus = await repo.cycle(cycles["Kern"].id), await repo.cycle(cycles["Kern plus"].id)
        assert kern is not None and plus is not None
        for reader in (manager, other_manager):
            assert (await reports.build_report(repo, plus, reader)).result.shown
            hidden = await reports.build_report(repo, kern, reader)
            assert not hidden.result.shown and hidden.rate.completed == 4
