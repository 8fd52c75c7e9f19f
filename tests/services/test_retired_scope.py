"""A retired scope (the old quick scan) keeps its old cycles readable but is never chosen again."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import OrganisationCycle
from bot.db.repositories import Repository
from bot.services import org_rhythm, teams
from tests.support.clock import FixedClock

MANAGER = 1


async def test_settings_offer_the_management_scan_but_refuse_the_retired_quick_scan(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    async with sessions.begin() as session:
        repo = Repository(session)
        await repo.touch_person(MANAGER, "Manon", "nl", clock.now())
        team, _ = await teams.create_team(repo, "Zorg", MANAGER, teams.TeamSettings(),
                                          clock.now())
        changed, refusal = await teams.change_setting(repo, MANAGER, team.id, "scope-management")
        assert refusal is None and changed.default_scope == "management"
        kept, refusal = await teams.change_setting(repo, MANAGER, team.id, "scope-quick-2025")
        assert refusal is not None and kept.default_scope == "management"


def test_the_organisation_rhythm_moves_from_the_retired_quick_scan_to_todays() -> None:
    def after(scope_id: str | None) -> str:
        previous = None if scope_id is None else OrganisationCycle(
            model_id="iso9004-2018", scope_id=scope_id)
        return org_rhythm._scope_after(previous)

    assert [after(s) for s in ("quick-2025", "full", "management", None)] == [
        "quick", "full", "management", "quick"]
