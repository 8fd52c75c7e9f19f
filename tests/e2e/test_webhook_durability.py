"""A webhook worker acknowledges an update only once it is handled: killed with SIGKILL right after
its 200, nothing is lost; and workers started together on an empty database all come up. The
workers here are real processes (`tests.support.worker`), killed as an orchestrator would."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import create_engine
from bot.emulator import BotApiEmulator, SimulatedPerson
from tests.support.clock import FixedClock
from tests.support.journeys import join, start_survey, stored_answers
from tests.support.processes import ended, stop
from tests.support.running import TOKEN, set_up_team
from tests.support.webhooks import SECRET, free_port

STARTUP_SECONDS = 60


@dataclass
class Worker:
    process: asyncio.subprocess.Process
    url: str

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)


@dataclass
class Platform:
    """What a hosting platform does: start worker processes and route Telegram's requests to the
    newest one. Armed, it kills the worker with SIGKILL the moment the worker answered 2xx, and
    only then passes that answer on to Telegram."""

    emulator: BotApiEmulator
    database_url: str
    clock: FixedClock
    public_url: str = ""
    workers: list[Worker] = field(default_factory=list)
    kill_after_next_ack: bool = False
    killed_after_ack: int = 0

    async def start_worker(self, *, register: bool) -> Worker:
        port = free_port()
        fields = {
            "telegram_bot_token": TOKEN, "telegram_api_base_url": self.emulator.base_url,
            "database_url": self.database_url, "default_language": "nl",
            "anonymity_threshold": 3, "admin_ids": "", "broadcast_rate_per_second": 1000,
            "webhook_url": self.public_url, "webhook_listen": "127.0.0.1",
            "webhook_port": port, "webhook_secret": SECRET,
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.support.worker", json.dumps(fields),
            self.clock.now().isoformat(), *(["--register"] if register else []),
            stdout=asyncio.subprocess.PIPE)
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), STARTUP_SECONDS)
        assert line.strip() == b"ready", f"worker did not come up (exit {process.returncode})"
        worker = Worker(process, f"http://127.0.0.1:{port}")
        self.workers.append(worker)
        return worker

    async def route(self, request: web.Request) -> web.Response:
        live = [w for w in self.workers if w.process.returncode is None]
        if not live:
            return web.Response(status=502, text="no worker")
        worker = live[-1]
        try:
            async with aiohttp.ClientSession() as client, client.post(
                worker.url + request.path, data=await request.read(),
                headers={k: v for k, v in request.headers.items()
                         if k.lower().startswith("x-telegram")}
                | {"Content-Type": "application/json"},
            ) as reply:
                status, body = reply.status, await reply.text()
        except aiohttp.ClientError:
            return web.Response(status=502, text="worker gone")
        if status < 300 and self.kill_after_next_ack:
            self.kill_after_next_ack = False
            worker.kill()
            await ended(worker.process)
            self.killed_after_ack += 1
        return web.Response(status=status, text=body)


async def eventually(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition never came true")


async def all_acknowledged(emulator: BotApiEmulator) -> None:
    """Every update so far was answered 2xx (a person sees a reply before its 200 comes): woken
    by each delivery as it is confirmed, not by looking again and again, and for at most 10 s."""
    pending = [queued.delivered.wait() for queued in emulator.undelivered()]
    try:
        await asyncio.wait_for(asyncio.gather(*pending), 10)
    except TimeoutError:
        raise AssertionError(f"{len(emulator.undelivered())} updates never acknowledged") from None


@pytest.fixture
async def platform(
    emulator: BotApiEmulator, database_url: str, clock: FixedClock,
) -> AsyncIterator[Platform]:
    running = Platform(emulator, database_url, clock)
    app = web.Application()
    app.router.add_post("/telegram", running.route)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    running.public_url = f"http://127.0.0.1:{port}"
    try:
        yield running
    finally:
        await asyncio.gather(*(stop(worker.process) for worker in running.workers))
        await runner.cleanup()


async def test_a_worker_killed_right_after_its_200_loses_nothing(
    platform: Platform, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    await platform.start_worker(register=True)
    team = await set_up_team(sessions, clock.now(), manager=manon)
    await join(anna, team.start_command, "Nederlands")
    await start_survey(anna, "Beginnen")
    await all_acknowledged(emulator)

    platform.kill_after_next_ack = True
    await anna.tap("4")  # acknowledged by the worker, which is killed at once
    await anna.wait_for(lambda m: "onderwerp 2 van 7" in m.text)
    await all_acknowledged(emulator)
    assert platform.killed_after_ack == 1 and platform.workers[0].process.returncode is not None
    assert list((await stored_answers(sessions, anna)).values()) == [4]

    await platform.start_worker(register=False)  # the orchestrator replaces the worker
    await anna.tap("2")
    await anna.wait_for(lambda m: "onderwerp 3 van 7" in m.text)
    assert sorted((await stored_answers(sessions, anna)).values()) == [2, 4]


async def test_a_worker_killed_while_handling_is_answered_by_the_next(
    platform: Platform, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    """Killed before it answered, the worker never acknowledged: Telegram sends the tap again,
    and the worker that replaces it handles it."""
    first = await platform.start_worker(register=True)
    team = await set_up_team(sessions, clock.now(), manager=manon)
    await join(anna, team.start_command, "Nederlands")
    await start_survey(anna, "Beginnen")
    await all_acknowledged(emulator)
    first.kill()
    await ended(first.process)
    tapped = asyncio.create_task(anna.tap("5", timeout=STARTUP_SECONDS))
    await eventually(lambda: bool(emulator.webhook_failures))  # nobody answers: Telegram retries
    await platform.start_worker(register=False)
    await tapped
    await anna.wait_for(lambda m: "onderwerp 2 van 7" in m.text)
    assert list((await stored_answers(sessions, anna)).values()) == [5]


async def test_two_workers_started_at_once_on_an_empty_database_both_come_up(
    backend: str, platform: Platform, database_url: str, tmp_path_factory: pytest.TempPathFactory,
) -> None:
    if backend == "postgresql":
        engine = create_engine(database_url)
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await engine.dispose()
    else:
        empty = tmp_path_factory.mktemp("empty") / "bot.sqlite3"
        platform.database_url = f"sqlite+aiosqlite:///{empty}"
    workers = await asyncio.gather(*(platform.start_worker(register=False) for _ in range(2)))
    async with aiohttp.ClientSession() as client:
        for worker in workers:
            async with client.get(worker.url + "/health") as health:
                assert health.status == 200 and (await health.json())["ok"] is True
