"""The organisation report's service: who may read it, and which teams each reader gets.

The story is `tests/support/organisation_story.py`'s: an admin who created (and so manages) four
teams, Piet in the first two, a team of two ("Duo"). Everyone answers; a global admin (ADMIN_IDS,
in no team) and the admin who manages every team see different things, because the latter also
reads every team's own report.
"""

from __future__ import annotations

import pytest

from bot.db.repositories import Repository
from bot.services import org_cycles, org_reports
from bot.services.actor import Actor
from bot.services.permissions import PermissionsError
from tests.support.organisation_story import (
    ADMIN,
    GLOBAL_ADMIN,
    OUTSIDER,
    PEOPLE,
    Story,
    _answer_all,
    _cycles,
    _open,
)


async def _report(story: Story, viewer: int) -> org_reports.OrgReport:
    async with story.sessions.begin() as session:
        actor = Actor.of(viewer, {GLOBAL_ADMIN})
        found = await org_reports.reportable(Repository(session), actor)
        assert len(found) == 1
        return await org_reports.build_org_report(Repository(session), actor, found[0][0])


async def test_only_admins_and_team_managers_get_it_and_no_figures_while_open(
    story: Story,
) -> None:
    opened = await _open(story)
    for user in (OUTSIDER, PEOPLE["Zorg"][0]):
        async with story.sessions.begin() as session:
            assert await org_reports.reportable(Repository(session), Actor(user)) == []
            with pytest.raises(PermissionsError):
                await org_reports.build_org_report(Repository(session), Actor(user),
                                                   opened.organisation_cycle_id)
    cycles = await _cycles(story)
    for name, people in PEOPLE.items():
        for person in people:
            await _answer_all(story, person, cycles[name].id)
    interim = await _report(story, GLOBAL_ADMIN)
    assert interim.is_preview and not interim.figures.total.shown
    assert not interim.figures.shown_teams
    assert [(t.name, t.respondents) for t in interim.teams] == [
        ("Duo", 2), ("Kantoor", 3), ("Logistiek", 3), ("Zorg", 3)]


async def test_every_reader_gets_the_same_total_and_no_team_below_k_plus_one(
    story: Story,
) -> None:
    opened = await _open(story)
    cycles = await _cycles(story)
    for name, people in PEOPLE.items():
        for person in people:
            await _answer_all(story, person, cycles[name].id)
    async with story.sessions.begin() as session:
        await org_cycles.close(Repository(session), Actor(ADMIN),
                               opened.organisation_cycle_id, story.clock.now())
    outside = await _report(story, GLOBAL_ADMIN)
    assert outside.as_admin and outside.figures.total.shown
    assert outside.figures.total.respondents == 10  # Piet once
    # Every team has three respondents or fewer: none holds k + 1 = 4, so none is shown, to
    # anyone; the total is the same for the admin who manages all four teams (and so reads their
    # team reports, which are then empty too) as for the global admin in none of them.
    assert outside.figures.shown_teams == ()
    inside = await _report(story, ADMIN)
    assert inside.as_admin and inside.figures.total.shown and inside.figures.shown_teams == ()
    assert inside.figures.total.overall == outside.figures.total.overall
