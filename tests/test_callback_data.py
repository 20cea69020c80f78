"""Callback data: every action survives a round trip within 64 bytes; anything else is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callback_data import (
    Action,
    AskClose,
    BeginSurvey,
    CancelClose,
    ConfirmClose,
    ShowTally,
    SubmitBallot,
    SurveyPress,
    decode,
    encode,
)
from conversations.engine import Back, Choose, FinishChoices, KeepText, Revise, SkipText, Toggle

BIG = 10**17  # far more windows than a county will ever open
ACTIONS: list[Action] = [
    BeginSurvey(BIG),
    SubmitBallot(3),
    ShowTally(4),
    AskClose(5),
    ConfirmClose(6),
    CancelClose(7),
    SurveyPress(BIG, Choose(15, "democracy_openness")),
    SurveyPress(1, Toggle(13, "e", selected=True)),
    SurveyPress(1, Toggle(13, "e", selected=False)),
    SurveyPress(1, FinishChoices(14)),
    SurveyPress(1, KeepText(15)),
    SurveyPress(1, SkipText(15)),
    SurveyPress(1, Back(16)),
    SurveyPress(1, Revise(0)),
]


@pytest.mark.parametrize("action", ACTIONS, ids=repr)
def test_round_trip_within_64_bytes(action: Action) -> None:
    """Encoding then decoding gives the same action, and the data fits Telegram's limit."""
    data = encode(action)
    assert len(data.encode()) <= 64
    assert decode(data) == action


@pytest.mark.parametrize(
    "data",
    [None, "", "a", "a:1", "a:1:2", "a:x:2:b", "a:01:2:b", "t:1:2:b:2", "lt:", "zz:1", "g:1:2", "a:1:2:B"],
)
def test_malformed_data_does_not_decode(data: str | None) -> None:
    """Truncated, padded or foreign strings decode to None."""
    assert decode(data) is None


@given(st.text(max_size=80))
def test_decoding_never_crashes(data: str) -> None:
    """Any string at all either decodes to an action or to None."""
    action = decode(data)
    if action is not None:
        assert encode(action) == data
