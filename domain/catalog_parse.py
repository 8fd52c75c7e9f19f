"""Turning a catalog's JSON into an `AssessmentModel`, refusing anything the product can't rely on.

Kept apart from `domain.catalog` so the types stay short to read. Every rule here protects a
later step: a missing language breaks a screen, a level over `LEVEL_TEXT_MAX` breaks the
question layout, an element without signs, next steps or questions leaves a participant's
"what makes you say so?" prompt, the report's improvement steps or the meeting agenda empty,
and an element without a principle drops out of the report's principles view.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from domain.catalog import (
    AUDIENCES,
    LANGUAGES,
    LEVEL_TEXT_MAX,
    LEVELS,
    AssessmentModel,
    Audience,
    CatalogError,
    Chapter,
    Consultant,
    Element,
    GlossaryEntry,
    Principle,
    Scope,
    Text,
)

SIGNS = (2, 3)  # how many observable signs an element has
QUESTIONS = (1, 2)  # how many discussion questions an element has
STEPS = len(LEVELS) - 1  # one next step for every move from level n to n + 1
EVIDENCE = (2, 4)  # documents, records, conversations to look at
PITFALLS = (1, 3)
KPIS = (2, 3)  # example indicators: two or three, so a team can pick one


def _text(raw: Any, where: str) -> Text:
    if not isinstance(raw, Mapping):
        raise CatalogError(f"{where}: expected an object with 'nl' and 'en'")
    for language in LANGUAGES:
        value = raw.get(language)
        if not isinstance(value, str) or not value.strip():
            raise CatalogError(f"{where}: missing {language!r} text")
    return Text(nl=raw["nl"].strip(), en=raw["en"].strip())


def _texts(raw: Any, where: str, fewest: int, most: int, what: str) -> tuple[Text, ...]:
    """A list of texts per language, the same length in every language, paired by position."""
    if not isinstance(raw, Mapping):
        raise CatalogError(f"{where}: expected {what} per language")
    per_language: dict[str, Sequence[str]] = {}
    for language in LANGUAGES:
        values = raw.get(language)
        if not isinstance(values, list) or not fewest <= len(values) <= most:
            wanted = f"exactly {fewest}" if fewest == most else f"{fewest} to {most}"
            raise CatalogError(f"{where}: {language!r} needs {wanted} {what}")
        if any(not isinstance(v, str) or not v.strip() for v in values):
            raise CatalogError(f"{where}: {language!r} has an empty {what[:-1]}")
        per_language[language] = values
    if len({len(values) for values in per_language.values()}) != 1:
        raise CatalogError(f"{where}: the languages have different numbers of {what}")
    return tuple(
        Text(nl=nl.strip(), en=en.strip())
        for nl, en in zip(per_language["nl"], per_language["en"], strict=True)
    )


def _five(raw: Any, where: str) -> tuple[Text, Text, Text, Text, Text]:
    texts = _texts(raw, where, len(LEVELS), len(LEVELS), "levels")
    return texts  # type: ignore[return-value]


def _aid(raw: Mapping[str, Any], key: str, where: str, counts: tuple[int, int]) -> tuple[Text, ...]:
    """Signs, next steps or questions: every element needs them in every language."""
    return _texts(raw.get(key), f"{where} {key}", *counts, key.replace("next_", ""))


def _audience(raw: Any, where: str) -> Audience:
    for audience in AUDIENCES:
        if raw == audience:
            return audience
    raise CatalogError(f"{where}: audience must be one of {list(AUDIENCES)}, got {raw!r}")


def _consultant(raw: Any, where: str) -> Consultant:
    """The consultant layer; related ids are checked against the model once all are read."""
    if not isinstance(raw, Mapping):
        raise CatalogError(f"{where}: missing the consultant layer")
    related = raw.get("related")
    clauses = raw.get("iso9001")
    if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
        raise CatalogError(f"{where} consultant: related must be a list of element ids")
    if not isinstance(clauses, list) or not clauses or not all(
        isinstance(c, str) and c[:1].isdigit() for c in clauses
    ):
        raise CatalogError(f"{where} consultant: needs ISO 9001 clause numbers")
    return Consultant(
        evidence=_aid(raw, "evidence", f"{where} consultant", EVIDENCE),
        pitfalls=_aid(raw, "pitfalls", f"{where} consultant", PITFALLS),
        related_ids=tuple(related),
        kpis=_aid(raw, "kpis", f"{where} consultant", KPIS),
        iso9001=tuple(clauses),
    )


def _element(
    raw: Mapping[str, Any], element_id: str, chapter_id: str, principle_ids: set[str], where: str
) -> Element:
    levels = _five(raw.get("levels"), f"{where} levels")
    for number, level in zip(LEVELS, levels, strict=True):
        for language in LANGUAGES:
            if len(level(language)) > LEVEL_TEXT_MAX:
                raise CatalogError(
                    f"{where} level {number} {language!r}: longer than {LEVEL_TEXT_MAX} characters"
                )
    principles = tuple(str(p) for p in raw.get("principles", []))
    unknown = [p for p in principles if p not in principle_ids]
    if not principles or unknown or len(set(principles)) != len(principles):
        raise CatalogError(f"{where}: needs at least one known principle, got {list(principles)}")
    return Element(
        id=element_id,
        chapter_id=chapter_id,
        title=_text(raw.get("title"), f"{where} title"),
        official_title=(
            _text(raw["official_title"], f"{where} official title")
            if "official_title" in raw
            else None
        ),
        about=_text(raw.get("about"), f"{where} about"),
        levels=levels,
        principle_ids=principles,
        sign_texts=_aid(raw, "signs", where, SIGNS),
        step_texts=_aid(raw, "next_steps", where, (STEPS, STEPS)),
        question_texts=_aid(raw, "questions", where, QUESTIONS),
        audience=_audience(raw.get("audience"), where),
        consultant=_consultant(raw.get("consultant"), where),
    )


def _principles(raw: Any, model_id: str) -> tuple[Principle, ...]:
    principles = tuple(
        Principle(
            id=str(p.get("id") or ""),
            title=_text(p.get("title"), f"{model_id} principle title"),
            about=_text(p.get("about"), f"{model_id} principle about"),
        )
        for p in raw or []
    )
    ids = [p.id for p in principles]
    if not ids or "" in ids or len(set(ids)) != len(ids):
        raise CatalogError(f"{model_id}: principles need unique ids")
    return principles


def _glossary(raw: Any, model_id: str) -> tuple[GlossaryEntry, ...]:
    entries = tuple(
        GlossaryEntry(
            id=str(g.get("id") or ""),
            term=_text(g.get("term"), f"{model_id} glossary term"),
            meaning=_text(g.get("meaning"), f"{model_id} glossary meaning"),
        )
        for g in raw or []
    )
    ids = [g.id for g in entries]
    if not ids or "" in ids or len(set(ids)) != len(ids):
        raise CatalogError(f"{model_id}: the glossary needs entries with unique ids")
    return entries


def _scopes(raw: Any, model_id: str, elements: Mapping[str, Element]) -> dict[str, Scope]:
    scopes: dict[str, Scope] = {}
    for scope_id, raw_scope in dict(raw or {}).items():
        where = f"{model_id} scope {scope_id}"
        element_ids = tuple(str(e) for e in raw_scope.get("elements", []))
        unknown = [e for e in element_ids if e not in elements]
        if unknown or not element_ids or len(set(element_ids)) != len(element_ids):
            raise CatalogError(f"{where}: empty, duplicate or unknown elements {unknown}")
        minutes = raw_scope.get("minutes")
        if not isinstance(minutes, int) or minutes <= 0:
            raise CatalogError(f"{where}: minutes must be a positive whole number")
        title = _text(raw_scope.get("title"), where)
        retired = raw_scope.get("retired", False)
        if not isinstance(retired, bool):
            raise CatalogError(f"{where}: retired must be true or false")
        scopes[scope_id] = Scope(scope_id, title, minutes, element_ids, retired)
    for required in ("quick", "full"):
        if required not in scopes:
            raise CatalogError(f"{model_id}: missing the {required!r} scope")
    return scopes


def parse_model(raw: Mapping[str, Any]) -> AssessmentModel:
    """Build and validate a model from its decoded JSON form."""
    model_id = raw.get("id")
    if not isinstance(model_id, str) or not model_id:
        raise CatalogError("model: missing id")
    principles = _principles(raw.get("principles"), model_id)
    principle_ids = {p.id for p in principles}
    elements: dict[str, Element] = {}
    chapters: list[Chapter] = []
    for raw_chapter in raw.get("chapters", []):
        chapter_id = str(raw_chapter.get("id", ""))
        where = f"{model_id} chapter {chapter_id}"
        if not chapter_id or any(c.id == chapter_id for c in chapters):
            raise CatalogError(f"{where}: missing or duplicate chapter id")
        ids: list[str] = []
        for raw_element in raw_chapter.get("elements", []):
            element_id = str(raw_element.get("id", ""))
            here = f"{model_id} element {element_id}"
            if not element_id or element_id in elements:
                raise CatalogError(f"{here}: missing or duplicate element id")
            elements[element_id] = _element(
                raw_element, element_id, chapter_id, principle_ids, here
            )
            ids.append(element_id)
        if not ids:
            raise CatalogError(f"{where}: has no elements")
        chapters.append(Chapter(chapter_id, _text(raw_chapter.get("title"), where), tuple(ids)))
    if not chapters:
        raise CatalogError(f"{model_id}: has no chapters")
    for element in elements.values():
        assert element.consultant is not None  # the parser gave every element one
        related = element.consultant.related_ids
        unknown = [r for r in related if r not in elements or r == element.id]
        if unknown:
            raise CatalogError(f"{model_id} element {element.id}: unknown related {unknown}")
    return AssessmentModel(
        id=model_id,
        edition=str(raw.get("edition", "")),
        title=_text(raw.get("title"), f"{model_id} title"),
        level_names=_five(raw.get("level_names"), f"{model_id} level names"),
        chapters=tuple(chapters),
        elements=elements,
        scopes=_scopes(raw.get("scopes"), model_id, elements),
        principles=principles,
        glossary_entries=_glossary(raw.get("glossary"), model_id),
    )
