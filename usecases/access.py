"""Who may do what: participants, group leaders, and the county office's admins."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from conversations.records import Window
from usecases.ports import LeaderStore


class Role(IntEnum):
    """A user's role; a higher role may do everything a lower one may."""

    PARTICIPANT = 0
    LEADER = 1
    ADMIN = 2


@dataclass(frozen=True, slots=True)
class Actor:
    """Who asks for a use case: a person with the role the door established."""

    user_id: int
    name: str
    role: Role


def can_manage(actor: Actor, window: Window) -> bool:
    """Return True for the window's own leader (while still a leader) and for admins."""
    return actor.role is Role.ADMIN or (actor.role is Role.LEADER and window.leader_id == actor.user_id)


def owns(actor: Actor, window: Window) -> bool:
    """Return True for the leader who opened the window (while still a leader): only they score it."""
    return actor.role >= Role.LEADER and window.leader_id == actor.user_id


class Access:
    """Decide roles from the configured ids and the leaders made by invites."""

    def __init__(self, leaders: frozenset[int], admins: frozenset[int], invited: LeaderStore) -> None:
        self.leaders = leaders
        self.admins = admins
        self.invited = invited
        # Invited leaders change only through this process (redeem, revoke): kept in memory,
        # so that deciding a role costs no query on the participants' hot path.
        self._invited_ids: frozenset[int] | None = None

    async def role(self, user_id: int) -> Role:
        """Return the user's role."""
        if user_id in self.admins:
            return Role.ADMIN
        if user_id in self.leaders or user_id in await self._invited():
            return Role.LEADER
        return Role.PARTICIPANT

    async def holders(self) -> dict[Role, list[int]]:
        """Return who leads (configured, or invited and not an admin) and who administers, by id."""
        leaders = self.leaders | (await self._invited() - self.admins)
        return {Role.LEADER: sorted(leaders), Role.ADMIN: sorted(self.admins)}

    def invited_changed(self) -> None:
        """Forget the invited leaders (an invite was redeemed or a leader revoked)."""
        self._invited_ids = None

    async def _invited(self) -> frozenset[int]:
        if self._invited_ids is None:
            self._invited_ids = frozenset(leader.user_id for leader in await self.invited.leaders())
        return self._invited_ids
