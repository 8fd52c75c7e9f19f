"""A team with two closed cycles, targets, groups and one thin chapter, in a real database.

The report example in `docs/` and the report benchmark are built from this through the bot's own
services (`report_view.build`), so they show exactly what a manager would receive.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from bot.db.engine import create_engine, create_sessionmaker
from bot.db.migrate import upgrade
from bot.db.models import Answer, Cycle, Example, Remark, Response
from bot.db.repositories import Repository
from bot.services import agreements, cycles, improvement, report_view, teams
from bot.services.report_view import ReportView
from domain.catalog import load_model

MODEL = "iso9004-2018"
THIN_CHAPTER = "9"  # most people answer "not applicable" here, so it stays under the threshold
GROUPS = ("staff", "customers")
TARGETS = {"5": 4, "7": 4, "8": 3, "10": 4}
ACTIONS = {
    "en": {"10.5": "Plan the internal audits for the whole year", "8.4": "One checklist per shift"},
    "nl": {"10.5": "Interne audits voor het hele jaar plannen", "8.4": "Eén checklist per dienst"},
}
EXAMPLES = {
    "en": {"7.3": "Our yearly goals were only shown once, at the kick-off",
           "10.5": "The last internal audit was two years ago"},
    "nl": {"7.3": "De jaardoelen zijn één keer getoond, bij de aftrap",
           "10.5": "De laatste interne audit was twee jaar geleden"},
}
AGREED_BEFORE = {"5.2": 2, "6.2": 3, "7.3": 3, "8.2": 3, "8.4": 2, "9.1": 2, "10.5": 4}
"""What the management team agreed after the earlier cycle (9.1 lies in the thin chapter)."""
AGREED_NOW = {"7.3": 3, "8.2": 2, "8.4": 3, "9.1": 2}
"""The latest meeting, on the topics where the team agreed least (and the thin one)."""
REASONS = {
    "en": {"5.2": "We list our interested parties, but only review the list once a year",
           "6.2": "The values are on the wall; whether we live by them differs per team",
           "7.3": "Goals exist but most of us never see them after the kick-off",
           "8.2": "The floor and the office describe the same process differently",
           "8.4": "Checklists are used on the day shift only",
           "9.1": "Too few of us see the budgets to judge more than the basics",
           "10.5": "Audits are planned, and their findings come back in the team meeting"},
    "nl": {"5.2": "We kennen onze belanghebbenden, maar kijken de lijst maar eens per jaar na",
           "6.2": "De waarden hangen aan de muur; of we ernaar leven verschilt per team",
           "7.3": "Er zijn doelen, maar de meesten zien ze na de aftrap niet meer",
           "8.2": "De werkvloer en kantoor beschrijven hetzelfde proces verschillend",
           "8.4": "Alleen de dagdienst werkt met de checklists",
           "9.1": "Te weinig van ons zien de budgetten om meer dan de basis te beoordelen",
           "10.5": "Audits staan gepland en de bevindingen komen terug in het teamoverleg"},
}
REMARKS = {
    "en": {"7": "Goals are clear, but we rarely hear how we are doing against them.",
           "8": "Handovers between planning and the floor still go by word of mouth."},
    "nl": {"7": "De doelen zijn helder, maar we horen zelden hoe we ervoor staan.",
           "8": "Overdrachten tussen planning en de werkvloer gaan nog mondeling."},
}


UNKNOWN_ELEMENT = "10.5"
"""Internal audits: half the staff answer "don't know", an information gap for the agenda."""


def _level(
    chooser: random.Random, element_id: str, number: int, lift: float, manager: bool
) -> int | None:
    if element_id.split(".")[0] == THIN_CHAPTER and number >= 2:
        return None
    base = 2.2 + (sum(map(ord, element_id)) % 7) / 4 + lift + (0.6 if manager else 0.0)
    if element_id in ("7.3", "8.2"):  # two elements people see very differently
        return chooser.choice((1, 1, 2, 4, 5, 5))
    return max(1, min(5, round(chooser.gauss(base, 0.8))))


async def _cycle(
    repo: Repository, team_id: int, manager: int, opened: datetime, respondents: int,
    lift: float, language: str, seed: int,
) -> Cycle:
    chooser = random.Random(seed)
    cycle = await cycles.open_cycle(repo, team_id, "full", opened + timedelta(days=14), manager,
                                    opened, plan=cycles.plan_nothing)
    element_ids = load_model(MODEL).scope("full").element_ids
    answers, remarks, examples = [], [], []
    for number in range(respondents):
        is_manager = number < 4
        response = Response(
            cycle_id=cycle.id, membership_id=None, is_manager=is_manager,
            stakeholder_group=None if is_manager else GROUPS[number % 2],
            started_at=opened, completed_at=opened + timedelta(days=3))
        repo.session.add(response)
        await repo.session.flush()
        for e in element_ids:
            level = _level(chooser, e, number, lift, is_manager)  # drawn either way: same seed
            unknown = e == UNKNOWN_ELEMENT and not is_manager and number % 2 == 0
            answers.append({"response_id": response.id, "element_id": e, "answered_at": opened,
                            "level": None if unknown else level, "dont_know": unknown})
        if number < len(EXAMPLES[language]):
            element, text = list(EXAMPLES[language].items())[number]
            examples.append({"response_id": response.id, "element_id": element, "text": text,
                             "written_at": opened})
        if number < len(REMARKS[language]):
            chapter, text = list(REMARKS[language].items())[number]
            remarks.append({"response_id": response.id, "chapter_id": chapter, "text": text,
                            "written_at": opened})
    await repo.session.execute(insert(Answer), answers)
    if remarks:
        await repo.session.execute(insert(Remark), remarks)
    if examples:
        await repo.session.execute(insert(Example), examples)
    await cycles.close_cycle(repo, cycle.id, opened + timedelta(days=14))
    return cycle


async def _agree(
    repo: Repository, manager: int, cycle_id: int, levels: dict[str, int], language: str,
    at: datetime,
) -> None:
    """The management team's meeting on a closed cycle, through the service the meeting uses."""
    for element_id, level in levels.items():
        await agreements.record_agreed(repo, manager, cycle_id, element_id, level,
                                       REASONS[language][element_id], at)


