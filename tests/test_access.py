"""Roles and ownership, as use cases: who is a leader or an admin, and who manages which window."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.repository import Repository
from usecases.access import Access, Actor, Role, can_manage
from usecases.roles import BecameLeader, InviteSpent, NotAnInvite, Roles

LEADER, ADMIN, INVITED, STRANGER = 10, 20, 30, 40


@pytest.fixture
async def repository(tmp_path: Path) -> AsyncIterator[Repository]:
    async with Repository(tmp_path / "survey.db") as repository:
        yield repository


async def test_roles_come_from_the_settings_and_from_invites(repository: Repository) -> None:
    """Configured ids are leaders or admins; an invite makes a leader at once, and only once."""
    access = Access(frozenset({LEADER}), frozenset({ADMIN}), repository)
    roles = Roles(repository, access)
    assert [await access.role(user) for user in (LEADER, ADMIN, INVITED)] == [
        Role.LEADER,
        Role.ADMIN,
        Role.PARTICIPANT,
    ]
    token, _ = await repository.create_invite(ADMIN)
    assert await roles.redeem("not-an-invite", INVITED, "新组长") == NotAnInvite()
    assert await roles.redeem(token, INVITED, "新组长") == BecameLeader()
    assert await access.role(INVITED) is Role.LEADER
    assert await roles.redeem(token, STRANGER, "别人") == InviteSpent()
    assert await access.role(STRANGER) is Role.PARTICIPANT


async def test_a_window_is_managed_by_its_own_leader_and_by_admins(repository: Repository) -> None:
    """Another leader, a participant, or the leader in a lower role manage nothing of it."""
    window, _ = await repository.open_window(LEADER, "县财政局", min_group=3)
    assert can_manage(Actor(LEADER, "组长", Role.LEADER), window)
    assert can_manage(Actor(ADMIN, "县廉效办", Role.ADMIN), window)
    assert not can_manage(Actor(INVITED, "另一组长", Role.LEADER), window)
    assert not can_manage(Actor(LEADER, "被撤销的组长", Role.PARTICIPANT), window)
