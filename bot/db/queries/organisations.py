"""Queries about organisations, their admins and their cycles (for `bot.services.permissions`,
`organisations`, `org_cycles` and `org_reports`)."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Organisation, OrganisationAdmin, OrganisationCycle
from bot.db.repositories import Repository


async def organisation(repo: Repository, organisation_id: int) -> Organisation | None:
    return await repo.session.get(Organisation, organisation_id)


async def organisation_cycle(repo: Repository, cycle_id: int) -> OrganisationCycle | None:
    return await repo.session.get(OrganisationCycle, cycle_id)


async def has_admin_row(repo: Repository, organisation_id: int, user_id: int) -> bool:
    """Whether this person is named an admin of the organisation (ADMIN_IDS aside)."""
    row = await repo.session.scalar(select(OrganisationAdmin.user_id).where(
        OrganisationAdmin.organisation_id == organisation_id,
        OrganisationAdmin.user_id == user_id))
    return row is not None
