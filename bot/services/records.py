"""Plain records of what the services hand out about a team or a cycle, instead of ORM rows.

A row is alive only inside its unit of work (lazy loads, identity map); a frozen record can be
rendered, cached for several readers and built in a test without a database. `of` copies the
fields a reader needs from a row, once, inside the unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.db.models import Cycle, ImprovementAction, OrganisationCycle, Team


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
    checkins: str = "fortnightly"
    """How often action owners are asked (`domain.action_rhythm`)."""

    @classmethod
    def of(cls, team: Team) -> TeamInfo:
        return cls(team.id, team.name, team.timezone, team.model_id, team.anonymity_threshold,
                   team.organisation_id, team.default_scope, team.reassessment,
                   team.reminders_enabled, team.use_groups, team.share_results,
                   team.next_reassessment_at, team.checkins)


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


@dataclass(frozen=True, slots=True)
class OrganisationCycleInfo:
    id: int
    organisation_id: int
    model_id: str
    scope_id: str
    opened_at: datetime
    deadline: datetime
    closed_at: datetime | None = None

    @classmethod
    def of(cls, cycle: OrganisationCycle) -> OrganisationCycleInfo:
        return cls(cycle.id, cycle.organisation_id, cycle.model_id, cycle.scope_id,
                   cycle.opened_at, cycle.deadline, cycle.closed_at)


@dataclass(frozen=True, slots=True)
class ActionInfo:
    """An improvement action as a list shows it (its owner's name as written when it was made)."""

    id: int
    team_id: int
    cycle_id: int | None
    element_id: str
    what: str
    owner: str
    owner_id: int | None
    due_on: date | None
    done_at: datetime | None = None
    created_at: datetime | None = None

    @classmethod
    def of(cls, action: ImprovementAction) -> ActionInfo:
        return cls(action.id, action.team_id, action.cycle_id, action.element_id, action.what,
                   action.owner, action.owner_id, action.due_on, action.done_at,
                   action.created_at)
