"""Who leads: invites made and redeemed, the list of leaders, revoking an invited one."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from conversations.records import Leader, Official
from usecases.access import Access
from usecases.ports import LeaderStore, OfficialStore

logger = logging.getLogger(__name__)

INVITE_LIFETIME = timedelta(hours=24)
# A Telegram user id: a positive whole number (Telegram's ids fit in 52 bits, at most 16 digits).
USER_ID = re.compile(r"^[1-9][0-9]{0,15}$")


def parse_user_id(text: str) -> int | None:
    """Return the user id written in `text`, or None if it is not one."""
    return int(text) if USER_ID.match(text) else None


@dataclass(frozen=True, slots=True)
class Invite:
    """A single-use link token that makes its opener a leader until it expires."""

    token: str
    expires: datetime
    lifetime: timedelta


@dataclass(frozen=True, slots=True)
class LeaderRoll:
    """Every leader: configured ones (by id), invited ones, and the real names registered with /me."""

    configured: list[int]
    invited: list[Leader]
    officials: dict[int, Official]

    @property
    def unnamed(self) -> set[int]:
        """Return the leaders who have not registered their real name and group."""
        return {*self.configured, *(leader.user_id for leader in self.invited)} - self.officials.keys()


@dataclass(frozen=True, slots=True)
class NotAnInvite:
    """The token is no invite at all."""


@dataclass(frozen=True, slots=True)
class InviteSpent:
    """The invite was used already, or has expired."""


@dataclass(frozen=True, slots=True)
class BecameLeader:
    """The invite made this person a group leader."""


@dataclass(frozen=True, slots=True)
class Revoked:
    """The invited leader is a participant again."""


@dataclass(frozen=True, slots=True)
class Configured:
    """The leader is configured in SURVEY_LEADERS: only the configuration can change that."""


@dataclass(frozen=True, slots=True)
class NotInvited:
    """No invite made this person a leader."""


RedeemOutcome = NotAnInvite | InviteSpent | BecameLeader
RevokeOutcome = Revoked | Configured | NotInvited


class Roles:
    """Who leads: invites, the roll of leaders, revoking."""

    def __init__(self, leaders: LeaderStore, officials: OfficialStore, access: Access) -> None:
        self.leaders = leaders
        self.officials = officials
        self.access = access

    async def invite(self, admin_id: int) -> Invite:
        """Make a single-use invite, valid for INVITE_LIFETIME."""
        expires = datetime.now(UTC) + INVITE_LIFETIME
        token = await self.leaders.create_invite(admin_id, expires)
        logger.info("An admin created a leader invite")
        return Invite(token, expires, INVITE_LIFETIME)

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

    async def roll(self) -> LeaderRoll:
        """Return every leader, configured and invited, with the real names registered."""
        return LeaderRoll(
            configured=sorted(self.access.leaders),
            invited=await self.leaders.leaders(),
            officials=await self.officials.officials(),
        )

    async def revoke(self, user_id: int) -> RevokeOutcome:
        """Make an invited leader a participant again (configured ones stay, as configured)."""
        if user_id in self.access.leaders:
            return Configured()
        if not await self.leaders.revoke_leader(user_id):
            return NotInvited()
        self.access.invited_changed()
        logger.info("An admin revoked an invited leader")
        return Revoked()
