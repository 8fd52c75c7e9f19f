"""From report to work: `/targets` per chapter, and `/actions` made from the report's priorities.

A priority's button on the report creates an action for that element; `/actions` lists the open
ones and marks them done; the next report shows each action's element before and after.
"""

from __future__ import annotations

from telegram import Update

from bot.services import improvement, teams
from bot.services.records import TeamInfo
from bot.telegram import replies
from bot.telegram.runtime import BotContext
from conversations import callbacks, managing, screens
from conversations.handlers import Handler
from domain.catalog import LEVELS, load_model


async def _targets(
    update: Update, context: BotContext, data: callbacks.Targets | callbacks.SetTarget,
    language: str,
) -> None:
    """`tg:<team>` lists the chapters' targets; `tt:<team>:<chapter>:<level>` sets one first."""
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    actor = managing.actor(context)
    async with runtime.repository() as repo:
        if isinstance(data, callbacks.SetTarget):
            team = TeamInfo.of(await improvement.set_target(
                repo, user.id, data.team_id, data.chapter_id, data.level))
        else:
            team = await teams.managed_team(repo, actor, data.team_id)
        chosen = await improvement.targets(repo, actor, team.id)
    model = load_model(team.model_id)
    chapters = [(c, improvement.target_of(chosen, c.id)) for c in model.chapters]
    rows = [[(f"{c.id} {c.title(language)}: {level}", callbacks.TargetChapter(team.id, c.id))]
            for c, level in chapters]
    await replies.show(update, context, screens.Screen(runtime.texts.render(
        language, "targets", team=team.name, chapters=chapters), screens.keyboard(rows)))


async def _chapter(
    update: Update, context: BotContext, data: callbacks.TargetChapter, language: str
) -> None:
    user = update.effective_user
    assert user is not None
    async with context.runtime.repository() as repo:
        team = await teams.managed_team(repo, managing.actor(context), data.team_id)
    model = load_model(team.model_id)
    chapter = next((c for c in model.chapters if c.id == data.chapter_id), None)
    if chapter is None:
        return
    rows = [[(str(level), callbacks.SetTarget(team.id, chapter.id, level))
             for level in LEVELS]]
    await replies.show(update, context, screens.Screen(context.runtime.texts.render(
        language, "target_ask", chapter=chapter, level_names=model.level_names),
        screens.keyboard(rows)))


async def _new_action(
    update: Update, context: BotContext, data: callbacks.NewAction, language: str
) -> None:
    """`an:<cycle>:<element>`: the priority's button on a report."""
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        action = await improvement.action_from_priority(
            repo, managing.actor(context), data.cycle_id, data.element_id, language,
            user.full_name, runtime.clock.now())
    if action is None:  # a forged cycle or topic ends here
        return
    await replies.send(context, user.id, screens.Screen(runtime.texts.render(
        language, "action_added", action=action)))


def build_improvement_handlers() -> list[Handler]:
    return [
        managing.command("targets", callbacks.Targets, _targets),
        managing.buttons(managing.on(callbacks.Targets, _targets),
                         managing.on(callbacks.TargetChapter, _chapter),
                         managing.on(callbacks.SetTarget, _targets),
                         managing.on(callbacks.NewAction, _new_action)),
    ]
