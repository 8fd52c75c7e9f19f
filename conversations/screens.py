"""The survey's screens: one message, edited in place: a question, a prompt or the summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.outbox import notices
from bot.rendering.texts import Texts
from bot.services.survey import SurveyView
from bot.telegram.keyboards import Screen, keyboard
from conversations import callbacks
from conversations.notice_buttons import BUTTONS
from domain.catalog import Chapter
from domain.scoring import DONT_KNOW, profile

__all__ = ["Screen", "keyboard"]  # from `bot.telegram.keyboards`, for the outbox too

Row = list[tuple[str, callbacks.Button]]


@dataclass(frozen=True, slots=True)
class Offer:
    """What the tap before this screen makes worth offering, on this screen, without an extra tap:
    an example for the topic just answered, a remark on the chapter just finished."""

    example_index: int | None = None
    chapter: Chapter | None = None


NO_OFFER = Offer()
TOPICS_PER_PAGE = 12
TOPICS_PER_ROW = 4


def question(
    texts: Texts, language: str, view: SurveyView, offer: Offer = NO_OFFER, *,
    review: bool = False, signs: bool = False,
) -> Screen:
    """The element at `view.index` (the summary when there is none). While `review`ing from the
    summary, an answer leads back to the summary and the way out is the list of topics. With
    `signs`, what you would notice is shown under the levels, and the button goes back."""
    if view.index is None:
        return summary(texts, language, view, offer=offer)
    b = texts.buttons(language)
    element = view.element
    text = texts.render(
        language, "question", view=view, team=view.team_name, element=element,
        chapter=view.chapter, finished=offer.chapter, review=review, signs=signs,
    )
    chosen = view.current_choice if view.is_answered else 0  # 0: no button is ticked
    answer = callbacks.ReviewAnswer if review else callbacks.Answer
    levels: Row = [
        (str(b.level(n, chosen == n)), answer(view.cycle_id, view.index, n)) for n in range(1, 6)
    ]
    rows: list[Row] = [levels, [
        (("✓ " if chosen == choice else "") + label, answer(view.cycle_id, view.index, choice))
        for label, choice in ((b.dont_know, DONT_KNOW), (b.not_applicable, None))]]
    if review:
        page = page_of(view, view.index)
        rows.append([(b.to_overview, callbacks.Overview(view.cycle_id, page)),
                     (b.pause, callbacks.ReviewPause(view.cycle_id, view.index))])
        return Screen(text, keyboard(rows))
    rows.append([(b.hide_signs, callbacks.View(view.cycle_id, view.index)) if signs
                 else (b.signs, callbacks.Signs(view.cycle_id, view.index))])
    rows.extend(_offers(texts, language, view, offer))
    navigation: Row = [(b.pause, callbacks.Pause(view.cycle_id))]
    if view.index > 0:
        navigation.insert(0, (b.back, callbacks.View(view.cycle_id, view.index - 1)))
    rows.append(navigation)
    return Screen(text, keyboard(rows))


def _offers(texts: Texts, language: str, view: SurveyView, offer: Offer) -> list[Row]:
    b = texts.buttons(language)
    row: Row = []
    if offer.example_index is not None:
        element_id = view.element_ids[offer.example_index]
        row.append((str(b.add_example(element_id)),
                    callbacks.AddExample(view.cycle_id, offer.example_index)))
    if offer.chapter is not None:
        row.append((str(b.remark_on(offer.chapter.id)),
                    callbacks.Remark(view.cycle_id, offer.chapter.id)))
    return [row] if row else []


def pages(view: SurveyView) -> list[list[int]]:
    """The summary's topics (scope indexes) in pages of at most TOPICS_PER_PAGE, keeping a
    chapter on one page where it fits."""
    runs: list[list[int]] = []
    for index, element_id in enumerate(view.element_ids):
        chapter_id = view.model.elements[element_id].chapter_id
        if runs and view.model.elements[view.element_ids[runs[-1][-1]]].chapter_id == chapter_id:
            runs[-1].append(index)
        else:
            runs.append([index])
    result: list[list[int]] = [[]]
    for run in runs:
        for start in range(0, len(run), TOPICS_PER_PAGE):
            chunk = run[start:start + TOPICS_PER_PAGE]
            if result[-1] and len(result[-1]) + len(chunk) > TOPICS_PER_PAGE:
                result.append([])
            result[-1].extend(chunk)
    return result


def page_of(view: SurveyView, index: int) -> int:
    return next(n for n, page in enumerate(pages(view)) if index in page)


def summary(
    texts: Texts, language: str, view: SurveyView, page: int = 0, offer: Offer = NO_OFFER
) -> Screen:
    """All answers by chapter, one page at a time, each topic a button to change its answer."""
    b = texts.buttons(language)
    all_pages = pages(view)
    page = min(max(page, 0), len(all_pages) - 1)
    shown = all_pages[page]
    result = profile(view.model, view.scope_id, view.answers)
    means = {c.chapter_id: c.mean for c in result.chapters}
    chapters: list[dict[str, Any]] = []
    for index in shown:
        element = view.model.elements[view.element_ids[index]]
        if not chapters or chapters[-1]["id"] != element.chapter_id:
            chapters.append({"id": element.chapter_id, "level": means.get(element.chapter_id),
                             "title": view.model.chapter(element.chapter_id).title(language),
                             "topics": []})
        chapters[-1]["topics"].append({"element": element, "level": view.answers.get(element.id),
                                       "unknown": element.id in view.unknown})
    text = texts.render(
        language, "summary", team=view.team_name, total=view.total, chapters=chapters,
        overall=result.overall, completed=view.completed, deadline=view.deadline,
        timezone=view.timezone, page=page, pages=len(all_pages), finished=offer.chapter,
    )
    buttons: Row = [(str(b.topic(e, "?" if e in view.unknown else view.answers.get(e))),
                     callbacks.ReviewView(view.cycle_id, i))
                    for i in shown for e in [view.element_ids[i]]]
    rows = [buttons[n:n + TOPICS_PER_ROW] for n in range(0, len(buttons), TOPICS_PER_ROW)]
    turning: Row = []
    if page > 0:
        turning.append((b.previous_page, callbacks.Overview(view.cycle_id, page - 1)))
    if page < len(all_pages) - 1:
        turning.append((b.next_page, callbacks.Overview(view.cycle_id, page + 1)))
    rows.extend([turning] if turning else [])
    rows.extend(_offers(texts, language, view, offer))
    if not view.completed:
        rows.insert(0, [(b.confirm, callbacks.Confirm(view.cycle_id))])
    return Screen(text, keyboard(rows))


def paused(texts: Texts, language: str, view: SurveyView, reviewing: int | None = None) -> Screen:
    """Paused where the person was: the next open topic, or the topic they were reviewing."""
    b = texts.buttons(language)
    position = reviewing if reviewing is not None else view.index
    text = texts.render(
        language, "paused", team=view.team_name, answered=view.answered, total=view.total,
        position=position, reviewing=reviewing is not None,
        deadline=view.deadline, timezone=view.timezone,
    )
    resume: callbacks.Button = (callbacks.ReviewView(view.cycle_id, reviewing)
                                if reviewing is not None else callbacks.Resume(view.cycle_id))
    return Screen(text, keyboard([[(b.resume, resume)]]))


def invitation(
    texts: Texts, language: str, *, cycle_id: int, team: str, model_id: str, scope_id: str,
    deadline: datetime, timezone: str,
) -> Screen:
    """The message that opens a survey for one participant (`bot.outbox.notices.invitation`)."""
    return notices.invitation(texts, language, BUTTONS, cycle_id=cycle_id, team=team,
                              model_id=model_id, scope_id=scope_id, deadline=deadline,
                              timezone=timezone)
