"""A manager creating a team and inviting people: `/newteam <name>` and `/invite`."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.runtime import BotContext
from bot.services import positions, teams
from bot.services.joining import STAKEHOLDER_GROUPS
from conversations import callbacks, managing, replies, screens
from conversations.callbacks import Callback
from conversations.handlers import Handler


async def on_newteam(update: Update, context: BotContext) -> None:
    user, message = update.effective_user, update.effective_message
    assert user is not None and message is not None
    runtime = context.runtime
    language = await replies.language_of(update, context)
    if not teams.may_create_teams(runtime.settings.admin_ids, user.id):
        await replies.send_text(context, user.id, runtime.texts.render(language, "not_allowed"))
        return
    name = " ".join((message.text or "").split()[1:])
    if not name:
        async with runtime.repository() as repo:  # committed before the question shows
            await positions.expect(repo, user.id, positions.TeamName(), runtime.clock.now())
        await replies.send_text(context, user.id, runtime.texts.render(language, "ask_team_name"))
        return
    await _create(update, context, name, language)


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
            anonymity_threshold=runtime.settings.anonymity_threshold), now)
        invite = await teams.create_invite(repo, team.id, user.id, None, now)
    await replies.send_text(context, user.id, runtime.texts.render(
        language, "team_created", team=team.name, expires=invite.expires_at,
        timezone=team.timezone, link=teams.invite_link(runtime.bot_username, invite.token)))


async def _send_invite(
    update: Update, context: BotContext, data: Callback, language: str
) -> None:
    """`iv`: a link for the team; `ig`: a link that puts people in one stakeholder group."""
    user = update.effective_user
    assert user is not None
    team = await managing.refuse_unless_manager(update, context, data.target, language)
    group = data.value if data.verb == "ig" and data.value in STAKEHOLDER_GROUPS else None
    if team is None:
        return
    runtime = context.runtime
    async with runtime.repository() as repo:
        invite = await teams.create_invite(repo, team.id, user.id, group, runtime.clock.now())
    b = runtime.texts.buttons(language)
    rows = [[(str(b.group(name)), callbacks.manage("ig", team.id, name))]
            for name in STAKEHOLDER_GROUPS if team.use_groups]
    rows.append([(b.revoke_links, callbacks.manage("ix", team.id))])
    await replies.show(update, context, screens.Screen(runtime.texts.render(
        language, "invite_link", team=team.name, expires=invite.expires_at,
        timezone=team.timezone, threshold=team.anonymity_threshold,
        group=str(b.group(group)) if group else None,
        link=teams.invite_link(runtime.bot_username, invite.token)), screens.keyboard(rows)))


async def _revoke(update: Update, context: BotContext, data: Callback, language: str) -> None:
    team = await managing.refuse_unless_manager(update, context, data.target, language)
    if team is None:
        return
    runtime = context.runtime
    async with runtime.repository() as repo:
        count = await teams.revoke_invites(repo, team.id, runtime.clock.now())
    await replies.show(update, context, screens.Screen(runtime.texts.render(
        language, "invites_revoked", team=team.name, count=count)))


def build_team_handlers() -> list[Handler]:
    return [CommandHandler("newteam", on_newteam)]


def build_invite_handlers() -> list[Handler]:
    return [managing.command("invite", "iv", _send_invite),
            managing.buttons({"iv": _send_invite, "ig": _send_invite, "ix": _revoke})]
