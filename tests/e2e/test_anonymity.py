"""A manager who tries to find one person's answers, with nothing but what the bot shows her.

The four attacks of issue 13 (interim figures, remark order, combined groups, subtracting her own
answers) are tried here through Telegram and fail; docs/PRIVACY.md says why.
"""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.repositories import Repository
from bot.emulator import BotApiEmulator, BotMessage, SimulatedPerson
from bot.services import teams
from tests.support.clock import FixedClock
from tests.support.journeys import (
    answer_quick_scan,
    answer_survey,
    assert_telegram_was_happy,
    join,
    join_in_group,
    start_survey,
)
from tests.support.running import RunningBot, set_up_team

A_FIGURE = re.compile(r"\d,\d")  # a level such as 3,4; counts of people are whole numbers


def figures(text: str) -> list[str]:
    """The lines of a report that carry a level."""
    return [line for line in text.splitlines() if A_FIGURE.search(line)]


async def close(bot: RunningBot, manon: SimulatedPerson) -> BotMessage:
    """Manon closes the survey; returns the report summary the sweep sends her."""
    await manon.send("/close")
    await manon.tap("Ja, afsluiten")
    await manon.wait_for(lambda m: "afgesloten" in m.text)
    await bot.sweep()
    return await manon.wait_for(lambda m: "📈" in m.text)


async def test_interim_report_and_export_give_counts_of_people_only(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)
    people = [emulator.person(first_name=name, language_code="nl")
              for name in ("Ada", "Bo", "Cy", "Dee")]
    for person in people:
        await join(person, team.start_command, "Nederlands")
    for person, level in zip(people[:3], (2, 3, 4), strict=True):
        await answer_quick_scan(person, level)
    await start_survey(people[3], "Beginnen")  # Dee is busy: two answers, not confirmed
    await people[3].tap("5")
    await people[3].tap("5")
    await people[3].wait_for(lambda m: "onderwerp 3 van 7" in m.text)

    await manon.send("/report")
    interim = await manon.wait_for(lambda m: "nog open" in m.text)
    assert "Begonnen: 4 · klaar: 3 · leden: 5" in interim.text
    assert not A_FIGURE.search(interim.text) and "Niveau per hoofdstuk" not in interim.text
    await manon.send("/export")
    export = await manon.wait_for(lambda m: "nog open" in m.text)
    assert "Begonnen: 4 · klaar: 3" in export.text
    await manon.send("/status")
    status = await manon.wait_for(lambda m: "Klaar:" in m.text)
    assert "Cijfers verschijnen zodra de vragenlijst sluit" in status.text
    assert "/report" not in status.text
    assert all(m.photo is None and m.document is None for m in manon.messages)

    report = await close(bot, manon)  # now Dee's two answers count too, among four people
    assert "Respons: 4 personen" in report.text and A_FIGURE.search(report.text)

    # What was shown at the close stays: no one can answer any more, deleting changes nothing.
    refusal = await people[3].tap("5")
    assert refusal is not None and "gesloten" in refusal
    await people[0].send("/deleteme")
    await people[0].tap("Ja, vergeet mij")
    await people[0].wait_for(lambda m: "vergeten" in m.text)
    await manon.send("/report")
    again = await manon.wait_for(lambda m: "📈" in m.text)
    assert figures(again.text) == figures(report.text) != []
    assert_telegram_was_happy(emulator)


async def answer_full_scan_with_a_remark(person: SimulatedPerson, remark: str) -> None:
    """Chapter 5 (three topics) at level 3 with a remark; every other topic "not applicable"."""
    await start_survey(person, "Beginnen")
    for _ in range(3):
        await person.tap("3")
    await person.tap("Opmerking bij hoofdstuk 5")
    await person.wait_for(lambda m: "Typ je opmerking" in m.text)
    await person.send(remark)
    await person.wait_for(lambda m: "onderwerp 4 van 31" in m.text)
    # the other chapters' remark offers cost no tap
    await answer_survey(person, ["Niet van toepassing"] * 28, start=None)


