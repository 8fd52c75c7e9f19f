"""A manager's view of the team: `/members`, then per person: co-manager or remove.

Managers see who joined and how far each person is (done / busy / not started) — never answers.
"""

from __future__ import annotations

from telegram import Update

from bot.runtime import BotContext
from bot.services import members
from conversations import callbacks, managing, replies, screens
from conversations.callbacks import Callback
from conversations.handlers import Handler

LIST, PERSON, MANAGER, REMOVE = "mb", "mp", "mm", "mr"
MOST_BUTTONS = 40


async def _list(update: Update, context: BotContext, data: Callback, language: str) -> None:
    team = await managing.refuse_unless_manager(update, context, data.target, language)
    if team is None:
        return
    async with context.runtime.repository() as repo:
        lines = await members.member_lines(repo, team.id, context.runtime.clock.now())
    texts = context.runtime.texts
    rows = [[(line.name, callbacks.manage(PERSON, line.membership_id))]
            for line in lines[:MOST_BUTTONS]]
    await replies.show(update, context, screens.Screen(texts.render(
        language, "members", team=team.name, members=lines,
        group_label=texts.buttons(language).group), screens.keyboard(rows)))


async def _person(update: Update, context: BotContext, data: Callback, language: str) -> None:
    await _member_screen(update, context, data.target, language)


async def _act(update: Update, context: BotContext, data: Callback, language: str) -> None:
    """Make or unmake a manager (`mm`, value "on"/"off"), or remove someone (`mr`)."""
    async with context.runtime.repository() as repo:
        target = await members.membership(repo, data.target)
    if target is None or await managing.refuse_unless_manager(
            update, context, target.team_id, language) is None:
        return
    async with context.runtime.repository() as repo:
        if data.verb == MANAGER:
            refusal = await members.set_manager(repo, data.target, data.value == "on")
        else:
            refusal = await members.remove(repo, data.target)
    await _member_screen(update, context, data.target, language, refusal)


async def _member_screen(
    update: Update, context: BotContext, membership_id: int, language: str,
    refusal: members.MemberRefusal | None = None,
) -> None:
    """One person: their role and the buttons to change it (not for yourself)."""
    runtime = context.runtime
    async with runtime.repository() as repo:
        line = await members.member_line(repo, membership_id, runtime.clock.now())
    if line is None or await managing.refuse_unless_manager(
            update, context, line.team_id, language) is None:
        return
    texts = runtime.texts
    b = texts.buttons(language)
    rows = [[(b.back_to_list, callbacks.manage(LIST, line.team_id))]]
    user = update.effective_user
    if line.active and user is not None and line.user_id != user.id:
        label, value = (b.unmake_manager, "off") if line.is_manager else (b.make_manager, "on")
        rows.insert(0, [(label, callbacks.manage(MANAGER, membership_id, value))])
        rows.insert(1, [(b.remove_member, callbacks.manage(REMOVE, membership_id))])
    await replies.show(update, context, screens.Screen(texts.render(
        language, "member", member=line, refusal=refusal, group_label=b.group),
        screens.keyboard(rows)))


def build_member_handlers() -> list[Handler]:
    return [
        managing.command("members", LIST, _list),
        managing.buttons({LIST: _list, PERSON: _person, MANAGER: _act, REMOVE: _act}),
    ]
