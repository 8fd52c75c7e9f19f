"""`iso9004-bot demo` and `simulate`: the real bot, a local Telegram emulator, no token, no network.

The demo keeps its state in a SQLite file of its own in the output folder (or in the database
given with `--database-url`), so what you try survives between runs, and it never touches the
database of a real bot (DATABASE_URL). It seeds one demo team with an open survey (of
the team's scope setting) the first time, and you chat as three of its people.
Four more colleagues answer first, so a closed survey has figures (k + 1 respondents).
"""

from __future__ import annotations

import asyncio
import random
import re
import signal
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from pydantic import SecretStr
from sqlalchemy import select

from bot.config import Config, load_settings
from bot.db.models import Cycle, Invite, Membership, Team
from bot.emulator import (
    BotApiEmulator,
    BotMessage,
    SimulatedPerson,
    chat_in_terminal,
    launch_url,
)
from bot.emulator._terminal import FileNamer, Read
from bot.ops.cockpit import add_cockpit
from bot.ops.operations import reach_database, sqlite_path
from bot.ops.polling import start_polling, stop_polling
from bot.services import cycles, reports, teams
from bot.telegram.runtime import IsoApplication

DEMO_TOKEN = "100000:DEMO-TOKEN-for-the-local-emulator"
DEMO_TEAM = "Demo: Zorg & Co"
COLLEAGUES = ((1101, "Eva"), (1102, "Femke"), (1103, "Gijs"), (1104, "Hans"))


async def _demo_invite(application: IsoApplication, manager: SimulatedPerson) -> tuple[str, bool]:
    """The demo team's invite token, and whether its survey was opened just now (the team is
    created once; a survey is opened whenever none is open, of the team's scope setting)."""
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
        opened = await repo.open_cycle(team.id) is None
        if opened:
            deadline = cycles.deadline_in(now, 14, team.timezone)
            await cycles.open_cycle(repo, team.id, team.default_scope, deadline,
                                    manager.user_id, now, plan=runtime.plan_cycle)
        return invite.token, opened


DEMO_SWEEP_SECONDS = 1.0  # invitations, reminders and reports arrive while you watch


def demo_settings(output: str, database_url: str | None = None) -> Config:
    """The settings, checked as for `run`, on a database of the demo's own: by default a SQLite
    file in the output folder, never DATABASE_URL's. On the bot's own database the demo would
    deliver the real people's invitations and reminders to its emulator, where nobody reads them."""
    database_url = database_url or f"sqlite+aiosqlite:///{Path(output).resolve() / 'demo.sqlite3'}"
    return load_settings(database_url=database_url, sweep_interval_seconds=DEMO_SWEEP_SECONDS)


def _introduction(settings: Config, output: str, link: str) -> str:
    path = sqlite_path(settings)
    where = f"the SQLite file {path.resolve()}" if path else "the database of --database-url"
    return (f"Demo team {DEMO_TEAM!r}, invite link {link}\n"
            f"State: {where} (delete it to start afresh). "
            f"Pictures and files: {Path(output).resolve()}/\n"
            "You are Anna (joining now); Bram reads English, Daan Dutch; Manon manages the team "
            "(try /status, /close, /report, /actions, /newteam). ':as Manon' to be her.\n")


def file_namer(application: IsoApplication) -> FileNamer:
    """Saved files are named after team, cycle and kind, so two teams' reports never collide:
    a file names its cycle in its own buttons or in the button tapped to ask for it; charts,
    which carry no buttons, belong to the cycle the person manages that closed last."""

    async def name(person: SimulatedPerson, message: BotMessage, tapped: str | None) -> str | None:
        extension = (message.document_name or "").rsplit(".", 1)[-1] if message.photo is None \
            else "png"
        kind = {"png": f"chart-{message.message_id}", "csv": "export"}.get(extension, "report")
        runtime = application.runtime
        asked = [runtime.buttons.report_target(data)
                 for data in [*(data for _, data in message.buttons()), tapped]]
        async with runtime.repository() as repo:
            cycle = None
            for target in asked:
                if target is not None and target.cycle_id is not None:
                    cycle = await repo.cycle(target.cycle_id)
                elif target is not None and target.team_id is not None:
                    cycle = await reports.latest_reportable_cycle(repo, target.team_id)
                if cycle is not None:
                    break
            if cycle is None and message.photo is not None:
                cycle = await repo.session.scalar(
                    select(Cycle).join(Membership, Membership.team_id == Cycle.team_id)
                    .where(Membership.user_id == person.user_id, Membership.role == "manager",
                           Cycle.closed_at.is_not(None))
                    .order_by(Cycle.closed_at.desc()).limit(1))
            team = await repo.team(cycle.team_id) if cycle is not None else None
        if cycle is None or team is None:
            return None
        slug = re.sub(r"[^a-z0-9]+", "-", team.name.casefold()).strip("-") or "team"
        return f"{slug}-cycle{cycle.id}-{cycle.opened_at:%Y-%m-%d}-{kind}.{extension}"

    return name


