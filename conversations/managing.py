"""What every manager flow shares: asking "which team?", and turning a refusal into one message.

Who may act on which team is decided by the services (`bot.services.permissions`), never here: a
step just calls its service, and a `PermissionsError` becomes the polite `not_manager` line.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler

from bot.db.models import Team
from bot.runtime import BotContext
from bot.services import teams
from bot.services.permissions import Permission, PermissionsError
from conversations import callbacks, replies, screens
from conversations.callbacks import Action, Callback

ManagerStep = Callable[[Update, BotContext, Callback, str], Awaitable[object]]
"""One step of a manager flow: (update, context, the button or command as a Callback, language).
It may return a conversation state (see `conversations.cycles`); otherwise the flow has ended.
The services it calls check the tapper's rights; a refusal reaches the person as one message."""
T = TypeVar("T")


async def managed_teams(update: Update, context: BotContext) -> list[Team]:
    user = update.effective_user
    assert user is not None
    async with context.runtime.repository() as repo:
        return await teams.managed_teams(repo, user.id)


async def pick_team(
    update: Update, context: BotContext, verb: str, language: str,
    eligible: Callable[[Team], bool] = lambda team: True,
) -> Team | None:
    """The one team this manager has, or None after offering a button per team (or saying none)."""
    user = update.effective_user
    assert user is not None
    texts = context.runtime.texts
    candidates = [team for team in await managed_teams(update, context) if eligible(team)]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        await replies.send_text(context, user.id, texts.render(language, "no_teams"))
        return None
    rows = [[(team.name, callbacks.manage(verb, team.id))] for team in candidates]
    await replies.send(context, user.id, screens.Screen(
        texts.render(language, "choose_team"), screens.keyboard(rows)))
    return None


async def refuse(update: Update, context: BotContext, refusal: PermissionsError) -> None:
    """The one polite answer to a refused manager verb (a command, a button, a typed step)."""
    user = update.effective_user
    assert user is not None
    language = await replies.language_of(update, context)
    template = ("not_allowed" if refusal.permission is Permission.CREATE_TEAMS
                else "not_manager")
    await replies.send_text(context, user.id, context.runtime.texts.render(language, template))


def politely(handle: Callable[[Update, BotContext], Awaitable[T]]
             ) -> Callable[[Update, BotContext], Coroutine[Any, Any, T | int]]:
    """A handler whose services may refuse: the refusal becomes `refuse`'s message and the
    conversation ends (ConversationHandler.END)."""

    async def handle_politely(update: Update, context: BotContext) -> T | int:
        try:
            return await handle(update, context)
        except PermissionsError as refusal:
            await refuse(update, context, refusal)
            return ConversationHandler.END

    return handle_politely


def command(name: str, verb: str, step: ManagerStep) -> CommandHandler[BotContext, object]:
    """`/name`: ask which team when the manager has several, else go straight to `step`."""

    async def handle(update: Update, context: BotContext) -> None:
        language = await replies.language_of(update, context)
        team = await pick_team(update, context, verb, language)
        if team is not None:
            await step(update, context, Callback(Action.MANAGE, verb=verb, target=team.id),
                       language)

    return CommandHandler(name, politely(handle))


def buttons(steps: Mapping[str, ManagerStep]) -> CallbackQueryHandler[BotContext, object]:
    """The manager buttons with these verbs; every tap is acknowledged, after its step."""

    async def handle(update: Update, context: BotContext) -> object:
        query = update.callback_query
        assert query is not None
        data = callbacks.parse(query.data)
        language = await replies.language_of(update, context)
        state: object = None
        try:
            if data is not None and data.verb in steps:
                state = await steps[data.verb](update, context, data, language)
        except PermissionsError as refusal:
            await refuse(update, context, refusal)
        finally:
            await replies.acknowledge(query)
        return ConversationHandler.END if state is None else state

    return CallbackQueryHandler(handle, pattern=r"^g:(?:" + "|".join(steps) + "):")
