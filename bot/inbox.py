"""Texts and photos people send: `usecases.inbox` decides what each is for; this draws the answer."""

from __future__ import annotations

from telegram import Message

from bot import screens, texts
from bot.door import Caller, Context
from bot.notes import NoteHandlers
from bot.participant import text_screen
from bot.replies import reply
from bot.score_screens import shortened
from bot.screens import Screen
from bot.texts import Texts
from conversations.engine import Survey
from conversations.slips import SLIP_LINK
from usecases.inbox import ForForm, ForKeying, ForNotes, ForPhoto, ForSlip, Inbox, Unexpected
from usecases.notes import Locked, PhotoAdded
from usecases.participation import Ended
from usecases.slips import Admitted, RedeemOutcome, SlipDoor, SlipUsed, WrongCode


def slip_screen(t: Texts, survey: Survey, outcome: RedeemOutcome) -> Screen:
    """Return what a slip's code (typed, or from its Telegram QR) leads to."""
    match outcome:
        case Admitted(window=window):
            return screens.welcome(t, survey, window.id, window.unit, window.min_group)
        case SlipUsed(window=window):
            return Screen(t.SLIP_USED.format(unit=texts.html(window.unit)))
        case Ended(window=window):
            return Screen(t.SLIP_ENDED.format(unit=texts.html(window.unit)))
        case WrongCode():
            return Screen(t.SLIP_WRONG)


class InboxHandlers:
    """A text or a photo: one use case says what it is for; each outcome is drawn here."""

    def __init__(self, inbox: Inbox, slips: SlipDoor, survey: Survey, notes: NoteHandlers) -> None:
        self.inbox = inbox
        self.slips = slips
        self.survey = survey
        self.notes = notes

    async def on_text(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle a text message: a pending note, a keyed form's or one's own suggestion, a slip's code."""
        t = caller.t
        match await self.inbox.text(caller.actor, message.text or ""):
            case ForNotes(outcome=outcome):
                await self.notes.after_text(caller, message, outcome)
            case ForKeying(outcome=outcome) | ForForm(outcome=outcome):
                await reply(message, text_screen(t, self.survey, outcome))
            case ForSlip(outcome=outcome):
                await reply(message, slip_screen(t, self.survey, outcome))
            case Unexpected(leader=leader):
                await message.reply_text(t.LEADER_NOTHING_PENDING if leader else t.NO_SURVEY)

    async def on_photo(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle a photo: a leader's goes to the item being noted; anyone else's gets a hint."""
        t = caller.t
        photos = message.photo
        outcome = (
            await self.inbox.photo(caller.actor, photos[-1].file_id) if photos else Unexpected(leader=False)
        )
        match outcome:
            case ForPhoto(outcome=PhotoAdded(count=count, reason_open=True)):
                await message.reply_text(t.NOTE_PHOTO_ADDED.format(count=count))
            case ForPhoto(outcome=PhotoAdded(item=item, count=count, number=number)):
                named = t.NOTE_PHOTO_ADDED_AFTER.format(
                    number=number, text=texts.html(shortened(item.prompt)), count=count
                )
                await message.reply_text(named)
            case ForPhoto(outcome=Locked()):
                await message.reply_text(t.NOTE_LOCKED)
            case Unexpected(leader=leader):
                await message.reply_text(t.LEADER_NOTHING_PENDING if leader else t.USE_BUTTONS)

    async def on_slip_link(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /start s_<code>, the Telegram QR on a ballot slip: spend the slip on this account."""
        payload = context.args[0] if context.args else ""
        outcome = await self.slips.redeem(caller.user_id, payload.removeprefix(SLIP_LINK))
        await reply(message, slip_screen(caller.t, self.survey, outcome))
