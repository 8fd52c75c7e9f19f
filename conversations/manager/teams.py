"""A manager creating a team and inviting people: `/newteam <name>` and `/invite`."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.services import positions, teams
from bot.services.joining import STAKEHOLDER_GROUPS
from bot.telegram import replies
from bot.telegram.runtime import BotContext
from conversations import callbacks, managing, screens
from conversations.handlers import Handler


async def on_newteam(update: Update, context: BotContext) -> None:
    user, message = update.effective_user, update.effective_message
    assert user is not None and message is not None
    runtime = context.runtime
    language = await replies.language_of(update, context)
    name = " ".join((message.text or "").split()[1:])
    if not name:
        async with runtime.repository() as repo:  # committed before the question shows
            await teams.expect_name(repo, managing.actor(context), runtime.clock.now())
        await replies.send_text(context, user.id, runtime.texts.render(language, "ask_team_name"))
        return
    await _create(update, context, name, language)


@managing.politely
async def on_team_name(update: Update, context: BotContext, _: positions.TeamName) -> None:
    """The name typed after a bare `/newteam` (routed here by `conversations.typed`)."""
    message = update.effective_message
    assert message is not None
    language = await replies.language_of(update, context)
    await _create(update, context, message.text or "", language)


async def _create(update: Update, context: BotContext, name: str, language: str) -> None:
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    now = runtime.clock.now()
    async with runtime.repository() as repo:
        await positions.clear(repo, user.id)
        await repo.touch_person(user.id, user.full_name, language, now)
        team, _ = await teams.create_team(repo, name, user.id, teams.TeamSettings(
            timezone=runtime.settings.default_timezone,
            anonymity_threshold=runtime.settings.anonymity_threshold), now,
            creator=managing.actor(context))
        invite = await teams.create_invite(repo, team.id, user.id, None, now)
    await replies.send_text(context, user.id, runtime.texts.render(
        language, "team_created", team=team.name, expires=invite.expires_at,
        timezone=team.timezone, link=teams.invite_link(runtime.bot_username, invite.token)))


async def _send_invite(
    update: Update, context: BotContext, data: callbacks.Invite | callbacks.InviteGroup,
    language: str,
) -> None:
    """`iv`: a link for the team; `ig`: a link that puts people in one stakeholder group."""
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        group = data.group if isinstance(data, callbacks.InviteGroup) else None
        invite = await teams.create_invite(repo, data.team_id, user.id, group, runtime.clock.now())
        team = await repo.team(data.team_id)  # loaded by the service's check: no second query
    assert team is not None
    b = runtime.texts.buttons(language)
    rows: list[list[tuple[str, callbacks.Button]]] = [
        [(str(b.group(name)), callbacks.InviteGroup(team.id, name))]
        for name in STAKEHOLDER_GROUPS if team.use_groups]
    rows.append([(b.revoke_links, callbacks.RevokeInvites(team.id))])
    await replies.show(update, context, screens.Screen(runtime.texts.render(
        language, "invite_link", team=team.name, expires=invite.expires_at,
        timezone=team.timezone, threshold=team.anonymity_threshold,
        group=str(b.group(group)) if group else None,
        link=teams.invite_link(runtime.bot_username, invite.token)), screens.keyboard(rows)))


async def _revoke(
    update: Update, context: BotContext, data: callbacks.RevokeInvites, language: str
) -> None:
    user = update.effective_user
    assert user is not None
    runtime = context.runtime
    async with runtime.repository() as repo:
        count = await teams.revoke_invites(repo, user.id, data.team_id, runtime.clock.now())
        team = await repo.team(data.team_id)
    assert team is not None
    await replies.show(update, context, screens.Screen(runtime.texts.render(
        language, "invites_revoked", team=team.name, count=count)))


def build_team_handlers() -> list[Handler]:
    return [CommandHandler("newteam", managing.politely(on_newteam))]


def build_invite_handlers() -> list[Handler]:
    return [managing.command("invite", callbacks.Invite, _send_invite),
            managing.buttons(managing.on(callbacks.Invite, _send_invite),
                             managing.on(callbacks.InviteGroup, _send_invite),
                             managing.on(callbacks.RevokeInvites, _revoke))]
