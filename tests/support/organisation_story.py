"""The organisation story of the service tests: an admin who created (and so manages) four teams,
Piet in the first two, a team of two ("Duo"); `story` is their fixture (tests/services/conftest.py),
with the steps the tests take in it: open the organisation's cycle, answer everything, the cycles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import (
    Cycle,
    Team,
)
from bot.db.repositories import Repository
from bot.services import (
    joining,
    org_cycles,
    organisations,
    survey,
    teams,
)
from bot.services.actor import Actor
from bot.services.survey import AnswerRefusal
from tests.support.clock import FixedClock

ADMIN, PIET, OUTSIDER = 1, 2, 3
GLOBAL_ADMIN = 99
PEOPLE = {"Zorg": (10, 11, PIET), "Logistiek": (20, 21, PIET), "Kantoor": (30, 31, 32),
          "Duo": (40, 41)}


@dataclass
class Story:
    sessions: async_sessionmaker[AsyncSession]
    clock: FixedClock
    organisation_id: int
    team_ids: dict[str, int]


@pytest.fixture
async def story(sessions: async_sessionmaker[AsyncSession], clock: FixedClock) -> Story:
    now = clock.now()
    async with sessions.begin() as session:
        repo = Repository(session)
        everyone = {ADMIN, OUTSIDER, *(p for people in PEOPLE.values() for p in people)}
        for user in sorted(everyone):
            await repo.touch_person(user, f"P{user}", "nl", now)
        organisation = await organisations.create(repo, Actor(ADMIN), "Zorggroep", now)
        team_ids = {}
        for name, people in PEOPLE.items():
            team, _ = await organisations.create_team(
                repo, Actor(ADMIN), organisation.id, name, teams.TeamSettings(), now)
            invite = await teams.create_invite(repo, team.id, ADMIN, None, now)
            for person in people:
                await joining.join(repo, invite.token, person, None, now)
            team_ids[name] = team.id
    return Story(sessions, clock, organisation.id, team_ids)


async def _open(story: Story, actor: int = ADMIN) -> org_cycles.Opened:
    now = story.clock.now()
    async with story.sessions.begin() as session:
        return await org_cycles.open_organisation_cycle(
            Repository(session), Actor(actor), story.organisation_id, "quick",
            now + timedelta(days=7), now)


async def _answer_all(story: Story, user: int, cycle_id: int) -> AnswerRefusal | None:
    now = story.clock.now()
    async with story.sessions.begin() as session:
        repo = Repository(session)
        for index in range(7):
            outcome = await survey.answer(repo, user, cycle_id, index, 3, None, now)
            if isinstance(outcome, AnswerRefusal):
                return outcome
        confirmed = await survey.confirm(repo, user, cycle_id, now)
        return confirmed if isinstance(confirmed, AnswerRefusal) else None


async def _cycles(story: Story) -> dict[str, Cycle]:
    async with story.sessions.begin() as session:
        rows = (await session.execute(select(Team.name, Cycle).join(Cycle))).all()
    return dict(rows)
