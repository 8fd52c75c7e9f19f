"""Queries behind the kept rendered reports (for `bot.services.rendered`): what a closed cycle's
report depends on besides its answers, and the kept parts themselves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, select

from bot.db.models import (
    AgreedLevel,
    Cycle,
    DisclosureFamily,
    ImprovementAction,
    Membership,
    RenderedReport,
    Target,
)
from bot.db.repositories import Repository


async def family_text(repo: Repository, cycle: Cycle) -> str | None:
    """The kept family the cycle's figures obey (its organisation cycle's when part of one)."""
    return await repo.session.scalar(select(DisclosureFamily.family).where(
        DisclosureFamily.cycle_id == cycle.id if cycle.organisation_cycle_id is None
        else DisclosureFamily.organisation_cycle_id == cycle.organisation_cycle_id))


async def active_members(repo: Repository, team_id: int) -> int | None:
    return await repo.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.team_id == team_id, Membership.active.is_(True)))


async def agreed_up_to(repo: Repository, cycle: Cycle) -> Sequence[Any]:
    """(cycle, element, level, reason) agreed by the team in this cycle and the ones before."""
    return (await repo.session.execute(
        select(AgreedLevel.cycle_id, AgreedLevel.element_id, AgreedLevel.level,
               AgreedLevel.reason).join(Cycle, Cycle.id == AgreedLevel.cycle_id)
        .where(Cycle.team_id == cycle.team_id, Cycle.id <= cycle.id)
        .order_by(AgreedLevel.cycle_id, AgreedLevel.element_id))).all()


async def action_lines(repo: Repository, team_id: int) -> Sequence[Any]:
    """What a report shows of each of the team's actions, by id."""
    return (await repo.session.execute(
        select(ImprovementAction.id, ImprovementAction.cycle_id, ImprovementAction.element_id,
               ImprovementAction.what, ImprovementAction.owner, ImprovementAction.due_on,
               ImprovementAction.done_at)
        .where(ImprovementAction.team_id == team_id).order_by(ImprovementAction.id))).all()


async def target_lines(repo: Repository, team_id: int) -> Sequence[Any]:
    """(chapter, level) of the team's targets, by chapter."""
    return (await repo.session.execute(
        select(Target.chapter_id, Target.level).where(Target.team_id == team_id)
        .order_by(Target.chapter_id))).all()


async def earlier_closed(repo: Repository, cycle: Cycle) -> int | None:
    """The id of the team's last closed cycle before this one."""
    return await repo.session.scalar(select(func.max(Cycle.id)).where(
        Cycle.team_id == cycle.team_id, Cycle.id < cycle.id, Cycle.closed_at.is_not(None)))


async def kept_parts(repo: Repository, cycle_id: int, language: str, version: str
                     ) -> list[tuple[str, Mapping[str, Any], bytes]]:
    """(variant, meta, content) kept of this version."""
    rows = (await repo.session.execute(
        select(RenderedReport.variant, RenderedReport.meta, RenderedReport.content)
        .where(RenderedReport.cycle_id == cycle_id, RenderedReport.language == language,
               RenderedReport.version == version))).all()
    return [(variant, meta, content) for variant, meta, content in rows]


async def replace_parts(repo: Repository, cycle_id: int, language: str, version: str,
                        parts: Mapping[str, tuple[Mapping[str, Any], bytes]]) -> None:
    """Drop the kept parts of these variants and of any other version; keep these instead."""
    await repo.session.execute(delete(RenderedReport).where(
        RenderedReport.cycle_id == cycle_id, RenderedReport.language == language,
        RenderedReport.variant.in_(list(parts)) | (RenderedReport.version != version)))
    repo.session.add_all(RenderedReport(cycle_id=cycle_id, language=language, variant=variant,
                                        version=version, meta=dict(meta), content=content)
                         for variant, (meta, content) in parts.items())
