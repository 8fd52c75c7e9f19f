"""What a person of each language reads and taps while answering, and answering every topic one
tap each, waiting for each topic to show: stories that are told in Dutch and in English."""

from __future__ import annotations

from dataclasses import dataclass

from bot.emulator import BotMessage, SimulatedPerson
from tests.support.journeys import answer_survey


@dataclass(frozen=True)
class Words:
    """What a person of each language reads and taps."""

    language_button: str
    start: str
    topic: str  # "topic {} of {}"
    all_answered: str  # "all {} topics answered"
    changing: str
    pause: str
    paused_changing: str  # "Paused while changing topic {} of {}"
    resume: str
    next_page: str
    part: str  # "part {} of {}"
    confirm: str
    instruction: str


WORDS = {
    "nl": Words("Nederlands", "Beginnen", "onderwerp {} van {}", "alle {} onderwerpen beantwoord",
                "Je wijzigt een antwoord", "Pauze",
                "Gepauzeerd bij het wijzigen van onderwerp {} van {}", "Verder", "Volgende",
                "deel {} van {}", "bevestigen", "Zo kies je een niveau"),
    "en": Words("English", "Start", "topic {} of {}", "all {} topics answered",
                "You are changing an answer", "Pause", "Paused while changing topic {} of {}",
                "Continue", "Next", "part {} of {}", "Confirm", "How to choose a level"),
}


async def answer_everything(
    person: SimulatedPerson, words: Words, total: int, level: int
) -> BotMessage:
    """One tap per topic: each tap shows the next topic straight away (no example or remark
    prompt stands in between); returns the summary."""
    await answer_survey(person, [level] * total, start=None, confirm=None,
                        topic=words.topic.format("{}", total))
    return await person.wait_for(lambda m: words.all_answered.format(total) in m.text)
