"""Who may do what, tried as a curious participant would: commands, forged buttons, typed steps.

Every manager verb is refused with one polite line and changes nothing; Telegram never refuses a
request of ours on the way. Re-joining through an ordinary link never brings back a manager's role.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Config
from bot.db.models import (
    Cycle,
    ImprovementAction,
    Invite,
    Membership,
    Notification,
    Person,
    Response,
    Target,
    Team,
)
from bot.db.repositories import Repository
from bot.emulator import BotApiEmulator, SimulatedPerson
from bot.services import improvement
from tests.support.clock import FixedClock
from tests.support.journeys import (
    assert_telegram_was_happy,
    cells_naming,
    create_team,
    join,
    open_survey,
    run_a_cycle,
)
from tests.support.running import RunningBot

REFUSAL = "Dit kan alleen een manager van het team"
MANAGER_COMMANDS = ("/invite", "/survey", "/status", "/close", "/report", "/export", "/members",
                    "/settings", "/schedule", "/targets", "/actions")


async def _state(sessions: async_sessionmaker[AsyncSession]) -> tuple[object, ...]:
    """Everything a manager verb could change, to compare before and after."""
    async with sessions() as session:
        teams = (await session.execute(select(
            Team.model_id, Team.default_scope, Team.timezone, Team.use_groups, Team.share_results,
            Team.reassessment, Team.reminders_enabled))).all()
        roles = (await session.execute(select(
            Membership.user_id, Membership.role, Membership.active).order_by(Membership.id))).all()
        invites = (await session.execute(select(Invite.token, Invite.revoked_at))).all()
        cycles = (await session.execute(select(
            Cycle.id, Cycle.closed_at, Cycle.last_manual_reminder_at))).all()
        targets = (await session.execute(select(Target.chapter_id, Target.level))).all()
        actions = (await session.execute(select(
            ImprovementAction.id, ImprovementAction.done_at))).all()
        notifications = await session.scalar(select(func.count()).select_from(Notification))
    return (sorted(teams), roles, sorted(invites), cycles, sorted(targets), actions,
            notifications)


async def _ids(sessions: async_sessionmaker[AsyncSession], manon: SimulatedPerson,
               clock: FixedClock) -> tuple[int, int, int, int]:
    """The team, its open cycle, Manon's membership and an action of hers."""
    async with sessions.begin() as session:
        team_id = await session.scalar(select(Team.id))
        cycle_id = await session.scalar(select(Cycle.id))
        membership_id = await session.scalar(select(Membership.id).where(
            Membership.user_id == manon.user_id))
        assert team_id and cycle_id and membership_id
        action = await improvement.add_action(Repository(session), manon.user_id, cycle_id,
                                              "5.2", "Belanghebbenden", "Manon", clock.now())
    return team_id, cycle_id, membership_id, action.id


