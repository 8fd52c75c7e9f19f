"""Inviting a whole organisation at Telegram's pace, through 429s and 5xx, losing and doubling none,
while people who are answering keep getting quick replies."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from bench._common import TOKEN, seeded_team, sqlite_url, summary_ms
from bot import delivery
from bot.app import Wiring
from bot.db.models import Notification
from bot.demo import start_polling, stop_polling
from bot.emulator import BotApiEmulator, SimulatedPerson
from bot.runtime import IsoApplication
from bot.services import outbox
from bot.settings import load_settings

TELEGRAM_LIMIT = 30


async def run(members: int, scratch: Path, database_url: str | None) -> None:
    url = database_url or sqlite_url(scratch, "broadcast.sqlite3")
    async with BotApiEmulator(TOKEN, flood_limit_per_second=TELEGRAM_LIMIT) as emulator:
        people = [emulator.person(f"M{n}", user_id=30_000 + n) for n in range(members)]
        for person in people:
            person.started = True
        answering = people[:10]
        await seeded_team(url, [90_001] + [p.user_id for p in people], plan=outbox.plan_cycle)
        emulator.server_error(times=5, method="sendMessage")
        settings = load_settings(telegram_bot_token=TOKEN, telegram_api_base_url=emulator.base_url,
                                 database_url=url, broadcast_rate_per_second=0.95 * TELEGRAM_LIMIT)
        application = await start_polling(settings, Wiring(run_scheduler=False))
        latencies: list[float] = []
        try:
            started = time.perf_counter()
            sweeping = asyncio.create_task(_sweep_until_done(application))
            await asyncio.sleep(1)
            await asyncio.gather(*(_answer(person, latencies) for person in answering))
            await sweeping
            elapsed = time.perf_counter() - started
        finally:
            await stop_polling(application)
        invitations = Counter(
            person.user_id for person in people for message in person.messages
            if "vraagt om jouw kijk" in message.text)
        sent = sum(invitations.values())
        print(f"\n4. Broadcast: {members} invitations, emulator enforcing {TELEGRAM_LIMIT} msg/s, "
              f"with 5 injected 5xx")
        rate = sent / elapsed
        print(f"   {rate:.1f} msg/s = {rate / TELEGRAM_LIMIT:.0%} of the limit · "
              f"lost {members - len(invitations)} · doubled {sent - len(invitations)} · 429s "
              f"{sum('Too Many' in c.description for c in emulator.calls)}")
        print(f"   answers from 10 people during the broadcast: {summary_ms(latencies)}")


async def _sweep_until_done(application: IsoApplication) -> None:
    """Sweep as the scheduler would, until no invitation is left waiting (retries included)."""
    runtime = application.runtime
    while True:
        await delivery.sweep(runtime, application.bot)
        async with runtime.repository() as repo:
            waiting = await repo.session.scalar(select(func.count()).select_from(Notification)
                                                .where(Notification.status == "pending",
                                                       Notification.kind == "invite"))
        if not waiting:
            return
        await asyncio.sleep(0.2)


async def _answer(person: SimulatedPerson, latencies: list[float]) -> None:
    await person.send("/resume")
    await person.wait_for(lambda m: len(m.buttons()) >= 5, timeout=120)
    for step in range(5):
        began = time.perf_counter()
        await person.tap(str(1 + step), timeout=120)
        latencies.append(time.perf_counter() - began)
