"""The group's 总结报告 to the county office as a Word document: units, common problems, good practice."""

from __future__ import annotations

from collections.abc import Sequence

from conversations.annex1 import BANDS
from reports.documents import IMPROVE, RISKS, ChoiceTotal, GroupPaper, UnitPaper, choice_totals
from reports.word import Cell, Paper
from reports.wording import NUMBERS, day, rate

UNITS_WIDTHS = (1.1, 3.7, 4.0, 1.3, 1.4, 2.0, 2.1)  # 检查时间 on one line: 2026年11月26日
CHOICES_WIDTHS = (6.6, 2.2, 3.4, 3.4)
CHOICES_HEADER = ("选项", "选择人次", "选择人次占测评表份数", "列入前三项的单位数")
UNGRADED = "未定稿"
NOT_WRITTEN = "组长尚未填写。"


def _ordinal(index: int) -> str:
    """Return （一）, （二）, … for the first hundred sub-headings."""
    tens, ones = divmod(index + 1, 10)
    if tens == 0:
        return f"（{NUMBERS[ones - 1]}）"
    prefix = "" if tens == 1 else NUMBERS[tens - 1]
    return f"（{prefix}十{NUMBERS[ones - 1] if ones else ''}）"


def group_title(group: str) -> str:
    """Return the report's title."""
    return f"{group or '检查考核组'}建立廉政风险防范机制工作\n检查考核总结报告"


def unit_grade(unit: UnitPaper) -> tuple[int | None, str]:
    """Return a unit's total and grade as the report counts them: only a finalised sheet counts."""
    score = unit.score
    if score is None or score.finalised is None or score.result.grade is None:
        return None, UNGRADED
    return score.result.total, score.result.grade


def band_counts(units: Sequence[UnitPaper]) -> dict[str, int]:
    """Return how many units are in each grade band, and how many are not graded yet."""
    grades = [unit_grade(unit)[1] for unit in units]
    return {band: grades.count(band) for band in [*(name for _, name in BANDS), UNGRADED]}


def _dates(units: Sequence[UnitPaper]) -> str:
    days = sorted({unit.inspection.day for unit in units})
    if not days:
        return ""
    return day(days[0]) if len(days) == 1 else f"{day(days[0])}至{day(days[-1])}"


def group_report_docx(paper: GroupPaper) -> bytes:
    """Return the 总结报告 as a .docx."""
    group = paper.group or "检查考核组"
    document = Paper(group_title(paper.group).replace("\n", ""), paper.leader, paper.day)
    document.title(group_title(paper.group))
    document.text("县廉效办：", indent=False)
    units = paper.units
    document.text(
        f"按照全县建立廉政风险防范机制工作检查考核安排，{group}（组长：{paper.leader}）于{_dates(units)}"
        f"对 {len(units)} 个单位建立廉政风险防范机制工作进行了检查考核，通过听取汇报、民主测评、"
        "实地查看和综合评定，形成检查考核结果。现将有关情况报告如下。"
    )
    document.heading("一、检查考核结果")
    counts = band_counts(units)
    bands = "，".join(f"{band} {count} 个" for band, count in counts.items() if band != UNGRADED)
    pending = f"；尚有 {counts[UNGRADED]} 个单位评分未定稿" if counts[UNGRADED] else ""
    document.text(f"{len(units)} 个单位中，{bands}{pending}。各单位结果如下：")
    rows: list[list[Cell]] = []
    for position, unit in enumerate(units, start=1):
        total, grade = unit_grade(unit)
        tally = unit.evaluation.tally
        rows.append(
            [
                position,
                unit.inspection.unit,
                day(unit.inspection.day),
                "—" if total is None else total,
                grade,
                rate(tally.favourable_rate) if tally.counted else "—",
                tally.received,
            ]
        )
    document.table(
        ("序号", "被评议单位", "检查时间", "得分", "等级", "满意率", "测评份数"), rows, UNITS_WIDTHS
    )
    document.heading("二、民主测评反映的共性问题")
    for index, (question_id, heading) in enumerate(
        ((IMPROVE, "最需要和亟待加强改进的方面"), (RISKS, "最突出的风险"))
    ):
        document.heading(f"{_ordinal(index)}{heading}", level=2)
        _choices(document, choice_totals(units, question_id))
    document.heading("三、各单位好经验好做法和存在不足")
    for index, unit in enumerate(units):
        document.heading(f"{_ordinal(index)}{unit.inspection.unit}（{day(unit.inspection.day)}）", level=2)
        written = [
            (label, text.strip())
            for label, text in (
                ("好经验好做法", unit.good_practice),
                ("存在不足", unit.findings.shortcomings),
            )
            if text.strip()
        ]
        for label, text in written:
            first, *rest = text.splitlines()
            document.text(f"{label}：{first}" + "".join(f"\n{line}" for line in rest))
        if not written:
            document.text(NOT_WRITTEN)
    document.heading("四、结论和建议")
    document.text(paper.conclusions.strip() or NOT_WRITTEN)
    document.signature(group, f"组长：{paper.leader}", day(paper.day))
    return document.to_bytes()


def _choices(document: Paper, totals: list[ChoiceTotal]) -> None:
    if not totals or not totals[0].ballots:
        document.text("暂无可统计的测评表。")
        return
    ballots = totals[0].ballots
    first = totals[0]
    document.text(
        f"在 {ballots} 份测评表中，选择最多的是“{first.label}”（{first.chosen} 人次，"
        f"{first.units_top_three} 个单位列入前三项）。"
    )
    rows: list[list[Cell]] = [
        [t.label, t.chosen, f"{100 * t.chosen / ballots:.0f}%", t.units_top_three] for t in totals
    ]
    document.table(CHOICES_HEADER, rows, CHOICES_WIDTHS)
