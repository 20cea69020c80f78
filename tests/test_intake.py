"""What an open window keeps: a register and an unfinished batch whose bytes hold no arrival order."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from emulator.respondents import random_ballot
from storage.intake import pending_ballots, pending_json, register_with, registered

KEYS = st.lists(st.binary(min_size=32, max_size=32), unique=True, max_size=40)


@given(keys=KEYS, stranger=st.binary(min_size=32, max_size=32))
def test_the_register_is_the_sorted_keys_whatever_order_they_came_in(
    keys: list[bytes], stranger: bytes
) -> None:
    """Added one by one in any order, the register is the same bytes: the keys sorted."""
    register = b""
    for key in keys:
        register = register_with(register, key)
    assert register == b"".join(sorted(keys))
    assert all(registered(register, key) for key in keys)
    assert registered(register, stranger) == (stranger in keys)


@given(seed=st.integers(), size=st.integers(min_value=0, max_value=5))
def test_the_unfinished_batch_is_the_same_bytes_in_any_arrival_order(seed: int, size: int) -> None:
    """The stored batch depends on which ballots it holds, not on which came last."""
    rng = random.Random(seed)  # noqa: S311 - test data
    ballots = [random_ballot(rng) for _ in range(size)]
    shuffled = rng.sample(ballots, len(ballots))
    assert pending_json(shuffled) == pending_json(ballots)
    assert pending_json(pending_ballots(pending_json(ballots))) == pending_json(ballots)
