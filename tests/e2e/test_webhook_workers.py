"""Webhook mode and scale-out: the secret is checked, updates are handled once across workers, and
exactly one worker runs the scheduler, with another taking over when it dies."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import Wiring
from bot.config import Config
from bot.db.models import Remark, Team
from bot.emulator import BotApiEmulator, SimulatedPerson
from bot.ops.serve import webhook_worker
from bot.telegram.runtime import IsoApplication
from tests.support.clock import FixedClock
from tests.support.journeys import (
    ask_for_a_deadline,
    ask_for_a_remark,
    assert_telegram_was_happy,
    join,
    start_survey,
    stored_answers,
)
from tests.support.running import set_up_team
from tests.support.webhooks import SECRET, free_port, worker_settings


@pytest.fixture
async def balancer() -> AsyncIterator[tuple[str, list[str]]]:
    """A round-robin load balancer in front of the workers, as a hosting platform would run."""
    upstreams: list[str] = []
    turn = itertools.count()

    async def forward(request: web.Request) -> web.Response:
        body = await request.read()
        target = upstreams[next(turn) % len(upstreams)]
        async with aiohttp.ClientSession() as client, client.post(
            target + request.path, data=body, headers={
                k: v for k, v in request.headers.items() if k.lower().startswith("x-telegram")
            } | {"Content-Type": "application/json"},
        ) as reply:
            return web.Response(status=reply.status, text=await reply.text())

    app = web.Application()
    app.router.add_post("/telegram", forward)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}", upstreams
    await runner.cleanup()


async def test_a_webhook_worker_serves_a_participant_and_checks_the_secret(
    emulator: BotApiEmulator, settings: Config, clock: FixedClock,
    sessions: async_sessionmaker[AsyncSession], anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    port = free_port()
    config = worker_settings(settings, port, f"http://127.0.0.1:{port}")
    async with webhook_worker(config, Wiring(clock=clock, run_scheduler=False)):
        team = await set_up_team(sessions, clock.now(), manager=manon)
        await join(anna, team.start_command, "Nederlands")
        await start_survey(anna, "Beginnen")
        await anna.tap("4")
        await anna.wait_for(lambda m: "onderwerp 2 van 7" in m.text)

        async with aiohttp.ClientSession() as client:
            async with client.post(f"http://127.0.0.1:{port}/telegram", json={"update_id": 1},
                                   headers={"X-Telegram-Bot-Api-Secret-Token": "guess"}) as forged:
                assert forged.status == 403
            async with client.get(f"http://127.0.0.1:{port}/health") as health:
                assert health.status == 200 and (await health.json())["ok"] is True
    assert list((await stored_answers(sessions, anna)).values()) == [4]
    assert emulator.webhook_failures == []
    assert_telegram_was_happy(emulator)


async def test_anything_but_an_update_gets_a_400_and_changes_nothing(
    emulator: BotApiEmulator, settings: Config, clock: FixedClock,
    sessions: async_sessionmaker[AsyncSession], anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    port = free_port()
    config = worker_settings(settings, port, f"http://127.0.0.1:{port}")
    secret = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with webhook_worker(config, Wiring(clock=clock, run_scheduler=False)):
        async with aiohttp.ClientSession() as client:
            for body in ([{"update_id": 5}], [], "update", 5, None, {}, {"update_id": "5"},
                         {"update_id": 5, "message": "hello"}):
                async with client.post(f"http://127.0.0.1:{port}/telegram", json=body,
                                       headers=secret) as refused:
                    assert refused.status == 400, body
            async with client.post(f"http://127.0.0.1:{port}/telegram", data=b"{not json",
                                   headers=secret) as refused:
                assert refused.status == 400
        team = await set_up_team(sessions, clock.now(), manager=manon)
        await join(anna, team.start_command, "Nederlands")  # the worker is still fine
    assert emulator.webhook_failures == []
    assert_telegram_was_happy(emulator)


async def test_typed_replies_are_understood_by_the_other_worker(
    emulator: BotApiEmulator, settings: Config, clock: FixedClock,
    sessions: async_sessionmaker[AsyncSession], balancer: tuple[str, list[str]],
    anna: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    """The balancer alternates, so each question is asked by one worker and its typed answer
    reaches the other; a position only in one worker's memory would be lost there."""
    public_url, upstreams = balancer
    async with AsyncExitStack() as stack:
        for register in (True, False):
            port = free_port()
            upstreams.append(f"http://127.0.0.1:{port}")
            await stack.enter_async_context(webhook_worker(
                worker_settings(settings, port, public_url),
                Wiring(clock=clock, run_scheduler=False), register=register))
        await manon.send("/newteam")
        await manon.wait_for(lambda m: "Hoe heet het team?" in m.text)
        await manon.send("Kwaliteit")
        await manon.wait_for(lambda m: "t.me/" in m.text)
        await ask_for_a_deadline(manon)
        await manon.send("20-11-2026")
        await manon.wait_for(lambda m: "Klopt dit?" in m.text)

        team = await set_up_team(sessions, clock.now(), manager=manon, name="Breed",
                                 scope="full")
        await join(anna, team.start_command, "Nederlands")
        await ask_for_a_remark(anna)
        await anna.send("Meer overleg")
        await anna.wait_for(lambda m: "is bewaard" in m.text)
    async with sessions() as session:
        assert list(await session.scalars(select(Team.name).order_by(Team.id))) == [
            "Kwaliteit", "Breed"]
        assert list(await session.scalars(select(Remark.text))) == ["Meer overleg"]
    assert emulator.webhook_failures == []
    assert_telegram_was_happy(emulator)


