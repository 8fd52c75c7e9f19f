"""Set-ups for meeting stories: a group linked to a team, and a closed cycle with given answers.

`link_group` writes the link the way linking a group does (a `GroupLink` row), so meeting tests
need not walk through linking, which has tests of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Answer, Cycle, Example, GroupLink, Response
from bot.db.repositories import Repository
from bot.emulator import BotApiEmulator, SimulatedGroup, SimulatedPerson
from bot.services import cycles
from tests.support.clock import FixedClock
from tests.support.running import set_up_team


class Someone(Protocol):
    """A simulated person, or a plain stand-in for service tests."""

    @property
    def user_id(self) -> int: ...

    @property
    def first_name(self) -> str: ...


class AGroup(Protocol):
    @property
    def chat_id(self) -> int: ...

    @property
    def title(self) -> str: ...


@dataclass(frozen=True)
class Person:
    user_id: int
    first_name: str


@dataclass(frozen=True)
class Group:
    chat_id: int
    title: str


async def link_group(
    sessions: async_sessionmaker[AsyncSession], group: AGroup, team_id: int,
    linked_by: Someone, now: datetime, language: str = "nl",
) -> None:
    async with sessions.begin() as session:
        await session.execute(delete(GroupLink).where(GroupLink.chat_id == group.chat_id))
        session.add(GroupLink(chat_id=group.chat_id, team_id=team_id, title=group.title,
                              language=language, bot_is_admin=False,
                              linked_by=linked_by.user_id, linked_at=now))


async def closed_cycle_with_answers(
    sessions: async_sessionmaker[AsyncSession], team_id: int, opened_by: Someone,
    people: Sequence[tuple[Someone, str]], levels: Mapping[str, Sequence[int | None]],
    now: datetime, *, scope: str = "quick", examples: Mapping[str, str] | None = None,
) -> Cycle:
    """Everyone in `people` (person, role) joins the team and answers: `levels[element][n]` is
    person n's level. The cycle is closed an hour later."""
    async with sessions.begin() as session:
        repo = Repository(session)
        cycle = await cycles.open_cycle(repo, team_id, scope, now + timedelta(days=7),
                                        opened_by.user_id, now, plan=cycles.plan_nothing)
        rows = []
        for number, (person, role) in enumerate(people):
            await repo.touch_person(person.user_id, person.first_name, "nl", now)
            membership = await repo.join(team_id, person.user_id, role, None, now)
            response = Response(cycle_id=cycle.id, membership_id=membership.id,
                                is_manager=role == "manager", started_at=now,
                                completed_at=now + timedelta(minutes=30))
            session.add(response)
            await session.flush()
            rows += [{"response_id": response.id, "element_id": element, "level": answers[number],
                      "answered_at": now} for element, answers in levels.items()]
            if number == 0:
                for element, text in (examples or {}).items():
                    session.add(Example(response_id=response.id, element_id=element, text=text,
                                        written_at=now))
        await session.execute(insert(Answer), rows)
        await cycles.close_cycle(repo, cycle.id, now + timedelta(hours=1))
    return cycle


# person order: Manon, Bram, Daan (managers), Anna, Eva (members)
LEVELS = {
    "5.2": [3, 3, 3, 3, 3], "6.2": [1, 1, 5, 5, 3], "7.4": [2, 2, 3, 3, 2],
    "8.4": [1, 5, 1, 5, 1], "9.2": [1, 4, 2, 5, 3], "10.2": [1, 3, 5, 3, 1],
    "11.1": [4, 4, 4, 4, 4],
}


@dataclass
class Meeting:
    group: SimulatedGroup
    managers: list[SimulatedPerson]
    members: list[SimulatedPerson]

    @property
    def everyone(self) -> list[SimulatedPerson]:
        return self.managers + self.members


async def link(manager: SimulatedPerson, group: SimulatedGroup) -> None:
    """What a manager does: add the bot, then /link in the group."""
    await manager.add_bot_to(group)
    await group.wait_for(lambda m: "/link" in m.text)
    await manager.say_in(group, "/link")
    await group.wait_for(lambda m: "nu gekoppeld" in m.text)


async def set_up_meeting(
    emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
    manon: SimulatedPerson, anna: SimulatedPerson,
) -> tuple[Meeting, int]:
    bram, daan = emulator.person("Bram", "en"), emulator.person("Daan", "nl")
    eva = emulator.person("Eva", "nl")
    team = await set_up_team(sessions, clock.now(), manager=manon, scope=None)
    people = [(manon, "manager"), (bram, "manager"), (daan, "manager"), (anna, "member"),
              (eva, "member")]
    await closed_cycle_with_answers(sessions, team.team.id, manon, people, LEVELS, clock.now(),
                                    examples={"8.4": "Elke ploeg werkt met een eigen lijstje"})
    group = emulator.group("MT Zorg & Co", members=[manon, bram, daan, anna, eva])
    await link(manon, group)
    return Meeting(group, [manon, bram, daan], [anna, eva]), team.team.id


LOWEST_CONSENSUS = ("8.4", "6.2", "10.2", "9.2")  # consensus 0.03, 0.20, 0.38, 0.43
AGREED = {"8.4": 2, "6.2": 3, "10.2": 2, "9.2": 3}


async def vote_and_agree(meeting: Meeting, element: str, reason: str) -> None:
    group = meeting.group
    manon, bram = meeting.managers[0], meeting.managers[1]
    shown = await group.wait_for(lambda m: f"<b>{element} " in m.html)
    assert "0 gestemd" in shown.text
    if element == LOWEST_CONSENSUS[0]:  # Anna changes her mind: her first vote is replaced
        await meeting.members[0].tap_in(group, "4")
        await group.wait_for(lambda m: "1 gestemd" in m.text)
    for number, person in enumerate(meeting.everyone):
        toast = await person.tap_in(group, str(LEVELS[element][number]))
        assert toast is not None and f"Je stem: {LEVELS[element][number]}" in toast
    counted = await group.wait_for(lambda m: "5 gestemd" in m.text)
    assert "Stemmen (" not in counted.text  # hidden until the chair shows them: no anchoring
    assert "Alleen een manager" in (await meeting.members[0].tap_in(group, "Toon de stemmen")
                                    or "")
    assert "Stemmen (" not in group.last_message.text
    await manon.tap_in(group, "Toon de stemmen")
    revealed = await group.wait_for(lambda m: "Stemmen (5)" in m.text)
    votes = LEVELS[element]
    assert "Stemmen (5): " + " · ".join(f"{n}: {votes.count(n)}" for n in range(1, 6)) \
        in revealed.text
    assert "Alleen leden" not in revealed.text
    await bram.tap_in(group, f"✅ {AGREED[element]}")  # any manager of the team may chair
    agreed = await group.wait_for(lambda m: f"Afgesproken: niveau {AGREED[element]}" in m.text)
    assert "beantwoord dit bericht met de reden" in agreed.text
    await bram.say_in(group, reason, reply_to=agreed)
    await group.wait_for(lambda m: reason in m.text and "met de reden" not in m.text)
