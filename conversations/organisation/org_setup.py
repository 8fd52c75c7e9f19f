"""An admin sets the organisation up: a new team's first manager (someone she knows, a one-time
link, or herself), a one-time "become admin" link, the organisation's rhythm and next date
(`/org` → 🔁), its targets per chapter (`/orgtargets`, `/orgdoelen`), and the `/start org_…`
that uses a link.

The services decide who may do what (`bot.services.org_setup`, `bot.services.org_rhythm`); the
people a change concerns are told here, each in their own language.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.services import joining, org_rhythm, org_setup, organisations, positions, teams
from bot.services.org_setup import Recipient
from bot.telegram import replies
from bot.telegram.runtime import BotContext
from conversations import callbacks, managing, screens
from conversations.handlers import Handler
from conversations.organisation.organisations import org_command, show_overview, user_id
from domain.rhythm import parse_day

MOST_CANDIDATES = 40


def _note(context: BotContext, language: str, what: str, **values: Any) -> str:
    return context.runtime.texts.render(language, "org_setup", what=what, **values)


async def tell(context: BotContext, people: tuple[Recipient, ...], what: str,
               **values: Any) -> None:
    """One message to each person, in their language (a blocked one is skipped by `send`)."""
    for person in people:
        await replies.send_text(context, person.user_id,
                                _note(context, person.language, what, **values))


@managing.politely
async def on_team_name(
    update: Update, context: BotContext, expected: positions.OrganisationTeamName
) -> None:
    """The new team's name: the team is created without a manager, and the admin chooses one."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    runtime = context.runtime
    language = await replies.language_of(update, context)
    now = runtime.clock.now()
    async with runtime.repository() as repo:
        await positions.clear(repo, user.id)
        await repo.touch_person(user.id, user.full_name, language, now)
        team = await org_setup.create_team(
            repo, managing.actor(context), expected.organisation_id,
            message.text or "", teams.TeamSettings(
                timezone=runtime.settings.default_timezone,
                anonymity_threshold=runtime.settings.anonymity_threshold), now)
    await _choose_manager(update, context, callbacks.OrgManagerLink(team.team_id), language,
                          ask=True)


async def _choose_manager(
    update: Update, context: BotContext, data: callbacks.OrgManagerLink, language: str,
    ask: bool = False,
) -> None:
    """The candidates, a link, or herself; `ask` when the team was just created (else the tap
    on "a link" shows the link)."""
    runtime = context.runtime
    now = runtime.clock.now()
    async with runtime.repository() as repo:
        team, candidates = await org_setup.manager_candidates(
            repo, managing.actor(context), data.team_id)
        if not ask:
            token, expires = await org_setup.make_link(
                repo, managing.actor(context), team.organisation_id,
                org_setup.MANAGER_LINK, team.team_id, now)
    if not ask:
        await replies.send_text(context, user_id(update), _note(
            context, language, "manager_link", team=team.name, expires=expires,
            timezone=runtime.settings.default_timezone,
            link=teams.invite_link(runtime.bot_username, token)))
        return
    b = runtime.texts.buttons(language)
    rows: list[list[tuple[str, callbacks.Button]]] = [
        [(name, callbacks.OrgTeamManager(team.team_id, person))]
        for person, name in candidates[:MOST_CANDIDATES]]
    rows.append([(b.org_manager_link, callbacks.OrgManagerLink(team.team_id))])
    rows.append([(b.org_manage_myself, callbacks.OrgTeamManager(team.team_id,
                                                                user_id(update)))])
    await replies.send(context, user_id(update), screens.Screen(_note(
        context, language, "choose_manager", team=team.name, name=team.organisation),
        screens.keyboard(rows)))


