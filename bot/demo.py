"""`iso9004-bot demo` and `simulate`: the real bot, a local Telegram emulator, no token, no network.

The demo runs on the default database, so what you try survives between runs. It seeds one demo
team with an open quick scan the first time, and you chat as its members.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from bot.app import Wiring, build_application
from bot.db.models import Invite, Team
from bot.emulator import BotApiEmulator, SimulatedPerson, chat_in_terminal
from bot.runtime import IsoApplication
from bot.services import cycles, teams
from bot.settings import Settings, load_settings

DEMO_TOKEN = "100000:DEMO-TOKEN-for-the-local-emulator"
DEMO_TEAM = "Demo: Zorg & Co"


async def start_polling(settings: Settings, wiring: Wiring | None = None) -> IsoApplication:
    """The application started and polling, as `run_polling` would, but under our control."""
    application = build_application(settings, wiring)
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    return application


async def stop_polling(application: IsoApplication) -> None:
    assert application.updater is not None
    await application.updater.stop()
    await application.stop()
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


async def _demo_invite(application: IsoApplication, manager: SimulatedPerson) -> str:
    """The demo team's invite token; the team and an open quick scan are created once."""
    runtime = application.runtime
    now = runtime.clock.now()
    async with runtime.repository() as repo:
        team = await repo.session.scalar(select(Team).where(Team.name == DEMO_TEAM))
        if team is None:
            await repo.touch_person(manager.user_id, manager.first_name, "nl", now)
            team, _ = await teams.create_team(repo, DEMO_TEAM, manager.user_id,
                                              teams.TeamSettings(), now)
        invite = await repo.session.scalar(
            select(Invite).where(Invite.team_id == team.id, Invite.revoked_at.is_(None),
                                 Invite.expires_at > now)
        )
        if invite is None:
            invite = await teams.create_invite(repo, team.id, manager.user_id, None, now)
        if await repo.open_cycle(team.id) is None:
            deadline = cycles.deadline_in(now, 14, team.timezone)
            await cycles.open_cycle(repo, team.id, "quick", deadline, manager.user_id, now,
                                    plan=runtime.plan_cycle)
        return invite.token


async def run_demo(output: str) -> None:
    emulator = BotApiEmulator(DEMO_TOKEN, bot_username="iso9004_demo_bot",
                              first_update_id=int(time.time() * 1000))
    await emulator.start()
    settings = load_settings(telegram_bot_token=DEMO_TOKEN,
                             telegram_api_base_url=emulator.base_url)
    application = await start_polling(settings)
    try:
        manon = emulator.person(first_name="Manon", language_code="nl", user_id=1001)
        anna = emulator.person(first_name="Anna", language_code="nl", user_id=1002)
        bram = emulator.person(first_name="Bram", language_code="en", user_id=1003)
        token = await _demo_invite(application, manon)
        link = f"https://t.me/iso9004_demo_bot?start={token}"
        print(f"Demo team {DEMO_TEAM!r}: invite link {link}")
        print("You are Anna. Type ':as Bram' or ':as Manon' to switch, ':quit' to stop.\n")
        await anna.send(f"/start {token}")
        await chat_in_terminal(emulator, people=[anna, bram, manon], output_dir=Path(output))
    finally:
        await stop_polling(application)
        await emulator.stop()


async def run_simulation(team_size: int, output: str = ".") -> None:
    """Play one survey cycle with `team_size` simulated people answering at random, close it as the
    manager would, and print the report (chart and HTML are saved to `output`).

    It runs on a throw-away database, so it can be repeated and leaves nothing behind.
    """
    emulator = BotApiEmulator(DEMO_TOKEN, bot_username="iso9004_demo_bot")
    await emulator.start()
    chooser = random.Random(9004)
    with tempfile.TemporaryDirectory() as scratch:
        settings = load_settings(
            telegram_bot_token=DEMO_TOKEN, telegram_api_base_url=emulator.base_url,
            database_url=f"sqlite+aiosqlite:///{Path(scratch) / 'simulation.sqlite3'}",
            sweep_interval_seconds=0.5, broadcast_rate_per_second=200)
        application = await start_polling(settings)
        try:
            manager = emulator.person(first_name="Manager", language_code="nl")
            await manager.send("/start")
            token = await _demo_invite(application, manager)
            for number in range(team_size):
                person = emulator.person(first_name=f"Person {number + 1}", language_code="nl")
                await _answer_at_random(person, token, chooser)
            await manager.send("/close")
            await manager.tap("Ja, afsluiten")
            summary = await manager.wait_for(lambda m: "Respons" in m.text)
            print(summary.text)
            if "Niveau per hoofdstuk" in summary.text:
                await _save_report(manager, Path(output))
            print(f"\n{team_size} people answered; requests refused by the emulator: "
                  f"{len(emulator.refused_calls())}")
        finally:
            await stop_polling(application)
            await emulator.stop()


async def _answer_at_random(person: SimulatedPerson, token: str, chooser: random.Random) -> None:
    await person.send(f"/start {token}")
    await person.tap("Ik doe mee")
    await person.tap("Nederlands")
    await person.tap("Beginnen")
    while True:
        message = await person.wait_for(lambda m: bool(m.keyboard))
        labels = [label for label, _ in message.buttons()]
        if any("bevestigen" in label for label in labels):
            await person.tap("bevestigen")
            return
        if any("Opmerking" in label for label in labels):
            await person.tap("Verder")
            continue
        await person.tap(str(chooser.randint(1, 5)))


async def _save_report(manager: SimulatedPerson, output: Path) -> None:
    chart = await manager.wait_for(lambda m: m.photo is not None)
    pdf = await manager.wait_for(lambda m: (m.document_name or "").endswith(".pdf"))
    await manager.tap("Als webpagina", message=pdf)
    document = await manager.wait_for(lambda m: (m.document_name or "").endswith(".html"))
    assert chart.photo is not None and pdf.document is not None and document.document is not None
    picture, printed = output / "simulation-chart.png", output / "simulation-report.pdf"
    report = output / "simulation-report.html"
    await asyncio.to_thread(output.mkdir, parents=True, exist_ok=True)
    await asyncio.to_thread(picture.write_bytes, chart.photo)
    await asyncio.to_thread(printed.write_bytes, pdf.document)
    await asyncio.to_thread(report.write_bytes, document.document)
    print(f"\nChart: {picture} · report: {printed} and {report}")
