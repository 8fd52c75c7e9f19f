"""Every button the bot sends, in one registry: one frozen dataclass per verb, typed fields.

A button names exactly what it acts on, so a tap needs no memory of earlier steps: any process,
after any restart, can handle it. `parse` gives back the very payload that `encode` wrote, or None
for anything we did not issue in that shape (forged, truncated, from an old version): the handler
then answers "that button isn't valid" and changes nothing. Every payload stays within Telegram's
64 bytes (`tests/conversations/test_callbacks.py` checks the largest value of every verb).

Adding a verb (e.g. a participant's "show an example"):

    class Example(Button):
        PREFIX: ClassVar[str] = "x"      # unique; a manager verb is "g:<two letters>"
        cycle_id: Id                     # each field's type says how it is written and read
        index: Index

then `callbacks.Example(cycle_id, index).encode()` on the button. A handler takes a group of
verbs, declared once as a union with its `Verbs` (`SURVEY`, `JOINING`, `MEETING` below; a
manager flow's group is built by `managing.buttons` from its steps): `group.pattern` routes the
tap, `group.read(data)` gives the typed payload or None. A field type is an `Annotated`
with a `Codec` (its pattern, how to read and write it); reuse the ones below or add one. Last
fields may be optional (`index: Index | None = None`): left off while at their default. A
manager verb's step goes into its flow's `managing.buttons({...})` mapping. The machinery (the
registry, strict parsing) is `conversations.payloads`.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from bot.services.joining import LANGUAGES, STAKEHOLDER_GROUPS
from conversations.payloads import (
    MAX_BYTES,
    Button,
    Codec,
    Verbs,
    parse,
    pattern_for,
    registered,
    word,
)
from domain.scoring import DONT_KNOW

__all__ = ["MAX_BYTES", "Button", "Codec", "Verbs", "parse", "pattern_for", "registered"]

Id = Annotated[int, Codec(r"\d{1,9}", int)]
"""A database id: a team, cycle, membership or action."""
Index = Annotated[int, Codec(r"\d{1,3}", int)]
"""An element's position in a survey."""
Level = Annotated[int | None, Codec(
    r"[0-5?]", lambda t: DONT_KNOW if t == "?" else int(t) or None,
    lambda v: "?" if v == DONT_KNOW else str(v or 0))]
"""An answer: 1-5, None (written 0) for "not applicable", or `DONT_KNOW` (written ?)."""
TargetLevel = Annotated[int, Codec(r"[1-5]", int)]
Days = Annotated[int, Codec(r"\d{1,3}", int)]
Token = Annotated[str, Codec(r"[A-Za-z0-9_-]{8,40}", str)]
Code = Annotated[str, Codec(r"[0-9A-Za-z.]{1,8}", str)]
"""A chapter, element or scope id from the catalog (checked against the model by the handler)."""
Option = Annotated[str, Codec(r"[A-Za-z0-9.-]{1,20}", str)]
"""A settings choice such as `model-2009` (checked by the service)."""
Language = Annotated[str, word(*LANGUAGES)]
Group = Annotated[str, word(*STAKEHOLDER_GROUPS)]
Switch = Annotated[bool, Codec("on|off", lambda t: t == "on", lambda v: "on" if v else "off")]
YesNo = Annotated[bool, Codec("yes|no", lambda t: t == "yes", lambda v: "yes" if v else "no")]


# --- a participant answering ----------------------------------------------------------------
class Answer(Button):
    PREFIX: ClassVar[str] = "a"
    cycle_id: Id
    index: Index
    level: Level


class View(Button):
    PREFIX: ClassVar[str] = "v"
    cycle_id: Id
    index: Index


class Pause(Button):
    PREFIX: ClassVar[str] = "p"
    cycle_id: Id


class Resume(Button):
    PREFIX: ClassVar[str] = "r"
    cycle_id: Id


class Remark(Button):
    PREFIX: ClassVar[str] = "m"
    cycle_id: Id
    chapter_id: Code


class Continue(Button):
    PREFIX: ClassVar[str] = "k"
    cycle_id: Id


class Confirm(Button):
    PREFIX: ClassVar[str] = "c"
    cycle_id: Id


class Overview(Button):
    """One page of the summary's list of topics."""

    PREFIX: ClassVar[str] = "o"
    cycle_id: Id
    page: Index


class AddExample(Button):
    """Write the one-line example behind the level of topic `index`."""

    PREFIX: ClassVar[str] = "x"
    cycle_id: Id
    index: Index


class ReviewView(Button):
    """Open topic `index` from the summary, to change its answer."""

    PREFIX: ClassVar[str] = "rv"
    cycle_id: Id
    index: Index


class ReviewAnswer(Button):
    """An answer given while changing it from the summary: it leads back to the summary."""

    PREFIX: ClassVar[str] = "ra"
    cycle_id: Id
    index: Index
    level: Level


