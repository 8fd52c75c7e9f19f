"""The agreed profile in the report, on the real database: what the management team agreed in its
meeting (`agreements.record_agreed`) stands beside the median, and a later cycle's median is
compared with it, never where the disclosure rule hides that median."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Cycle
from bot.db.repositories import Repository
from bot.services import agreements, cycles, joining, reports, survey, teams
from bot.services.agreements import CycleStillOpen
from bot.services.permissions import PermissionsError
from domain.agreed import Direction
from domain.catalog import load_model
from tests.support.clock import FixedClock

MANAGER, SILENT = 1, 5
COLLEAGUES = (2, 3, 4, SILENT)
QUICK = load_model("iso9004-2018").scope("quick").element_ids
FIRST, SECOND, THIRD = QUICK[:3]


async def _team(sessions: async_sessionmaker[AsyncSession], clock: FixedClock) -> int:
    async with sessions.begin() as session:
        repo = Repository(session)
        for user in (MANAGER, *COLLEAGUES):
            await repo.touch_person(user, f"person {user}", "nl", clock.now())
        team, _ = await teams.create_team(repo, "Zorg", MANAGER, teams.TeamSettings(), clock.now())
        invite = await teams.create_invite(repo, team.id, MANAGER, None, clock.now())
        for user in COLLEAGUES:
            await joining.join(repo, invite.token, user, None, clock.now())
    return team.id


async def _cycle(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, team_id: int,
    levels: dict[int, int], *, close: bool = True,
) -> int:
    """A quick scan in which each person in `levels` answered that level for every topic."""
    now = clock.advance(timedelta(days=30))
    async with sessions.begin() as session:
        repo = Repository(session)
        cycle = await cycles.open_cycle(repo, team_id, "quick", now + timedelta(days=7),
                                        MANAGER, now)
        for user, level in levels.items():
            for index in range(len(QUICK)):
                await survey.answer(repo, user, cycle.id, index, level, None, now)
            await survey.confirm(repo, user, cycle.id, now)
        if close:
            await cycles.close_cycle(repo, cycle.id, now + timedelta(days=1))
    return cycle.id


async def _agree(sessions: async_sessionmaker[AsyncSession], clock: FixedClock, actor: int,
                 cycle_id: int, agreed: dict[str, tuple[int, str]]) -> None:
    async with sessions.begin() as session:
        for element_id, (level, reason) in agreed.items():
            await agreements.record_agreed(Repository(session), actor, cycle_id, element_id,
                                           level, reason, clock.now())


async def _report(sessions: async_sessionmaker[AsyncSession], cycle_id: int,
                  reader: int) -> reports.CycleReport:
    async with sessions.begin() as session:
        repo = Repository(session)
        cycle = await repo.cycle(cycle_id)
        assert cycle is not None
        return await reports.build_report(repo, cycle, reader)


async def test_the_report_carries_what_was_agreed_and_why_in_catalog_order(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    team = await _team(sessions, clock)
    cycle = await _cycle(sessions, clock, team, dict.fromkeys(COLLEAGUES, 2))
    await _agree(sessions, clock, MANAGER, cycle, {
        SECOND: (3, "  We do it, but only on paper  "), FIRST: (2, "A first step")})
    await _agree(sessions, clock, MANAGER, cycle, {SECOND: (4, "On second thoughts")})
    report = await _report(sessions, cycle, MANAGER)
    assert report.result.shown
    assert [(a.element_id, a.level, a.reason) for a in report.agreed] == [
        (FIRST, 2, "A first step"), (SECOND, 4, "On second thoughts")]
    assert report.last_agreed == () and report.movement.elements == ()


async def test_agreed_levels_stand_even_where_too_few_answered_for_figures(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    team = await _team(sessions, clock)
    cycle = await _cycle(sessions, clock, team, {2: 2, 3: 4})  # two people: no figures
    await _agree(sessions, clock, MANAGER, cycle, {FIRST: (3, "We know this one well")})
    report = await _report(sessions, cycle, MANAGER)
    assert not report.result.shown
    assert [(a.element_id, a.level) for a in report.agreed] == [(FIRST, 3)]


async def test_the_next_cycle_compares_its_median_with_the_last_agreement(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    team = await _team(sessions, clock)
    first = await _cycle(sessions, clock, team, dict.fromkeys(COLLEAGUES, 2))
    await _agree(sessions, clock, MANAGER, first, {
        FIRST: (2, "low"), SECOND: (4, "high"), THIRD: (3, "middle")})
    second = await _cycle(sessions, clock, team, dict.fromkeys(COLLEAGUES, 3))
    report = await _report(sessions, second, MANAGER)
    assert report.agreed == ()  # the new cycle's meeting has not been held yet
    assert [(a.element_id, a.level) for a in report.last_agreed] == [
        (FIRST, 2), (SECOND, 4), (THIRD, 3)]
    assert [(e.element_id, e.direction) for e in report.movement.elements] == [
        (FIRST, Direction.ABOVE), (SECOND, Direction.BELOW), (THIRD, Direction.SAME)]
    await _agree(sessions, clock, MANAGER, second, {FIRST: (3, "up one")})
    third = await _cycle(sessions, clock, team, dict.fromkeys(COLLEAGUES, 3))
    latest = {a.element_id: a.level for a in (await _report(sessions, third, MANAGER)).last_agreed}
    assert latest[FIRST] == 3 and latest[SECOND] == 4  # each element's latest agreement


async def test_a_reader_whose_own_answers_hide_the_median_gets_no_comparison(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    team = await _team(sessions, clock)
    first = await _cycle(sessions, clock, team, dict.fromkeys(COLLEAGUES, 2))
    await _agree(sessions, clock, MANAGER, first, {FIRST: (3, "agreed")})
    # Three answered; the second colleague, reading, would have only two others: no figure, and
    # so no "above" or "below" either, which would tell her which side of 3 the other two are on.
    # The family is decided once for every reader: the one who did not answer sees no more.
    second = await _cycle(sessions, clock, team, {2: 4, 3: 4, 4: 1})
    for_her = await _report(sessions, second, 3)
    assert not for_her.result.shown and for_her.movement.elements == ()
    assert [a.level for a in for_her.last_agreed] == [3]  # the agreement itself is shown
    for_the_silent_one = await _report(sessions, second, SILENT)
    assert not for_the_silent_one.result.shown and for_the_silent_one.movement.elements == ()
    third = await _cycle(sessions, clock, team, {2: 4, 3: 4, 4: 1, SILENT: 4})  # k + 1 answered
    for_both = [await _report(sessions, third, reader) for reader in (3, SILENT)]
    assert [[e.direction for e in r.movement.elements] for r in for_both] == [[Direction.ABOVE]] * 2


async def test_an_agreement_of_another_edition_is_not_compared(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    team = await _team(sessions, clock)
    first = await _cycle(sessions, clock, team, dict.fromkeys(COLLEAGUES, 2))
    await _agree(sessions, clock, MANAGER, first, {FIRST: (3, "agreed")})
    async with sessions.begin() as session:  # as if the team assessed the 2009 edition then
        await session.execute(update(Cycle).where(Cycle.id == first)
                              .values(model_id="iso9004-2009"))
    second = await _cycle(sessions, clock, team, dict.fromkeys(COLLEAGUES, 3))
    report = await _report(sessions, second, MANAGER)
    assert report.last_agreed == () and report.movement.elements == ()


async def test_only_a_manager_agrees_and_only_on_a_closed_cycle(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    team = await _team(sessions, clock)
    open_cycle = await _cycle(sessions, clock, team, dict.fromkeys(COLLEAGUES, 2),
                              close=False)
    with pytest.raises(CycleStillOpen):
        await _agree(sessions, clock, MANAGER, open_cycle, {FIRST: (3, "too early")})
    with pytest.raises(PermissionsError):
        await _agree(sessions, clock, 2, open_cycle, {FIRST: (3, "not mine to agree")})
    assert (await _report(sessions, open_cycle, MANAGER)).agreed == ()
