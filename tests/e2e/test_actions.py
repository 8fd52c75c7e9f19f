"""Closing the circle (issue #26's Done-when), through the emulator.

A meeting makes two actions; Manon gives one to Anna, a member who is no manager, and Anna
accepts with one tap. Anna's forged taps on the other action change nothing. The bot is killed
after the check-ins were planned and stays down over the slot: the check-in comes the next
working morning, once. Anna reports "stuck" with a note, which reaches the managers' weekly digest
once; she marks it done; the next cycle's report shows the topic before and after; the next
/meeting starts with the action still open. Telegram refuses nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import ActionEvent, ImprovementAction
from bot.db.repositories import Repository
from bot.emulator import BotApiEmulator, SimulatedPerson
from bot.services import action_checkins
from conversations import callbacks
from tests.support.clock import FixedClock
from tests.support.journeys import assert_telegram_was_happy
from tests.support.meeting import (
    AGREED,
    LEVELS,
    closed_cycle_with_answers,
    set_up_meeting,
    vote_and_agree,
)
from tests.support.running import RunningBot

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CHECKLIST = "Eén checklist voor alle ploegen"
REFUSAL = "Dit kan alleen een manager van het team"


def local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=AMSTERDAM)


async def plan_checkins(sessions: async_sessionmaker[AsyncSession], clock: FixedClock) -> None:
    """What the hourly job does on the worker that leads (on PostgreSQL, which worker that is
    is decided by an advisory lock, so the test plans as the job would, directly)."""
    async with sessions.begin() as session:
        await action_checkins.plan(Repository(session), clock.now())


def checkins(person: SimulatedPerson) -> list[str]:
    return [m.text for m in person.messages if m.text.startswith("🔁")]


def digests(person: SimulatedPerson) -> list[str]:
    return [m.text for m in person.messages if m.text.startswith("🗞")]


async def _actions(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[Any, ...]]:
    async with sessions() as session:
        return [tuple(row) for row in (await session.execute(select(
            ImprovementAction.id, ImprovementAction.element_id, ImprovementAction.status,
            ImprovementAction.owner_id, ImprovementAction.proposed_owner_id,
            ImprovementAction.due_on).order_by(ImprovementAction.id))).all()]


@pytest.mark.slow
async def test_actions_are_owned_checked_and_learned_from(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    meeting, team_id = await set_up_meeting(emulator, sessions, clock, manon, anna)
    group, bram = meeting.group, meeting.managers[1]
    await manon.say_in(group, "/meeting")
    await group.wait_for(lambda m: "onderwerp 1 van 7" in m.text)
    assert all("open acties" not in m.text for m in group.messages)  # none yet
    await vote_and_agree(meeting, "8.4", "Alleen ploeg A werkt al met vaste lijsten")
    await manon.tap_in(group, "➕ Actie")
    asking = await group.wait_for(lambda m: "wat er moet gebeuren" in m.text)
    await manon.say_in(group, CHECKLIST, reply_to=asking)
    await group.wait_for(lambda m: f"Actie: {CHECKLIST}" in m.text)
    await manon.tap_in(group, "Volgende")
    await vote_and_agree(meeting, "6.2", "Het hangt af van de afdeling")
    await manon.tap_in(group, "➕ Actie")
    asking = await group.wait_for(lambda m: "wat er moet gebeuren" in m.text)
    await manon.say_in(group, "Afdelingen vergelijken", reply_to=asking)
    await group.wait_for(lambda m: "Actie: Afdelingen vergelijken" in m.text)
    await manon.tap_in(group, "Afronden")
    await group.wait_for(lambda m: "managementoverleg is afgerond" in m.text)
    (checklist, *_), (other, *_) = await _actions(sessions)

    # Manon gives the checklist to Anna, who is asked first and accepts with one tap.
    for person in meeting.everyone[1:]:  # they talked to the bot before (its invite)
        await person.send("/help")
        await person.wait_for(lambda m: "/" in m.text)
    await manon.send("/actions")
    board = await manon.wait_for(lambda m: "Open verbeteracties" in m.text)
    assert CHECKLIST in board.text and "Afdelingen vergelijken" in board.text
    await manon.tap(f"🔎 8.4 {CHECKLIST}")
    await manon.tap("👤 Eigenaar")
    await manon.tap("Anna")
    await manon.wait_for(lambda m: "gevraagd: Anna" in m.text)
    await bot.sweep()
    told = await anna.wait_for(lambda m: "Jullie zeiden, wij doen" in m.text)  # the team shares
    assert "mediaan" not in told.text and "2,6" not in told.text  # agreed levels, no figures
    assert f": {AGREED['8.4']}" in told.text and f"• {CHECKLIST} (8.4) · Manon" in told.text
    assert "Afdelingen vergelijken (6.2)" in told.text
    # the question to Anna and "you said, we did" are two notifications sent side by side: either
    # may come first
    asked = next((m for m in anna.messages if "eigenaar te worden" in m.text), None) \
        or await anna.wait_for(lambda m: "eigenaar te worden" in m.text)
    assert CHECKLIST in asked.text
    await anna.tap("✅ Ja, ik pak het op", asked)
    await anna.wait_for(lambda m: "jij bent eigenaar" in m.text)

    # Anna's forged taps on the other action (owner change, status, due date) change nothing.
    before = await _actions(sessions)
    for forged in (callbacks.ActionAssign(other, anna.user_id), callbacks.ActionOwners(other),
                   callbacks.ActionStatus(other, "dropped"), callbacks.ActionDue(other, 30),
                   callbacks.ActionAnswer(other, True), callbacks.ActionOpen(other)):
        await anna.tap_data(forged.encode(), anna.last_message)
        await anna.wait_for(lambda m: REFUSAL in m.text)
    assert await _actions(sessions) == before

    # Planned, then killed; down over the check-in slot (Monday 16 November, 10:00).
    await plan_checkins(sessions, clock)
    await bot.stop()
    clock.set(local(11, 16, 22))
    await bot.start()
    await bot.sweep()
    assert checkins(anna) == []  # not at night
    clock.set(local(11, 17, 9, 0))
    await bot.sweep()
    await bot.sweep()
    # on PostgreSQL the restarted worker's own scheduler may hold a row a moment: wait for it
    for person in (anna, manon):
        await person.wait_for(lambda m: m.text.startswith("🔁"))
    assert len(checkins(anna)) == 1 and CHECKLIST in checkins(anna)[0]
    assert len(checkins(manon)) == 1 and "Afdelingen vergelijken" in checkins(manon)[0]  # hers

    # Stuck, with a note typed as a reply.
    await anna.tap("🧱 Vastgelopen")
    await anna.wait_for(lambda m: "wat zit in de weg" in m.text)
    await anna.send("Geen budget voor printwerk")
    await anna.wait_for(lambda m: "Genoteerd" in m.text)

    # The managers' digest on Monday 23 November names it once; the week after says nothing.
    await plan_checkins(sessions, clock)
    clock.set(local(11, 23, 9, 0))
    await bot.sweep()
    await bot.sweep()
    for manager in (manon, bram):
        await manager.wait_for(lambda m: m.text.startswith("🗞"))
        assert len(digests(manager)) == 1
        assert "Geen budget voor printwerk" in digests(manager)[0]
    assert digests(anna) == []
    await plan_checkins(sessions, clock)
    clock.set(local(11, 30, 9, 0))
    await bot.sweep()
    assert len(digests(manon)) == 1

    # Done, from her board.
    await anna.send("/actions")
    await anna.wait_for(lambda m: CHECKLIST in m.text and "Open verbeteracties" in m.text)
    await anna.tap("Afgerond: 8.4")
    await anna.wait_for(lambda m: "Afgerond of gestopt" in m.text)
    async with sessions() as session:
        kinds = (await session.scalars(select(ActionEvent.kind).where(
            ActionEvent.action_id == checklist).order_by(ActionEvent.id))).all()
    assert kinds == ["assigned", "accepted", "stuck", "done"]

    # The next cycle: its report shows the topic before and after, the meeting starts with the
    # action still open.
    people = [(p, "manager") for p in meeting.managers] + [(p, "member") for p in meeting.members]
    better = {**LEVELS, "8.4": [3, 3, 3, 3, 3]}
    await closed_cycle_with_answers(sessions, team_id, manon, people, better, clock.now())
    await manon.send("/report")
    report = await manon.wait_for(lambda m: "Verbeteracties" in m.text and "→" in m.text,
                                  timeout=30)  # charts are drawn first
    assert f"8.4 {CHECKLIST} ✅: 2,6 → 3,0 · afgesproken {AGREED['8.4']} → –" in report.text
    await manon.say_in(group, "/meeting")
    review = await group.wait_for(lambda m: "Eerst de open acties" in m.text)
    assert "Afdelingen vergelijken" in review.text and CHECKLIST not in review.text
    await manon.tap_in(group, "➡️ Zo laten")
    decided = await group.wait_for(lambda m: "Alle open acties zijn besproken" in m.text)
    assert "• Afdelingen vergelijken: zo gelaten" in decided.text
    assert_telegram_was_happy(emulator)
