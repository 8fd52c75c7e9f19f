"""An organisation's admin runs one survey for four teams, through the emulator.

Olga creates the organisation and its four teams (one of two people); Anna is in two of them.
One organisation-wide quick scan opens in every team; everybody answers, Anna once; Olga follows
the response per team (counts only) and closes it for all teams at once; the team reports count
Anna in both her teams.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Cycle, OrganisationCycle, Response, Team
from bot.emulator import BotApiEmulator, SimulatedPerson
from tests.support.journeys import answer_quick_scan, assert_telegram_was_happy, join
from tests.support.running import RunningBot

TEAMS = {"Zorg": ("Anna", "Bram", "Cas"), "Logistiek": ("Anna", "Daan", "Eva"),
         "Kantoor": ("Fien", "Gijs", "Hans"), "Duo": ("Ids", "Jet")}


async def _new_team(olga: SimulatedPerson, name: str) -> str:
    await olga.send("/org")
    overview = await olga.wait_for(lambda m: "Zorggroep" in m.text and "Nieuw team" in str(
        m.keyboard))
    await olga.tap("Nieuw team", message=overview)
    await olga.wait_for(lambda m: "Hoe heet het nieuwe team" in m.text)
    await olga.send(name)
    choose = await olga.wait_for(lambda m: "Wie wordt de manager" in m.text)
    await olga.tap("Ik word zelf manager", message=choose)  # here she runs the teams herself
    created = await olga.wait_for(lambda m: "t.me/" in m.text)
    assert name in created.text
    link = next(word for word in created.text.split() if "t.me/" in word)
    return "/start " + link.split("start=")[1]


async def _cycle_of(sessions: async_sessionmaker[AsyncSession], team: str) -> int:
    async with sessions() as session:
        found = await session.scalar(select(Cycle.id).join(Team).where(Team.name == team))
    assert found is not None
    return found


async def test_an_admin_runs_one_survey_for_four_teams_and_a_person_in_two_answers_once(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
) -> None:
    olga = emulator.person(first_name="Olga", language_code="nl")
    people = {name: emulator.person(first_name=name, language_code="nl")
              for name in dict.fromkeys(n for names in TEAMS.values() for n in names)}

    await olga.send("/neworg Zorggroep")
    created = await olga.wait_for(lambda m: "Organisatie <b>Zorggroep</b>" in m.html
                                  or "Organisatie Zorggroep" in m.text)
    assert "Nog geen teams" in created.text
    for team, members in TEAMS.items():
        start = await _new_team(olga, team)
        for name in members:
            person = people[name]
            if person.messages:  # Anna, the second time: she consented already
                await person.send(start)
            else:
                await join(person, start, "Nederlands")
            await person.wait_for(lambda m, t=team: f"Je bent lid van {t}" in m.text)

    await people["Anna"].send("/org")  # a member is no admin
    await people["Anna"].wait_for(lambda m: "Je beheert geen organisatie" in m.text)

    await olga.send("/organisatie")
    overview = await olga.wait_for(lambda m: "Duo: 3 leden" in m.text)
    assert "Zorg: 4 leden" in overview.text and "Beheerders: Olga" in overview.text
    await olga.tap("Vragenlijst voor alle teams", message=overview)
    choose = await olga.wait_for(lambda m: "Welke teams doen mee" in m.text)
    assert [label for label, _ in choose.buttons()][:4] == [
        "✅ Zorg", "✅ Logistiek", "✅ Kantoor", "✅ Duo"]
    await olga.tap("Kantoor", message=choose)  # off, and on again: all four take part
    toggled = await olga.wait_for(lambda m: "▫️ Kantoor" in str(m.keyboard))
    await olga.tap("Kantoor", message=toggled)
    await olga.wait_for(lambda m: "✅ Kantoor" in str(m.keyboard))
    await olga.tap("Verder")
    await olga.tap("Snelle scan")
    await olga.tap("1 week")
    confirm = await olga.wait_for(lambda m: "Klopt dit?" in m.text)
    assert "Teams: Zorg, Logistiek, Kantoor, Duo" in confirm.text
    assert "Uitgenodigd: 11 personen" in confirm.text  # Olga, and Anna once
    await olga.tap("Vragenlijst openen")
    opened = await olga.wait_for(lambda m: "is open voor" in m.text)
    assert "11 personen krijgen" in opened.text

    assert await bot.sweep() == 11
    anna = people["Anna"]
    await anna.wait_for(lambda m: "Beginnen" in str(m.keyboard))
    invitations = [m for m in anna.messages if "Beginnen" in str(m.keyboard)]
    assert len(invitations) == 1
    await anna.send("/resume")  # one survey, not a choice between her two teams
    await anna.wait_for(lambda m: "onderwerp 1 van 7" in m.text)
    assert not any("Logistiek" in str(m.keyboard) for m in anna.messages)

    await olga.send("/status")  # Logistiek's manager reminds: Anna is led to her one survey
    await olga.tap("Logistiek")
    await olga.tap("Herinnering sturen")
    await olga.wait_for(lambda m: "Herinnering verstuurd naar 4 personen" in m.text)
    await bot.sweep()
    reminder = await anna.wait_for(lambda m: "Nog even aan denken" in m.text)
    assert "Zorg" in reminder.text and "Logistiek" not in reminder.text
    assert anna.keyboard == [[("▶️ Verder", reminder.keyboard[0][0][1])]]
    assert reminder.keyboard[0][0][1] == f"r:{(await _cycle_of(sessions, 'Zorg'))}"

    for name, person in people.items():
        await answer_quick_scan(person, 2 if name == "Anna" else 4)

    await olga.send("/org")
    overview = await olga.wait_for(lambda m: "Er loopt een vragenlijst" in m.text)
    assert "Zorg: klaar 3 van 4" in overview.text
    assert "Logistiek: klaar 3 van 4" in overview.text  # Anna counts here too
    assert "Duo: klaar 2 van 3" in overview.text
    await olga.tap("Respons per team", message=overview)
    status = await olga.wait_for(lambda m: "respons per team" in m.text)
    assert "Kantoor: klaar 3 van 4" in status.text and "3,0" not in status.text  # no figures

    await olga.tap("Alle teams afsluiten", message=status)
    await olga.tap("Ja, afsluiten")
    await olga.wait_for(lambda m: "afgesloten, voor alle teams" in m.text)
    await bot.sweep()
    await olga.wait_for(lambda _: all(  # one report per team, in whatever order they come
        any(m.text.startswith(f"📈 {team}:") for m in olga.messages) for team in TEAMS),
        timeout=30)
    reports = {m.text.split(":")[0]: m.text for m in olga.messages
               if m.text.startswith("📈 ")}
    assert "Respons: 3 personen" in reports["📈 Logistiek"]  # Anna's one response counts here
    # Three respondents are fewer than k + 1: no team of this story shows figures, to anyone.
    assert "Te weinig reacties" in reports["📈 Logistiek"]
    assert "Te weinig reacties" in reports["📈 Duo"]

    async with sessions.begin() as session:
        assert await session.scalar(select(func.count()).select_from(Response)) == 10
        assert await session.scalar(select(func.count()).select_from(Cycle).where(
            Cycle.closed_at.is_(None))) == 0
        assert await session.scalar(select(func.count()).select_from(OrganisationCycle).where(
            OrganisationCycle.closed_at.is_not(None))) == 1
    assert_telegram_was_happy(emulator)


async def test_admins_are_added_from_the_members_teams_move_in_and_only_admins_close(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
) -> None:
    olga = emulator.person(first_name="Olga", language_code="nl")
    bram = emulator.person(first_name="Bram", language_code="nl")
    cas = emulator.person(first_name="Cas", language_code="nl")
    await olga.send("/neworg Zorggroep")
    await olga.wait_for(lambda m: "Nog geen teams" in m.text)
    await join(bram, await _new_team(olga, "Zorg"), "Nederlands")
    await bram.wait_for(lambda m: "Je bent lid van Zorg" in m.text)

    await bram.send("/newteam Apart")  # the old way: a team with an organisation of its own
    created = await bram.wait_for(lambda m: "t.me/" in m.text)
    link = next(word for word in created.text.split() if "t.me/" in word)
    await join(cas, "/start " + link.split("start=")[1], "Nederlands")
    await cas.wait_for(lambda m: "Je bent lid van Apart" in m.text)
    await bram.send("/members")
    await bram.tap("Cas")
    await bram.tap("Maak co-manager")
    await bram.wait_for(lambda m: "⭐ <b>Cas" in m.html or m.text.startswith("⭐ Cas"))

    await olga.send("/beheerder")
    choose = await olga.wait_for(lambda m: "Wie wordt ook beheerder" in m.text)
    assert [label for label, _ in choose.buttons()] == [
        "Bram", "🔗 Een link voor iemand buiten de teams", "◀️ Naar de organisatie"]
    await olga.tap("Bram", message=choose)
    added = await olga.wait_for(lambda m: "Bram is nu beheerder" in m.text)
    assert "Beheerders: Olga, Bram" in added.text

    await bram.send("/org")  # his own team's organisation, and the Zorggroep
    await bram.wait_for(lambda m: "Welke organisatie?" in m.text)
    await bram.tap("Zorggroep")
    await bram.tap("Team hierheen verhuizen")
    movable = await bram.wait_for(lambda m: "Welk team verhuist" in m.text)
    assert next(label for label, _ in movable.buttons()) == "Apart"
    await bram.tap("Apart", message=movable)
    moved = await bram.wait_for(lambda m: "Apart</b> hoort nu bij" in m.html
                                or "Apart hoort nu bij" in m.text)
    assert "Apart: 2 leden" in moved.text and "Zorg: 2 leden" in moved.text
    await bram.send("/org")  # his team's own organisation went with the move
    await bram.wait_for(lambda m: "🏢 Zorggroep" in m.text)

    await bram.send("/mydata")  # what is stored about him says so
    stored = await bram.wait_for(lambda m: "Wat ik over je bewaar" in m.text)
    assert "Beheerder van organisatie Zorggroep" in stored.text

    await olga.send("/orgvragenlijst")
    await olga.tap("Verder")
    await olga.tap("Snelle scan")
    await olga.tap("1 week")
    await olga.tap("Vragenlijst openen")
    await olga.wait_for(lambda m: "is open voor Zorg, Apart" in m.text)

    await cas.send("/close")  # Cas manages Apart, but the survey is the organisation's
    refused = await cas.wait_for(lambda m: "beheerder van de organisatie" in m.text)
    assert "🔒" in refused.text
    await cas.send("/status")  # following his team's part is his, counts only
    status = await cas.wait_for(lambda m: "Klaar:" in m.text)
    assert "Klaar: 0 van 2" in status.text
    async with sessions.begin() as session:
        assert await session.scalar(select(func.count()).select_from(Cycle).where(
            Cycle.closed_at.is_(None))) == 2
    assert_telegram_was_happy(emulator)
