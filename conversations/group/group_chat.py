"""What every flow in a group chat shares: its language, sending there, and refusing politely.

In a group the bot speaks the group's language (the linked team's `GroupLink.language`; in a group
that is not linked, the acting person's), never a person's private one. A group is not a person:
Telegram refusing a message there (403, the bot was removed) ends the link's presence
(`groups.bot_left`) instead of marking anyone blocked, and is never retried. Everyone in the
group reads what is sent here: no personal data, and figures only as the meeting's disclosure
rule allows.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import LinkPreviewOptions, Message, ReplyParameters, Update
from telegram.constants import ParseMode
from telegram.error import ChatMigrated, TelegramError
from telegram.ext import filters

from bot.services import groups
from bot.services.joining import preferred_language
from bot.services.permissions import PermissionsError
from bot.telegram.flood import Lane, SendBudget
from bot.telegram.group_flood import GroupChatter, GroupCrowded
from bot.telegram.refusals import Meaning, meaning_of, retrying
from bot.telegram.runtime import BotContext
from conversations.screens import Screen

log = logging.getLogger(__name__)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)  # the bot's t.me link needs no card

IN_GROUPS = filters.ChatType.GROUPS
"""Groups and supergroups: the filter of every group handler."""

GROUP_COMMANDS: set[str] = {"meeting", "link", "unlink", "language", "help", "start", "reason"}
"""The commands that work in a group; any other command there gets the one line "that works in
a private chat with me" (`conversations.group.group_commands`). A group flow that adds a command
adds
it here."""


def chat_of(update: Update) -> groups.GroupChat:
    chat = update.effective_chat
    assert chat is not None
    return groups.GroupChat(chat.id, chat.title or "")


async def language_in_group(update: Update, context: BotContext) -> str:
    """The group's language; in a group that is not linked, the acting person's."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        language = await groups.group_language(repo, chat.id)
        if language is None and user is not None:
            language = await repo.language(user.id)
    if language is not None:
        return language
    code = user.language_code if user is not None else None
    return preferred_language(code, runtime.settings.default_language)


async def _gone(context: BotContext, chat_id: int, error: TelegramError) -> None:
    """Telegram will not deliver here: the bot was removed (its link is left), or the group
    became a supergroup (its link moves to the new id, in case that news has not come yet)."""
    runtime = context.runtime
    async with runtime.repository() as repo:
        if isinstance(error, ChatMigrated):
            log.info("group %s is now %s; its link follows", chat_id, error.new_chat_id)
            await groups.group_migrated(repo, chat_id, int(error.new_chat_id))
        else:
            log.info("group %s cannot be written to (%s); its link is left", chat_id,
                     error.message)
            await groups.bot_left(repo, chat_id, runtime.clock.now())


async def send_to_group(context: BotContext, chat_id: int, screen: Screen,
                        reply_to: int | None = None, lane: Lane | None = None) -> Message | None:
    """Send `screen` to the group; None when Telegram says the bot is no longer there. With
    `Lane.GROUP_CHATTER` the send budget may refuse it (`GroupCrowded`) to keep the group's
    minute for the meeting."""
    try:
        return await retrying(lambda: context.bot.send_message(
            chat_id, screen.text, parse_mode=ParseMode.HTML, reply_markup=screen.keyboard,
            reply_parameters=(ReplyParameters(reply_to, allow_sending_without_reply=True)
                              if reply_to is not None else None),
            link_preview_options=NO_PREVIEW, rate_limit_args=lane))
    except TelegramError as error:
        answer = meaning_of(error)
        if answer.meaning is not Meaning.BLOCKED:
            raise
        await _gone(context, chat_id, error)
        return None


