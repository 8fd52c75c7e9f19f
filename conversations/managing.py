"""What every manager flow shares: who may act on which team, and asking "which team?"."""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update

from bot.db.models import Team
from bot.runtime import BotContext
from bot.services import teams
from conversations import callbacks, replies, screens


async def language_of(update: Update, context: BotContext) -> str:
    user = update.effective_user
    assert user is not None
    async with context.runtime.repository() as repo:
        person = await repo.person(user.id)
    return person.language if person else context.runtime.texts.language(user.language_code)


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


async def show(update: Update, context: BotContext, screen: screens.Screen) -> None:
    """Edit the message whose button was tapped, or send a new one after a command."""
    user = update.effective_user
    assert user is not None
    query = update.callback_query
    if query is not None and query.message is not None:
        await replies.edit(context, user.id, query.message.message_id, screen)
    else:
        await replies.send(context, user.id, screen)
