"""Conversation positions on the real database: stored, replaced, cleared, and read defensively."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import ConversationPosition
from bot.db.repositories import Repository
from bot.services import positions
from bot.services.positions import (
    ChapterRemark,
    MeetingReason,
    Position,
    SurveyDeadline,
    TeamName,
)
from tests.support.clock import FixedClock

MANON = 42


async def _expected(sessions: async_sessionmaker[AsyncSession]) -> Position | None:
    async with sessions.begin() as session:
        return await positions.expected(Repository(session), MANON)


async def test_the_latest_question_wins_and_clearing_forgets_it(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    assert await _expected(sessions) is None
    for position in (TeamName(), SurveyDeadline(team_id=7, scope_id="quick"),
                     ChapterRemark(cycle_id=3, chapter_id="5")):
        async with sessions.begin() as session:
            await positions.expect(Repository(session), MANON, position, clock.now())
        assert await _expected(sessions) == position
    async with sessions.begin() as session:
        await positions.clear(Repository(session), MANON)
    assert await _expected(sessions) is None


async def test_a_row_this_version_does_not_understand_expects_nothing(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    for n, (kind, payload) in enumerate((
        ("gone_in_this_release", {}),
        ("remark", {"cycle_id": "3", "chapter_id": "5"}),  # wrong type
        ("remark", {"cycle_id": 3}),  # a field missing
        ("survey_deadline", [7, "quick"]),  # not an object
    )):
        async with sessions.begin() as session:
            await session.execute(insert(ConversationPosition).values(
                user_id=MANON + n, chat_id=MANON + n, kind=kind, payload=payload,
                updated_at=clock.now()))
            assert await positions.expected(Repository(session), MANON + n) is None


async def test_a_reason_asked_in_a_group_and_a_remark_typed_in_private_keep_apart(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    group = -100123
    remark = ChapterRemark(cycle_id=3, chapter_id="5")
    reason = MeetingReason(meeting_id=7, element_id="8.4")
    async with sessions.begin() as session:
        repo = Repository(session)
        await positions.expect(repo, MANON, remark, clock.now())
        await positions.expect(repo, MANON, reason, clock.now(), chat_id=group)
    async with sessions.begin() as session:
        repo = Repository(session)
        assert await positions.expected(repo, MANON) == remark
        assert await positions.expected(repo, MANON, chat_id=group) == reason
        await positions.clear(repo, MANON, chat_id=group)
    async with sessions.begin() as session:
        repo = Repository(session)
        assert await positions.expected(repo, MANON) == remark
        assert await positions.expected(repo, MANON, chat_id=group) is None
