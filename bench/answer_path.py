"""Tap-to-reply latency and CPU per answer: our bot against a bare python-telegram-bot floor.

Both bots run on the same emulator, in the same process, with the same simulated people tapping
concurrently; only what happens between update and reply differs.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bench._common import TOKEN, seeded_team, sqlite_url, summary_ms
from bot.app import Wiring
from bot.demo import start_polling, stop_polling
from bot.emulator import BotApiEmulator, SimulatedPerson
from bot.settings import load_settings

TAPS_PER_PERSON = 7


async def _tap_through(person: SimulatedPerson, latencies: list[float]) -> None:
    await person.send("/resume")
    await person.wait_for(lambda m: len(m.buttons()) >= 5)
    for step in range(TAPS_PER_PERSON):
        started = time.perf_counter()
        await person.tap(str(1 + step % 5), timeout=60)
        latencies.append(time.perf_counter() - started)


Measurement = tuple[list[float], float, float]
"""Latencies, CPU seconds and wall seconds of one run."""


async def _measure(people: list[SimulatedPerson]) -> Measurement:
    latencies: list[float] = []
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(_tap_through(person, latencies) for person in people))
    return latencies, time.process_time() - cpu, time.perf_counter() - wall


async def _floor(participants: int) -> Measurement:
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
        people = [emulator.person(f"P{n}") for n in range(participants)]
        try:
            return await _measure(people)
        finally:
            await application.updater.stop()
            await application.stop()
            await application.shutdown()


async def _ours(participants: int, database_url: str) -> Measurement:
    async with BotApiEmulator(TOKEN) as emulator:
        people = [emulator.person(f"P{n}", user_id=20_000 + n) for n in range(participants)]
        await seeded_team(database_url, [90_000] + [p.user_id for p in people])
        settings = load_settings(telegram_bot_token=TOKEN, telegram_api_base_url=emulator.base_url,
                                 database_url=database_url)
        application = await start_polling(settings, Wiring(run_scheduler=False))
        try:
            return await _measure(people)
        finally:
            await stop_polling(application)


async def run(participants: int, scratch: Path, database_url: str | None) -> None:
    floor_lat, floor_cpu, floor_wall = await _floor(participants)
    url = database_url or sqlite_url(scratch, "answers.sqlite3")
    our_lat, our_cpu, our_wall = await _ours(participants, url)
    taps = participants * TAPS_PER_PERSON
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"\n2. Answer path: {participants} participants × {TAPS_PER_PERSON} taps, concurrently "
          f"({backend})")
    print(f"   floor (bare PTB): {taps / floor_wall:7.0f} taps/s · {summary_ms(floor_lat)}")
    print(f"   iso9004-bot:      {taps / our_wall:7.0f} taps/s · {summary_ms(our_lat)}")
    ours, floor = our_cpu / taps * 1000, floor_cpu / taps * 1000
    print(f"   CPU per answer: {ours:.2f} ms vs floor {floor:.2f} ms → ratio {ours / floor:.2f}× "
          f"(target ≤ 1.5×; both include the emulator's share)")
