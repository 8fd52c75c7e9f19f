"""`/actions`: a team's improvement actions as a board, one action at a time, an owner's taps.

A manager sees the whole board of a team she manages; a member sees the actions she owns or is
asked to own. Every button names the action it acts on and `bot.services.actions` decides whether
the tapper may (a forged button gets the polite refusal and changes nothing). Stuck and drop ask
for one typed line: the service stores the expected reply (`positions.ActionNote`), and
`conversations.typed` brings the next text to `on_note_text`.
"""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import CommandHandler

from bot.outbox.scheduler import nudge
from bot.services import action_overview, actions
from bot.services.actions import ActionView, Status
from bot.services.actor import Actor
from bot.services.positions import ActionNote
from bot.telegram import replies
from bot.telegram.runtime import BotContext
from conversations import callbacks, managing, screens
from conversations.handlers import Handler

DUE_STEP = timedelta(days=30)


def _actor(update: Update, context: BotContext) -> Actor:
    user = update.effective_user
    assert user is not None
    return context.actor if context.actor is not None else Actor(user.id)


async def on_command(update: Update, context: BotContext) -> None:
    """`/actions`: straight to the board when the person has one team with actions, else a
    button per team; someone with no board at all hears that she manages no team (as after any
    manager command)."""
    actor = _actor(update, context)
    language = await replies.language_of(update, context)
    async with context.runtime.repository() as repo:
        team_ids = await actions.teams_with_actions(repo, actor)
        names = {t: team.name for t in team_ids if (team := await repo.team(t)) is not None}
    if not names:
        await replies.send_text(context, actor.id, context.runtime.texts.render(
            language, "no_teams"))
        return
    if len(names) == 1:
        await _board(update, context, callbacks.ActionBoard(next(iter(names))), language)
        return
    rows = [[(name, callbacks.ActionBoard(team_id))] for team_id, name in names.items()]
    await replies.send(context, actor.id, screens.Screen(context.runtime.texts.render(
        language, "choose_team"), screens.keyboard(rows)))


async def _board(
    update: Update, context: BotContext,
    data: callbacks.ActionBoard | callbacks.Actions | callbacks.ActionDone, language: str,
) -> None:
    """The board: open actions grouped by status (stuck first), then what is done or dropped.
    The old "✅ Done" button of earlier lists still marks done, through the same service."""
    actor, runtime = _actor(update, context), context.runtime
    now = runtime.clock.now()
    async with runtime.repository() as repo:
        if isinstance(data, callbacks.ActionDone):
            done = await actions.update_status(repo, actor, data.action_id, Status.DONE, None,
                                               now)
            team_id = done.team_id
        else:
            team_id = data.team_id
        board = await actions.list_actions(repo, actor, team_id, now)
        team = await repo.team(team_id)
    assert team is not None
    w = runtime.texts.words(language, "action_words")
    b = runtime.texts.buttons(language)
    groups = [(w.status[s.value], [a for a in board if a.status is s])
              for s in actions.BOARD_ORDER if s not in actions.CLOSED]
    groups = [(label, views) for label, views in groups if views]
    open_ones = [a for label, views in groups for a in views]
    rows: list[list[tuple[str, callbacks.Button]]] = [
        [(f"🔎 {a.element_id} {a.what}", callbacks.ActionOpen(a.id))]
        + ([(f"{b.mark_done} {a.element_id}", callbacks.ActionDone(a.id))]
           if a.may_manage or a.owner_id == actor.id else [])  # asked: open it, then answer
        for a in open_ones]
    await replies.show(update, context, screens.Screen(runtime.texts.render(
        language, "action_board", team=team.name, groups=groups, w=w,
        closed=[a for a in board if a.status in actions.CLOSED][-5:]), screens.keyboard(rows)))


def detail(context: BotContext, language: str, view: ActionView, actor_id: int,
           timezone: str) -> screens.Screen:
    """One action with its history, and the buttons this viewer may use."""
    texts = context.runtime.texts
    w = texts.words(language, "action_words")
    rows: list[list[tuple[str, callbacks.Button]]] = []
    if view.may_manage or view.owner_id == actor_id:
        choices = [s for s in (Status.ON_TRACK, Status.STUCK, Status.DONE, Status.DROPPED)
                   if s is not view.status]
        if view.status in actions.CLOSED:
            choices = [Status.OPEN]
        rows.append([(w.set_status[s.value], callbacks.ActionStatus(view.id, s.value))
                     for s in choices])
    if view.proposed_owner_id == actor_id:  # asked: the same one tap as in the question
        rows.append([(w.accept, callbacks.ActionAnswer(view.id, True)),
                     (w.decline, callbacks.ActionAnswer(view.id, False))])
    if view.may_manage:
        rows.append([(w.change_owner, callbacks.ActionOwners(view.id)),
                     (w.later, callbacks.ActionDue(view.id, DUE_STEP.days))])
    rows.append([(w.back, callbacks.ActionBoard(view.team_id))])
    return screens.Screen(texts.render(language, "action_detail", a=view, w=w,
                                       timezone=timezone), screens.keyboard(rows))


async def _timezone(context: BotContext, team_id: int) -> str:
    async with context.runtime.repository() as repo:
        team = await repo.team(team_id)
    return team.timezone if team is not None else "Europe/Amsterdam"