async def test_a_participant_trying_every_manager_verb_is_refused_politely(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock, manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    start = await create_team(manon, "Alleen voor managers")
    await join(anna, start, "Nederlands")
    await anna.wait_for(lambda m: "Je bent lid van" in m.text)
    await open_survey(manon, "Snelle scan", "1 week")
    team, cycle, manons_membership, action = await _ids(sessions, manon, clock)
    async with sessions() as session:
        annas_membership = await session.scalar(select(Membership.id).where(
            Membership.user_id == anna.user_id))
    before = await _state(sessions)

    for command in MANAGER_COMMANDS:
        await anna.send(command)
        reply = await anna.wait_for(lambda m: "beheert nog geen team" in m.text)
        assert reply.keyboard == []  # no team buttons to tap
    forged = [
        f"g:iv:{team}", f"g:ig:{team}:staff", f"g:ix:{team}", f"g:sv:{team}",
        f"g:ss:{team}:quick", f"g:sd:{team}:quick:7", f"g:so:{team}:quick:7", f"g:st:{team}",
        f"g:sr:{cycle}", f"g:sc:{team}", f"g:sy:{cycle}", f"g:mb:{team}",
        f"g:mp:{manons_membership}", f"g:mm:{annas_membership}:on",
        f"g:mm:{manons_membership}:off", f"g:mr:{manons_membership}", f"g:ts:{team}",
        f"g:tx:{team}:reminders-off", f"g:tx:{team}:model-2009", f"g:tg:{team}",
        f"g:tc:{team}:5", f"g:tt:{team}:5:5", f"g:ac:{team}", f"g:an:{cycle}:5.2",
        f"g:ad:{action}", f"g:rp:{team}", f"g:re:{team}", f"g:rd:{cycle}", f"g:rx:{cycle}",
        "g:st:999999",  # a team that does not exist is refused the same way
    ]
    screen = anna.last_message
    for data in forged:
        await anna.tap_data(data, screen)
        refusal = await anna.wait_for(lambda m: REFUSAL in m.text)
        assert not refusal.edited and refusal.keyboard == []
    refusals = [m for m in anna.messages if REFUSAL in m.text]
    assert len(refusals) == len(forged)  # one line per attempt
    for malformed in (f"g:st:{team}x", f"g:tt:{team}:5:9", f"g:mm:{annas_membership}:yes",
                      f"g:sd:{team}:quick", "g:zz:1", f"g:tx:{team}:<b>"):
        toast = await anna.tap_data(malformed, screen)
        assert toast is not None and "knop is niet geldig" in toast
    assert len([m for m in anna.messages if REFUSAL in m.text]) == len(forged)
    assert not any(m.document for m in anna.messages)
    assert await _state(sessions) == before
    assert_telegram_was_happy(emulator)


async def test_a_manager_demoted_while_typing_a_deadline_is_refused(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    manon: SimulatedPerson, bram: SimulatedPerson,
) -> None:
    start = await create_team(manon, "Typen")
    await join(bram, start, "English")
    await bram.wait_for(lambda m: "You have joined" in m.text)
    await manon.send("/members")
    await manon.tap("Bram")
    await manon.tap("Maak co-manager")
    told = await bram.wait_for(lambda m: "co-manager" in m.text)
    assert "Typen" in told.text and "/survey" in told.text  # what Bram can do now, in English

    await bram.send("/survey")
    await bram.wait_for(lambda m: "Which size?" in m.text)
    await bram.tap("Quick scan")
    await bram.wait_for(lambda m: "type a date" in m.text)
    await manon.tap("Geen manager meer")
    await manon.wait_for(lambda m: "• <b>Bram" in m.html or m.text.startswith("• Bram"))
    await bram.send("2026-11-20")
    await bram.wait_for(lambda m: "Only a manager of the team" in m.text)
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Cycle)) == 0
    assert_telegram_was_happy(emulator)


