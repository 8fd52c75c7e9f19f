"""The ISO 9004 assessment models, as immutable data validated once on load.

The models ship as JSON files next to this module. Clause numbers and titles are facts; every
explanation and level description is our own wording (ISO's text is copyrighted). Validation is
strict because a broken catalog would silently corrupt every score built on it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES: tuple[str, ...] = ("nl", "en")
LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)
LEVEL_TEXT_MAX = 160  # a level must fit on a phone screen next to four others
MODEL_IDS: tuple[str, ...] = ("iso9004-2018", "iso9004-2009")
DEFAULT_MODEL_ID = "iso9004-2018"


class CatalogError(ValueError):
    """A catalog file breaks one of the rules the rest of the product relies on."""


@dataclass(frozen=True, slots=True)
class Text:
    """One piece of text in every supported language."""

    nl: str
    en: str

    def __call__(self, language: str) -> str:
        return self.en if language == "en" else self.nl


@dataclass(frozen=True, slots=True)
class Element:
    """One row of the self-assessment: a (sub)clause, or a key element of a quick scan."""

    id: str
    chapter_id: str
    title: Text
    about: Text
    levels: tuple[Text, Text, Text, Text, Text]
    official_title: Text | None = None
    """The edition's own title, only where our display title differs from it (2009 4.1)."""

    def level(self, level: int) -> Text:
        return self.levels[level - 1]


@dataclass(frozen=True, slots=True)
class Chapter:
    id: str
    title: Text
    element_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Scope:
    """Which elements one survey asks, in the order it asks them."""

    id: str
    title: Text
    minutes: int
    element_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Principle:
    id: str
    title: Text
    about: Text


@dataclass(frozen=True, slots=True)
class AssessmentModel:
    id: str
    edition: str
    title: Text
    level_names: tuple[Text, Text, Text, Text, Text]
    chapters: tuple[Chapter, ...]
    elements: Mapping[str, Element] = field(repr=False)
    scopes: Mapping[str, Scope] = field(repr=False)
    principles: tuple[Principle, ...] = ()

    def scope(self, scope_id: str) -> Scope:
        try:
            return self.scopes[scope_id]
        except KeyError:
            raise CatalogError(f"{self.id} has no scope {scope_id!r}") from None

    def chapter(self, chapter_id: str) -> Chapter:
        for chapter in self.chapters:
            if chapter.id == chapter_id:
                return chapter
        raise CatalogError(f"{self.id} has no chapter {chapter_id!r}")

    def scope_elements(self, scope_id: str) -> tuple[Element, ...]:
        return tuple(self.elements[element_id] for element_id in self.scope(scope_id).element_ids)

    def scope_chapters(self, scope_id: str) -> tuple[Chapter, ...]:
        """The chapters a scope touches, in model order."""
        wanted = {self.elements[e].chapter_id for e in self.scope(scope_id).element_ids}
        return tuple(chapter for chapter in self.chapters if chapter.id in wanted)


def _text(raw: Any, where: str) -> Text:
    if not isinstance(raw, Mapping):
        raise CatalogError(f"{where}: expected an object with 'nl' and 'en'")
    for language in LANGUAGES:
        value = raw.get(language)
        if not isinstance(value, str) or not value.strip():
            raise CatalogError(f"{where}: missing {language!r} text")
    return Text(nl=raw["nl"].strip(), en=raw["en"].strip())


def _five(raw: Any, where: str) -> tuple[Text, Text, Text, Text, Text]:
    if not isinstance(raw, Mapping):
        raise CatalogError(f"{where}: expected levels per language")
    per_language: dict[str, Sequence[str]] = {}
    for language in LANGUAGES:
        values = raw.get(language)
        if not isinstance(values, list) or len(values) != len(LEVELS):
            raise CatalogError(f"{where}: {language!r} needs exactly five levels")
        if any(not isinstance(v, str) or not v.strip() for v in values):
            raise CatalogError(f"{where}: {language!r} has an empty level")
        per_language[language] = values
    texts = tuple(
        Text(nl=per_language["nl"][i].strip(), en=per_language["en"][i].strip()) for i in range(5)
    )
    return texts  # type: ignore[return-value]


def parse_model(raw: Mapping[str, Any]) -> AssessmentModel:
    """Build and validate a model from its decoded JSON form."""
    model_id = raw.get("id")
    if not isinstance(model_id, str) or not model_id:
        raise CatalogError("model: missing id")
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
            elements[element_id] = Element(
                id=element_id,
                chapter_id=chapter_id,
                title=_text(raw_element.get("title"), f"{here} title"),
                official_title=(
                    _text(raw_element["official_title"], f"{here} official title")
                    if "official_title" in raw_element
                    else None
                ),
                about=_text(raw_element.get("about"), f"{here} about"),
                levels=_five(raw_element.get("levels"), f"{here} levels"),
            )
            ids.append(element_id)
        if not ids:
            raise CatalogError(f"{where}: has no elements")
        chapters.append(Chapter(chapter_id, _text(raw_chapter.get("title"), where), tuple(ids)))
    if not chapters:
        raise CatalogError(f"{model_id}: has no chapters")

    scopes: dict[str, Scope] = {}
    for scope_id, raw_scope in dict(raw.get("scopes", {})).items():
        where = f"{model_id} scope {scope_id}"
        element_ids = tuple(str(e) for e in raw_scope.get("elements", []))
        unknown = [e for e in element_ids if e not in elements]
        if unknown or not element_ids or len(set(element_ids)) != len(element_ids):
            raise CatalogError(f"{where}: empty, duplicate or unknown elements {unknown}")
        minutes = raw_scope.get("minutes")
        if not isinstance(minutes, int) or minutes <= 0:
            raise CatalogError(f"{where}: minutes must be a positive whole number")
        title = _text(raw_scope.get("title"), where)
        scopes[scope_id] = Scope(scope_id, title, minutes, element_ids)
    for required in ("quick", "full"):
        if required not in scopes:
            raise CatalogError(f"{model_id}: missing the {required!r} scope")

    principles = tuple(
        Principle(
            id=str(p.get("id")),
            title=_text(p.get("title"), f"{model_id} principle title"),
            about=_text(p.get("about"), f"{model_id} principle about"),
        )
        for p in raw.get("principles", [])
    )
    return AssessmentModel(
        id=model_id,
        edition=str(raw.get("edition", "")),
        title=_text(raw.get("title"), f"{model_id} title"),
        level_names=_five(raw.get("level_names"), f"{model_id} level names"),
        chapters=tuple(chapters),
        elements=elements,
        scopes=scopes,
        principles=principles,
    )


@cache
def load_model(model_id: str) -> AssessmentModel:
    """The shipped model with this id; data files are read once per process."""
    if model_id not in MODEL_IDS:
        raise CatalogError(f"unknown model {model_id!r}")
    source = resources.files("domain.catalogs").joinpath(f"{model_id}.json")
    return parse_model(json.loads(source.read_text(encoding="utf-8")))
