"""The screens of the action notices the outbox sends: the question to own an action, the
owner's check-in and the managers' weekly digest (`bot.services.actions`, `action_checkins`).

Composed when sent, from what is true then; an empty list means "no longer makes sense" (the
action was answered, finished, reassigned; check-ins switched off; the owner away; nothing
happened this week).
"""

from __future__ import annotations

from datetime import datetime

from bot.db.models import ImprovementAction, Notification
from bot.db.repositories import Repository
from bot.services import action_checkins, action_review
from bot.services.outbox import Kind
from bot.telegram.keyboards import Screen, keyboard
from bot.telegram.runtime import Runtime
from domain.catalog import load_model

KINDS = (Kind.ACTION_ASK, Kind.CHECKIN, Kind.DIGEST, Kind.WE_DID)
DIGEST_ICONS = {"stuck": "🧱", "done": "✅", "dropped": "🗑", "owner_left": "👋", "overdue": "⏰"}


async def compose(
    repo: Repository, runtime: Runtime, row: Notification, language: str, now: datetime
) -> list[Screen]:
    assert row.user_id is not None
    texts, made = runtime.texts, runtime.buttons
    w = texts.words(language, "action_words")
    kind = Kind(row.kind)
    if kind is Kind.ACTION_ASK:
        action = await repo.session.get(ImprovementAction, int(row.key.split(":")[1]))
        team = await repo.team(action.team_id) if action is not None else None
        if action is None or team is None or action.proposed_owner_id != row.user_id:
            return []
        return [Screen(texts.render(
            language, "action_ask", team=team.name, what=action.what,
            element_id=action.element_id, due_on=action.due_on), keyboard([[
                (w.accept, made.action_answer(action.id, True)),
                (w.decline, made.action_answer(action.id, False))]]))]
    if kind is Kind.CHECKIN:
        notice = await action_checkins.checkin(repo, row.key, row.user_id, now)
        if notice is None:
            return []
        return [Screen(texts.render(
            language, "action_checkin", what=notice.what, team=notice.team,
            due_on=notice.due_on, moment=notice.moment), keyboard([
                [(w.set_status[s], made.action_status(notice.action_id, s))
                 for s in ("on_track", "stuck")],
                [(w.set_status[s], made.action_status(notice.action_id, s))
                 for s in ("done", "dropped")]]))]
    if kind is Kind.WE_DID:
        told = await action_review.we_did(repo, row.cycle_id or 0, row.user_id)
        if told is None or not (told.agreed or told.actions):
            return []
        elements = load_model(told.model_id).elements
        return [Screen(texts.render(
            language, "you_said_we_did", team=told.team, w=w,
            agreed=[(e, elements[e].title(language) if e in elements else "", level)
                    for e, level in told.agreed], actions=told.actions))]
    team_name, items = await action_checkins.digest(repo, row.key, row.user_id)
    if not items:
        return []
    return [Screen(texts.render(language, "action_digest", team=team_name, items=items, w=w,
                                icons=DIGEST_ICONS, labels=w.event))]
