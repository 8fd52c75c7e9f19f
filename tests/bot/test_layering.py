"""The layers point one way: `conversations/` may use `bot/`, never the other way round, and the
use cases in `bot/services/` know neither Telegram nor the adapters around them.

`bot/app.py` is the one wiring point, where the conversations' handlers (and the buttons of the
bot's own messages, `conversations.notices`) are plugged in. Every import counts, also one inside a
function: a late import breaks the layering just as well, it only hides it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
WIRING = ROOT / "bot" / "app.py"
SERVICES_MAY_NOT = ("telegram", "conversations", "bot.app", "bot.delivery", "bot.scheduler",
                    "bot.runtime", "bot.presenting", "bot.documents", "bot.emulator")


def imported(path: Path) -> list[str]:
    """Every module a file imports, wherever in the file (relative imports resolved)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    return imports_in(path.read_text(encoding="utf-8"), package)


def imports_in(source: str, package: str) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = parts[: len(parts) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names += [base, *(f"{base}.{alias.name}" for alias in node.names)]
    return names


def _under(names: list[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted({n for n in names for p in prefixes if n == p or n.startswith(p + ".")})


@pytest.mark.parametrize("path", sorted((ROOT / "bot").rglob("*.py")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_bot_imports_nothing_from_conversations_but_in_the_wiring(path: Path) -> None:
    if path == WIRING:
        return
    assert _under(imported(path), ("conversations",)) == []


@pytest.mark.parametrize("path", sorted((ROOT / "bot" / "services").rglob("*.py")),
                         ids=lambda p: p.name)
def test_services_know_neither_telegram_nor_the_adapters(path: Path) -> None:
    assert _under(imported(path), SERVICES_MAY_NOT) == []


def test_the_guard_sees_late_and_relative_imports() -> None:
    """A guard that cannot fail is a defect: it must see what it is there to catch."""
    late = "def late() -> None:\n    from conversations import screens\n"
    assert _under(imports_in(late, "bot"), ("conversations",)) == [
        "conversations", "conversations.screens"]
    relative = "from ..delivery import post\n"  # in bot.services: bot.delivery
    assert _under(imports_in(relative, "bot.services"), ("bot.delivery",)) != []
    assert _under(imports_in("import telegram.error\n", "bot.services"), ("telegram",)) != []


def test_the_use_cases_import_each_other_one_way_only() -> None:
    """No two services lean on each other, not even through a third one: a cycle of imports
    works only while nobody reads a name at import time, and it hides which rule is the lower."""
    services = {path.stem: path for path in (ROOT / "bot" / "services").glob("*.py")
                if path.stem != "__init__"}
    uses = {name: {other for other in services
                   if other != name and _under(imported(path), (f"bot.services.{other}",))}
            for name, path in services.items()}

    def reaches(start: str, goal: str, seen: frozenset[str] = frozenset()) -> bool:
        return any(step == goal or (step not in seen and reaches(step, goal, seen | {step}))
                   for step in uses[start])

    assert sorted(name for name in services if reaches(name, name)) == []
    assert "outbox" in uses["cycles"]  # the guard sees the dependency that stays
