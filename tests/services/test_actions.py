"""Actions with an owner who agreed, a status with history, and permissions decided here."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import ActionEvent, ImprovementAction, Notification, Team
from bot.db.repositories import Repository
from bot.services import (
    account,
    action_checkins,
    actions,
    agreements,
    cycles,
    improvement,
    joining,
    positions,
    teams,
)
from bot.services.actions import Status
from bot.services.actor import Actor
from bot.services.permissions import PermissionsError
from domain.catalog import load_model
from tests.support.clock import FixedClock

MANON, ANNA, BOB, OTTO = Actor(1), Actor(2), Actor(3), Actor(4)


async def _action(sessions: async_sessionmaker[AsyncSession], clock: FixedClock) -> int:
    """Manon's team with Anna and Bob; Otto is in no team; one action made by Manon."""
    now = clock.now()
    async with sessions.begin() as session:
        repo = Repository(session)
        for actor, name in ((MANON, "Manon"), (ANNA, "Anna"), (BOB, "Bob"), (OTTO, "Otto")):
            await repo.touch_person(actor.id, name, "en", now)
        team, _ = await teams.create_team(repo, "Care", MANON.id, teams.TeamSettings(), now)
        invite = await teams.create_invite(repo, team.id, MANON.id, None, now)
        await joining.join(repo, invite.token, ANNA.id, None, now)
        await joining.join(repo, invite.token, BOB.id, None, now)
        cycle = await cycles.open_cycle(repo, team.id, "quick", now + timedelta(days=7),
                                        MANON.id, now)
        action = await improvement.add_action(repo, MANON.id, cycle.id, "5.2", "Plan it",
                                              "Manon", now)
        return action.id


async def _run(sessions: async_sessionmaker[AsyncSession], call):  # type: ignore[no-untyped-def]
    async with sessions.begin() as session:
        return await call(Repository(session))