def leaders(applications: list[IsoApplication]) -> list[int]:
    return [n for n, app in enumerate(applications)
            if app.runtime.leadership is not None and app.runtime.leadership.leading]


async def test_two_workers_share_the_updates_and_one_scheduler_with_take_over(
    backend: str, emulator: BotApiEmulator, settings: Config, clock: FixedClock,
    sessions: async_sessionmaker[AsyncSession], balancer: tuple[str, list[str]],
    anna: SimulatedPerson, bram: SimulatedPerson, manon: SimulatedPerson,
) -> None:
    if backend != "postgresql":
        pytest.skip("several workers need PostgreSQL (SQLite serves one process)")
    public_url, upstreams = balancer
    async with AsyncExitStack() as stack:
        applications = []
        for register in (True, False):
            port = free_port()
            upstreams.append(f"http://127.0.0.1:{port}")
            applications.append(await stack.enter_async_context(webhook_worker(
                worker_settings(settings, port, public_url),
                Wiring(clock=clock, run_scheduler=True), register=register)))
        assert len(leaders(applications)) == 1

        team = await set_up_team(sessions, clock.now(), manager=manon)
        for person, language, start, level in ((anna, "Nederlands", "Beginnen", 2),
                                               (bram, "English", "Start", 5)):
            await join(person, team.start_command, language)
            await start_survey(person, start)
            for _ in range(3):
                await person.tap(str(level))
        assert sorted((await stored_answers(sessions, anna)).values()) == [2, 2, 2]
        assert sorted((await stored_answers(sessions, bram)).values()) == [5, 5, 5]

        [leader] = leaders(applications)
        departed = applications[leader]
        # The leader dies: its connection closes, the advisory lock is released.
        assert departed.runtime.leadership is not None
        await departed.runtime.leadership.resign()
        if departed.runtime.scheduler is not None:
            departed.runtime.scheduler.shutdown(wait=False)
            departed.runtime.scheduler = None
        survivor = applications[1 - leader]
        for _ in range(50):
            if survivor.runtime.leadership and survivor.runtime.leadership.leading:
                break
            await asyncio.sleep(0.1)
        assert survivor.runtime.leadership is not None and survivor.runtime.leadership.leading
    assert emulator.webhook_failures == []
    assert_telegram_was_happy(emulator)
