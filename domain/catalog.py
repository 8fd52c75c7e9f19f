"""The ISO 9004 assessment models, as immutable data validated once on load.

The models ship as JSON files next to this module. Clause numbers and titles are facts; every
explanation and level description is our own wording (ISO's text is copyrighted). Validation is
strict because a broken catalog would silently corrupt every score built on it (the rules are in
`domain.catalog_parse`).

Besides its five cumulative levels, every element carries the aids for the management team's
discussion, always in both languages: `Element.signs` (what you can observe, for a participant's
"what makes you say so?" example), `Element.next_step` (what moves a team up one level, for
priorities and improvement actions), `Element.questions` (to open the meeting) and
`Element.principle_ids` (for a principles view of a report). `AssessmentModel.glossary` explains
the terms a participant may not know.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Literal, get_args

LANGUAGES: tuple[str, ...] = ("nl", "en")
LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)
LEVEL_TEXT_MAX = 160  # a level must fit on a phone screen next to four others
MODEL_IDS: tuple[str, ...] = ("iso9004-2018", "iso9004-2009")
DEFAULT_MODEL_ID = "iso9004-2018"

Audience = Literal["everyone", "management"]
"""Who can judge an element from their own work: everyone, or mainly the management team."""
AUDIENCES: tuple[Audience, ...] = get_args(Audience)


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
class Consultant:
    """What a consultant brings to the discussion of one element, in both languages.

    It lives beside the levels because a management team deciding on a level needs to know what
    to look at (evidence), what usually goes wrong (pitfalls), which neighbours move with it
    (related element ids), how progress could be counted (KPIs) and which ISO 9001 clauses it
    builds on (numbers only: they are facts, the standard's text is not ours to copy).
    """

    evidence: tuple[Text, ...]
    pitfalls: tuple[Text, ...]
    related_ids: tuple[str, ...]
    kpis: tuple[Text, ...]
    iso9001: tuple[str, ...]


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
    principle_ids: tuple[str, ...] = ()
    """Ids of the `AssessmentModel.principles` this element rests on."""
    sign_texts: tuple[Text, ...] = ()
    step_texts: tuple[Text, ...] = ()
    question_texts: tuple[Text, ...] = ()
    audience: Audience = "everyone"
    consultant: Consultant | None = None
    """The consultant layer; every shipped element has one (the parser insists)."""

    @property
    def for_management(self) -> bool:
        """Mainly for managers: most people cannot judge it from their own work."""
        return self.audience == "management"

    def level(self, level: int) -> Text:
        return self.levels[level - 1]

    def signs(self, language: str) -> tuple[str, ...]:
        """Two or three things you can observe at work ("waar zie je het aan?")."""
        return tuple(sign(language) for sign in self.sign_texts)

    def next_step(self, level: int, language: str) -> str | None:
        """What would move a team from `level` to the level above; None at the top level."""
        if level not in LEVELS:
            raise CatalogError(f"{self.id} has no level {level!r}")
        if level == LEVELS[-1] or level > len(self.step_texts):
            return None
        return self.step_texts[level - 1](language)

    def questions(self, language: str) -> tuple[str, ...]:
        """One or two questions to open the management team's discussion of this element."""
        return tuple(question(language) for question in self.question_texts)


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
    retired: bool = False
    """Kept so that old cycles still show their questions, but no longer offered for new ones."""


@dataclass(frozen=True, slots=True)
class Principle:
    id: str
    title: Text
    about: Text


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """A term a participant may not know, explained in plain words."""

    id: str
    term: Text
    meaning: Text


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
    glossary_entries: tuple[GlossaryEntry, ...] = ()

    def glossary(self, language: str) -> tuple[tuple[str, str], ...]:
        """(term, meaning) pairs in `language`, alphabetical by term."""
        pairs = ((entry.term(language), entry.meaning(language)) for entry in self.glossary_entries)
        return tuple(sorted(pairs, key=lambda pair: pair[0].casefold()))

    def principle(self, principle_id: str) -> Principle:
        for principle in self.principles:
            if principle.id == principle_id:
                return principle
        raise CatalogError(f"{self.id} has no principle {principle_id!r}")

    def principle_elements(self, principle_id: str, scope_id: str) -> tuple[Element, ...]:
        """The elements of a scope that rest on one principle, in the scope's order."""
        self.principle(principle_id)
        return tuple(e for e in self.scope_elements(scope_id) if principle_id in e.principle_ids)

    def scope(self, scope_id: str) -> Scope:
        try:
            return self.scopes[scope_id]
        except KeyError:
            raise CatalogError(f"{self.id} has no scope {scope_id!r}") from None

    def offered_scopes(self) -> tuple[Scope, ...]:
        """The scopes a manager may choose for a new survey: every scope but the retired ones."""
        return tuple(scope for scope in self.scopes.values() if not scope.retired)

    def offers(self, scope_id: str) -> bool:
        """Whether a new survey may use this scope (it exists and is not retired)."""
        scope = self.scopes.get(scope_id)
        return scope is not None and not scope.retired

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


@cache
def load_model(model_id: str) -> AssessmentModel:
    """The shipped model with this id; data files are read once per process."""
    if model_id not in MODEL_IDS:
        raise CatalogError(f"unknown model {model_id!r}")
    source = resources.files("domain.catalogs").joinpath(f"{model_id}.json")
    return parse_model(json.loads(source.read_text(encoding="utf-8")))


def shared_level_texts(one: AssessmentModel, other: AssessmentModel, scope_id: str) -> set[str]:
    """Level texts that elements of `one`'s scope share with any element of `other`.

    Each edition's clause must be described for what that edition says; a text found in both
    editions is a sign that one was copied from the other.
    """
    mine = {
        level(language)
        for element in one.scope_elements(scope_id)
        for level in element.levels
        for language in LANGUAGES
    }
    theirs = {
        level(language)
        for element in other.elements.values()
        for level in element.levels
        for language in LANGUAGES
    }
    return mine & theirs


from domain.catalog_parse import parse_model  # noqa: E402  (the parser builds the types above)

__all__ = [
    "AUDIENCES",
    "DEFAULT_MODEL_ID",
    "LANGUAGES",
    "LEVELS",
    "LEVEL_TEXT_MAX",
    "MODEL_IDS",
    "AssessmentModel",
    "Audience",
    "CatalogError",
    "Chapter",
    "Consultant",
    "Element",
    "GlossaryEntry",
    "Principle",
    "Scope",
    "Text",
    "load_model",
    "parse_model",
    "shared_level_texts",
]
