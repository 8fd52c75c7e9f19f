"""Sending, editing and acknowledging, with Telegram's answers handled by what they mean.

"Message is not modified" (a second tap on the same level) is success; a message that no longer
exists is sent anew; a person who blocked the bot is marked, so no notification is tried again
until they come back; a callback query that is too old is not worth an error. The sorting itself
is `bot.telegram.refusals`, shared with the broadcasts of `bot.outbox.delivery`.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.services import outbox
from bot.services.joining import preferred_language
from bot.telegram.keyboards import Screen
from bot.telegram.refusals import Meaning, meaning_of, retrying
from bot.telegram.runtime import BotContext

log = logging.getLogger(__name__)
__all__ = ["acknowledge", "edit", "language_of", "retire", "retrying", "send", "send_text", "show"]


async def acknowledge(query: CallbackQuery, text: str | None = None) -> None:
    """Stop the button's spinner; a late or repeated acknowledgement is not worth an error."""
    try:
        await retrying(lambda: query.answer(text=text[:200] if text else None))
    except TelegramError as error:
        answer = meaning_of(error)
        if not answer.permanent:
            raise
        log.info("callback query could not be answered: %s", answer.reason)


async def _unreachable(context: BotContext, chat_id: int, reason: str) -> None:
    """Telegram will not deliver to this person: remember it, so the outbox leaves them be."""
    log.info("chat %s cannot be written to (%s); marked as blocked", chat_id, reason)
    runtime = context.runtime
    async with runtime.repository() as repo:
        await outbox.set_reachable(repo, chat_id, False, runtime.clock.now())


async def send(context: BotContext, chat_id: int, screen: Screen) -> Message | None:
    """Send `screen`; None when the person blocked the bot (they are marked as such)."""
    try:
        return await retrying(lambda: context.bot.send_message(
            chat_id, screen.text, parse_mode=ParseMode.HTML, reply_markup=screen.keyboard
        ))
    except TelegramError as error:
        answer = meaning_of(error)
        if answer.meaning is not Meaning.BLOCKED:
            raise
        await _unreachable(context, chat_id, answer.reason)
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
    except TelegramError as error:
        answer = meaning_of(error)
        if answer.meaning is Meaning.NOT_MODIFIED:
            return message_id
        if answer.meaning is Meaning.BLOCKED:
            await _unreachable(context, chat_id, answer.reason)
            return None
        if answer.meaning is not Meaning.MESSAGE_GONE:
            raise
    message = await send(context, chat_id, screen)
    return message.message_id if message else None


async def retire(context: BotContext, chat_id: int, message_id: int, text: str) -> None:
    """Turn an old survey message into a note without buttons, so it cannot be tapped again."""
    try:
        await retrying(lambda: context.bot.edit_message_text(
            text, chat_id=chat_id, message_id=message_id, parse_mode=ParseMode.HTML,
            reply_markup=InlineKeyboardMarkup([]),
        ))
    except TelegramError as error:
        answer = meaning_of(error)
        if not answer.permanent:
            raise
        log.info("old survey message not retired: %s", answer.reason)


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
