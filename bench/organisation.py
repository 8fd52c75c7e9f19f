"""Opening an organisation-wide cycle: 50 teams of 20 people, 1,000 invitations planned.

The figure is the wall-clock time of the admin's one unit of work (the permission check, 50 team
cycles, 1,000 invitations with their reminders, 50 closings, the commit), against the baseline
of opening the same 50 cycles one team at a time the way a team manager's /survey does
(`cycles.open_cycle` with `outbox.plan_cycle`), in the same run and on the same database. Target:
under 2 s on SQLite and on PostgreSQL (`--database-url`).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, text

from bench._common import sqlite_url
from bot.db.engine import create_engine, create_sessionmaker
from bot.db.migrate import upgrade
from bot.db.models import Membership, Notification, Organisation, OrganisationAdmin, Person, Team
from bot.db.repositories import Repository
from bot.services import cycles, org_cycles, outbox
from bot.services.actor import Actor

TEAMS, PEOPLE_PER_TEAM = 50, 20
ADMIN = 1


async def _seed(url: str, now: datetime) -> None:
    """Two organisations with the same 50 teams of 20 people each (different people): one for the
    organisation-wide opening, one for the team-by-team baseline."""
    engine = create_engine(url)
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    await upgrade(engine)
    async with create_sessionmaker(engine).begin() as session:
        await session.execute(insert(Organisation), [
            {"id": n, "name": f"Org {n}", "created_at": now, "reassessment": "off"}
            for n in (1, 2)])
        await session.execute(insert(OrganisationAdmin), [
            {"organisation_id": 1, "user_id": ADMIN, "added_at": now}])
        people = [{"user_id": ADMIN, "display_name": "Admin", "language": "nl",
                   "last_seen_at": now, "created_at": now}]
        teams, members = [], []
        for organisation in (1, 2):
            for number in range(TEAMS):
                team_id = (organisation - 1) * TEAMS + number + 1
                teams.append({
                    "id": team_id, "organisation_id": organisation, "name": f"Team {team_id}",
                    "model_id": "iso9004-2018", "default_scope": "quick",
                    "timezone": "Europe/Amsterdam", "use_groups": False, "share_results": True,
                    "anonymity_threshold": 3, "reassessment": "off", "reminders_enabled": True,
                    "created_at": now})
                for seat in range(PEOPLE_PER_TEAM):
                    user_id = 10_000 + team_id * 100 + seat
                    people.append({"user_id": user_id, "display_name": f"P{user_id}",
                                   "language": "nl", "last_seen_at": now, "created_at": now})
                    members.append({"team_id": team_id, "user_id": user_id,
                                    "role": "manager" if seat == 0 else "member",
                                    "active": True, "joined_at": now})
        await session.execute(insert(Person), people)
        await session.execute(insert(Team), teams)
        await session.execute(insert(Membership), members)
    await engine.dispose()


async def _measure(url: str, label: str) -> None:
    now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    await _seed(url, now)
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    deadline = now + timedelta(days=14)
    try:
        started = time.perf_counter()
        async with sessions.begin() as session:
            opened = await org_cycles.open_organisation_cycle(
                Repository(session), Actor(ADMIN), 1, "quick", deadline, now)
        organisation_wide = time.perf_counter() - started

        started = time.perf_counter()
        async with sessions.begin() as session:
            repo = Repository(session)
            for team_id in range(TEAMS + 1, 2 * TEAMS + 1):
                await cycles.open_cycle(repo, team_id, "quick", deadline, None, now,
                                        plan=outbox.plan_cycle)
        one_by_one = time.perf_counter() - started

        async with sessions.begin() as session:
            invitations = await session.scalar(
                select(func.count()).select_from(Notification).where(
                    Notification.kind == "invite", Notification.team_id <= TEAMS))
            planned = await session.scalar(
                select(func.count()).select_from(Notification).where(
                    Notification.team_id <= TEAMS))
    finally:
        await engine.dispose()
    assert invitations == opened.invitations == TEAMS * PEOPLE_PER_TEAM
    print(f"  {label:<10} organisation-wide cycle, {len(opened.teams)} teams, {invitations} "
          f"invitations ({planned} notifications): {organisation_wide * 1000:7.1f} ms "
          f"(target < 2000 ms) · team by team: {one_by_one * 1000:7.1f} ms "
          f"= {one_by_one / organisation_wide:.1f}x as long")


async def run(scratch: Path, database_url: str | None) -> None:
    print(f"Opening an organisation-wide cycle ({TEAMS} teams x {PEOPLE_PER_TEAM} people)")
    await _measure(sqlite_url(scratch, "organisation.sqlite3"), "SQLite")
    if database_url is not None:
        await _measure(database_url, "PostgreSQL")
