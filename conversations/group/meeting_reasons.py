"""The reason of an agreed level from any manager of the team, not only the one who tapped it:
a reply to the meeting's message, or `/reason <text>` in the group (issue #28).

The chair often taps the level while a colleague words the reason; before, only the tapper's
reply was read (through her typed position, `conversations.typed`) and anyone else's was
silently dropped. With privacy mode on the bot sees only commands and replies to its own
messages, so a reason typed without replying reaches it only as `/reason`. A reply to the
meeting's message the bot cannot place (nothing agreed on screen, or not a manager) gets one
short line saying how, which the group's refusal collapsing keeps to one line a person a minute.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.services import meeting as service
from bot.services.meeting import MeetingRefused
from bot.services.permissions import PermissionsError
from bot.telegram.runtime import BotContext
from conversations.group.group_chat import say_in_group
from conversations.group.meeting import refresh
from conversations.handlers import Handler


async def on_reason_command(update: Update, context: BotContext) -> None:
    """`/reason <text>` in the group: the reason without replying (any manager of the team)."""
    await _reason_here(update, context, " ".join(context.args or []))


async def on_meeting_reply(update: Update, context: BotContext) -> None:
    """A reply to the meeting's message that no typed position of the replier awaits: a
    co-manager giving the reason, or someone who needs one line on how; a reply to another of
    the bot's messages is people talking, and the bot stays quiet."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    replied = message.reply_to_message
    async with context.runtime.repository() as repo:
        shown_in = await service.meeting_message(repo, chat.id)
    if replied is None or shown_in is None or replied.message_id != shown_in:
        return
    await _reason_here(update, context, message.text or "")


async def _reason_here(update: Update, context: BotContext, text: str) -> None:
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    runtime = context.runtime
    try:
        async with runtime.repository() as repo:
            meeting_id = await service.give_reason_here(repo, user.id, chat.id, text,
                                                        runtime.clock.now())
    except (PermissionsError, MeetingRefused):
        await say_in_group(update, context, "meeting_note", kind="reason_how")
        return
    await refresh(context, meeting_id)


def build_reason_handlers() -> list[Handler]:
    return [CommandHandler("reason", on_reason_command, filters=filters.ChatType.GROUPS)]
