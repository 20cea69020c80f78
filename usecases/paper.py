"""Paper ballots (纸质测评表): forms filled in by hand at the briefing, keyed in by the group.

The keyer walks each collected form through the same steps a phone does, with the same rules
(up to three on a 限选三项 row, a review before submitting) and one more: a row ticked more than
it allows, or not at all, is keyed as spoiled. Submitting puts the form in the same ballot box
as every phone's ballot, counted once; then the next form starts afresh. Nothing stored says who
keyed a form or in which order: the keyer's desk is a key of its own, never registered, and its
draft goes when the form goes in.
"""

from __future__ import annotations

from dataclasses import dataclass

from conversations.engine import Press
from storage.models import Window
from usecases.access import Actor, can_manage
from usecases.participation import Ended, NoSuchWindow, Participation, PressOutcome, TextOutcome
from usecases.ports import WindowStore


@dataclass(frozen=True, slots=True)
class NotAllowed:
    """The actor may not key forms in for this unit."""


KeyOutcome = PressOutcome | NotAllowed


class PaperKeying:
    """Key in paper forms for a unit: its own leader (or an admin) at their desk."""

    def __init__(self, windows: WindowStore, forms: Participation) -> None:
        if not forms.paper:
            msg = "paper forms are keyed through a Participation made with paper=True"
            raise ValueError(msg)
        self.windows = windows
        self.forms = forms

    def may_key(self, actor: Actor, window: Window) -> bool:
        """Return True if the actor may key forms in for this unit."""
        return can_manage(actor, window)

    async def unit(self, actor: Actor, window_id: int) -> Window | NoSuchWindow | NotAllowed | Ended:
        """Return the open unit the actor may key forms in for, or why not."""
        window = await self.windows.window(window_id)
        if window is None:
            return NoSuchWindow()
        if not self.may_key(actor, window):
            return NotAllowed()
        return window if window.is_open else Ended(window)

    async def begin(self, actor: Actor, window_id: int) -> KeyOutcome:
        """Start keying a form (or show the one being keyed, where it stands)."""
        found = await self.unit(actor, window_id)
        return await self.forms.begin(actor.user_id, window_id) if isinstance(found, Window) else found

    async def press(self, actor: Actor, window_id: int, press: Press) -> KeyOutcome:
        """Apply a press to the form being keyed."""
        found = await self.unit(actor, window_id)
        return await self.forms.press(actor.user_id, window_id, press) if isinstance(found, Window) else found

    async def submit(self, actor: Actor, window_id: int) -> KeyOutcome:
        """Put the reviewed form in the ballot box."""
        found = await self.unit(actor, window_id)
        return await self.forms.submit(actor.user_id, window_id) if isinstance(found, Window) else found

    async def write(self, actor: Actor, text: str) -> TextOutcome:
        """Take a text message as the suggestion written on the form being keyed."""
        return await self.forms.write(actor.user_id, text)
