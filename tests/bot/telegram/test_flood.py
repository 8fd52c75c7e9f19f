"""One send budget for broadcasts and replies: Telegram never has to say "too many", and a person
who is answering is not queued behind a broadcast to the whole organisation."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram.ext import ExtBot

from bot.emulator import BotApiEmulator, SimulatedPerson
from bot.telegram.flood import TELEGRAM_MESSAGES_PER_SECOND, Lane, SendBudget

TOKEN = "4242:flood-test"


@pytest.fixture
async def api() -> AsyncIterator[BotApiEmulator]:
    limit = TELEGRAM_MESSAGES_PER_SECOND
    async with BotApiEmulator(TOKEN, flood_limit_per_second=limit) as running:
        yield running


@pytest.fixture
async def bot(api: BotApiEmulator) -> AsyncIterator[ExtBot[Lane]]:
    budget = SendBudget(broadcast_per_second=TELEGRAM_MESSAGES_PER_SECOND - 1)
    async with ExtBot(TOKEN, base_url=api.base_url, rate_limiter=budget) as telegram_bot:
        yield telegram_bot


@pytest.fixture
async def organisation(api: BotApiEmulator) -> list[SimulatedPerson]:
    people = [api.person(f"Member {n}") for n in range(45)]
    for person in people:
        person.started = True
    return people


async def test_a_broadcast_with_replies_in_between_never_meets_a_429(
    api: BotApiEmulator, bot: ExtBot[Lane], organisation: list[SimulatedPerson]
) -> None:
    everyone, answering = organisation, organisation[:8]
    await asyncio.gather(
        *(bot.send_message(p.user_id, "invitation", rate_limit_args=Lane.BROADCAST)
          for p in everyone),
        *(bot.send_message(p.user_id, "your next question") for p in answering),
    )

    assert not [c for c in api.calls if "Too Many" in c.description]
    assert all(p.messages[-1].text in ("invitation", "your next question") for p in everyone)
    assert sum(len(p.messages) for p in everyone) == len(everyone) + len(answering)


async def test_a_reply_goes_out_before_the_rest_of_a_running_broadcast(
    bot: ExtBot[Lane], organisation: list[SimulatedPerson]
) -> None:
    manager, *members = organisation
    broadcast = asyncio.gather(*(
        bot.send_message(p.user_id, "invitation", rate_limit_args=Lane.BROADCAST)
        for p in members))
    await members[4].wait_for(lambda m: m.text == "invitation")

    await bot.send_message(manager.user_id, "survey opened")
    invited_before_the_reply = sum(1 for p in members if p.messages)
    await broadcast

    assert invited_before_the_reply < len(members) / 2
