"""Fixtures for tests that drive the emulator with python-telegram-bot's own `Bot`, over HTTP,
without our application: the emulator, the bot, and Anna, who has started it.

`tests/bot/conftest.py` and `tests/emulator/conftest.py` import them, so `test_refusals.py` and
`test_emulator.py` use one set (they had a copy each).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.emulator import BotApiEmulator, SimulatedPerson

TOKEN = "4242:emulator-test"


@pytest.fixture
async def api() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(TOKEN) as running:  # Telegram's 15 s to answer a tap
        yield running


@pytest.fixture
async def bot(api: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=api.base_url) as telegram_bot:
        yield telegram_bot


@pytest.fixture
async def anna(api: BotApiEmulator) -> SimulatedPerson:
    """Anna has started the bot, so it may write to her."""
    person = api.person("Anna")
    await person.send("/start")
    return person


def one_button(label: str = "3", data: str = "a:1:0:3") -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)]])
