"""From report to work: `/targets` per chapter, and `/actions` made from the report's priorities.

A priority's button on the report creates an action for that element; `/actions` lists the open
ones and marks them done; the next report shows each action's element before and after.
"""

from __future__ import annotations

from telegram import Update

from bot.runtime import BotContext
from bot.services import improvement, permissions
from conversations import callbacks, managing, replies, screens
from conversations.callbacks import Callback
from conversations.handlers import Handler
from domain.catalog import LEVELS, load_model

TARGETS, CHAPTER, SET_TARGET = "tg", "tc", "tt"
ACTIONS, NEW_ACTION, DONE = "ac", "an", "ad"


async def _targets(update: Update, context: BotContext, data: Callback, language: str) -> None:
    """`tg:<team>` lists the chapters' targets; `tt:<team>:<chapter>:<level>` sets one first."""
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        if data.verb == SET_TARGET and 1 <= data.days <= 5:
            team = await improvement.set_target(repo, user.id, data.target, data.value, data.days)
        else:
            team = await permissions.check_can_manage(repo, user.id, data.target)
        chosen = await improvement.targets(repo, team.id)
    model = load_model(team.model_id)
    chapters = [(c, improvement.target_of(chosen, c.id)) for c in model.chapters]
    rows = [[(f"{c.id} {c.title(language)}: {level}", callbacks.manage(CHAPTER, team.id, c.id))]
            for c, level in chapters]
    await replies.show(update, context, screens.Screen(runtime.texts.render(
        language, "targets", team=team.name, chapters=chapters), screens.keyboard(rows)))


async def _chapter(update: Update, context: BotContext, data: Callback, language: str) -> None:
    user = update.effective_user
    assert user is not None
    async with context.runtime.repository() as repo:
        team = await permissions.check_can_manage(repo, user.id, data.target)
    model = load_model(team.model_id)
    chapter = next((c for c in model.chapters if c.id == data.value), None)
    if chapter is None:
        return
    rows = [[(str(level), callbacks.manage(SET_TARGET, team.id, chapter.id, level))
             for level in LEVELS]]
    await replies.show(update, context, screens.Screen(context.runtime.texts.render(
        language, "target_ask", chapter=chapter, level_names=model.level_names),
        screens.keyboard(rows)))


async def _new_action(update: Update, context: BotContext, data: Callback, language: str) -> None:
    """`an:<cycle>:<element>`: the priority's button on a report."""
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        cycle = await repo.cycle(data.target)
        element = load_model(cycle.model_id).elements.get(data.value) if cycle else None
        if element is None:  # a forged cycle id ends here; `add_action` checks the rights
            return
        action = await improvement.add_action(
            repo, user.id, data.target, element.id, element.title(language),
            user.full_name, runtime.clock.now())
    await replies.send(context, user.id, screens.Screen(runtime.texts.render(
        language, "action_added", action=action)))


async def _actions(update: Update, context: BotContext, data: Callback, language: str) -> None:
    """`ac:<team>` lists the open actions; `ad:<action>` marks one done, then lists again."""
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        if data.verb == DONE:
            action = await improvement.finish(repo, user.id, data.target, runtime.clock.now())
            team = await repo.team(action.team_id)  # loaded by the service's check
            assert team is not None
        else:
            team = await permissions.check_can_manage(repo, user.id, data.target)
        open_actions = await improvement.actions(repo, team.id, open_only=True)
    b = runtime.texts.buttons(language)
    rows = [[(f"{b.mark_done} {a.element_id}", callbacks.manage(DONE, a.id))]
            for a in open_actions]
    await replies.show(update, context, screens.Screen(runtime.texts.render(
        language, "actions", team=team.name, actions=open_actions), screens.keyboard(rows)))


def build_improvement_handlers() -> list[Handler]:
    return [
        managing.command("targets", TARGETS, _targets),
        managing.command("actions", ACTIONS, _actions),
        managing.buttons({TARGETS: _targets, CHAPTER: _chapter, SET_TARGET: _targets,
                          ACTIONS: _actions, NEW_ACTION: _new_action, DONE: _actions}),
    ]
