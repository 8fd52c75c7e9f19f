"""The survey's screens: one message, edited in place: a question, a prompt or the summary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.services.survey import SurveyView
from bot.texts import Texts, plain
from conversations import callbacks
from domain.catalog import Chapter, load_model
from domain.scoring import profile


@dataclass(frozen=True, slots=True)
class Screen:
    text: str
    keyboard: InlineKeyboardMarkup | None = None


def keyboard(rows: Sequence[Sequence[tuple[str, callbacks.Button]]]) -> InlineKeyboardMarkup:
    """Rows of (label, payload): every button carries a registered verb (`callbacks`)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(plain(label, 60), callback_data=data.encode())
          for label, data in row] for row in rows]
    )


def question(texts: Texts, language: str, view: SurveyView) -> Screen:
    if view.index is None:
        return summary(texts, language, view)
    b = texts.buttons(language)
    element = view.element
    text = texts.render(
        language, "question", view=view, team=view.team_name, element=element, chapter=view.chapter
    )
    chosen = view.current_answer if view.is_answered else -1
    levels = [
        (str(b.level(n, chosen == n)), callbacks.Answer(view.cycle_id, view.index, n))
        for n in range(1, 6)
    ]
    not_applicable = b.not_applicable if chosen is not None else "✓ " + b.not_applicable
    navigation: list[tuple[str, callbacks.Button]] = [(b.pause, callbacks.Pause(view.cycle_id))]
    if view.index > 0:
        navigation.insert(0, (b.back, callbacks.View(view.cycle_id, view.index - 1)))
    return Screen(
        text,
        keyboard([levels, [(not_applicable, callbacks.Answer(view.cycle_id, view.index, None))],
                  navigation]),
    )


def chapter_done(texts: Texts, language: str, view: SurveyView, chapter: Chapter) -> Screen:
    b = texts.buttons(language)
    text = texts.render(
        language, "chapter_done", chapter=chapter, answered=view.answered, total=view.total,
    )
    return Screen(
        text,
        keyboard([
            [(b.add_remark, callbacks.Remark(view.cycle_id, chapter.id))],
            [(b.skip_remark, callbacks.Continue(view.cycle_id))],
        ]),
    )


def summary(texts: Texts, language: str, view: SurveyView) -> Screen:
    b = texts.buttons(language)
    result = profile(view.model, view.scope_id, view.answers)
    chapters = [
        {"id": c.chapter_id, "title": view.model.chapter(c.chapter_id).title(language),
         "level": c.mean}
        for c in result.chapters
    ]
    text = texts.render(
        language, "summary", team=view.team_name, total=view.total, profile=chapters,
        overall=result.overall, completed=view.completed, deadline=view.deadline,
        timezone=view.timezone,
    )
    rows: list[list[tuple[str, callbacks.Button]]] = [
        [(b.change, callbacks.View(view.cycle_id, 0))]]
    if not view.completed:
        rows.insert(0, [(b.confirm, callbacks.Confirm(view.cycle_id))])
    return Screen(text, keyboard(rows))


def paused(texts: Texts, language: str, view: SurveyView) -> Screen:
    b = texts.buttons(language)
    text = texts.render(
        language, "paused", team=view.team_name, answered=view.answered, total=view.total,
        deadline=view.deadline, timezone=view.timezone,
    )
    return Screen(text, keyboard([[(b.resume, callbacks.Resume(view.cycle_id))]]))


def invitation(
    texts: Texts, language: str, *, cycle_id: int, team: str, model_id: str, scope_id: str,
    deadline: datetime, timezone: str,
) -> Screen:
    """The message that opens a survey for one participant, with the button that starts it."""
    model = load_model(model_id)
    scope = model.scope(scope_id)
    text = texts.render(
        language, "invitation", team=team, scope_title=scope.title(language),
        model_title=model.title(language), total=len(scope.element_ids), minutes=scope.minutes,
        deadline=deadline, timezone=timezone,
    )
    b = texts.buttons(language)
    return Screen(text, keyboard([[(b.start, callbacks.Resume(cycle_id))]]))
