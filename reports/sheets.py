"""Exports a spreadsheet can open: an XLSX workbook with native charts, and a CSV of the ballots."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from conversations.engine import Ballot
from conversations.questionnaire import Polarity, QuestionKind, Questionnaire
from conversations.tally import Tally
from reports.localtime import stamp

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_POLARITY = {Polarity.FAVOURABLE: "满意", Polarity.NEUTRAL: "中性", Polarity.UNFAVOURABLE: "不满意"}


def neutralise(value: str) -> str:
    """Return text a spreadsheet will not run as a formula (a leading ' where it could)."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def ballot_rows(
    questionnaire: Questionnaire, ballots: Sequence[Ballot], *, min_group: int, category_id: str = "category"
) -> tuple[list[str], list[list[str]]]:
    """Return a header and one row per ballot (option texts), shuffled; no suggestions.

    A respondent category held by fewer than `min_group` of these ballots is not shown, so a
    row cannot be pinned on one of a handful of people.
    """
    questions = [q for q in questionnaire.questions if q.kind is not QuestionKind.TEXT]
    sizes = Counter(option for b in ballots for option in b.answers.get(category_id, ()))
    header = ["序号", *(q.prompt for q in questions)]
    rows = []
    for ballot in ballots:
        row = []
        for question in questions:
            chosen = ballot.answers.get(question.id, ())
            if question.id == category_id and any(sizes[c] < min_group for c in chosen):
                row.append(f"（不足{min_group}人，不显示）")
                continue
            labels = [o.label for o in question.options if o.id in chosen]
            row.append("；".join(labels))
        rows.append(row)
    random.SystemRandom().shuffle(rows)
    return header, [[str(number), *row] for number, row in enumerate(rows, start=1)]


def ballots_csv(header: list[str], rows: list[list[str]]) -> bytes:
    """Return the ballot rows as CSV in UTF-8 with a BOM, so Excel reads the Chinese right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


class _Sheet:
    """A worksheet written row by row, every text cell as a neutralised string."""

    def __init__(self, sheet: Worksheet, formats: dict[str, xlsxwriter.format.Format]) -> None:
        self.sheet = sheet
        self.formats = formats
        self.row = 0

    def write(self, *cells: str | float | None, style: str | None = None, percent_at: int = -1) -> None:
        """Write one row: text neutralised, numbers as numbers, the cell at `percent_at` as %."""
        for column, value in enumerate(cells):
            cell_format = self.formats["percent"] if column == percent_at else self.formats.get(style or "")
            if isinstance(value, str):
                self.sheet.write_string(self.row, column, neutralise(value), cell_format)
            elif value is not None:
                self.sheet.write_number(self.row, column, value, cell_format)
        self.row += 1


@dataclass(frozen=True, slots=True)
class UnitReport:
    """Everything an export of one unit is made from."""

    questionnaire: Questionnaire
    unit: str
    is_open: bool
    tally: Tally
    ballots: Sequence[Ballot]
    suggestions: Sequence[str] | None  # None while open: suggestions are shown only after close
    opened_at: datetime
    closed_at: datetime | None
    exported_at: datetime
    zone: ZoneInfo  # SURVEY_TZ: every time is written as the county reads its clocks


def workbook(report: UnitReport) -> bytes:
    """Return the XLSX workbook: 汇总 (with bar charts), 答卷, and 意见建议 once closed."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    formats = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "bold": book.add_format({"bold": True}),
        "percent": book.add_format({"num_format": "0.0%"}),
    }
    _summary(book, formats, report)
    header, rows = ballot_rows(report.questionnaire, report.ballots, min_group=report.tally.min_group)
    sheet = _Sheet(book.add_worksheet("答卷"), formats)
    sheet.write(*header, style="bold")
    for number, *cells in rows:
        sheet.write(int(number), *cells)
    sheet.sheet.freeze_panes(1, 1)
    if report.suggestions is not None:
        notes = _Sheet(book.add_worksheet("意见建议"), formats)
        notes.write("序号", "其它意见建议（顺序随机）", style="bold")
        shuffled = list(report.suggestions)
        random.SystemRandom().shuffle(shuffled)
        for position, suggestion in enumerate(shuffled, start=1):
            notes.write(position, suggestion)
        notes.sheet.set_column(1, 1, 80)
    book.close()
    return buffer.getvalue()


