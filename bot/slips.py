"""A slips unit's screen for its leader: print the ballot slips (测评码), print more (补打)."""

from __future__ import annotations

from telegram import CallbackQuery, Message

from bot import texts
from bot.callback_data import MoreSlips, PrintSlips, SendPaperForm, ShowPaper, ShowSlips
from bot.door import Caller
from bot.replies import PressReply, answer, respond, safe_filename, show
from bot.screens import Button, Screen
from bot.texts import Texts
from conversations.records import Window
from usecases.console import Console
from usecases.outcomes import NotAllowed
from usecases.participation import Ended
from usecases.slip_printing import AlreadyPrinted, NoFont, Printed, PrintOutcome, SlipPrinting
from usecases.slips import BadCount, NotSlips

MORE_COUNTS = (10, 20, 50)


def slips_screen(t: Texts, window: Window, *, count: int | None, web: bool) -> Screen:
    """Return a slips unit's screen: how many slips are printed, how to hand them out, what to press.

    `count` (from /open 县财政局 40) offers to print that many; each print button names the slips
    the unit had when it was drawn, so pressing it twice prints once.
    """
    issued = window.slips_issued
    status = t.SLIPS_STATUS.format(issued=issued) if issued else t.SLIPS_STATUS_NONE
    how = t.SLIPS_HOW_WEB if web else t.SLIPS_HOW_TELEGRAM
    text = t.SLIPS_OPENED.format(unit=texts.html(window.unit), status=status, how=how)
    slips = [Button(t.SLIPS_MORE_BUTTON, MoreSlips(window.id))]
    if count:
        slips.insert(
            0, Button(t.SLIPS_PRINT_BUTTON.format(count=count), PrintSlips(window.id, count, issued))
        )
    paper = (
        Button(t.PAPER_FORM_BUTTON, SendPaperForm(window.id)),
        Button(t.PAPER_KEY_BUTTON, ShowPaper(window.id)),
    )
    return Screen(text, (tuple(slips), paper))


def more_screen(t: Texts, window: Window) -> Screen:
    """Return 补打: how many more slips, as buttons."""
    issued = window.slips_issued
    counts = tuple(
        Button(t.SLIPS_MORE_COUNT.format(count=n), PrintSlips(window.id, n, issued)) for n in MORE_COUNTS
    )
    text = t.SLIPS_MORE.format(unit=texts.html(window.unit), issued=issued)
    return Screen(text, (counts, (Button(t.SLIPS_BACK, ShowSlips(window.id)),)))


class SlipHandlers:
    """Print a slips unit's ballot slips; every press names the unit, the use case checks who may."""

    def __init__(self, console: Console, printing: SlipPrinting) -> None:
        self.console = console
        self.printing = printing
        self.web = printing.web_url is not None

    def screen(self, t: Texts, window: Window, count: int | None = None) -> Screen:
        """Return the unit's slips screen."""
        return slips_screen(t, window, count=count, web=self.web)

    async def on_show(self, caller: Caller, query: CallbackQuery, action: ShowSlips) -> None:
        """Handle « 返回 from 补打: the slips screen again."""
        window = await self._managed(caller, query, action.window_id)
        if window is not None:
            await respond(query, PressReply(screen=self.screen(caller.t, window)))

    async def on_more(self, caller: Caller, query: CallbackQuery, action: MoreSlips) -> None:
        """Handle ➕ 补打: ask how many more slips."""
        window = await self._managed(caller, query, action.window_id)
        if window is None:
            return
        if not window.is_open:
            await answer(query, caller.t.ANSWER_ENDED, alert=True)
            return
        await respond(query, PressReply(screen=more_screen(caller.t, window)))

    async def on_print(self, caller: Caller, query: CallbackQuery, action: PrintSlips) -> None:
        """Handle 🎫 打印测评码 (or a 补打 count): make the slips and send them as a PDF."""
        t = caller.t
        if await self._managed(caller, query, action.window_id) is None:
            return
        await answer(query, t.ANSWER_SLIPS_PRINTING)  # drawing takes a few seconds
        bot = query.get_bot().username
        outcome = await self.printing.print(
            caller.actor, action.window_id, action.count, seen=action.seen, bot=bot
        )
        if isinstance(query.message, Message):
            await self._after_print(t, query, query.message, outcome)

    async def _after_print(
        self, t: Texts, query: CallbackQuery, message: Message, outcome: PrintOutcome
    ) -> None:
        match outcome:
            case Printed(window=window, pdf=pdf, count=count, pages=pages):
                await show(query, self.screen(t, window))
                unit = texts.html(window.unit)
                caption = t.SLIPS_CAPTION.format(
                    unit=unit, count=count, pages=pages, issued=window.slips_issued
                )
                filename = t.SLIPS_FILE.format(unit=safe_filename(window.unit), count=count)
                await message.reply_document(pdf, filename=filename, caption=caption)
            case AlreadyPrinted(window=window):
                await show(query, self.screen(t, window))
                await message.reply_text(t.SLIPS_ALREADY_PRINTED)
            case BadCount(limit=limit):
                await message.reply_text(t.SLIPS_TOO_MANY.format(limit=limit))
            case NotSlips(window=window):
                await message.reply_text(t.SLIPS_NOT_SLIPS.format(unit=texts.html(window.unit)))
            case Ended():
                await message.reply_text(t.ANSWER_ENDED)
            case NoFont():
                await message.reply_text(t.SLIPS_NO_FONT)
            case NotAllowed():
                await message.reply_text(t.ANSWER_NOT_ALLOWED)

    async def _managed(self, caller: Caller, query: CallbackQuery, window_id: int) -> Window | None:
        """Return the unit if the caller manages it, or answer that they do not."""
        window = await self.console.managed(caller.actor, window_id)
        if window is None:
            await answer(query, caller.t.ANSWER_NOT_ALLOWED, alert=True)
        return window
