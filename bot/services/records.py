"""Plain records of what the services hand out about a team or a cycle, instead of ORM rows.

A row is alive only inside its unit of work (lazy loads, identity map); a frozen record can be
rendered, cached for several readers and built in a test without a database. `of` copies the
fields a reader needs from a row, once, inside the unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.models import Cycle, Team


@dataclass(frozen=True, slots=True)
class TeamInfo:
    id: int
    name: str
    timezone: str
    model_id: str
    anonymity_threshold: int
    organisation_id: int
    default_scope: str = "quick"
    reassessment: str = "quarterly"
    reminders_enabled: bool = True
    use_groups: bool = False
    share_results: bool = True
    next_reassessment_at: datetime | None = None

    @classmethod
    def of(cls, team: Team) -> TeamInfo:
        return cls(team.id, team.name, team.timezone, team.model_id, team.anonymity_threshold,
                   team.organisation_id, team.default_scope, team.reassessment,
                   team.reminders_enabled, team.use_groups, team.share_results,
                   team.next_reassessment_at)


@dataclass(frozen=True, slots=True)
class CycleInfo:
    id: int
    team_id: int
    model_id: str
    scope_id: str
    opened_at: datetime
    deadline: datetime
    closed_at: datetime | None = None
    organisation_cycle_id: int | None = None

    @classmethod
    def of(cls, cycle: Cycle) -> CycleInfo:
        return cls(cycle.id, cycle.team_id, cycle.model_id, cycle.scope_id, cycle.opened_at,
                   cycle.deadline, cycle.closed_at, cycle.organisation_cycle_id)
