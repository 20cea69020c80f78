"""The Annex 1 score sheet: the form as data, caps, totals, grade bands, revising and finalising."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.callback_data import ScorePress
from bot.score_screens import ScoreView
from bot.scoring import report_text
from bot.texts import ZH
from conversations.annex1 import ANNEX1, ScoreItem, ScoreSection, grade
from conversations.annex2 import ANNEX2
from conversations.engine import Back, Ballot, Revise
from conversations.errors import SheetFinalised, StaleStep, UnknownOption
from conversations.scoring import Award, Marking, Marks, score
from reports.documents import Evaluation, Inspection, ScoreRecord, UnitPaper
from storage.repository import Repository
from tests.tallies import compute_tally

MARKING = Marking(ANNEX1)


def full_marks_but(lost: dict[str, int]) -> Marks:
    """Return a sheet on its review with every item at its maximum minus the points in `lost`."""
    marks = MARKING.start()
    for item in ANNEX1.items:
        marks = MARKING.apply(marks, Award(marks.step, item.max_points - lost.get(item.id, 0)))
    return marks


def test_annex1_has_25_items_in_5_sections_adding_up_to_100() -> None:
    """14 + 16 + 12 + 38 + 20 = 100, each section the sum of its items."""
    assert len(ANNEX1.items) == 25
    assert [s.max_points for s in ANNEX1.sections] == [14, 16, 12, 38, 20]
    assert sum(i.max_points for i in ANNEX1.items) == 100


def test_a_section_whose_items_do_not_add_up_is_refused() -> None:
    """The definition is validated: a wrong maximum does not load."""
    with pytest.raises(ValidationError, match="add up"):
        ScoreSection(
            id="x",
            title="（一）",
            max_points=14,
            items=(ScoreItem(id="a", number="1", text="t", max_points=4),),
        )


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "不合格"),
        (59, "不合格"),
        (60, "合格"),
        (79, "合格"),
        (80, "良好"),
        (89, "良好"),
        (90, "优秀"),
        (100, "优秀"),
    ],
)
def test_grade_bands_as_the_notice_states(total: int, band: str) -> None:
    """Lower bounds inclusive: 90 is 优秀, 80 is 良好, 60 is 合格."""
    assert grade(total) == band


@pytest.mark.parametrize("total", [-1, 101])
def test_totals_outside_0_to_100_are_refused(total: int) -> None:
    """No sheet can add up to that."""
    with pytest.raises(ValueError, match="outside"):
        grade(total)


def test_points_are_capped_by_the_item() -> None:
    """An item worth 2 offers 0, 1, 2 only; a forged 3 (or -1) is refused."""
    assert list(ANNEX1.items[1].allowed_points) == [0, 1, 2]
    marks = MARKING.apply(MARKING.start(), Award(0, 4))
    for forged in (3, -1):
        with pytest.raises(UnknownOption):
            MARKING.apply(marks, Award(1, forged))


_FAIL_LINE = {"s1_1": 4, "s2_1": 4, "s3_1": 8, "s4_1a": 5, "s4_2a": 5, "s4_2b": 5, "s5_2": 5, "s2_2": 4}
WHOLE_SHEETS = [
    ({}, 100, "优秀"),
    ({"s4_1a": 5, "s4_2a": 5}, 90, "优秀"),
    ({"s3_1": 8, "s4_1a": 3}, 89, "良好"),
    ({"s4_1a": 5, "s4_2b": 5, "s5_2": 5, "s3_1": 5}, 80, "良好"),
    ({"s4_1a": 5, "s4_2b": 5, "s5_2": 5, "s3_1": 6}, 79, "合格"),
    (_FAIL_LINE, 60, "合格"),
    ({**_FAIL_LINE, "s1_2": 1}, 59, "不合格"),
]


@pytest.mark.parametrize(("lost", "total", "band"), WHOLE_SHEETS)
def test_totals_and_bands_of_whole_sheets(lost: dict[str, int], total: int, band: str) -> None:
    """The total is the sum of the sections; the band follows it."""
    result = score(ANNEX1, full_marks_but(lost))
    assert result.complete
    assert result.total == total
    assert result.grade == band
    assert sum(s.points for s in result.sections) == total


def test_subtotals_while_scoring_and_revising_from_the_review() -> None:
    """Partway: subtotals so far and no grade; a revised item changes the total."""
    marks = MARKING.start()
    for given in (4, 1, 3):
        marks = MARKING.apply(marks, Award(marks.step, given))
    partial = score(ANNEX1, marks)
    assert partial.sections[0].points == 8
    assert partial.sections[0].scored_items == 3
    assert partial.grade is None
    assert MARKING.missing(marks) == 22
    marks = MARKING.apply(marks, Back(3))
    assert marks.step == 2
    full = full_marks_but({})
    revised = MARKING.apply(MARKING.apply(full, Revise(0)), Award(0, 0))
    assert revised.step == len(ANNEX1.items)
    assert score(ANNEX1, revised).total == 96
    with pytest.raises(StaleStep):
        MARKING.apply(revised, Award(0, 1))


def test_the_review_numbers_items_as_its_buttons_do() -> None:
    """Review line N names the item that button N opens, and that step screen says 第 N/25 项."""
    view = ScoreView(ZH, ANNEX1, MARKING, "县财政局", 1, ZoneInfo("Asia/Shanghai"))
    review = full_marks_but({"s2_1": 4})
    screen = view.review(review)
    numbered = {
        line.split(".")[0].strip(): line for line in screen.text.splitlines() if line.startswith("  ")
    }
    buttons = [b for row in screen.rows for b in row if b.label.isdigit()]
    assert [b.label for b in buttons] == [str(n) for n in range(1, 26)]
    for button in buttons:
        assert isinstance(button.action, ScorePress)
        assert isinstance(button.action.press, Revise)
        item = ANNEX1.items[button.action.press.question_index]
        line = numbered[button.label]
        assert line.startswith(f"  {button.label}. {item.prompt[:6]}"), line
        step = view.step(MARKING.apply(review, button.action.press))
        assert f"第 {button.label}/25 项" in step.text
    assert "  6. 根据部门职责，理清每个工作…：0/4" in screen.text  # (二)1, worth 4, lost all 4
    assert [b.label for b in view.step(MARKING.apply(review, Revise(5))).rows[-1]] == [
        "⬅ 上一项",
        "📝 理由/照片",
    ]


async def test_a_sheet_resumes_and_cannot_change_once_finalised(tmp_path: Path) -> None:
    """Saved after every press, revised until finalised; finalising records who and when, once."""
    async with Repository(tmp_path / "survey.db") as repository:
        window, _ = await repository.open_window(1, "县财政局", min_group=3)
        assert await repository.score_sheet(window.id) is None
        await repository.save_score(window.id, full_marks_but({"s1_1": 1}))
        await repository.save_score(window.id, full_marks_but({}))
    async with Repository(tmp_path / "survey.db") as repository:
        sheet = await repository.score_sheet(window.id)
        assert sheet is not None
        assert score(ANNEX1, sheet.marks).total == 100
        assert not sheet.finalised
        assert await repository.finalise_score(window.id, 7, "张组长")
        assert not await repository.finalise_score(window.id, 8, "别人")
        with pytest.raises(SheetFinalised):
            await repository.save_score(window.id, full_marks_but({"s1_1": 4}))
        final = await repository.score_sheet(window.id)
        assert final is not None
        assert final.finalised
        assert (final.finalised_by, final.finalised_name) == (7, "张组长")
        assert score(ANNEX1, final.marks).total == 100


def test_the_unit_report_against_a_hand_computed_example() -> None:
    """Score 86 (良好) with six ballots: rate, top three and suggestions as computed by hand.

    Six ballots: five choose the first (favourable) option of every rated item, one the last
    (unfavourable): favourable rate 60 / 72 = 83.3 %. 四: a ×6, b ×4, c ×1 → a（6）；b（4）；c（1）.
    五: e ×5, d ×2 → e（5）；d（2）.
    """
    good = {q.id: (q.options[0].id,) for q in ANNEX2.questions if q.rated}
    bad = {q.id: (q.options[-1].id,) for q in ANNEX2.questions if q.rated}
    ballots = [
        Ballot(
            answers={**good, "category": ("leader",), "improve": ("a", "b"), "risks": ("e",)},
            suggestion="多公开",
        )
        for _ in range(4)
    ]
    ballots.append(
        Ballot(answers={**good, "category": ("served",), "improve": ("a", "c"), "risks": ("d", "e")})
    )
    ballots.append(Ballot(answers={**bad, "category": ("served",), "improve": ("a",), "risks": ("d",)}))
    tally = compute_tally(ANNEX2, ballots, min_group=3)
    sheet = full_marks_but({"s3_1": 8, "s4_1a": 4, "s5_2": 2})
    paper = UnitPaper(
        inspection=Inspection(unit="县财政局", day=date(2026, 11, 26), leader="张组长"),
        score=ScoreRecord(
            form=ANNEX1,
            points=sheet.points,
            finalised="2026年11月26日 张组长",
        ),
        evaluation=Evaluation(tally=tally, is_open=False),
    )
    text = report_text(ZH, paper)
    assert "检查评分：<b>86</b>/100，等级 <b>良好</b>" in text
    assert "（三）廉政风险等级划分情况（12分）：4/12" in text
    assert "收到答卷 6 份，满意率 <b>83.3%</b>" in text
    assert (
        "最需改进（前三）：领导班子重大决策制度执行需改进完善（6）；选人用人办法需改进完善（4）；重大项目确定和实施需加强和完善防控措施（1）"
        in text
    )
    assert "最突出风险（前三）：内部管理权潜在风险大（5）；现场处决权风险大（2）" in text
    assert "意见建议：4 条" in text


async def test_a_sheet_saved_by_an_earlier_release_reads_back(tmp_path: Path) -> None:
    """Sheets stored as survey-style answers ('p<points>' options) load as marks, points intact."""
    async with Repository(tmp_path / "survey.db") as repository:
        window, _ = await repository.open_window(1, "县财政局", min_group=3)
        old = (
            '{"step": 2, "answers": {"s1_1": ["p4"], "s1_2": ["p1"]}, "suggestion": null, "revising": false}'
        )
        await repository._db.execute(
            "INSERT INTO score_sheets (window_id, state, updated_at) VALUES (?, ?, ?)",
            (window.id, old, "2026-11-26T10:00:00+00:00"),
        )
        sheet = await repository.score_sheet(window.id)
    assert sheet is not None
    assert sheet.marks == Marks(step=2, points={"s1_1": 4, "s1_2": 1})
