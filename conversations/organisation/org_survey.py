"""An admin's organisation-wide survey: teams → size → deadline → confirm; its status per team;
closing it for every team at once. Also `/orgsurvey` (`/orgvragenlijst`).

Every button carries the organisation, the teams left out (a bit mask, `callbacks.Leftout`) and
the choices so far, so the flow needs no memory. The status shows counts only: no figure exists
while a survey is open (`bot.services.org_cycles.team_statuses`).
"""

from __future__ import annotations

from telegram import Update

from bot.outbox.scheduler import nudge
from bot.services import cycles, org_cycles, org_rhythm, org_setup, organisations
from bot.services.organisations import MAX_CHOSEN, SurveyPlan
from bot.services.records import OrganisationCycleInfo
from bot.telegram import replies
from bot.telegram.runtime import BotContext
from conversations import callbacks, managing, screens
from conversations.handlers import Handler
from conversations.manager.cycles import DEADLINE_CHOICES
from conversations.organisation.organisations import org_command, user_id
from domain.catalog import load_model
from domain.rhythm import days_left

Step = (callbacks.OrgSurvey | callbacks.OrgTeamsChosen | callbacks.OrgScope
        | callbacks.OrgDeadline | callbacks.OrgOpen)


async def _plan(update: Update, context: BotContext, data: Step) -> SurveyPlan:
    runtime = context.runtime
    async with runtime.repository() as repo:
        return await organisations.survey_plan(repo, managing.actor(context),
                                               data.organisation_id, data.leftout)


async def _choose_teams(
    update: Update, context: BotContext, data: callbacks.OrgSurvey, language: str
) -> None:
    plan = await _plan(update, context, data)
    texts = context.runtime.texts
    b = texts.buttons(language)
    org = data.organisation_id
    rows: list[list[tuple[str, callbacks.Button]]] = [
        [(str(b.org_team(name, yes)), callbacks.OrgSurvey(org, data.leftout ^ (1 << number)))]
        for number, (_, name, yes) in enumerate(plan.teams[:MAX_CHOSEN])]
    rows.append([(b.org_back, callbacks.OrgOverview(org)),
                 (b.org_next, callbacks.OrgTeamsChosen(org, data.leftout))])
    await replies.show(update, context, screens.Screen(texts.render(
        language, "org_note", what="choose_teams", name=plan.name), screens.keyboard(rows)))


async def _choose_scope(
    update: Update, context: BotContext, data: callbacks.OrgTeamsChosen, language: str
) -> None:
    plan = await _plan(update, context, data)
    texts = context.runtime.texts
    if not plan.chosen:
        await replies.send_text(context, user_id(update), texts.render(
            language, "org_note", what="no_teams_chosen"))
        return
    model = load_model(plan.model_id)
    b = texts.buttons(language)
    rows = [[(str(b.scope(scope.title(language), scope.minutes)),
              callbacks.OrgScope(data.organisation_id, data.leftout, scope.id))]
            for scope in model.offered_scopes()]
    await replies.show(update, context, screens.Screen(texts.render(
        language, "org_note", what="choose_scope", name=plan.name,
        model_title=model.title(language)), screens.keyboard(rows)))


async def _choose_deadline(
    update: Update, context: BotContext, data: callbacks.OrgScope, language: str
) -> None:
    plan = await _plan(update, context, data)
    if not plan.chosen or not load_model(plan.model_id).offers(data.scope_id):
        return
    texts = context.runtime.texts
    b = texts.buttons(language)
    rows = [[(str(b.days(days)), callbacks.OrgDeadline(
        data.organisation_id, data.leftout, data.scope_id, days)) for days in DEADLINE_CHOICES]]
    await replies.show(update, context, screens.Screen(texts.render(
        language, "org_note", what="choose_deadline", name=plan.name,
        scope_title=load_model(plan.model_id).scope(data.scope_id).title(language)),
        screens.keyboard(rows)))


def _valid(plan: SurveyPlan, data: callbacks.OrgDeadline | callbacks.OrgOpen) -> bool:
    return (bool(plan.chosen) and load_model(plan.model_id).offers(data.scope_id)
            and data.days in DEADLINE_CHOICES)


async def _confirm(
    update: Update, context: BotContext, data: callbacks.OrgDeadline, language: str
) -> None:
    plan = await _plan(update, context, data)
    if not _valid(plan, data):
        return
    runtime = context.runtime
    model = load_model(plan.model_id)
    b = runtime.texts.buttons(language)
    await replies.show(update, context, screens.Screen(runtime.texts.render(
        language, "org_confirm", name=plan.name, people=plan.people,
        teams=[name for _, name, yes in plan.teams if yes], timezone=plan.timezone,
        scope_title=model.scope(data.scope_id).title(language), model_title=model.title(language),
        deadline=cycles.deadline_in(runtime.clock.now(), data.days, plan.timezone)),
        screens.keyboard([[(b.open_survey, callbacks.OrgOpen(
            data.organisation_id, data.leftout, data.scope_id, data.days))]])))


