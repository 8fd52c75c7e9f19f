"""Telegram's HTML parse mode, as strictly as Telegram applies it.

Telegram refuses the whole message when a tag is unknown, unclosed or mis-nested, or when `<` or `&`
appear unescaped. A lenient emulator would let exactly the bugs through that users later hit, so
this parser refuses the same inputs and returns the visible text Telegram would show.
"""

from __future__ import annotations

import html
import re

ALLOWED_TAGS = frozenset({
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code",
    "pre", "blockquote", "tg-emoji",
})
_ATTRIBUTE = r"""\s+[a-zA-Z-]+(?:=(?:"[^"]*"|'[^']*'|[^\s>]*))?"""
_TAG = re.compile(rf"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:{_ATTRIBUTE})*)\s*>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")


class EntityParseError(ValueError):
    """The text that follows "Bad Request: can't parse entities: " in Telegram's answer.
    """


def visible_text(source: str) -> str:
    """The text a person sees for `source` in HTML parse mode; raises `EntityParseError`."""
    out: list[str] = []
    open_tags: list[str] = []
    position = 0
    while position < len(source):
        char = source[position]
        if char == "<":
            tag = _TAG.match(source, position)
            if tag is None:
                raise EntityParseError(
                    f"Unsupported start tag at byte offset {_byte_offset(source, position)}"
                )
            closing, name = tag.group(1) == "/", tag.group(2).lower()
            if name not in ALLOWED_TAGS:
                raise EntityParseError(
                    f'Unsupported start tag "{name}" at byte offset '
                    f"{_byte_offset(source, position)}"
                )
            if closing:
                if not open_tags or open_tags[-1] != name:
                    raise EntityParseError(
                        f'Unmatched end tag at byte offset {_byte_offset(source, position)}, '
                        f'expected "</{open_tags[-1] if open_tags else ""}>", found "</{name}>"'
                    )
                open_tags.pop()
            else:
                open_tags.append(name)
            position = tag.end()
        elif char == "&":
            entity = _ENTITY.match(source, position)
            if entity is None:
                raise EntityParseError(
                    "Character '&' is reserved and must be escaped as &amp; "
                    f"(byte offset {_byte_offset(source, position)})"
                )
            out.append(html.unescape(entity.group(0)))
            position = entity.end()
        elif char == ">":
            raise EntityParseError(
                f"Character '>' must be escaped (byte offset {_byte_offset(source, position)})"
            )
        else:
            out.append(char)
            position += 1
    if open_tags:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return "".join(out)


def telegram_length(text: str) -> int:
    """Telegram measures text in UTF-16 code units: an emoji can count as two."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(source: str, position: int) -> int:
    return len(source[:position].encode("utf-8"))
