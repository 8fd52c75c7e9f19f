"""Linking the team's Telegram group: the deep link from /settings, `/link` and `/unlink` in the
group, the bot being added, removed or promoted there (`my_chat_member`), and the group
becoming a supergroup (a new chat id the link follows).

Every check is the service's (`bot.services.groups`): this module reads who acts in which group,
calls it, and answers in the group's language with one line. The chat always comes from the
update, never from a button, so a tap can only act on the group it was made in.
"""

from __future__ import annotations

import logging

from telegram import ChatMember, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.services import groups, teams
from bot.services import meeting as meeting_service
from bot.services.permissions import PermissionsError
from bot.telegram import replies
from bot.telegram.runtime import BotContext
from conversations import callbacks, managing, screens
from conversations.group import meeting
from conversations.group.group_chat import (
    IN_GROUPS,
    answer_in_group,
    chat_of,
    language_in_group,
    politely_in_group,
    say_in_group,
    send_to_group,
)
from conversations.handlers import Handler

LINK_TEAM: callbacks.Verbs[callbacks.LinkTeam] = callbacks.Verbs.of(callbacks.LinkTeam)

log = logging.getLogger(__name__)
IN = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER, ChatMember.RESTRICTED)


async def _bot_is_admin(context: BotContext, chat_id: int) -> bool:
    """Asked of Telegram when linking: the bot may have been promoted before the group was
    linked, when there was no link to note it on."""
    try:
        member = await context.bot.get_chat_member(chat_id, context.bot.id)
    except TelegramError as error:
        log.info("could not ask for the bot's status in %s: %s", chat_id, error)
        return False
    return member.status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


async def _link(update: Update, context: BotContext, team_id: int | None = None,
                token: str | None = None) -> None:
    """Link the update's group to `team_id` (or the token's team) and say so, or why not."""
    user = update.effective_user
    assert user is not None
    chat = chat_of(update)
    language = await language_in_group(update, context)
    admin = await _bot_is_admin(context, chat.chat_id)
    runtime = context.runtime
    try:
        async with runtime.repository() as repo:
            if token is not None:
                outcome = await groups.link_with_token(repo, user.id, chat, token, language,
                                                       admin, runtime.clock.now())
            else:
                assert team_id is not None
                outcome = await groups.link_group(repo, user.id, team_id, chat, language,
                                                  admin, runtime.clock.now())
    except groups.LinkRefused as refused:
        await answer_in_group(update, context, "group_refusal", language,
                              reason=refused.reason.value)
        return
    # through the deep link the bot stayed quiet when it was added (`on_bot_membership`): its
    # first words here say what it does and that the group is linked, to which team
    template = "group_intro" if token is not None and not outcome.again else "group_linked"
    await answer_in_group(update, context, template, outcome.group.language,
                          team=outcome.group.team_name, moved_from=outcome.moved_from,
                          again=outcome.again, just_linked=True)


async def on_link(update: Update, context: BotContext) -> None:
    """`/link` in a group: the one team the person manages, or a button per team to choose."""
    user = update.effective_user
    assert user is not None
    async with context.runtime.repository() as repo:
        managed = await teams.managed_teams(repo, user.id)
    if len(managed) == 1:
        await _link(update, context, team_id=managed[0].id)
        return
    if not managed:
        await say_in_group(update, context, "group_refusal", reason="not_manager")
        return
    language = await language_in_group(update, context)
    texts = context.runtime.texts
    rows = [[(team.name, callbacks.LinkTeam(team.id))] for team in managed]
    chat = chat_of(update)
    await send_to_group(context, chat.chat_id, screens.Screen(
        texts.render(language, "group_choose_team"), screens.keyboard(rows)))


async def on_link_team(update: Update, context: BotContext) -> None:
    """A tap on a team button in the group: link it, if the tapper manages that team."""
    query = update.callback_query
    assert query is not None
    data = LINK_TEAM.read(query.data)
    language = await language_in_group(update, context)
    if data is None:
        await replies.acknowledge(query, context.runtime.texts.render(
            language, "group_refusal", reason="invalid"))
        return
    try:
        await _link(update, context, team_id=data.team_id)
    except PermissionsError:
        await replies.acknowledge(query, context.runtime.texts.render(
            language, "group_refusal", reason="not_manager"))
        return
    await replies.acknowledge(query)


async def on_start_in_group(update: Update, context: BotContext) -> None:
    """`/start@bot <token>`: what Telegram sends after the bot was added via the deep link."""
    token = (context.args or [""])[0]
    if token:
        await _link(update, context, token=token)
    else:
        await say_in_group(update, context, "group_help", team=await _team_name(update, context))


async def on_unlink(update: Update, context: BotContext) -> None:
    user = update.effective_user
    assert user is not None
    language = await language_in_group(update, context)
    async with context.runtime.repository() as repo:
        group = await groups.unlink_group(repo, user.id, chat_of(update).chat_id)
    await say_in_group(update, context, "group_unlinked", language, team=group.team_name)


