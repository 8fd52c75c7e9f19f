"""A manager running a survey: `/survey` (team → size → deadline → confirm), `/status`, `/close`.

Every button names its team or cycle and the choices made so far, so the flow needs no memory and
survives a restart; the states below only document the order of the screens. A deadline typed on
the deadline screen is routed here by `conversations.typed`, from a `positions.SurveyDeadline`.
"""

from __future__ import annotations

from datetime import timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from telegram import Update

from bot.db.models import Team
from bot.delivery import close_and_plan_reports
from bot.runtime import BotContext
from bot.scheduler import nudge
from bot.services import cycles, outbox, positions, reports
from conversations import callbacks, managing, replies, screens
from conversations.callbacks import Action, Callback
from conversations.handlers import Handler
from domain.catalog import AssessmentModel, load_model
from domain.rhythm import days_left, parse_day

DEADLINE_CHOICES = (3, 7, 14)
LONGEST_SURVEY_DAYS = 366
MANUAL_REMINDER_GAP = timedelta(days=2)


class SurveySetup(Enum):
    """The screens of `/survey`, in order; each button carries the choices made before it."""

    CHOOSING_TEAM = "sv"
    CHOOSING_SCOPE = "ss"
    CHOOSING_DEADLINE = "sd"
    CONFIRMING = "so"


async def _choose_scope(
    update: Update, context: BotContext, data: Callback, language: str
) -> None:
    team = await managing.refuse_unless_manager(update, context, data.target, language)
    if team is None:
        return
    texts, model = context.runtime.texts, load_model(team.model_id)
    b = texts.buttons(language)
    rows = [[(str(b.scope(scope.title(language), scope.minutes)),
              callbacks.manage(SurveySetup.CHOOSING_SCOPE.value, team.id, scope.id))]
            for scope in model.scopes.values()]
    await replies.show(update, context, screens.Screen(texts.render(
        language, "choose_scope", team=team.name, model_title=model.title(language)),
        screens.keyboard(rows)))


async def _survey_setup(
    update: Update, context: BotContext, data: Callback, language: str
) -> tuple[Team, AssessmentModel] | None:
    """The team and its model, if the tapper manages it and the chosen scope exists."""
    team = await managing.refuse_unless_manager(update, context, data.target, language)
    if team is None:
        return None
    model = load_model(team.model_id)
    return (team, model) if data.value in model.scopes else None


async def _choose_deadline(
    update: Update, context: BotContext, data: Callback, lang: str
) -> None:
    setup = await _survey_setup(update, context, data, lang)
    user = update.effective_user
    if setup is None or user is None:
        return
    team, model = setup
    runtime = context.runtime
    async with runtime.repository() as repo:  # while the buttons show, a date may be typed
        await positions.expect(repo, user.id, positions.SurveyDeadline(team.id, data.value),
                               runtime.clock.now())
    texts = runtime.texts
    b = texts.buttons(lang)
    rows = [[(str(b.days(days)), callbacks.manage(
        SurveySetup.CHOOSING_DEADLINE.value, team.id, data.value, days))
        for days in DEADLINE_CHOICES]]
    await replies.show(update, context, screens.Screen(texts.render(
        lang, "choose_deadline", team=team.name, scope_title=model.scope(data.value).title(lang)),
        screens.keyboard(rows)))


async def on_typed_deadline(
    update: Update, context: BotContext, expected: positions.SurveyDeadline
) -> None:
    """A date typed on the deadline screen: the confirmation follows, as after a button."""
    message, user = update.effective_message, update.effective_user
    language = await replies.language_of(update, context)
    if message is None or user is None:
        return
    runtime = context.runtime
    team = await managing.refuse_unless_manager(update, context, expected.team_id, language)
    if team is None:  # refused (no longer a manager, or the team is gone): stop asking
        async with runtime.repository() as repo:
            await positions.clear(repo, user.id)
        return
    today = runtime.clock.now().astimezone(ZoneInfo(team.timezone)).date()
    day = parse_day(message.text or "", today)
    days = (day - today).days if day is not None else 0
    if not 1 <= days <= LONGEST_SURVEY_DAYS:
        await replies.send_text(context, message.chat_id, runtime.texts.render(
            language, "deadline_unreadable", longest=LONGEST_SURVEY_DAYS))
        return  # still expected: the manager may try again
    await _confirm(update, context, Callback(
        Action.MANAGE, verb=SurveySetup.CHOOSING_DEADLINE.value, target=team.id,
        value=expected.scope_id, days=days), language)


async def _confirm(update: Update, context: BotContext, data: Callback, lang: str) -> None:
    setup = await _survey_setup(update, context, data, lang)
    if setup is None or not 1 <= data.days <= LONGEST_SURVEY_DAYS:
        return
    team, model = setup
    runtime = context.runtime
    async with runtime.repository() as repo:
        if update.effective_user is not None:  # the deadline is chosen: no more date typed
            await positions.clear(repo, update.effective_user.id)
        members = len(await outbox.active_members(repo, team.id))
    b = runtime.texts.buttons(lang)
    await replies.show(update, context, screens.Screen(runtime.texts.render(
        lang, "confirm_survey", team=team.name, timezone=team.timezone, members=members,
        scope_title=model.scope(data.value).title(lang), model_title=model.title(lang),
        deadline=cycles.deadline_in(runtime.clock.now(), data.days, team.timezone)),
        screens.keyboard([[(b.open_survey, callbacks.manage(
            SurveySetup.CONFIRMING.value, team.id, data.value, data.days))]])))


