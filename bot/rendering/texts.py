"""Every text the bot shows comes from Jinja2 templates, one folder per language.

Templates are autoescaped, so names and remarks with `<`, `>` or `&` stay text in Telegram's HTML
parse mode. The language is always an argument: there is no global "current locale". Button labels
are variables and macros of `buttons.j2`, read through the template's module.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).with_name("templates")
TELEGRAM_TEXT_LIMIT = 4096
_TAG = re.compile(r"<[^>]*>")


class Texts:
    def __init__(self, default_language: str = "nl") -> None:
        self.default_language = default_language
        self._env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            auto_reload=False,  # templates ship with the package; no stat() on every render
        )
        self._env.filters["date"] = _date
        self._env.filters["datetime"] = _datetime
        self._env.filters["level"] = _level

    def language(self, language: str | None) -> str:
        return language if language in ("nl", "en") else self.default_language

    def render(self, language: str | None, template: str, /, **context: Any) -> str:
        language = self.language(language)
        loaded = self._env.get_template(f"{language}/{template}.html.j2")
        text = loaded.render(lang=language, **context).strip()
        return fit_message(text)

    def document(self, language: str | None, template: str, /, **context: Any) -> str:
        """A whole HTML document (the printable report): no Telegram limits apply."""
        language = self.language(language)
        return self._env.get_template(f"{language}/{template}.html.j2").render(
            lang=language, **context)

    def page(self, template: str, /, **context: Any) -> str:
        """A page in both languages at once (`shared/<template>.html.j2`), e.g. the cockpit,
        which picks its reader's language itself."""
        return self._env.get_template(f"shared/{template}.html.j2").render(**context)

    def buttons(self, language: str | None) -> Any:
        """The language's button labels: `texts.buttons("nl").pause`, `.level(3, True)`.
        """
        return self.words(language, "buttons")

    def words(self, language: str | None, vocabulary: str) -> Any:
        """A `.j2` file's variables and macros, e.g. the report's words for charts and CSV."""
        return self._env.get_template(f"{self.language(language)}/{vocabulary}.j2").module


DATE_PATTERN = "d MMMM y"
"""One way to write a day in both languages ("24 december 2026", "24 December 2026")."""


def _date(moment: date, language: str, timezone: str = "Europe/Amsterdam") -> str:
    """A day; a moment is first placed in `timezone` (a plain date is a day already)."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(ZoneInfo(timezone))
    return format_date(moment, DATE_PATTERN, locale=language)


def _datetime(moment: datetime, language: str, timezone: str = "Europe/Amsterdam") -> str:
    local = moment.astimezone(ZoneInfo(timezone))
    at = "'om'" if language == "nl" else "'at'"
    return format_datetime(local, f"{DATE_PATTERN} {at} HH:mm", locale=language)


def _level(value: float | None, language: str) -> str:
    if value is None:
        return "–"
    text = f"{value:.1f}"
    return text.replace(".", ",") if language == "nl" else text


def fit_message(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> str:
    """Trim an over-long message at a line break, never inside a tag or an entity.

    Telegram counts characters after parsing the HTML, so measuring the source is conservative.
    """
    if len(text) <= limit:
        return text
    budget = limit - 1
    while True:
        cut = _cut_cleanly(text[:budget])
        closers = "".join(f"</{name}>" for name in reversed(_open_tags(cut)))
        if len(cut) + 1 + len(closers) <= limit:
            return cut + "…" + closers
        budget -= len(cut) + 1 + len(closers) - limit


def _cut_cleanly(cut: str) -> str:
    if "\n" in cut:
        cut = cut[: cut.rfind("\n")]
    if cut.rfind("<") > cut.rfind(">"):
        cut = cut[: cut.rfind("<")]
    if cut.rfind("&") > cut.rfind(";"):
        cut = cut[: cut.rfind("&")]
    return cut


def _open_tags(html: str) -> list[str]:
    stack: list[str] = []
    for tag in _TAG.findall(html):
        name = tag.strip("</>").split()[0] if tag.strip("</>") else ""
        if tag.startswith("</"):
            if stack and stack[-1] == name:
                stack.pop()
        elif not tag.endswith("/>"):
            stack.append(name)
    return stack


def plain(text: str, limit: int) -> str:
    """For places without parse mode (button labels): one line, within Telegram's limit."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
