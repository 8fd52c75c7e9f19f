"""The team's Telegram group: which team a group belongs to, linking it, and the bot's presence.

A group is linked to one team and a team to one group (`GroupLink`). Everything the bot shows in a
group is looked up through `linked_team`, so a group of another team can never reach this team's
figures: the team comes from the group, never from a button or a typed id.

Linking is a manager's act, in one of two ways: `/link` typed in the group (`link_group`), or the
`startgroup` deep link from /settings (`create_link_token`, then `link_with_token` when the bot
arrives with it). Either way the person doing it in the group must be an active manager of the
team at that moment; a token only says *which* team. A group linked to another team is refused
(that team's manager unlinks it first, `unlink_group`): taking over another team's group would
end their meetings there. A team linking a second group moves its link, and the outcome says so.

Telegram tells us when the bot is added, removed or promoted (`bot_joined`, `bot_left`,
`bot_admin_changed`); a removed bot's link stays as a row with `left_at`, so `linked_team` no
longer finds it (nothing is sent there any more) and a manager re-adding the bot gets it back with
its language.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.db.models import GroupLink
from bot.db.queries import groups as queries
from bot.db.repositories import Repository
from bot.services.joining import LANGUAGES
from bot.services.permissions import (
    Permission,
    PermissionsError,
    check_can_manage,
    is_active_manager,
)

LINK_VALIDITY = timedelta(hours=24)
"""How long a deep link from /settings links: long enough to find the group, short enough that a
forwarded link soon stops working."""


@dataclass(frozen=True, slots=True)
class LinkedGroup:
    chat_id: int
    team_id: int
    team_name: str
    language: str
    bot_is_admin: bool
    title: str = ""


@dataclass(frozen=True, slots=True)
class GroupChat:
    """What Telegram says about the group an update came from."""

    chat_id: int
    title: str


class LinkRefusal(StrEnum):
    TOKEN_INVALID = "token_invalid"  # unknown, expired, or used for another group
    LINKED_ELSEWHERE = "linked_elsewhere"  # the group is another team's: unlink it first
    NOT_A_GROUP = "not_a_group"  # a private chat (positive id) is no group


class LinkRefused(Exception):
    """The link cannot be made, whoever asks (bad input, not a permission): plain data."""

    def __init__(self, reason: LinkRefusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class LinkOutcome:
    group: LinkedGroup
    moved_from: str | None = None
    """The title of the group the team was linked to until now (its link moved here)."""
    again: bool = False
    """The group was linked to this team already: nothing changed."""


async def linked_team(repo: Repository, chat_id: int) -> LinkedGroup | None:
    """The team this group is linked to, while the bot is in it; None for any other group."""
    row = await queries.live_link_with_team(repo, chat_id)
    if row is None:
        return None
    link, team_name = row
    return _linked(link, team_name)


async def check_can_steer(repo: Repository, actor_id: int, chat_id: int) -> LinkedGroup:
    """The linked team, if the actor is one of its active managers: only they start or steer a
    meeting, switch the group's language or re-link it. An unlinked group is refused the same way,
    so a refusal does not tell whether (or to which team) a group is linked."""
    group = await linked_team(repo, chat_id)
    if group is None:
        raise PermissionsError(Permission.MANAGE_TEAM, actor_id)
    if not is_active_manager(await repo.membership(group.team_id, actor_id)):
        raise PermissionsError(Permission.MANAGE_TEAM, actor_id, group.team_id)
    return group


async def group_language(repo: Repository, chat_id: int) -> str | None:
    """The language the bot speaks in this group: the linked team's group language, or None for
    a group that is not linked (then the acting person's language is the best guess)."""
    group = await linked_team(repo, chat_id)
    return group.language if group is not None else None


async def team_group(repo: Repository, actor_id: int, team_id: int) -> LinkedGroup | None:
    """The group a team is linked to now (for its managers' /settings)."""
    team = await check_can_manage(repo, actor_id, team_id)
    link = await queries.live_link_of_team(repo, team_id)
    return _linked(link, team.name) if link is not None else None


# --- linking ------------------------------------------------------------------------------------

async def create_link_token(
    repo: Repository, actor_id: int, team_id: int, now: datetime,
    valid_for: timedelta = LINK_VALIDITY,
) -> str:
    """A fresh token for the team's `startgroup` deep link (managers only); 128 random bits in
    22 characters, within Telegram's 64 for a deep-link payload."""
    await check_can_manage(repo, actor_id, team_id)
    token = secrets.token_urlsafe(16)
    await queries.new_token(repo, token, team_id, now, now + valid_for)
    return token


LINK_ON_THE_WAY = timedelta(minutes=15)


async def deep_link_on_the_way(repo: Repository, actor_id: int, now: datetime) -> bool:
    """Whether the person who just added the bot to a group most likely did it through a
    `startgroup` link: they manage a team with an unused link made in the last quarter hour.
    Telegram then says `/start <token>` in the group right after adding the bot, and the bot's
    first words there should be "linked to <team>", not "a manager types /link" (tokens keep
    no user id, so a team's fresh token stands for its managers)."""
    return await queries.fresh_link_of_a_manager(repo, actor_id, now - LINK_ON_THE_WAY, now)


def startgroup_link(bot_username: str, token: str) -> str:
    """Telegram's deep link that asks the person for a group and adds the bot to it; the bot
    then receives `/start@<bot> <token>` in that group."""
    return f"https://t.me/{bot_username}?startgroup={token}"


async def link_with_token(
    repo: Repository, actor_id: int, chat: GroupChat, token: str, language: str,
    bot_is_admin: bool, now: datetime,
) -> LinkOutcome:
    """The bot arrived in a group through a deep link: link it to the token's team, if the person
    who added it manages that team. A token works until it expires and for one group."""
    row = await queries.token(repo, token[:64])
    if row is None or row.expires_at <= now:
        raise LinkRefused(LinkRefusal.TOKEN_INVALID)
    if row.used_at is not None:
        current = await linked_team(repo, chat.chat_id)
        if current is None or current.team_id != row.team_id:
            raise LinkRefused(LinkRefusal.TOKEN_INVALID)
    outcome = await link_group(repo, actor_id, row.team_id, chat, language, bot_is_admin, now)
    row.used_at = row.used_at or now
    return outcome


async def link_group(
    repo: Repository, actor_id: int, team_id: int, chat: GroupChat, language: str,
    bot_is_admin: bool, now: datetime,
) -> LinkOutcome:
    """Link `chat` to the team (an active manager of it only). A new link speaks `language` (the
    manager's); a link that moves here from the team's earlier group keeps that group's."""
    if chat.chat_id >= 0:
        raise LinkRefused(LinkRefusal.NOT_A_GROUP)
    team = await check_can_manage(repo, actor_id, team_id)
    here = await queries.link(repo, chat.chat_id)
    if here is not None and here.team_id != team_id:
        if here.left_at is None:
            raise LinkRefused(LinkRefusal.LINKED_ELSEWHERE)
        await queries.remove(repo, here)  # the other team's stale link: the bot had left here
        here = None
    elsewhere = await queries.link_elsewhere(repo, team_id, chat.chat_id)
    moved_from = None
    if elsewhere is not None:
        moved_from = elsewhere.title if elsewhere.left_at is None else None
        language = elsewhere.language
        await queries.remove(repo, elsewhere)
    await queries.flush(repo)
    again = here is not None and here.left_at is None
    if here is None:
        here = GroupLink(chat_id=chat.chat_id, team_id=team_id, language=_language(language),
                         linked_at=now)
        await queries.add(repo, here)
    elif not again:
        here.linked_at = now
    here.title, here.bot_is_admin, here.left_at = chat.title[:200], bot_is_admin, None
    here.linked_by = actor_id if not again else here.linked_by
    await queries.flush(repo)
    return LinkOutcome(_linked(here, team.name), moved_from, again)


async def unlink_group(repo: Repository, actor_id: int, chat_id: int) -> LinkedGroup:
    """The group is no longer the team's (a manager of the linked team only); the bot stays, and
    another team's manager may link it now."""
    group = await check_can_steer(repo, actor_id, chat_id)
    await queries.unlink(repo, chat_id)
    return group


async def set_group_language(
    repo: Repository, actor_id: int, chat_id: int, language: str
) -> LinkedGroup:
    """Switch the language the bot speaks in the group (a manager of the linked team only)."""
    group = await check_can_steer(repo, actor_id, chat_id)
    await queries.change(repo, chat_id, language=_language(language))
    return LinkedGroup(group.chat_id, group.team_id, group.team_name, _language(language),
                       group.bot_is_admin, group.title)


# --- the bot's presence, as Telegram reports it -------------------------------------------------

async def bot_joined(
    repo: Repository, actor_id: int, chat: GroupChat, bot_is_admin: bool
) -> LinkedGroup | None:
    """The bot was added to a group: its link, if it has one. A link the bot had left comes back
    only when a manager of its team re-adds the bot (anyone else gets an unlinked group)."""
    link = await queries.link(repo, chat.chat_id)
    if link is None:
        return None
    if link.left_at is not None:
        if not is_active_manager(await repo.membership(link.team_id, actor_id)):
            return None
        link.left_at = None
    link.title, link.bot_is_admin = chat.title[:200], bot_is_admin
    await queries.flush(repo)
    return await linked_team(repo, chat.chat_id)


async def bot_left(repo: Repository, chat_id: int, now: datetime) -> None:
    """The bot was removed or kicked (or Telegram refused a message there with 403): nothing is
    sent to the group any more, and nothing is retried."""
    await queries.change(repo, chat_id, only_present=True, left_at=now, bot_is_admin=False)


async def bot_admin_changed(repo: Repository, chat_id: int, is_admin: bool) -> None:
    await queries.change(repo, chat_id, bot_is_admin=is_admin)


async def group_renamed(repo: Repository, chat_id: int, title: str) -> None:
    """The group's new title, so /settings names the group its members know."""
    await queries.change(repo, chat_id, title=title[:200])


@dataclass(frozen=True, slots=True)
class MovedMeeting:
    """The unfinished meeting that followed its group to the supergroup: its message stayed in
    the old chat and is to be shown anew in the new one."""

    meeting_id: int
    old_message_id: int | None


async def group_migrated(
    repo: Repository, old_chat_id: int, new_chat_id: int
) -> MovedMeeting | None:
    """Telegram turned the group into a supergroup (an admin changed a setting, or it grew): the
    same people under a new chat id, so the link follows it. Telegram tells it in both chats;
    the second telling finds nothing left to move. The group's meetings and the replies awaited
    there move too; the meeting's message stays behind in the old chat: the unfinished meeting
    that moved is returned, to be shown anew in the new chat."""
    moved = await queries.move_chat(repo, old_chat_id, new_chat_id)
    return MovedMeeting(*moved) if moved is not None else None


def _language(language: str) -> str:
    return language if language in LANGUAGES else LANGUAGES[0]


def _linked(link: GroupLink, team_name: str) -> LinkedGroup:
    return LinkedGroup(chat_id=link.chat_id, team_id=link.team_id, team_name=team_name,
                       language=link.language, bot_is_admin=link.bot_is_admin, title=link.title)
