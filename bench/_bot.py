"""A bot under test in a process of its own, so that the load (the emulator and hundreds of
simulated people) does not share its CPU, as Telegram's servers and people's phones don't.

`python -m bench._bot {ours|floor} API_URL DATABASE_URL`, driven over stdin and stdout: it prints
`ready` once polling; `start` marks its CPU clock; `stop` prints `cpu <seconds used since start>`
and shuts down.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bench._common import TOKEN
from bot.app import Wiring
from bot.config import load_settings
from bot.ops.demo import start_polling, stop_polling

Stop = Callable[[], Awaitable[None]]


async def _start_floor(api_url: str) -> Stop:
    """A bare PTB bot doing the same visible work: show five buttons, edit on tap, answer."""
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(str(n), callback_data=f"a:{n}")
                                      for n in range(1, 6)]])

    async def resume(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "step 0", reply_markup=keyboard)

    async def tapped(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.message is not None
        await query.edit_message_text(f"step {time.perf_counter_ns()}", reply_markup=keyboard)
        await query.answer()

    application = (Application.builder().token(TOKEN).base_url(api_url)
                   .concurrent_updates(256).build())
    application.add_handler(CommandHandler("resume", resume))
    application.add_handler(CallbackQueryHandler(tapped))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)

    async def stop() -> None:
        assert application.updater is not None
        await application.updater.stop()
        await application.stop()
        await application.shutdown()

    return stop


async def _start_ours(api_url: str, database_url: str) -> Stop:
    settings = load_settings(telegram_bot_token=TOKEN, telegram_api_base_url=api_url,
                             database_url=database_url)
    application = await start_polling(settings, Wiring(run_scheduler=False))
    return lambda: stop_polling(application)


async def _serve(kind: str, api_url: str, database_url: str) -> None:
    stop = await (_start_ours(api_url, database_url) if kind == "ours" else _start_floor(api_url))
    print("ready", flush=True)
    began = time.process_time()
    while command := (await asyncio.to_thread(sys.stdin.readline)).strip():
        if command == "start":
            began = time.process_time()
        elif command == "stop":
            print(f"cpu {time.process_time() - began}", flush=True)
            break
    await stop()


if __name__ == "__main__":
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(_serve(*sys.argv[1:4]))
