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
from conversations.records import Window
from usecases.access import Actor, can_manage
from usecases.locks import KeyedLocks
from usecases.outcomes import NotAllowed
from usecases.participation import Account, Ended, NoSuchWindow, Participation, PressOutcome, TextOutcome
from usecases.ports import KeyerStore, SlipStore, WindowStore

KeyOutcome = PressOutcome | NotAllowed
# A keyer's link starts so: told apart from a survey link without a query on the participants' path.
KEYER_LINK = "key_"
PAPER_MAX = 10_000  # paper forms a unit declares: a briefing room, with room to spare


@dataclass(frozen=True, slots=True)
class KeyerInvite:
    """A single-use link that lets a group member key this unit's paper forms."""

    window: Window
    token: str


@dataclass(frozen=True, slots=True)
class FormBeingKeyed:
    """Someone who may key this unit has a paper form part-keyed now (`at_review`: keyed, not stored).

    Found by computing each possible keyer's desk key at the moment asked: nothing is stored, and
    nothing about the form but where it stands.
    """

    user_id: int
    at_review: bool


@dataclass(frozen=True, slots=True)
class PaperCounted:
    """The unit's paper counts after a press; `changed` is False if it was drawn for other counts."""

    window: Window
    changed: bool


class PaperKeying:
    """Key in paper forms for a unit: its own leader, an admin, or a group member they invited.

    The keying desk also says how many paper forms were handed out, and counts those returned
    wholly unreadable as 无效 without keying them: counters of the unit, nothing per form.
    """

    def __init__(
        self,
        windows: WindowStore,
        forms: Participation,
        keyers: KeyerStore,
        counts: SlipStore,
        admins: frozenset[int] = frozenset(),
    ) -> None:
        if not forms.paper:
            msg = "paper forms are keyed through a Participation made with paper=True"
            raise ValueError(msg)
        self.windows = windows
        self.forms = forms
        self.keyers = keyers
        self.counts = counts
        self.admins = admins
        self._counting = KeyedLocks()

    async def may_key(self, actor: Actor, window: Window) -> bool:
        """Return True if the actor may key forms in for this unit."""
        return can_manage(actor, window) or await self.keyers.is_keyer(window.id, actor.user_id)

    async def unit(self, actor: Actor, window_id: int) -> Window | NoSuchWindow | NotAllowed | Ended:
        """Return the open unit the actor may key forms in for, or why not."""
        window = await self.windows.window(window_id)
        if window is None:
            return NoSuchWindow()
        if not await self.may_key(actor, window):
            return NotAllowed()
        return window if window.is_open else Ended(window)

    async def invite(self, actor: Actor, window_id: int) -> KeyerInvite | NoSuchWindow | NotAllowed | Ended:
        """Make a single-use link for a group member; only the unit's leader (or an admin) may."""
        window = await self.windows.window(window_id)
        if window is None:
            return NoSuchWindow()
        if not can_manage(actor, window):
            return NotAllowed()
        if not window.is_open:
            return Ended(window)
        return KeyerInvite(window, KEYER_LINK + await self.keyers.create_keyer_invite(window.id))

    async def join(self, actor: Actor, token: str) -> Window | None:
        """Take a keyer's link: return the open unit it lets them key, or None if it is no such link."""
        if not token.startswith(KEYER_LINK):
            return None
        window_id = await self.keyers.redeem_keyer_invite(token.removeprefix(KEYER_LINK), actor.user_id)
        return None if window_id is None else await self.windows.window(window_id)

    async def keyed_units(self, actor: Actor) -> list[Window]:
        """Return the open units the actor was invited to key."""
        found = [await self.windows.window(i) for i in await self.keyers.keyed_windows(actor.user_id)]
        return [w for w in found if w is not None and w.is_open]

    async def being_keyed(self, window: Window) -> list[FormBeingKeyed]:
        """Return the paper forms of this open unit part-keyed right now, and at whose desk.

        A desk with a fresh form and nothing keyed on it yet has nothing to lose and is left out.
        """
        if not window.is_open:
            return []
        desks = {window.leader_id, *self.admins, *await self.keyers.keyers(window.id)}
        found = []
        for user_id in sorted(desks):
            key = self.forms.key(window.id, Account(user_id))
            _submitted, draft = await self.forms.participants.participant(window.id, key)
            if draft is not None and (draft.step > 0 or draft.answers or draft.spoiled):
                review = draft.step >= self.forms.survey.questionnaire.size
                found.append(FormBeingKeyed(user_id, at_review=review))
        return found

    async def begin(self, actor: Actor, window_id: int) -> KeyOutcome:
        """Start keying a form (or show the one being keyed, where it stands)."""
        found = await self.unit(actor, window_id)
        return (
            await self.forms.begin(Account(actor.user_id), window_id) if isinstance(found, Window) else found
        )

    async def press(self, actor: Actor, window_id: int, press: Press) -> KeyOutcome:
        """Apply a press to the form being keyed."""
        found = await self.unit(actor, window_id)
        return (
            await self.forms.press(Account(actor.user_id), window_id, press)
            if isinstance(found, Window)
            else found
        )

    async def submit(self, actor: Actor, window_id: int) -> KeyOutcome:
        """Put the reviewed form in the ballot box."""
        found = await self.unit(actor, window_id)
        return (
            await self.forms.submit(Account(actor.user_id), window_id) if isinstance(found, Window) else found
        )

    async def write(self, actor: Actor, text: str) -> TextOutcome:
        """Take a text message as the suggestion written on the form being keyed."""
        return await self.forms.write(actor.user_id, text)

    async def count(
        self, actor: Actor, window_id: int, *, invalid: bool, seen: int, to: int
    ) -> PaperCounted | NoSuchWindow | NotAllowed | Ended:
        """Set the paper forms handed out (or, `invalid`, counted 无效) from `seen` to `to`.

        The press says what it was drawn for: a doubled or stale press, drawn for a count that
        has moved on since, changes nothing, so no form is counted twice by a double tap.
        """
        found = await self.unit(actor, window_id)
        if not isinstance(found, Window):
            return found
        async with self._counting.hold(window_id):
            window = await self.windows.window(window_id) or found
            current = window.paper_invalid if invalid else window.paper_issued
            if current != seen or not 0 <= to <= PAPER_MAX:
                return PaperCounted(window, changed=False)
            change = to - seen
            updated = await self.counts.count_paper(
                window_id, issued=0 if invalid else change, invalid=change if invalid else 0
            )
        return Ended(window) if updated is None else PaperCounted(updated, changed=True)
