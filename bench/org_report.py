"""Organisation report cost: 50 teams × 20 people × 31 elements, the aggregation under the
disclosure rule (`domain.organisation`) and the heatmap of teams × chapters, for an admin.

Every sixth person also counts in the next team (overlaps of three), and the last team has two
people, so the greedy choice of shown teams has work to do. Each figure is the best of a few runs
of CPU time (wall clock in brackets), as in `bench.report`; the issue's bound is 1 s for both.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from bench._common import best_ms, best_of
from bot.rendering import org_presenting
from bot.rendering.texts import Texts
from bot.services.org_reports import OrgReport, TeamLine
from domain.catalog import load_model
from domain.organisation import Member, organisation_figures

MODEL = "iso9004-2018"
BOUND = 1.0


def example_members(teams: int, people: int, seed: int = 9004) -> list[Member]:
    """`teams` teams of `people` (the last one of two), every sixth person also in the next team;
    each team has its own leaning, so the spread between departments shows."""
    chooser = random.Random(seed)
    ids = load_model(MODEL).scope("full").element_ids
    members = []
    for team in range(1, teams + 1):
        leaning = chooser.choice((-1, 0, 0, 1))
        for person in range(2 if team == teams and teams > 1 else people):
            counts_in = {team} | ({team % teams + 1} if person % 6 == 5 else set())
            members.append(Member(
                {e: chooser.choice((None, *(max(1, min(5, level + leaning))
                                            for level in (2, 3, 3, 4, 4, 5)))) for e in ids},
                frozenset(counts_in), finished=chooser.random() > 0.1))
    return members


def example_report(teams: int = 50, people: int = 20, *, names: tuple[str, ...] = (),
                   members: list[Member] | None = None) -> OrgReport:
    """An organisation report as an admin receives it, built straight from the domain."""
    model = load_model(MODEL)
    members = members if members is not None else example_members(teams, people)
    team_ids = list(range(1, teams + 1))
    figures = organisation_figures(model, "full", members, team_ids, 3, closed=True)
    opened = datetime(2026, 10, 5, 8, tzinfo=UTC)
    labels = names or tuple(f"Department {n}" for n in team_ids)
    return OrgReport(
        organisation="Bench & Co", cycle_id=1, model=model, scope_id="full", opened_at=opened,
        deadline=opened + timedelta(days=14), closed_at=opened + timedelta(days=14),
        timezone="Europe/Amsterdam", threshold=3, as_admin=True,
        teams=tuple(TeamLine(t, labels[t - 1], people, c.respondents)
                    for t, c in zip(team_ids, figures.teams, strict=True)),
        figures=figures)


async def run() -> None:
    model = load_model(MODEL)
    texts = Texts()
    members = example_members(50, 20)
    team_ids = list(range(1, 51))
    report = example_report(members=members)
    org_presenting.draw(texts, "nl", report)  # the first drawing loads the fonts
    aggregation = best_of(lambda: organisation_figures(model, "full", members, team_ids, 3,
                                                     closed=True))
    heatmap = best_of(lambda: org_presenting.draw(texts, "nl", report))
    total = aggregation[0] + heatmap[0]
    print(f"\n5. Organisation report: 50 teams × 20 people × "
          f"{len(model.scope('full').element_ids)} elements ({len(members)} respondents, "
          f"{len(report.figures.shown_teams)} teams shown)")
    print(f"   CPU ms (wall ms): aggregation {best_ms(aggregation)} · heatmap {best_ms(heatmap)}; "
          f"together {total * 1000:.0f} ms CPU (bound < {BOUND:.0f} s: "
          f"{'met' if total < BOUND else 'NOT met'})")
