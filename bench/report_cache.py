"""The second /report of a closed 1,000-respondent cycle: kept, not rendered again.

A closed cycle's report is the same for every manager (its family is stored at the close), so its
summary, charts and PDF are rendered once per language and kept (`bot.outbox.report_cache`).
Measured through the same function /report calls, on SQLite: the first request (build, render,
keep) and the later ones (read the version, read the kept parts), wall-clock time.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from sqlalchemy import select

from bench.seeding import example_view
from bot.config import load_settings
from bot.db.engine import create_engine, create_sessionmaker
from bot.db.models import Cycle
from bot.outbox import report_cache
from bot.rendering.texts import Texts
from bot.services.ports import SystemClock
from bot.telegram.runtime import Runtime
from conversations.notice_buttons import BUTTONS

RESPONDENTS = 1_000
TARGET_MS = 100


async def run(scratch: Path) -> None:
    url = f"sqlite+aiosqlite:///{scratch / 'report-cache.db'}"
    view = await example_view(url, language="nl", respondents=RESPONDENTS)
    engine = create_engine(url)
    try:
        runtime = Runtime(settings=load_settings(telegram_bot_token="1:bench", database_url=url),
                          sessions=create_sessionmaker(engine), texts=Texts("nl"),
                          clock=SystemClock(),
                          write_queue=asyncio.Lock(), buttons=BUTTONS)
        async with runtime.sessions() as session:
            cycle = await session.scalar(select(Cycle).where(Cycle.id == view.report.cycle.id))
        assert cycle is not None
        timings = []
        for _ in range(6):
            started = time.perf_counter()
            messages, _ = await report_cache.messages(runtime, 1, "nl", cycle, 1)
            timings.append(time.perf_counter() - started)
        first, later = timings[0] * 1000, min(timings[1:]) * 1000
        print(f"\n3b. /report of a closed cycle of {RESPONDENTS} respondents, rendered once "
              f"({len(messages)} messages, {sum(len(m.pictures) for m in messages)} charts)")
        print(f"   first {first:6.0f} ms (build, render, keep) · second and later best "
              f"{later:5.1f} ms, worst {max(timings[1:]) * 1000:5.1f} ms "
              f"(target < {TARGET_MS} ms: {'met' if later < TARGET_MS else 'NOT met'})")
    finally:
        await engine.dispose()
