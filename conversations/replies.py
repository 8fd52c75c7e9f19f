"""Sending, editing and acknowledging, with Telegram's harmless refusals absorbed.

"Message is not modified" (a second tap on the same level), a message that no longer exists, or a
callback query that is too old must never turn into an error the person sees.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.runtime import BotContext
from bot.services.joining import preferred_language
from conversations.screens import Screen

log = logging.getLogger(__name__)
T = TypeVar("T")
SERVER_ERROR_RETRIES = (0.2, 0.5, 1.0, 2.0, 4.0)


def seconds_to_wait(flood: RetryAfter) -> float:
    """Telegram's `retry_after`, which PTB gives as seconds now and as a timedelta later."""
    wait = flood.retry_after
    return wait if isinstance(wait, int | float) else wait.total_seconds()


async def retrying(call: Callable[[], Awaitable[T]]) -> T:
    """A reply that Telegram refused for now is tried again; the person's step must not fail.

    A 429 is waited out for exactly this request (PTB's AIORateLimiter would pause *every* request,
    stalling everyone's replies behind one broadcast). A 5xx is retried with a short backoff; a
    timeout is not, because the message may have arrived.
    """
    for pause in SERVER_ERROR_RETRIES:
        try:
            return await call()
        except RetryAfter as flood:
            seconds = seconds_to_wait(flood)
            log.info("Telegram asks to slow down; retrying in %ss", seconds)
            await asyncio.sleep(seconds)
        except TimedOut:
            raise
        except NetworkError as error:
            log.info("Telegram had trouble (%s); retrying in %ss", error.message, pause)
            await asyncio.sleep(pause)
    return await call()


async def acknowledge(query: CallbackQuery, text: str | None = None) -> None:
    """Stop the button's spinner; a late or repeated acknowledgement is not worth an error."""
    try:
        await retrying(lambda: query.answer(text=text[:200] if text else None))
    except BadRequest as error:
        log.info("callback query could not be answered: %s", error.message)


async def send(context: BotContext, chat_id: int, screen: Screen) -> Message | None:
    try:
        return await retrying(lambda: context.bot.send_message(
            chat_id, screen.text, parse_mode=ParseMode.HTML, reply_markup=screen.keyboard
        ))
    except Forbidden:
        log.info("chat %s blocked the bot; nothing sent", chat_id)
        return None


async def send_text(context: BotContext, chat_id: int, text: str) -> Message | None:
    return await send(context, chat_id, Screen(text))


async def edit(
    context: BotContext, chat_id: int, message_id: int, screen: Screen
) -> int | None:
    """Show `screen` in the existing message; if that message is gone, send a new one.

    Returns the id of the message that now shows the screen.
    """
    try:
        await retrying(lambda: context.bot.edit_message_text(
            screen.text,
            chat_id=chat_id,
            message_id=message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=screen.keyboard,
        ))
        return message_id
    except BadRequest as error:
        if "not modified" in error.message:
            return message_id
        if "not found" not in error.message and "can't be edited" not in error.message:
            raise
    message = await send(context, chat_id, screen)
    return message.message_id if message else None


async def retire(context: BotContext, chat_id: int, message_id: int, text: str) -> None:
    """Turn an old survey message into a note without buttons, so it cannot be tapped again."""
    try:
        await context.bot.edit_message_text(
            text, chat_id=chat_id, message_id=message_id, parse_mode=ParseMode.HTML,
            reply_markup=InlineKeyboardMarkup([]),
        )
    except BadRequest as error:
        log.info("old survey message not retired: %s", error.message)


async def show(update: Update, context: BotContext, screen: Screen) -> None:
    """Replace the message whose button was tapped, or send a new one after a command."""
    user = update.effective_user
    assert user is not None
    query = update.callback_query
    if query is not None and query.message is not None:
        await edit(context, user.id, query.message.message_id, screen)
    else:
        await send(context, user.id, screen)


async def language_of(update: Update, context: BotContext) -> str:
    """The language the person chose, or their Telegram app's when we do not know them yet."""
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        language = await repo.language(user.id)
    return language or preferred_language(user.language_code, runtime.settings.default_language)