async def _manager_chosen(
    update: Update, context: BotContext, data: callbacks.OrgTeamManager, language: str
) -> None:
    runtime = context.runtime
    now = runtime.clock.now()
    me = user_id(update)
    async with runtime.repository() as repo:
        team, _ = await org_setup.manager_candidates(repo, managing.actor(context), data.team_id)
        chosen = await org_setup.choose_manager(repo, managing.actor(context), team.team_id,
                                                data.user_id, now)
        person = await repo.person(data.user_id) if chosen else None
        invite = await teams.create_invite(repo, team.team_id, me, None, now) if (
            chosen and data.user_id == me) else None
    if chosen is None:
        await show_overview(update, context, callbacks.OrgOverview(team.organisation_id),
                            language, note=runtime.texts.render(language, "org_note",
                                                                what="stale"))
        return
    if invite is not None:  # she manages it herself: its invite link, as /newteam gives
        await replies.show(update, context, screens.Screen(runtime.texts.render(
            language, "team_created", team=team.name, expires=invite.expires_at,
            timezone=runtime.settings.default_timezone,
            link=teams.invite_link(runtime.bot_username, invite.token))))
        return
    await tell(context, (chosen,), "you_manage", team=team.name, name=team.organisation)
    await show_overview(update, context, callbacks.OrgOverview(team.organisation_id), language,
                        note=_note(context, language, "manager_chosen", team=team.name,
                                   person=person.display_name if person else "?"))


async def _admin_link(
    update: Update, context: BotContext, data: callbacks.OrgAdminLink, language: str
) -> None:
    runtime = context.runtime
    async with runtime.repository() as repo:
        token, expires = await org_setup.make_link(
            repo, managing.actor(context), data.organisation_id,
            org_setup.ADMIN_LINK, None, runtime.clock.now())
        seen = await organisations.overview(repo, managing.actor(context), data.organisation_id)
    await replies.send_text(context, user_id(update), _note(
        context, language, "admin_link", name=seen.name, expires=expires,
        timezone=seen.timezone, link=teams.invite_link(runtime.bot_username, token)))


async def on_start_link(update: Update, context: BotContext) -> None:
    """`/start org_…`: a one-time organisation link, used by whoever opens it."""
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    now = runtime.clock.now()
    token = context.args[0] if context.args else ""
    async with runtime.repository() as repo:
        person = await joining.greet(repo, user.id, user.full_name, user.language_code,
                                     runtime.settings.default_language, now)
        accepted = await org_setup.accept_link(repo, token, user.id, now)
    language = person.language
    if isinstance(accepted, org_setup.LinkProblem):
        await replies.send_text(context, user.id, _note(
            context, language, "link_problem", problem=accepted.value))
        return
    admin = accepted.kind == org_setup.ADMIN_LINK
    await replies.send_text(context, user.id, _note(
        context, language, "became_admin" if admin else "became_manager",
        name=accepted.organisation, team=accepted.team))
    await tell(context, accepted.admins, "told_admin" if admin else "told_manager",
               person=user.full_name, name=accepted.organisation, team=accepted.team)


async def _rhythm(
    update: Update, context: BotContext, data: callbacks.OrgRhythm | callbacks.OrgSetRhythm,
    language: str,
) -> None:
    runtime = context.runtime
    async with runtime.repository() as repo:
        if isinstance(data, callbacks.OrgSetRhythm):
            await org_rhythm.set_rhythm(repo, managing.actor(context), data.organisation_id,
                                        data.rhythm, runtime.clock.now())
        seen = await organisations.overview(repo, managing.actor(context), data.organisation_id)
    await _show_rhythm(update, context, seen, language)


async def _show_rhythm(
    update: Update, context: BotContext, seen: organisations.Overview, language: str
) -> None:
    b = context.runtime.texts.buttons(language)
    rows: list[list[tuple[str, callbacks.Button]]] = [
        [(str(b.chosen(b.rhythms[r], r == seen.reassessment)),
          callbacks.OrgSetRhythm(seen.id, r)) for r in org_rhythm.CHOICES[:2]],
        [(str(b.chosen(b.rhythms[r], r == seen.reassessment)),
          callbacks.OrgSetRhythm(seen.id, r)) for r in org_rhythm.CHOICES[2:]]]
    if seen.reassessment != "off":
        rows.append([(b.org_change_date, callbacks.OrgNextDate(seen.id))])
    rows.append([(b.org_back, callbacks.OrgOverview(seen.id))])
    await replies.show(update, context, screens.Screen(_note(
        context, language, "rhythm", name=seen.name, rhythm_name=b.rhythms[seen.reassessment],
        next_at=seen.next_reassessment_at if seen.reassessment != "off" else None,
        timezone=seen.timezone), screens.keyboard(rows)))


