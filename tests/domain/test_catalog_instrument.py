"""The catalogs as a measuring instrument (issue #27): every "done when" criterion, from the files.

The answering rule says: take the highest level that fully applies, with every level below it true
as well. A level 1 or 2 that describes an absence ("engagement is not measured") cannot stay true
once a higher level says the opposite, so an honest person cannot follow the rule. The heuristics
below are deliberately simple word checks; the tests at the bottom prove they catch the texts the
issue quoted, so a green run means something.
"""

from __future__ import annotations

import re

import pytest

from domain.catalog import AUDIENCES, LANGUAGES, MODEL_IDS, AssessmentModel, load_model

NEGATIONS = {
    "nl": r"\b(niet|geen|nauwelijks|zonder|ontbreekt|ontbreken|nooit|zelden|niemand|niets"
          r"|weinig)\b",
    "en": r"\b(not|no|without|hardly|lacks?|lacking|never|rarely|nobody|nothing|little|none)\b"
          r"|n't\b",
}
# A list of short items ("people, money and means", "plans and forecasts") is one idea; a comma
# before "and" ("…, and findings are followed up") or a semicolon joins clauses.
_CLAUSE_AND = r",\s+(?:en|and|maar|but)\b"
_LIST = {"nl": r"[\w'-]+(?:, [\w'-]+)* (?:en|of) [\w'-]+",
         "en": r"[\w'-]+(?:, [\w'-]+)* (?:and|or) [\w'-]+"}
_JOINT = r"[;,|—:]"
MOST_NEGATED_FLOORS = 2  # per edition and language
MOST_CHAINS = 3  # per edition and language
CALQUES = ("set moment", "room to talk back", "think along", "work floor", "get a step better",
           "Beste praktijk", "beste praktijk")


def negates(text: str, language: str) -> bool:
    return re.search(NEGATIONS[language], text, re.IGNORECASE) is not None


def chains_three_ideas(text: str, language: str) -> bool:
    """Two joints or more between clauses, once lists of short items are folded into one."""
    folded = re.sub(_CLAUSE_AND, " | ", text)
    folded = re.sub(_LIST[language], "X", folded)
    return len(re.findall(_JOINT, folded)) >= 2


def every_text(model: AssessmentModel, language: str) -> list[str]:
    texts = [name(language) for name in model.level_names]
    for element in model.elements.values():
        texts += [element.title(language), element.about(language)]
        texts += [level(language) for level in element.levels]
        texts += [*element.signs(language), *element.questions(language)]
        texts += [step(language) for step in element.step_texts]
        if element.consultant is not None:
            layer = element.consultant
            texts += [t(language) for t in (*layer.evidence, *layer.pitfalls, *layer.kpis)]
    texts += [meaning for _, meaning in model.glossary(language)]
    texts += [p.about(language) for p in model.principles]
    return texts


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_levels_1_and_2_describe_a_practice_that_stays_true_above_them(
    model_id: str, language: str
) -> None:
    negated = [
        (element.id, number, element.level(number)(language))
        for element in load_model(model_id).elements.values()
        for number in (1, 2)
        if negates(element.level(number)(language), language)
    ]
    assert len(negated) <= MOST_NEGATED_FLOORS, negated


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_a_level_holds_one_observable_idea(model_id: str, language: str) -> None:
    chained = [
        (element.id, number, level(language))
        for element in load_model(model_id).elements.values()
        for number, level in enumerate(element.levels, start=1)
        if chains_three_ideas(level(language), language)
    ]
    assert len(chained) <= MOST_CHAINS, chained


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_no_element_is_shown_as_just_general(model_id: str) -> None:
    for element in load_model(model_id).elements.values():
        assert element.title("nl") != "Algemeen" and element.title("en") != "General", element.id
        if element.official_title is not None:  # the clause title stays beside the display title
            assert element.official_title("en") != element.title("en"), element.id


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_every_element_has_an_audience_and_the_consultant_layer(model_id: str) -> None:
    model = load_model(model_id)
    for element in model.elements.values():
        assert element.audience in AUDIENCES, element.id
        assert element.for_management == (element.audience == "management")
        layer = element.consultant
        assert layer is not None, element.id
        assert len(layer.evidence) >= 2 and len(layer.pitfalls) >= 1, element.id
        assert 2 <= len(layer.kpis) <= 3, element.id
        assert layer.related_ids and all(r in model.elements for r in layer.related_ids)
        assert element.id not in layer.related_ids
        assert all(re.fullmatch(r"\d+(\.\d+)*", clause) for clause in layer.iso9001), element.id
        for language in LANGUAGES:
            texts = [t(language) for t in (*layer.evidence, *layer.pitfalls, *layer.kpis)]
            assert all(text and not set(text) & set("<>&") for text in texts), element.id
    audiences = {e.audience for e in model.elements.values()}
    assert audiences == set(AUDIENCES)  # both kinds exist, so the marks mean something


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_the_quick_scan_asks_only_what_everyone_can_judge(model_id: str) -> None:
    model = load_model(model_id)
    quick = model.scope_elements("quick")
    assert not [e.id for e in quick if e.for_management]
    assert any(e.for_management for e in model.scope_elements("management"))
    offered = [scope.id for scope in model.offered_scopes()]
    assert offered == ["quick", "management", "full"]
    retired = model.scope("quick-2025")
    assert retired.retired and retired.id not in offered
    assert any(model.elements[e].for_management for e in retired.element_ids)


