"""Stories about time: a team with an open survey, the reminders and invitations a person got,
and when the outbox means to send each kind of notification."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Notification
from bot.emulator import SimulatedPerson
from tests.support.journeys import create_team, join, open_survey
from tests.support.running import RunningBot


def reminders(person: SimulatedPerson) -> list[str]:
    return [m.text for m in person.messages if "🔔" in m.text]


def invitations(person: SimulatedPerson) -> list[str]:
    return [m.text for m in person.messages if "vraagt naar jouw mening" in m.text
            or "asks for your opinion" in m.text]


async def team_with_survey(
    bot: RunningBot, manon: SimulatedPerson, people: list[tuple[SimulatedPerson, str]],
) -> None:
    start = await create_team(manon, "Ritme")
    for person, language in people:
        await join(person, start, language)
    await open_survey(manon, "Snelle scan", "2 weken")
    await bot.sweep()


async def due_times(sessions: async_sessionmaker[AsyncSession], kind: str) -> list[datetime]:
    async with sessions() as session:
        return list((await session.scalars(
            select(Notification.due_at).where(Notification.kind == kind))).all())
