"""The tally message: readable on a phone, within Telegram's limits, and literal about user text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.tally_view import MESSAGE_LIMIT, bar, suggestion_messages, tally_text
from bot.texts import EN, ZH, Texts
from conversations.annex2 import ANNEX2
from conversations.engine import Ballot
from conversations.records import Window
from emulator.html_text import visible_text
from reports.wording import combined_note
from tests.tallies import compute_tally

LONGEST = Ballot(
    answers={q.id: tuple(o.id for o in q.options[: q.max_choices]) for q in ANNEX2.questions if q.options}
)


def window(**changes: object) -> Window:
    base = Window(
        id=1, token="t", unit="<县&局>", leader_id=1, is_open=True, opened_at=datetime.now(UTC), min_group=3
    )
    return base.model_copy(update=changes)


@pytest.mark.parametrize(
    ("share", "expected"), [(0, " " * 10), (1, "█" * 10), (0.5, "█████     "), (0.55, "█████▌    ")]
)
def test_bars_fill_ten_cells_in_eighths(share: float, expected: str) -> None:
    """A bar is always ten cells wide, so the labels after it line up."""
    assert bar(share) == expected


@pytest.mark.parametrize("t", [ZH, EN], ids=["zh", "en"])
def test_a_full_tally_fits_one_message_and_parses(t: object) -> None:
    """Even with every option chosen by 1,000 people the message is valid HTML under 4,096 characters."""
    tally = compute_tally(ANNEX2, [LONGEST] * 1000, received=1001, min_group=3)
    text = tally_text(t, window(expected=1200), tally)  # type: ignore[arg-type]
    visible = visible_text(text)
    assert len(visible) <= MESSAGE_LIMIT
    assert "<县&局>" in visible
    assert "1001/1200" in visible


def test_below_the_minimum_only_the_count_is_shown() -> None:
    """Two ballots: the number received, and no option figures; open, when figures will appear."""
    tally = compute_tally(ANNEX2, [], received=2, min_group=3)
    closed = visible_text(tally_text(ZH, window(is_open=False), tally))
    assert "已收到答卷：2 份" in closed
    assert ZH.TALLY_HIDDEN.format(min_group=3) in closed
    assert "暂不" not in closed  # a closed unit's figures will never appear: not "for now"
    assert "%" not in closed
    opened = visible_text(tally_text(ZH, window(), compute_tally(ANNEX2, [], received=5, min_group=3)))
    assert "收到 6 份后开始显示各选项统计" in opened
    assert "%" not in opened


def _as(category: str) -> Ballot:
    return LONGEST.model_copy(update={"answers": {**LONGEST.answers, "category": (category,)}})


@pytest.mark.parametrize(
    ("t", "line"),
    [
        (ZH, "按参评对象： 班子成员 100.0% · 中层干部、服务对象代表（合并）100.0%"),
        (EN, "By respondent category: 班子成员 100.0% · 中层干部 + 服务对象代表 (combined) 100.0%"),
    ],
    ids=["zh", "en"],
)
def test_a_category_under_k_is_shown_only_combined(t: Texts, line: str) -> None:
    """One 服务对象代表: counted with the next smallest (5 together = 2k − 1), named, no rate of their own."""
    ballots = [_as("leader")] * 5 + [_as("middle")] * 4 + [_as("served")]
    visible = visible_text(tally_text(t, window(is_open=False), compute_tally(ANNEX2, ballots, min_group=3)))
    lines = visible.splitlines()
    at = lines.index(line)
    assert lines[at + 1] == t.TALLY_COMBINED_HINT  # the rule itself is one press away
    assert combined_note(t.TALLY_COMBINED_NOTE, 3) not in visible
    assert "&lt;" not in visible
    assert "<3" not in visible


@pytest.mark.parametrize("t", [ZH, EN], ids=["zh", "en"])
def test_every_category_combined_says_they_are_too_small(t: Texts) -> None:
    """Four ballots in three categories: no line repeating the overall rate as a 合并 of them all."""
    ballots = [_as("leader")] * 2 + [_as("middle")] + [_as("served")]
    visible = visible_text(tally_text(t, window(is_open=False), compute_tally(ANNEX2, ballots, min_group=3)))
    assert t.TALLY_TOO_SMALL in visible.splitlines()
    assert t.TALLY_COMBINED_HINT not in visible
    assert "合并" not in visible.replace(t.TALLY_TOO_SMALL, "")


def test_suggestions_are_escaped_numbered_and_split_to_fit() -> None:
    """Long suggestions full of markup split across messages, each valid and within the limit."""
    suggestions = ["<b>" * 250, "a&b", *["很长的建议" * 200] * 5]
    messages = suggestion_messages(ZH, "县局", suggestions)
    assert len(messages) > 1
    visible = [visible_text(m) for m in messages]
    assert all(len(m) <= MESSAGE_LIMIT for m in visible)
    joined = "\n".join(visible)
    assert "1. " + "<b>" * 250 in joined.replace("\n\n", "")
    assert "2. a&b" in joined
    assert "7. " in joined


@pytest.mark.parametrize("t", [ZH, EN], ids=["zh", "en"])
def test_more_ballots_than_the_headcount_are_flagged_plainly(t: object) -> None:
    """A leader topping the count up with extra accounts (audit 1, finding 1) shows in the figures.

    Before: "25/20" and nothing more, easy to pass over. Now a warning names both numbers; at or
    below the headcount there is none.
    """
    tally = compute_tally(ANNEX2, [LONGEST] * 21, received=25, min_group=3)
    over = visible_text(tally_text(t, window(expected=20), tally))  # type: ignore[arg-type]
    at = visible_text(tally_text(t, window(expected=25), tally))  # type: ignore[arg-type]
    warning = "超过应到人数 20" if t is ZH else "more than the 20 people expected"
    assert warning in over
    assert "⚠️" not in at


def test_over_the_headcount_the_warning_splits_phones_and_paper() -> None:
    """Closed: 6 for 4, the phones alone over (several accounts?) or not (the paper forms to check)."""
    paper = LONGEST.model_copy(update={"paper": True})
    by_phone = visible_text(
        tally_text(
            ZH, window(expected=4, is_open=False), compute_tally(ANNEX2, [LONGEST] * 5 + [paper], min_group=3)
        )
    )
    assert (
        ZH.TALLY_OVER_SPLIT.format(ballots=6, phones=5, paper=1, expected=4) + ZH.TALLY_OVER_PHONES
        in by_phone
    )
    on_paper = visible_text(
        tally_text(
            ZH,
            window(expected=4, is_open=False),
            compute_tally(ANNEX2, [LONGEST] * 3 + [paper] * 3, min_group=3),
        )
    )
    assert (
        ZH.TALLY_OVER_SPLIT.format(ballots=6, phones=3, paper=3, expected=4) + ZH.TALLY_OVER_PAPER in on_paper
    )
    assert "多个账号" not in on_paper


def test_the_split_is_of_the_ballots_the_figures_cover() -> None:
    """共 N 份，其中纸质 M 份 once all count; while open, of the ballots counted so far."""
    paper = LONGEST.model_copy(update={"paper": True})
    closed = compute_tally(ANNEX2, [LONGEST] * 4 + [paper] * 2, min_group=3)
    assert "共 6 份，其中纸质 2 份" in visible_text(tally_text(ZH, window(is_open=False), closed))
    held = compute_tally(ANNEX2, [LONGEST, LONGEST, paper], received=7, min_group=3)
    assert "已统计的 3 份中，纸质 1 份" in visible_text(tally_text(ZH, window(), held))
