"""Participants' handlers: decode the update, call `usecases.participation`, draw the outcome."""

from __future__ import annotations

from telegram import CallbackQuery, Message

from bot import screens, texts
from bot.callback_data import BeginSurvey, SubmitBallot, SurveyPress
from bot.door import Caller, Context
from bot.menus import set_menu
from bot.replies import PressReply, reply, respond
from bot.screens import Screen
from bot.texts import Texts
from conversations.engine import Survey
from conversations.errors import (
    AlreadySubmitted,
    Incomplete,
    NoChoiceMade,
    NotExpectingText,
    SuggestionTooLong,
    SurveyError,
    TooManyChoices,
)
from conversations.records import Window
from usecases.access import Role
from usecases.participation import (
    Account,
    Ended,
    NeedsSlip,
    NoDraft,
    NoSuchWindow,
    NoSurvey,
    Participation,
    PressOutcome,
    Refused,
    Shown,
    Submitted,
    TextOutcome,
    TookPart,
    Unchanged,
    Welcome,
)
from usecases.roles import BecameLeader, InviteSpent, NotAnInvite, Roles


def refusal(t: Texts, error: SurveyError) -> PressReply:  # noqa: PLR0911 - one answer per refusal
    """Return the answer to a press or text the form refused."""
    match error:
        case TooManyChoices(limit=limit):
            return PressReply(t.ANSWER_TOO_MANY.format(limit=limit), alert=True)
        case NoChoiceMade():
            return PressReply(t.ANSWER_NONE_CHOSEN, alert=True)
        case Incomplete(question_index=index):
            return PressReply(t.ANSWER_INCOMPLETE.format(number=index + 1), alert=True)
        case AlreadySubmitted():
            return PressReply(t.ANSWER_ALREADY, alert=True)
        case SuggestionTooLong(limit=limit, length=length):
            return PressReply(t.ANSWER_TEXT_TOO_LONG.format(limit=limit, length=length))
        case NotExpectingText():
            return PressReply(t.USE_BUTTONS)
    return PressReply(t.ANSWER_UNKNOWN)


def _ended(t: Texts, window: Window) -> Screen:
    return Screen(t.ENDED_FOR_PARTICIPANT.format(unit=texts.html(window.unit)))


def _needs_slip(t: Texts, window: Window) -> Screen:
    return Screen(t.NEEDS_SLIP.format(unit=texts.html(window.unit)))


