"""Joining a team from an invite link: welcome and consent, language, stakeholder group.

Each button carries the invite token, so a tap after a restart (or hours later) still completes the
step it belongs to; the `JoinState` a step returns only documents the order, nothing keeps it.
"""

from __future__ import annotations

from enum import Enum, auto

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler

from bot.db.models import Team
from bot.services import joining, positions
from bot.services.joining import STAKEHOLDER_GROUPS, InviteCheck, InviteProblem, Joined
from bot.telegram import replies
from bot.telegram.runtime import BotContext
from conversations import callbacks, screens
from conversations.handlers import Handler
from conversations.participant.survey import show_anew


class JoinState(Enum):
    CONSENTING = auto()
    CHOOSING_LANGUAGE = auto()
    CHOOSING_GROUP = auto()


JOIN_BUTTONS = callbacks.JOINING.pattern


async def on_start(update: Update, context: BotContext) -> JoinState | int:
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    texts, now = runtime.texts, runtime.clock.now()
    token = context.args[0] if context.args else None
    async with runtime.repository() as repo:
        person = await joining.greet(
            repo, user.id, user.full_name, user.language_code,
            runtime.settings.default_language, now,
        )
        check = await joining.check_invite(repo, token, user.id, now) if token else None
        open_cycle = (
            await repo.open_cycle(check.team.id)
            if check is not None and not isinstance(check, InviteProblem) else None
        )
    language = person.language
    if token is None or check is None:
        await replies.send_text(context, user.id, texts.render(
            language, "start", name=user.first_name))
        return ConversationHandler.END
    if isinstance(check, InviteProblem):
        await replies.send_text(context, user.id, texts.render(
            language, "invite_problem", problem=check.value))
        return ConversationHandler.END
    if check.membership is not None:
        await replies.send_text(context, user.id, texts.render(
            language, "already_member", team=check.team.name,
            has_open_survey=open_cycle is not None))
        if open_cycle is not None:
            await show_anew(context, user.id, open_cycle.id, language)
        return ConversationHandler.END
    if not check.consented:
        async with runtime.repository() as repo:  # text typed at the welcome gets a pointer
            await positions.expect(repo, user.id, positions.AtWelcome(token), now)
        b = texts.buttons(language)
        await replies.send(context, user.id, screens.Screen(
            texts.render(language, "welcome", team=check.team.name,
                         threshold=check.team.anonymity_threshold),
            screens.keyboard([[(b.agree, callbacks.Consent(token)),
                               (b.decline, callbacks.Decline(token))]]),
        ))
        return JoinState.CONSENTING
    return await _after_language(update, context, token, language, check.team, check.group)


async def on_join_button(update: Update, context: BotContext) -> JoinState | int:
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    user, runtime = update.effective_user, context.runtime
    texts, now = runtime.texts, runtime.clock.now()
    data = callbacks.JOINING.read(query.data)
    if data is None:
        await replies.acknowledge(query, texts.render(None, "refusal", reason="invalid"))
        return ConversationHandler.END
    async with runtime.repository() as repo:
        person = await joining.greet(repo, user.id, user.full_name, user.language_code,
                                     runtime.settings.default_language, now)
        check = await joining.check_invite(repo, data.token, user.id, now)
        if isinstance(data, callbacks.Consent | callbacks.Decline):
            await positions.clear(repo, user.id)  # past the welcome
        if isinstance(data, callbacks.Consent) and not isinstance(check, InviteProblem):
            await joining.give_consent(repo, user.id, now)
        if isinstance(data, callbacks.JoinLanguage) and await joining.set_language(
            repo, user.id, data.language
        ):
            person.language = data.language
    try:
        return await _next_step(update, context, data, person.language, check)
    finally:
        await replies.acknowledge(query)  # last: the spinner stops once the next step shows


async def _next_step(
    update: Update, context: BotContext, data: callbacks.JoinButton, language: str,
    check: InviteCheck | InviteProblem,
) -> JoinState | int:
    texts = context.runtime.texts
    if isinstance(check, InviteProblem):
        await _edit(context, update, texts.render(language, "invite_problem", problem=check.value))
        return ConversationHandler.END
    if isinstance(data, callbacks.Decline):
        await _edit(context, update, texts.render(language, "declined"))
        return ConversationHandler.END
    if isinstance(data, callbacks.Consent):
        b = texts.buttons(language)
        await _edit(context, update, texts.render(language, "choose_language"), screens.keyboard(
            [[(b.dutch, callbacks.JoinLanguage(data.token, "nl")),
              (b.english, callbacks.JoinLanguage(data.token, "en"))]]))
        return JoinState.CHOOSING_LANGUAGE
    if isinstance(data, callbacks.JoinLanguage):
        return await _after_language(update, context, data.token, language, check.team,
                                     check.group)
    return await _finish(update, context, data.token, language, data.group)


async def _after_language(
    update: Update, context: BotContext, token: str, language: str, team: Team,
    group: str | None,
) -> JoinState | int:
    if team.use_groups and group is None:
        texts = context.runtime.texts
        b = texts.buttons(language)
        rows = [[(str(b.group(name)), callbacks.JoinGroup(token, name))]
                for name in STAKEHOLDER_GROUPS]
        await _edit(context, update, texts.render(
            language, "choose_group", team=team.name, threshold=team.anonymity_threshold),
            screens.keyboard(rows))
        return JoinState.CHOOSING_GROUP
    return await _finish(update, context, token, language, None)


async def _finish(
    update: Update, context: BotContext, token: str, language: str, group: str | None
) -> int:
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        joined = await joining.join(repo, token, user.id, group, runtime.clock.now())
    texts = runtime.texts
    if not isinstance(joined, Joined):
        await _edit(context, update, texts.render(language, "invite_problem",
                                                  problem=joined.value))
        return ConversationHandler.END
    chosen = joined.membership.stakeholder_group
    await _edit(context, update, texts.render(
        language, "joined", team=joined.team.name, group=chosen,
        group_label=str(texts.buttons(language).group(chosen)) if chosen else "",
        has_open_survey=joined.open_cycle is not None))
    cycle = joined.open_cycle
    if cycle is not None:
        await replies.send(context, user.id, screens.invitation(
            texts, language, cycle_id=cycle.id, team=joined.team.name, model_id=cycle.model_id,
            scope_id=cycle.scope_id, deadline=cycle.deadline, timezone=joined.team.timezone))
    return ConversationHandler.END


async def _edit(
    context: BotContext, update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    await replies.show(update, context, screens.Screen(text, keyboard))


async def on_text_at_welcome(update: Update, context: BotContext) -> None:
    """Free text where the welcome asks "Do you want to take part?" (routed here by
    `conversations.typed`): point at the buttons, not the whole help."""
    assert update.effective_user is not None
    language = await replies.language_of(update, context)
    await replies.send_text(context, update.effective_user.id,
                            context.runtime.texts.render(language, "tap_a_button"))


def build_joining_handlers() -> list[Handler]:
    """Plain handlers: every button carries the invite token, so no step needs remembering (the
    `JoinState` values the steps return only document the order; nothing keeps them)."""
    return [CommandHandler("start", on_start),
            CallbackQueryHandler(on_join_button, pattern=JOIN_BUTTONS)]
