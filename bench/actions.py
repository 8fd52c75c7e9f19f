"""Check-ins on improvement actions: planning a fortnight for thousands of open actions, and
sending a day's check-ins within the one send budget beside a running invitation broadcast,
losing and doubling none, while people who answer keep getting quick replies.

The clock is fixed at a Monday 10:30 in Amsterdam, so the check-ins are due in working hours.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from bench._common import TOKEN, seeded_team, sqlite_url, summary_ms
from bench.broadcast import ANSWERING, _answer
from bot.app import Wiring
from bot.config import load_settings
from bot.db.engine import create_engine, create_sessionmaker
from bot.db.models import ImprovementAction, Membership, Notification, Organisation, Person, Team
from bot.db.repositories import Repository
from bot.emulator import BotApiEmulator
from bot.ops.polling import start_polling, stop_polling
from bot.outbox import delivery
from bot.services import action_checkins, outbox
from bot.telegram.flood import TELEGRAM_MESSAGES_PER_SECOND as TELEGRAM_LIMIT
from bot.telegram.runtime import IsoApplication

NOW = datetime(2026, 11, 16, 9, 30, tzinfo=UTC)  # Monday 10:30 in Amsterdam
OWNERS_FROM = 200_000


@dataclass
class _Clock:
    current: datetime

    def now(self) -> datetime:
        return self.current


async def _seed_actions(url: str, teams: int, per_team: int) -> list[int]:
    """`teams` teams of one manager and `per_team` owners, one open action each, made two weeks
    ago (so a fortnightly check-in is due today). Returns the owners' ids."""
    engine = create_engine(url)
    owners: list[int] = []
    async with create_sessionmaker(engine).begin() as session:
        made = NOW - timedelta(days=14)
        people, memberships, actions = [], [], []
        for number in range(teams):
            organisation = Organisation(name=f"Org {number}", created_at=made)
            session.add(organisation)
            await session.flush()
            team = Team(organisation_id=organisation.id, name=f"Team {number}",
                        model_id="iso9004-2018", timezone="Europe/Amsterdam",
                        anonymity_threshold=3, created_at=made)
            session.add(team)
            await session.flush()
            for seat in range(per_team + 1):
                user_id = OWNERS_FROM + number * 1000 + seat
                people.append({"user_id": user_id, "display_name": f"P{user_id}",
                               "language": "nl", "last_seen_at": made, "created_at": made})
                memberships.append({"team_id": team.id, "user_id": user_id,
                                    "role": "manager" if seat == 0 else "member",
                                    "active": True, "joined_at": made})
                if seat:
                    owners.append(user_id)
                    actions.append({"team_id": team.id, "cycle_id": None, "element_id": "8.4",
                                    "what": f"Action {user_id}", "owner": f"P{user_id}",
                                    "owner_id": user_id, "created_at": made, "status": "open",
                                    "due_on": (NOW + timedelta(days=60)).date()})
        await session.execute(insert(Person), people)
        await session.execute(insert(Membership), memberships)
        await session.execute(insert(ImprovementAction), actions)
    await engine.dispose()
    return owners


async def _plan(url: str) -> tuple[float, int]:
    engine = create_engine(url)
    async with create_sessionmaker(engine).begin() as session:
        started = time.perf_counter()
        offered = await action_checkins.plan(Repository(session), NOW)
        elapsed = time.perf_counter() - started
    await engine.dispose()
    return elapsed, offered


async def run(members: int, teams: int, per_team: int, scratch: Path,
              database_url: str | None) -> None:
    url = database_url or sqlite_url(scratch, "actions.sqlite3")
    async with BotApiEmulator(TOKEN, flood_limit_per_second=TELEGRAM_LIMIT) as emulator:
        people = [emulator.person(f"M{n}", user_id=30_000 + n) for n in range(members)]
        await seeded_team(url, [90_001] + [p.user_id for p in people], plan=outbox.plan_cycle,
                          now=NOW)
        owner_ids = await _seed_actions(url, teams, per_team)
        owners = [emulator.person(f"O{n}", user_id=n) for n in owner_ids]
        for person in people + owners:
            person.started = True
        planning, offered = await _plan(url)
        again, _ = await _plan(url)  # idempotent: nothing new
        settings = load_settings(telegram_bot_token=TOKEN, telegram_api_base_url=emulator.base_url,
                                 database_url=url)
        application = await start_polling(settings, Wiring(clock=_Clock(NOW),
                                                           run_scheduler=False))
        replies: list[float] = []
        taps: list[float] = []
        try:
            sweeping = asyncio.create_task(_sweep_until_done(application))
            spread = (members + len(owners)) / settings.broadcast_rate_per_second * 0.9 / ANSWERING
            await asyncio.gather(*(
                _answer(person, number * spread, replies, taps)
                for number, person in enumerate(people[-ANSWERING:])))
            elapsed = await sweeping
        finally:
            await stop_polling(application)
        checkins = Counter(p.user_id for p in owners for m in p.messages
                           if m.text.startswith("🔁"))
        invitations = Counter(p.user_id for p in people for m in p.messages
                              if "vraagt naar jouw mening" in m.text)
        floods = sum("Too Many" in call.description for call in emulator.calls)
        sent = sum(checkins.values()) + sum(invitations.values())
        print(f"\n8. Action check-ins: {teams} teams, {len(owners)} open actions, beside a "
              f"{members}-invitation broadcast; emulator enforcing {TELEGRAM_LIMIT} msg/s")
        print(f"   planning a fortnight: {planning * 1000:.0f} ms for {offered} rows offered "
              f"(again, idempotent: {again * 1000:.0f} ms)")
        print(f"   sent {sent} in {elapsed:.0f} s = {sent / elapsed:.1f} msg/s · check-ins lost "
              f"{len(owners) - len(checkins)} · doubled {sum(checkins.values()) - len(checkins)}"
              f" · invitations lost {members - len(invitations)} · doubled "
              f"{sum(invitations.values()) - len(invitations)} · 429s {floods}")
        if replies and taps:
            print(f"   replies to /resume meanwhile: {summary_ms(replies)}")
            print(f"   answers (taps) meanwhile:     {summary_ms(taps)}")


async def _sweep_until_done(application: IsoApplication) -> float:
    runtime = application.runtime
    started = time.perf_counter()
    while True:
        await delivery.sweep(runtime, application.bot)
        async with runtime.repository() as repo:
            waiting = await repo.session.scalar(select(func.count()).select_from(Notification)
                                                .where(Notification.status == "pending",
                                                       Notification.due_at <= NOW,
                                                       Notification.kind.in_(("invite",
                                                                              "checkin"))))
        if not waiting:
            return time.perf_counter() - started
        await asyncio.sleep(0.2)