async def example_view(
    database_url: str, *, team_name: str = "Kwaliteit & Zorg", language: str = "nl",
    respondents: int = 24, now: datetime | None = None, previous: bool = True,
    targets: bool = True, agreed: bool = True,
) -> ReportView:
    """Seed an empty database and build the report of its latest cycle."""
    engine = create_engine(database_url)
    await upgrade(engine)
    now = now or datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    manager = 1
    try:
        async with create_sessionmaker(engine).begin() as session:
            repo = Repository(session)
            await repo.touch_person(manager, "Manager", language, now)
            team, _ = await teams.create_team(
                repo, team_name, manager, teams.TeamSettings(model_id=MODEL, use_groups=True), now)
            for user_id in range(manager + 1, manager + respondents + 2):
                await repo.touch_person(user_id, f"Member {user_id}", language, now)
                await repo.join(team.id, user_id, "member", None, now)
            if previous:
                earlier = await _cycle(repo, team.id, manager, now - timedelta(days=91),
                                       respondents, 0.0, language, 1)
                for number, (element, what) in enumerate(ACTIONS[language].items()):
                    action = await improvement.add_action(
                        repo, manager, earlier.id, element, what, "Manager", now)
                    if number == 0:
                        await improvement.finish(repo, manager, action.id,
                                                 now - timedelta(days=10))
                if agreed:
                    await _agree(repo, manager, earlier.id, AGREED_BEFORE, language,
                                 now - timedelta(days=70))
            for chapter, level in TARGETS.items() if targets else ():
                await improvement.set_target(repo, manager, team.id, chapter, level)
            latest = await _cycle(repo, team.id, manager, now, respondents, 0.35, language, 2)
            if agreed:
                await _agree(repo, manager, latest.id, AGREED_NOW, language,
                             now + timedelta(days=16))
            return await report_view.build(repo, latest, manager)
    finally:
        await engine.dispose()


async def history_example(
    database_url: str, *, cycles_held: int = 4, respondents: int = 24, language: str = "nl",
    team_name: str = "Kwaliteit & Zorg", now: datetime | None = None,
) -> tuple[int, int, int]:
    """Seed an empty database with a team of `cycles_held` closed quarterly cycles (levels rising
    a little each time, the earlier meetings' agreements and the targets), through the services.

    Returns (team id, manager id, latest cycle id); the manager is user 1."""
    engine = create_engine(database_url)
    await upgrade(engine)
    now = now or datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    manager = 1
    try:
        async with create_sessionmaker(engine).begin() as session:
            repo = Repository(session)
            await repo.touch_person(manager, "Manager", language, now)
            team, _ = await teams.create_team(
                repo, team_name, manager, teams.TeamSettings(model_id=MODEL, use_groups=True), now)
            for user_id in range(manager + 1, manager + respondents + 2):
                await repo.touch_person(user_id, f"Member {user_id}", language, now)
                await repo.join(team.id, user_id, "member", None, now)
            for chapter, level in TARGETS.items():
                await improvement.set_target(repo, manager, team.id, chapter, level)
            latest = None
            for number in range(cycles_held):
                opened = now - timedelta(days=91 * (cycles_held - 1 - number))
                latest = await _cycle(repo, team.id, manager, opened, respondents,
                                      0.12 * number, language, number + 1)
                agreed = AGREED_BEFORE if number % 2 == 0 else AGREED_NOW
                await _agree(repo, manager, latest.id, agreed, language,
                             opened + timedelta(days=16))
            assert latest is not None
            return team.id, manager, latest.id
    finally:
        await engine.dispose()
