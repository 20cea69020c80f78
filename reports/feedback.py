"""Workbooks for the feedback meeting (a unit's report) and the county office (the summary)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import xlsxwriter

from conversations.annex1 import ScoreForm
from conversations.scoring import Marks, score
from conversations.tally import OptionCount, Tally
from reports.sheets import neutralise

TOP = 3


def top_three(counts: tuple[OptionCount, ...]) -> list[OptionCount]:
    """Return the three most chosen options that anyone chose, most chosen first."""
    return [c for c in sorted(counts, key=lambda c: -c.count) if c.count][:TOP]


@dataclass(frozen=True, slots=True)
class UnitFeedback:
    """What the unit report combines: the group's score sheet and the evaluation's figures."""

    unit: str
    leader: str
    form: ScoreForm
    sheet: Marks | None
    finalised: str | None  # "2026-11-26 10:00 张三", or None for a draft
    tally: Tally
    is_open: bool
    survey_times: str = ""  # when the evaluation opened (and closed), in local time
    made_at: str = ""  # when this report was made, in local time


def unit_workbook(feedback: UnitFeedback) -> bytes:
    """Return one sheet 单位报告 (score and evaluation), and 意见建议 once the evaluation closed."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    percent = book.add_format({"num_format": "0.0%"})
    sheet = book.add_worksheet("单位报告")
    sheet.set_column(0, 0, 70)
    sheet.set_column(1, 3, 14)
    row = 0

    def put(*cells: str | float | None, style: xlsxwriter.format.Format | None = None) -> None:
        nonlocal row
        for column, value in enumerate(cells):
            if isinstance(value, str):
                sheet.write_string(row, column, neutralise(value), style)
            elif value is not None:
                sheet.write_number(row, column, value, style)
        row += 1

    put(f"{feedback.unit} 检查考核结果", style=bold)
    put("组长", feedback.leader)
    if feedback.survey_times:
        put("民主测评时间", feedback.survey_times)
    if feedback.made_at:
        put("报告生成时间", feedback.made_at)
    put("附件1 检查评分", "得分", "满分", style=bold)
    marks = feedback.sheet or Marks()
    result = score(feedback.form, marks)
    for section_score in result.sections:
        put(section_score.section.title, section_score.points, section_score.section.max_points, style=bold)
        for item in section_score.section.items:
            given = marks.points.get(item.id)
            put(f"  {item.number}. {item.text}", given, item.max_points)
    put("合计", result.total, 100, style=bold)
    put("等级", result.grade or "（未评完）")
    put("评分状态", f"已定稿：{feedback.finalised}" if feedback.finalised else "未定稿")
    row += 1
    tally = feedback.tally
    put("附件2 民主测评", style=bold)
    put("收到答卷", tally.received)
    put("统计答卷", tally.counted)
    rate = tally.favourable_rate
    put("民主测评满意率", "—" if rate is None else None)
    if rate is not None:
        sheet.write_number(row - 1, 1, rate, percent)
    for question_id, heading in (("improve", "最需改进（前三）"), ("risks", "最突出风险（前三）")):
        put(heading, "人数", style=bold)
        for count in top_three(tally.question(question_id).counts) if tally.counted else []:
            put(f"  {count.option.label}", count.count)
    if not feedback.is_open:
        notes = book.add_worksheet("意见建议")
        notes.write_string(0, 0, "其它意见建议（顺序随机）", bold)
        notes.set_column(0, 0, 90)
        for index, text in enumerate(tally.suggestions, start=1):
            notes.write_string(index, 0, neutralise(text))
    book.close()
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One unit in the county summary."""

    unit: str
    leader: str
    is_open: bool
    ballots: int
    favourable_rate: float | None
    total: int | None  # the Annex 1 total of a finalised sheet
    grade: str | None


def summary_workbook(rows: Sequence[SummaryRow]) -> bytes:
    """Return the county summary: one row per unit, numbers as numbers, with filters to sort by."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    percent = book.add_format({"num_format": "0.0%"})
    sheet = book.add_worksheet("全县汇总")
    header = ["被评议单位", "组长", "测评状态", "收到答卷", "民主测评满意率", "检查评分", "等级"]
    for column, title in enumerate(header):
        sheet.write_string(0, column, title, bold)
    for index, item in enumerate(rows, start=1):
        sheet.write_string(index, 0, neutralise(item.unit))
        sheet.write_string(index, 1, neutralise(item.leader))
        sheet.write_string(index, 2, "进行中" if item.is_open else "已结束")
        sheet.write_number(index, 3, item.ballots)
        if item.favourable_rate is not None:
            sheet.write_number(index, 4, item.favourable_rate, percent)
        if item.total is not None:
            sheet.write_number(index, 5, item.total)
        sheet.write_string(index, 6, item.grade or "未定稿")
    sheet.autofilter(0, 0, max(1, len(rows)), len(header) - 1)
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 1, 24)
    sheet.set_column(2, 6, 14)
    bands = book.add_worksheet("等级分布")
    bands.write_string(0, 0, "等级", bold)
    bands.write_string(0, 1, "单位数", bold)
    for index, band in enumerate(("优秀", "良好", "合格", "不合格", "未定稿"), start=1):
        bands.write_string(index, 0, band)
        bands.write_number(index, 1, sum(1 for r in rows if (r.grade or "未定稿") == band))
    book.close()
    return buffer.getvalue()
