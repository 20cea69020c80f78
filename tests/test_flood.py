"""Per-person flood protection."""

from __future__ import annotations

from bot.flood import PressGate


def test_presses_beyond_the_limit_in_flight_are_refused() -> None:
    """Three presses of one person may wait at once; the fourth is refused until one is done."""
    gate = PressGate(limit=3)
    assert [gate.enter(1) for _ in range(4)] == [True, True, True, False]
    assert gate.enter(2)  # someone else is not affected
    gate.leave(1)
    assert gate.enter(1)


def test_a_person_who_waits_for_each_answer_is_never_refused() -> None:
    """Press, handled, press again: always admitted, and nothing is remembered afterwards."""
    gate = PressGate(limit=3)
    for _ in range(100):
        assert gate.enter(7)
        gate.leave(7)
    assert len(gate) == 0
