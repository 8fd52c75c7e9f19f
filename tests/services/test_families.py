"""One family of figures per closed cycle, on the real database: every reader the same figures,
access only narrowing, reasons for what is hidden, and the rendered report kept per version.

The organisation: Ann (its admin, who made and so manages every team; she does not answer),
teams Alpha (Xander and three), Beta (Xander and three more), Delta (four, apart) and Ci (two).
Mia manages Alpha, later Beta too (issue #25's first attack); Dirk manages Alpha and Delta; Cees
manages the small team Ci.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Cycle, Team
from bot.db.repositories import Repository
from bot.services import (
    agreements,
    families,
    org_cycles,
    org_reports,
    organisations,
    rendered,
    reports,
    survey,
    teams,
)
from bot.services.actor import Actor
from bot.services.rendered import Part
from tests.support.clock import FixedClock

ANN, MIA, DIRK, CEES, XANDER = 1, 2, 3, 4, 13
MEMBERS = {"Alpha": (10, 11, 12, XANDER), "Beta": (XANDER, 20, 21, 22),
           "Delta": (40, 41, 42, 43), "Ci": (30, 31)}
MANAGERS = {"Alpha": (MIA, DIRK), "Delta": (DIRK,), "Ci": (CEES,)}


@dataclass
class Org:
    organisation_cycle_id: int
    cycles: dict[str, Cycle]


@pytest.fixture
async def org(sessions: async_sessionmaker[AsyncSession], clock: FixedClock) -> Org:
    now = clock.now()
    async with sessions.begin() as session:
        repo = Repository(session)
        people = {ANN, MIA, DIRK, CEES} | {p for team in MEMBERS.values() for p in team}
        for user in sorted(people):
            await repo.touch_person(user, f"P{user}", "nl", now)
        organisation = await organisations.create(repo, Actor(ANN), "Groep", now)
        for name, members in MEMBERS.items():
            team = await organisations.create_team(
                repo, Actor(ANN), organisation.id, name,
                teams.TeamSettings(share_results=True), now)
            for person in members:
                await repo.join(team[0].id, person, "member", None, now)
            for manager in MANAGERS.get(name, ()):
                await repo.join(team[0].id, manager, "manager", None, now)
        opened = await org_cycles.open_organisation_cycle(
            repo, Actor(ANN), organisation.id, "quick", now + timedelta(days=7), now)
    async with sessions.begin() as session:
        found = dict((await session.execute(select(Team.name, Cycle).join(Cycle))).all())
    for name, members in MEMBERS.items():
        for number, person in enumerate(members):
            if person == XANDER and name == "Beta":
                continue  # he answers once, in Alpha, and counts in both
            async with sessions.begin() as session:
                repo = Repository(session)
                for index in range(7):
                    await survey.answer(repo, person, found[name].id, index,
                                        1 + (person + number + index) % 5, None, now)
                await survey.confirm(repo, person, found[name].id, now)
    async with sessions.begin() as session:
        await org_cycles.close(Repository(session), Actor(ANN),
                               opened.organisation_cycle_id, now + timedelta(hours=1))
    return Org(opened.organisation_cycle_id, found)


async def _org_report(sessions: async_sessionmaker[AsyncSession], org: Org, reader: int
                      ) -> org_reports.OrgReport:
    async with sessions.begin() as session:
        return await org_reports.build_org_report(Repository(session), Actor(reader),
                                                  org.organisation_cycle_id)


async def _team_report(sessions: async_sessionmaker[AsyncSession], org: Org, team: str,
                       reader: int) -> reports.CycleReport:
    async with sessions.begin() as session:
        repo = Repository(session)
        cycle = await repo.cycle(org.cycles[team].id)
        assert cycle is not None
        return await reports.build_report(repo, cycle, reader)


def _overall(report: org_reports.OrgReport) -> dict[str, float | None]:
    return {line.name: column.result.overall if column.result else None
            for line, column in zip(report.teams, report.figures.teams, strict=True)}


async def test_the_family_is_stored_at_the_close_with_its_reasons(
    sessions: async_sessionmaker[AsyncSession], org: Org,
) -> None:
    async with sessions.begin() as session:
        repo = Repository(session)
        family = await families.of_organisation_cycle(repo, org.organisation_cycle_id)
        ids = {name: cycle.team_id for name, cycle in org.cycles.items()}
        reasons = await families.withheld(repo, family, set(ids.values()))
    assert family.minimum == 4
    assert [k for k in family.shown if k.startswith(("whole", "team"))] == [
        "whole", f"team:{ids['Alpha']}", f"team:{ids['Delta']}"]
    assert [(r.name, r.reason, r.other_name) for r in reasons] == [
        ("Beta", "overlap", "Alpha"), ("Ci", "too_few", None)]


async def test_every_reader_sees_the_same_figures_and_access_only_narrows(
    sessions: async_sessionmaker[AsyncSession], org: Org,
) -> None:
    admin = await _org_report(sessions, org, ANN)
    assert admin.figures.total.shown and _overall(admin)["Beta"] is None
    assert _overall(admin)["Ci"] is None and _overall(admin)["Alpha"] is not None
    # The manager of the small team sees the total, the same total as the admin.
    cees = await _org_report(sessions, org, CEES)
    assert cees.figures.total.overall == admin.figures.total.overall
    assert [line.name for line in cees.teams] == ["Ci"] and _overall(cees) == {"Ci": None}
    # A manager of two teams sees both, with the figures everyone else sees for them.
    dirk = await _org_report(sessions, org, DIRK)
    assert _overall(dirk) == {"Alpha": _overall(admin)["Alpha"],
                              "Delta": _overall(admin)["Delta"]}
    for team in ("Alpha", "Delta"):
        seen = {(await _team_report(sessions, org, team, reader)).result.overall
                for reader in (DIRK, MIA, XANDER, 10, ANN)}
        assert seen == {_overall(admin)[team]}


async def test_a_role_changed_after_reading_widens_nothing(
    sessions: async_sessionmaker[AsyncSession], org: Org, clock: FixedClock,
) -> None:
    """Issue #25's first attack: Mia read the total beside Alpha; as co-manager of Beta later
    she gets Beta's report without figures (Xander, in both, would be the difference)."""
    before = await _org_report(sessions, org, MIA)
    assert before.figures.total.shown and _overall(before) == {"Alpha": _overall(
        await _org_report(sessions, org, ANN))["Alpha"]}
    async with sessions.begin() as session:
        await Repository(session).join(org.cycles["Beta"].team_id, MIA, "manager", None,
                                       clock.now())
    beta = await _team_report(sessions, org, "Beta", MIA)
    assert not beta.result.shown and beta.groups == () and beta.managers is None
    assert [(w.kind, w.name, w.reason, w.other_name) for w in beta.withheld
            if w.kind == "team"] == [("team", "Beta", "overlap", "Alpha")]
    after = await _org_report(sessions, org, MIA)
    assert after.figures.total.overall == before.figures.total.overall
    assert _overall(after)["Beta"] is None


async def test_the_rendered_report_is_kept_until_an_agreed_level_changes_it(
    sessions: async_sessionmaker[AsyncSession], org: Org, clock: FixedClock,
) -> None:
    cycle = org.cycles["Delta"]
    async with sessions.begin() as session:
        repo = Repository(session)
        first = await rendered.version(repo, cycle)
        assert await rendered.load(repo, cycle.id, "nl", first) is None
        await rendered.keep(repo, cycle.id, "nl", first, {"message:0": Part({"a": 1}, b"x")})
    async with sessions.begin() as session:
        repo = Repository(session)
        assert await rendered.version(repo, cycle) == first
        kept = await rendered.load(repo, cycle.id, "nl", first)
        assert kept == {"message:0": Part({"a": 1}, b"x")}
        element = (await repo.cycle(cycle.id)).scope_id  # type: ignore[union-attr]
        assert element == "quick"
        await agreements.record_agreed(repo, DIRK, cycle.id, "5.2", 3, "agreed", clock.now())
    async with sessions.begin() as session:
        repo = Repository(session)
        changed = await rendered.version(repo, cycle)
        assert changed != first and await rendered.load(repo, cycle.id, "nl", changed) is None