def test_the_2018_quick_scan_no_longer_asks_policy_or_evaluation() -> None:
    quick = load_model("iso9004-2018").scope("quick").element_ids
    assert "7.2" not in quick and "10.4" not in quick
    assert load_model("iso9004-2018").scope("quick-2025").element_ids[2] == "7.2"


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_the_language_pass_left_no_calque(model_id: str) -> None:
    model = load_model(model_id)
    assert model.level_names[4]("nl") == "Toonaangevend"
    for language in LANGUAGES:
        found = [t for t in every_text(model, language) if any(c in t for c in CALQUES)]
        assert found == [], found


@pytest.mark.parametrize(("model_id", "element_id"), [
    ("iso9004-2018", "10.6"), ("iso9004-2009", "8.3.4"),
])
def test_using_this_bot_keeps_self_assessment_level_1_true(model_id: str, element_id: str) -> None:
    first = load_model(model_id).elements[element_id].level(1)
    assert "minstens één keer" in first("nl") and "at least once" in first("en")


def test_the_2009_texts_close_to_iso_wording_were_rewritten() -> None:
    model = load_model("iso9004-2009")
    assert "by chance and per person" not in model.elements["K9"].level(1)("en")
    assert "toevallig en per persoon" not in model.elements["K9"].level(1)("nl")
    assert not model.elements["K3"].level(3)("en").startswith("Priorities follow from a written")


# The heuristics themselves: a check that cannot fail would prove nothing.

@pytest.mark.parametrize(("text", "language"), [
    ("Opleiding dekt wat de functie of de wet vereist; betrokkenheid wordt niet gemeten.", "nl"),
    ("We look at figures, but nobody asks why.", "en"),
    ("Use of energy and materials is not tracked; waste is not a topic.", "en"),
])
def test_the_negation_check_catches_an_absence(text: str, language: str) -> None:
    assert negates(text, language)


@pytest.mark.parametrize(("text", "language", "chained"), [
    ("Audits are planned on risk, done by trained auditors, and findings are followed up.",
     "en", True),
    ("Beleid en strategie zijn vastgelegd, gebaseerd op onze context, en worden volgens een vaste "
     "cyclus herzien.", "nl", True),
    ("Teams stellen hun eigen doelen mee op en bespreken de voortgang elke maand, zodat plannen op "
     "tijd worden bijgesteld.", "nl", False),
    ("Mission, vision and strategy are written down and used in planning.", "en", False),
    ("Wat we aan mensen, geld, kennis en middelen nodig hebben, volgt uit onze doelen.", "nl",
     False),
])
def test_the_chain_check_tells_a_list_from_three_ideas(
    text: str, language: str, chained: bool
) -> None:
    assert chains_three_ideas(text, language) is chained
