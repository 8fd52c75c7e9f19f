"""From report to work: `/targets` per chapter, and `/actions` made from the report's priorities.

A priority's button on the report creates an action for that element; `/actions` lists the open
ones and marks them done; the next report shows each action's element before and after.
"""

from __future__ import annotations

from telegram import Update

from bot.services import improvement, permissions
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
    async with runtime.repository() as repo:
        if isinstance(data, callbacks.SetTarget):
            team = await improvement.set_target(repo, user.id, data.team_id, data.chapter_id,
                                                data.level)
        else:
            team = await permissions.check_can_manage(repo, user.id, data.team_id)
        chosen = await improvement.targets(repo, team.id)
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
        team = await permissions.check_can_manage(repo, user.id, data.team_id)
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
        cycle = await repo.cycle(data.cycle_id)
        element = load_model(cycle.model_id).elements.get(data.element_id) if cycle else None
        if cycle is None or element is None:  # a forged cycle id ends here
            return
        await permissions.check_can_manage_cycle(repo, user.id, cycle.id)  # before any read
        what = await improvement.default_what(repo, cycle, element, language)
        action = await improvement.add_action(
            repo, user.id, data.cycle_id, element.id, what, user.full_name, runtime.clock.now())
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