async def test_a_removed_co_manager_who_rejoins_is_an_ordinary_member(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    start = await create_team(manon, "Terugkomen")
    await join(anna, start, "Nederlands")
    await anna.wait_for(lambda m: "Je bent lid van" in m.text)
    await manon.send("/members")
    await manon.tap("Anna")
    await manon.tap("Maak co-manager")
    await anna.wait_for(lambda m: "co-manager" in m.text)
    await manon.tap("Uit het team halen")
    await manon.wait_for(lambda m: "Verwijderd" in m.text)

    await anna.send(start)  # the same ordinary link, still valid
    await anna.wait_for(lambda m: "Je bent lid van" in m.text)
    async with sessions() as session:
        role = await session.scalar(select(Membership.role).where(
            Membership.user_id == anna.user_id, Membership.active.is_(True)))
    assert role == "participant"
    await anna.send("/members")
    await anna.wait_for(lambda m: "beheert nog geen team" in m.text)
    assert_telegram_was_happy(emulator)


async def test_with_admin_ids_only_they_create_teams_also_by_typing_the_name(
    emulator: BotApiEmulator, settings: Config, clock: FixedClock, engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession], manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    running = RunningBot(emulator, settings.model_copy(
        update={"admin_ids": frozenset({manon.user_id})}), clock)
    await running.start()
    try:
        await anna.send("/newteam Stiekem")
        await anna.wait_for(lambda m: "voorbehouden aan de beheerders" in m.text)
        await anna.send("/newteam")
        await anna.wait_for(lambda m: "voorbehouden aan de beheerders" in m.text)
        await anna.send("Stiekem")
        await anna.wait_for(lambda m: "commando" in m.text or "/help" in m.text)
        await create_team(manon, "Officieel")
    finally:
        await running.stop()
    async with sessions() as session:
        assert (await session.scalars(select(Team.name))).all() == ["Officieel"]
    assert_telegram_was_happy(emulator)


async def test_deleteme_leaves_no_id_or_name_anywhere(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    manon: SimulatedPerson,
) -> None:
    zoe = emulator.person(first_name="Zoë Vergeetmij", language_code="nl")
    start = await create_team(manon, "Vergeten")
    others = [emulator.person(first_name=f"P{n}", language_code="nl") for n in range(3)]
    for person in [zoe, *others]:
        await join(person, start, "Nederlands")
        await person.wait_for(lambda m: "Je bent lid van" in m.text)
    await manon.send("/members")
    await manon.tap("Zoë")
    await manon.tap("Maak co-manager")
    await zoe.wait_for(lambda m: "co-manager" in m.text)
    await zoe.send("/invite")  # an invite she created
    await zoe.wait_for(lambda m: "t.me/" in m.text)
    report = await run_a_cycle(bot, zoe, [zoe, *others], 2)  # she opens, answers, closes
    await zoe.tap("Actie voor", message=report)  # an action she owns
    await zoe.wait_for(lambda m: "Verbeteractie toegevoegd" in m.text)
    await open_survey(zoe, "Snelle scan", "1 week")  # and an open cycle she started answering
    await bot.sweep()
    await zoe.tap("Beginnen")
    await zoe.tap("3")
    await zoe.send("/newteam")  # and a typed reply the bot now expects from her
    await zoe.wait_for(lambda m: "naam" in m.text.lower())
    assert await cells_naming(sessions, zoe.user_id, "Vergeetmij")  # the check can see her

    await zoe.send("/deleteme")
    await zoe.tap("Ja, vergeet mij")
    await zoe.wait_for(lambda m: "ik ben je vergeten" in m.text)
    assert await cells_naming(sessions, zoe.user_id, "Vergeetmij") == []
    async with sessions() as session:
        kept = (await session.execute(select(Response.cycle_id, Response.is_manager)
                                      .where(Response.membership_id.is_(None)))).all()
        open_cycle = await session.scalar(select(Cycle.id).where(Cycle.closed_at.is_(None)))
    assert len(kept) == 1 and kept[0][0] != open_cycle  # only the closed cycle keeps her answers
    assert kept[0][1] is False  # the only manager's answers in it: no longer marked as such
    await manon.send("/actions")
    listing = await manon.wait_for(lambda m: "Open verbeteracties" in m.text)
    assert "een oud-lid" in listing.text  # no name: "a former member"
    assert_telegram_was_happy(emulator)


async def test_a_sole_manager_is_asked_to_hand_the_team_over_first(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    manon: SimulatedPerson, anna: SimulatedPerson,
) -> None:
    start = await create_team(manon, "Overdragen")
    await join(anna, start, "Nederlands")
    await anna.wait_for(lambda m: "Je bent lid van" in m.text)
    await manon.send("/deleteme")
    asked = await manon.wait_for(lambda m: "enige manager" in m.text)
    assert "Overdragen" in asked.text and asked.keyboard == []

    await manon.send("/members")
    await manon.tap("Anna")
    await manon.tap("Maak co-manager")
    member_screen = await manon.wait_for(lambda m: "Geen manager meer" in str(m.keyboard))
    await manon.send("/deleteme")
    confirm = await manon.wait_for(lambda m: "Ja, vergeet mij" in str(m.keyboard))
    await manon.tap("Geen manager meer", message=member_screen)  # Anna is no manager again
    await manon.wait_for(lambda m: "Maak co-manager" in str(m.keyboard))
    await manon.tap("Ja, vergeet mij", message=confirm)  # the service checks again
    await manon.wait_for(lambda m: "Er is nog niets gewist" in m.text and m.edited)
    async with sessions() as session:
        assert await session.get(Person, manon.user_id) is not None

    await manon.tap("Maak co-manager")
    await anna.wait_for(lambda m: "co-manager" in m.text)
    await manon.send("/deleteme")
    await manon.tap("Ja, vergeet mij")
    await manon.wait_for(lambda m: "ik ben je vergeten" in m.text)
    async with sessions() as session:
        roles = (await session.execute(select(Membership.user_id, Membership.role))).all()
    assert roles == [(anna.user_id, "manager")]
    assert_telegram_was_happy(emulator)


async def test_forged_language_and_forget_buttons_get_the_invalid_button_answer(
    bot: RunningBot, emulator: BotApiEmulator, sessions: async_sessionmaker[AsyncSession],
    anna: SimulatedPerson,
) -> None:
    await anna.send("/start")
    await anna.wait_for(lambda m: "Anna" in m.text)
    await anna.send("/deleteme")
    question = await anna.wait_for(lambda m: "vergeet" in m.text)
    for forged in ("l:xx", "f:maybe"):
        toast = await anna.tap_data(forged, question)
        assert toast is not None and "knop is niet geldig" in toast
    assert anna.last_message.text == question.text and not anna.last_message.edited
    async with sessions() as session:
        assert await session.get(Person, anna.user_id) is not None
    assert_telegram_was_happy(emulator)
