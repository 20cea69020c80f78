"""The emulator's flood control refuses what Telegram would: per chat, per group, with retry_after."""

from __future__ import annotations

import pytest

from emulator import ApiError
from emulator.flood import FloodControl, FloodRules


def refused(control: FloodControl, chat_id: int, now: float) -> int | None:
    """Return the retry_after of a refusal, or None if the send was admitted."""
    try:
        control.admit(chat_id, now)
    except ApiError as error:
        refusal = error
    else:
        return None
    assert refusal.code == 429
    assert refusal.payload()["parameters"] == {"retry_after": refusal.retry_after}
    return refusal.retry_after


def test_a_private_chat_allows_a_burst_then_one_a_second() -> None:
    """Three at once, the fourth refused for a second; a second later one more goes through."""
    control = FloodControl(FloodRules())
    assert [refused(control, 1, 0.0) for _ in range(3)] == [None, None, None]
    assert refused(control, 1, 0.1) == 1
    assert refused(control, 1, 1.0) is None
    assert refused(control, 1, 1.5) == 1


def test_chats_do_not_share_a_budget() -> None:
    """A chat that has spent its burst does not hold back another chat."""
    control = FloodControl(FloodRules())
    for _ in range(3):
        control.admit(1, 0.0)
    assert refused(control, 1, 0.0) == 1
    assert refused(control, 2, 0.0) is None


def test_a_group_allows_twenty_a_minute() -> None:
    """Twenty messages in a group within a minute, the 21st refused until the first is a minute old."""
    control = FloodControl(FloodRules())
    for second in range(20):
        assert refused(control, -100, float(second)) is None
    assert refused(control, -100, 30.0) == 30
    assert refused(control, -100, 60.0) is None


def test_the_overall_ceiling_is_off_unless_asked_for() -> None:
    """By default 100 chats may each send at once; with a ceiling of 30 a second the 31st waits."""
    assert all(refused(FloodControl(FloodRules()), chat, 0.0) is None for chat in range(1, 101))
    control = FloodControl(FloodRules(overall_per_second=30))
    assert [refused(control, chat, 0.0) for chat in range(1, 31)] == [None] * 30
    assert refused(control, 31, 0.5) == 1


@pytest.mark.parametrize("chat_id", [1, -100])
def test_refusals_count_nothing(chat_id: int) -> None:
    """Being refused does not use up the budget: the next send after the wait goes through."""
    control = FloodControl(FloodRules(chat_burst=1, group_per_minute=1))
    control.admit(chat_id, 0.0)
    for _ in range(10):
        assert refused(control, chat_id, 0.5) is not None
    assert refused(control, chat_id, 60.0) is None
