"""A whole management-team meeting through the emulator: 31 elements (full scope), 8 voters.

Telegram allows a bot 20 new messages a minute in a group; the meeting keeps to one message that
every step edits. This plays the meeting as fast as the bot answers (far faster than people
would): per element all eight vote at once, the chair shows the votes, agrees a level, types the
reason as a reply, and goes on; one action on the first element. It prints the new messages in
the busiest minute (limit 20) and the edits per element, checks that the last edit of every
element shows all eight votes (concurrent taps, one message), and that Telegram refused nothing.
`--transcript` (`python -m bench meeting --transcript`) prints the first element and the summary
as the group saw them, for the README.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

from bench._common import TOKEN, sqlite_url
from bot.app import Wiring
from bot.config import load_settings
from bot.db.engine import create_engine, create_sessionmaker
from bot.db.migrate import upgrade
from bot.db.models import Answer, Response
from bot.db.repositories import Repository
from bot.emulator import BotApiEmulator, BotMessage, SimulatedGroup, SimulatedPerson
from bot.emulator._model import ApiError, RateWindow
from bot.ops.demo import start_polling, stop_polling
from bot.services import cycles, teams
from domain.catalog import load_model

MODEL = "iso9004-2018"
VOTERS = 8
MANAGERS = 3


@dataclass
class CountingWindow(RateWindow):
    """The group's 20-a-minute window, remembering when each new message was admitted."""

    admitted: list[float] = field(default_factory=list)

    def admit(self, now: float) -> ApiError | None:
        refused = super().admit(now)
        if refused is None:
            self.admitted.append(now)
        return refused


def busiest_minute(times: list[float]) -> int:
    return max((sum(1 for t in times if start <= t < start + 60) for start in times), default=0)


async def _seed(url: str, people: list[SimulatedPerson], now: datetime) -> None:
    engine = create_engine(url)
    if engine.dialect.name == "postgresql":  # a PostgreSQL database is used again: start afresh
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    await upgrade(engine)
    chooser = random.Random(9004)
    ids = load_model(MODEL).scope("full").element_ids
    async with create_sessionmaker(engine).begin() as session:
        repo = Repository(session)
        chair = people[0]
        await repo.touch_person(chair.user_id, chair.first_name, "en", now)
        team, _ = await teams.create_team(repo, "Acme Care", chair.user_id,
                                          teams.TeamSettings(model_id=MODEL), now)
        cycle = await cycles.open_cycle(repo, team.id, "full", now + timedelta(days=7),
                                        chair.user_id, now, plan=cycles.plan_nothing)
        rows = []
        for number, person in enumerate(people):
            role = "manager" if number < MANAGERS else "member"
            await repo.touch_person(person.user_id, person.first_name, "en", now)
            membership = await repo.join(team.id, person.user_id, role, None, now)
            response = Response(cycle_id=cycle.id, membership_id=membership.id,
                                is_manager=role == "manager", started_at=now,
                                completed_at=now + timedelta(minutes=40))
            session.add(response)
            await session.flush()
            rows += [{"response_id": response.id, "element_id": e, "answered_at": now,
                      "level": chooser.choice((1, 2, 2, 3, 3, 3, 4, 4, 5))} for e in ids]
        await session.execute(insert(Answer), rows)
        await cycles.close_cycle(repo, cycle.id, now + timedelta(hours=1))
    await engine.dispose()


def _show(who: str, message: BotMessage | str) -> None:
    text = message if isinstance(message, str) else message.text
    lines = text.splitlines()
    print(f"   {who:<5}{lines[0] if lines else ''}")
    for line in lines[1:]:
        print(f"        {line}")
    if isinstance(message, BotMessage):
        rows = [" ".join(f"[{label}]" for label, _ in row) for row in message.keyboard]
        for row in rows:
            print(f"        {row}")


