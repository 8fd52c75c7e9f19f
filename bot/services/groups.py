"""The team's Telegram group: which team a group belongs to, as plain data.

A group is linked to one team and a team to one group (`GroupLink`). Everything the bot shows in a
group is looked up through `linked_team`, so a group of another team can never reach this team's
figures: the team comes from the group, never from a button or a typed id.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.db.models import GroupLink, Team
from bot.db.repositories import Repository
from bot.services.permissions import Permission, PermissionsError, is_active_manager


@dataclass(frozen=True, slots=True)
class LinkedGroup:
    chat_id: int
    team_id: int
    team_name: str
    language: str
    bot_is_admin: bool


async def linked_team(repo: Repository, chat_id: int) -> LinkedGroup | None:
    """The team this group is linked to, while the bot is in it; None for any other group."""
    row = (await repo.session.execute(
        select(GroupLink, Team.name).join(Team, Team.id == GroupLink.team_id)
        .where(GroupLink.chat_id == chat_id, GroupLink.left_at.is_(None))
    )).first()
    if row is None:
        return None
    link, team_name = row
    return LinkedGroup(chat_id=link.chat_id, team_id=link.team_id, team_name=team_name,
                       language=link.language, bot_is_admin=link.bot_is_admin)


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
