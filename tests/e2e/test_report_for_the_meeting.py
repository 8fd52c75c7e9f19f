"""The report a management team holds its meeting on, as the manager receives it after /close:
the summary, the charts as one album, and the PDF (its text read back), in Dutch and in English."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Cycle, Team
from bot.db.repositories import Repository
from bot.emulator import BotApiEmulator, BotMessage, SimulatedPerson
from bot.rendering import documents
from bot.rendering.texts import Texts
from bot.services import improvement
from tests.support.browser import browser_missing, sticking_out_on_a_phone
from tests.support.journeys import (
    PNG_SIGNATURE,
    answer_quick_scan,
    answer_survey,
    assert_telegram_was_happy,
    create_team,
    join_in_group,
    open_survey,
    start_command,
)
from tests.support.running import RunningBot

TEAM = "R&D $^$ <b>"
NOT_APPLICABLE = "Niet van toepassing"
THIN = 4  # the fifth question of the quick scan is 9.2: most people cannot judge it


async def answer_but_skip_chapter_9(person: SimulatedPerson, level: int) -> None:
    await answer_survey(person, [NOT_APPLICABLE if question == THIN else level
                                 for question in range(7)])


def pdf_text(message: BotMessage) -> str:
    assert message.document is not None and message.document.startswith(b"%PDF")
    pages = PdfReader(io.BytesIO(message.document)).pages
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pages)


async def close(bot: RunningBot, manon: SimulatedPerson) -> None:
    await manon.send("/close")
    await manon.tap("Ja, afsluiten")
    await bot.sweep()


@pytest.mark.skipif(documents.pdf_missing() is not None, reason=str(documents.pdf_missing()))
async def test_a_closed_cycle_gives_the_summary_an_album_and_a_pdf_for_the_meeting(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    manon: SimulatedPerson, tmp_path: Path,
) -> None:
    await create_team(manon, TEAM)
    await manon.send("/settings")
    await manon.tap("Groepen vragen: uit")
    await manon.wait_for(lambda m: "Groepen vragen: aan" in str(m.keyboard))
    await manon.send("/invite")
    await manon.tap("Klanten")
    customers = start_command((await manon.wait_for(lambda m: "groep Klanten" in m.text)).text)
    await manon.tap("Medewerkers")
    staff = start_command((await manon.wait_for(lambda m: "groep Medewerkers" in m.text)).text)
    # Four customers and four staff: each group holds k + 1 (issue #25).
    people = [emulator.person(first_name=f"P{n}", language_code="nl") for n in range(8)]
    for number, person in enumerate(people):
        await join_in_group(person, customers if number < 4 else staff,
                            "Klanten" if number < 4 else "Medewerkers")

    await open_survey(manon, "Snelle scan", "1 week")  # the previous cycle
    await bot.sweep()
    for person in people:
        await answer_quick_scan(person, 2)
    await close(bot, manon)
    await manon.wait_for(lambda m: "Niveau per hoofdstuk" in m.text)
    async with sessions() as session, session.begin():
        team = await session.scalar(select(Team))
        assert team is not None
        await improvement.set_target(Repository(session), manon.user_id, team.id, "7", 4)
        await improvement.set_target(Repository(session), manon.user_id, team.id, "9", 3)
    before = len(manon.messages)

    await open_survey(manon, "Snelle scan", "1 week")
    await bot.sweep()
    for number, person in enumerate(people):
        if number < 5:  # three give 9.2 a level: fewer than k + 1
            await answer_but_skip_chapter_9(person, 3)
        else:
            await answer_quick_scan(person, 3)
    await close(bot, manon)
    summary = await manon.wait_for(lambda m: "Niveau per hoofdstuk" in m.text)
    pdf = await manon.wait_for(lambda m: (m.document_name or "").endswith(".pdf"))
    assert "9 Management van middelen: minder dan 4 antwoorden" in summary.text
    assert "7 Leiderschap: 3,0 (doel 4) (+1,0 t.o.v. vorige ronde)" in summary.text
    assert "Per groep" in summary.text

    album = [m for m in manon.messages[before:] if m.photo is not None]
    assert len(album) == 3  # radar, bars and the heatmap of the groups
    assert len({m.media_group_id for m in album}) == 1 and album[0].media_group_id
    assert all(m.photo is not None and m.photo.startswith(PNG_SIGNATURE) for m in album)
    assert "vorige ronde en de doelen" in album[0].text and "per groep" in album[0].text

    async with sessions() as session:
        cycle = (await session.scalars(select(Cycle).order_by(Cycle.id.desc()))).first()
    assert cycle is not None and cycle.closed_at is not None
    period = {language: Texts().render(language, "report_period", period_start=cycle.opened_at,
                                       period_end=cycle.closed_at, timezone=team.timezone)
              for language in ("nl", "en")}  # the days as the chat writes them
    assert all(str(cycle.closed_at.year) in text for text in period.values())
    text = pdf_text(pdf)
    for expected in (TEAM, period["nl"], "minder dan 4 antwoorden", "doel 4", "doel 3",
                     "Leiderschap", "Management van middelen", "Klanten", "Medewerkers"):
        assert expected in text

    await manon.send("/language")
    await manon.tap("English")
    await manon.send("/report")
    await manon.wait_for(lambda m: "Level per chapter" in m.text)
    english = await manon.wait_for(lambda m: (m.document_name or "").endswith(".pdf")
                                   and m is not pdf)
    text = pdf_text(english)
    for expected in (TEAM, period["en"], "fewer than 4 answers", "target 4", "target 3",
                     "Agenda for the meeting", "Customers", "Staff"):
        assert expected in text

    await manon.tap("As a web page", message=english)
    page = await manon.wait_for(lambda m: (m.document_name or "").endswith(".html"))
    assert page.document is not None and b"fewer than 4 answers" in page.document
    assert_telegram_was_happy(emulator)
    if (missing := browser_missing()) is not None:
        pytest.skip(f"the web page's phone check needs a browser: {missing}")
    page_file = tmp_path / "report.html"
    page_file.write_bytes(page.document)
    assert await sticking_out_on_a_phone(page_file) == (390, [])
