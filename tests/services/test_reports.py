"""A cycle's report, on the real database: the same stored family for every reader
(`bot.services.families`)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.repositories import Repository
from bot.services import cycles, joining, reports, survey, teams
from tests.support.clock import FixedClock

MANAGER, OUTSIDER = 1, 99
COLLEAGUES = (2, 3, 4)


async def _team_where_everyone_answered(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, levels: dict[int, int]
) -> int:
    """A quick scan in which each person in `levels` confirmed that level for every topic."""
    now = clock.now()
    async with sessions.begin() as session:
        repo = Repository(session)
        for user in (MANAGER, *COLLEAGUES, OUTSIDER):
            await repo.touch_person(user, f"person {user}", "nl", now)
        team, _ = await teams.create_team(repo, "Zorg", MANAGER, teams.TeamSettings(), now)
        invite = await teams.create_invite(repo, team.id, MANAGER, None, now)
        for user in COLLEAGUES:
            await joining.join(repo, invite.token, user, None, now)
        cycle = await cycles.open_cycle(repo, team.id, "quick", now + timedelta(days=7),
                                        MANAGER, now)
        for user, level in levels.items():
            for index in range(7):
                await survey.answer(repo, user, cycle.id, index, level, None, now)
            await survey.confirm(repo, user, cycle.id, now)
    return cycle.id


async def _report(sessions: async_sessionmaker[AsyncSession], cycle_id: int,
                  reader: int) -> reports.CycleReport:
    async with sessions.begin() as session:
        repo = Repository(session)
        cycle = await repo.cycle(cycle_id)
        assert cycle is not None
        return await reports.build_report(repo, cycle, reader)


async def test_an_open_cycle_has_counts_of_people_and_no_figures(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    cycle_id = await _team_where_everyone_answered(sessions, clock, dict.fromkeys(COLLEAGUES, 4))
    report = await _report(sessions, cycle_id, MANAGER)
    assert report.is_preview and report.rate.completed == 3 and report.rate.members == 4
    assert not report.result.shown and report.result.overall is None
    assert report.remarks == () and report.groups == () and report.priorities == ()


async def test_three_respondents_show_nobody_figures_not_even_who_did_not_answer(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    """k + 1 for everyone: with k = 3, three respondents leave any of them two others to read."""
    levels = {MANAGER: 2, COLLEAGUES[0]: 4, COLLEAGUES[1]: 4}
    cycle_id = await _team_where_everyone_answered(sessions, clock, levels)
    async with sessions.begin() as session:
        await cycles.close_cycle(Repository(session), cycle_id, clock.now())
    for reader in (MANAGER, COLLEAGUES[0], COLLEAGUES[2]):
        assert not (await _report(sessions, cycle_id, reader)).result.shown


async def test_four_respondents_show_every_reader_the_same_figures(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    levels = {MANAGER: 2, COLLEAGUES[0]: 4, COLLEAGUES[1]: 4, COLLEAGUES[2]: 3}
    cycle_id = await _team_where_everyone_answered(sessions, clock, levels)
    async with sessions.begin() as session:
        await cycles.close_cycle(Repository(session), cycle_id, clock.now())
    seen = [await _report(sessions, cycle_id, reader) for reader in (MANAGER, *COLLEAGUES)]
    assert [r.result.overall for r in seen] == [13 / 4] * 4

    async with sessions.begin() as session:
        repo = Repository(session)
        cycle = await repo.cycle(cycle_id)
        assert cycle is not None
        classes = {await reports.reader_class(repo, cycle, user)
                   for user in (MANAGER, COLLEAGUES[0], COLLEAGUES[2], OUTSIDER)}
    assert classes == {0}  # one report per cycle, whoever reads it
