"""The organisation report through Telegram: the admin's heatmap with the small team hidden, and a
team manager who sees her own team and the total but no other team.

Four teams as in issue 20: Zorg (three people, the manager Tess and Xander, who is also in
Keuken), Keuken (three more), Techniek (three) and Bestuur (two). Xander answers once and counts
in both his teams, so Zorg and Keuken are never both shown (Zorg plus Keuken minus the total
would be him and the rest); with k + 1 = 4 needed in every part (issue #25), Techniek and Bestuur
are too small, and whatever is hidden stays mixed in "the total minus the shown teams". The
report says why each team is hidden, the same for every reader.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.repositories import Repository
from bot.emulator import BotApiEmulator, SimulatedPerson
from bot.services import org_cycles, organisations, teams
from bot.services.actor import Actor
from tests.support.clock import FixedClock
from tests.support.journeys import answer_quick_scan, assert_telegram_was_happy, join
from tests.support.running import RunningBot

LEVELS = {"Zorg": 2, "Keuken": 4, "Techniek": 3, "Bestuur": 5}
SIZES = {"Zorg": 3, "Keuken": 3, "Techniek": 3, "Bestuur": 2}


async def _answer(person: SimulatedPerson, level: int) -> None:
    await person.wait_for(lambda m: any("Beginnen" in label for label, _ in m.buttons()))
    await answer_quick_scan(person, level)


async def test_the_admin_sees_the_teams_the_rule_allows_and_a_manager_only_her_own(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
) -> None:
    now = clock.now()
    olga = emulator.person(first_name="Olga", language_code="nl")  # the quality manager
    tess = emulator.person(first_name="Tess", language_code="nl")  # manages Zorg
    kees = emulator.person(first_name="Kees", language_code="nl")  # manages the other three
    for manager in (olga, tess, kees):
        await manager.send("/start")
        await manager.wait_for(lambda m: bool(m.text))
    links = {}
    async with sessions.begin() as session:
        repo = Repository(session)
        for manager in (olga, tess, kees):
            await repo.touch_person(manager.user_id, manager.first_name, "nl", now)
        organisation = await organisations.create(repo, Actor(olga.user_id), "Zorg & Co", now)
        for name in LEVELS:
            team, _ = await teams.create_team(
                repo, name, (tess if name == "Zorg" else kees).user_id, teams.TeamSettings(),
                now, organisation_id=organisation.id)
            links[name] = (await teams.create_invite(repo, team.id, team_manager := (
                tess if name == "Zorg" else kees).user_id, None, now)).token
            assert team_manager
    people: list[tuple[SimulatedPerson, int]] = [(tess, LEVELS["Zorg"])]
    for name, size in SIZES.items():
        for number in range(size):
            person = emulator.person(first_name=f"{name}{number}", language_code="nl")
            await join(person, f"/start {links[name]}", "Nederlands")
            people.append((person, LEVELS[name]))
    xander = emulator.person(first_name="Xander", language_code="nl")
    await join(xander, f"/start {links['Zorg']}", "Nederlands")
    await xander.send(f"/start {links['Keuken']}")  # he agreed already: joined at once
    await xander.wait_for(lambda m: "lid van Keuken" in m.text)
    people.append((xander, 3))

    async with sessions.begin() as session:
        opened = await org_cycles.open_organisation_cycle(
            Repository(session), Actor(olga.user_id), organisation.id, "quick",
            now + timedelta(days=7), now)
    assert opened.invitations == 14  # Xander is invited once; Tess and Kees too
    await bot.sweep()
    for person, level in people:
        await _answer(person, level)

    await olga.send("/orgreport")  # open: counts of people only
    interim = await olga.wait_for(lambda m: "nog open" in m.text)
    assert "Zorg: 5 personen geantwoord" in interim.text  # Tess, three colleagues and Xander
    assert "Keuken: 4 personen geantwoord" in interim.text
    assert "Bestuur: 2 personen geantwoord" in interim.text
    assert all(m.photo is None and m.document is None for m in olga.messages)

    async with sessions.begin() as session:
        assert await org_cycles.close(Repository(session), Actor(olga.user_id),
                                      opened.organisation_cycle_id, clock.now())
    await bot.sweep()

    before = len(olga.messages)
    await olga.send("/orgreport")
    summary = await olga.wait_for(lambda m: "ieder één keer geteld" in m.text)
    assert "Antwoorden: 13 personen, ieder één keer geteld" in summary.text
    assert "Bestuur: verborgen voor de anonimiteit (2 personen)" in summary.text
    assert "Zorg: 2,2 (5 personen)" in summary.text  # (4 × 2 + 3) / 5
    # k + 1 = 4: Techniek's three are too few; Keuken shares Xander with Zorg.
    assert "Techniek: verborgen voor de anonimiteit (3 personen)" in summary.text
    assert "Keuken: verborgen voor de anonimiteit (4 personen)" in summary.text
    assert "team Keuken: maar een paar van zijn mensen zitten ook in team Zorg" in summary.text
    assert "team Techniek: te weinig mensen (cijfers vragen 4 antwoorden)" in summary.text
    heatmap = await olga.wait_for(lambda m: m.photo is not None)
    assert "niveau per hoofdstuk" in heatmap.text and "grijze rijen" in heatmap.text
    await olga.wait_for(lambda m: m.document is not None)
    await olga.tap("📊 Export (CSV)")
    export = await olga.wait_for(lambda m: (m.document_name or "").endswith(".csv"))
    assert export.document is not None and len(olga.messages) > before
    rows = list(csv.reader(io.StringIO(export.document.decode("utf-8-sig")), delimiter=";"))
    by_team: dict[str, list[list[str]]] = {}
    for row in rows[1:]:
        by_team.setdefault(row[0], []).append(row)
    assert all(row[5] == "" for row in by_team["Bestuur"] + by_team["Keuken"]
               + by_team["Techniek"])
    for number, total in enumerate(by_team["Hele organisatie"]):  # total minus shown teams
        shown = [by_team[name][number] for name in ("Zorg",)]
        rest = int(total[7]) - sum(int(row[7]) for row in shown)
        rest_sum = (float(total[5].replace(",", ".")) * int(total[7])
                    - sum(float(r[5].replace(",", ".")) * int(r[7]) for r in shown))
        assert rest == 8  # Keuken's three, Techniek's three, Bestuur's two: none alone
        assert round(rest_sum) == 3 * 4 + 3 * 3 + 2 * 5

    await tess.send("/orgreport")
    own = await tess.wait_for(lambda m: "ieder één keer geteld" in m.text)
    assert "Zorg: 2,2" in own.text and "De organisatie per hoofdstuk" in own.text
    assert not any(name in own.text for name in ("Keuken", "Techniek", "Bestuur"))
    await tess.wait_for(lambda m: m.photo is not None)

    colleague = people[1][0]
    await colleague.send("/orgreport")
    refused = await colleague.wait_for(lambda m: "organisatierapport" in m.text)
    assert "Geantwoord" not in refused.text and "2,2" not in refused.text
    assert_telegram_was_happy(emulator)