async def _ask_date(
    update: Update, context: BotContext, data: callbacks.OrgNextDate, language: str
) -> None:
    runtime = context.runtime
    async with runtime.repository() as repo:
        seen = await organisations.overview(repo, managing.actor(context), data.organisation_id)
        await positions.expect(repo, user_id(update),
                               positions.OrganisationNextDate(seen.id), runtime.clock.now())
    await replies.send_text(context, user_id(update), _note(
        context, language, "ask_date", name=seen.name))


@managing.politely
async def on_next_date(
    update: Update, context: BotContext, expected: positions.OrganisationNextDate
) -> None:
    """The typed day: the next survey moves there; anything else is asked again, unchanged."""
    message = update.effective_message
    assert message is not None
    runtime = context.runtime
    language = await replies.language_of(update, context)
    now = runtime.clock.now()
    me = user_id(update)
    day = parse_day(message.text or "", now.date())
    async with runtime.repository() as repo:
        moved = await org_rhythm.set_next(repo, managing.actor(context), expected.organisation_id,
                                          day, now) if day is not None else None
        if moved is not None:
            await positions.clear(repo, me)
        seen = await organisations.overview(repo, managing.actor(context), expected.organisation_id)
    if moved is None:
        await replies.send_text(context, me, _note(context, language, "bad_date"))
        return
    await _show_rhythm(update, context, seen, language)


async def _targets(
    update: Update, context: BotContext, data: callbacks.OrgTargets | callbacks.OrgSetTarget,
    language: str,
) -> None:
    runtime = context.runtime
    async with runtime.repository() as repo:
        if isinstance(data, callbacks.OrgSetTarget):
            found = await org_setup.set_target(repo, managing.actor(context), data.organisation_id,
                                               data.chapter_id, data.level or None)
        else:
            found = await org_setup.targets(repo, managing.actor(context), data.organisation_id)
    b = runtime.texts.buttons(language)
    rows: list[list[tuple[str, callbacks.Button]]] = [
        [(f"{level or '–'} · {chapter} {nl if language == 'nl' else en}",  # a long title is cut
          callbacks.OrgTargetChapter(found.organisation_id, chapter))]
        for chapter, nl, en, level in found.chapters]
    rows.append([(b.org_back, callbacks.OrgOverview(found.organisation_id))])
    await replies.show(update, context, screens.Screen(_note(
        context, language, "targets", name=found.organisation), screens.keyboard(rows)))


async def _target_chapter(
    update: Update, context: BotContext, data: callbacks.OrgTargetChapter, language: str
) -> None:
    runtime = context.runtime
    async with runtime.repository() as repo:
        found = await org_setup.targets(repo, managing.actor(context), data.organisation_id)
    chapter = next((c for c in found.chapters if c[0] == data.chapter_id), None)
    if chapter is None:
        return
    b = runtime.texts.buttons(language)
    org = found.organisation_id
    rows: list[list[tuple[str, callbacks.Button]]] = [
        [(str(level), callbacks.OrgSetTarget(org, chapter[0], level)) for level in range(1, 6)],
        [(b.org_no_target, callbacks.OrgSetTarget(org, chapter[0], 0))]]
    await replies.show(update, context, screens.Screen(_note(
        context, language, "target_ask",
        chapter=f"{chapter[0]} {chapter[1] if language == 'nl' else chapter[2]}"),
        screens.keyboard(rows)))


START_LINK = filters.Regex(f"^/start {org_setup.LINK_PREFIX}") & filters.ChatType.PRIVATE


def build_org_link_handlers() -> list[Handler]:
    """Before the joining handlers: `/start org_…` is an organisation link, not an invite."""
    return [CommandHandler("start", managing.politely(on_start_link), filters=START_LINK)]


def build_org_setup_handlers() -> list[Handler]:
    return [
        org_command(["orgtargets", "orgdoelen"], callbacks.OrgTargets, _targets),
        managing.buttons(
            managing.on(callbacks.OrgTeamManager, _manager_chosen),
            managing.on(callbacks.OrgManagerLink, _choose_manager),
            managing.on(callbacks.OrgAdminLink, _admin_link),
            managing.on(callbacks.OrgRhythm, _rhythm),
            managing.on(callbacks.OrgSetRhythm, _rhythm),
            managing.on(callbacks.OrgNextDate, _ask_date),
            managing.on(callbacks.OrgTargets, _targets),
            managing.on(callbacks.OrgTargetChapter, _target_chapter),
            managing.on(callbacks.OrgSetTarget, _targets)),
    ]
