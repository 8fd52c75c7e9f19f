"""Texts: both languages complete, escaping safe for Telegram, long texts trimmed safely."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.rendering.texts import TEMPLATES, Texts, fit_message, plain


def test_every_template_exists_in_both_languages() -> None:
    dutch = {p.name for p in (TEMPLATES / "nl").iterdir()}
    english = {p.name for p in (TEMPLATES / "en").iterdir()}
    assert dutch == english


def test_names_with_markup_characters_stay_text() -> None:
    texts = Texts()
    rendered = texts.render("en", "already_member", team="<R&D> \"Q\" team", has_open_survey=False)
    assert "&lt;R&amp;D&gt;" in rendered
    assert "<R&D>" not in rendered


def test_the_language_is_explicit_and_unknown_ones_fall_back_to_the_default() -> None:
    texts = Texts(default_language="nl")
    assert "Welkom" in texts.render("nl", "welcome", team="X", threshold=3)
    assert "Welcome" in texts.render("en", "welcome", team="X", threshold=3)
    assert "Welkom" in texts.render("de", "welcome", team="X", threshold=3)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_button_labels_are_short_enough_for_a_phone(language: str) -> None:
    buttons = Texts().buttons(language)
    for name in ("agree", "decline", "back", "pause", "not_applicable", "confirm", "resume"):
        assert 0 < len(getattr(buttons, name)) <= 40


def test_an_over_long_message_is_cut_at_a_line_and_keeps_its_tags_closed() -> None:
    text = "<b>title</b>\n" + "\n".join(f"<i>line {n} &amp; more</i>" for n in range(500))
    fitted = fit_message(text)
    assert len(fitted) <= 4096
    assert fitted.count("<i>") == fitted.count("</i>")
    assert fitted.endswith("…") or fitted.endswith("</i>")


def test_a_cut_inside_an_open_tag_closes_it() -> None:
    fitted = fit_message("<b>" + "x" * 5000 + "</b>")
    assert len(fitted) <= 4096
    assert fitted.startswith("<b>") and fitted.endswith("</b>")


def test_plain_labels_are_one_line_and_bounded() -> None:
    assert plain("a\nvery   long\tname" * 20, 20).count("\n") == 0
    assert len(plain("x" * 100, 20)) == 20


def test_templates_folder_is_inside_the_package() -> None:
    assert Path(TEMPLATES).is_dir()


PRIVACY_PROMISE = {  # docs/PRIVACY.md in short: team figures, after the close, k besides the reader
    "en": ("only team figures", "closed", "besides the one reading"),
    "nl": ("alleen teamcijfers", "gesloten", "naast degene die"),
}
NEEDS_K_PLUS_ONE = {"en": "A team needs that many respondents for figures",
                    "nl": "Zoveel antwoorden heeft een team nodig voor cijfers"}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_consent_help_and_mydata_make_the_privacy_promise_of_privacy_md(language: str) -> None:
    texts = Texts()
    person = SimpleNamespace(display_name="Anna", language=language,
                             consented_at=datetime(2026, 1, 1, tzinfo=UTC))
    rendered = {
        "welcome": texts.render(language, "welcome", team="X", threshold=4),
        "help": texts.render(language, "help"),
        "mydata": texts.render(language, "mydata", person=person, teams=[]),
    }
    for name, text in rendered.items():
        for words in PRIVACY_PROMISE[language]:
            assert words in text, (name, words)
    assert "4" in rendered["welcome"] and "5" in rendered["welcome"]  # k + 1 answered
    assert NEEDS_K_PLUS_ONE[language] in rendered["help"]
    assert NEEDS_K_PLUS_ONE[language] in rendered["mydata"]
    assert "/deleteme" in rendered["mydata"] and "/deleteme" in rendered["help"]


@pytest.mark.parametrize(("language", "overlap", "remainder"), [
    ("en", "team Beta: only a few of its people are also in team Alpha",
     "group Staff: beside it, only a few people of team Zorg would remain"),
    ("nl", "team Beta: maar een paar van zijn mensen zitten ook in team Alpha",
     "groep Medewerkers: ernaast blijven maar een paar mensen van team Zorg over"),
])
def test_what_is_hidden_says_why_in_words_a_manager_can_act_on(
    language: str, overlap: str, remainder: str,
) -> None:
    words = Texts().words(language, "withheld_words")
    beta = SimpleNamespace(kind="team", name="Beta", reason="overlap", other_kind="team",
                           other_name="Alpha")
    staff = SimpleNamespace(kind="group", name="staff", reason="remainder", other_kind="team",
                            other_name="Zorg")
    small = SimpleNamespace(kind="team", name="Ci", reason="too_few", other_kind=None,
                            other_name=None)
    assert str(words.why(beta, 4)).startswith(overlap)
    assert str(words.why(staff, 4)) == remainder
    assert "4" in str(words.why(small, 4))
