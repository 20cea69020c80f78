"""Ballot slips (测评码, 一人一码): issuing them, and letting in whoever holds one, once.

A slips unit takes a ballot only from the holder of one of its slips. The leader prints the
slips, shuffles them and hands them out face down, so nothing ties a code to a person; what is
stored of a slip is a keyed hash under the unit's secret, destroyed with the secret at close.
A slip works once, in the browser or in Telegram: in the browser the slip itself is the
participant (its draft and its place in the register are under the slip's key); in Telegram it
is spent on the account that redeems it, which then answers as any participant does.
"""

from __future__ import annotations

from dataclasses import dataclass

from conversations.engine import Draft
from conversations.records import Window
from conversations.slips import new_code, normalise, slip_check
from usecases.access import Actor, can_manage
from usecases.outcomes import NotAllowed
from usecases.participation import Account, Ended, Participation, SlipHolder
from usecases.ports import ParticipantStore, SlipStore, WindowSecrets, WindowStore

ISSUE_MAX = 500  # slips printed at once: a briefing room, not a county


@dataclass(frozen=True, slots=True)
class WrongCode:
    """No open unit has a slip with this code (mistyped, never issued, or its unit has closed)."""


@dataclass(frozen=True, slots=True)
class SlipUsed:
    """The slip has been used: a ballot was submitted with it, or it was spent on a Telegram account."""

    window: Window


@dataclass(frozen=True, slots=True)
class SlipReady:
    """The slip may answer the unit's form: not begun yet (`draft` None) or begun and resumable."""

    window: Window
    holder: SlipHolder
    draft: Draft | None


@dataclass(frozen=True, slots=True)
class Admitted:
    """The slip is spent on this Telegram account, which may now answer the unit (once)."""

    window: Window


@dataclass(frozen=True, slots=True)
class Issued:
    """New slips for the unit: their codes, given out once for printing, and how many it has in all."""

    window: Window
    codes: tuple[str, ...]
    issued_total: int


@dataclass(frozen=True, slots=True)
class BadCount:
    """A count of slips outside 1 … ISSUE_MAX."""

    limit: int = ISSUE_MAX


@dataclass(frozen=True, slots=True)
class NotSlips:
    """The unit admits everyone with its link: it has no slips to print."""

    window: Window


EnterOutcome = SlipReady | SlipUsed | WrongCode | Ended
RedeemOutcome = Admitted | SlipUsed | WrongCode | Ended
IssueOutcome = Issued | BadCount | NotSlips | NotAllowed | Ended


class SlipDoor:
    """Let a slip's holder in: in the browser as the slip itself, in Telegram on their account."""

    def __init__(
        self,
        windows: WindowStore,
        participants: ParticipantStore,
        slips: SlipStore,
        secrets: WindowSecrets,
        participation: Participation,
    ) -> None:
        self.windows = windows
        self.participants = participants
        self.slips = slips
        self.secrets = secrets
        self.participation = participation

    async def enter(self, typed: str, token: str | None = None) -> EnterOutcome:
        """Say what a code opens in the browser; `token` (from a slip's QR) names its unit even once closed.

        The code is looked for in every open slips unit under that unit's own secret; nothing
        tells a mistyped code from one never issued or one of a closed unit without its token.
        """
        named = await self.windows.window_by_token(token) if token else None
        code = normalise(typed)
        if named is not None and named.slips and named.is_open and code is not None:
            # A slip coming back (its cookie names its unit): one look at its own form first.
            holder = SlipHolder(code)
            submitted, draft = await self.participants.participant(
                named.id, self.participation.key(named.id, holder)
            )
            if submitted:
                return SlipUsed(named)
            if draft is not None:
                return SlipReady(named, holder, draft)
        found = await self._find(typed)
        if isinstance(found, tuple):
            window, holder = found
            key = self.participation.key(window.id, holder)
            submitted, draft = await self.participants.participant(window.id, key)
            if submitted or (draft is None and await self.slips.admitted(window.id, key)):
                return SlipUsed(window)
            if draft is not None:
                return SlipReady(window, holder, draft)
            check = slip_check(self.secrets.secret(window.id), window.id, holder.code)
            if await self.slips.slip_unused(window.id, check):
                return SlipReady(window, holder, None)
        return self._ended(named)

    async def redeem(self, user_id: int, typed: str) -> RedeemOutcome:
        """Spend a slip on a Telegram account: the account may then answer the slip's unit once."""
        found = await self._find(typed)
        if not isinstance(found, tuple):
            return found
        window, holder = found
        secret = self.secrets.secret(window.id)
        account_key = self.participation.key(window.id, Account(user_id))
        slip_key = self.participation.key(window.id, holder)
        check = slip_check(secret, window.id, holder.code)
        if await self.slips.spend_slip(window.id, check, admit=(account_key, slip_key)):
            return Admitted(window)
        if await self.slips.admitted(window.id, account_key):
            return Admitted(window)  # a doubled /start with the same slip: already in
        return SlipUsed(window)

    async def _find(self, typed: str) -> tuple[Window, SlipHolder] | WrongCode:
        """Return the open slips unit whose slip this code may be (by its keyed hash), or WrongCode."""
        code = normalise(typed)
        if code is None:
            return WrongCode()
        holder = SlipHolder(code)
        for window in await self.windows.open_windows():
            if not window.slips:
                continue
            secret = self.secrets.secret(window.id)
            key = self.participation.key(window.id, holder)
            if await self.slips.slip_unused(window.id, slip_check(secret, window.id, code)):
                return window, holder
            submitted, draft = await self.participants.participant(window.id, key)
            if submitted or draft is not None or await self.slips.admitted(window.id, key):
                return window, holder
        return WrongCode()

    @staticmethod
    def _ended(window: Window | None) -> Ended | WrongCode:
        if window is not None and window.slips and not window.is_open:
            return Ended(window)
        return WrongCode()


class SlipIssuing:
    """Print slips for a unit: the codes exist in memory only, long enough to draw the slips."""

    def __init__(self, windows: WindowStore, slips: SlipStore, secrets: WindowSecrets) -> None:
        self.windows = windows
        self.slips = slips
        self.secrets = secrets

    async def issue(self, actor: Actor, window_id: int, count: int) -> IssueOutcome:
        """Make `count` new slips for the unit (at open, or 补打 later); return their codes once."""
        window = await self.windows.window(window_id)
        if window is None or not can_manage(actor, window):
            return NotAllowed()
        if not window.is_open:
            return Ended(window)
        if not window.slips:
            return NotSlips(window)
        if not 1 <= count <= ISSUE_MAX:
            return BadCount()
        codes = tuple(new_code() for _ in range(count))
        secret = self.secrets.secret(window.id)
        total = await self.slips.add_slips(window.id, [slip_check(secret, window.id, code) for code in codes])
        if total is None:
            return Ended(window)
        updated = await self.windows.window(window.id)
        return Issued(updated or window, codes, total)