async def test_an_owner_is_asked_first_and_owns_it_once_she_accepts(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    action_id = await _action(sessions, clock)
    now = clock.now()
    view = await _run(sessions, lambda r: actions.assign(r, MANON, action_id, ANNA.id, now))
    assert (view.owner, view.proposed_owner) == ("Manon", "Anna")
    async with sessions() as session:
        asks = (await session.scalars(select(Notification).where(
            Notification.kind == "action_ask"))).all()
    assert [a.user_id for a in asks] == [ANNA.id]
    asked = await _run(sessions, lambda r: actions.list_actions(r, ANNA, view.team_id, now))
    assert [(a.id, a.proposed_owner_id) for a in asked] == [(action_id, ANNA.id)]
    with pytest.raises(PermissionsError):  # asked is not yet owner: no status of hers
        await _run(sessions, lambda r: actions.update_status(r, ANNA, action_id, Status.DONE,
                                                             None, now))
    with pytest.raises(PermissionsError):  # Bob was not asked
        await _run(sessions, lambda r: actions.respond(r, BOB, action_id, True, now))
    view = await _run(sessions, lambda r: actions.respond(r, ANNA, action_id, True, now))
    assert (view.owner, view.owner_id, view.proposed_owner) == ("Anna", ANNA.id, None)
    with pytest.raises(PermissionsError):  # a second tap changes nothing
        await _run(sessions, lambda r: actions.respond(r, ANNA, action_id, False, now))
    board = await _run(sessions, lambda r: actions.list_actions(r, ANNA, view.team_id, now))
    assert [a.id for a in board] == [action_id]


async def test_a_declined_action_stays_with_the_manager(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    action_id = await _action(sessions, clock)
    now = clock.now()
    await _run(sessions, lambda r: actions.assign(r, MANON, action_id, BOB.id, now))
    view = await _run(sessions, lambda r: actions.respond(r, BOB, action_id, False, now))
    assert (view.owner_id, view.proposed_owner) == (MANON.id, None)
    full = await _run(sessions, lambda r: actions.show(r, MANON, action_id, now))
    assert [(e.who, e.kind) for e in full.history] == [("Manon", "assigned"), ("Bob", "declined")]


async def test_stuck_asks_for_a_note_kept_in_the_history(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    action_id = await _action(sessions, clock)
    now = clock.now()
    await _run(sessions, lambda r: actions.assign(r, MANON, action_id, ANNA.id, now))
    await _run(sessions, lambda r: actions.respond(r, ANNA, action_id, True, now))
    view = await _run(sessions, lambda r: actions.update_status(
        r, ANNA, action_id, Status.STUCK, None, now))
    assert view.status is Status.STUCK
    position = await _run(sessions, lambda r: positions.expected(r, ANNA.id))
    assert isinstance(position, positions.ActionNote)
    await _run(sessions, lambda r: actions.add_note(r, ANNA, position.event_id, "No budget "))
    full = await _run(sessions, lambda r: actions.show(r, MANON, action_id, now))
    assert (full.history[-1].kind, full.history[-1].note) == ("stuck", "No budget")
    assert await _run(sessions, lambda r: positions.expected(r, ANNA.id)) is None


@pytest.mark.parametrize("actor", [BOB, OTTO])  # a member who does not own it, a stranger
async def test_everyone_else_is_refused_and_nothing_changes(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock, actor: Actor,
) -> None:
    action_id = await _action(sessions, clock)
    now = clock.now()
    for attempt in (
        lambda r: actions.update_status(r, actor, action_id, Status.DONE, None, now),
        lambda r: actions.assign(r, actor, action_id, actor.id, now),
        lambda r: actions.change_due(r, actor, action_id, date(2030, 1, 1), now),
        lambda r: actions.members(r, actor, action_id),
        lambda r: actions.show(r, actor, action_id, now),
        lambda r: actions.update_status(r, actor, 424242, Status.DONE, None, now),
    ):
        with pytest.raises(PermissionsError):
            await _run(sessions, attempt)
    with pytest.raises(PermissionsError):  # a stranger sees no board
        await _run(sessions, lambda r: actions.list_actions(r, OTTO, 1, now))
    with pytest.raises(PermissionsError):  # an owner-to-be may not be someone outside the team
        await _run(sessions, lambda r: actions.assign(r, MANON, action_id, OTTO.id, now))
    async with sessions() as session:
        row = await session.get(ImprovementAction, action_id)
        assert row is not None and (row.status, row.owner_id) == ("open", MANON.id)
        assert (await session.scalars(select(ActionEvent))).all() == []
    team_id = row.team_id
    with pytest.raises(PermissionsError):  # a member who owns nothing sees no board either
        await _run(sessions, lambda r: actions.list_actions(r, BOB, team_id, now))


async def test_deleteme_of_an_owner_keeps_no_name_or_id(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    action_id = await _action(sessions, clock)
    now = clock.now()
    await _run(sessions, lambda r: actions.assign(r, MANON, action_id, ANNA.id, now))
    await _run(sessions, lambda r: actions.respond(r, ANNA, action_id, True, now))
    await _run(sessions, lambda r: actions.update_status(r, ANNA, action_id, Status.ON_TRACK,
                                                         "going", now))
    await _run(sessions, lambda r: account.forget(r, ANNA.id, now))
    full = await _run(sessions, lambda r: actions.show(r, MANON, action_id, now))
    assert (full.owner, full.owner_id) == ("", None)
    assert all(e.who != "Anna" for e in full.history)
    assert full.history[-1].kind == "owner_left"
    async with sessions() as session:
        ids = (await session.scalars(select(ActionEvent.actor_id))).all()
    assert ANNA.id not in ids
    told = await _run(sessions, lambda r: action_checkins.digest(
        r, f"digest:1:20261109:{MANON.id}", MANON.id))  # the managers hear it next Monday
    assert action_checkins.DigestItem("owner_left", "Plan it", "", None) in told[1]
    async with sessions.begin() as session:  # also where check-ins are off: the digest comes
        team = await session.get(Team, 1)
        assert team is not None
        team.checkins = "off"
    await _run(sessions, lambda r: action_checkins.plan(r, now))
    assert (f"digest:1:20261109:{MANON.id}", MANON.id) in await _checkin_rows(sessions)


async def _checkin_rows(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[str, int | None]]:
    async with sessions() as session:
        rows = await session.execute(select(Notification.key, Notification.user_id).where(
            Notification.kind.in_(("checkin", "digest"))).order_by(Notification.key))
        return [(key, user_id) for key, user_id in rows]


async def test_check_ins_are_planned_once_for_accepted_owners_and_off_means_none(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    action_id = await _action(sessions, clock)
    now = clock.now()  # Monday 2 November 2026
    await _run(sessions, lambda r: actions.assign(r, MANON, action_id, ANNA.id, now))
    assert [k for k, _ in await _checkin_rows(sessions) if k.startswith("checkin")] == []
    await _run(sessions, lambda r: actions.respond(r, ANNA, action_id, True, now))
    later = now + timedelta(days=10)
    await _run(sessions, lambda r: action_checkins.plan(r, later))
    planned = await _checkin_rows(sessions)
    await _run(sessions, lambda r: action_checkins.plan(r, later))  # twice: nothing new
    assert await _checkin_rows(sessions) == planned
    assert (f"checkin:{action_id}:20261116", ANNA.id) in planned
    assert (f"digest:1:20261116:{MANON.id}", MANON.id) in planned  # the managers' Monday
    assert all(user != ANNA.id for key, user in planned if key.startswith("digest"))

    async with sessions.begin() as session:
        team = await session.get(Team, 1)
        assert team is not None
        team.checkins = "off"
    monday = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    assert await _run(sessions, lambda r: action_checkins.checkin(
        r, f"checkin:{action_id}:20261116", ANNA.id, monday)) is None


async def test_the_digest_names_a_stuck_action_with_its_note_in_one_week_only(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    action_id = await _action(sessions, clock)
    now = clock.now()  # Monday 2 November 2026, 10:00 in Amsterdam
    await _run(sessions, lambda r: actions.update_status(r, MANON, action_id, Status.STUCK,
                                                         "No room", now))
    this_week = await _run(sessions, lambda r: action_checkins.digest(
        r, f"digest:1:20261109:{MANON.id}", MANON.id))
    assert this_week == ("Care", [action_checkins.DigestItem("stuck", "Plan it", "Manon",
                                                             "No room")])
    next_week = await _run(sessions, lambda r: action_checkins.digest(
        r, f"digest:1:20261116:{MANON.id}", MANON.id))
    assert next_week == ("Care", [])
    not_a_manager = await _run(sessions, lambda r: action_checkins.digest(
        r, f"digest:1:20261109:{ANNA.id}", ANNA.id))
    assert not_a_manager == ("", [])


async def test_an_action_offers_the_catalogs_next_step_from_the_agreed_level(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock,
) -> None:
    action_id = await _action(sessions, clock)
    now = clock.now()
    async with sessions.begin() as session:
        repo = Repository(session)
        row = await session.get(ImprovementAction, action_id)
        assert row is not None and row.cycle_id is not None
        cycle = await cycles.close_cycle(repo, row.cycle_id, now)
        assert cycle is not None
        element = load_model(cycle.model_id).elements["8.4"]
        before = await improvement.default_what(repo, cycle, element, "nl")
        await agreements.record_agreed(repo, MANON.id, cycle.id, "8.4", 2, "lists", now)
        after = await improvement.default_what(repo, cycle, element, "nl")
    assert before == element.title("nl")  # nothing agreed yet: the topic's title
    assert after == element.next_step(2, "nl") and after != before
