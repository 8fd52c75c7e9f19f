"""A person blocking or unblocking the bot, as Telegram tells it (`my_chat_member` updates).

Blocking marks the person, so the outbox stops trying them; unblocking clears the mark, so the
next reminder and the report after /close reach them again. (Any other update from the person
clears the mark too, when it is claimed: see `bot.telegram.updates.claim_with_first_write`.)
"""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.ext import ChatMemberHandler

from bot.services import outbox
from bot.telegram.runtime import BotContext
from conversations.handlers import Handler


async def on_my_chat_member(update: Update, context: BotContext) -> None:
    change = update.my_chat_member
    if change is None or change.chat.type != ChatType.PRIVATE:
        return
    runtime = context.runtime
    reachable = change.new_chat_member.status not in (ChatMember.BANNED, ChatMember.LEFT)
    async with runtime.repository() as repo:
        await outbox.set_reachable(repo, change.from_user.id, reachable, runtime.clock.now())


def build_blocking_handlers() -> list[Handler]:
    return [ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)]