class Signs(Button):
    """Show what you would notice at each level of topic `index` ("waar zie je het aan?")."""

    PREFIX: ClassVar[str] = "s"
    cycle_id: Id
    index: Index


class ReviewPause(Button):
    """Pause while changing topic `index`: continuing returns to it."""

    PREFIX: ClassVar[str] = "rp"
    cycle_id: Id
    index: Index


SurveyButton = (Answer | View | Pause | Resume | Remark | Continue | Confirm | Overview
                | AddExample | ReviewView | ReviewAnswer | ReviewPause | Signs)
SURVEY: Verbs[SurveyButton] = Verbs.of(SurveyButton)
"""The survey's verbs, routed to `conversations.participant.survey` (its pattern and reader)."""


# --- joining and the person's own account ------------------------------------------------------
class Consent(Button):
    PREFIX: ClassVar[str] = "jc"
    token: Token


class Decline(Button):
    PREFIX: ClassVar[str] = "jx"
    token: Token


class JoinLanguage(Button):
    PREFIX: ClassVar[str] = "jl"
    token: Token
    language: Language


class JoinGroup(Button):
    PREFIX: ClassVar[str] = "jg"
    token: Token
    group: Group


JoinButton = Consent | Decline | JoinLanguage | JoinGroup
JOINING: Verbs[JoinButton] = Verbs.of(JoinButton)


class ChooseLanguage(Button):
    PREFIX: ClassVar[str] = "l"
    language: Language


class Forget(Button):
    PREFIX: ClassVar[str] = "f"
    confirmed: YesNo


# --- a manager: `g:<verb>:<team, cycle, membership or action id>[:<choice>…]` -----------------
class Invite(Button):
    PREFIX: ClassVar[str] = "g:iv"
    team_id: Id


class InviteGroup(Button):
    PREFIX: ClassVar[str] = "g:ig"
    team_id: Id
    group: Group


class RevokeInvites(Button):
    PREFIX: ClassVar[str] = "g:ix"
    team_id: Id


class NewSurvey(Button):
    PREFIX: ClassVar[str] = "g:sv"
    team_id: Id


class SurveyScope(Button):
    PREFIX: ClassVar[str] = "g:ss"
    team_id: Id
    scope_id: Code


class SurveyDeadline(Button):
    PREFIX: ClassVar[str] = "g:sd"
    team_id: Id
    scope_id: Code
    days: Days


class OpenSurvey(Button):
    PREFIX: ClassVar[str] = "g:so"
    team_id: Id
    scope_id: Code
    days: Days


class Status(Button):
    PREFIX: ClassVar[str] = "g:st"
    team_id: Id


class RemindNow(Button):
    PREFIX: ClassVar[str] = "g:sr"
    cycle_id: Id


class AskClose(Button):
    PREFIX: ClassVar[str] = "g:sc"
    team_id: Id


class CloseNow(Button):
    PREFIX: ClassVar[str] = "g:sy"
    cycle_id: Id


class Members(Button):
    PREFIX: ClassVar[str] = "g:mb"
    team_id: Id


class Member(Button):
    PREFIX: ClassVar[str] = "g:mp"
    membership_id: Id


class SetManager(Button):
    PREFIX: ClassVar[str] = "g:mm"
    membership_id: Id
    manager: Switch


class RemoveMember(Button):
    PREFIX: ClassVar[str] = "g:mr"
    membership_id: Id


class TeamSettings(Button):
    PREFIX: ClassVar[str] = "g:ts"
    team_id: Id


class ChangeSetting(Button):
    PREFIX: ClassVar[str] = "g:tx"
    team_id: Id
    choice: Option


class Targets(Button):
    PREFIX: ClassVar[str] = "g:tg"
    team_id: Id


class TargetChapter(Button):
    PREFIX: ClassVar[str] = "g:tc"
    team_id: Id
    chapter_id: Code


class SetTarget(Button):
    PREFIX: ClassVar[str] = "g:tt"
    team_id: Id
    chapter_id: Code
    level: TargetLevel


class Actions(Button):
    PREFIX: ClassVar[str] = "g:ac"
    team_id: Id


class NewAction(Button):
    PREFIX: ClassVar[str] = "g:an"
    cycle_id: Id
    element_id: Code


class ActionDone(Button):
    PREFIX: ClassVar[str] = "g:ad"
    action_id: Id


class Report(Button):
    PREFIX: ClassVar[str] = "g:rp"
    team_id: Id


class ExportLatest(Button):
    PREFIX: ClassVar[str] = "g:re"
    team_id: Id


class Document(Button):
    PREFIX: ClassVar[str] = "g:rd"
    cycle_id: Id


class ExportCycle(Button):
    PREFIX: ClassVar[str] = "g:rx"
    cycle_id: Id