def _summary(
    book: xlsxwriter.Workbook, formats: dict[str, xlsxwriter.format.Format], report: UnitReport
) -> None:
    tally = report.tally
    sheet = _Sheet(book.add_worksheet("汇总"), formats)
    sheet.sheet.set_column(0, 0, 34)
    sheet.sheet.set_column(1, 1, 40)
    sheet.write(f"{report.unit} 民主测评汇总", style="title")
    sheet.write("状态", "进行中（仅含已满批次的答卷）" if report.is_open else "已结束（最终结果）")
    sheet.write("已收到答卷", tally.received)
    sheet.write("统计答卷", tally.counted)
    rate = tally.favourable_rate
    sheet.write("民主测评满意率", f"{100 * rate:.1f}%" if rate is not None else "—")
    sheet.write("开始时间", stamp(report.opened_at, report.zone))
    if report.closed_at is not None:
        sheet.write("结束时间", stamp(report.closed_at, report.zone))
    sheet.write("导出时间", stamp(report.exported_at, report.zone))
    sheet.row += 1
    sheet.write("题目", "选项", "人数", "占比", "倾向", style="bold")
    charts: list[tuple[str, int, int]] = []
    for item in tally.questions:
        ranked = item.ranked() if item.question.kind is QuestionKind.MULTI else item.counts
        first = sheet.row
        for count in ranked:
            share = count.count / tally.counted if tally.counted else 0.0
            polarity = _POLARITY.get(count.option.polarity) if count.option.polarity else ""
            sheet.write(item.question.prompt, count.option.label, count.count, share, polarity, percent_at=3)
        charts.append((item.question.prompt, first, sheet.row - 1))
        if item.question.rated:
            sheet.write(
                f"{item.question.prompt} 满意率", None, None, item.favourable_rate or 0.0, percent_at=3
            )
    sheet.row += 1
    _breakdown_table(sheet, tally)
    _charts(book, sheet.sheet, charts, tally)


def _breakdown_table(sheet: _Sheet, tally: Tally) -> None:
    """Favourable rate per rated item and respondent category; groups under k show '<k'."""
    rated = [item for item in tally.questions if item.question.rated]
    sheet.write("按参评对象的满意率", style="bold")
    sheet.write("题目", *(f"{row.category.label}（{row.ballots}）" for row in tally.breakdown), style="bold")
    small = f"<{tally.min_group}"
    for index, item in enumerate(rated):
        cells: list[str] = []
        for row in tally.breakdown:
            value = row.item_rates[index] if row.shown and row.item_rates else None
            cells.append(small if not row.shown else ("—" if value is None else f"{100 * value:.1f}%"))
        sheet.write(item.question.prompt, *cells)


def _charts(
    book: xlsxwriter.Workbook, sheet: Worksheet, ranges: list[tuple[str, int, int]], tally: Tally
) -> None:
    """Put a native bar chart of the counts of each item beside the table."""
    for index, (title, first, last) in enumerate(ranges):
        chart = book.add_chart({"type": "bar"})
        assert chart is not None  # noqa: S101 - 'bar' is a known chart type
        chart.add_series(
            {
                "name": title,
                "categories": ["汇总", first, 1, last, 1],
                "values": ["汇总", first, 2, last, 2],
                "data_labels": {"value": True},
            }
        )
        chart.set_title({"name": title})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True})
        chart.set_size({"width": 520, "height": 90 + 32 * (last - first + 1)})
        sheet.insert_chart(1 + index * 14, 6, chart)
    if not tally.counted:
        sheet.write_string(0, 6, "（答卷不足，图表为空）")
