"""The meeting's one message: text and buttons for what `services.meeting_view` read.

Who may tap what is the service's business (members vote, managers steer); the buttons are the
same for everyone in the group, because everyone sees the same message. Votes show as a count
only until the chair reveals them.
"""

from __future__ import annotations

import html

from bot.rendering.texts import Texts
from bot.services.meeting import DUE_DAYS
from bot.services.meeting_view import MeetingView
from conversations import callbacks
from conversations.screens import Row, Screen, keyboard
from domain.catalog import LEVELS
from domain.meeting import Phase


def meeting(texts: Texts, view: MeetingView) -> Screen:
    language = view.language
    w = texts.words(language, "meeting_words")
    text = texts.render(language, "meeting", view=view)
    state, element = view.state, view.element
    assert element is not None
    m, e = view.meeting_id, element.id
    if state.paused:
        return Screen(text, keyboard([[(w.resume, callbacks.MeetingResume(m))]]))
    rows: list[Row] = []
    if state.phase is Phase.VOTING:
        rows.append([(str(n), callbacks.MeetingVote(m, e, n)) for n in LEVELS])
        rows.append([(w.reveal, callbacks.MeetingReveal(m, e))])
    else:
        chosen = view.agreed.level if view.agreed else None
        rows.append([(("✓ " if chosen == n else "") + str(w.agree(n)),
                      callbacks.MeetingAgree(m, e, n)) for n in LEVELS])
    if state.phase is Phase.AGREED:
        if view.action is None:
            rows.append([(w.action, callbacks.MeetingAction(m, e))])
        else:
            action = view.action
            rows.append([(html.unescape(str(w.owner(name, user_id == action.owner_id))),
                          callbacks.MeetingOwner(m, action.id, user_id))
                         for user_id, name in view.owners[:4]])
            rows.append([(str(w.due(days, False)),
                          callbacks.MeetingDue(m, action.id, days)) for days in DUE_DAYS])
    onward = ((w.finish, callbacks.MeetingFinish(m)) if state.is_last
              else (w.next, callbacks.MeetingGo(m, e, "next")))
    navigation: Row = [onward]
    if state.position > 0:
        navigation.insert(0, (w.back, callbacks.MeetingGo(m, e, "back")))
    rows.append(navigation)
    more: Row = [(w.later, callbacks.MeetingGo(m, e, "later"))]
    if len(state.agenda) > 1:
        more.append((w.skip, callbacks.MeetingGo(m, e, "skip")))
    more.append((w.pause, callbacks.MeetingPause(m)))
    if not state.is_last:
        more.append((w.finish, callbacks.MeetingFinish(m)))
    rows.append(more)
    return Screen(text, keyboard(rows))


def summary(texts: Texts, view: MeetingView) -> str:
    agreed = [(view.model.elements[e], view.all_agreed[e]) for e in view.state.agenda
              if e in view.all_agreed]
    agreed += [(view.model.elements[e], a) for e, a in view.all_agreed.items()
               if e not in view.state.agenda]
    open_count = sum(1 for e in view.state.agenda if e not in view.all_agreed)
    return texts.render(view.language, "meeting_summary", view=view, agreed=agreed,
                        open_count=open_count)