async def test_the_order_of_remarks_says_nothing_about_who_wrote_them(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon, scope="full")
    writers = {"Ada": "Zeker meer overleg", "Bo": "Minder vergaderen", "Cy": "Betere planning",
               "Dee": "Duidelijkere doelen"}  # k + 1 who finished: remarks may be shown
    for name, remark in writers.items():  # /members shows that they started in this order
        person = emulator.person(first_name=name, language_code="nl")
        await join(person, team.start_command, "Nederlands")
        await answer_full_scan_with_a_remark(person, remark)
    await close(bot, manon)
    await manon.wait_for(lambda m: m.document is not None)  # the PDF; then the same as a page
    await manon.tap("Als webpagina")
    document = await manon.wait_for(lambda m: (m.document_name or "").endswith(".html"))
    assert document.document is not None
    html = document.document.decode("utf-8")
    found = sorted(writers.values(), key=html.index)
    assert found == sorted(writers.values())  # by text: the same whoever wrote which
    assert_telegram_was_happy(emulator)


async def test_shown_groups_cannot_be_combined_to_isolate_someone(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon, use_groups=True)
    async with sessions.begin() as session:
        invites = {group: await teams.create_invite(Repository(session), team.team.id,
                                                    manon.user_id, group, clock.now())
                   for group in ("staff", "customers", "suppliers")}
    members = [("staff", 2), ("staff", 3), ("staff", 3), ("staff", 2), ("customers", 4),
               ("customers", 4), ("customers", 5), ("customers", 5), ("suppliers", 1)]
    people = []
    for number, (group, level) in enumerate(members):
        person = emulator.person(first_name=f"P{number}", language_code="nl")
        await join_in_group(person, f"/start {invites[group].token}", "(asked no group)")
        await answer_quick_scan(person, level)
        people.append(person)
    report = await close(bot, manon)
    # Staff and customers both have four people (k + 1) and "the rest" five, so each alone
    # could be shown; together, team minus staff minus customers would be the one supplier.
    by_group = next(line for line in report.text.splitlines() if line.startswith("Per groep:"))
    assert by_group == "Per groep: Klanten 4,5"  # staff and suppliers: no figure anywhere
    assert "groep Medewerkers: ernaast blijven maar een paar mensen" in report.text  # and why

    # A customer who leaves after the close takes nothing from the figures: had the group lost
    # her, its figures before and after would differ by exactly her answers.
    await people[6].send("/deleteme")
    await people[6].tap("Ja, vergeet mij")
    await people[6].wait_for(lambda m: "vergeten" in m.text)
    await manon.send("/report")
    again = await manon.wait_for(lambda m: "📈" in m.text)
    assert figures(again.text) == figures(report.text)
    assert_telegram_was_happy(emulator)


async def test_a_manager_who_answered_among_three_sees_no_figure(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon)
    bo = emulator.person(first_name="Bo", language_code="nl")
    for person in (anna, bo):
        await join(person, team.start_command, "Nederlands")
    await manon.send("/resume")  # the manager answers too
    await manon.wait_for(lambda m: "onderwerp 1 van 7" in m.text)
    await answer_survey(manon, 2, start=None)
    for person in (anna, bo):
        await answer_quick_scan(person, 4)
    report = await close(bot, manon)
    # Three answered; without her own answers she would read Anna's and Bo's 4 exactly.
    assert "Respons: 3 personen" in report.text and "Te weinig reacties" in report.text
    assert "anderen dan jijzelf" in report.text and not A_FIGURE.search(report.text)
    await manon.send("/export")
    export = await manon.wait_for(lambda m: m.document is not None)
    assert export.document is not None
    rows = list(csv.reader(io.StringIO(export.document.decode("utf-8-sig")), delimiter=";"))[1:]
    figures_only = [row[6:-1] for row in rows]  # after team, period and titles; before the note
    assert len(rows) == 7 and all(cell == "" for row in figures_only for cell in row)
    assert all(m.photo is None for m in manon.messages)
    assert_telegram_was_happy(emulator)
