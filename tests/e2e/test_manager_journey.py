"""The manager's journey: a team, invitations, a survey, its status, closing it, and the report."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Cycle, Team
from bot.emulator import BotApiEmulator, BotMessage, SimulatedPerson
from bot.rendering import documents
from tests.support.journeys import (
    PNG_SIGNATURE,
    answer_quick_scan,
    assert_telegram_was_happy,
    create_team,
    join,
    open_survey,
    run_a_cycle,
)
from tests.support.running import RunningBot


def report_chart(manager: SimulatedPerson) -> BotMessage:
    return next(m for m in reversed(manager.messages) if m.photo is not None)


async def test_manon_runs_a_survey_from_team_to_report(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    manon: SimulatedPerson,
) -> None:
    start = await create_team(manon, "Zorg & Co")
    colleagues = [emulator.person(first_name=name, language_code="nl")
                  for name in ("Anna", "Bram", "Cas", "Dee")]
    for person in colleagues:
        await join(person, start, "Nederlands")
        await person.wait_for(lambda m: "Je bent lid van" in m.text)

    await open_survey(manon, "Snelle scan", "1 week")
    assert await bot.sweep() == 5  # five invitations; the closing is not due yet
    for person in colleagues:
        await person.wait_for(lambda m: "Beginnen" in str(m.keyboard))
    await manon.wait_for(lambda m: "Beginnen" in str(m.keyboard))  # the manager answers too

    for person, level in zip(colleagues, (2, 3, 4, 3), strict=True):
        await answer_quick_scan(person, level)
    await manon.send("/status")
    status = await manon.wait_for(lambda m: "Klaar:" in m.text)
    assert "Klaar: 4 van 5" in status.text

    await manon.tap("Nu afsluiten")
    await manon.tap("Ja, afsluiten")
    await manon.wait_for(lambda m: "afgesloten" in m.text)
    await bot.sweep()
    summary = await manon.wait_for(lambda m: "Niveau per hoofdstuk" in m.text)
    assert "Totaal: 3,0" in summary.text
    chart = report_chart(manon)
    assert chart.photo is not None and chart.photo.startswith(PNG_SIGNATURE)
    album = [m for m in manon.messages if m.photo is not None]
    assert len(album) == 2 and album[0].media_group_id == album[1].media_group_id is not None
    pdf = await manon.wait_for(lambda m: m.document_name is not None)
    if documents.pdf_missing() is None:  # else the web page stands in for it (tested below)
        assert pdf.document_name and pdf.document_name.endswith(".pdf")
        assert pdf.document is not None and pdf.document.startswith(b"%PDF")

    await manon.tap("Als webpagina", message=pdf)
    page = await manon.wait_for(lambda m: (m.document_name or "").endswith(".html"))
    assert page.document is not None and b"Zorg &amp; Co" in page.document
    assert b"data:image/png;base64," in page.document

    result = await colleagues[0].wait_for(lambda m: "afgesloten" in m.text)
    # The team shares its result: four answered (k + 1), so Anna reads the figures Manon reads,
    # with three people besides herself.
    assert "Totaal: 3,0" in result.text
    assert_telegram_was_happy(emulator)


async def test_a_participant_cannot_see_the_report(
    bot: RunningBot, emulator: BotApiEmulator, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    start = await create_team(manon, "Kwaliteitsteam")
    await join(anna, start, "Nederlands")
    await anna.send("/report")
    refusal = await anna.wait_for(lambda m: "team" in m.text)
    assert "Niveau per hoofdstuk" not in refusal.text
    assert "/newteam" in refusal.text or "manager" in refusal.text
    assert_telegram_was_happy(emulator)


async def test_a_team_of_two_shows_no_figures(
    bot: RunningBot, emulator: BotApiEmulator, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    start = await create_team(manon, "Duo")
    await join(anna, start, "Nederlands")
    await open_survey(manon, "Snelle scan", "3 dagen")
    await bot.sweep()
    await answer_quick_scan(anna, 4)
    await manon.send("/close")
    await manon.tap("Ja, afsluiten")
    await bot.sweep()
    report = await manon.wait_for(lambda m: "Te weinig reacties" in m.text)
    assert "4,0" not in report.text
    assert all(m.photo is None for m in manon.messages)
    assert_telegram_was_happy(emulator)


async def test_only_one_survey_can_be_open_per_team(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    manon: SimulatedPerson,
) -> None:
    await create_team(manon, "Eén tegelijk")
    await open_survey(manon, "Snelle scan", "1 week")
    await manon.send("/survey")
    await manon.tap("Volledige")
    await manon.tap("2 weken")
    await manon.tap("Vragenlijst openen")
    await manon.wait_for(lambda m: "al een open vragenlijst" in m.text)
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Cycle)) == 1
        assert await session.scalar(select(func.count()).select_from(Team)) == 1
    assert_telegram_was_happy(emulator)


async def test_a_second_cycle_shows_the_trend(
    bot: RunningBot, emulator: BotApiEmulator, manon: SimulatedPerson,
) -> None:
    start = await create_team(manon, "Trendteam")
    people = [emulator.person(first_name=f"P{n}", language_code="nl") for n in range(4)]
    for person in people:
        await join(person, start, "Nederlands")
    for level in (2, 3):
        await run_a_cycle(bot, manon, people, level)
    assert any("+1,0 t.o.v. vorige ronde" in m.text for m in manon.messages)
    assert_telegram_was_happy(emulator)


async def test_a_typed_deadline_in_dutch_notation_is_understood(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    manon: SimulatedPerson,
) -> None:
    await create_team(manon, "Datum")
    await manon.send("/survey")
    await manon.tap("Snelle scan", message=await manon.wait_for(lambda m: "Welke omvang" in m.text))
    await manon.wait_for(lambda m: "Of typ een datum" in m.text)
    await manon.send("gisteren")
    await manon.wait_for(lambda m: "kan ik niet gebruiken" in m.text)
    await manon.send("20-11-2026")
    confirm = await manon.wait_for(lambda m: "Klopt dit?" in m.text)
    assert "20 november 2026 om 17:00" in confirm.text
    await manon.tap("Vragenlijst openen")
    await manon.wait_for(lambda m: "is open" in m.text)
    async with sessions() as session:
        cycle = await session.scalar(select(Cycle))
    assert cycle is not None and cycle.deadline.isoformat() == "2026-11-20T16:00:00+00:00"
    await manon.send("nog een bericht")  # no longer read as a date
    await manon.wait_for(lambda m: "/help" in m.text or "knoppen" in m.text)
    assert_telegram_was_happy(emulator)
