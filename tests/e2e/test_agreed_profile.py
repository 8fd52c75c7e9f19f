"""The agreed profile as a manager reads it in chat: after the meeting the report and /export
show each agreed level and its reason beside the median, and the next cycle's report says where
the team moved since, in Dutch and in English."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Cycle
from bot.db.repositories import Repository
from bot.emulator import BotApiEmulator, BotMessage, SimulatedPerson
from bot.services import agreements
from domain.catalog import load_model
from tests.support.clock import FixedClock
from tests.support.journeys import assert_telegram_was_happy, create_team, export, join, run_a_cycle
from tests.support.running import RunningBot

MODEL = load_model("iso9004-2018")
FIRST, SECOND, THIRD = MODEL.scope("quick").element_ids[:3]
REASON = "Klanten <eerst> & dan de rest"  # markup in a reason is text, never HTML


def title(element_id: str, language: str) -> str:
    return f"{element_id} {MODEL.elements[element_id].title(language)}"


async def agree(sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
                manon: SimulatedPerson, levels: dict[str, tuple[int, str]]) -> None:
    """What the meeting records in the team's group, through the service it uses."""
    async with sessions.begin() as session:
        cycle = (await session.scalars(select(Cycle).order_by(Cycle.id.desc()))).first()
        assert cycle is not None and cycle.closed_at is not None
        for element_id, (level, reason) in levels.items():
            await agreements.record_agreed(Repository(session), manon.user_id, cycle.id,
                                           element_id, level, reason, clock.now())


async def report(manon: SimulatedPerson, heading: str) -> BotMessage:
    await manon.send("/report")
    return await manon.wait_for(lambda m: heading in m.text)


async def test_the_report_and_export_show_what_was_agreed_and_where_the_team_moved_since(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson,
) -> None:
    start = await create_team(manon, "Zorg & Co")
    colleagues = [emulator.person(first_name=name, language_code="nl")
                  for name in ("Anna", "Bram", "Cas", "Dee")]  # k + 1 answer
    for person in colleagues:
        await join(person, start, "Nederlands")
        await person.wait_for(lambda m: "Je bent lid van" in m.text)
    first_report = await run_a_cycle(bot, manon, colleagues, 2)
    assert "Afgesproken" not in first_report.text  # no meeting yet

    await agree(sessions, clock, manon, {FIRST: (3, REASON), SECOND: (2, "Zo is het"),
                                         THIRD: (1, "Nog niets op papier")})
    summary = (await report(manon, "Afgesproken in het overleg")).text
    assert "(3 van 7 onderwerpen; de mediaan van de antwoorden tussen haakjes)" in summary
    assert f"{title(FIRST, 'nl')}: 3 (mediaan 2,0) · {REASON}" in summary  # as typed
    assert f"{title(THIRD, 'nl')}: 1 (mediaan 2,0) · Nog niets op papier" in summary
    cells = await export(manon)
    assert (cells[FIRST]["afgesproken niveau"], cells[FIRST]["reden afspraak"]) == ("3", REASON)
    assert cells[FIRST]["mediaan"] == "2,00" and cells[SECOND]["reden afspraak"] == "Zo is het"
    assert all(row["afgesproken niveau"] == "" for key, row in cells.items()
               if key not in (FIRST, SECOND, THIRD))

    second_report = await run_a_cycle(bot, manon, colleagues, 2)  # the medians stay at 2
    assert ("↕️ Sinds de vorige afspraak (de mediaan van de antwoorden nu): "
            f"1 onderwerp hoger ({THIRD}), 1 onderwerp lager ({FIRST}), 1 onderwerp gelijk."
            ) in second_report.text
    assert "Afgesproken in het overleg" not in second_report.text  # this cycle's meeting: later
    cells = await export(manon)
    assert [cells[e]["vorige afspraak"] for e in (FIRST, SECOND, THIRD)] == ["3", "2", "1"]
    assert [cells[e]["mediaan t.o.v. vorige afspraak"] for e in (FIRST, SECOND, THIRD)] == [
        "nu lager", "zoals afgesproken", "nu hoger"]

    await agree(sessions, clock, manon, {SECOND: (3, "Better than we thought")})
    await manon.send("/language")
    await manon.tap("English")
    summary = (await report(manon, "Agreed in the meeting")).text
    assert ("↕️ Since you last agreed (the median of the answers now): "
            f"1 topic higher ({THIRD}), 1 topic lower ({FIRST}), 1 topic the same.") in summary
    assert f"{title(SECOND, 'en')}: 3 (median 2.0) · Better than we thought" in summary
    cells = await export(manon)
    assert (cells[SECOND]["agreed level"], cells[SECOND]["reason agreed"],
            cells[SECOND]["agreed last time"]) == ("3", "Better than we thought", "2")
    assert cells[THIRD]["median against last agreement"] == "now above"
    assert_telegram_was_happy(emulator)
