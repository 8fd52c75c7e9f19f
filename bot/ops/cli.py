"""`iso9004-bot`: run the bot, try it without a token, migrate, check the set-up.

Every mistake an operator can make (a setting, an address, a token) ends the command with one line
that names it and says what to do, and a non-zero exit code: 2 for a setting, 1 for a dependency
that cannot be reached or refuses. `LOG_LEVEL=DEBUG` adds the traceback (secrets redacted).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import traceback
from collections.abc import Sequence

from bot.config import Config, ConfigError, load_settings
from bot.ops.failures import explain, redact

SMALLEST_SIMULATION, LARGEST_SIMULATION = 3, 200


def _team_size(value: str) -> int:
    try:
        size = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of people") from None
    if not SMALLEST_SIMULATION <= size <= LARGEST_SIMULATION:
        raise argparse.ArgumentTypeError(
            f"a team of {SMALLEST_SIMULATION} to {LARGEST_SIMULATION} people (fewer than "
            f"{SMALLEST_SIMULATION} never get figures: their answers could be traced)")
    return size


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
    demo.add_argument("--output", default="demo-output",
                      help="where the demo keeps its database and the files it receives")
    demo.add_argument("--database-url", default=None,
                      help="a database of its own for the demo, instead of OUTPUT/demo.sqlite3 "
                           "(never the bot's DATABASE_URL: the demo would send its notifications)")
    simulate = commands.add_parser(
        "simulate", help="play a whole survey cycle with simulated people and print the report"
    )
    simulate.add_argument("--team-size", type=_team_size, default=8,
                          help=f"people who answer ({SMALLEST_SIMULATION}-{LARGEST_SIMULATION})")
    simulate.add_argument("--output", default=".", help="where the chart and report are saved")
    commands.add_parser("migrate", help="bring the database schema up to date")
    commands.add_parser("check", help="check settings, database and the bot token; creates nothing")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    command = arguments.command or "run"
    settings: Config | None = None
    try:
        if command == "simulate":
            from bot.ops.demo import run_simulation

            asyncio.run(run_simulation(arguments.team_size, arguments.output))
            return 0
        settings = load_settings()
        if command == "demo":
            from bot.ops.demo import demo_settings, run_demo_in_terminal

            try:
                settings = demo_settings(arguments.output, arguments.database_url)
            except ConfigError as error:
                raise ConfigError(_as_demo_option(str(error))) from None
            run_demo_in_terminal(settings, arguments.output)
        elif command == "run":
            from bot.ops.operations import preflight
            from bot.ops.serve import serve

            asyncio.run(preflight(settings))
            serve(settings)
        elif command == "migrate":
            from bot.ops.operations import migrate_database

            asyncio.run(migrate_database(settings))
        elif command == "check":
            from bot.ops.operations import check

            return asyncio.run(check(settings))
    except ConfigError as error:
        _debug_traceback(error, settings)
        print(f"iso9004-bot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C: stopped cleanly, on a line of its own
        print(file=sys.stderr)
        return 130
    except Exception as error:
        line = explain(error, settings) if settings is not None else None
        if line is not None and command == "demo":  # the demo's database is an option's
            line = _as_demo_option(line)
        if line is None:  # not a mistake we know: a bug, whose traceback helps
            _print_traceback(error, settings)
            return 1
        _debug_traceback(error, settings)
        print(f"iso9004-bot: {line}", file=sys.stderr)
        return 1
    return 0


def _as_demo_option(line: str) -> str:
    """The demo's database is never DATABASE_URL's, but the one of its --database-url."""
    return line.replace("DATABASE_URL", "--database-url", 1)


def _debugging(settings: Config | None) -> bool:
    level = settings.log_level if settings is not None else os.environ.get("LOG_LEVEL", "")
    return level.upper() == "DEBUG"


def _debug_traceback(error: BaseException, settings: Config | None) -> None:
    if _debugging(settings):
        _print_traceback(error, settings)


def _print_traceback(error: BaseException, settings: Config | None) -> None:
    text = "".join(traceback.format_exception(error))
    print(redact(text, settings.secrets() if settings is not None else []), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
