"""Typed text, routed to the flow that asked for it: the one text-message dispatcher.

A button says what it is for; a typed message does not. The step that asks for text (a bare
`/newteam`, `/survey`'s deadline screen, "add a remark") stores a `bot.services.positions` position
before it asks; here the next text is read against that position, whichever worker receives it and
however often the bot restarted in between. Without a position, text gets the fallback's hint.
`/skip` (a remark, an example) and `/cancel` (anything typed) leave a position.
"""

from __future__ import annotations

from typing import assert_never

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.services import positions
from bot.services.positions import (
    ActionNote,
    AtWelcome,
    ChapterRemark,
    MeetingAction,
    MeetingReason,
    OrganisationName,
    OrganisationNextDate,
    OrganisationTeamName,
    Position,
    SurveyDeadline,
    TeamName,
    TopicExample,
)
from bot.telegram import replies
from bot.telegram.runtime import BotContext
from conversations import managing
from conversations.group import meeting, meeting_reasons
from conversations.handlers import Handler
from conversations.manager import actions, cycles, teams
from conversations.organisation import org_setup, organisations
from conversations.participant import joining, survey
from conversations.participant.fallbacks import on_unexpected_message


async def _expected(update: Update, context: BotContext) -> Position | None:
    assert update.effective_user is not None
    async with context.runtime.repository() as repo:
        return await positions.expected(repo, update.effective_user.id)


async def on_text(update: Update, context: BotContext) -> None:
    """Text that is not a command: the reply the bot waits for, or a hint."""
    position = await _expected(update, context)
    match position:
        case None:
            await on_unexpected_message(update, context)
        case TeamName():
            await teams.on_team_name(update, context, position)
        case SurveyDeadline():
            await cycles.on_typed_deadline(update, context, position)
        case ChapterRemark():
            await survey.on_remark_text(update, context, position)
        case TopicExample():
            await survey.on_example_text(update, context, position)
        case AtWelcome():
            await joining.on_text_at_welcome(update, context)
        case OrganisationName():
            await organisations.on_organisation_name(update, context, position)
        case OrganisationTeamName():
            await org_setup.on_team_name(update, context, position)
        case OrganisationNextDate():
            await org_setup.on_next_date(update, context, position)
        case ActionNote():
            await managing.politely(actions.on_note_text)(update, context, position)
        case MeetingReason() | MeetingAction():  # asked in a group: not read in private
            await on_unexpected_message(update, context)
        case _:
            assert_never(position)


async def on_group_text(update: Update, context: BotContext) -> None:
    """A reply to one of the bot's messages in a group (all that privacy mode lets through):
    the chair's reason or action in the meeting, read by the position for this person in this
    chat; without one, a reply to the meeting's message (a co-manager's reason, see
    `meeting_reasons.on_meeting_reply`); any other reply is people talking to each other, and
    the bot stays quiet."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    async with context.runtime.repository() as repo:
        position = await positions.expected(repo, user.id, chat_id=chat.id)
    if isinstance(position, MeetingReason):
        await meeting.on_reason(update, context, position)
    elif isinstance(position, MeetingAction):
        await meeting.on_action_text(update, context, position)
    else:
        await meeting_reasons.on_meeting_reply(update, context)


async def on_skip(update: Update, context: BotContext) -> None:
    position = await _expected(update, context)
    if isinstance(position, ChapterRemark | TopicExample):
        await survey.on_skip_remark(update, context, position)
    elif isinstance(position, ActionNote):
        await _skip_note(update, context)
    else:
        await on_unexpected_message(update, context)


async def _skip_note(update: Update, context: BotContext) -> None:
    """/skip after stuck or drop: the change stays, without a note."""
    assert update.effective_user is not None
    async with context.runtime.repository() as repo:
        await positions.clear(repo, update.effective_user.id)
    language = await replies.language_of(update, context)
    await replies.send_text(context, update.effective_user.id,
                            context.runtime.texts.render(language, "action_note_saved"))


async def on_cancel(update: Update, context: BotContext) -> None:
    """Stop waiting for typed text; nothing was changed by the step that asked for it."""
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        position = await positions.expected(repo, user.id)
        if position is not None:
            await positions.clear(repo, user.id)
    if position is None:
        await on_unexpected_message(update, context)
        return
    language = await replies.language_of(update, context)
    await replies.send_text(context, user.id, runtime.texts.render(language, "cancelled_flow"))


def typed_handlers() -> list[Handler]:
    """Before the fallbacks: they answer whatever these leave."""
    return [
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, on_text),
        MessageHandler(filters.ChatType.GROUPS & filters.TEXT & filters.REPLY & ~filters.COMMAND,
                       on_group_text),
        CommandHandler("skip", on_skip),
        CommandHandler("cancel", on_cancel),
    ]
