"""/paper: key in the paper forms collected at the briefing, through the same steps as a phone."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message
from telegram.helpers import create_deep_linked_url

from bot import texts
from bot.callback_data import (
    BeginPaper,
    CountPaper,
    InviteKeyer,
    PaperPress,
    SendPaperForm,
    ShowPaper,
    ShowPaperCounts,
    SubmitPaper,
)
from bot.door import Caller, Context
from bot.participant import press_reply
from bot.picker import UnitPicker
from bot.replies import PressReply, reply, respond, safe_filename
from bot.screens import Button, Screen
from bot.texts import Texts
from conversations.engine import Survey
from conversations.errors import TooManyChoices
from conversations.records import Window
from usecases.access import Role, can_manage
from usecases.documents import Papers
from usecases.keying import (
    KeyerInvite,
    KeyOutcome,
    PaperCounted,
    PaperKeying,
)
from usecases.outcomes import NotAllowed
from usecases.participation import (
    NoDraft,
    Refused,
    Submitted,
)
from usecases.units import Scope

logger = logging.getLogger(__name__)


def intro(t: Texts, window: Window, *, leads: bool) -> Screen:
    """Return how keying works, with the buttons to begin, to print blank forms and (`leads`) to invite."""
    buttons = [
        (Button(t.PAPER_BEGIN, BeginPaper(window.id)),),
        (Button(t.PAPER_FORM_BUTTON, SendPaperForm(window.id)),),
        (Button(t.PAPER_COUNTS_BUTTON, ShowPaperCounts(window.id)),),
    ]
    if leads:
        buttons.append((Button(t.PAPER_INVITE_BUTTON, InviteKeyer(window.id)),))
    counts = t.PAPER_COUNTS_LINE.format(issued=window.paper_issued, invalid=window.paper_invalid)
    return Screen(t.PAPER_INTRO.format(unit=texts.html(window.unit)) + counts, tuple(buttons))


def counts_screen(t: Texts, window: Window) -> Screen:
    """Return the paper forms handed out and counted 无效, with a button for each change."""
    issued, invalid = window.paper_issued, window.paper_invalid

    def count(label: str, *, of_invalid: bool, to: int) -> Button:
        seen = invalid if of_invalid else issued
        return Button(label, CountPaper(window.id, invalid=of_invalid, seen=seen, to=to))

    handed = [count(t.PAPER_ISSUED_ADD.format(count=n), of_invalid=False, to=issued + n) for n in (1, 5, 10)]
    unreadable = [count(t.PAPER_INVALID_ADD, of_invalid=True, to=invalid + 1)]
    if issued:
        handed.append(count(t.PAPER_ISSUED_UNDO, of_invalid=False, to=issued - 1))
    if invalid:
        unreadable.append(count(t.PAPER_INVALID_UNDO, of_invalid=True, to=invalid - 1))
    text = t.PAPER_COUNTS.format(unit=texts.html(window.unit), issued=issued, invalid=invalid)
    return Screen(text, (tuple(handed), tuple(unreadable), (Button(t.PAPER_BACK, ShowPaper(window.id)),)))


class PaperHandlers:
    """The keyer's side: pick a unit, key forms one after another, print blank ones."""

    def __init__(
        self,
        keying: PaperKeying,
        survey: Survey,
        papers: Papers,
        picker: UnitPicker,
    ) -> None:
        self.keying = keying
        self.survey = survey
        self.papers = papers
        self.picker = picker

    async def on_paper(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /paper [unit]: how keying works for that open unit; no name: pick one.

        A group member invited to key (not a leader) gets the units they were invited to.
        """
        t = caller.t
        if caller.role < Role.LEADER:
            await self._keyer_desk(caller, message)
            return
        window = await self.picker.pick(
            caller, message, scope=Scope.OPEN, prompt=t.PICK_UNIT_PAPER, action=ShowPaper
        )
        if window is not None:
            await reply(message, intro(t, window, leads=True))

    async def _keyer_desk(self, caller: Caller, message: Message) -> None:
        t = caller.t
        units = await self.keying.keyed_units(caller.actor)
        if not units:
            await message.reply_text(t.NOT_A_KEYER)
        elif len(units) == 1:
            await reply(message, intro(t, units[0], leads=False))
        else:
            rows = tuple((Button(w.unit, ShowPaper(w.id)),) for w in units)
            await reply(message, Screen(t.PICK_UNIT_PAPER, rows))

    async def on_join(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /start key_<token>: a keyer's invite opens the unit's desk."""
        token = context.args[0] if context.args else ""
        window = await self.keying.join(caller.actor, token)
        if window is None:  # spent, forwarded or made up: a link that opens nothing
            await message.reply_text(caller.t.LINK_INVALID)
            return
        logger.info("A group member joined the keying of paper forms (window %d)", window.id)
        desk = intro(caller.t, window, leads=False)
        await reply(
            message, Screen(caller.t.PAPER_JOINED.format(unit=texts.html(window.unit)) + desk.text, desk.rows)
        )

    async def on_invite(self, caller: Caller, query: CallbackQuery, action: InviteKeyer) -> None:
        """Handle 👥: a single-use link for a group member, sent as a message to forward."""
        outcome = await self.keying.invite(caller.actor, action.window_id)
        if not isinstance(outcome, KeyerInvite):
            await respond(query, self._press_reply(caller.t, outcome))
            return
        await respond(query, PressReply())
        link = create_deep_linked_url(query.get_bot().username, outcome.token)
        if isinstance(query.message, Message):
            unit = texts.html(outcome.window.unit)
            await query.message.reply_text(caller.t.PAPER_INVITE.format(unit=unit, link=link))

    async def on_show(self, caller: Caller, query: CallbackQuery, action: ShowPaper) -> None:
        """Handle a unit picked for /paper: the picker becomes the keying screen."""
        window = await self._window(caller, query, action.window_id)
        if window is not None:
            leads = can_manage(caller.actor, window)
            await respond(query, PressReply(screen=intro(caller.t, window, leads=leads)))

    async def on_counts(self, caller: Caller, query: CallbackQuery, action: ShowPaperCounts) -> None:
        """Handle 🧮: the unit's paper forms handed out and counted 无效, to change."""
        window = await self._window(caller, query, action.window_id)
        if window is not None:
            await respond(query, PressReply(screen=counts_screen(caller.t, window)))

    async def on_count(self, caller: Caller, query: CallbackQuery, action: CountPaper) -> None:
        """Handle 发放 +1, 无效 +1, −1…: change the count the button was drawn for, and redraw."""
        t = caller.t
        outcome = await self.keying.count(
            caller.actor, action.window_id, invalid=action.invalid, seen=action.seen, to=action.to
        )
        if not isinstance(outcome, PaperCounted):
            await respond(query, self._press_reply(t, outcome))
            return
        window = outcome.window
        notice = t.ANSWER_PAPER_COUNTED if outcome.changed else t.ANSWER_PAPER_COUNT_MOVED
        figures = {"issued": window.paper_issued, "invalid": window.paper_invalid}
        await respond(query, PressReply(notice.format(**figures), screen=counts_screen(t, window)))

    async def on_form(self, caller: Caller, query: CallbackQuery, action: SendPaperForm) -> None:
        """Handle 🖨: send the unit's blank form, ready to print."""
        window = await self._window(caller, query, action.window_id)
        if window is None:
            return
        await respond(query, PressReply())
        if isinstance(query.message, Message):
            await send_paper_form(query.message, caller.t, window, self.papers)

    async def on_begin(self, caller: Caller, query: CallbackQuery, action: BeginPaper) -> None:
        """Handle 开始录入 and 录入下一份: a fresh form (or the one being keyed, where it stands)."""
        outcome = await self.keying.begin(caller.actor, action.window_id)
        await respond(query, self._press_reply(caller.t, outcome))

    async def on_press(self, caller: Caller, query: CallbackQuery, action: PaperPress) -> None:
        """Handle a press on the form being keyed."""
        outcome = await self.keying.press(caller.actor, action.window_id, action.press)
        await respond(query, self._press_reply(caller.t, outcome))

    async def on_submit(self, caller: Caller, query: CallbackQuery, action: SubmitPaper) -> None:
        """Handle 录入此份: into the ballot box, then offer the next form."""
        outcome = await self.keying.submit(caller.actor, action.window_id)
        await respond(query, self._press_reply(caller.t, outcome))

    async def _window(self, caller: Caller, query: CallbackQuery, window_id: int) -> Window | None:
        """Return the open unit the caller may key forms in for, or answer why not."""
        found = await self.keying.unit(caller.actor, window_id)
        if isinstance(found, Window):
            return found
        await respond(query, self._press_reply(caller.t, found))
        return None

    def _press_reply(self, t: Texts, outcome: KeyOutcome) -> PressReply:
        """Answer a keying press: as a phone's press, but for what differs at a keyer's desk."""
        match outcome:
            case Submitted(window=window):
                keyed = Screen(
                    t.PAPER_KEYED.format(unit=texts.html(window.unit)),
                    ((Button(t.PAPER_NEXT, BeginPaper(window.id)),),),
                )
                return PressReply(t.ANSWER_PAPER_KEYED, screen=keyed)
            case NoDraft():  # a doubled 录入此份: that form went in already
                return PressReply(t.ANSWER_STALE)
            case Refused(reason=TooManyChoices(limit=limit)):
                return PressReply(t.ANSWER_PAPER_TOO_MANY.format(limit=limit, more=limit + 1), alert=True)
            case NotAllowed():
                return PressReply(t.ANSWER_NOT_KEYER, alert=True)
        return press_reply(t, self.survey, outcome)


async def send_paper_form(message: Message, t: Texts, window: Window, papers: Papers) -> None:
    """Send the unit's blank Annex 2 form as a Word document, ready to print on A4."""
    document = await papers.paper_form(window)
    await message.reply_document(
        document,
        filename=t.PAPER_FORM_FILE.format(unit=safe_filename(window.unit)),
        caption=t.PAPER_FORM_CAPTION.format(unit=texts.html(window.unit)),
    )
