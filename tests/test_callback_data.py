"""Callback data: every action survives a round trip within 64 bytes; anything else is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callback_data import (
    Action,
    AskClose,
    AskRevoke,
    BeginPaper,
    BeginSurvey,
    CancelClose,
    ConfirmClose,
    ConfirmFinalise,
    ConfirmRevoke,
    ConfirmSections,
    CountPaper,
    ExplainCombined,
    FinaliseScore,
    FinaliseSections,
    InviteKeyer,
    KeepLeader,
    MoreSlips,
    NoteDone,
    NoteItem,
    OpenRound,
    PaperPress,
    PrintSlips,
    ReopenSections,
    ScorePress,
    SendChart,
    SendExport,
    SendGroupReport,
    SendPaperForm,
    SendReport,
    ShowPaper,
    ShowPaperCounts,
    ShowScore,
    ShowSlips,
    ShowTally,
    SkipSection,
    StartScore,
    StartWriting,
    SubmitBallot,
    SubmitPaper,
    SurveyPress,
    WaitKeying,
    WriteConclusions,
    WriteSection,
    decode,
    encode,
    kinds,
)
from conversations.engine import Back, Choose, FinishChoices, KeepText, Revise, SkipText, Spoil, Toggle
from conversations.scoring import Award

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
    ScorePress(2, Award(24, 10)),
    ScorePress(2, Back(3)),
    ScorePress(2, Revise(24)),
    FinaliseScore(2),
    ShowScore(2),
    ConfirmFinalise(2),
    NoteItem(2, 24),
    NoteDone(2),
    WriteSection(2, 3),
    SkipSection(2, 0),
    FinaliseSections(2),
    ConfirmSections(2),
    ReopenSections(2),
    OpenRound(2, 25, by_slips=True, slips=40),
    WaitKeying(2),
    WriteConclusions(0),
    SendGroupReport(0, 9001),
    ExplainCombined(7),
    AskRevoke(0, 4242),
    ConfirmRevoke(0, 4242),
    KeepLeader(0, 4242),
    SendChart(8),
    SendExport(9),
    StartScore(10),
    SendReport(11),
    StartWriting(12),
    PaperPress(13, Spoil(4)),
    PaperPress(13, Toggle(14, "e", selected=True)),
    PaperPress(13, Revise(2)),
    ShowPaper(13),
    ShowPaperCounts(13),
    ShowSlips(13),
    PrintSlips(13, count=40, seen=0),
    MoreSlips(13),
    CountPaper(13, invalid=True, seen=4, to=5),
    BeginPaper(13),
    SubmitPaper(13),
    SendPaperForm(13),
    InviteKeyer(13),
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


ALPHABET = "0123456789:abdgklrstxyS_-é"


def single_edits(data: str) -> set[str]:
    """Return every string one deletion, insertion or substitution away from `data`."""
    cuts = {data[:i] + data[i + 1 :] for i in range(len(data))}
    added = {data[:i] + c + data[i:] for i in range(len(data) + 1) for c in ALPHABET}
    swapped = {data[:i] + c + data[i + 1 :] for i in range(len(data)) for c in ALPHABET}
    return (cuts | added | swapped) - {data}


@pytest.mark.parametrize("action", ACTIONS, ids=repr)
def test_one_damaged_character_is_refused_or_spells_another_valid_action(action: Action) -> None:
    """A string one edit away decodes to None or to an action that encodes to exactly that string.

    Both happen: 'a:1:2:b' → 'a:1:2:c' is another real press, 'a:1:2:' is nothing; what never
    happens is a string read as an action it does not spell (a leading zero, a stray character).
    """
    decoded = {damaged: decode(damaged) for damaged in single_edits(encode(action))}
    valid = {damaged: found for damaged, found in decoded.items() if found is not None}
    assert all(encode(found) == damaged for damaged, found in valid.items())
    assert valid
    assert len(valid) < len(decoded)


@given(st.sampled_from(ACTIONS), st.integers(0, 64), st.integers(0, 4), st.text(ALPHABET, max_size=4))
def test_damaged_data_is_refused_or_spells_exactly_the_action(
    action: Action, at: int, cut: int, inserted: str
) -> None:
    """Any cut and insertion anywhere: None, or an action whose own encoding is that very string."""
    data = encode(action)
    damaged = data[:at] + inserted + data[at + cut :]
    decoded = decode(damaged)
    if damaged == data:
        assert decoded == action
    else:
        assert decoded is None or encode(decoded) == damaged


def test_every_kind_of_button_is_covered_here() -> None:
    """The examples above include every kind of button the bot declares."""
    assert {type(action) for action in ACTIONS} == set(kinds())
