"""Inviting a whole organisation at Telegram's pace, through 429s and 5xx, losing and doubling none,
while people who are answering keep getting quick replies."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from bench._common import TOKEN, seeded_team, sqlite_url, summary_ms
from bot.app import Wiring
from bot.config import load_settings
from bot.db.models import Notification
from bot.emulator import BotApiEmulator, SimulatedPerson
from bot.ops.demo import start_polling, stop_polling
from bot.outbox import delivery
from bot.services import outbox
from bot.telegram.flood import TELEGRAM_MESSAGES_PER_SECOND as TELEGRAM_LIMIT
from bot.telegram.runtime import IsoApplication

ANSWERING = 60
ANSWERS_EACH = 7


async def run(members: int, scratch: Path, database_url: str | None) -> None:
    url = database_url or sqlite_url(scratch, "broadcast.sqlite3")
    async with BotApiEmulator(TOKEN, flood_limit_per_second=TELEGRAM_LIMIT) as emulator:
        people = [emulator.person(f"M{n}", user_id=30_000 + n) for n in range(members)]
        for person in people:
            person.started = True
        await seeded_team(url, [90_001] + [p.user_id for p in people], plan=outbox.plan_cycle)
        emulator.server_error(times=5, method="sendMessage")
        settings = load_settings(telegram_bot_token=TOKEN, telegram_api_base_url=emulator.base_url,
                                 database_url=url)  # the default pace
        application = await start_polling(settings, Wiring(run_scheduler=False))
        replies: list[float] = []
        taps: list[float] = []
        try:
            sweeping = asyncio.create_task(_sweep_until_done(application))
            # people who answer meanwhile, one starting every few seconds while the broadcast runs
            spread = members / settings.broadcast_rate_per_second * 0.9 / ANSWERING
            await asyncio.gather(*(
                _answer(person, number * spread, replies, taps)
                for number, person in enumerate(people[-ANSWERING:])))
            elapsed = await sweeping
        finally:
            await stop_polling(application)
        invitations = Counter(
            person.user_id for person in people for message in person.messages
            if "vraagt naar jouw mening" in message.text)
        sent = sum(invitations.values())
        counted = sum(1 for call in emulator.calls if call.method.startswith("send") and call.ok)
        floods = sum("Too Many" in call.description for call in emulator.calls)
        print(f"\n4. Broadcast: {members} invitations, emulator enforcing {TELEGRAM_LIMIT} msg/s, "
              f"with 5 injected 5xx; {ANSWERING} people answering meanwhile")
        print(f"   all messages: {counted / elapsed:.1f} msg/s = "
              f"{counted / elapsed / TELEGRAM_LIMIT:.1%} of the limit (invitations alone "
              f"{sent / elapsed:.1f} msg/s) · lost {members - len(invitations)} · doubled "
              f"{sent - len(invitations)} · 429s {floods}")
        print(f"   replies to /resume (messages, in the budget): {summary_ms(replies)}")
        print(f"   answers (taps, edited in place):             {summary_ms(taps)}")


async def _sweep_until_done(application: IsoApplication) -> float:
    """Sweep as the scheduler would, until no invitation is left waiting (retries included);
    returns how long that took."""
    runtime = application.runtime
    started = time.perf_counter()
    while True:
        await delivery.sweep(runtime, application.bot)
        async with runtime.repository() as repo:
            waiting = await repo.session.scalar(select(func.count()).select_from(Notification)
                                                .where(Notification.status == "pending",
                                                       Notification.kind == "invite"))
        if not waiting:
            return time.perf_counter() - started
        await asyncio.sleep(0.2)


async def _answer(
    person: SimulatedPerson, after: float, replies: list[float], taps: list[float]
) -> None:
    await asyncio.sleep(after)
    began = time.perf_counter()
    await person.send("/resume")
    await person.wait_for(lambda m: len(m.buttons()) >= 5, timeout=120)
    replies.append(time.perf_counter() - began)
    for step in range(ANSWERS_EACH):
        await asyncio.sleep(1.0)  # reading the question
        began = time.perf_counter()
        await person.tap(str(1 + step % 5), timeout=120)
        taps.append(time.perf_counter() - began)