async def _open(
    update: Update, context: BotContext, data: callbacks.OrgOpen, language: str
) -> None:
    plan = await _plan(update, context, data)
    if not _valid(plan, data):
        return
    runtime = context.runtime
    now = runtime.clock.now()
    try:
        async with runtime.repository() as repo:
            opened = await org_cycles.open_organisation_cycle(
                repo, managing.actor(context), data.organisation_id,
                data.scope_id, cycles.deadline_in(now, data.days, plan.timezone), now,
                team_ids=plan.chosen)
            await org_rhythm.after_opening(repo, data.organisation_id, now)
        text = runtime.texts.render(language, "org_opened", people=opened.invitations,
                                    teams=[n for _, n in opened.teams],
                                    skipped=[n for _, n in opened.skipped], already=None)
    except org_cycles.AlreadyOpen as refusal:
        text = runtime.texts.render(language, "org_opened", timezone=plan.timezone, people=0,
                                    teams=[], skipped=[],
                                    already=refusal.organisation_cycle.deadline)
    await replies.show(update, context, screens.Screen(text))
    nudge(context.application)  # type: ignore[arg-type]


async def _cycle(
    update: Update, context: BotContext, organisation_cycle_id: int
) -> tuple[OrganisationCycleInfo, organisations.Overview]:
    runtime = context.runtime
    async with runtime.repository() as repo:
        organisation_cycle, _ = await org_cycles.status(
            repo, managing.actor(context), organisation_cycle_id)
        seen = await organisations.overview(repo, managing.actor(context),
                                            organisation_cycle.organisation_id)
    return organisation_cycle, seen


async def _status(
    update: Update, context: BotContext, data: callbacks.OrgStatus, language: str
) -> None:
    organisation_cycle, seen = await _cycle(update, context, data.organisation_cycle_id)
    runtime = context.runtime
    b = runtime.texts.buttons(language)
    if organisation_cycle.closed_at is not None:
        await replies.show(update, context, screens.Screen(runtime.texts.render(
            language, "org_note", what="no_open", name=seen.name)))
        return
    async with runtime.repository() as repo:
        _, statuses = await org_cycles.status(repo, managing.actor(context),
                                              organisation_cycle.id)
    await replies.show(update, context, screens.Screen(runtime.texts.render(
        language, "org_status", name=seen.name, status=statuses, timezone=seen.timezone,
        deadline=organisation_cycle.deadline,
        days_left=days_left(runtime.clock.now(), organisation_cycle.deadline),
        scope_title=load_model(organisation_cycle.model_id).scope(
            organisation_cycle.scope_id).title(language)),
        screens.keyboard([[(b.org_close, callbacks.OrgAskClose(organisation_cycle.id)),
                           (b.org_back, callbacks.OrgOverview(seen.id))]])))


async def _ask_close(
    update: Update, context: BotContext, data: callbacks.OrgAskClose, language: str
) -> None:
    organisation_cycle, seen = await _cycle(update, context, data.organisation_cycle_id)
    texts = context.runtime.texts
    b = texts.buttons(language)
    if organisation_cycle.closed_at is not None:
        await replies.show(update, context, screens.Screen(texts.render(
            language, "org_note", what="no_open", name=seen.name)))
        return
    async with context.runtime.repository() as repo:
        name, teams = await org_setup.closing(repo, managing.actor(context), organisation_cycle.id)
    await replies.show(update, context, screens.Screen(
        texts.render(language, "org_note", what="close_confirm", name=name, teams=teams),
        screens.keyboard([[(b.yes_close, callbacks.OrgCloseNow(organisation_cycle.id)),
                           (b.cancel, callbacks.OrgOverview(seen.id))]])))


async def _close(
    update: Update, context: BotContext, data: callbacks.OrgCloseNow, language: str
) -> None:
    runtime = context.runtime
    async with runtime.repository() as repo:
        closed = await org_cycles.close(repo, managing.actor(context),
                                        data.organisation_cycle_id, runtime.clock.now())
        name, teams = await org_setup.closing(repo, managing.actor(context),
                                              data.organisation_cycle_id)
    await replies.show(update, context, screens.Screen(runtime.texts.render(
        language, "org_note", what="closed" if closed else "no_open", name=name, teams=teams)))
    nudge(context.application)  # type: ignore[arg-type]


def build_org_survey_handlers() -> list[Handler]:
    return [
        org_command(["orgsurvey", "orgvragenlijst"], callbacks.OrgSurvey, _choose_teams),
        managing.buttons(
            managing.on(callbacks.OrgSurvey, _choose_teams),
            managing.on(callbacks.OrgTeamsChosen, _choose_scope),
            managing.on(callbacks.OrgScope, _choose_deadline),
            managing.on(callbacks.OrgDeadline, _confirm),
            managing.on(callbacks.OrgOpen, _open),
            managing.on(callbacks.OrgStatus, _status),
            managing.on(callbacks.OrgAskClose, _ask_close),
            managing.on(callbacks.OrgCloseNow, _close)),
    ]
