"""A manager running a survey: `/survey` (team → size → deadline → confirm), `/status`, `/close`.

Every button names its team or cycle and the choices made so far, so the flow needs no memory and
survives a restart; `build_cycle_handlers` lists the screens in order. A deadline typed on
the deadline screen is routed here by `conversations.typed`, from a `positions.SurveyDeadline`.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import Update

from bot.outbox.scheduler import nudge
from bot.services import cycles, org_setup, outbox, positions, reports, teams
from bot.services.permissions import PermissionsError
from bot.services.records import TeamInfo
from bot.telegram import replies
from bot.telegram.runtime import BotContext
from conversations import callbacks, managing, screens
from conversations.handlers import Handler
from domain.catalog import AssessmentModel, load_model
from domain.rhythm import days_left, parse_day

DEADLINE_CHOICES = (3, 7, 14)
LONGEST_SURVEY_DAYS = 366


async def _choose_scope(
    update: Update, context: BotContext, data: callbacks.NewSurvey, language: str
) -> None:
    team = await _managed_team(update, context, data.team_id)
    texts, model = context.runtime.texts, load_model(team.model_id)
    b = texts.buttons(language)
    rows = [[(str(b.scope(scope.title(language), scope.minutes)),
              callbacks.SurveyScope(team.id, scope.id))]
            for scope in model.offered_scopes()]
    await replies.show(update, context, screens.Screen(texts.render(
        language, "choose_scope", team=team.name, model_title=model.title(language)),
        screens.keyboard(rows)))


async def _managed_team(update: Update, context: BotContext, team_id: int) -> TeamInfo:
    """The team, if the person who tapped or typed manages it (else `PermissionsError`)."""
    async with context.runtime.repository() as repo:
        return await teams.managed_team(repo, managing.actor(context), team_id)


async def _survey_setup(
    update: Update, context: BotContext,
    data: callbacks.SurveyScope | callbacks.SurveyDeadline, language: str,
) -> tuple[TeamInfo, AssessmentModel] | None:
    """The team and its model, if the tapper manages it and the chosen scope exists."""
    team = await _managed_team(update, context, data.team_id)
    model = load_model(team.model_id)
    return (team, model) if model.offers(data.scope_id) else None


async def _choose_deadline(
    update: Update, context: BotContext, data: callbacks.SurveyScope, lang: str
) -> None:
    setup = await _survey_setup(update, context, data, lang)
    user = update.effective_user
    if setup is None or user is None:
        return
    team, model = setup
    runtime = context.runtime
    async with runtime.repository() as repo:  # while the buttons show, a date may be typed
        await positions.expect(repo, user.id, positions.SurveyDeadline(team.id, data.scope_id),
                               runtime.clock.now())
    texts = runtime.texts
    b = texts.buttons(lang)
    rows = [[(str(b.days(days)), callbacks.SurveyDeadline(team.id, data.scope_id, days))
             for days in DEADLINE_CHOICES]]
    await replies.show(update, context, screens.Screen(texts.render(
        lang, "choose_deadline", team=team.name,
        scope_title=model.scope(data.scope_id).title(lang)),
        screens.keyboard(rows)))


@managing.politely
async def on_typed_deadline(
    update: Update, context: BotContext, expected: positions.SurveyDeadline
) -> None:
    """A date typed on the deadline screen: the confirmation follows, as after a button."""
    message, user = update.effective_message, update.effective_user
    language = await replies.language_of(update, context)
    if message is None or user is None:
        return
    runtime = context.runtime
    async with runtime.repository() as repo:  # `_confirm` checks the typist's rights
        team = await repo.team(expected.team_id)
        if team is None:  # the team is gone: stop asking
            await positions.clear(repo, user.id)
    if team is None:
        return
    today = runtime.clock.now().astimezone(ZoneInfo(team.timezone)).date()
    day = parse_day(message.text or "", today)
    days = (day - today).days if day is not None else 0
    if not 1 <= days <= LONGEST_SURVEY_DAYS:
        await replies.send_text(context, message.chat_id, runtime.texts.render(
            language, "deadline_unreadable", longest=LONGEST_SURVEY_DAYS))
        return  # still expected: the manager may try again
    try:
        await _confirm(update, context, callbacks.SurveyDeadline(
            team.id, expected.scope_id, days), language)
    except PermissionsError:  # no longer a manager: refused once, and no longer expected
        async with runtime.repository() as repo:
            await positions.clear(repo, user.id)
        raise


async def _confirm(
    update: Update, context: BotContext, data: callbacks.SurveyDeadline, lang: str
) -> None:
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
        scope_title=model.scope(data.scope_id).title(lang), model_title=model.title(lang),
        deadline=cycles.deadline_in(runtime.clock.now(), data.days, team.timezone)),
        screens.keyboard([[(b.open_survey, callbacks.OpenSurvey(
            team.id, data.scope_id, data.days))]])))


async def _open(
    update: Update, context: BotContext, data: callbacks.OpenSurvey, lang: str
) -> None:
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        team = await repo.team(data.team_id)
    if (team is None or not load_model(team.model_id).offers(data.scope_id)
            or not 1 <= data.days <= LONGEST_SURVEY_DAYS):
        return
    now = runtime.clock.now()
    deadline = cycles.deadline_in(now, data.days, team.timezone)
    async with runtime.repository() as repo:
        members = len(await outbox.active_members(repo, team.id))
        try:
            await cycles.open_cycle(repo, team.id, data.scope_id, deadline, user.id, now,
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


async def _status(
    update: Update, context: BotContext, data: callbacks.Status, language: str
) -> None:
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        status = await reports.cycle_status(repo, managing.actor(context), data.team_id)
    team, cycle, rate = status.team, status.cycle, status.rate
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
        screens.keyboard([[(b.remind_now, callbacks.RemindNow(cycle.id)),
                           (b.close_now, callbacks.AskClose(team.id))]])))


async def _remind(
    update: Update, context: BotContext, data: callbacks.RemindNow, language: str
) -> None:
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        reminded = await cycles.remind_now(repo, user.id, data.cycle_id, runtime.clock.now())
        cycle = await repo.cycle(data.cycle_id)  # loaded by the service's check
        team = await repo.team(cycle.team_id) if cycle else None
    assert team is not None
    if reminded.too_soon_until is not None:
        text = runtime.texts.render(language, "remind_too_soon", timezone=team.timezone,
                                    next=reminded.too_soon_until)
    else:
        text = runtime.texts.render(language, "remind_sent", count=reminded.count)
    await replies.send_text(context, user.id, text)
    nudge(context.application)  # type: ignore[arg-type]


async def _ask_close(
    update: Update, context: BotContext, data: callbacks.AskClose, language: str
) -> None:
    user = update.effective_user
    assert user is not None
    texts = context.runtime.texts
    async with context.runtime.repository() as repo:
        # a team's part of an organisation cycle: its admins close it
        team, cycle = await cycles.closable(repo, managing.actor(context), data.team_id)
    if cycle is None:
        await replies.show(update, context, screens.Screen(texts.render(
            language, "no_open_cycle", team=team.name)))
        return
    b = texts.buttons(language)
    if cycle.organisation_cycle_id is not None:  # closing it closes every team's part: say so
        async with context.runtime.repository() as repo:
            name, teams = await org_setup.closing(repo, managing.actor(context),
                                                  cycle.organisation_cycle_id)
        question = texts.render(language, "org_note", what="close_confirm", name=name,
                                teams=teams)
    else:
        question = texts.render(language, "close_confirm", team=team.name)
    await replies.show(update, context, screens.Screen(
        question, screens.keyboard([[(b.yes_close, callbacks.CloseNow(cycle.id)),
                                     (b.cancel, callbacks.Status(team.id))]])))


async def _close_confirmed(
    update: Update, context: BotContext, data: callbacks.CloseNow, lang: str
) -> None:
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        actor = managing.actor(context)
        team, whole_id = await cycles.close_now(repo, actor, data.cycle_id, runtime.clock.now())
        whole = (await org_setup.closing(repo, actor, whole_id)
                 if whole_id is not None else None)
    await replies.show(update, context, screens.Screen(runtime.texts.render(
        lang, "closed", team=team.name) if whole is None else runtime.texts.render(
        lang, "org_note", what="closed", name=whole[0], teams=whole[1])))
    nudge(context.application)  # type: ignore[arg-type]


def build_cycle_handlers() -> list[Handler]:
    return [
        managing.command("survey", callbacks.NewSurvey, _choose_scope),
        managing.command("status", callbacks.Status, _status),
        managing.command("close", callbacks.AskClose, _ask_close),
        managing.buttons(  # the screens of /survey in order, then the others
            managing.on(callbacks.NewSurvey, _choose_scope),
            managing.on(callbacks.SurveyScope, _choose_deadline),
            managing.on(callbacks.SurveyDeadline, _confirm),
            managing.on(callbacks.OpenSurvey, _open),
            managing.on(callbacks.Status, _status), managing.on(callbacks.RemindNow, _remind),
            managing.on(callbacks.AskClose, _ask_close),
            managing.on(callbacks.CloseNow, _close_confirmed)),
    ]
