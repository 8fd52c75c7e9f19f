"""The report's actions section in the chat and on the web page: each earlier action with its
status and the level agreed before and after (the seeded example: 8.4 agreed 2, then 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.seeding import ACTIONS, AGREED_BEFORE, AGREED_NOW, example_view
from bot.rendering import documents, presenting
from bot.rendering.texts import Texts

TEXTS = Texts()


@pytest.mark.parametrize(("language", "agreed"), [("en", "agreed"), ("nl", "afgesproken")])
async def test_an_action_shows_the_level_agreed_before_and_after(
    tmp_path: Path, language: str, agreed: str,
) -> None:
    view = await example_view(f"sqlite+aiosqlite:///{tmp_path / 'r'}.db", language=language)
    what = ACTIONS[language]["8.4"]
    change = f"{agreed} {AGREED_BEFORE['8.4']} → {AGREED_NOW['8.4']}"
    chat = presenting.summary(TEXTS, language, view)
    line = next(line for line in chat.splitlines() if what in line)
    assert line.endswith(change)
    page = documents.html(TEXTS, language, view, [])
    item = next(part for part in page.split("<li>") if what in part)
    assert change in item
    assert "10.5" in chat and f"{agreed} {AGREED_BEFORE['10.5']} → –" in chat  # not agreed now
