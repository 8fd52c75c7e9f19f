"""Telegram's answers, as python-telegram-bot raises them from real HTTP replies, sorted by meaning.

The refusals come from the emulator over HTTP (in Telegram's words and status codes), so the
exception classes and messages are the ones PTB really produces.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from telegram import Bot
from telegram.error import TelegramError

from bot.emulator import BotApiEmulator, SimulatedPerson
from bot.telegram.refusals import Meaning, meaning_of, retrying
from tests.support.emulated import one_button


async def refusal(call: Callable[[], Awaitable[Any]]) -> TelegramError:
    with pytest.raises(TelegramError) as raised:
        await call()
    return raised.value


async def test_each_refusal_means_what_it_says(
    api: BotApiEmulator, bot: Bot, anna: SimulatedPerson
) -> None:
    sent = await bot.send_message(anna.user_id, "question")
    stranger = api.person("Stranger")
    cases = {
        Meaning.NOT_MODIFIED: lambda: sent.edit_text("question"),
        Meaning.MESSAGE_GONE: lambda: bot.edit_message_text("x", chat_id=anna.user_id,
                                                            message_id=999),
        Meaning.BLOCKED: lambda: bot.send_message(stranger.user_id, "hello"),
        Meaning.REFUSED: lambda: bot.send_message(anna.user_id, "<b>open", parse_mode="HTML"),
    }
    for meaning, call in cases.items():
        answer = meaning_of(await refusal(call))
        assert answer.meaning is meaning and answer.permanent, (meaning, answer)
    assert meaning_of(await refusal(lambda: bot.send_message(424242, "?"))).meaning is (
        Meaning.BLOCKED)  # "chat not found": nobody there to write to

    await bot.send_message(anna.user_id, "q", reply_markup=one_button())
    tap = asyncio.create_task(anna.tap("3"))
    [*_, update] = await bot.get_updates(timeout=2)
    assert update.callback_query is not None
    await update.callback_query.answer()
    await tap
    answered_twice = meaning_of(await refusal(update.callback_query.answer))
    assert answered_twice.meaning is Meaning.REFUSED and answered_twice.permanent

    api.flood(retry_after=3, method="sendMessage")
    flood = meaning_of(await refusal(lambda: bot.send_message(anna.user_id, "hi")))
    assert (flood.meaning, flood.wait, flood.permanent) == (Meaning.SLOW_DOWN, 3, False)
    api.server_error(method="sendMessage")
    trouble = meaning_of(await refusal(lambda: bot.send_message(anna.user_id, "hi")))
    assert (trouble.meaning, trouble.permanent) == (Meaning.TROUBLE, False)


async def test_a_permanent_refusal_is_raised_at_once_and_trouble_is_tried_again(
    api: BotApiEmulator, bot: Bot, anna: SimulatedPerson
) -> None:
    sent = await bot.send_message(anna.user_id, "question")
    started = time.monotonic()
    with pytest.raises(TelegramError, match="not modified"):
        await retrying(lambda: sent.edit_text("question"))
    assert time.monotonic() - started < 0.5
    assert len(api.calls_to("editMessageText")) == 1

    api.server_error(times=2, method="sendMessage")
    await retrying(lambda: bot.send_message(anna.user_id, "after two 502s"))
    assert anna.last_message.text == "after two 502s"
    assert len(api.calls_to("sendMessage")) == 4  # the first, two failures, and the one that passed