class ExportAllCycles(Button):
    """Every closed cycle of the edition up to this one as CSV, one row per cycle and topic."""

    PREFIX: ClassVar[str] = "g:ra"
    cycle_id: Id


class OrgReport(Button):
    """The organisation report of one organisation cycle (admins, and managers of its teams)."""

    PREFIX: ClassVar[str] = "g:or"
    organisation_cycle_id: Id


class OrgDocument(Button):
    """The organisation report as a web page."""

    PREFIX: ClassVar[str] = "g:ow"
    organisation_cycle_id: Id


class OrgExport(Button):
    """The organisation report's shown cells as CSV."""

    PREFIX: ClassVar[str] = "g:oq"
    organisation_cycle_id: Id


# --- an organisation admin: `g:o<verb>:<organisation or organisation cycle id>[:…]` ----------
UserId = Annotated[int, Codec(r"\d{1,16}", int)]
"""A Telegram user id (up to 52 bits): a member offered as a new admin, a meeting's voter."""
Leftout = Annotated[int, Codec(r"\d{1,16}", int)]
"""The teams left out of an organisation survey: bit i is the organisation's i-th team by id
(the first 50 teams can be left out; 0 is all teams)."""


class OrgOverview(Button):
    PREFIX: ClassVar[str] = "g:oo"
    organisation_id: Id


class OrgSurvey(Button):
    """Which teams take part (a tap on a team toggles it)."""

    PREFIX: ClassVar[str] = "g:os"
    organisation_id: Id
    leftout: Leftout = 0


class OrgTeamsChosen(Button):
    PREFIX: ClassVar[str] = "g:oe"
    organisation_id: Id
    leftout: Leftout


class OrgScope(Button):
    PREFIX: ClassVar[str] = "g:oc"
    organisation_id: Id
    leftout: Leftout
    scope_id: Code


class OrgDeadline(Button):
    PREFIX: ClassVar[str] = "g:od"
    organisation_id: Id
    leftout: Leftout
    scope_id: Code
    days: Days


class OrgOpen(Button):
    PREFIX: ClassVar[str] = "g:oy"
    organisation_id: Id
    leftout: Leftout
    scope_id: Code
    days: Days


class OrgStatus(Button):
    PREFIX: ClassVar[str] = "g:ot"
    organisation_cycle_id: Id


class OrgAskClose(Button):
    PREFIX: ClassVar[str] = "g:ox"
    organisation_cycle_id: Id


class OrgCloseNow(Button):
    PREFIX: ClassVar[str] = "g:oz"
    organisation_cycle_id: Id


class OrgNewTeam(Button):
    PREFIX: ClassVar[str] = "g:on"
    organisation_id: Id


class OrgMoveList(Button):
    PREFIX: ClassVar[str] = "g:om"
    organisation_id: Id


class OrgMove(Button):
    PREFIX: ClassVar[str] = "g:ov"
    organisation_id: Id
    team_id: Id


class OrgAdmins(Button):
    PREFIX: ClassVar[str] = "g:oa"
    organisation_id: Id


class OrgAddAdmin(Button):
    PREFIX: ClassVar[str] = "g:ob"
    organisation_id: Id
    user_id: UserId


class OrgAdminLink(Button):
    """A one-time "become admin of …" link, for someone outside the teams."""

    PREFIX: ClassVar[str] = "g:oi"
    organisation_id: Id


class OrgTeamManager(Button):
    """The first manager of a team an admin created: a person she knows, or herself."""

    PREFIX: ClassVar[str] = "g:ok"
    team_id: Id
    user_id: UserId


class OrgManagerLink(Button):
    """A one-time "become the manager of …" link for the team."""

    PREFIX: ClassVar[str] = "g:oj"
    team_id: Id


OrgRhythmChoice = Annotated[str, word("off", "quarterly", "half-yearly", "yearly")]


class OrgRhythm(Button):
    PREFIX: ClassVar[str] = "g:ol"
    organisation_id: Id


class OrgSetRhythm(Button):
    PREFIX: ClassVar[str] = "g:op"
    organisation_id: Id
    rhythm: OrgRhythmChoice


class OrgNextDate(Button):
    """Type the date of the next organisation survey."""

    PREFIX: ClassVar[str] = "g:ou"
    organisation_id: Id


class OrgTargets(Button):
    PREFIX: ClassVar[str] = "g:og"
    organisation_id: Id


class OrgTargetChapter(Button):
    PREFIX: ClassVar[str] = "g:oh"
    organisation_id: Id
    chapter_id: Code


class OrgSetTarget(Button):
    """A chapter's target, 1-5, or 0: none."""

    PREFIX: ClassVar[str] = "g:of"
    organisation_id: Id
    chapter_id: Code
    level: Annotated[int, Codec(r"[0-5]", int)]


