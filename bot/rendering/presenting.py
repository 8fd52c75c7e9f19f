"""A team report turned into rows and words a management team reads: for chat, charts and documents.

Everything here reads the already-anonymous `CycleReport` (a None figure is hidden, and is shown as
"fewer than k answers" wherever it would have stood); translation happens here, so the domain and
the chart code stay language-free. The files themselves (HTML, PDF, CSV) are
`bot.rendering.documents`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.rendering import history_presenting
from bot.rendering.charts import ChartData, Picture, Words, encode, render
from bot.rendering.texts import Texts
from bot.rendering.trend import trend_figure
from bot.services.report_view import ReportView
from bot.services.reports import CycleReport
from domain.aggregation import TeamResult

AGENDA_LENGTH = 3
BLOCKS = "▁▂▃▄▅▆▇█"
CHAT_AGREED = 10  # agreed topics listed in the chat summary; the PDF has them all
CHAT_REASON = 80  # characters of a reason in the chat; the PDF has it whole


@dataclass(frozen=True, slots=True)
class ChapterRow:
    id: str
    title: str
    level: float | None
    before: float | None
    delta: float | None
    target: int | None = None
    agreed: float | None = None
    """The mean of the levels agreed for this chapter's elements, where any were agreed."""
    agreed_count: int = 0
    elements: int = 0


