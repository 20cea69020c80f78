"""Who may do what: participants, group leaders, and the county office's admins."""

from __future__ import annotations

from enum import IntEnum

from bot.config import Settings
from storage.models import Window
from storage.repository import Repository


class Role(IntEnum):
    """A user's role; a higher role may do everything a lower one may."""

    PARTICIPANT = 0
    LEADER = 1
    ADMIN = 2


class Access:
    """Decide roles from the settings and the invited leaders in the database."""

    def __init__(self, settings: Settings, repository: Repository) -> None:
        self.settings = settings
        self.repository = repository

    async def role(self, user_id: int) -> Role:
        """Return the user's role."""
        if user_id in self.settings.survey_admins:
            return Role.ADMIN
        if user_id in self.settings.survey_leaders or await self.repository.is_invited_leader(user_id):
            return Role.LEADER
        return Role.PARTICIPANT

    async def can_manage(self, user_id: int, window: Window) -> bool:
        """Return True for the window's own leader (while still a leader) and for admins."""
        role = await self.role(user_id)
        return role is Role.ADMIN or (role is Role.LEADER and window.leader_id == user_id)
