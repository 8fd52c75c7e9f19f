"""The cockpit's story: a seeded team with five closed cycles served by the real webhook server,
an organisation with an admin, and Chromium to open the page (shared by the cockpit tests)."""
from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.seeding import history_example
from bot.app import Wiring
from bot.config import Config
from bot.db.repositories import Repository
from bot.emulator import BotApiEmulator, SimulatedPerson, launch_url
from bot.ops.serve import webhook_worker
from bot.services import cycles, improvement, joining, org_cycles, organisations, survey, teams
from bot.services.actor import Actor
from tests.support.browser import ARGUMENTS, CHROMIUM, browser_missing
from tests.support.clock import FixedClock
from tests.support.webhooks import free_port

try:
    from playwright.async_api import async_playwright
except ImportError:  # pragma: no cover - depends on the machine
    async_playwright = None  # type: ignore[assignment]


MANAGER, PARTICIPANT, OTHER_MANAGER = 1, 2, 700
OLGA, TESS = 800, 801  # the organisation's admin, the manager of one of its teams
CYCLES = 5
DARK = {"bg_color": "#101820", "text_color": "#f5f5f5", "hint_color": "#9aa0a6",
        "button_color": "#e69f00", "button_text_color": "#000000", "secondary_bg_color": "#1e2a36"}
OVERFLOW = "document.documentElement.scrollWidth"


@dataclass
class Cockpit:
    base: str
    emulator: BotApiEmulator
    clock: FixedClock
    team_id: int
    other_team_id: int
    organisation_cycle_id: int
    org_team_ids: dict[str, int]

    def person(self, user_id: int, name: str, language: str = "nl") -> SimulatedPerson:
        return self.emulator.person(first_name=name, language_code=language, user_id=user_id)

    def signed(self, user_id: int, *, age: timedelta = timedelta(0)) -> str:
        return self.emulator.init_data(
            self.person(user_id, f"P{user_id}"),
            auth_date=int((self.clock.now() - age).timestamp()))

    def url(self, init_data: str, theme: dict[str, str] | None = None) -> str:
        return launch_url(f"{self.base}/app", init_data, theme)

    async def get(self, path: str, init_data: str | None) -> tuple[int, Any]:
        headers = {"Authorization": f"tma {init_data}"} if init_data is not None else {}
        async with aiohttp.ClientSession() as client, client.get(
                f"{self.base}{path}", headers=headers) as response:
            return response.status, await response.json(content_type=None)


async def _organisation(sessions: async_sessionmaker[AsyncSession], clock: FixedClock
                        ) -> tuple[int, dict[str, int], int]:
    """Zorg (Tess and four), Keuken (four), Duo (two: always hidden), answered and closed; and
    another team managed by someone else, outside the organisation."""
    now = clock.now() - timedelta(days=20)
    levels = {"Zorg": 2, "Keuken": 4, "Duo": 5}
    people = {"Zorg": range(810, 814), "Keuken": range(820, 824), "Duo": range(830, 832)}
    async with sessions.begin() as session:
        repo = Repository(session)
        for user in (OLGA, TESS, OTHER_MANAGER, *(p for r in people.values() for p in r)):
            await repo.touch_person(user, f"P{user}", "nl", now)
        other, _ = await teams.create_team(repo, "Elders", OTHER_MANAGER, teams.TeamSettings(),
                                           now)
        organisation = await organisations.create(repo, Actor(OLGA), "Zorg & Co", now)
        ids = {}
        for name, members in people.items():
            team, _ = await organisations.create_team(
                repo, Actor(OLGA), organisation.id, name, teams.TeamSettings(), now)
            ids[name] = team.id
            invite = await teams.create_invite(repo, team.id, OLGA, None, now)
            for person in members:
                await joining.join(repo, invite.token, person, None, now)
        await repo.join(ids["Zorg"], TESS, "manager", None, now)
        opened = await org_cycles.open_organisation_cycle(
            repo, Actor(OLGA), organisation.id, "quick", now + timedelta(days=7), now)
        for name, members in people.items():
            cycle = await repo.open_cycle(ids[name])
            assert cycle is not None
            for person in members:
                for index in range(7):
                    await survey.answer(repo, person, cycle.id, index, levels[name], None, now)
                await survey.confirm(repo, person, cycle.id, now)
        await cycles.close_organisation_cycle(repo, opened.organisation_cycle_id,
                                              now + timedelta(days=7))
    return opened.organisation_cycle_id, ids, other.id


@pytest.fixture
async def cockpit(emulator: BotApiEmulator, settings: Config, clock: FixedClock,
                  database_url: str, sessions: async_sessionmaker[AsyncSession]
                  ) -> AsyncIterator[Cockpit]:
    team_id, manager, latest = await history_example(
        database_url, cycles_held=CYCLES, respondents=12, language="nl",
        now=clock.now() - timedelta(days=30))
    assert manager == MANAGER
    async with sessions.begin() as session:
        await improvement.add_action(Repository(session), MANAGER, latest, "7.3",
                                     "Doelen elk kwartaal bespreken", "Manager", clock.now())
    organisation_cycle_id, org_teams, other = await _organisation(sessions, clock)
    port = free_port()
    served = settings.model_copy(update={
        "webhook_listen": "127.0.0.1", "webhook_port": port,
        "webhook_secret": SecretStr("cockpit-test-secret")})
    async with webhook_worker(served, Wiring(clock=clock, run_scheduler=False), register=False):
        yield Cockpit(f"http://127.0.0.1:{port}", emulator, clock, team_id, other,
                      organisation_cycle_id, org_teams)


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    if (missing := browser_missing()) is not None or async_playwright is None:
        pytest.skip(missing or "Playwright is missing")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGUMENTS)
        yield launched
        await launched.close()


async def _open(browser: Any, url: str, width: int, errors: list[str] | None = None) -> Any:
    page = await browser.new_page(viewport={"width": width, "height": 844})
    if errors is not None:
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    await page.goto(url)
    return page
