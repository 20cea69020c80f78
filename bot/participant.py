"""Handlers for participants: open the link, answer step by step, submit anonymously."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import CallbackQuery, Message, Update
from telegram.ext import ContextTypes

from bot import screens, texts
from bot.callback_data import BeginSurvey, SubmitBallot, SurveyPress
from bot.replies import answer, reply, show
from bot.screens import Screen
from bot.services import Services
from bot.texts import Texts, texts_for
from conversations.engine import Draft
from conversations.errors import (
    AlreadySubmitted,
    Incomplete,
    NoChoiceMade,
    NotExpectingText,
    StaleStep,
    SuggestionTooLong,
    SurveyError,
    TooManyChoices,
    UnknownOption,
    WindowClosed,
)
from conversations.questionnaire import QuestionKind
from storage.models import Window

logger = logging.getLogger(__name__)

ParticipantAction = BeginSurvey | SurveyPress | SubmitBallot
InviteAcceptor = Callable[[Message, int, str, str], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a press is answered: a notice on the phone and, maybe, a new screen."""

    notice: str | None = None
    alert: bool = False
    screen: Screen | None = None


def _refusal(t: Texts, error: SurveyError) -> Outcome:  # noqa: PLR0911 - one answer per error kind
    match error:
        case StaleStep():
            return Outcome(t.ANSWER_STALE)
        case TooManyChoices(limit=limit):
            return Outcome(t.ANSWER_TOO_MANY.format(limit=limit), alert=True)
        case NoChoiceMade():
            return Outcome(t.ANSWER_NONE_CHOSEN, alert=True)
        case Incomplete(question_index=index):
            return Outcome(t.ANSWER_INCOMPLETE.format(number=index + 1), alert=True)
        case AlreadySubmitted():
            return Outcome(t.ANSWER_ALREADY, alert=True)
        case WindowClosed():
            return Outcome(t.ANSWER_ENDED, alert=True)
        case UnknownOption():
            return Outcome(t.ANSWER_UNKNOWN)
    return Outcome(t.ANSWER_UNKNOWN)


