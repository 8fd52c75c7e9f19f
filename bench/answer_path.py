"""Tap-to-reply latency and CPU per answer: our bot against a bare python-telegram-bot floor.

Both bots run on the same emulator, in the same process, with the same simulated people; only what
happens between update and reply differs. Two loads: everyone tapping as fast as the replies come
(the CPU per answer, at saturation), and many people answering at a brisk human pace (latency).
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bench._common import TOKEN, seeded_team, sqlite_url, summary_ms
from bot.app import Wiring
from bot.demo import start_polling, stop_polling
from bot.emulator import BotApiEmulator, SimulatedPerson
from bot.settings import load_settings


@dataclass(frozen=True)
class Load:
    participants: int
    taps_each: int
    reading_seconds: tuple[float, float] = (0.0, 0.0)
    """How long a person looks at a question before tapping (uniformly drawn)."""


AS_FAST_AS_REPLIES_COME = Load(participants=100, taps_each=7)
BRISK_HUMAN_PACE = Load(participants=500, taps_each=3, reading_seconds=(5.0, 15.0))
ROUNDS = 3


async def _open_survey(person: SimulatedPerson) -> None:
    await person.send("/resume")
    await person.wait_for(lambda m: len(m.buttons()) >= 5, timeout=120)


async def _tap_through(
    person: SimulatedPerson, load: Load, pause: random.Random, latencies: list[float]
) -> None:
    for step in range(load.taps_each):
        await asyncio.sleep(pause.uniform(*load.reading_seconds))
        started = time.perf_counter()
        await person.tap(str(1 + step % 5), timeout=120)
        latencies.append(time.perf_counter() - started)


@dataclass(frozen=True)
class Measurement:
    latencies: list[float]
    cpu_seconds: float
    wall_seconds: float

    def line(self) -> str:
        rate = len(self.latencies) / self.wall_seconds
        return f"{rate:5.0f} taps/s · {summary_ms(self.latencies)}"

    def cpu_per_tap_ms(self) -> float:
        return self.cpu_seconds / len(self.latencies) * 1000


async def _measure(people: list[SimulatedPerson], load: Load) -> Measurement:
    """Everyone has the survey open (not measured); then the taps are."""
    for person in people:
        await _open_survey(person)
    latencies: list[float] = []
    pause = random.Random(9004)  # the same people reading at the same speed for both bots
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(_tap_through(person, load, pause, latencies) for person in people))
    return Measurement(latencies, time.process_time() - cpu, time.perf_counter() - wall)


async def _floor(load: Load) -> Measurement:
    """A bare PTB bot doing the same visible work: show five buttons, edit on tap, answer."""
    async with BotApiEmulator(TOKEN) as emulator:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(str(n), callback_data=f"a:{n}")
                                          for n in range(1, 6)]])

        async def resume(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            assert update.effective_chat is not None
            chat_id = update.effective_chat.id
            await context.bot.send_message(chat_id, "step 0", reply_markup=keyboard)

        async def tapped(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            query = update.callback_query
            assert query is not None and query.message is not None
            await query.edit_message_text(f"step {time.perf_counter_ns()}", reply_markup=keyboard)
            await query.answer()

        application = (Application.builder().token(TOKEN).base_url(emulator.base_url)
                       .concurrent_updates(256).build())
        application.add_handler(CommandHandler("resume", resume))
        application.add_handler(CallbackQueryHandler(tapped))
        await application.initialize()
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        people = [emulator.person(f"P{n}") for n in range(load.participants)]
        try:
            return await _measure(people, load)
        finally:
            await application.updater.stop()
            await application.stop()
            await application.shutdown()


async def _ours(load: Load, database_url: str) -> Measurement:
    async with BotApiEmulator(TOKEN) as emulator:
        people = [emulator.person(f"P{n}", user_id=20_000 + n) for n in range(load.participants)]
        await seeded_team(database_url, [90_000] + [p.user_id for p in people])
        settings = load_settings(telegram_bot_token=TOKEN, telegram_api_base_url=emulator.base_url,
                                 database_url=database_url)
        application = await start_polling(settings, Wiring(run_scheduler=False))
        try:
            return await _measure(people, load)
        finally:
            await stop_polling(application)


async def run(scratch: Path, database_url: str | None) -> None:
    backend = "PostgreSQL" if database_url else "SQLite"
    saturated, paced = AS_FAST_AS_REPLIES_COME, BRISK_HUMAN_PACE
    floors, ours = [], []
    for attempt in range(ROUNDS):  # alternated: the shared CPU's mood changes within minutes
        url = database_url or sqlite_url(scratch, f"answers-{attempt}.sqlite3")
        floors.append(await _floor(saturated))
        ours.append(await _ours(saturated, url))
    floor, measured = (sorted(runs, key=Measurement.cpu_per_tap_ms)[len(runs) // 2]
                       for runs in (floors, ours))
    rounds = ", ".join(f"{o.cpu_per_tap_ms() / f.cpu_per_tap_ms():.2f}×"
                       for o, f in zip(ours, floors, strict=True))
    print(f"\n2a. Answer path ({backend}): {saturated.participants} participants × "
          f"{saturated.taps_each} taps at once, tapping as soon as the reply comes "
          f"(median of {ROUNDS} alternated runs)")
    print(f"   floor (bare PTB): {floor.line()}")
    print(f"   iso9004-bot:      {measured.line()}")
    ratio = measured.cpu_per_tap_ms() / floor.cpu_per_tap_ms()
    print(f"   CPU per answer: {measured.cpu_per_tap_ms():.2f} ms vs floor "
          f"{floor.cpu_per_tap_ms():.2f} ms → {ratio:.2f}× (target ≤ 1.5×; both include the "
          f"emulator's and the simulated people's share; round by round {rounds})")
    url = database_url or sqlite_url(scratch, "answers-paced.sqlite3")
    floor, measured = await _floor(paced), await _ours(paced, url)
    print(f"\n2b. Answer path ({backend}): {paced.participants} participants at once, each "
          f"reading {paced.reading_seconds[0]:.0f}–{paced.reading_seconds[1]:.0f} s per question, "
          f"{paced.taps_each} taps each")
    print(f"   floor (bare PTB): {floor.line()}")
    print(f"   iso9004-bot:      {measured.line()} (target p95 ≤ 50 ms)")