async def edit_in_group(context: BotContext, chat_id: int, message_id: int,
                        screen: Screen) -> int | None:
    """Show `screen` in the bot's group message (a new message if that one is gone); the id of
    the message that shows it, or None when the bot is no longer in the group."""
    try:
        await retrying(lambda: context.bot.edit_message_text(
            screen.text, chat_id=chat_id, message_id=message_id, parse_mode=ParseMode.HTML,
            reply_markup=screen.keyboard, link_preview_options=NO_PREVIEW))
        return message_id
    except TelegramError as error:
        answer = meaning_of(error)
        if answer.meaning is Meaning.NOT_MODIFIED:
            return message_id
        if answer.meaning is Meaning.BLOCKED:
            await _gone(context, chat_id, error)
            return None
        if answer.meaning is not Meaning.MESSAGE_GONE:
            raise
    message = await send_to_group(context, chat_id, screen)
    return message.message_id if message else None


REFUSALS = frozenset({"group_refusal", "group_private_only", "meeting_note"})
"""Templates that `say_in_group` uses to say no (or how): one such line per person a minute."""


def _chatter(context: BotContext) -> GroupChatter | None:
    budget = context.bot.rate_limiter
    return budget.chatter if isinstance(budget, SendBudget) else None


async def say_in_group(update: Update, context: BotContext, template: str,
                       language: str | None = None, **values: object) -> Message | None:
    """One line from `template` in the update's group, in the group's language, as a reply to
    the message that asked (so the asker sees it is meant for them).

    Such lines collapse, so that people trying the group's menu never crowd out the meeting
    (Telegram allows 20 new messages a minute in a group, edits are free): a refusal to someone
    refused here within the last minute edits that line, an answer of the same kind within
    seconds edits the last one, and when the group's minute is busy the line is not sent."""
    chat, message, user = update.effective_chat, update.effective_message, update.effective_user
    assert chat is not None
    language = language or await language_in_group(update, context)
    runtime = context.runtime
    text = runtime.texts.render(language, template, bot_username=runtime.bot_username, **values)
    chatter = _chatter(context)
    refusal = template in REFUSALS and user is not None
    if chatter is not None:
        earlier = (chatter.refusal_for(chat.id, user.id) if refusal and user is not None
                   else chatter.answer_for(chat.id, template))
        if earlier is not None:  # the same words need no edit ("not modified")
            if earlier.text != text:
                await edit_in_group(context, chat.id, earlier.message_id, Screen(text))
                earlier.text = text
            return None
    reply_to = message.message_id if message is not None and update.callback_query is None \
        else None
    try:
        sent = await send_to_group(context, chat.id, Screen(text), reply_to,
                                   Lane.GROUP_CHATTER)
    except GroupCrowded:
        log.info("group %s is busy this minute: %s not sent", chat.id, template)
        return None
    if sent is not None and chatter is not None:
        if refusal and user is not None:
            chatter.refused(chat.id, user.id, sent.message_id, text)
        else:
            chatter.answered(chat.id, template, sent.message_id, text)
    return sent


async def answer_in_group(update: Update, context: BotContext, template: str,
                          language: str | None = None, **values: object) -> None:
    """After a tap: the tapped message becomes the answer (its buttons gone, so it cannot be
    tapped again); after a command: a reply to it (`say_in_group`)."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or query.message is None or chat is None:
        await say_in_group(update, context, template, language, **values)
        return
    language = language or await language_in_group(update, context)
    runtime = context.runtime
    text = runtime.texts.render(language, template, bot_username=runtime.bot_username, **values)
    await edit_in_group(context, chat.id, query.message.message_id, Screen(text))


def politely_in_group(
    handle: Callable[[Update, BotContext], Awaitable[None]],
) -> Callable[[Update, BotContext], Coroutine[Any, Any, None]]:
    """A group command whose service may refuse: the refusal becomes one polite line in the
    group (in its language), and nothing changes."""

    async def handle_politely(update: Update, context: BotContext) -> None:
        try:
            await handle(update, context)
        except PermissionsError:
            await say_in_group(update, context, "group_refusal", reason="not_manager")

    return handle_politely
