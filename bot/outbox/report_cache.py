"""A closed cycle's report messages rendered once and kept (`bot.services.rendered`).

The family makes a closed cycle's team report the same for every manager who may read it, so the
summary, the charts and the PDF are rendered the first time anyone asks (or the report goes out at
the close) and kept per language; later readers get the kept messages, addressed to them, while
the version (agreed levels, actions, targets…) is unchanged. An open cycle (counts of people
that change by the minute) is never kept. Rendering happens outside any unit of work, so a slow
PDF never holds the database.
"""

from __future__ import annotations

import json

from sqlalchemy.exc import IntegrityError
from telegram import InlineKeyboardMarkup

from bot.db.models import Cycle
from bot.outbox.delivery import Outgoing, report_messages
from bot.services import rendered, report_view
from bot.services.rendered import Part
from bot.telegram import keyboards
from bot.telegram.runtime import Runtime


def pack(messages: list[Outgoing]) -> dict[str, Part]:
    """Messages into kept parts: per message its words and buttons, each picture, the file."""
    parts: dict[str, Part] = {}
    for number, message in enumerate(messages):
        markup = message.screen.keyboard
        parts[f"message:{number}"] = Part({
            "keyboard": markup.to_dict() if markup is not None else None,
            "pictures": len(message.pictures),
            "document": message.document[0] if message.document else None,
        }, message.screen.text.encode("utf-8"))
        for index, picture in enumerate(message.pictures):
            parts[f"picture:{number}:{index}"] = Part({}, picture)
        if message.document is not None:
            parts[f"document:{number}"] = Part({}, message.document[1])
    return parts


def unpack(chat_id: int, parts: dict[str, Part]) -> list[Outgoing]:
    """Kept parts into messages to `chat_id`, in their order."""
    messages = []
    count = sum(1 for variant in parts if variant.startswith("message:"))
    for number in range(count):
        head = parts[f"message:{number}"]
        markup = head.meta.get("keyboard")
        name = head.meta.get("document")
        messages.append(Outgoing(
            chat_id,
            keyboards.Screen(head.content.decode("utf-8"),
                             InlineKeyboardMarkup.de_json(markup, None) if markup else None),
            tuple(parts[f"picture:{number}:{i}"].content for i in range(head.meta["pictures"])),
            (str(name), parts[f"document:{number}"].content) if name else None))
    return messages


async def messages(runtime: Runtime, chat_id: int, language: str, cycle: Cycle,
                   viewer_id: int) -> tuple[list[Outgoing], bool]:
    """The report's messages to `chat_id` and whether it is a preview (an open cycle): kept ones
    when this version was rendered before, else rendered now (and kept when closed)."""
    async with runtime.repository() as repo:
        closed = cycle.closed_at is not None
        wanted = await rendered.version(repo, cycle) if closed else None
        kept = await rendered.load(repo, cycle.id, language, wanted) if wanted else None
        view = None if kept else await report_view.build(repo, cycle, viewer_id)
    if kept is not None:
        return unpack(chat_id, kept), False
    assert view is not None
    made = await report_messages(runtime, chat_id, language, view)
    if wanted is not None:
        try:
            async with runtime.repository() as repo:
                await rendered.keep(repo, cycle.id, language, wanted, pack(made))
        except IntegrityError:  # another reader kept the same version first: it is the same
            pass
    return made, view.report.is_preview


def describe(parts: dict[str, Part]) -> str:
    """For logs and benchmarks: the kept variants and their sizes."""
    return json.dumps({variant: len(part.content) for variant, part in sorted(parts.items())})