@dataclass(frozen=True, slots=True)
class ElementRow:
    id: str
    title: str
    chapter_id: str
    chapter_title: str
    mean: float | None
    median: float | None
    spread: float | None
    distribution: tuple[int, ...] | None
    consensus: str | None
    agreement: float | None
    answered: int | None
    target: int | None
    before: float | None
    agreed: int | None = None
    reason: str = ""
    last_agreed: int | None = None
    since: str | None = None
    """"above", "same" or "below": the median against `last_agreed`, None where it is hidden."""
    dont_know: int | None = None
    """How many did not know, where the disclosure rule shows it (None: hidden)."""
    information_gap: bool = False
    questions: tuple[str, ...] = ()
    """The topic's discussion questions, for the agenda."""
    managers_mean: float | None = None
    """For a topic mainly for managers: the managers' level beside everyone's, where shown."""

    @property
    def bars(self) -> str:
        """The distribution as five small bars, one block character per level (▁ … █).

        Characters rather than drawn boxes: they print, copy and scale like text, and cost the
        PDF a single line of layout instead of a box per level.
        """
        if not self.distribution or not max(self.distribution):
            return ""
        peak = max(self.distribution)
        return "".join(" " if n == 0 else BLOCKS[min(7, (7 * n) // peak)]
                       for n in self.distribution)


def _previous(report: CycleReport) -> TeamResult | None:
    """The previous cycle's figures, if there is one whose figures could be shown at all."""
    return report.previous if report.previous is not None and report.previous.shown else None


def chapter_rows(
    report: CycleReport, language: str, targets: Mapping[str, int] | None = None
) -> list[ChapterRow]:
    previous = _previous(report)
    agreed = {a.element_id: a.level for a in report.agreed}
    rows = []
    for chapter in report.result.chapters:
        before = previous.chapter(chapter.chapter_id).mean if previous else None
        delta = (chapter.mean - before
                 if chapter.mean is not None and before is not None else None)
        levels = [agreed[e] for e in chapter.element_ids if e in agreed]
        rows.append(ChapterRow(
            chapter.chapter_id, report.model.chapter(chapter.chapter_id).title(language),
            chapter.mean, before, delta, (targets or {}).get(chapter.chapter_id),
            sum(levels) / len(levels) if levels else None, len(levels),
            len(chapter.element_ids)))
    return rows


def element_rows(
    report: CycleReport, language: str, targets: Mapping[str, int] | None = None
) -> list[ElementRow]:
    previous = _previous(report)
    agreed = {a.element_id: a for a in report.agreed}
    last = {a.element_id: a.level for a in report.last_agreed}
    rows = []
    for e in report.result.elements.values():
        before = previous.elements.get(e.element_id) if previous else None
        now = agreed.get(e.element_id)
        since = report.movement.of(e.element_id)  # None wherever the median is hidden
        rows.append(ElementRow(
            e.element_id, report.model.elements[e.element_id].title(language), e.chapter_id,
            report.model.chapter(e.chapter_id).title(language), e.mean, e.median, e.spread,
            e.distribution, e.consensus.value if e.consensus else None, e.agreement, e.answered,
            (targets or {}).get(e.chapter_id), before.mean if before else None,
            now.level if now else None, now.reason if now else "", last.get(e.element_id),
            since.direction.value if since else None, e.dont_know, e.information_gap,
            report.model.elements[e.element_id].questions(language),
            _managers_mean(report, e.element_id)))
    return rows


def _managers_mean(report: CycleReport, element_id: str) -> float | None:
    """The managers' figure of a management topic, if `domain.disclosure` let the managers be
    shown beside the team at all (`report.managers`) and for this topic."""
    if report.managers is None or not report.model.elements[element_id].for_management:
        return None
    figures = report.managers.elements.get(element_id)
    return figures.mean if figures is not None else None


def short(text: str, length: int = CHAT_REASON) -> str:
    """A reason cut at a word for the chat, with an ellipsis; the documents carry it whole."""
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


def _agreed(elements: list[ElementRow]) -> dict[str, Any]:
    """The agreed profile and the movement since the last agreement, for the templates."""
    agreed = [e for e in elements if e.agreed is not None]
    moved = {d: [e for e in elements if e.since == d] for d in ("above", "same", "below")}
    return {"has_agreed": bool(agreed), "agreed": agreed, "agreed_in_chat": agreed[:CHAT_AGREED],
            "has_last_agreed": any(e.last_agreed is not None for e in elements),
            "moved": moved, "has_moved": any(moved.values()), "short": short}


def _agenda(elements: list[ElementRow]) -> dict[str, list[ElementRow]]:
    """What the meeting talks about first: least agreement, and the largest gap to the target."""
    divided = sorted((e for e in elements if e.agreement is not None and e.consensus != "strong"),
                     key=lambda e: e.agreement or 0.0)
    gaps = sorted((e for e in elements if e.mean is not None and e.target is not None
                   and e.target > e.mean), key=lambda e: (e.mean or 0.0) - (e.target or 0))
    return {"least_agreed": divided[:AGENDA_LENGTH], "furthest": gaps[:AGENDA_LENGTH],
            "information_gap": [e for e in elements if e.information_gap]}


def _consultant(report: CycleReport, language: str) -> dict[str, dict[str, Any]]:
    """Per element of the scope, the consultant layer for the chapter pages."""
    layers: dict[str, dict[str, Any]] = {}
    for element in report.model.scope_elements(report.cycle.scope_id):
        layer = element.consultant
        if layer is None:
            continue
        layers[element.id] = {
            "evidence": [t(language) for t in layer.evidence],
            "pitfalls": [t(language) for t in layer.pitfalls],
            "kpis": [t(language) for t in layer.kpis],
            "iso9001": layer.iso9001,
            "related": [f"{r} {report.model.elements[r].title(language)}"
                        for r in layer.related_ids],
            "official": element.official_title(language) if element.official_title else None,
            "for_management": element.for_management,
        }
    return layers


def _group_columns(
    report: CycleReport, texts: Texts, language: str
) -> list[tuple[str, TeamResult]]:
    group_label = texts.buttons(language).group
    return [(str(group_label(g.group)), g.result) for g in report.groups]


def _columns(report: CycleReport, texts: Texts, language: str) -> list[tuple[str, TeamResult]]:
    """The columns of "who sees it how": each shown group, the managers, and the whole team."""
    if not report.groups and report.managers is None:
        return []
    words = texts.words(language, "report_words")
    columns = _group_columns(report, texts, language)
    if report.managers is not None:
        columns.append((str(words.managers), report.managers))
    return [*columns, (str(words.whole_team), report.result)]


def _examples(report: CycleReport, language: str) -> dict[str, list[tuple[str, str]]]:
    """Examples ("what makes you say so?") per chapter, if the report carries them.

    They come as (element id, text) pairs with the survey's examples work; until a report has an
    `examples` attribute this is empty. An element whose level is hidden shows none of its
    examples either: they would say what the few who answered it think.
    """
    by_chapter: dict[str, list[tuple[str, str]]] = {}
    for key, text in getattr(report, "examples", ()):
        element = report.model.elements.get(key)
        figures = report.result.elements.get(key)
        if element is None or figures is None or figures.mean is None:
            continue
        by_chapter.setdefault(element.chapter_id, []).append(
            (f"{key} {element.title(language)}", text))
    return by_chapter


def context(texts: Texts, language: str, view: ReportView) -> dict[str, Any]:
    """What every report template gets."""
    report, model = view.report, view.report.model
    elements = element_rows(report, language, view.targets)
    titles = {e.id: e for e in elements}
    cycle = report.cycle
    return {
        "report": report, "team": report.team.name, "timezone": report.team.timezone,
        "w": texts.words(language, "report_words"),
        "ww": texts.words(language, "withheld_words"),
        "model_title": model.title(language),
        "scope_title": model.scope(cycle.scope_id).title(language),
        "period_start": cycle.opened_at, "period_end": cycle.closed_at or cycle.deadline,
        "previous_cycle": view.previous_cycle,
        "has_previous": _previous(report) is not None,
        "has_targets": bool(view.targets),
        "chapters": chapter_rows(report, language, view.targets), "elements": elements,
        "priorities": [(p, titles[p.element_id]) for p in report.priorities],
        "actions": [(a, titles.get(a.element_id)) for a in report.actions],
        "divided": [row for row in elements if row.consensus == "weak"],
        "remarks": [(model.chapter(c).title(language), text) for c, text in report.remarks],
        "remarks_by_chapter": report.remarks,
        "examples_by_chapter": _examples(report, language),
        "groups": report.groups, "group_columns": _group_columns(report, texts, language),
        "columns": _columns(report, texts, language),
        **_agenda(elements), **_agreed(elements),
        "consultant": _consultant(report, language),
        **history_presenting.context(texts, language, view),
    }


def summary(texts: Texts, language: str, view: ReportView) -> str:
    return texts.render(language, "report_summary", **context(texts, language, view))


def chart_data(texts: Texts, language: str, view: ReportView) -> ChartData:
    report = view.report
    words = texts.words(language, "report_words")
    chapters = chapter_rows(report, language, view.targets)
    elements = element_rows(report, language, view.targets)
    previous = _previous(report) is not None
    columns = _columns(report, texts, language)
    return ChartData(
        words=Words(now=str(words.now), previous=str(words.previous), target=str(words.target),
                    hidden=str(words.hidden(report.result.threshold)), level=str(words.level),
                    chapters_title=str(words.chapters_title),
                    elements_title=str(words.elements_title),
                    groups_title=str(words.groups_title), decimal_comma=language == "nl",
                    agreed=str(words.agreed if report.agreed else words.last_agreed)),
        chapter_labels=tuple(f"{c.id} {c.title}" for c in chapters),
        chapter_levels=tuple(c.level for c in chapters),
        chapter_previous=tuple(c.before for c in chapters) if previous else None,
        chapter_targets=tuple(c.target for c in chapters) if view.targets else None,
        element_labels=tuple(f"{e.id} {e.title}" for e in elements),
        element_means=tuple(e.mean for e in elements),
        element_spreads=tuple(e.spread for e in elements),
        element_previous=tuple(e.before for e in elements) if previous else None,
        element_targets=tuple(e.target for e in elements) if view.targets else None,
        heat_columns=tuple(label for label, _ in columns),
        heat_values=tuple(
            tuple(result.elements[e.id].mean for _, result in columns) for e in elements)
        if columns else (),
        element_agreed=_agreed_marks(report, elements),
    )


def _agreed_marks(report: CycleReport, elements: list[ElementRow]) -> tuple[int | None, ...] | None:
    """This cycle's agreed levels on the bars; before its meeting, what was agreed last time."""
    if report.agreed:
        return tuple(e.agreed for e in elements)
    if report.last_agreed:
        return tuple(e.last_agreed for e in elements)
    return None


async def charts(texts: Texts, language: str, view: ReportView) -> list[Picture]:
    """The report's pictures, or none when the team's figures cannot be shown."""
    if not view.report.result.shown:
        return []
    pictures = await render(chart_data(texts, language, view))
    if (trend := history_presenting.trend_data(texts, language, view)) is not None:
        pictures.append(await asyncio.to_thread(lambda: encode(trend_figure(trend))))
    return pictures