class ParticipantHandlers:
    """The participant side of the bot: every method decodes, calls one use case, draws."""

    def __init__(self, participation: Participation, roles: Roles, survey: Survey) -> None:
        self.participation = participation
        self.roles = roles
        self.survey = survey

    async def on_link(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /start <token>: a survey link (welcome, resume, or why not), else an invite."""
        token = context.args[0] if context.args else ""
        outcome = await self.participation.open_link(token, caller.user_id)
        if isinstance(outcome, NoSuchWindow):
            await self._redeem(caller, message, token)
        else:
            await reply(message, self._link_screen(caller.t, outcome))

    async def _redeem(self, caller: Caller, message: Message, token: str) -> None:
        """Take a link that opens no survey as a leader invite."""
        match await self.roles.redeem(token, caller.user_id, caller.name):
            case BecameLeader():
                await set_menu(message.get_bot(), caller.user_id, Role.LEADER)
                await message.reply_text(caller.t.INVITE_ACCEPTED + caller.t.HELP_LEADER)
            case InviteSpent():
                await message.reply_text(caller.t.INVITE_SPENT)
            case NotAnInvite():
                await message.reply_text(caller.t.LINK_INVALID)

    async def on_begin(self, caller: Caller, query: CallbackQuery, action: BeginSurvey) -> None:
        """Handle 开始: start the form."""
        outcome = await self.participation.begin(Account(caller.user_id), action.window_id)
        await respond(query, self._press_reply(caller.t, outcome))

    async def on_press(self, caller: Caller, query: CallbackQuery, action: SurveyPress) -> None:
        """Handle a press on a survey step: apply, save, redraw."""
        outcome = await self.participation.press(Account(caller.user_id), action.window_id, action.press)
        await respond(query, self._press_reply(caller.t, outcome))

    async def on_submit(self, caller: Caller, query: CallbackQuery, action: SubmitBallot) -> None:
        """Handle 提交: store the ballot anonymously and thank."""
        outcome = await self.participation.submit(Account(caller.user_id), action.window_id)
        await respond(query, self._press_reply(caller.t, outcome))

    async def on_cancel(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /cancel: discard every unfinished form of this person."""
        discarded = await self.participation.cancel(caller.user_id)
        await message.reply_text(caller.t.CANCELLED if discarded else caller.t.NOTHING_TO_CANCEL)

    async def on_other(self, caller: Caller, message: Message, context: Context) -> None:
        """Answer stickers, photos and the like with a hint to use the buttons."""
        await message.reply_text(caller.t.USE_BUTTONS)

    async def on_edited(self, caller: Caller, message: Message, context: Context) -> None:
        """Say that editing a sent message changes nothing: a new message does."""
        await message.reply_text(caller.t.EDITED_IGNORED)

    def _step(self, t: Texts, outcome: Shown) -> Screen:
        return step_screen(t, self.survey, outcome)

    def _link_screen(self, t: Texts, outcome: Welcome | Shown | TookPart | Ended | NeedsSlip) -> Screen:
        match outcome:
            case Welcome(window=window):
                return screens.welcome(t, self.survey, window.id, window.unit, window.min_group)
            case Shown():
                current = self._step(t, outcome)
                return Screen(f"{t.RESUMED}\n\n{current.text}", current.rows)
            case TookPart(window=window):
                return Screen(t.ALREADY_TAKEN_PART.format(unit=texts.html(window.unit)))
            case Ended(window=window):
                return _ended(t, window)
            case NeedsSlip(window=window):
                return _needs_slip(t, window)

    def _press_reply(self, t: Texts, outcome: PressOutcome) -> PressReply:
        return press_reply(t, self.survey, outcome)

    def _text_screen(self, t: Texts, outcome: TextOutcome) -> Screen:
        return text_screen(t, self.survey, outcome)


def step_screen(t: Texts, survey: Survey, outcome: Shown) -> Screen:
    """Return the form's screen where the outcome left it (a phone's, or a paper form being keyed)."""
    window = outcome.window
    return screens.step(t, survey, window.id, window.unit, outcome.draft)


def press_reply(t: Texts, survey: Survey, outcome: PressOutcome) -> PressReply:  # noqa: PLR0911 - one per outcome
    """Return how a press on a form is answered and what the message then shows."""
    match outcome:
        case Shown(stale=stale):
            return PressReply(t.ANSWER_STALE if stale else None, screen=step_screen(t, survey, outcome))
        case Unchanged():
            return PressReply(t.ANSWER_SAVED)
        case Submitted(window=window):
            thanks = Screen(t.THANKS.format(unit=texts.html(window.unit)))
            return PressReply(t.ANSWER_SUBMITTED, screen=thanks)
        case Ended(window=window):
            return PressReply(t.ANSWER_ENDED, alert=True, screen=_ended(t, window))
        case NoDraft():
            return PressReply(t.ANSWER_NO_DRAFT, alert=True)
        case Refused(reason=reason):
            return refusal(t, reason)
        case NoSuchWindow():
            return PressReply(t.ANSWER_UNKNOWN)
        case NeedsSlip(window=window):
            return PressReply(screen=_needs_slip(t, window))


def text_screen(t: Texts, survey: Survey, outcome: TextOutcome) -> Screen:
    """Return what a text message sent to a form leads to."""
    match outcome:
        case Shown():
            return step_screen(t, survey, outcome)
        case NoSurvey():
            return Screen(t.NO_SURVEY)
        case Ended():
            return Screen(t.ANSWER_ENDED)
        case Refused(reason=reason):
            return Screen(refusal(t, reason).notice or t.USE_BUTTONS)
