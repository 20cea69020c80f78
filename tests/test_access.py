"""Roles and ownership, as use cases: who is a leader or an admin, and who manages which window."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage.repository import Repository
from usecases.access import Access, Actor, Role, can_manage
from usecases.roles import (
    INVITE_LIFETIME,
    BecameLeader,
    Configured,
    InviteSpent,
    NotAnInvite,
    NotInvited,
    Revoked,
    Roles,
    parse_user_id,
)

LEADER, ADMIN, INVITED, STRANGER = 10, 20, 30, 40


@pytest.fixture
async def repository(tmp_path: Path) -> AsyncIterator[Repository]:
    async with Repository(tmp_path / "survey.db") as repository:
        yield repository


async def test_roles_come_from_the_settings_and_from_invites(repository: Repository) -> None:
    """Configured ids are leaders or admins; an invite makes a leader at once, and only once."""
    access = Access(frozenset({LEADER}), frozenset({ADMIN}), repository)
    roles = Roles(repository, repository, access)
    assert [await access.role(user) for user in (LEADER, ADMIN, INVITED)] == [
        Role.LEADER,
        Role.ADMIN,
        Role.PARTICIPANT,
    ]
    token = (await roles.invite(ADMIN)).token
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


async def test_an_invite_lasts_its_lifetime_and_revoking_undoes_it(repository: Repository) -> None:
    """The invite says until when it is valid; revoking works for invited leaders only."""
    access = Access(frozenset({LEADER}), frozenset({ADMIN}), repository)
    roles = Roles(repository, repository, access)
    before = datetime.now(UTC)
    invite = await roles.invite(ADMIN)
    assert invite.lifetime == INVITE_LIFETIME == timedelta(hours=24)
    assert before + INVITE_LIFETIME <= invite.expires <= datetime.now(UTC) + INVITE_LIFETIME
    await roles.redeem(invite.token, INVITED, "新组长")
    roll = await roles.roll()
    assert roll.configured == [LEADER]
    assert [leader.user_id for leader in roll.invited] == [INVITED]
    assert roll.unnamed == {LEADER, INVITED}
    assert await roles.revoke(LEADER) == Configured()
    assert await roles.revoke(STRANGER) == NotInvited()
    assert await roles.revoke(INVITED) == Revoked()
    assert await access.role(INVITED) is Role.PARTICIPANT


async def test_an_expired_invite_makes_nobody_a_leader(repository: Repository) -> None:
    """Past its expiry an invite is spent."""
    access = Access(frozenset(), frozenset({ADMIN}), repository)
    token = await repository.create_invite(ADMIN, datetime.now(UTC) - timedelta(seconds=1))
    assert await Roles(repository, repository, access).redeem(token, INVITED, "新组长") == InviteSpent()
    assert await access.role(INVITED) is Role.PARTICIPANT


@pytest.mark.parametrize(
    ("text", "user_id"),
    [("42", 42), ("9999999999999999", 9_999_999_999_999_999), ("0", None), ("042", None),
     ("10000000000000000", None), ("-5", None), ("", None), ("١٢", None), ("4 2", None)],
)  # fmt: skip
def test_user_ids_are_positive_whole_numbers_of_up_to_16_digits(text: str, user_id: int | None) -> None:
    """The one rule for a Telegram user id, used by the configuration and by /revoke."""
    assert parse_user_id(text) == user_id
