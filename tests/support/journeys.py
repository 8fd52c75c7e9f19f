"""Shared journeys, as people walk them in Telegram: join a team, start and answer the survey,
create a team, open a survey, run a whole cycle, /export; and the checks every story ends with.

One place for each, so that a change of wording or of a step is made once (tests import these,
never another test module).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Answer, Base, Membership, Response
from bot.emulator import BotApiEmulator, BotMessage, SimulatedPerson
from tests.support.clock import FixedClock
from tests.support.running import RunningBot, set_up_team

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def stored_answers(
    sessions: async_sessionmaker[AsyncSession], person: SimulatedPerson
) -> dict[str, int | None]:
    async with sessions() as session:
        rows = await session.execute(
            select(Answer.element_id, Answer.level)
            .join(Response, Response.id == Answer.response_id)
            .join(Membership, Membership.id == Response.membership_id)
            .where(Membership.user_id == person.user_id)
        )
        return dict(rows.all())


async def join(person: SimulatedPerson, start_command: str, language_button: str) -> None:
    await person.send(start_command)
    await person.wait_for(lambda m: bool(m.keyboard))
    await person.tap(person.keyboard[0][0][0])  # agree
    await person.wait_for(lambda m: "Nederlands" in str(m.keyboard))
    await person.tap(language_button)


async def start_survey(person: SimulatedPerson, start_label: str) -> None:
    await person.wait_for(lambda m: any(start_label in label for label, _ in m.buttons()))
    await person.tap(start_label)
    await person.wait_for(lambda m: " 1 " in m.text and any(
        label.endswith("1") for label, _ in m.buttons()))


def assert_telegram_was_happy(emulator: BotApiEmulator) -> None:
    assert emulator.refused_calls() == []
    assert emulator.unanswered_callback_queries() == []


async def create_team(manon: SimulatedPerson, name: str) -> str:
    """Manon creates a team; returns the invite's /start command."""
    await manon.send(f"/newteam {name}")
    created = await manon.wait_for(lambda m: "t.me/" in m.text)
    link = next(word for word in created.text.split() if "t.me/" in word)
    return "/start " + link.split("start=")[1]


async def open_survey(manon: SimulatedPerson, scope_label: str, days_label: str) -> None:
    await manon.send("/survey")
    sizes = await manon.wait_for(lambda m: "Welke omvang" in m.text)
    await manon.tap(scope_label, message=sizes)
    await manon.tap(days_label)
    await manon.tap("Vragenlijst openen")
    await manon.wait_for(lambda m: "is open" in m.text)


async def answer_survey(
    person: SimulatedPerson, levels: int | Sequence[int | str], *,
    start: str | None = "Beginnen", topic: str | None = None, first: int = 1,
    confirm: str | None = "bevestigen", confirmed: str = "bevestigd",
) -> None:
    """The survey as a person answers it, one tap per topic (the one way every story answers).

    `start` is tapped on the invitation (None: she is at her first topic already); then each of
    `levels`, a level or a label such as "Niet van toepassing" (a single level: the quick scan's
    seven topics, all at it); then `confirm`, waiting until `confirmed` is shown (None: she stays
    at the summary). With `topic` ("onderwerp {} van 7"), each topic, numbered from `first`, is
    waited for before its tap.
    """
    taps = [str(levels)] * 7 if isinstance(levels, int) else [str(level) for level in levels]
    if start is not None:
        await person.tap(start)
    for number, label in enumerate(taps, first):
        if topic is not None:
            shown = topic.format(number)
            await person.wait_for(lambda m, shown=shown: shown in m.text)
        await person.tap(label)
    if confirm is not None:
        await person.tap(confirm)
        await person.wait_for(lambda m: confirmed in m.text)


async def answer_quick_scan(person: SimulatedPerson, level: int) -> None:
    """From the invitation to confirmed: the quick scan's seven topics, all at `level`."""
    await answer_survey(person, level)


async def run_a_cycle(
    bot: RunningBot, manon: SimulatedPerson, people: list[SimulatedPerson], level: int
) -> BotMessage:
    """A whole quick scan in which everyone answers `level`; returns the report Manon gets."""
    await open_survey(manon, "Snelle scan", "1 week")
    await bot.sweep()
    for person in people:
        await answer_quick_scan(person, level)
    await manon.send("/close")
    await manon.tap("Ja, afsluiten")
    await bot.sweep()
    return await manon.wait_for(lambda m: "Niveau per hoofdstuk" in m.text)


def start_command(message_text: str) -> str:
    link = next(word for word in message_text.split() if "t.me/" in word)
    return "/start " + link.split("start=")[1]


async def join_in_group(person: SimulatedPerson, start: str, group_label: str) -> None:
    await person.send(start)
    await person.tap("Ik doe mee")
    await person.tap("Nederlands")
    await person.wait_for(lambda m: "Je bent lid van" in m.text or "groep" in m.text.lower())
    if any(group_label in label for label, _ in person.last_message.buttons()):
        await person.tap(group_label)
    await person.wait_for(lambda m: "Je bent lid van" in m.text)


async def anna_in_the_middle_of_a_survey(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, anna: SimulatedPerson,
    manon: SimulatedPerson, name: str = "Zorg & Co",
) -> None:
    team = await set_up_team(sessions, clock.now(), manager=manon, name=name)
    await join(anna, team.start_command, "Nederlands")
    await start_survey(anna, "Beginnen")


async def ask_for_a_deadline(manon: SimulatedPerson) -> None:
    await manon.send("/survey")
    await manon.tap("Snelle scan", message=await manon.wait_for(lambda m: "Welke omvang" in m.text))
    await manon.wait_for(lambda m: "Of typ een datum" in m.text)


async def ask_for_a_remark(anna: SimulatedPerson) -> None:
    await start_survey(anna, "Beginnen")
    for _ in range(3):  # chapter 5 has three elements
        await anna.tap("3")
    await anna.wait_for(lambda m: "Hoofdstuk 5" in m.text and "klaar" in m.text)
    await anna.tap("Opmerking bij hoofdstuk 5")
    await anna.wait_for(lambda m: "Typ je opmerking" in m.text)


async def export(manon: SimulatedPerson) -> dict[str, dict[str, str]]:
    """/export, read as Excel would: per topic, the cells by their column heading."""
    await manon.send("/export")
    message = await manon.wait_for(lambda m: (m.document_name or "").endswith(".csv"))
    assert message.document is not None
    rows = list(csv.reader(io.StringIO(message.document.decode("utf-8-sig")), delimiter=";"))
    return {row[4]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


async def cells_naming(
    sessions: async_sessionmaker[AsyncSession], user_id: int, name: str
) -> list[str]:
    """Every cell, in every table, that holds the person's Telegram id or name."""
    found: list[str] = []
    async with sessions() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                for column, value in zip(table.columns, row, strict=True):
                    if value == user_id or (isinstance(value, str) and (
                            str(user_id) in value or name in value)):
                        found.append(f"{table.name}.{column.name}={value!r}")
    return found
