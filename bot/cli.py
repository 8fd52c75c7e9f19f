"""`iso9004-bot`: run the bot, try it without a token, migrate, check the set-up."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.settings import SettingsError, load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iso9004-bot",
        description="A Telegram bot for the ISO 9004 self-assessment, in Dutch and English.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="run the bot (polling, or webhook when WEBHOOK_URL is set)")
    demo = commands.add_parser(
        "demo", help="chat with the real bot in this terminal, through a local Telegram emulator"
    )
    demo.add_argument("--output", default="demo-output", help="where received files are saved")
    simulate = commands.add_parser(
        "simulate", help="play a whole survey cycle with simulated people and print the report"
    )
    simulate.add_argument("--team-size", type=int, default=8)
    simulate.add_argument("--output", default=".", help="where the chart and report are saved")
    commands.add_parser("migrate", help="bring the database schema up to date")
    commands.add_parser("check", help="check settings, database and the bot token")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    command = arguments.command or "run"
    try:
        if command == "demo":
            from bot.demo import run_demo

            asyncio.run(run_demo(output=arguments.output))
            return 0
        if command == "simulate":
            from bot.demo import run_simulation

            asyncio.run(run_simulation(arguments.team_size, arguments.output))
            return 0
        settings = load_settings()
        if command == "run":
            from bot.serve import serve

            serve(settings)
        elif command == "migrate":
            from bot.operations import migrate_database

            asyncio.run(migrate_database(settings))
        elif command == "check":
            from bot.operations import check

            return asyncio.run(check(settings))
    except SettingsError as error:
        print(f"iso9004-bot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
