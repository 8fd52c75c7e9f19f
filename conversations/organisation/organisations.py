"""An organisation admin: `/neworg` (`/nieuweorg`), `/org` (`/organisatie`), `/orgteam`
(`/teamerbij`), `/orgadmin` (`/beheerder`).

The overview is the hub: its buttons create a team in the organisation, move one of the admin's
teams into it, add an admin (chosen from the members of its teams: a button per person works in
every private chat, unlike a forwarded contact), and open, follow and close the organisation-wide
survey (`conversations.organisation.org_survey`). Every button names its organisation; the services
check the
admin's rights (`bot.services.permissions.check_can_administer_org`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from telegram import Update
from telegram.ext import CommandHandler

from bot.services import organisations, positions
from bot.telegram import replies
from bot.telegram.runtime import BotContext
from conversations import callbacks, managing, screens
from conversations.handlers import Handler

B = TypeVar("B", bound=callbacks.Button)


def user_id(update: Update) -> int:
    """The acting person (every step has one)."""
    assert update.effective_user is not None
    return update.effective_user.id


async def pick_organisation(
    update: Update, context: BotContext, make: Callable[[int], callbacks.Button], language: str,
) -> int | None:
    """The one organisation this person administers, or None after a button per organisation
    (or the line that they administer none)."""
    runtime = context.runtime
    async with runtime.repository() as repo:
        mine = await organisations.administered(repo, managing.actor(context))
    if len(mine) == 1:
        return mine[0].id
    texts = runtime.texts
    if not mine:
        await replies.send_text(context, user_id(update), texts.render(
            language, "org_note", what="no_orgs"))
        return None
    rows = [[(o.name, make(o.id))] for o in mine[:90]]
    await replies.send(context, user_id(update), screens.Screen(
        texts.render(language, "org_note", what="choose"), screens.keyboard(rows)))
    return None


def org_command(
    names: list[str], make: Callable[[int], B], step: managing.ManagerStep[B],
) -> CommandHandler[BotContext, None]:
    """`/name`: ask which organisation when the person administers several, else go straight to
    `step` as if its button was tapped (as `managing.command` does for teams)."""
    async def handle(update: Update, context: BotContext) -> None:
        language = await replies.language_of(update, context)
        organisation_id = await pick_organisation(update, context, make, language)
        if organisation_id is not None:
            await step(update, context, make(organisation_id), language)

    return CommandHandler(names, managing.politely(handle))


async def on_neworg(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None
    runtime = context.runtime
    language = await replies.language_of(update, context)
    name = " ".join((message.text or "").split()[1:])
    if not name:
        async with runtime.repository() as repo:
            await organisations.expect_name(repo, managing.actor(context), runtime.clock.now())
        await replies.send_text(context, user_id(update), runtime.texts.render(
            language, "org_note", what="ask_name"))
        return
    await _create(update, context, name, language)


@managing.politely
async def on_organisation_name(
    update: Update, context: BotContext, _: positions.OrganisationName
) -> None:
    message = update.effective_message
    assert message is not None
    await _create(update, context, message.text or "", await replies.language_of(update, context))


async def _create(update: Update, context: BotContext, name: str, language: str) -> None:
    runtime = context.runtime
    user = update.effective_user
    assert user is not None
    now = runtime.clock.now()
    async with runtime.repository() as repo:
        await positions.clear(repo, user.id)
        await repo.touch_person(user.id, user.full_name, language, now)
        created = await organisations.create(repo, managing.actor(context), name, now)
    await _overview(update, context, callbacks.OrgOverview(created.id), language,
                    note=runtime.texts.render(language, "org_note", what="created",
                                              name=created.name))


async def _overview(
    update: Update, context: BotContext, data: callbacks.OrgOverview, language: str,
    note: str | None = None,
) -> None:
    runtime = context.runtime
    async with runtime.repository() as repo:
        seen = await organisations.overview(repo, managing.actor(context),
                                            data.organisation_id)
    b = runtime.texts.buttons(language)
    org = seen.id
    rows: list[list[tuple[str, callbacks.Button]]] = []
    if seen.open_cycle_id is not None:
        rows.append([(b.org_status, callbacks.OrgStatus(seen.open_cycle_id)),
                     (b.org_close, callbacks.OrgAskClose(seen.open_cycle_id))])
    elif seen.teams:
        rows.append([(b.org_survey, callbacks.OrgSurvey(org))])
    rows += [[(b.org_new_team, callbacks.OrgNewTeam(org)),
              (b.org_move, callbacks.OrgMoveList(org))],
             [(b.org_add_admin, callbacks.OrgAdmins(org))],
             [(b.org_rhythm, callbacks.OrgRhythm(org)), (b.org_targets, callbacks.OrgTargets(org))]]
    people = {p.team_id: p for p in seen.people}
    text = runtime.texts.render(
        language, "org_overview", name=seen.name, admins=seen.admins, deadline=seen.deadline,
        teams=[{"name": n, "members": m,
                "managers": people[i].managers if i in people else (),
                "others": people[i].members if i in people else ()}
               for i, n, m in seen.teams], status=seen.status, rhythm=seen.reassessment,
        next_at=seen.next_reassessment_at if seen.reassessment != "off" else None,
        timezone=seen.timezone)
    await replies.show(update, context, screens.Screen(
        f"{note}\n\n{text}" if note else text, screens.keyboard(rows)))


show_overview = _overview
"""`/org`'s screen, with a note above it (for the other organisation flows)."""


