"""`python -m bench [startup answers report organisation orgreport broadcast meeting cockpit
actions] [--database-url URL] ...`: the benchmarks (all of them by default) in one process, printing
figures as ratios against baselines measured in the same run."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import tempfile
from pathlib import Path

from bench import (
    actions,
    answer_path,
    broadcast,
    cockpit,
    meeting,
    org_report,
    organisation,
    report,
    report_cache,
    startup,
)

BENCHMARKS = (
    "startup", "answers", "report", "organisation", "orgreport", "broadcast", "meeting",
    "cockpit", "actions")


async def main(arguments: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as directory:
        scratch = Path(directory)
        chosen = arguments.benchmarks or BENCHMARKS
        if "startup" in chosen:  # first, so its memory figure is the bot's, not the benches'
            await startup.run(scratch)
        if "answers" in chosen:
            await answer_path.run(scratch, arguments.database_url)
        if "report" in chosen:
            await report.run(scratch)
            await report_cache.run(scratch)
        if "organisation" in chosen:
            await organisation.run(scratch, arguments.database_url)
        if "broadcast" in chosen:
            await broadcast.run(arguments.members, scratch, arguments.database_url)
        if "orgreport" in chosen:
            await org_report.run()
        if "meeting" in chosen:
            await meeting.run(scratch, arguments.transcript, arguments.database_url)
        if "cockpit" in chosen:
            await cockpit.run(scratch)
        if "actions" in chosen:
            await actions.run(arguments.members, arguments.teams, arguments.actions_per_team,
                              scratch, arguments.database_url)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("benchmarks", nargs="*", metavar="BENCHMARK",
                        help=f"any of {', '.join(BENCHMARKS)} (default: all)")
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--teams", type=int, default=250, help="actions: teams with actions")
    parser.add_argument("--actions-per-team", type=int, default=20,
                        help="actions: open actions (owners) per team")
    parser.add_argument("--transcript", action="store_true",
                        help="meeting: print the first element and the summary as seen")
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL URL to run the answer path, the organisation cycle, "
                             "the broadcast and the meeting on as well (it is reset)")
    os.environ.setdefault("MPLBACKEND", "Agg")
    logging.basicConfig(level=logging.ERROR)
    print(f"iso9004-bot benchmarks on {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")
    arguments = parser.parse_args()
    if unknown := set(arguments.benchmarks) - set(BENCHMARKS):
        parser.error(f"unknown benchmark: {', '.join(sorted(unknown))}")
    asyncio.run(main(arguments))
