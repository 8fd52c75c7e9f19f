"""The domain is a functional core: no framework, no database, no clock: easy to reason about."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).parents[2] / "domain"
FORBIDDEN_IMPORTS = ("telegram", "sqlalchemy", "apscheduler", "jinja2", "aiohttp", "bot",
                     "conversations", "matplotlib")
CLOCK_READS = ("now", "utcnow", "today", "time", "monotonic")


def modules() -> list[Path]:
    return sorted(DOMAIN.rglob("*.py"))


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.name)
def test_domain_modules_import_no_framework(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    offenders = [name for name in imported if name.split(".")[0] in FORBIDDEN_IMPORTS]
    assert offenders == []


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.name)
def test_domain_modules_never_read_the_clock(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    reads = [
        ast.unparse(node) for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and node.func.attr in CLOCK_READS
        and ast.unparse(node.func.value).split(".")[-1] in ("datetime", "date", "time")
    ]
    assert reads == []