class ParticipantHandlers:
    """The participant side of the bot; every method is a thin handler."""

    def __init__(self, services: Services, invites: InviteAcceptor) -> None:
        self.services = services
        self.survey = services.survey
        self.repository = services.repository
        self.invites = invites

    async def on_link(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle /start <token>: welcome, resume, or say why not."""
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None:
            return
        t = texts_for(user.language_code)
        token = context.args[0] if context.args else ""
        window = await self.repository.window_by_token(token)
        if window is None:
            if not await self.invites(message, user.id, user.full_name, token):
                await message.reply_text(t.LINK_INVALID)
            return
        unit = texts.unit(window.unit)
        if not window.is_open:
            await message.reply_text(t.ENDED_FOR_PARTICIPANT.format(unit=unit))
            return
        key = self.services.key(window.id, user.id)
        submitted, draft = await self.repository.participant(key)
        if submitted:
            await message.reply_text(t.ALREADY_TAKEN_PART.format(unit=unit))
            return
        if draft is None:
            screen = screens.welcome(t, self.survey, window.id, window.unit, window.min_group)
        else:
            current = screens.step(t, self.survey, window.id, window.unit, draft)
            screen = Screen(f"{t.RESUMED}\n\n{current.text}", current.rows)
        await reply(message, screen)

    async def on_press(self, query: CallbackQuery, action: ParticipantAction) -> None:
        """Handle a press on the survey message: decide, persist, answer, then redraw."""
        t = texts_for(query.from_user.language_code)
        window = await self.repository.window(action.window_id)
        if window is None:
            await answer(query, t.ANSWER_UNKNOWN)
            return
        if not window.is_open:
            await answer(query, t.ANSWER_ENDED, alert=True)
            await show(query, Screen(t.ENDED_FOR_PARTICIPANT.format(unit=texts.unit(window.unit))))
            return
        key = self.services.key(window.id, query.from_user.id)
        async with self.services.locks.hold(key):
            try:
                outcome = await self._decide(t, window, key, action)
            except SurveyError as error:
                outcome = _refusal(t, error)
        await answer(query, outcome.notice, alert=outcome.alert)
        if outcome.screen is not None:
            await show(query, outcome.screen)

    async def _decide(self, t: Texts, window: Window, key: bytes, action: ParticipantAction) -> Outcome:
        submitted, draft = await self.repository.participant(key)
        if submitted:
            raise AlreadySubmitted
        if isinstance(action, BeginSurvey):
            if draft is None:
                draft = self.survey.start()
                await self.repository.save_draft(key, window.id, draft)
            return Outcome(screen=self._screen(t, window, draft))
        if draft is None:
            return Outcome(t.ANSWER_NO_DRAFT, alert=True)
        try:
            if isinstance(action, SubmitBallot):
                return await self._submit(t, window, key, draft)
            updated = self.survey.apply(draft, action.press)
        except StaleStep:
            # An old button (a double tap, or a redraw that never arrived): show where they are.
            return Outcome(t.ANSWER_STALE, screen=self._screen(t, window, draft))
        if updated == draft:
            return Outcome(t.ANSWER_SAVED)
        await self.repository.save_draft(key, window.id, updated)
        return Outcome(screen=self._screen(t, window, updated))

    async def _submit(self, t: Texts, window: Window, key: bytes, draft: Draft) -> Outcome:
        """Store the ballot (one transaction with the register and the draft) and thank."""
        ballot = self.survey.ballot(draft)
        count = await self.repository.submit(key, window.id, ballot)
        self.services.live.ballot_added(window, count)
        return Outcome(t.ANSWER_SUBMITTED, screen=Screen(t.THANKS.format(unit=texts.unit(window.unit))))

    def _screen(self, t: Texts, window: Window, draft: Draft) -> Screen:
        return screens.step(t, self.survey, window.id, window.unit, draft)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Take a text message as the suggestion of the draft on the free-text step."""
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None or message.text is None:
            return
        t = texts_for(user.language_code)
        found = await self._drafts_of(user.id)
        on_text_step = [
            (window, key)
            for window, key, draft in found
            if (question := self.survey.current_question(draft)) is not None
            and question.kind is QuestionKind.TEXT
        ]
        if not on_text_step:
            await message.reply_text(t.USE_BUTTONS if found else t.NO_SURVEY)
            return
        window, key = on_text_step[0]
        async with self.services.locks.hold(key):
            try:
                draft = await self.repository.draft(key)
                if draft is None:
                    raise NotExpectingText
                updated = self.survey.write(draft, message.text)
                await self.repository.save_draft(key, window.id, updated)
            except SuggestionTooLong as error:
                await message.reply_text(
                    t.ANSWER_TEXT_TOO_LONG.format(limit=error.limit, length=error.length)
                )
                return
            except NotExpectingText:
                await message.reply_text(t.USE_BUTTONS)
                return
            except WindowClosed:
                await message.reply_text(t.ANSWER_ENDED)
                return
        await reply(message, screens.step(t, self.survey, window.id, window.unit, updated))

    async def on_cancel(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle /cancel: discard every unfinished form of this person."""
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None:
            return
        t = texts_for(user.language_code)
        discarded = False
        for _window, key, _draft in await self._drafts_of(user.id):
            async with self.services.locks.hold(key):
                discarded = await self.repository.delete_draft(key) or discarded
        await message.reply_text(t.CANCELLED if discarded else t.NOTHING_TO_CANCEL)

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer stickers, photos and the like with a hint to use the buttons."""
        message = update.effective_message
        if message is not None:
            user = update.effective_user
            await message.reply_text(texts_for(user.language_code if user else None).USE_BUTTONS)

    async def on_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Say that editing a sent message changes nothing: a new message does."""
        message = update.effective_message
        user = update.effective_user
        if message is not None and user is not None:
            await message.reply_text(texts_for(user.language_code).EDITED_IGNORED)

    async def _drafts_of(self, user_id: int) -> list[tuple[Window, bytes, Draft]]:
        """Find this person's drafts by computing their key for each open window."""
        windows = {window.id: window for window in await self.repository.open_windows()}
        keys = {self.services.key(window_id, user_id): window_id for window_id in windows}
        return [
            (windows[window_id], key, draft) for window_id, key, draft in await self.repository.drafts(keys)
        ]
