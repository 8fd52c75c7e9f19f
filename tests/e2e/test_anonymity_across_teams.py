"""Issue #25's two attacks across teams, played through Telegram, recover nothing.

The organisation and its answers are seeded through the services (as `set_up_team` does for one
team); the reader then uses nothing but the bot: /organisatierapport, /report, the team result a
sharing team sends its members at the close. Under the old per-reader rule both attacks pinned
people down (`tests/domain/test_adversary_family.py` plays them by brute force); here the
figures that would have been subtracted are never shown, to anyone, and say why.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Cycle, Team
from bot.db.repositories import Repository
from bot.emulator import BotApiEmulator, SimulatedPerson
from bot.services import org_cycles, organisations, survey, teams
from bot.services.actor import Actor
from tests.support.clock import FixedClock
from tests.support.journeys import assert_telegram_was_happy
from tests.support.running import RunningBot

A_FIGURE = re.compile(r"\d,\d")  # a level such as 3,4; counts of people are whole numbers


def line_of(text: str, start: str) -> str:
    return next((line for line in text.splitlines() if line.startswith(start)), "")


async def seed(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, admin: SimulatedPerson,
    members: dict[str, tuple[SimulatedPerson, ...]], managers: dict[str, SimulatedPerson],
    levels: dict[int, int],
) -> dict[str, int]:
    """An organisation of these teams, each person answering once (in their first team) the
    level in `levels` (by user id, else 3) for every topic; closed. Team name → team id."""
    now = clock.now()
    everyone = {p.user_id: p for group in members.values() for p in group}
    everyone |= {p.user_id: p for p in (admin, *managers.values())}
    async with sessions.begin() as session:
        repo = Repository(session)
        for person in everyone.values():
            await repo.touch_person(person.user_id, person.first_name, "nl", now)
        organisation = await organisations.create(repo, Actor(admin.user_id), "Groep", now)
        for name, people in members.items():
            team, _ = await organisations.create_team(
                repo, Actor(admin.user_id), organisation.id, name,
                teams.TeamSettings(share_results=True), now)
            for person in people:
                role = "manager" if managers.get(name) is person else "member"
                await repo.join(team.id, person.user_id, role, None, now)
            if name in managers and managers[name] not in people:
                await repo.join(team.id, managers[name].user_id, "manager", None, now)
        opened = await org_cycles.open_organisation_cycle(
            repo, Actor(admin.user_id), organisation.id, "quick", now + timedelta(days=7),
            now)
    async with sessions.begin() as session:
        cycles = dict((await session.execute(select(Team.name, Cycle).join(Cycle))).all())
    answered: set[int] = set()
    for name, people in members.items():
        for person in people:
            if person.user_id in answered:
                continue
            answered.add(person.user_id)
            async with sessions.begin() as session:
                repo = Repository(session)
                for index in range(7):
                    await survey.answer(repo, person.user_id, cycles[name].id, index,
                                        levels.get(person.user_id, 3), None, now)
                await survey.confirm(repo, person.user_id, cycles[name].id, now)
    async with sessions.begin() as session:
        await org_cycles.close(Repository(session), Actor(admin.user_id),
                               opened.organisation_cycle_id, now)
    return {name: cycle.team_id for name, cycle in cycles.items()}


def people(emulator: BotApiEmulator, *names: str) -> tuple[SimulatedPerson, ...]:
    return tuple(emulator.person(first_name=name, language_code="nl") for name in names)


@pytest.mark.slow
async def test_a_role_changed_after_reading_the_total_recovers_nothing(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
) -> None:
    """Mia manages Alpha and reads the total beside it; later she becomes co-manager of Beta.
    Total − Alpha − Beta would be team Ci minus Xander (in Alpha and Beta): with Ci's two
    answering 1 and Xander 2, that pinned all three."""
    olga, mia = people(emulator, "Olga", "Mia")
    alpha, beta, ci = (people(emulator, "A1", "A2", "A3", "Xander"),
                       people(emulator, "B1", "B2", "B3"), people(emulator, "C1", "C2"))
    xander = alpha[3]
    ids = await seed(sessions, clock, olga, {"Alpha": alpha, "Beta": (xander, *beta), "Ci": ci},
                     {"Alpha": mia}, {xander.user_id: 2, ci[0].user_id: 1, ci[1].user_id: 1})

    await mia.send("/organisatierapport")
    report = await mia.wait_for(lambda m: "🏢" in m.text)
    assert A_FIGURE.search(line_of(report.text, "Totaal")) or A_FIGURE.search(report.text)
    mine = line_of(report.text, "Alpha:")
    assert A_FIGURE.search(mine)

    await olga.send("/organisatierapport")  # the admin sees the same Alpha, and why Beta not
    for_olga = await olga.wait_for(lambda m: "🏢" in m.text)
    assert line_of(for_olga.text, "Alpha:") == mine
    assert not A_FIGURE.search(line_of(for_olga.text, "Beta:"))
    assert "team Beta: maar een paar van zijn mensen zitten ook in team Alpha" in for_olga.text
    assert "team Ci: te weinig mensen" in for_olga.text

    async with sessions.begin() as session:  # later: co-manager of Beta
        await Repository(session).join(ids["Beta"], mia.user_id, "manager", None, clock.now())
    await mia.send("/report")
    choose = await mia.wait_for(lambda m: "Beta" in str(m.keyboard))
    await mia.tap("Beta", message=choose)
    beta_report = await mia.wait_for(lambda m: "📈" in m.text and "Beta" in m.text)
    assert "Te weinig reacties" in beta_report.text and not A_FIGURE.search(beta_report.text)
    assert "ook in team Alpha" in beta_report.text
    await mia.send("/organisatierapport")
    again = await mia.wait_for(lambda m: "🏢" in m.text and m is not report)
    assert line_of(again.text, "Alpha:") == mine and not A_FIGURE.search(
        line_of(again.text, "Beta:"))
    assert_telegram_was_happy(emulator)


@pytest.mark.slow
async def test_a_manager_in_a_sharing_team_recovers_nothing(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
) -> None:
    """Mia manages Mu and answered; she is a plain member of Sigma, which shares its result.
    Total − Mu − Sigma + her own answer would be team Tau's two people."""
    olga, mia = people(emulator, "Olga", "Mia")
    mu, sigma, tau = (people(emulator, "M1", "M2", "M3"), people(emulator, "S1", "S2", "S3"),
                      people(emulator, "T1", "T2"))
    await seed(sessions, clock, olga, {"Mu": (mia, *mu), "Sigma": (mia, *sigma), "Tau": tau},
               {"Mu": mia}, {tau[0].user_id: 1, tau[1].user_id: 5, mia.user_id: 4})
    for person in (olga, mia, *mu, *sigma, *tau):  # the bot writes only to who wrote first
        await person.send("/help")
        await person.wait_for(lambda m: "/mydata" in m.text)
    await bot.sweep()  # the close's messages: the report to managers, the result to members

    shared = await sigma[0].wait_for(lambda m: "🏁" in m.text and "Sigma" in m.text)
    assert not A_FIGURE.search(shared.text)  # Sigma shares one person with Mu: never shown
    seen = [m.text for m in mia.messages]
    result = next(text for text in seen if "🏁" in text and "Sigma" in text)
    assert not A_FIGURE.search(result)  # the same for Mia as for every member
    own = next(text for text in seen if "📈" in text and "Mu" in text)
    assert A_FIGURE.search(own)
    await mia.send("/organisatierapport")
    report = await mia.wait_for(lambda m: "🏢" in m.text)
    assert A_FIGURE.search(line_of(report.text, "Mu:")) and "Sigma" not in report.text
    assert "Tau" not in report.text
    assert_telegram_was_happy(emulator)
