"""The shipped assessment models: complete in both languages, and safe to show in Telegram HTML."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest

from domain.catalog import (
    LEVEL_TEXT_MAX,
    MODEL_IDS,
    CatalogError,
    load_model,
    parse_model,
    shared_level_texts,
)


def raw(model_id: str) -> dict[str, Any]:
    source = resources.files("domain.catalogs").joinpath(f"{model_id}.json")
    return dict(json.loads(source.read_text(encoding="utf-8")))


@pytest.mark.parametrize(("model_id", "full", "quick", "chapters"), [
    ("iso9004-2018", 31, 7, ["5", "6", "7", "8", "9", "10", "11"]),
    ("iso9004-2009", 32, 9, ["4", "5", "6", "7", "8", "9"]),
])
def test_both_editions_have_their_clauses_and_scopes(
    model_id: str, full: int, quick: int, chapters: list[str]
) -> None:
    model = load_model(model_id)
    assert [c.id for c in model.chapters] == chapters
    assert len(model.scope("full").element_ids) == full
    assert len(model.scope("quick").element_ids) == quick
    assert model.scope("quick").minutes <= 10 < model.scope("full").minutes


def test_the_2018_quick_scan_asks_one_element_per_clause() -> None:
    model = load_model("iso9004-2018")
    asked = [model.elements[e].chapter_id for e in model.scope("quick").element_ids]
    assert asked == [c.id for c in model.chapters]


def test_the_2009_quick_scan_is_the_key_elements_everyone_can_judge() -> None:
    model = load_model("iso9004-2009")
    assert model.scope("quick-2025").element_ids == tuple(f"K{n}" for n in range(1, 10))
    key = [e for e in model.scope("quick").element_ids if e.startswith("K")]
    assert key == ["K2", "K4", "K5", "K6", "K7", "K9"]  # K1, K3 and K8 are the management's
    assert not any(e.startswith("K") for e in model.scope("full").element_ids)
    assert {"8.3.2", "8.3.5", "6.8"} <= set(model.scope("full").element_ids)


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_every_text_exists_in_both_languages_and_needs_no_escaping(model_id: str) -> None:
    model = load_model(model_id)
    for element in model.elements.values():
        for language in ("nl", "en"):
            texts = [element.title(language), element.about(language)]
            texts += [level(language) for level in element.levels]
            assert all(text and not set(text) & set("<>&") for text in texts), element.id
            assert len({level(language) for level in element.levels}) == 5, element.id
        assert element.about("nl") != element.about("en"), element.id


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_principles_are_included_for_explanations(model_id: str) -> None:
    assert len(load_model(model_id).principles) == {"iso9004-2018": 7, "iso9004-2009": 8}[model_id]


@pytest.mark.parametrize(("break_it", "message"), [
    (lambda m: m["chapters"][0]["elements"][0]["levels"]["nl"].pop(), "exactly 5 levels"),
    (lambda m: m["chapters"][0]["elements"][0]["about"].pop("en"), "missing 'en'"),
    (lambda m: m["scopes"]["quick"]["elements"].append("99.9"), "unknown elements"),
    (lambda m: m["chapters"][1]["elements"].append(m["chapters"][0]["elements"][0]), "duplicate"),
    (lambda m: m["scopes"].pop("full"), "missing the 'full' scope"),
    (lambda m: m["chapters"][0]["elements"][0]["levels"]["en"].__setitem__(4, "x" * 161),
     "longer than 160"),
    (lambda m: m["chapters"][0]["elements"][0].__setitem__("principles", ["kindness"]),
     "known principle"),
])
def test_a_broken_catalog_is_refused_with_a_reason(break_it: Any, message: str) -> None:
    model = copy.deepcopy(raw("iso9004-2018"))
    break_it(model)
    with pytest.raises(CatalogError, match=message):
        parse_model(model)


def test_titles_follow_each_edition() -> None:
    old, new = load_model("iso9004-2009"), load_model("iso9004-2018")
    general = old.elements["4.1"]
    assert general.official_title is not None
    assert general.official_title("en") == "General" and general.title("en") != "General"
    assert old.elements["8.5"].title("en") == (
        "Review of information from monitoring, measurement and analysis"
    )
    assert old.elements["8.3.2"].title("nl") == "Kritieke prestatie-indicatoren"
    assert new.elements["8.3"].title("en") == "Responsibility and authority for processes"
    assert new.elements["10.4"].title("en") == "Performance evaluation"
    assert "kwesties" not in new.elements["5.3"].title("nl")
    assert new.elements["5.2"].official_title is None
    general = new.elements["9.1"]
    assert general.official_title is not None and general.official_title("nl") == "Algemeen"
    assert general.title("en") == "Planning resources"


def test_no_2009_element_reuses_a_2018_level_text() -> None:
    old, new = load_model("iso9004-2009"), load_model("iso9004-2018")
    assert shared_level_texts(old, new, "full") == set()
    assert shared_level_texts(old, new, "quick") == set()


def test_the_copy_check_would_notice_a_copied_level() -> None:
    copied = raw("iso9004-2009")
    first = copied["chapters"][0]["elements"][2]  # 4.1, a detailed element
    first["levels"]["nl"][2] = load_model("iso9004-2018").elements["9.2"].level(3)("nl")
    assert shared_level_texts(parse_model(copied), load_model("iso9004-2018"), "full") == {
        first["levels"]["nl"][2]
    }


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_every_level_fits_the_question_screen(model_id: str) -> None:
    for element in load_model(model_id).elements.values():
        for level in element.levels:
            assert max(len(level("nl")), len(level("en"))) <= LEVEL_TEXT_MAX, element.id


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_every_element_carries_the_aids_for_the_discussion(model_id: str) -> None:
    model = load_model(model_id)
    for element in model.elements.values():
        for language in ("nl", "en"):
            signs, questions = element.signs(language), element.questions(language)
            steps = [element.next_step(level, language) for level in (1, 2, 3, 4)]
            assert 2 <= len(signs) <= 3 and 1 <= len(questions) <= 2, element.id
            assert all(steps) and len(set(steps)) == 4, element.id
            assert element.next_step(5, language) is None
            with pytest.raises(CatalogError, match="no level"):
                element.next_step(0, language)
            texts = [*signs, *questions, *(s or "" for s in steps)]
            assert all(text.strip() and not set(text) & set("<>&") for text in texts), element.id
        assert element.signs("nl") != element.signs("en"), element.id
        assert element.principle_ids, element.id
        assert all(model.principle(p) for p in element.principle_ids)


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_the_principles_view_has_no_empty_principle(model_id: str) -> None:
    model = load_model(model_id)
    for principle in model.principles:
        assert model.principle_elements(principle.id, "full"), principle.id
    with pytest.raises(CatalogError, match="no principle"):
        model.principle_elements("kindness", "full")


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_the_glossary_explains_the_terms_a_participant_meets(model_id: str) -> None:
    model = load_model(model_id)
    dutch, english = dict(model.glossary("nl")), dict(model.glossary("en"))
    for term in ("Belanghebbenden", "Proceseigenaar", "Directiebeoordeling"):
        assert term in dutch
    for term in ("Interested parties", "Process owner", "Management review"):
        assert term in english
    assert any(term.startswith("KPI") for term in dutch) and len(dutch) == len(english)
    terms = [term for term, _ in model.glossary("nl")]
    assert terms == sorted(terms, key=str.casefold)
    assert all(not set(meaning) & set("<>&") for meaning in [*dutch.values(), *english.values()])


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_no_level_leans_on_a_cliche_nobody_can_observe(model_id: str) -> None:
    cliches = ("DNA", "in our nature", "voorbeeld voor anderen", "example for others",
               "as an example by others", "a reference for others", "a model by others")
    for element in load_model(model_id).elements.values():
        for level in element.levels:
            assert not any(c in level(lang) for c in cliches for lang in ("nl", "en")), element.id


def test_the_2018_quick_scan_asks_11_1_which_spans_improvement_learning_and_innovation() -> None:
    assert "11.1" in load_model("iso9004-2018").scope("quick").element_ids


@pytest.mark.parametrize(("break_it", "message"), [
    (lambda e: e.pop("signs"), "expected signs per language"),
    (lambda e: e["signs"]["en"].pop(), "different numbers of signs"),
    (lambda e: e["next_steps"]["nl"].pop(), "exactly 4 steps"),
    (lambda e: e["questions"].__setitem__("en", []), "1 to 2 questions"),
    (lambda e: e.__setitem__("principles", []), "at least one known principle"),
])
def test_an_element_without_its_aids_is_refused(break_it: Any, message: str) -> None:
    model = copy.deepcopy(raw("iso9004-2018"))
    break_it(model["chapters"][0]["elements"][0])
    with pytest.raises(CatalogError, match=message):
        parse_model(model)


def test_a_catalog_without_a_glossary_is_refused() -> None:
    model = copy.deepcopy(raw("iso9004-2009"))
    model.pop("glossary")
    with pytest.raises(CatalogError, match="glossary"):
        parse_model(model)