async def _open(update: Update, context: BotContext, data: Callback, lang: str) -> None:
    setup = await _survey_setup(update, context, data, lang)
    user = update.effective_user
    if setup is None or not 1 <= data.days <= LONGEST_SURVEY_DAYS or user is None:
        return
    team, _ = setup
    runtime = context.runtime
    now = runtime.clock.now()
    deadline = cycles.deadline_in(now, data.days, team.timezone)
    async with runtime.repository() as repo:
        members = len(await outbox.active_members(repo, team.id))
        try:
            await cycles.open_cycle(repo, team.id, data.value, deadline, user.id, now,
                                    plan=runtime.plan_cycle)
            already = None
        except cycles.AlreadyOpen as refusal:
            already = refusal.cycle
    common = {"team": team.name, "timezone": team.timezone, "members": members}
    if already is not None:
        await replies.show(update, context, screens.Screen(runtime.texts.render(
            lang, "already_open", deadline=already.deadline, **common)))
        return
    await replies.show(update, context, screens.Screen(runtime.texts.render(
        lang, "survey_opened", **common)))
    nudge(context.application)  # type: ignore[arg-type]


async def _status(update: Update, context: BotContext, data: Callback, language: str) -> None:
    team = await managing.refuse_unless_manager(update, context, data.target, language)
    if team is None:
        return
    runtime = context.runtime
    async with runtime.repository() as repo:
        cycle = await repo.open_cycle(team.id)
        rate = await reports.response_rate(repo, cycle) if cycle else None
    if cycle is None or rate is None:
        await replies.show(update, context, screens.Screen(runtime.texts.render(
            language, "no_open_cycle", team=team.name)))
        return
    b = runtime.texts.buttons(language)
    await replies.show(update, context, screens.Screen(runtime.texts.render(
        language, "status", team=team.name, rate=rate, deadline=cycle.deadline,
        timezone=team.timezone, threshold=team.anonymity_threshold,
        days_left=days_left(runtime.clock.now(), cycle.deadline),
        scope_title=load_model(cycle.model_id).scope(cycle.scope_id).title(language)),
        screens.keyboard([[(b.remind_now, callbacks.manage("sr", cycle.id)),
                           (b.close_now, callbacks.manage("sc", team.id))]])))


async def _remind(update: Update, context: BotContext, data: Callback, language: str) -> None:
    runtime = context.runtime
    now = runtime.clock.now()
    managed = await managing.managed_cycle(update, context, data.target, language)
    if managed is None or managed[0].closed_at is not None:
        return
    team = managed[1]
    async with runtime.repository() as repo:
        cycle = await repo.cycle(data.target)
        assert cycle is not None
        last = cycle.last_manual_reminder_at
        if last is not None and now - last < MANUAL_REMINDER_GAP:
            text = runtime.texts.render(language, "remind_too_soon", timezone=team.timezone,
                                        next=last + MANUAL_REMINDER_GAP)
        else:
            cycle.last_manual_reminder_at = now
            unfinished = await outbox.unfinished_members(repo, cycle)
            for member in unfinished:
                await outbox.plan(repo, f"manual:{cycle.id}:{now:%Y%m%d%H%M}:{member.user_id}",
                                  outbox.Kind.REMIND, now, user_id=member.user_id,
                                  team_id=team.id, cycle_id=cycle.id)
            text = runtime.texts.render(language, "remind_sent", count=len(unfinished))
    await replies.send_text(context, update.effective_user.id if update.effective_user else 0, text)
    nudge(context.application)  # type: ignore[arg-type]


async def _ask_close(update: Update, context: BotContext, data: Callback, language: str) -> None:
    team = await managing.refuse_unless_manager(update, context, data.target, language)
    if team is None:
        return
    texts = context.runtime.texts
    async with context.runtime.repository() as repo:
        cycle = await repo.open_cycle(team.id)
    if cycle is None:
        await replies.show(update, context, screens.Screen(texts.render(
            language, "no_open_cycle", team=team.name)))
        return
    b = texts.buttons(language)
    await replies.show(update, context, screens.Screen(
        texts.render(language, "close_confirm", team=team.name),
        screens.keyboard([[(b.yes_close, callbacks.manage("sy", cycle.id)),
                           (b.cancel, callbacks.manage("st", team.id))]])))


async def _close_confirmed(update: Update, context: BotContext, data: Callback, lang: str) -> None:
    runtime = context.runtime
    managed = await managing.managed_cycle(update, context, data.target, lang)
    if managed is None:
        return
    cycle, team = managed
    async with runtime.repository() as repo:
        await close_and_plan_reports(repo, runtime, cycle.id, runtime.clock.now())
    await replies.show(update, context, screens.Screen(runtime.texts.render(
        lang, "closed", team=team.name)))
    nudge(context.application)  # type: ignore[arg-type]


_STEPS: dict[str, managing.ManagerStep] = {
    SurveySetup.CHOOSING_TEAM.value: _choose_scope,
    SurveySetup.CHOOSING_SCOPE.value: _choose_deadline,
    SurveySetup.CHOOSING_DEADLINE.value: _confirm,
    SurveySetup.CONFIRMING.value: _open,
    "st": _status,
    "sr": _remind,
    "sc": _ask_close,
    "sy": _close_confirmed,
}


def build_cycle_handlers() -> list[Handler]:
    return [
        managing.command("survey", SurveySetup.CHOOSING_TEAM.value, _choose_scope),
        managing.command("status", "st", _status),
        managing.command("close", "sc", _ask_close),
        managing.buttons(_STEPS),
    ]
