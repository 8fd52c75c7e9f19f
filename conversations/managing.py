"""What every manager flow shares: who may act on which team, and asking "which team?"."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.db.models import Cycle, Team
from bot.runtime import BotContext
from bot.services import teams
from conversations import callbacks, replies, screens
from conversations.callbacks import Action, Callback

ManagerStep = Callable[[Update, BotContext, Callback, str], Awaitable[object]]
"""One step of a manager flow: (update, context, the button or command as a Callback, language).
What it returns is ignored: a step that waits for typed text stores a `bot.services.positions`
position instead."""


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


async def refuse_unless_manager(
    update: Update, context: BotContext, team_id: int, language: str
) -> Team | None:
    """The team, if this person manages it; otherwise a polite refusal and None."""
    user = update.effective_user
    assert user is not None
    async with context.runtime.repository() as repo:
        team = await repo.team(team_id)
        allowed = team is not None and await teams.is_manager(repo, team_id, user.id)
    if allowed:
        return team
    await replies.send_text(context, user.id, context.runtime.texts.render(language, "not_manager"))
    return None


async def managed_cycle(
    update: Update, context: BotContext, cycle_id: int, language: str
) -> tuple[Cycle, Team] | None:
    """A cycle and its team, if the cycle exists and this person manages the team."""
    async with context.runtime.repository() as repo:
        cycle = await repo.cycle(cycle_id)
    if cycle is None:
        return None
    team = await refuse_unless_manager(update, context, cycle.team_id, language)
    return (cycle, team) if team is not None else None


def command(name: str, verb: str, step: ManagerStep) -> CommandHandler[BotContext, None]:
    """`/name`: ask which team when the manager has several, else go straight to `step`."""

    async def handle(update: Update, context: BotContext) -> None:
        language = await replies.language_of(update, context)
        team = await pick_team(update, context, verb, language)
        if team is not None:
            await step(update, context, Callback(Action.MANAGE, verb=verb, target=team.id),
                       language)

    return CommandHandler(name, handle)


def buttons(steps: Mapping[str, ManagerStep]) -> CallbackQueryHandler[BotContext, None]:
    """The manager buttons with these verbs; every tap is acknowledged, after its step."""

    async def handle(update: Update, context: BotContext) -> None:
        query = update.callback_query
        assert query is not None
        data = callbacks.parse(query.data)
        language = await replies.language_of(update, context)
        try:
            if data is not None and data.verb in steps:
                await steps[data.verb](update, context, data, language)
        finally:
            await replies.acknowledge(query)

    return CallbackQueryHandler(handle, pattern=r"^g:(?:" + "|".join(steps) + "):")
