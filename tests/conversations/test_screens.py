"""The survey's screens stay within Telegram's limits for every model and scope."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from bot.rendering.texts import TELEGRAM_TEXT_LIMIT, Texts
from bot.services.survey import SurveyView
from conversations import screens
from domain.catalog import load_model

MODELS_AND_SCOPES = [(model_id, scope_id) for model_id in ("iso9004-2018", "iso9004-2009")
                     for scope_id in load_model(model_id).scopes]


def everything_answered(model_id: str, scope_id: str) -> SurveyView:
    model = load_model(model_id)
    element_ids = model.scope(scope_id).element_ids
    return SurveyView(
        cycle_id=123_456_789, team_name="Zorg & Co", timezone="Europe/Amsterdam", model=model,
        scope_id=scope_id, deadline=datetime(2026, 12, 24, 12, tzinfo=UTC), index=None,
        answers={e: None if n % 4 == 0 else 1 + n % 5 for n, e in enumerate(element_ids)},
        completed=False, message_id=None, language="nl")


@pytest.mark.parametrize(("model_id", "scope_id"), MODELS_AND_SCOPES)
def test_the_summary_pages_show_every_topic_once_within_telegrams_limits(
    model_id: str, scope_id: str,
) -> None:
    view = everything_answered(model_id, scope_id)
    pages = screens.pages(view)
    assert sorted(i for page in pages for i in page) == list(range(view.total))
    assert all(0 < len(page) <= screens.TOPICS_PER_PAGE for page in pages)
    texts = Texts()
    for language in ("nl", "en"):
        for number, page in enumerate(pages):
            screen = screens.summary(texts, language, view, number,
                                     screens.Offer(0, view.model.chapters[0]))
            assert screen.keyboard is not None
            buttons = [b for row in screen.keyboard.inline_keyboard for b in row]
            assert len(buttons) <= 100 and all(
                len(row) <= 8 for row in screen.keyboard.inline_keyboard)
            assert all(len((b.callback_data or "").encode()) <= 64 for b in buttons)
            assert len(screen.text) < TELEGRAM_TEXT_LIMIT and not screen.text.endswith("…")
            topics = [b for b in buttons if (b.callback_data or "").startswith("rv:")]
            assert [view.element_ids.index(b.text.split(" · ")[0]) for b in topics] == page


def test_a_chapter_stays_on_one_page_when_it_fits() -> None:
    view = everything_answered("iso9004-2018", "full")
    for page in screens.pages(view):
        chapters = [view.model.elements[view.element_ids[i]].chapter_id for i in page]
        for chapter_id in set(chapters):
            in_scope = [e for e in view.model.chapter(chapter_id).element_ids
                        if e in view.element_ids]
            assert chapters.count(chapter_id) == len(in_scope)


def _question(answer: int | None, unknown: frozenset[str], scope_id: str = "full") -> SurveyView:
    model = load_model("iso9004-2018")
    return SurveyView(
        cycle_id=7, team_name="Zorg", timezone="Europe/Amsterdam", model=model,
        scope_id=scope_id, deadline=datetime(2026, 12, 24, 12, tzinfo=UTC),
        index=model.scope(scope_id).element_ids.index("7.2"), answers={"7.2": answer},
        completed=False, message_id=None, language="nl", unknown=unknown)


@pytest.mark.parametrize(("answer", "unknown", "ticked"), [
    (None, frozenset({"7.2"}), "✓ Weet ik niet"),
    (None, frozenset(), "✓ Niet van toepassing"),
    (3, frozenset(), "✓ 3"),
])
def test_dont_know_and_not_applicable_are_two_buttons(
    answer: int | None, unknown: frozenset[str], ticked: str,
) -> None:
    screen = screens.question(Texts(), "nl", _question(answer, unknown))
    assert screen.keyboard is not None
    labels = [b.text for row in screen.keyboard.inline_keyboard for b in row]
    assert ticked in labels and sum(label.startswith("✓") for label in labels) == 1
    assert {"Weet ik niet", "Niet van toepassing"} - {ticked[2:]} <= set(labels)
    data = {b.text: str(b.callback_data) for row in screen.keyboard.inline_keyboard for b in row}
    assert data[ticked if "Weet" in ticked else "Weet ik niet"].endswith(":?")


def test_the_signs_button_shows_what_you_would_notice_and_leads_back() -> None:
    view = _question(None, frozenset())
    plain = screens.question(Texts(), "en", view)
    signs = view.model.elements["7.2"].signs("en")
    assert not any(sign in plain.text for sign in signs)
    assert "Mainly for managers" in plain.text  # 7.2 in a full assessment
    shown = screens.question(Texts(), "en", view, signs=True)
    assert all(sign in shown.text for sign in signs) and "How would you notice?" in shown.text
    assert shown.keyboard is not None and plain.keyboard is not None
    back = {b.text: b.callback_data for row in shown.keyboard.inline_keyboard for b in row}
    assert back["↩️ Back to the question"] == f"v:7:{view.index}"
    first = {b.text: b.callback_data for row in plain.keyboard.inline_keyboard for b in row}
    assert first["👀 How would you notice?"] == f"s:7:{view.index}"
    management = screens.question(Texts(), "en", _question(None, frozenset(), "management"))
    assert "Mainly for managers" not in management.text


def test_the_summary_tells_dont_know_from_not_applicable() -> None:
    view = everything_answered("iso9004-2018", "quick")
    first, second = view.element_ids[:2]
    view = dataclasses.replace(view, answers={**view.answers, first: None, second: None},
                               unknown=frozenset({first}))
    screen = screens.summary(Texts(), "en", view)
    assert f"{view.model.elements[first].title('en')}: <b>don't know</b>" in screen.text.replace(
        "&#39;", "'")
    assert f"{view.model.elements[second].title('en')}: <b>n/a</b>" in screen.text
    assert screen.keyboard is not None
    labels = [b.text for row in screen.keyboard.inline_keyboard for b in row]
    assert f"{first} · ?" in labels and f"{second} · n/a" in labels