async def _ask_team_name(
    update: Update, context: BotContext, data: callbacks.OrgNewTeam, language: str
) -> None:
    runtime = context.runtime
    async with runtime.repository() as repo:
        seen = await organisations.overview(repo, managing.actor(context),
                                            data.organisation_id)
        await positions.expect(repo, user_id(update),
                               positions.OrganisationTeamName(seen.id), runtime.clock.now())
    await replies.send_text(context, user_id(update), runtime.texts.render(
        language, "org_note", what="ask_team_name", name=seen.name))


async def _show_choices(
    update: Update, context: BotContext, language: str, org: int, name: str,
    choices: list[tuple[str, callbacks.Button]], what: str,
) -> None:
    """One button per choice (at most 90: a keyboard holds 100) and one back to the overview;
    the teams to move and the admins to add are picked the same way."""
    b = context.runtime.texts.buttons(language)
    rows = [[choice] for choice in choices[:90]]
    rows.append([(b.org_back, callbacks.OrgOverview(org))])
    await replies.show(update, context, screens.Screen(context.runtime.texts.render(
        language, "org_note", what=what, name=name), screens.keyboard(rows)))


async def _move_list(
    update: Update, context: BotContext, data: callbacks.OrgMoveList, language: str
) -> None:
    runtime = context.runtime
    org = data.organisation_id
    async with runtime.repository() as repo:
        movable = await organisations.movable_teams(repo, managing.actor(context), org)
        seen = await organisations.overview(repo, managing.actor(context), org)
    await _show_choices(update, context, language, org, seen.name,
                        [(name, callbacks.OrgMove(org, team_id)) for team_id, name in movable],
                        "choose_move" if movable else "nothing_to_move")


async def _move(
    update: Update, context: BotContext, data: callbacks.OrgMove, language: str
) -> None:
    """Move the team; the admins of both organisations are told (a refusal says why)."""
    runtime = context.runtime
    texts = runtime.texts
    user = update.effective_user
    assert user is not None
    try:
        async with runtime.repository() as repo:
            moved = await organisations.move_team(repo, managing.actor(context), data.team_id,
                                                  data.organisation_id)
        note = texts.render(language, "org_note", what="moved", team=moved.team,
                            name=moved.organisation)
    except organisations.MoveRefusal as refusal:
        team, reason, left = refusal.args
        note = texts.render(language, "org_note", what="move_refused", team=team) if (
            reason == "open") else texts.render(language, "org_setup", what="move_not_admin",
                                                team=team, left=left)
    else:
        for person in moved.tell:
            await replies.send_text(context, person.user_id, texts.render(
                person.language, "org_setup", what="team_left" if moved.left else "team_joined",
                team=moved.team, name=moved.organisation, left=moved.left,
                person=user.full_name))
    await _overview(update, context, callbacks.OrgOverview(data.organisation_id), language,
                    note=note)


async def _admins(
    update: Update, context: BotContext, data: callbacks.OrgAdmins, language: str
) -> None:
    runtime = context.runtime
    org = data.organisation_id
    async with runtime.repository() as repo:
        candidates = await organisations.admin_candidates(repo, managing.actor(context), org)
        seen = await organisations.overview(repo, managing.actor(context), org)
    b = runtime.texts.buttons(language)
    await _show_choices(update, context, language, org, seen.name,
                        [(name, callbacks.OrgAddAdmin(org, person))
                         for person, name in candidates[:89]]
                        + [(b.org_admin_link, callbacks.OrgAdminLink(org))],
                        "choose_admin" if candidates else "no_candidates")


async def _add_admin(
    update: Update, context: BotContext, data: callbacks.OrgAddAdmin, language: str
) -> None:
    runtime = context.runtime
    org = data.organisation_id
    async with runtime.repository() as repo:
        person = await organisations.add_admin(repo, managing.actor(context),
                                               org, data.user_id, runtime.clock.now())
        seen = await organisations.overview(repo, managing.actor(context), org)
    note = runtime.texts.render(language, "org_note", what="admin_added" if person else "stale",
                                person=person, name=seen.name)
    await _overview(update, context, callbacks.OrgOverview(org), language, note=note)


def build_organisation_handlers() -> list[Handler]:
    return [
        CommandHandler(["neworg", "nieuweorg"], managing.politely(on_neworg)),
        org_command(["org", "organisatie"], callbacks.OrgOverview, _overview),
        org_command(["orgteam", "teamerbij"], callbacks.OrgNewTeam, _ask_team_name),
        org_command(["orgadmin", "beheerder"], callbacks.OrgAdmins, _admins),
        managing.buttons(
            managing.on(callbacks.OrgOverview, _overview),
            managing.on(callbacks.OrgNewTeam, _ask_team_name),
            managing.on(callbacks.OrgMoveList, _move_list),
            managing.on(callbacks.OrgMove, _move),
            managing.on(callbacks.OrgAdmins, _admins),
            managing.on(callbacks.OrgAddAdmin, _add_admin)),
    ]
