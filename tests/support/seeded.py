"""The example report (bench/seeding.py) seeded once per run for each kind a test asks for.

Seeding migrates a database and writes two cycles of answers: about a second on a busy machine,
and the rendering tests asked for the same few reports again and again. The view is plain, frozen
data once built, so every test that asks for the same kind gets the same one; the database it
came from is deleted at once.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from bench.seeding import example_view
from bot.services.report_view import ReportView

_VIEWS: dict[tuple[str, str, tuple[tuple[str, Any], ...]], ReportView] = {}


async def seeded_view(
    language: str, team_name: str = "Kwaliteit & Zorg", **options: Any
) -> ReportView:
    """`example_view(...)` with these arguments, seeded the first time it is asked for."""
    key = (language, team_name, tuple(sorted(options.items())))
    if key not in _VIEWS:
        folder = Path(tempfile.mkdtemp(prefix="iso9004-seeded-"))
        try:
            _VIEWS[key] = await example_view(f"sqlite+aiosqlite:///{folder / 'report.db'}",
                                             team_name=team_name, language=language, **options)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return _VIEWS[key]
