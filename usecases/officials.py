"""/me as a use case: a leader's real name and inspection group, which official records carry."""

from __future__ import annotations

from dataclasses import dataclass

from conversations.records import Official
from usecases.ports import OfficialStore

NAME_MAX = 20
GROUP_MAX = 40


@dataclass(frozen=True, slots=True)
class NameTooLong:
    """A name over NAME_MAX or a group over GROUP_MAX characters: nothing was recorded."""

    name_max: int = NAME_MAX
    group_max: int = GROUP_MAX


class Registration:
    """Record and show who a leader is."""

    def __init__(self, officials: OfficialStore) -> None:
        self.officials = officials

    async def current(self, user_id: int) -> Official | None:
        """Return the name and group the person registered, if any."""
        return await self.officials.official(user_id)

    async def of_leaders(self, leader_ids: list[int]) -> dict[int, Official]:
        """Return the registered name and group of each of these leaders who has one, by id."""
        return await self.officials.officials(leader_ids)

    async def register(self, user_id: int, name: str, group: str) -> Official | NameTooLong:
        """Record (or replace) the person's name and group, within their lengths."""
        if len(name) > NAME_MAX or len(group) > GROUP_MAX:
            return NameTooLong()
        return await self.officials.set_official(user_id, name, group)