async def _open(
    update: Update, context: BotContext, data: callbacks.ActionOpen | callbacks.ActionDue,
    language: str,
) -> None:
    actor, runtime = _actor(update, context), context.runtime
    now = runtime.clock.now()
    async with runtime.repository() as repo:
        if isinstance(data, callbacks.ActionDue):
            await actions.change_due(repo, actor, data.action_id,
                                     (now + timedelta(days=data.days)).date(), now)
        view = await actions.show(repo, actor, data.action_id, now)
    await replies.show(update, context, detail(context, language, view, actor.id,
                                               await _timezone(context, view.team_id)))


async def _status(update: Update, context: BotContext, data: callbacks.ActionStatus,
                  language: str) -> None:
    """A new status; stuck and drop then ask for one line (the position is already stored)."""
    actor, runtime = _actor(update, context), context.runtime
    now = runtime.clock.now()
    status = Status(data.status)
    async with runtime.repository() as repo:
        await actions.update_status(repo, actor, data.action_id, status, None, now)
        view = await actions.show(repo, actor, data.action_id, now)
    await replies.show(update, context, detail(context, language, view, actor.id,
                                               await _timezone(context, view.team_id)))
    if status in actions.NEEDS_NOTE:
        w = runtime.texts.words(language, "action_words")
        await replies.send_text(context, actor.id, runtime.texts.render(
            language, "action_note_ask", what=view.what, status=w.status[status.value].lower(),
            stuck=status is Status.STUCK))


async def _owners(update: Update, context: BotContext, data: callbacks.ActionOwners,
                  language: str) -> None:
    """A manager's "👤 Owner": a button per active member of the team."""
    actor, runtime = _actor(update, context), context.runtime
    async with runtime.repository() as repo:
        people = await actions.members(repo, actor, data.action_id)
    w = runtime.texts.words(language, "action_words")
    rows: list[list[tuple[str, callbacks.Button]]] = [
        [(name, callbacks.ActionAssign(data.action_id, user_id))] for user_id, name in people]
    rows.append([(w.back, callbacks.ActionOpen(data.action_id))])
    await replies.show(update, context, screens.Screen(runtime.texts.render(
        language, "choose_owner"), screens.keyboard(rows)))


async def _assign(update: Update, context: BotContext, data: callbacks.ActionAssign,
                  language: str) -> None:
    actor, runtime = _actor(update, context), context.runtime
    now = runtime.clock.now()
    async with runtime.repository() as repo:
        await actions.assign(repo, actor, data.action_id, data.user_id, now)
        view = await actions.show(repo, actor, data.action_id, now)
    nudge(context.application)  # type: ignore[arg-type]  # the question goes out now
    await replies.show(update, context, detail(context, language, view, actor.id,
                                               await _timezone(context, view.team_id)))


async def _answer(update: Update, context: BotContext, data: callbacks.ActionAnswer,
                  language: str) -> None:
    """The asked member's one tap; the question is replaced by the answer."""
    actor, runtime = _actor(update, context), context.runtime
    async with runtime.repository() as repo:
        view = await actions.respond(repo, actor, data.action_id, data.accept,
                                     runtime.clock.now())
    await replies.show(update, context, screens.Screen(runtime.texts.render(
        language, "action_answered", accept=data.accept, what=view.what)))


async def on_note_text(update: Update, context: BotContext, position: ActionNote) -> None:
    """The typed line after stuck or drop, kept on that change in the history."""
    actor, runtime = _actor(update, context), context.runtime
    message = update.effective_message
    assert message is not None and message.text is not None
    language = await replies.language_of(update, context)
    async with runtime.repository() as repo:
        await actions.add_note(repo, actor, position.event_id, message.text)
    await replies.send_text(context, actor.id, runtime.texts.render(language,
                                                                    "action_note_saved"))


def build_action_handlers() -> list[Handler]:
    return [
        CommandHandler("actions", managing.politely(on_command)),
        managing.buttons(managing.on(callbacks.ActionBoard, _board),
                         managing.on(callbacks.Actions, _board),
                         managing.on(callbacks.ActionDone, _board),
                         managing.on(callbacks.ActionOpen, _open),
                         managing.on(callbacks.ActionDue, _open),
                         managing.on(callbacks.ActionStatus, _status),
                         managing.on(callbacks.ActionOwners, _owners),
                         managing.on(callbacks.ActionAssign, _assign),
                         managing.on(callbacks.ActionAnswer, _answer)),
    ]


async def on_org_command(update: Update, context: BotContext) -> None:
    """`/orgactions`: the one organisation she administers, or a button for each."""
    actor, runtime = _actor(update, context), context.runtime
    language = await replies.language_of(update, context)
    async with runtime.repository() as repo:
        found = await action_overview.administered(repo, actor)
    if len(found) == 1:
        await _org(update, context, callbacks.OrgActions(found[0][0]), language)
    elif not found:
        await replies.send_text(context, actor.id, runtime.texts.render(language,
                                                                        "not_org_admin"))
    else:
        rows = [[(name, callbacks.OrgActions(org_id))] for org_id, name in found]
        await replies.send(context, actor.id, screens.Screen(
            runtime.texts.render(language, "choose_organisation"), screens.keyboard(rows)))


async def _org(update: Update, context: BotContext, data: callbacks.OrgActions,
               language: str) -> None:
    actor, runtime = _actor(update, context), context.runtime
    async with runtime.repository() as repo:
        name, teams = await action_overview.org_actions(repo, actor, data.organisation_id,
                                                        runtime.clock.now())
    await replies.show(update, context, screens.Screen(runtime.texts.render(
        language, "org_actions", organisation=name, teams=teams)))


def build_org_action_handlers() -> list[Handler]:
    return [
        CommandHandler("orgactions", managing.politely(on_org_command)),
        managing.buttons(managing.on(callbacks.OrgActions, _org)),
    ]
