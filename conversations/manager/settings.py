"""A manager's team settings: `/settings` (or `/schedule`, the same screen), one tap per change.

Model, the survey a new cycle uses, the reassessment rhythm, the time zone (reminders follow its
working hours), reminders, stakeholder groups and whether participants see the team result. Every
button carries its choice, so no state is kept.
"""

from __future__ import annotations

from telegram import Update

from bot.services import org_rhythm, reassessment, teams
from bot.services.records import TeamInfo
from bot.telegram import replies
from bot.telegram.runtime import BotContext
from conversations import callbacks, managing, screens
from conversations.handlers import Handler
from domain.action_rhythm import EVERY
from domain.catalog import load_model


async def _show(
    update: Update, context: BotContext, data: callbacks.TeamSettings, language: str
) -> None:
    user = update.effective_user
    assert user is not None
    async with context.runtime.repository() as repo:
        team = await teams.managed_team(repo, managing.actor(context), data.team_id)
        governing = await org_rhythm.governing(repo, team.organisation_id)
    await replies.show(update, context, _screen(context, team, language, None, governing))


async def _change(
    update: Update, context: BotContext, data: callbacks.ChangeSetting, language: str
) -> None:
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        team, refusal = await teams.change_setting(repo, user.id, data.team_id, data.choice)
        if refusal is None and data.choice.startswith("rhythm-"):
            await reassessment.schedule_next(repo, team, runtime.clock.now())
        governing = await org_rhythm.governing(repo, team.organisation_id)
    await replies.show(update, context, _screen(context, TeamInfo.of(team), language, refusal,
                                                governing))


def _screen(
    context: BotContext, team: TeamInfo, language: str, refusal: teams.SettingRefusal | None,
    governing: org_rhythm.Governing | None = None,
) -> screens.Screen:
    texts = context.runtime.texts
    b = texts.buttons(language)
    model = load_model(team.model_id)

    def choice(label: str, selected: bool, value: str) -> tuple[str, callbacks.Button]:
        return str(b.chosen(label, selected)), callbacks.ChangeSetting(team.id, value)

    rows = [
        [choice(f"ISO 9004:{key}", team.model_id == model_id, f"model-{key}")
         for key, model_id in teams.MODELS.items()],
        [choice(b.scopes.get(scope.id, scope.title(language)), team.default_scope == scope.id,
                f"scope-{scope.id}") for scope in model.offered_scopes()],
        [choice(b.rhythms[rhythm], team.reassessment == rhythm, f"rhythm-{rhythm}")
         for rhythm in teams.RHYTHMS],
    ]
    w = texts.words(language, "action_words")
    rows.append([choice(w.checkins[every], team.checkins == every, f"checkins-{every}")
                 for every in EVERY])
    rows.append([choice(zone.split("/")[-1], team.timezone == zone, f"tz-{number}")
                 for number, zone in enumerate(teams.TIMEZONES)])
    for name, on in (("reminders", team.reminders_enabled), ("groups", team.use_groups),
                     ("share", team.share_results)):
        rows.append([(str(b.toggle(name, on)),
                      callbacks.ChangeSetting(team.id, f"{name}-{'off' if on else 'on'}"))])
    rows.append([(b.link_group, callbacks.OfferGroupLink(team.id))])
    text = texts.render(language, "team_settings", team=team, model_title=model.title(language),
                        scope_title=model.scope(team.default_scope).title(language),
                        rhythm=b.rhythms[team.reassessment], refusal=refusal,
                        organisation=governing.name if governing else None,
                        org_rhythm=b.rhythms[governing.reassessment] if governing else None,
                        org_next=governing.next_reassessment_at if governing else None,
                        checkins=w.checkins[team.checkins])
    return screens.Screen(text, screens.keyboard(rows))


def build_settings_handlers() -> list[Handler]:
    return [
        managing.command("settings", callbacks.TeamSettings, _show),
        managing.command("schedule", callbacks.TeamSettings, _show),
        managing.buttons(managing.on(callbacks.TeamSettings, _show),
                         managing.on(callbacks.ChangeSetting, _change)),
    ]
