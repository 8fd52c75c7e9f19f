"""`python -m bench [--participants N] [--members N] [--database-url URL]`: every benchmark, in
one process, printing figures as ratios against baselines measured in the same run."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import tempfile
from pathlib import Path

from bench import answer_path, broadcast, report, startup


async def main(arguments: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as directory:
        scratch = Path(directory)
        await startup.run(scratch)  # first, so its memory figure is the bot's, not the benches'
        await answer_path.run(arguments.participants, scratch, arguments.database_url)
        report.run()
        await broadcast.run(arguments.members, scratch, arguments.database_url)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--members", type=int, default=600)
    parser.add_argument("--database-url", default=None,
                        help="PostgreSQL URL to run the answer path and broadcast on (it is reset)")
    os.environ.setdefault("MPLBACKEND", "Agg")
    logging.basicConfig(level=logging.ERROR)
    print(f"iso9004-bot benchmarks on {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")
    asyncio.run(main(parser.parse_args()))
