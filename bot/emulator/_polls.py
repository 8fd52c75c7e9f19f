"""Polls as Telegram runs them: `sendPoll`, `stopPoll`, and `poll` / `poll_answer` updates.

Telegram tells the bot about votes on its own polls only: a `poll` update with the new counts
after each vote, and, for a poll that is not anonymous, a `poll_answer` naming the voter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.emulator import _methods
from bot.emulator._model import bad_request

if TYPE_CHECKING:
    from bot.emulator._people import SimulatedPerson
    from bot.emulator._server import BotApiEmulator

QUESTION_LIMIT, OPTION_LIMIT, MAX_OPTIONS = 300, 100, 12  # Bot API 10: 1-12 options


@dataclass
class EmulatedPoll:
    id: str
    chat_id: int
    message_id: int
    question: str
    options: list[str]
    is_anonymous: bool
    allows_multiple_answers: bool
    is_closed: bool = False
    votes: dict[int, list[int]] = field(default_factory=dict)

    def json(self) -> dict[str, Any]:
        counts = [sum(i in chosen for chosen in self.votes.values())
                  for i in range(len(self.options))]
        return {
            "id": self.id, "question": self.question, "total_voter_count": len(self.votes),
            "options": [{"text": text, "voter_count": count, "persistent_id": str(i)}
                        for i, (text, count) in enumerate(zip(self.options, counts, strict=True))],
            "is_closed": self.is_closed, "is_anonymous": self.is_anonymous, "type": "regular",
            "allows_multiple_answers": self.allows_multiple_answers,
            "allows_revoting": True, "members_only": False}


async def send_poll(api: BotApiEmulator, params: _methods.Params) -> Any:
    chat_id = _methods._sending_chat(api, params)
    question = str(params.get("question") or "")
    if not question.strip():
        raise bad_request("poll question must be non-empty")
    if len(question) > QUESTION_LIMIT:
        raise bad_request(f"poll question length must not exceed {QUESTION_LIMIT}")
    raw = params.get("options")
    if not isinstance(raw, list) or not raw:
        raise bad_request("poll must have at least 1 option")
    if len(raw) > MAX_OPTIONS:
        raise bad_request(f"poll can't have more than {MAX_OPTIONS} options")
    options = [str(o.get("text", "") if isinstance(o, dict) else o) for o in raw]
    if any(not text.strip() for text in options):
        raise bad_request("poll options must be non-empty")
    if any(len(text) > OPTION_LIMIT for text in options):
        raise bad_request(f"poll options length must not exceed {OPTION_LIMIT}")
    stored = api.new_message(chat_id, from_bot=True)
    poll = EmulatedPoll(f"poll-{chat_id}-{stored.message_id}", chat_id, stored.message_id,
                        question, options,
                        str(params.get("is_anonymous", True)).lower() != "false",
                        str(params.get("allows_multiple_answers")).lower() == "true")
    api.polls[poll.id] = poll
    stored.text = stored.html = question
    stored.extra["poll"] = poll.json()
    return await _methods._deliver(api, stored)


async def stop_poll(api: BotApiEmulator, params: _methods.Params) -> Any:
    """Close the bot's poll in a chat; its final counts are the answer."""
    chat_id = _methods._chat(api, params)
    message_id = _methods._int(params, "message_id")
    poll = next((p for p in api.polls.values()
                 if p.chat_id == chat_id and p.message_id == message_id), None)
    if poll is None:
        raise bad_request("message with poll to stop not found")
    if poll.is_closed:
        raise bad_request("poll has already been closed")
    poll.is_closed = True
    stored = api.stored(chat_id, message_id)
    assert stored is not None
    stored.extra["poll"] = poll.json()
    await _methods._deliver(api, stored)
    return poll.json()


async def vote(person: SimulatedPerson, chat_id: int, option_ids: list[int]) -> None:
    """`person` votes on the bot's newest open poll in `chat_id` (an empty list retracts)."""
    api = person.emulator
    open_polls = [p for p in api.polls.values() if p.chat_id == chat_id and not p.is_closed]
    if not open_polls:
        raise AssertionError(f"no open poll for {person.first_name} to vote on")
    poll = open_polls[-1]
    if len(option_ids) > 1 and not poll.allows_multiple_answers:
        raise AssertionError("this poll takes one answer")
    if option_ids:
        poll.votes[person.user_id] = list(option_ids)
    else:
        poll.votes.pop(person.user_id, None)
    stored = api.stored(chat_id, poll.message_id)
    assert stored is not None
    stored.extra["poll"] = poll.json()
    await api.enqueue({"poll": poll.json()})
    if not poll.is_anonymous:
        await api.enqueue({"poll_answer": {
            "poll_id": poll.id, "user": person.user_json(), "option_ids": list(option_ids),
            "option_persistent_ids": [str(i) for i in option_ids]}})


_methods.register("sendPoll", send_poll)
_methods.register("stopPoll", stop_poll)
