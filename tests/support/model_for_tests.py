"""A small assessment model for domain tests, independent of the shipped catalogs' wording."""

from __future__ import annotations

from typing import Any

from domain.catalog import AssessmentModel, parse_model


def _text(words: str) -> dict[str, str]:
    return {"nl": words, "en": words}


def small_model(chapters: dict[str, int] | None = None) -> AssessmentModel:
    """Chapters "A" (3 elements) and "B" (1 element) unless told otherwise; scope "full" has all."""
    layout = chapters or {"A": 3, "B": 1}
    raw_chapters: list[dict[str, Any]] = []
    all_ids: list[str] = []
    for chapter_id, size in layout.items():
        ids = [f"{chapter_id}{n}" for n in range(1, size + 1)]
        all_ids += ids
        title = _text(f"Chapter {chapter_id}")
        raw_chapters.append({"id": chapter_id, "title": title, "elements": [
            {"id": e, "title": _text(e), "about": _text(f"about {e}"),
             "levels": {"nl": [f"{e} level {n}" for n in range(1, 6)],
                        "en": [f"{e} level {n}" for n in range(1, 6)]},
             "principles": ["focus"],
             "signs": {"nl": [f"{e} sign 1", f"{e} sign 2"], "en": [f"{e} sign 1", f"{e} sign 2"]},
             "next_steps": {"nl": [f"{e} step {n}" for n in range(1, 5)],
                            "en": [f"{e} step {n}" for n in range(1, 5)]},
             "questions": {"nl": [f"{e} question"], "en": [f"{e} question"]},
             "audience": "everyone",
             "consultant": {
                 "evidence": {"nl": [f"{e} record", f"{e} talk"],
                              "en": [f"{e} record", f"{e} talk"]},
                 "pitfalls": {"nl": [f"{e} pitfall"], "en": [f"{e} pitfall"]},
                 "related": [],
                 "kpis": {"nl": [f"{e} kpi 1", f"{e} kpi 2"], "en": [f"{e} kpi 1", f"{e} kpi 2"]},
                 "iso9001": ["9.1"]}}
            for e in ids]})
    return parse_model({
        "id": "test-model", "edition": "test", "title": _text("Test"),
        "level_names": {"nl": list("12345"), "en": list("12345")},
        "chapters": raw_chapters,
        "scopes": {"quick": {"title": _text("q"), "minutes": 1, "elements": all_ids[:1]},
                   "full": {"title": _text("f"), "minutes": 2, "elements": all_ids}},
        "principles": [{"id": "focus", "title": _text("Focus"), "about": _text("about focus")}],
        "glossary": [{"id": "term", "term": _text("Term"), "meaning": _text("meaning")}],
    })