async def _element(group: SimulatedGroup, chair: SimulatedPerson, voters: list[SimulatedPerson],
                   number: int, last: bool, chooser: random.Random, transcript: bool) -> None:
    shown = await group.wait_for(lambda m: f"topic {number} of " in m.text and "voted" in m.text)
    if transcript:
        _show("bot", shown)
    levels = [chooser.randint(1, 5) for _ in voters]
    await asyncio.gather(*(person.tap_in(group, str(level), message=shown)
                           for person, level in zip(voters, levels, strict=True)))
    counted = await group.wait_for(lambda m: f"{len(voters)} voted" in m.text)
    if transcript:
        _show("", f"({len(voters)} members tap a level; the message now says "
                  f"“{len(voters)} voted”, nothing more)")
        _show(chair.first_name, "[👁 Show the votes]")
    await chair.tap_in(group, "Show the votes", message=counted)
    revealed = await group.wait_for(lambda m: f"Votes ({len(voters)})" in m.text)
    agreed_level = round(statistics.median(levels))
    await chair.tap_in(group, f"✅ {agreed_level}", message=revealed)
    agreed = await group.wait_for(lambda m: f"Agreed: level {agreed_level}" in m.text)
    if transcript:
        _show(chair.first_name, f"[✅ {agreed_level}]")
        _show("bot", agreed)
    reason = f"Seen in practice on topic {number}"
    await chair.say_in(group, reason, reply_to=agreed)
    with_reason = await group.wait_for(lambda m: reason in m.text)
    if number == 1:
        await chair.tap_in(group, "Action", message=with_reason)
        asking = await group.wait_for(lambda m: "what is to be done" in m.text)
        await chair.say_in(group, "One checklist for every shift", reply_to=asking)
        await group.wait_for(lambda m: "Action: One checklist" in m.text)
        await chair.tap_in(group, "1 month")
        with_reason = await group.wait_for(lambda m: "Action: One checklist" in m.text
                                           and " · by " in m.text)
    if transcript:
        _show(chair.first_name, f"(replies to the message) {reason}")
        if number == 1:
            _show(chair.first_name, "[➕ Action] (replies) One checklist for every shift · "
                                    "[1 month]")
        _show("bot", with_reason)
    await chair.tap_in(group, "Finish" if last else "Next", message=with_reason)


async def run(scratch: Path, transcript: bool = False, database_url: str | None = None) -> None:
    url = database_url or sqlite_url(scratch, "meeting.db")
    now = datetime.now(UTC)
    async with BotApiEmulator(TOKEN, bot_username="iso9004_bench_bot") as emulator:
        people = [emulator.person(name, "en") for name in
                  ("Manon", "Bram", "Daan", "Anna", "Eva", "Femke", "Gijs", "Hugo")[:VOTERS]]
        await _seed(url, people, now)
        group = emulator.group("MT Acme Care", members=people)
        window = CountingWindow(limit=group.sends.limit, seconds=group.sends.seconds)
        group.sends = window
        settings = load_settings(telegram_bot_token=TOKEN, telegram_api_base_url=emulator.base_url,
                                 database_url=url)
        application = await start_polling(settings, Wiring(run_scheduler=False))
        try:
            chair = people[0]
            await chair.add_bot_to(group)
            await group.wait_for(lambda m: "/link" in m.text)
            await chair.say_in(group, "/link")
            await group.wait_for(lambda m: "is now linked" in m.text)
            before_meeting = len(window.admitted)
            started = time.perf_counter()
            await chair.say_in(group, "/meeting")
            edits_before = len(emulator.calls_to("editMessageText", group.chat_id))
            chooser = random.Random(31)
            count = len(load_model(MODEL).scope("full").element_ids)
            edits: list[int] = []
            for number in range(1, count + 1):
                await _element(group, chair, people, number, number == count, chooser,
                               transcript and number == 1)
                done = len(emulator.calls_to("editMessageText", group.chat_id))
                edits.append(done - edits_before)
                edits_before = done
            summary = await group.wait_for(lambda m: "management meeting has finished" in m.text)
            seconds = time.perf_counter() - started
        finally:
            await stop_polling(application)
        meeting_sends = window.admitted[before_meeting:]
        if transcript:
            _show("bot", summary)
        refused = emulator.refused_calls()
        reasons = sorted({f"{c.method}: {c.description}" for c in refused})
    print(f"\n5. The management-team meeting on {url.split(':')[0].split('+')[0]}: {count} "
          f"elements, {VOTERS} voters, as fast as the bot answers ({seconds:.1f} s, "
          f"{seconds / count:.2f} s per element)")
    print(f"   new messages in the group: {len(meeting_sends)} in all, "
          f"{busiest_minute(meeting_sends)} in the busiest minute (limit 20)")
    print(f"   edits of the one message per element: mean {statistics.fmean(edits):.1f}, "
          f"min {min(edits)}, max {max(edits)} (8 votes at once, show, agree, reason, next)")
    print(f"   requests Telegram refused: {len(refused)}"
          + "".join(f"\n     {reason}" for reason in reasons))
