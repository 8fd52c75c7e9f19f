"""A manager's view of the team: `/members`, then per person: co-manager or remove.

Managers see who joined and how far each person is (done / busy / not started) — never answers.
"""

from __future__ import annotations

from telegram import Update

from bot.services import members
from bot.telegram import replies
from bot.telegram.runtime import BotContext
from conversations import callbacks, managing, screens
from conversations.handlers import Handler

MOST_BUTTONS = 40


async def _list(
    update: Update, context: BotContext, data: callbacks.Members, language: str
) -> None:
    user = update.effective_user
    assert user is not None
    async with context.runtime.repository() as repo:
        team, lines = await members.member_lines(repo, managing.actor(context), data.team_id,
                                                 context.runtime.clock.now())
    texts = context.runtime.texts
    rows = [[(line.name, callbacks.Member(line.membership_id))]
            for line in lines[:MOST_BUTTONS]]
    await replies.show(update, context, screens.Screen(texts.render(
        language, "members", team=team.name, members=lines,
        group_label=texts.buttons(language).group), screens.keyboard(rows)))


async def _act(
    update: Update, context: BotContext,
    data: callbacks.Member | callbacks.SetManager | callbacks.RemoveMember, language: str,
) -> None:
    """Show one person (`mp`); make or unmake a manager (`mm`, "on"/"off"), or remove (`mr`)."""
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    refusal: members.MemberRefusal | None = None
    now = runtime.clock.now()
    async with runtime.repository() as repo:
        if isinstance(data, callbacks.SetManager):
            line, refusal = await members.set_manager(repo, user.id, data.membership_id,
                                                      data.manager, now)
        elif isinstance(data, callbacks.RemoveMember):
            line, refusal = await members.remove(repo, user.id, data.membership_id, now)
        else:
            line = await members.member_line(repo, managing.actor(context), data.membership_id, now)
    if line is None:
        return
    texts = runtime.texts
    b = texts.buttons(language)
    rows: list[list[tuple[str, callbacks.Button]]] = [
        [(b.back_to_list, callbacks.Members(line.team_id))]]
    if line.active and line.user_id != user.id:
        label = b.unmake_manager if line.is_manager else b.make_manager
        rows.insert(0, [(label, callbacks.SetManager(data.membership_id, not line.is_manager))])
        rows.insert(1, [(b.remove_member, callbacks.RemoveMember(data.membership_id))])
    elif line.active and line.is_manager:  # her own line: step down (refused if she is the last)
        rows.insert(0, [(b.step_down, callbacks.SetManager(data.membership_id, False))])
    await replies.show(update, context, screens.Screen(texts.render(
        language, "member", member=line, refusal=refusal, group_label=b.group),
        screens.keyboard(rows)))
    if isinstance(data, callbacks.SetManager) and data.manager and refusal is None:
        await _tell_new_manager(context, line)


async def _tell_new_manager(context: BotContext, line: members.MemberLine) -> None:
    """The new co-manager hears it from the bot, with what they can do now, in their language."""
    await replies.send_text(context, line.user_id, context.runtime.texts.render(
        line.language, "made_manager", team=line.team_name))


def build_member_handlers() -> list[Handler]:
    return [
        managing.command("members", callbacks.Members, _list),
        managing.buttons(managing.on(callbacks.Members, _list), managing.on(callbacks.Member, _act),
                         managing.on(callbacks.SetManager, _act),
                         managing.on(callbacks.RemoveMember, _act)),
    ]
