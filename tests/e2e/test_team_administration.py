"""Running a team: settings, invites per stakeholder group, revoking links, co-managers."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Membership, Team
from bot.emulator import BotApiEmulator, SimulatedPerson
from tests.support.journeys import (
    answer_quick_scan,
    assert_telegram_was_happy,
    create_team,
    join,
    join_in_group,
    open_survey,
    run_a_cycle,
    start_command,
)
from tests.support.running import RunningBot


async def test_three_people_in_two_groups_through_group_links_and_a_team_report(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    manon: SimulatedPerson,
) -> None:
    await create_team(manon, "Groepen & Co")
    await manon.send("/settings")
    await manon.tap("Groepen vragen: uit")
    settings = await manon.wait_for(lambda m: "groepen vragen: aan" in m.text)
    assert "Groepen vragen: aan" in str(settings.keyboard)

    await manon.send("/invite")
    await manon.tap("Klanten")
    customers = await manon.wait_for(lambda m: "groep Klanten" in m.text)
    await manon.tap("Medewerkers")
    staff = await manon.wait_for(lambda m: "groep Medewerkers" in m.text)

    people = [emulator.person(first_name=name, language_code="nl")
              for name in ("Ada", "Bo", "Cy", "Dee")]  # k + 1 answer: the team has figures
    await join_in_group(people[0], start_command(customers.text), "Klanten")
    for person in people[1:]:
        await join_in_group(person, start_command(staff.text), "Medewerkers")
    async with sessions() as session:
        groups = dict((await session.execute(
            select(Membership.user_id, Membership.stakeholder_group))).all())
    assert groups[people[0].user_id] == "customers"
    assert {groups[p.user_id] for p in people[1:]} == {"staff"}

    await open_survey(manon, "Snelle scan", "1 week")
    await bot.sweep()
    for person, level in zip(people, (2, 3, 4, 3), strict=True):
        await answer_quick_scan(person, level)
    await manon.send("/members")
    listing = await manon.wait_for(lambda m: "leden" in m.text and "Ada" in m.text)
    assert "Ada (Klanten) · ✅ klaar" in listing.text
    assert "Manon (Management) · – nog niet begonnen" in listing.text

    await manon.send("/close")
    await manon.tap("Ja, afsluiten")
    await bot.sweep()
    report = await manon.wait_for(lambda m: "Niveau per hoofdstuk" in m.text)
    assert "Per groep" not in report.text  # groups of 1 and 3 would expose people
    assert_telegram_was_happy(emulator)


async def test_a_revoked_link_is_refused_but_members_stay(
    bot: RunningBot, emulator: BotApiEmulator, manon: SimulatedPerson, anna: SimulatedPerson,
    bram: SimulatedPerson,
) -> None:
    start = await create_team(manon, "Intrekken")
    await join(anna, start, "Nederlands")
    await anna.wait_for(lambda m: "Je bent lid van" in m.text)
    await manon.send("/invite")
    await manon.tap("Alle links intrekken")
    await manon.wait_for(lambda m: "ingetrokken" in m.text)

    await bram.send(start)
    refusal = await bram.wait_for(lambda m: "revoked" in m.text or "no longer valid" in m.text)
    assert refusal.keyboard == []
    await anna.send("/mydata")
    assert "Intrekken" in (await anna.wait_for(lambda m: "bewaar" in m.text)).text
    assert_telegram_was_happy(emulator)


async def test_a_co_manager_can_be_made_and_the_last_manager_cannot_leave(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    start = await create_team(manon, "Leiding")
    await join(anna, start, "Nederlands")
    await anna.wait_for(lambda m: "Je bent lid van" in m.text)

    await manon.send("/members")
    await manon.tap("Anna")
    await manon.tap("Maak co-manager")
    await manon.wait_for(lambda m: "⭐ <b>Anna" in m.html or m.text.startswith("⭐ Anna"))
    await anna.send("/status")
    assert "Er staat geen vragenlijst open" in (
        await anna.wait_for(lambda m: "vragenlijst" in m.text)).text  # Anna now manages

    await anna.send("/members")
    await anna.tap("Manon")
    await anna.tap("Uit het team halen")
    await anna.wait_for(lambda m: "Verwijderd" in m.text)
    await anna.tap("Terug")
    listing = await anna.wait_for(lambda m: "1 lid" in m.text)
    assert "Manon" not in listing.text
    await anna.tap("Anna")
    screen = await anna.wait_for(lambda m: "Wat wil je doen" in m.text)
    assert not any("Uit het team" in label for label, _ in screen.buttons())  # not yourself
    async with sessions() as session:
        roles = (await session.scalars(select(Membership.role).where(
            Membership.active.is_(True)))).all()
    assert roles == ["manager"]
    assert_telegram_was_happy(emulator)


async def test_switching_the_model_to_2009_is_used_by_the_next_survey(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    manon: SimulatedPerson,
) -> None:
    await create_team(manon, "Editie 2009")
    await manon.send("/settings")
    await manon.tap("ISO 9004:2009")
    await manon.wait_for(lambda m: "Model: ISO 9004:2009" in m.text)
    await manon.tap("Halfjaarlijks")
    await manon.wait_for(lambda m: "Nieuwe ronde: Halfjaarlijks" in m.text)
    await manon.tap("Brussels")
    await manon.wait_for(lambda m: "tijdzone Europe/Brussels" in m.text)
    await manon.send("/survey")
    await manon.wait_for(lambda m: "Welke omvang" in m.text)
    await manon.tap("Snelle scan")
    await manon.tap("1 week")
    await manon.tap("Vragenlijst openen")
    await manon.wait_for(lambda m: "is open" in m.text)
    await bot.sweep()
    await manon.tap("Beginnen")
    question = await manon.wait_for(lambda m: "onderwerp 1 van 9" in m.text)
    assert "K2" in question.text  # K1 is for the management team now

    await manon.send("/settings")
    await manon.tap("ISO 9004:2018")
    refused = await manon.wait_for(lambda m: "geen vragenlijst openstaat" in m.text)
    assert "Model: ISO 9004:2009" in refused.text
    async with sessions() as session:
        team = await session.scalar(select(Team))
        assert team is not None and team.reassessment == "half-yearly"
    assert_telegram_was_happy(emulator)


async def test_targets_steer_priorities_and_an_action_shows_its_effect_next_cycle(
    bot: RunningBot, emulator: BotApiEmulator, manon: SimulatedPerson,
) -> None:
    start = await create_team(manon, "Verbeteren")
    people = [emulator.person(first_name=f"P{n}", language_code="nl") for n in range(4)]
    for person in people:
        await join(person, start, "Nederlands")
    await manon.send("/targets")
    await manon.tap("5 Context van de organisatie: 4")
    await manon.wait_for(lambda m: "Welk niveau wil het team" in m.text)
    await manon.tap("5")
    await manon.wait_for(lambda m: "5 Context van de organisatie: 5" in m.text)

    for level in (4, 5):
        report = await run_a_cycle(bot, manon, people, level)
        if level == 4:
            # At level 4 everywhere only chapter 5, with its target of 5, is below target.
            assert "1. 5.2 Relevante belanghebbenden: 4,0 (doel 5)" in report.text
            await manon.tap("Actie voor 5.2", message=report)
            await manon.wait_for(lambda m: "Verbeteractie toegevoegd" in m.text)
    assert "5.2 Relevante belanghebbenden: 4,0 → 5,0" in report.text

    await manon.send("/actions")
    listing = await manon.wait_for(lambda m: "Open verbeteracties" in m.text)
    assert "5.2 Relevante belanghebbenden · Manon" in listing.text
    await manon.tap("Afgerond: 5.2")
    await manon.wait_for(lambda m: "Geen open acties" in m.text)
    assert_telegram_was_happy(emulator)
