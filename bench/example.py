"""`python -m bench.example [--out docs]`: regenerate the example report the README shows.

The example is real output: a team with two cycles, targets, two stakeholder groups and a chapter
too few people could judge is seeded into a fresh SQLite database (`bench.seeding`), and the report
is built and rendered by the bot's own code. It writes the PDF and the web page, the charts, and
PNGs of the PDF's first two pages (drawn by `pdftoppm`, Debian package `poppler-utils`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.seeding import example_view
from bot.rendering import documents, presenting
from bot.rendering.texts import Texts

PAGE_DPI = 70  # a page 580 px wide: readable in the README, small in the repository
CHART_NAMES = ("report-chart.png", "report-chart-elements.png", "report-chart-groups.png")


async def render(language: str) -> dict[str, bytes]:
    """The example's files by name, built in a throw-away database."""
    texts = Texts()
    with tempfile.TemporaryDirectory() as scratch:
        view = await example_view(f"sqlite+aiosqlite:///{Path(scratch) / 'example.db'}",
                                  language=language)
    pictures = await presenting.charts(texts, language, view)
    files = {"report-example.pdf": await documents.render_pdf(texts, language, view, pictures),
             "report-example.html": documents.html(texts, language, view, pictures).encode()}
    files.update((name, picture.png) for name, picture in zip(CHART_NAMES, pictures,
                                                              strict=False))
    return files


def page_pictures(pdf: Path) -> list[Path]:
    """PNGs of the PDF's first two pages, next to it."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise SystemExit("pdftoppm is missing: apt-get install -y poppler-utils")
    prefix = pdf.with_name("report-example-page")
    for number in (1, 2):  # last run's pages, or the glob below would find them, not the new ones
        pdf.with_name(f"{prefix.name}-{number}.png").unlink(missing_ok=True)
    subprocess.run([pdftoppm, "-png", "-r", str(PAGE_DPI), "-f", "1", "-l", "2",
                    str(pdf), str(prefix)], check=True)
    pages = []
    for number in (1, 2):  # pdftoppm numbers pages with as many digits as the PDF needs
        page = pdf.with_name(f"{prefix.name}-{number}.png")
        next(pdf.parent.glob(f"{prefix.name}-*{number}.png")).rename(page)
        pages.append(page)
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.example", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs"))
    parser.add_argument("--language", choices=("nl", "en"), default="nl")
    arguments = parser.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    if not arguments.out.is_dir():
        parser.error(f"{arguments.out} is not a folder")
    written = []
    for name, content in asyncio.run(render(arguments.language)).items():
        (arguments.out / name).write_bytes(content)
        written.append(arguments.out / name)
    written += page_pictures(arguments.out / "report-example.pdf")
    for path in written:
        print(f"wrote {path} ({path.stat().st_size // 1024} kB)", file=sys.stdout)


if __name__ == "__main__":
    main()
