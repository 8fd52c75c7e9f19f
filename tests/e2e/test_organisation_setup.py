"""The organisation as a quality manager sets it up and runs it (issue 29), through the emulator.

Olga is the quality manager: she creates the organisation and its teams for other managers
without becoming anyone's manager, adds an outside admin by a one-time link, and a team manager
cannot take her team (and with it the organisation) away from her.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Membership, Organisation, OrganisationAdmin, Team
from bot.db.repositories import Repository
from bot.emulator import BotApiEmulator, BotMessage, SimulatedPerson
from bot.services import org_cycles, organisations, teams
from bot.services.actor import Actor
from conversations import callbacks
from tests.support.clock import FixedClock
from tests.support.journeys import assert_telegram_was_happy, join
from tests.support.running import RunningBot

pytestmark = pytest.mark.slow

WORDS = {
    "nl": {"created": "Nog geen teams", "new_team": "Nieuw team", "ask": "Hoe heet het nieuwe team",
           "who": "Wie wordt de manager", "link": "Een link voor de manager"},
    "en": {"created": "No teams yet", "new_team": "New team", "ask": "called?",
           "who": "Who manages it", "link": "A link for its manager"},
}


def start_of(message: BotMessage) -> str:
    """The `/start …` a person sends after opening the link in the message."""
    link = next(word for word in message.text.split() if "t.me/" in word)
    return "/start " + link.split("start=")[1]


async def new_team(admin: SimulatedPerson, name: str, language: str) -> BotMessage:
    """Create a team from /org; returns the "who manages it?" screen."""
    words = WORDS[language]
    await admin.send("/org")
    overview = await admin.wait_for(lambda m: words["new_team"] in str(m.keyboard))
    await admin.tap(words["new_team"], message=overview)
    await admin.wait_for(lambda m: words["ask"] in m.text)
    await admin.send(name)
    return await admin.wait_for(lambda m: words["who"] in m.text and name in m.text)


async def manager_link(admin: SimulatedPerson, name: str, language: str) -> str:
    choose = await new_team(admin, name, language)
    await admin.tap(WORDS[language]["link"], message=choose)
    return start_of(await admin.wait_for(lambda m: "start=org_" in m.text and name in m.text))


async def _ids(sessions: async_sessionmaker[AsyncSession], team: str, organisation: str
               ) -> tuple[int, int]:
    async with sessions() as session:
        team_id = await session.scalar(select(Team.id).where(Team.name == team))
        organisation_id = await session.scalar(
            select(Organisation.id).where(Organisation.name == organisation))
    assert team_id is not None and organisation_id is not None
    return team_id, organisation_id


async def test_a_manager_cannot_take_her_team_and_the_organisation_away_from_its_admins(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
) -> None:
    olga = emulator.person(first_name="Olga", language_code="nl")
    mia = emulator.person(first_name="Mia", language_code="nl")
    piet = emulator.person(first_name="Piet", language_code="nl")  # outside every team
    kees = emulator.person(first_name="Kees", language_code="nl")
    await olga.send("/neworg Zorggroep")
    await olga.wait_for(lambda m: "Nog geen teams" in m.text)

    start = await manager_link(olga, "Zorg", "nl")
    await mia.send(start)
    await mia.wait_for(lambda m: "Je bent nu manager van Zorg" in m.text)
    await olga.wait_for(lambda m: "Mia is nu manager van Zorg" in m.text)
    await kees.send(start)  # a one-time link
    await kees.wait_for(lambda m: "Deze link is al gebruikt" in m.text)

    await olga.send("/beheerder")  # an outside quality officer becomes admin by a link
    await olga.tap("Een link voor iemand buiten de teams")
    admin_link = await olga.wait_for(lambda m: "nieuwe beheerder van Zorggroep" in m.text)
    await piet.send(start_of(admin_link))
    await piet.wait_for(lambda m: "Je bent nu beheerder van Zorggroep" in m.text)
    await olga.wait_for(lambda m: "Piet is nu beheerder van Zorggroep" in m.text)
    await olga.send("/org")
    overview = await olga.wait_for(lambda m: "Beheerders:" in m.text and "Piet" in m.text)
    assert "Beheerders: Olga, Piet" in overview.text
    assert "⭐ Mia" in overview.text  # who manages Zorg

    await mia.send("/nieuweorg Eigen")  # the attack: her own organisation, her team moved there
    created = await mia.wait_for(lambda m: "Organisatie Eigen" in m.text)
    await mia.tap("Team hierheen verhuizen", message=created)
    await mia.wait_for(lambda m: "geen team dat je naar Eigen kunt verhuizen" in m.text)
    zorg, eigen = await _ids(sessions, "Zorg", "Eigen")
    forged = callbacks.OrgMove(eigen, zorg).encode()  # a button she was never given
    await mia.tap_data(forged, mia.messages[-1])
    refused = await mia.wait_for(lambda m: "alleen een beheerder van Zorggroep" in m.text)
    assert "Er is niets veranderd" in refused.text

    await olga.send("/nieuweorg Zorggroep Oost")  # an admin of both moves it: Piet is told
    await olga.wait_for(lambda m: "Organisatie Zorggroep Oost" in m.text)
    await olga.send("/org")
    await olga.tap("Zorggroep Oost")
    await olga.tap("Team hierheen verhuizen")
    await olga.tap("Zorg", message=await olga.wait_for(lambda m: "Welk team verhuist" in m.text))
    await olga.wait_for(lambda m: "Zorg hoort nu bij Zorggroep Oost" in m.text)
    told = await piet.wait_for(lambda m: "van Zorggroep naar Zorggroep Oost" in m.text)
    assert "door Olga" in told.text

    async with sessions() as session:  # the emptied organisation an admin made stays
        zorggroep = await session.scalar(select(Organisation.id).where(
            Organisation.name == "Zorggroep"))
        assert zorggroep is not None
        admins = (await session.scalars(select(OrganisationAdmin.user_id).where(
            OrganisationAdmin.organisation_id == zorggroep))).all()
        assert set(admins) == {olga.user_id, piet.user_id}
        moved = await session.get(Team, zorg)
        assert moved is not None and moved.organisation_id != eigen
    assert_telegram_was_happy(emulator)


async def test_an_admin_sets_up_three_teams_for_three_other_managers(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
) -> None:
    olga = emulator.person(first_name="Olga", language_code="en")
    mia = emulator.person(first_name="Mia", language_code="en")
    anna = emulator.person(first_name="Anna", language_code="en")
    ben = emulator.person(first_name="Ben", language_code="en")
    await olga.send("/neworg Care Group")
    await olga.wait_for(lambda m: "No teams yet" in m.text)

    await mia.send(await manager_link(olga, "Wards", "en"))  # one by a link
    await mia.wait_for(lambda m: "You are now the manager of Wards" in m.text)
    await mia.send("/invite")
    invite = await mia.wait_for(lambda m: "t.me/" in m.text)
    await join(anna, start_of(invite), "English")
    await anna.wait_for(lambda m: "You have joined Wards" in m.text)

    choose = await new_team(olga, "Kitchen", "en")  # one for someone she knows
    assert [label for label, _ in choose.buttons()] == [
        "Anna", "Mia", "🔗 A link for its manager", "⭐ I manage it myself"]
    await olga.tap("Anna", message=choose)
    await olga.wait_for(lambda m: "Anna now manages Kitchen" in m.text)
    await anna.wait_for(lambda m: "made the manager of Kitchen in Care Group" in m.text)

    await ben.send(await manager_link(olga, "Board", "en"))  # and one more by a link
    await ben.wait_for(lambda m: "You are now the manager of Board" in m.text)

    await olga.send("/org")
    overview = await olga.wait_for(lambda m: "Board" in m.text and "Teams:" in m.text)
    lines = overview.text.splitlines()
    assert lines[lines.index("• Wards: 2 members") + 1].strip() == "⭐ Mia · 👥 Anna"
    assert lines[lines.index("• Kitchen: 1 member") + 1].strip() == "⭐ Anna"
    assert lines[lines.index("• Board: 1 member") + 1].strip() == "⭐ Ben"
    async with sessions() as session:  # Olga is nobody's manager and answers nowhere
        assert await session.scalar(select(func.count()).select_from(Membership).where(
            Membership.user_id == olga.user_id)) == 0

    await ben.send("/members")  # the last manager cannot step down
    await ben.tap("Ben")
    await ben.tap("Step down as manager")
    await ben.wait_for(lambda m: "always keeps at least one manager" in m.text)
    await mia.send("/members")  # Mia hands Wards to Anna and steps down
    await mia.tap("Anna")
    await mia.tap("Make co-manager")
    await mia.wait_for(lambda m: "Back" in str(m.keyboard) and "Anna" in m.text)
    await mia.send("/members")
    await mia.tap("Mia")
    await mia.tap("Step down as manager")
    await mia.wait_for(lambda m: "Step down" not in str(m.keyboard) and "Mia" in m.text)
    async with sessions() as session:
        roles = dict((await session.execute(
            select(Membership.user_id, Membership.role).join(Team)
            .where(Team.name == "Wards"))).all())
    assert roles == {mia.user_id: "participant", anna.user_id: "manager"}
    assert_telegram_was_happy(emulator)


async def _answer_in_english(person: SimulatedPerson, level: int) -> None:
    await person.wait_for(lambda m: any("Start" in label for label, _ in m.buttons()))
    await person.tap("Start")
    for _ in range(7):
        await person.tap(str(level))
    await person.tap("Confirm my answers")
    await person.wait_for(lambda m: "confirmed" in m.text)


async def test_the_organisations_targets_its_report_and_closing_all_its_teams(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
) -> None:
    now = clock.now()
    olga = emulator.person(first_name="Olga", language_code="en")  # admin, manages Wards too
    kees = emulator.person(first_name="Kees", language_code="en")
    for manager in (olga, kees):
        await manager.send("/start")
        await manager.wait_for(lambda m: bool(m.text))
    links = {}
    async with sessions.begin() as session:
        repo = Repository(session)
        organisation = await organisations.create(repo, Actor(olga.user_id), "Care Group",
                                                  now)
        for name, manager in (("Wards", olga), ("Kitchen", kees)):
            team, _ = await teams.create_team(repo, name, manager.user_id, teams.TeamSettings(),
                                              now, organisation_id=organisation.id)
            links[name] = (await teams.create_invite(repo, team.id, manager.user_id, None,
                                                     now)).token
    people = []
    for name in ("Wards", "Kitchen"):
        for number in range(3):
            person = emulator.person(first_name=f"{name}{number}", language_code="en")
            await join(person, f"/start {links[name]}", "English")
            people.append(person)
    async with sessions.begin() as session:
        await org_cycles.open_organisation_cycle(
            Repository(session), Actor(olga.user_id), organisation.id, "quick",
            now + timedelta(days=7), now)
    await bot.sweep()
    for person in people:
        await _answer_in_english(person, 2)

    await olga.send("/close")  # she manages Wards, but closing it closes both teams
    ask = await olga.wait_for(lambda m: "Close the survey of" in m.text)
    assert "all 2 teams of Care Group (Wards, Kitchen)" in ask.text
    await olga.tap("Yes, close it", message=ask)
    await olga.wait_for(lambda m: "The survey of all 2 teams of Care Group has closed" in m.text)
    await bot.sweep()

    await olga.send("/orgreport")  # no targets yet: low, but never "below target"
    before = await olga.wait_for(lambda m: "Improve first, across the organisation" in m.text)
    assert "low level" in before.text
    assert "below target" not in before.text and "(target" not in before.text

    await olga.send("/orgtargets")
    listed = await olga.wait_for(lambda m: "Targets of Care Group" in m.text)
    chapters = [data for _, data in listed.buttons()][:-1]
    await olga.tap_data(chapters[0], listed)
    await olga.wait_for(lambda m: "Target for chapter" in m.text)
    await olga.tap("4")
    for data in chapters[1:]:
        chapter = callbacks.parse(data)
        assert isinstance(chapter, callbacks.OrgTargetChapter)
        await olga.tap_data(callbacks.OrgSetTarget(
            organisation.id, chapter.chapter_id, 4).encode(), listed)
    await olga.wait_for(lambda m: "Targets of Care Group" in m.text and all(
        label.startswith("4 · ") for label, _ in m.buttons()[:-1]))

    await olga.send("/orgreport")
    after = await olga.wait_for(lambda m: "(target 4)" in m.text)
    assert "below target" in after.text
    pdf = await olga.wait_for(lambda m: m.document is not None)
    assert (pdf.document_name or "").startswith("iso9004-care-group-2026-11-02.")
    await olga.tap("Export (CSV)", message=pdf)
    export = await olga.wait_for(lambda m: (m.document_name or "").endswith(".csv"))
    assert export.document_name == "iso9004-care-group-2026-11-02.csv"
    assert_telegram_was_happy(emulator)


async def test_the_rhythm_is_set_in_org_and_comes_a_full_period_later_with_a_heads_up(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
) -> None:
    olga = emulator.person(first_name="Olga", language_code="nl")
    kees = emulator.person(first_name="Kees", language_code="nl")
    await kees.send("/start")
    await kees.wait_for(lambda m: bool(m.text))
    await olga.send("/neworg Zorggroep")
    await olga.wait_for(lambda m: "Nog geen teams" in m.text)
    async with sessions.begin() as session:
        repo = Repository(session)
        organisation = await session.scalar(select(Organisation).where(
            Organisation.name == "Zorggroep"))
        assert organisation is not None
        await teams.create_team(repo, "Zorg", kees.user_id, teams.TeamSettings(), clock.now(),
                                organisation_id=organisation.id)

    await olga.send("/orgvragenlijst")  # Monday 2 November 2026
    await olga.tap("Verder")
    await olga.tap("Snelle scan")
    await olga.tap("1 week")
    await olga.tap("Vragenlijst openen")
    await olga.wait_for(lambda m: "is open voor Zorg" in m.text)
    await bot.sweep()
    await olga.send("/org")  # a full quarter after it, not the next calendar quarter
    overview = await olga.wait_for(lambda m: "De volgende vragenlijst" in m.text)
    assert "opent op 2 februari 2027" in overview.text

    await olga.tap("Ritme", message=overview)
    rhythm = await olga.wait_for(lambda m: "Ritme van Zorggroep" in m.text)
    assert "Elk kwartaal" in rhythm.text
    await olga.tap("Halfjaarlijks", message=rhythm)
    await olga.wait_for(lambda m: "opent op 3 mei 2027" in m.text)  # 2 May is a Sunday
    await olga.tap("Datum wijzigen")
    await olga.wait_for(lambda m: "Op welke dag opent" in m.text)
    await olga.send("gisteren")
    await olga.wait_for(lambda m: "Dat kan ik niet gebruiken" in m.text)
    await olga.send("15-03-2027")
    await olga.wait_for(lambda m: "opent op 15 maart 2027" in m.text)

    await kees.send("/schedule")  # the team's manager is pointed to the organisation's rhythm
    settings = await kees.wait_for(lambda m: "Instellingen van Zorg" in m.text)
    assert "Het ritme van de organisatie Zorggroep (halfjaarlijks, volgende: 15 maart 2027)" in (
        settings.text) and "wijzigt het met /org" in settings.text
    assert "Nieuwe ronde:" in settings.text.splitlines()[4]

    clock.set(datetime(2027, 3, 12, 12, 0, tzinfo=UTC))  # the working day before
    await bot.sweep()
    for person in (olga, kees):  # admins and team managers, pointed to /org
        heads_up = await person.wait_for(lambda m: "voor alle teams van Zorggroep" in m.text)
        assert "Morgen" not in heads_up.text and "/org" in heads_up.text
        assert "/schedule" not in heads_up.text
    assert_telegram_was_happy(emulator)
