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

from bot.db.models import Cycle, Team
from bot.db.queries import rendered as queries
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
    family = await queries.family_text(repo, cycle)
    members = await queries.active_members(repo, cycle.team_id)
    agreed = await queries.agreed_up_to(repo, cycle)
    actions = await queries.action_lines(repo, cycle.team_id)
    targets = await queries.target_lines(repo, cycle.team_id)
    earlier = await queries.earlier_closed(repo, cycle)
    name = (team.name, team.share_results, team.model_id) if isinstance(team, Team) else None
    text = repr((RENDERING, cycle.id, cycle.closed_at, family, name, members, agreed, actions,
                 targets, earlier))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


async def load(repo: Repository, cycle_id: int, language: str, wanted: str
               ) -> dict[str, Part] | None:
    """The kept parts of this version, by variant; None when nothing of it is kept."""
    rows = await queries.kept_parts(repo, cycle_id, language, wanted)
    return {variant: Part(meta, content) for variant, meta, content in rows} or None


async def keep(repo: Repository, cycle_id: int, language: str, wanted: str,
               parts: Mapping[str, Part]) -> None:
    """Replace what is kept for this cycle and language by these parts of this version."""
    await queries.replace_parts(repo, cycle_id, language, wanted,
                                {variant: (part.meta, part.content)
                                 for variant, part in parts.items()})
