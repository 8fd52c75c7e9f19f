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
    user = update.effective_user
    assert user is not None
    async with context.runtime.repository() as repo:
        team, lines = await members.member_lines(repo, user.id, data.target,
                                                 context.runtime.clock.now())
    texts = context.runtime.texts
    rows = [[(line.name, callbacks.manage(PERSON, line.membership_id))]
            for line in lines[:MOST_BUTTONS]]
    await replies.show(update, context, screens.Screen(texts.render(
        language, "members", team=team.name, members=lines,
        group_label=texts.buttons(language).group), screens.keyboard(rows)))


async def _act(update: Update, context: BotContext, data: Callback, language: str) -> None:
    """Show one person (`mp`); make or unmake a manager (`mm`, "on"/"off"), or remove (`mr`)."""
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    refusal: members.MemberRefusal | None = None
    async with runtime.repository() as repo:
        if data.verb == MANAGER:
            refusal = await members.set_manager(repo, user.id, data.target, data.value == "on")
        elif data.verb == REMOVE:
            refusal = await members.remove(repo, user.id, data.target)
        line = await members.member_line(repo, user.id, data.target, runtime.clock.now())
    if line is None:
        return
    texts = runtime.texts
    b = texts.buttons(language)
    rows = [[(b.back_to_list, callbacks.manage(LIST, line.team_id))]]
    if line.active and line.user_id != user.id:
        label, value = (b.unmake_manager, "off") if line.is_manager else (b.make_manager, "on")
        rows.insert(0, [(label, callbacks.manage(MANAGER, data.target, value))])
        rows.insert(1, [(b.remove_member, callbacks.manage(REMOVE, data.target))])
    await replies.show(update, context, screens.Screen(texts.render(
        language, "member", member=line, refusal=refusal, group_label=b.group),
        screens.keyboard(rows)))
    if data.verb == MANAGER and data.value == "on" and refusal is None:
        await _tell_new_manager(context, line)


async def _tell_new_manager(context: BotContext, line: members.MemberLine) -> None:
    """The new co-manager hears it from the bot, with what they can do now, in their language."""
    await replies.send_text(context, line.user_id, context.runtime.texts.render(
        line.language, "made_manager", team=line.team_name))


def build_member_handlers() -> list[Handler]:
    return [
        managing.command("members", LIST, _list),
        managing.buttons({LIST: _list, PERSON: _act, MANAGER: _act, REMOVE: _act}),
    ]
