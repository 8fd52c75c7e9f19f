"""The commands that mean something else in a group: `/language`, `/help`, and every private one.

A group hears the bot in the group's language, which only a manager of the linked team switches
(`/language`, buttons in the group). `/help` explains the group commands. Any other command in a
group (`/report`, `/survey`, `/mydata`, …) answers with one line "that works in a private chat
with me" and a link to the bot: figures and personal data are never shown in a group, whoever asks.
"""

from __future__ import annotations

from telegram import Message, MessageEntity, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.services import groups
from bot.services.permissions import PermissionsError
from bot.telegram import replies
from bot.telegram.runtime import BotContext
from conversations import callbacks, screens
from conversations.group.group_chat import (
    GROUP_COMMANDS,
    IN_GROUPS,
    chat_of,
    edit_in_group,
    language_in_group,
    politely_in_group,
    say_in_group,
    send_to_group,
)
from conversations.handlers import Handler

GROUP_LANGUAGE: callbacks.Verbs[callbacks.GroupLanguage] = callbacks.Verbs.of(
    callbacks.GroupLanguage)


async def on_language(update: Update, context: BotContext) -> None:
    user = update.effective_user
    assert user is not None
    async with context.runtime.repository() as repo:
        group = await groups.check_can_steer(repo, user.id, chat_of(update).chat_id)
    texts = context.runtime.texts
    b = texts.buttons(group.language)
    await send_to_group(context, group.chat_id, screens.Screen(
        texts.render(group.language, "group_language", team=group.team_name, chosen=None),
        screens.keyboard([[(b.dutch, callbacks.GroupLanguage("nl")),
                           (b.english, callbacks.GroupLanguage("en"))]])))


async def on_language_button(update: Update, context: BotContext) -> None:
    """A tap on a language in the group: switched, if the tapper manages the linked team."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    data = GROUP_LANGUAGE.read(query.data)
    texts = context.runtime.texts
    language = await language_in_group(update, context)
    if data is None:
        await replies.acknowledge(query, texts.render(language, "group_refusal",
                                                      reason="invalid"))
        return
    try:
        async with context.runtime.repository() as repo:
            group = await groups.set_group_language(repo, user.id, chat_of(update).chat_id,
                                                    data.language)
    except PermissionsError:
        await replies.acknowledge(query, texts.render(language, "group_refusal",
                                                      reason="not_manager"))
        return
    if query.message is not None:
        await edit_in_group(context, group.chat_id, query.message.message_id, screens.Screen(
            texts.render(group.language, "group_language", team=group.team_name,
                         chosen=group.language)))
    await replies.acknowledge(query)


async def on_help(update: Update, context: BotContext) -> None:
    async with context.runtime.repository() as repo:
        group = await groups.linked_team(repo, chat_of(update).chat_id)
    await say_in_group(update, context, "group_help",
                       team=group.team_name if group is not None else None)


async def on_private_only(update: Update, context: BotContext) -> None:
    await say_in_group(update, context, "group_private_only")


class _PrivateOnlyCommand(filters.MessageFilter):
    """A command for this bot (`/x` or `/x@thisbot`) that is not one of `GROUP_COMMANDS`."""

    def filter(self, message: Message) -> bool:
        entity = next(iter(message.entities or ()), None)
        if entity is None or entity.type != MessageEntity.BOT_COMMAND or entity.offset != 0:
            return False
        command = message.parse_entity(entity)[1:]
        name, _, addressee = command.partition("@")
        username = message.get_bot().username or ""
        if addressee and addressee.casefold() != username.casefold():
            return False
        return name.casefold() not in GROUP_COMMANDS


def build_group_command_handlers() -> list[Handler]:
    """Put before every private handler (`/language` and `/help` are theirs in private)."""
    return [
        CommandHandler("language", politely_in_group(on_language), filters=IN_GROUPS),
        CommandHandler("help", on_help, filters=IN_GROUPS),
        CallbackQueryHandler(on_language_button,
                             pattern=GROUP_LANGUAGE.pattern),
        MessageHandler(IN_GROUPS & _PrivateOnlyCommand(), on_private_only),
    ]
