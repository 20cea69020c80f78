"""One inbox for what a person types or sends: what it is for is decided here, in one order.

A text message may be a leader's pending note (a reason, a section, the conclusions), the
suggestion of a paper form being keyed, the suggestion of the person's own form, or the code of a
ballot slip (一人一码); a photo may belong to the item a leader is noting. The order below is
itself a rule (a leader keying a form while a reason is pending means the reason), so it is
written once, here, and tested (`tests/test_inbox.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

from conversations.slips import looks_like_code
from usecases import notes, participation
from usecases.access import Actor, Role
from usecases.keying import PaperKeying
from usecases.notes import Locked, Notes, NotExpected, PhotoAdded
from usecases.participation import NoSurvey, Participation
from usecases.slips import RedeemOutcome, SlipDoor


@dataclass(frozen=True, slots=True)
class ForNotes:
    """The text was what a leader's note was waiting for."""

    outcome: notes.TextOutcome


@dataclass(frozen=True, slots=True)
class ForKeying:
    """The text is the suggestion on the paper form being keyed."""

    outcome: participation.TextOutcome


@dataclass(frozen=True, slots=True)
class ForForm:
    """The text is the suggestion on the person's own form (or why it cannot be)."""

    outcome: participation.TextOutcome


@dataclass(frozen=True, slots=True)
class ForSlip:
    """The text is a ballot slip's code: spent on this account, or why not."""

    outcome: RedeemOutcome


@dataclass(frozen=True, slots=True)
class ForPhoto:
    """The photo went to the item a leader is noting (or that item is final)."""

    outcome: PhotoAdded | Locked


@dataclass(frozen=True, slots=True)
class Unexpected:
    """Nothing was waiting for this: `leader` says whose hint to give (a leader's, or a participant's)."""

    leader: bool


TextOutcome = ForNotes | ForKeying | ForForm | ForSlip | Unexpected
PhotoOutcome = ForPhoto | Unexpected


class Inbox:
    """Decide what a text or a photo is for, and hand it to that use case."""

    def __init__(
        self, notes: Notes, keying: PaperKeying, participation: Participation, slips: SlipDoor
    ) -> None:
        self.notes = notes
        self.keying = keying
        self.participation = participation
        self.slips = slips

    async def text(self, actor: Actor, text: str) -> TextOutcome:
        """Take a text message, in this order: a leader's pending note, keying, the form, a slip's code."""
        leader = actor.role >= Role.LEADER
        if leader:
            noted = await self.notes.take_text(actor, text.strip())
            if noted is not None:
                return ForNotes(noted)
        keyed = await self.keying.write(actor, text)
        if not isinstance(keyed, NoSurvey):
            return ForKeying(keyed)
        written = await self.participation.write(actor.user_id, text)
        if not isinstance(written, NoSurvey):
            return ForForm(written)
        if looks_like_code(text):  # a mistyped one too: the door says it is wrong
            return ForSlip(await self.slips.redeem(actor.user_id, text))
        return Unexpected(leader=leader)

    async def photo(self, actor: Actor, file_id: str) -> PhotoOutcome:
        """Take a photo: a leader's, for the item being noted; anyone else's is not expected."""
        leader = actor.role >= Role.LEADER
        if not leader:
            return Unexpected(leader=False)
        outcome = await self.notes.take_photo(actor, file_id)
        if isinstance(outcome, NotExpected):
            return Unexpected(leader=True)
        return ForPhoto(outcome)
