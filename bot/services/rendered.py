"""A closed cycle's rendered report, kept: rendered once per language and variant.

Since the family (`bot.services.families`) makes a closed cycle's report the same for every reader
with the same rights, its charts, PDF and words need rendering only once. They are kept with a
`version` that changes whenever something the report shows around the fixed figures changes (an
agreed level, an action, a target, the team's name or members), so a stale file is never sent:
a different version renders anew and replaces the kept one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
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
    Team,
)
from bot.db.repositories import Repository

RENDERING = "1"
"""Bumped when the documents' templates change in a way that must reach kept reports."""


@dataclass(frozen=True, slots=True)
class Part:
    """One kept piece of a rendered report: words, a chart, a file."""

    meta: Mapping[str, Any]
    content: bytes


async def version(repo: Repository, cycle: Cycle) -> str:
    """Everything a closed cycle's rendered report depends on besides its fixed answers, hashed:
    the family, the team's name and members, its agreed levels, actions and targets."""
    team = await repo.team(cycle.team_id)
    family = await repo.session.scalar(select(DisclosureFamily.family).where(
        DisclosureFamily.cycle_id == cycle.id if cycle.organisation_cycle_id is None
        else DisclosureFamily.organisation_cycle_id == cycle.organisation_cycle_id))
    members = await repo.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.team_id == cycle.team_id, Membership.active.is_(True)))
    agreed = (await repo.session.execute(
        select(AgreedLevel.cycle_id, AgreedLevel.element_id, AgreedLevel.level,
               AgreedLevel.reason).join(Cycle, Cycle.id == AgreedLevel.cycle_id)
        .where(Cycle.team_id == cycle.team_id, Cycle.id <= cycle.id)
        .order_by(AgreedLevel.cycle_id, AgreedLevel.element_id))).all()
    actions = (await repo.session.execute(
        select(ImprovementAction.id, ImprovementAction.cycle_id, ImprovementAction.element_id,
               ImprovementAction.what, ImprovementAction.owner, ImprovementAction.due_on,
               ImprovementAction.done_at)
        .where(ImprovementAction.team_id == cycle.team_id).order_by(ImprovementAction.id))).all()
    targets = (await repo.session.execute(
        select(Target.chapter_id, Target.level).where(Target.team_id == cycle.team_id)
        .order_by(Target.chapter_id))).all()
    earlier = await repo.session.scalar(select(func.max(Cycle.id)).where(
        Cycle.team_id == cycle.team_id, Cycle.id < cycle.id, Cycle.closed_at.is_not(None)))
    name = (team.name, team.share_results, team.model_id) if isinstance(team, Team) else None
    text = repr((RENDERING, cycle.id, cycle.closed_at, family, name, members, agreed, actions,
                 targets, earlier))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


async def load(repo: Repository, cycle_id: int, language: str, wanted: str
               ) -> dict[str, Part] | None:
    """The kept parts of this version, by variant; None when nothing of it is kept."""
    rows = (await repo.session.execute(
        select(RenderedReport.variant, RenderedReport.meta, RenderedReport.content)
        .where(RenderedReport.cycle_id == cycle_id, RenderedReport.language == language,
               RenderedReport.version == wanted))).all()
    return {variant: Part(meta, content) for variant, meta, content in rows} or None


async def keep(repo: Repository, cycle_id: int, language: str, wanted: str,
               parts: Mapping[str, Part]) -> None:
    """Replace what is kept for this cycle and language by these parts of this version."""
    await repo.session.execute(delete(RenderedReport).where(
        RenderedReport.cycle_id == cycle_id, RenderedReport.language == language,
        RenderedReport.variant.in_(list(parts)) | (RenderedReport.version != wanted)))
    repo.session.add_all(RenderedReport(cycle_id=cycle_id, language=language, variant=variant,
                                        version=wanted, meta=dict(part.meta),
                                        content=part.content)
                         for variant, part in parts.items())