async def _team_name(update: Update, context: BotContext) -> str | None:
    async with context.runtime.repository() as repo:
        group = await groups.linked_team(repo, chat_of(update).chat_id)
    return group.team_name if group is not None else None


# --- the bot added, removed or promoted ---------------------------------------------------------

class GroupChatMemberHandler(ChatMemberHandler[BotContext, None]):
    """`my_chat_member` about a group only: a person's private chat is
    `conversations.participant.blocking`'s
    (a group's update must never mark the person who acted blocked)."""

    def check_update(self, update: object) -> bool:
        if not super().check_update(update):
            return False
        assert isinstance(update, Update) and update.my_chat_member is not None
        return update.my_chat_member.chat.type != ChatType.PRIVATE


async def on_bot_membership(update: Update, context: BotContext) -> None:
    change = update.my_chat_member
    assert change is not None
    old, new = change.old_chat_member.status, change.new_chat_member.status
    admin = new in (ChatMember.ADMINISTRATOR, ChatMember.OWNER)
    runtime = context.runtime
    chat = groups.GroupChat(change.chat.id, change.chat.title or "")
    if new not in IN:
        async with runtime.repository() as repo:
            await groups.bot_left(repo, chat.chat_id, runtime.clock.now())
        return  # the bot is out: nothing may be sent there
    if old in IN:
        async with runtime.repository() as repo:
            await groups.bot_admin_changed(repo, chat.chat_id, admin)
        return
    async with runtime.repository() as repo:
        group = await groups.bot_joined(repo, change.from_user.id, chat, admin)
        link_follows = group is None and await groups.deep_link_on_the_way(
            repo, change.from_user.id, runtime.clock.now())
    if link_follows:  # Telegram's `/start <token>` comes next: the intro is said with the link
        return
    language = group.language if group is not None else await language_in_group(update, context)
    text = runtime.texts.render(language, "group_intro", bot_username=runtime.bot_username,
                                team=group.team_name if group is not None else None)
    await send_to_group(context, chat.chat_id, screens.Screen(text))


async def on_migrated(update: Update, context: BotContext) -> None:
    """The group became a supergroup: its link moves to the new chat id, and an unfinished
    meeting is shown anew there."""
    message = update.effective_message
    assert message is not None
    if message.migrate_to_chat_id is not None:
        old, new_id = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id is not None:
        old, new_id = message.migrate_from_chat_id, message.chat.id
    else:
        return
    async with context.runtime.repository() as repo:
        moved = await groups.group_migrated(repo, old, new_id)
        if moved is None:  # a refused send moved it before this news came: not shown yet?
            waiting = await meeting_service.unshown(repo, new_id)
            moved = groups.MovedMeeting(waiting, None) if waiting is not None else None
    if moved is not None:  # mid-meeting: the meeting shows in the new chat, where it was
        await meeting.show_in_supergroup(context, old, moved)


async def on_renamed(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None and message.new_chat_title is not None
    async with context.runtime.repository() as repo:
        await groups.group_renamed(repo, message.chat.id, message.new_chat_title)


# --- the deep link, offered in /settings --------------------------------------------------------

async def _offer(update: Update, context: BotContext, data: callbacks.OfferGroupLink,
                 language: str) -> None:
    """A fresh `startgroup` link naming the team, and which group is linked now."""
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        current = await groups.team_group(repo, user.id, data.team_id)
        token = await groups.create_link_token(repo, user.id, data.team_id, runtime.clock.now())
        team = await repo.team(data.team_id)
    assert team is not None
    link = groups.startgroup_link(runtime.bot_username, token)
    texts = runtime.texts
    hours = int(groups.LINK_VALIDITY.total_seconds() // 3600)
    text = texts.render(language, "group_link_offer", team=team.name, link=link, hours=hours,
                        current=current.title if current is not None else None)
    b = texts.buttons(language)
    markup = InlineKeyboardMarkup([
        [InlineKeyboardButton(b.add_to_group, url=link)],
        [InlineKeyboardButton(
            b.back, callback_data=callbacks.TeamSettings(data.team_id).encode())]])
    await replies.send(context, user.id, screens.Screen(text, markup))


def build_group_link_handlers() -> list[Handler]:
    """Put before every private handler: `/start` and `/language` mean other things in a group."""
    return [
        GroupChatMemberHandler(on_bot_membership, ChatMemberHandler.MY_CHAT_MEMBER),
        CommandHandler("start", politely_in_group(on_start_in_group), filters=IN_GROUPS),
        CommandHandler("link", politely_in_group(on_link), filters=IN_GROUPS),
        CommandHandler("unlink", politely_in_group(on_unlink), filters=IN_GROUPS),
        MessageHandler(filters.StatusUpdate.MIGRATE, on_migrated),
        MessageHandler(filters.StatusUpdate.NEW_CHAT_TITLE & IN_GROUPS, on_renamed),
        CallbackQueryHandler(on_link_team, pattern=LINK_TEAM.pattern),
        managing.buttons(managing.on(callbacks.OfferGroupLink, _offer)),
        managing.command("link", callbacks.OfferGroupLink, _offer),  # in private: the link
    ]
