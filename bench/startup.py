"""Start-up time and memory with a large organisation, against the same bot on an empty database."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from bench._common import TOKEN, sqlite_url
from bot.app import Wiring
from bot.config import load_settings
from bot.db.engine import create_engine, create_sessionmaker
from bot.db.migrate import upgrade
from bot.db.models import (
    Answer,
    Cycle,
    Membership,
    Notification,
    Organisation,
    Person,
    Response,
    Team,
)
from bot.emulator import BotApiEmulator
from bot.ops.demo import start_polling, stop_polling


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 1e6


async def _seed(url: str, members: int, mid_survey: int, notifications: int) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    now = datetime.now(UTC)
    async with create_sessionmaker(engine).begin() as session:
        session.add(Organisation(id=1, name="Large", created_at=now, reassessment="off"))
        await session.flush()
        session.add(Team(id=1, organisation_id=1, name="Large", model_id="iso9004-2018",
                         default_scope="quick",
                         timezone="Europe/Amsterdam", use_groups=False, share_results=True,
                         anonymity_threshold=3, reassessment="quarterly", reminders_enabled=True,
                         created_at=now))
        await session.flush()
        session.add(Cycle(id=1, team_id=1, model_id="iso9004-2018", scope_id="quick",
                          opened_at=now, deadline=now + timedelta(days=14)))
        await session.flush()
        rows = {
            Person: [{"user_id": 40_000 + n, "display_name": f"P{n}", "language": "nl",
                      "last_seen_at": now, "created_at": now} for n in range(members)],
            Membership: [{"id": n + 1, "team_id": 1, "user_id": 40_000 + n, "role": "member",
                          "active": True, "joined_at": now} for n in range(members)],
            Response: [{"id": n + 1, "cycle_id": 1, "membership_id": n + 1, "is_manager": False,
                        "started_at": now} for n in range(mid_survey)],
            Answer: [{"response_id": n + 1, "element_id": element, "level": 3, "answered_at": now}
                     for n in range(mid_survey) for element in ("5.2", "6.2", "7.4")],
            Notification: [{"key": f"remind:1:1:{40_000 + n}", "kind": "remind",
                            "user_id": 40_000 + n, "team_id": 1, "cycle_id": 1,
                            "due_at": now + timedelta(days=7), "status": "pending", "attempts": 0}
                           for n in range(notifications)],
        }
        for table, values in rows.items():
            if values:
                await session.execute(insert(table), values)
    await engine.dispose()


async def _start_and_stop(url: str) -> tuple[float, float]:
    async with BotApiEmulator(TOKEN) as emulator:
        settings = load_settings(telegram_bot_token=TOKEN, telegram_api_base_url=emulator.base_url,
                                 database_url=url)
        started = time.perf_counter()
        application = await start_polling(settings, Wiring())
        ready = time.perf_counter() - started
        resident = _rss_mb()
        await stop_polling(application)
    return ready, resident


async def run(scratch: Path, members: int = 10_000) -> None:
    empty = sqlite_url(scratch, "empty.sqlite3")
    large = sqlite_url(scratch, "large.sqlite3")
    await _seed(empty, 1, 0, 0)
    await _seed(large, members, members // 5, 500)
    await _start_and_stop(empty)  # warm imports and caches so both runs compare like with like
    empty_ready, _ = await _start_and_stop(empty)
    large_ready, resident = await _start_and_stop(large)
    print(f"\n1. Start-up with {members} members, {members // 5} mid-survey and 500 scheduled "
          f"notifications")
    print(f"   ready in {large_ready * 1000:.0f} ms vs {empty_ready * 1000:.0f} ms on an empty "
          f"database ({large_ready / empty_ready:.2f}×; target ≤ 2 s)")
    print(f"   resident memory of the whole process with the bot running: {resident:.0f} MB "
          f"(target ≤ 200 MB; includes the emulator)")
