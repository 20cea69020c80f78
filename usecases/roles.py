"""Leaders made by invites: redeem an invite link."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from usecases.access import Access
from usecases.ports import LeaderStore

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NotAnInvite:
    """The token is no invite at all."""


@dataclass(frozen=True, slots=True)
class InviteSpent:
    """The invite was used already, or has expired."""


@dataclass(frozen=True, slots=True)
class BecameLeader:
    """The invite made this person a group leader."""


RedeemOutcome = NotAnInvite | InviteSpent | BecameLeader


class Roles:
    """Who leads: invites redeemed."""

    def __init__(self, leaders: LeaderStore, access: Access) -> None:
        self.leaders = leaders
        self.access = access

    async def redeem(self, token: str, user_id: int, name: str) -> RedeemOutcome:
        """Make the opener of an invite link a leader, once per invite, before it expires."""
        redeemed = await self.leaders.redeem_invite(token, user_id, name)
        if redeemed is None:
            return NotAnInvite()
        if not redeemed:
            return InviteSpent()
        self.access.invited_changed()
        logger.info("An invite made a new group leader")
        return BecameLeader()