def run_demo_in_terminal(settings: Config, output: str) -> None:
    """The demo as `iso9004-bot demo` runs it: Ctrl-C stops it, however it was started.

    A background job of a non-interactive shell starts with SIGINT ignored, and asyncio turns
    Ctrl-C into a clean stop only where Python's own handler is in place: without restoring it the
    demo would never stop at Ctrl-C. (Only here, at the entry: a library must not change a
    process's signal handling.)"""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        asyncio.run(run_demo(settings, output=output))
    except asyncio.CancelledError:
        # Ctrl-C can land while a clean-up (SQLAlchemy closing a session) finishes its work and
        # re-raises the cancellation; asyncio then passes the CancelledError on instead of the
        # KeyboardInterrupt. It is the same Ctrl-C: stop as cleanly.
        raise KeyboardInterrupt from None


async def run_demo(settings: Config, output: str, read: Read | None = None) -> None:
    await asyncio.to_thread(Path(output).mkdir, parents=True, exist_ok=True)
    await reach_database(settings)
    emulator = BotApiEmulator(DEMO_TOKEN, bot_username="iso9004_demo_bot",
                              first_update_id=int(time.time() * 1000))
    await emulator.start()
    settings = settings.model_copy(update={
        "telegram_bot_token": SecretStr(DEMO_TOKEN), "telegram_api_base_url": emulator.base_url,
        "webhook_url": None})
    application = await start_polling(settings)
    cockpit: LocalCockpit | None = None
    try:
        manon = emulator.person(first_name="Manon", language_code="nl", user_id=1001)
        anna = emulator.person(first_name="Anna", language_code="nl", user_id=1002)
        bram = emulator.person(first_name="Bram", language_code="en", user_id=1003)
        daan = emulator.person(first_name="Daan", language_code="nl", user_id=1004)
        token, opened = await _demo_invite(application, manon)
        if opened:
            await _colleagues_answer(emulator, token)
        link = f"https://t.me/iso9004_demo_bot?start={token}"
        print(_introduction(settings, output, link))
        cockpit = await serve_cockpit(application)
        print(cockpit_address(emulator, manon, cockpit.base))
        await anna.send(f"/start {token}")
        await chat_in_terminal(emulator, people=[anna, bram, daan, manon], output_dir=Path(output),
                               read=read, name_file=file_namer(application))
    finally:
        if cockpit is not None:
            await cockpit.runner.cleanup()
        await stop_polling(application)
        await emulator.stop()


@dataclass
class LocalCockpit:
    runner: web.AppRunner
    base: str


async def serve_cockpit(application: IsoApplication, port: int = 0) -> LocalCockpit:
    """The cockpit (`GET /app` and its API) on this machine, as the bot's own server serves it."""
    app = web.Application()
    add_cockpit(app, application)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return LocalCockpit(runner, f"http://127.0.0.1:{runner.addresses[0][1]}")


def cockpit_address(emulator: BotApiEmulator, person: SimulatedPerson, base: str) -> str:
    """A browser address that opens the cockpit as `person`, signed with the demo bot's token
    as Telegram signs a Mini App launch (valid for an hour)."""
    return (f"The cockpit as {person.first_name} (open in a browser; signed for an hour):\n"
            f"{launch_url(f'{base}/app', emulator.init_data(person))}\n")


async def _colleagues_answer(emulator: BotApiEmulator, token: str) -> None:
    """Four colleagues answer a new demo survey first, so that Manon can close it and see a
    report at once: figures need k + 1 respondents (three besides whoever reads them)."""
    print("(Eva, Femke, Gijs and Hans, four colleagues, answer the demo team's survey first: "
          "a few seconds)")
    chooser = random.Random(9004)
    for user_id, name in COLLEAGUES:
        await _answer_at_random(emulator.person(first_name=name, user_id=user_id), token, chooser)


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
            token, _ = await _demo_invite(application, manager)
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
        await person.tap(str(chooser.randint(1, 5)))


async def _save_report(manager: SimulatedPerson, output: Path) -> None:
    chart = await manager.wait_for(lambda m: m.photo is not None)
    await manager.tap("webpagina")
    document = await manager.wait_for(lambda m: (m.document_name or "").endswith(".html"))
    assert chart.photo is not None and document.document is not None
    picture, report = output / "simulation-chart.png", output / "simulation-report.html"
    await asyncio.to_thread(output.mkdir, parents=True, exist_ok=True)
    await asyncio.to_thread(picture.write_bytes, chart.photo)
    await asyncio.to_thread(report.write_bytes, document.document)
    print(f"\nChart: {picture} · report: {report}")