# --- the management-team meeting in the team's group: `mt:<verb>:<meeting id>:…` -------------
# Voting is for any member of the linked team, every other verb for its managers; the service
# checks both against the group the tap came from (the meeting id only has to match it).
MeetingStep = Annotated[str, word("next", "back", "later", "skip")]


class MeetingVote(Button):
    PREFIX: ClassVar[str] = "mt:v"
    meeting_id: Id
    element_id: Code
    level: TargetLevel


class MeetingReveal(Button):
    PREFIX: ClassVar[str] = "mt:r"
    meeting_id: Id
    element_id: Code


class MeetingAgree(Button):
    PREFIX: ClassVar[str] = "mt:a"
    meeting_id: Id
    element_id: Code
    level: TargetLevel


class MeetingGo(Button):
    """Next, back, later (to the end of the agenda) or skip (off the agenda)."""

    PREFIX: ClassVar[str] = "mt:g"
    meeting_id: Id
    element_id: Code
    step: MeetingStep


class MeetingPause(Button):
    PREFIX: ClassVar[str] = "mt:p"
    meeting_id: Id


class MeetingResume(Button):
    PREFIX: ClassVar[str] = "mt:u"
    meeting_id: Id


class MeetingFinish(Button):
    PREFIX: ClassVar[str] = "mt:f"
    meeting_id: Id


class MeetingAction(Button):
    """➕ Action: the chair's reply says what is to be done."""

    PREFIX: ClassVar[str] = "mt:c"
    meeting_id: Id
    element_id: Code


class MeetingOwner(Button):
    PREFIX: ClassVar[str] = "mt:o"
    meeting_id: Id
    action_id: Id
    user_id: UserId


class MeetingDue(Button):
    PREFIX: ClassVar[str] = "mt:d"
    meeting_id: Id
    action_id: Id
    days: Days


MeetingButton = (MeetingVote | MeetingReveal | MeetingAgree | MeetingGo | MeetingPause
                 | MeetingResume | MeetingFinish | MeetingAction | MeetingOwner | MeetingDue)
MEETING: Verbs[MeetingButton] = Verbs.of(MeetingButton)


class StartMeeting(Button):
    """From the private /report: start or resume the meeting in the team's linked group."""

    PREFIX: ClassVar[str] = "g:mt"
    team_id: Id


# --- the team's Telegram group (the chat comes from the tapped message, never from here) -------
class OfferGroupLink(Button):
    """In /settings (private): the `startgroup` deep link that links the team's group."""

    PREFIX: ClassVar[str] = "g:lg"
    team_id: Id


class LinkTeam(Button):
    """In a group, after /link by someone who manages several teams: link this one here."""

    PREFIX: ClassVar[str] = "g:lt"
    team_id: Id


class GroupLanguage(Button):
    """In a linked group, after /language: the language the bot speaks there."""

    PREFIX: ClassVar[str] = "g:ll"
    language: Language


# --- improvement actions (bot.services.actions) ---------------------------------------------
ActionState = Annotated[str, word("open", "on_track", "stuck", "done", "dropped")]
"""An action's status (`bot.services.actions.Status`)."""


class ActionBoard(Button):
    """`/actions` of one team: a manager's whole board, an owner's own actions."""

    PREFIX: ClassVar[str] = "g:ab"
    team_id: Id


class ActionOpen(Button):
    """One action: its history and what the viewer may change."""

    PREFIX: ClassVar[str] = "g:ao"
    action_id: Id


class ActionStatus(Button):
    """A new status, by the owner (also from a check-in) or a manager."""

    PREFIX: ClassVar[str] = "g:as"
    action_id: Id
    status: ActionState


class ActionAnswer(Button):
    """The asked member's one tap: own it, or not."""

    PREFIX: ClassVar[str] = "g:aa"
    action_id: Id
    accept: YesNo


class ActionOwners(Button):
    """A manager's "change owner": the team's active members as buttons."""

    PREFIX: ClassVar[str] = "g:aw"
    action_id: Id


class ActionAssign(Button):
    PREFIX: ClassVar[str] = "g:ay"
    action_id: Id
    user_id: UserId


class ActionDue(Button):
    """A manager's "due date": so many days from today."""

    PREFIX: ClassVar[str] = "g:au"
    action_id: Id
    days: Days


class OrgActions(Button):
    """`/orgactions` of one organisation."""

    PREFIX: ClassVar[str] = "g:ax"
    organisation_id: Id


class MeetingReview(Button):
    """At the meeting's start, the chair's decision on one open action: done, extend, drop or
    keep (`bot.services.action_review`)."""

    PREFIX: ClassVar[str] = "mt:av"
    meeting_id: Id
    action_id: Id
    choice: Annotated[str, word("done", "extend", "drop", "keep")]
