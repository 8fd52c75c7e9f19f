"""End-to-end fixtures: the real bot application, over real HTTP, against our Bot API emulator.

The story every e2e test starts from: a running bot on a real database, the emulator standing in for
Telegram, and people (simulated Telegram users) who write to it and tap its buttons.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Config, load_settings
from bot.emulator import BotApiEmulator, SimulatedPerson
from tests.support.clock import FixedClock
from tests.support.running import TOKEN, RunningBot


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(TOKEN, bot_username="iso9004_test_bot") as running:
        yield running


@pytest.fixture
def settings(emulator: BotApiEmulator, database_url: str) -> Config:
    return load_settings(
        telegram_bot_token=TOKEN,
        telegram_api_base_url=emulator.base_url,
        database_url=database_url,
        default_language="nl",
        anonymity_threshold=3,
        admin_ids="",
        broadcast_rate_per_second=1000,
        sweep_interval_seconds=0.2,
    )


@pytest.fixture
async def bot(
    emulator: BotApiEmulator, settings: Config, clock: FixedClock, engine: AsyncEngine
) -> AsyncIterator[RunningBot]:
    """The bot, running; the `engine` fixture has cleaned the database first."""
    running = RunningBot(emulator, settings, clock)
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
def anna(emulator: BotApiEmulator) -> SimulatedPerson:
    """A Dutch-speaking employee on her phone."""
    return emulator.person(first_name="Anna", language_code="nl")


@pytest.fixture
def bram(emulator: BotApiEmulator) -> SimulatedPerson:
    """An English-speaking colleague."""
    return emulator.person(first_name="Bram", language_code="en")


@pytest.fixture
def manon(emulator: BotApiEmulator) -> SimulatedPerson:
    """The quality manager who set up the team."""
    return emulator.person(first_name="Manon", language_code="nl")
