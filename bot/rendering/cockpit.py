"""The cockpit's data as JSON-ready dicts, from the very reports the chat sends.

Everything here reads a `ReportView` (with its history) or an `OrgReport`, already cut for its
reader by the report services: a hidden figure is None here too (JSON null), and the page draws it
as a gap with "fewer than k answers". Words come in the reader's language, so the page needs no
catalog. Downloads are named by path; the page fetches them with its signed header.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from babel.dates import format_date

from bot.rendering import presenting
from bot.rendering.texts import Texts
from bot.services.cockpit import ActionLine, Me, TeamHistory
from bot.services.org_reports import OrgReport
from bot.services.report_view import ReportView
from domain.catalog import load_model

API = "/app/api"


def _day(moment: datetime | None, language: str) -> str | None:
    return format_date(moment.date(), "d MMM y", locale=language) if moment else None


def me_json(found: Me) -> dict[str, Any]:
    return {"user_id": found.user_id, "language": found.language,
            "teams": [{"id": t.id, "name": t.name, "path": f"{API}/teams/{t.id}"}
                      for t in found.teams],
            "organisations": [{"id": o.id, "name": o.name,
                               "path": f"{API}/organisations/{o.id}"}
                              for o in found.organisations]}


def team_json(texts: Texts, language: str, team_id: int, name: str,
              found: TeamHistory | None) -> dict[str, Any]:
    """The team's history: its chapters over every closed cycle of the edition, each figure as
    that cycle's report shows it to this reader (None where it hid it)."""
    base = f"{API}/teams/{team_id}"
    if found is None:
        return {"team": {"id": team_id, "name": name}, "cycles": [], "chapters": []}
    past, model = found.history, load_model(found.model_id)
    words = texts.words(language, "report_words")
    return {
        "team": {"id": team_id, "name": found.name},
        "threshold": found.threshold,
        "hidden": str(words.hidden(found.threshold)),
        "cycles": [{"id": p.cycle_id, "opened": p.opened_at.isoformat(),
                    "label": format_date(p.opened_at.date(), "MMM y", locale=language),
                    "closed": _day(p.closed_at, language), "shown": p.shown}
                   for p in past.points],
        "chapters": [{
            "id": c, "title": model.chapter(c).title(language),
            "series": list(past.chapter_series(c)),
            "agreed": list(past.agreed_chapter(c, [e for e in past.element_ids
                                                   if model.elements[e].chapter_id == c])),
            "target": found.targets.get(c),
            "path": f"{base}/cycles/{found.cycle_id}/chapters/{c}"} for c in past.chapter_ids],
        "cycle": {"id": found.cycle_id},
        "downloads": {"pdf": f"{base}/report.pdf", "csv": f"{base}/export.csv",
                      "all_csv": f"{base}/all-cycles.csv"},
        "actions": f"{base}/actions",
    }


def chapter_json(texts: Texts, language: str, view: ReportView, chapter_id: str
                 ) -> dict[str, Any] | None:
    """One chapter's topics in one cycle: median, distribution and consensus where the rule
    allows, the agreed level and its reason, and each topic's medians over the cycles."""
    report = view.report
    if chapter_id not in {c.chapter_id for c in report.result.chapters}:
        return None
    words = texts.words(language, "report_words")
    found = view.history
    return {
        "chapter": {"id": chapter_id, "title": report.model.chapter(chapter_id).title(language)},
        "hidden": str(words.hidden(report.result.threshold)),
        "cycles": [format_date(p.opened_at.date(), "MMM y", locale=language)
                   for p in (found.points if found else ())],
        "topics": [{
            "id": e.id, "title": e.title, "mean": e.mean, "median": e.median,
            "distribution": list(e.distribution) if e.distribution else None,
            "consensus": str(words.consensus[e.consensus]) if e.consensus else None,
            "agreed": e.agreed, "reason": e.reason or None, "target": e.target,
            "medians": list(found.median_series(e.id)) if found else []}
            for e in presenting.element_rows(report, language, view.targets)
            if e.chapter_id == chapter_id],
    }


def actions_json(language: str, lines: tuple[ActionLine, ...]) -> dict[str, Any]:
    return {"actions": [{
        "id": a.id, "element_id": a.element_id, "what": a.what, "owner": a.owner,
        "mine": a.mine, "due": format_date(a.due_on, "d MMM y", locale=language)
        if a.due_on else None, "created": _day(a.created_at, language),
        "done": _day(a.done_at, language), "status": "done" if a.done_at else "open"}
        for a in lines]}


def organisation_json(texts: Texts, language: str, report: OrgReport) -> dict[str, Any]:
    """The heatmap teams × chapters under the organisation rule, with the total."""
    figures = report.figures
    chapters = [c.chapter_id for c in figures.total.chapters]
    words = texts.words(language, "org_report_words")
    return {
        "organisation": report.organisation, "as_admin": report.as_admin,
        "open": report.is_preview, "threshold": report.threshold,
        "hidden": str(words.hidden),
        "chapters": [{"id": c, "title": report.model.chapter(c).title(language)}
                     for c in chapters],
        "teams": [{"id": column.team_id, "name": report.team_name(column.team_id),
                   "respondents": column.respondents,
                   "levels": list(row)}
                  for column, row in zip(figures.teams, figures.chapter_grid(), strict=True)],
        "total": [figures.total.chapter(c).mean for c in chapters],
        "total_label": str(words.whole),
        "title": str(words.heat_title),
    }
