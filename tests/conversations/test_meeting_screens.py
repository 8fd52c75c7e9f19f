"""The meeting's message in every phase, both languages, with figures shown or hidden."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import UTC, date, datetime

import pytest

from bot.rendering.texts import TELEGRAM_TEXT_LIMIT, Texts
from bot.services.agreements import Agreed
from bot.services.meeting_view import ActionView, MeetingView
from conversations.group.meeting_screens import meeting, summary
from domain import meeting as steps
from domain.aggregation import ElementResult
from domain.catalog import load_model
from domain.meeting import Phase

NOW = datetime(2026, 12, 1, 10, tzinfo=UTC)
MODEL = load_model("iso9004-2018")
FIGURES = ElementResult("8.4", "8", 5, 0, 2.2, 1.0, 1.9, (3, 0, 0, 0, 2), 0.03)


def _view(language: str, phase: Phase, paused: bool, shown: bool, agreed: bool,
          action: bool) -> MeetingView:
    state = steps.Meeting(("8.4", "6.2"), 0, phase, NOW, NOW if paused else None)
    made = ActionView(4, "8.4", "Eén <checklist> & meer", "Bram & co", 12, date(2026, 12, 31))
    return MeetingView(
        meeting_id=7, chat_id=-100, message_id=3, team_name="Zorg & <Co>", language=language,
        timezone="Europe/Amsterdam", cycle_id=2, cycle_closed_at=NOW, model=MODEL, state=state,
        element=MODEL.elements["8.4"], team=FIGURES if shown else None,
        managers=FIGURES if shown else None, examples=("Lijstjes <per> ploeg",) if shown else (),
        remarks=(), votes=(1, 0, 2, 0, 1),
        agreed=Agreed("8.4", 2, "Het <hangt> ervan af", NOW) if agreed else None,
        action=made if action else None, asking=None, owners=((11, "Manon"), (12, "Bram & co")),
        all_agreed={"8.4": Agreed("8.4", 2, "reden", NOW)} if agreed else {},
        all_actions=(made,) if action else ())


@pytest.mark.parametrize(("language", "phase", "paused", "shown"), list(itertools.product(
    ("nl", "en"), list(Phase), (False, True), (False, True))))
def test_every_phase_renders_and_hides_the_votes_until_they_are_shown(
    language: str, phase: Phase, paused: bool, shown: bool,
) -> None:
    agreed = phase is Phase.AGREED
    view = _view(language, phase, paused, shown, agreed, agreed)
    screen = meeting(Texts(), view)
    assert len(screen.text) < TELEGRAM_TEXT_LIMIT
    assert "&lt;Co&gt;" in screen.text  # names and texts stay text
    counts = "1: 1 · 2: 0 · 3: 2 · 4: 0 · 5: 1"
    assert (counts in screen.text) is (phase is not Phase.VOTING)
    voted = "4 gestemd" if language == "nl" else "4 voted"
    assert (voted in screen.text) is (phase is Phase.VOTING)
    assert ("1: 3 · 2: 0 · 3: 0 · 4: 0 · 5: 2" in screen.text) is shown  # the team's answers
    assert ("Lijstjes &lt;per&gt; ploeg" in screen.text) is shown
    assert screen.keyboard is not None
    labels = [b.text for row in screen.keyboard.inline_keyboard for b in row]
    if paused:
        assert len(labels) == 1
    elif phase is Phase.VOTING:
        assert labels[:5] == ["1", "2", "3", "4", "5"]
    if agreed and not paused:
        assert any("Bram & co" in label for label in labels)  # a label is plain text


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_summary_lists_what_was_agreed_and_what_is_still_open(language: str) -> None:
    text = summary(Texts(), _view(language, Phase.AGREED, False, True, True, True))
    assert "8.4" in text and ": <b>2</b> — reden" in text
    assert "Eén &lt;checklist&gt; &amp; meer" in text
    assert ("1 onderwerp op de agenda" if language == "nl" else "1 topic on the agenda") in text


@pytest.mark.parametrize(("language", "heading", "did_not_know"), [
    ("nl", "Om over te praten", "2 wisten het niet: een informatietekort."),
    ("en", "To talk about", "2 did not know: an information gap."),
])
def test_the_topic_brings_its_discussion_questions_and_who_did_not_know(
    language: str, heading: str, did_not_know: str,
) -> None:
    view = _view(language, Phase.VOTING, False, True, False, False)
    unsure = dataclasses.replace(view, team=ElementResult(
        "8.4", "8", 5, 0, 2.2, 1.0, 1.9, (3, 0, 0, 0, 2), 0.03, dont_know=2, information_gap=True))
    text = meeting(Texts(), view).text
    assert heading in text
    assert all(q in text for q in MODEL.elements["8.4"].questions(language))
    assert did_not_know.split(":")[0] not in text  # nobody said "don't know" here
    assert did_not_know in meeting(Texts(), unsure).text
