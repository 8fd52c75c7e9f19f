"""The management-team meeting in the team's group, through the emulator (issue #19's Done-when).

Three managers and two members vote on the four elements the team agrees least on; the chair
shows the votes, records agreed levels with their reasons and one action, pauses; the bot
restarts; the meeting resumes where it stopped and finishes with a summary. A participant cannot
start or steer it, another team's group cannot reach it, and Telegram refuses nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import AgreedLevel, ImprovementAction
from bot.emulator import BotApiEmulator, SimulatedPerson
from conversations import callbacks
from tests.support.clock import FixedClock
from tests.support.journeys import assert_telegram_was_happy, cells_naming, export
from tests.support.meeting import (
    AGREED,
    LEVELS,
    closed_cycle_with_answers,
    link,
    set_up_meeting,
    vote_and_agree,
)
from tests.support.running import RunningBot, set_up_team


async def test_a_meeting_from_votes_to_agreed_levels_survives_a_pause_and_a_restart(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    meeting, _ = await set_up_meeting(emulator, sessions, clock, manon, anna)
    group = meeting.group

    await anna.say_in(group, "/meeting")  # a participant cannot start it
    assert "Alleen een manager" in (await group.wait_for()).text
    await manon.say_in(group, "/meeting")
    first = await group.wait_for(lambda m: "onderwerp 1 van 7" in m.text)
    assert "<b>8.4 " in first.html
    # the team's figures, built for every reader: 5 answers, median 1, the distribution
    assert "Het team (5 antwoorden): mediaan 1,0" in first.text
    assert "1: 3 · 2: 0 · 3: 0 · 4: 0 · 5: 2" in first.text
    assert "Managers: mediaan" not in first.text  # three managers: one of them reads along
    assert "Elke ploeg werkt met een eigen lijstje" in first.text

    await vote_and_agree(meeting, "8.4", "Alleen ploeg A werkt al met vaste lijsten")
    await manon.tap_in(group, "➕ Actie")
    asking = await group.wait_for(lambda m: "wat er moet gebeuren" in m.text)
    await manon.say_in(group, "Eén checklist voor alle ploegen", reply_to=asking)
    await group.wait_for(lambda m: "Actie: Eén checklist voor alle ploegen · Manon" in m.text)
    await manon.tap_in(group, "👤 Bram")
    await manon.tap_in(group, "1 maand")
    await group.wait_for(lambda m: "· Bram · vóór 2 december 2026" in m.text)
    assert "Alleen een manager" in (await anna.tap_in(group, "Volgende") or "")
    await manon.tap_in(group, "Volgende")
    await vote_and_agree(meeting, "6.2", "Het hangt af van de afdeling")
    await manon.tap_in(group, "Volgende")
    await group.wait_for(lambda m: "<b>10.2 " in m.html)
    await manon.tap_in(group, "Pauze")
    await group.wait_for(lambda m: "Gepauzeerd" in m.text)
    assert "Alleen een manager" in (await anna.tap_in(group, "Verder") or "")

    await bot.restart()
    messages_before = len(group.messages)
    await manon.say_in(group, "/meeting")
    resumed = await group.wait_for(lambda m: "onderwerp 3 van 7" in m.text)
    assert "<b>10.2 " in resumed.html and "Gepauzeerd" not in resumed.text
    assert len(group.messages) == messages_before + 1
    assert "gaat hieronder verder" in group.messages[-2].text  # the old one, retired
    await vote_and_agree(meeting, "10.2", "Klachten komen nog niet bij iedereen aan")
    await manon.tap_in(group, "Volgende")
    await vote_and_agree(meeting, "9.2", "Resultaten worden wel gemeten")
    await manon.tap_in(group, "Afronden")
    done = await group.wait_for(lambda m: "managementoverleg is afgerond" in m.text)
    for element, level in AGREED.items():
        assert f"{element} " in done.text and f": {level} — " in done.text
    assert "Eén checklist voor alle ploegen · Bram" in done.text
    assert "3 onderwerpen op de agenda zonder afgesproken niveau" in done.text

    async with sessions.begin() as session:
        stored = {a.element_id: (a.level, a.reason) for a in await session.scalars(
            select(AgreedLevel))}
        action = (await session.scalars(select(ImprovementAction))).one()
    assert {e: level for e, (level, _) in stored.items()} == AGREED
    assert stored["9.2"][1] == "Resultaten worden wel gemeten"
    assert (action.element_id, action.owner) == ("8.4", "Bram")
    cells = await export(manon)  # what the manager's /export says, as Excel reads it
    assert {e: cells[e]["afgesproken niveau"] for e in AGREED} == {
        e: str(level) for e, level in AGREED.items()}
    assert cells["9.2"]["reden afspraak"] == "Resultaten worden wel gemeten"
    assert cells["5.2"]["afgesproken niveau"] == ""
    assert_telegram_was_happy(emulator)


async def test_another_teams_group_and_an_unlinked_group_reach_nothing(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    meeting, _ = await set_up_meeting(emulator, sessions, clock, manon, anna)
    piet = emulator.person("Piet", "nl")
    await set_up_team(sessions, clock.now(), manager=piet, name="Ander team", scope=None)
    theirs = emulator.group("MT Ander team", members=[piet, manon, anna])
    await link(piet, theirs)
    loose = emulator.group("Koffiehoek", members=[manon, anna])
    await manon.add_bot_to(loose)
    await loose.wait_for(lambda m: "/link" in m.text)

    await manon.say_in(meeting.group, "/meeting")
    shown = await meeting.group.wait_for(lambda m: "onderwerp 1 van 7" in m.text)
    meeting_id = callbacks.parse(shown.keyboard[0][0][1])
    assert isinstance(meeting_id, callbacks.MeetingVote)

    await manon.say_in(theirs, "/meeting")  # Manon manages Zorg & Co, not this team
    assert "Alleen een manager" in (await theirs.wait_for()).text
    await piet.say_in(theirs, "/meeting")
    assert "nog niets te bespreken" in (await theirs.wait_for()).text
    # a forged tap in their group with our meeting's id changes and shows nothing
    note = theirs.last_message
    toast = await piet.tap_data(callbacks.MeetingReveal(meeting_id.meeting_id, "8.4").encode(),
                                note)
    assert toast is not None and "eerder onderwerp" in toast
    forged_vote = callbacks.MeetingVote(meeting_id.meeting_id, "8.4", 1).encode()
    assert "Alleen leden" in (await anna.tap_data(forged_vote, note) or "")  # not of this team
    assert all("mediaan" not in m.text for m in theirs.messages)
    assert "0 gestemd" in meeting.group.last_message.text

    await manon.say_in(loose, "/meeting")
    assert "Alleen een manager" in (await loose.wait_for()).text
    assert all("mediaan" not in m.text for m in loose.messages)
    assert_telegram_was_happy(emulator)


async def test_deleteme_forgets_a_chair_who_started_voted_agreed_and_owns_an_action(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    meeting, _ = await set_up_meeting(emulator, sessions, clock, manon, anna)
    group, bram = meeting.group, meeting.managers[1]
    await bram.say_in(group, "/meeting")
    await group.wait_for(lambda m: "onderwerp 1 van 7" in m.text)
    await bram.tap_in(group, "4")
    await bram.tap_in(group, "Toon de stemmen")
    await bram.tap_in(group, "✅ 2")
    agreed = await group.wait_for(lambda m: "Afgesproken: niveau 2" in m.text)
    await bram.tap_in(group, "➕ Actie")
    await bram.say_in(group, "Lijsten samenvoegen", reply_to=agreed)
    await group.wait_for(lambda m: "Lijsten samenvoegen · Bram" in m.text)
    await bram.tap_in(group, "✅ 2")  # the reason is awaited from him in the group again
    assert await cells_naming(sessions, bram.user_id, "Bram")  # the check can see him

    await bram.send("/deleteme")
    await bram.tap("Ja, vergeet mij")
    await bram.wait_for(lambda m: "ik ben je vergeten" in m.text)
    assert await cells_naming(sessions, bram.user_id, "Bram") == []
    assert_telegram_was_happy(emulator)


async def test_the_private_report_starts_the_meeting_in_the_linked_group(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    meeting, _ = await set_up_meeting(emulator, sessions, clock, manon, anna)
    await manon.send("/report")
    offer = await manon.wait_for(lambda m: "Start het overleg in MT Zorg & Co" in str(m.keyboard))
    await manon.tap("Start het overleg", message=offer)
    await meeting.group.wait_for(lambda m: "onderwerp 1 van 7" in m.text)
    assert "Het overleg loopt in MT Zorg & Co" in (await manon.wait_for(
        lambda m: "overleg loopt" in m.text)).text
    await manon.tap("Start het overleg", message=offer)  # again: resumed, not a second one
    await meeting.group.wait_for(lambda m: "gaat hieronder verder" in m.text)
    assert sum("onderwerp 1 van 7" in m.text for m in meeting.group.messages) == 1
    assert_telegram_was_happy(emulator)


async def test_three_answers_give_a_private_report_figures_but_the_group_none(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    """Manon answered with two others. Had the group shown the team's figure, she could take
    her own answer out of it and be left with the two others'. The group shows none (a
    manager who did not answer would see them in her own private report: three others)."""
    eva = emulator.person("Eva", "nl")
    team = await set_up_team(sessions, clock.now(), manager=manon, scope=None)
    await closed_cycle_with_answers(
        sessions, team.team.id, manon, [(manon, "manager"), (anna, "member"), (eva, "member")],
        {e: [1, 4, 4] for e in LEVELS}, clock.now(),
        examples={"8.4": "Alleen wie het weet, weet het"})
    group = emulator.group("MT klein", members=[manon, anna, eva])
    await link(manon, group)
    await manon.say_in(group, "/meeting")
    for number in range(1, 8):
        shown = await group.wait_for(lambda m, n=number: f"onderwerp {n} van 7" in m.text)
        assert "Geen cijfers voor dit onderwerp hier" in shown.text
        assert "mediaan" not in shown.text and "antwoorden)" not in shown.text
        assert "Alleen wie het weet" not in shown.text  # nor the examples: k + 1 must finish
        if number < 7:
            await manon.tap_in(group, "Volgende")
    assert_telegram_was_happy(emulator)
