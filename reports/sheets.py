"""Exports a spreadsheet can open: an XLSX workbook with native charts, and a CSV of the ballots."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from conversations.engine import Ballot
from conversations.questionnaire import Question, QuestionKind, Questionnaire
from conversations.tally import CombinedRow, Tally
from reports.counts import FormCounts, counts_line
from reports.listing import left_out_note, listing
from reports.localtime import chinese_stamp
from reports.printing import FONT, ROW_PIXELS, new_workbook, page_breaks, row_points, setup_page
from reports.wording import COMBINED_NOTE, SPOILED, TENDENCY, combined_note, split, spoiled_rows

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Return text a spreadsheet will not run as a formula (a leading ' where it could)."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def ballot_rows(
    questionnaire: Questionnaire,
    ballots: Sequence[Ballot],
    *,
    min_group: int = 1,
    category_id: str = "category",
) -> tuple[list[str], list[list[str]]]:
    """Return a header and one row per ballot (option texts), shuffled; no suggestions.

    The respondent category is left out: the few people of a small category (the 服务对象代表)
    would be recognised by it, row by row. Categories appear only in the summary's breakdown,
    where groups under k are hidden. A spoiled paper row shows as 作废; an item whose 作废 cells
    would single out rows is left out of the listing (see `reports.listing`).
    """
    shown = listing(questionnaire, ballots, min_group, category_id)
    header = ["序号", *(q.prompt for q in shown.columns)]
    rows = []
    for ballot in shown.ballots:
        row = []
        for question in shown.columns:
            chosen = ballot.answers.get(question.id, ())
            spoiled = question.id in ballot.spoiled
            row.append(SPOILED if spoiled else "；".join(o.label for o in question.options if o.id in chosen))
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
    """A worksheet written row by row: text neutralised and wrapped, each row as tall as its text."""

    def __init__(
        self, sheet: Worksheet, formats: dict[str, xlsxwriter.format.Format], widths: Sequence[float]
    ) -> None:
        self.sheet = sheet
        self.formats = formats
        self.widths = list(widths)  # of the columns, in digits (reports.printing)
        self.row = 0
        for column, width in enumerate(widths):
            sheet.set_column(column, column, width)

    def write(self, *cells: str | float | None, style: str = "wrap", percent_at: int | range = -1) -> None:
        """Write one row: text neutralised and wrapped, numbers as numbers, the cells at `percent_at` as %.

        The row's height is set for its longest wrapped text, so no program cuts it; a title
        (style "title") stays on one line and runs on over the empty cells beside it.
        """
        percent = percent_at if isinstance(percent_at, range) else range(percent_at, percent_at + 1)
        wrapped: list[tuple[str, float]] = []
        for column, value in enumerate(cells):
            cell_format = self.formats["percent"] if column in percent else self.formats[style]
            if isinstance(value, str):
                self.sheet.write_string(self.row, column, neutralise(value), cell_format)
                if style != "title":
                    wrapped.append((value, self.widths[column]))
            elif value is not None:
                self.sheet.write_number(self.row, column, value, cell_format)
        if wrapped:
            self.sheet.set_row(self.row, row_points(wrapped))
        self.row += 1

    def note(self, text: str) -> None:
        """Write a sentence across the sheet's columns, wrapped, as tall as it needs."""
        last = len(self.widths) - 1
        self.sheet.merge_range(self.row, 0, self.row, last, neutralise(text), self.formats["wrap"])
        self.sheet.set_row(self.row, row_points([(text, sum(self.widths))]))
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
    counts: FormCounts | None = None  # handed out, returned, valid (共发放…、收回…、有效…)


CHARTS_SHEET = "图表"
CHART_COLUMNS = 8
CHART_COLUMN_WIDTH = 8  # 8 × 85 px = 680 px at the widest stand-in digit: within A4 portrait's 698
CHART_WIDTH = 540  # pixels at 宋体's digit, within the 8 × 69 = 552 px of the print area
MAX_TICKS = 6
# 题目, 选项, 人数, 占比, 倾向; under them the breakdown's groups (five at most: four shown and 合并)
SUMMARY_WIDTHS = (22, 26, 8, 8, 8, 12)
SUGGESTION_WIDTHS = (6, 80)
ANSWER_NUMBER_WIDTH = 5
ANSWER_WIDTH = 8  # a code, under its item's name wrapped to four characters a line
ANSWER_MULTI_WIDTH = 10  # up to three codes: 1、3、5
SPOILED_CODE = "作废"
CHART_FONT = {"name": FONT, "size": 10}


def workbook(report: UnitReport) -> bytes:
    """Return the XLSX workbook: 汇总, 图表 (native bar charts), 答卷, and 意见建议 once closed.

    Every sheet prints on A4: tables fitted to the page width with their header rows repeated,
    the charts at 100 % with page breaks between them, so none is cut.
    """
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    formats = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "bold": book.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
        "percent": book.add_format({"num_format": "0.0%", "valign": "top"}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "code": book.add_format({"border": 1, "align": "center", "valign": "top", "text_wrap": True}),
        "head": book.add_format(
            {"bold": True, "border": 1, "align": "center", "valign": "top", "text_wrap": True}
        ),
    }
    ranges = _summary(book, formats, report)
    _charts(book, ranges, report)
    if not report.is_open:  # no per-ballot rows while open: two exports would differ by a few rows
        _answers(book, formats, report)
    if report.suggestions is not None:
        notes = _Sheet(book.add_worksheet("意见建议"), formats, SUGGESTION_WIDTHS)
        notes.write("序号", "其它意见建议（顺序随机）", style="bold")
        shuffled = list(report.suggestions)
        random.SystemRandom().shuffle(shuffled)
        for position, suggestion in enumerate(shuffled, start=1):
            notes.write(position, suggestion)
        setup_page(notes.sheet, f"{report.unit} 意见建议", repeat_rows=(0, 0))
    book.close()
    return buffer.getvalue()


def answer_code(question: Question, ballot: Ballot) -> str:
    """Return an answer as the 答卷 sheet prints it: the options' numbers in the form ("1", "1、3"), 作废."""
    if question.id in ballot.spoiled:
        return SPOILED_CODE
    chosen = ballot.answers.get(question.id, ())
    return "、".join(str(n) for n, option in enumerate(question.options, start=1) if option.id in chosen)


def code_legend(question: Question) -> str:
    """Return a column's codes: '领导岗位：1 风险等级划分准确；2 风险等级划分不准确'."""
    codes = "；".join(f"{n} {option.label}" for n, option in enumerate(question.options, start=1))
    return f"{question.prompt}：{codes}"


def _answers(
    book: xlsxwriter.Workbook, formats: dict[str, xlsxwriter.format.Format], report: UnitReport
) -> None:
    """Write 答卷: one row per ballot in codes, landscape, the header repeated, the codes explained below.

    Codes keep fourteen answers on a landscape page in a readable size; the full texts are in
    the CSV. Items whose 作废 cells would single out forms are left out (`reports.listing`).
    """
    min_group = report.tally.min_group
    shown = listing(report.questionnaire, report.ballots, min_group)
    widths = [ANSWER_NUMBER_WIDTH] + [
        ANSWER_MULTI_WIDTH if q.kind is QuestionKind.MULTI else ANSWER_WIDTH for q in shown.columns
    ]
    sheet = _Sheet(book.add_worksheet("答卷"), formats, widths)
    sheet.write("序号", *(q.prompt for q in shown.columns), style="head")
    rows = [[answer_code(q, ballot) for q in shown.columns] for ballot in shown.ballots]
    random.SystemRandom().shuffle(rows)
    for number, row in enumerate(rows, start=1):
        sheet.write(number, *row, style="code")
    sheet.row += 1
    sheet.note(f"代码说明（数字为该题选项在测评表上的次序；{SPOILED_CODE}：纸质表此行多勾或未勾）：")
    for question in shown.columns:
        sheet.note(code_legend(question))
    note = left_out_note(shown.left_out, min_group)
    if note:
        sheet.note(note)
    sheet.sheet.freeze_panes(1, 1)
    setup_page(sheet.sheet, f"{report.unit} 答卷", landscape=True, repeat_rows=(0, 0))


def _summary(
    book: xlsxwriter.Workbook, formats: dict[str, xlsxwriter.format.Format], report: UnitReport
) -> list[tuple[str, int, int]]:
    """Write 汇总 and return each choice question's rows (title, first, last) for its chart."""
    tally = report.tally
    sheet = _Sheet(book.add_worksheet("汇总"), formats, SUMMARY_WIDTHS)
    sheet.write(f"{report.unit} 民主测评汇总", style="title")
    sheet.write(
        "状态",
        "进行中（按批统计，最新一批在结束后计入；答卷明细和分类统计在结束后提供）"
        if report.is_open
        else "已结束（最终结果）",
    )
    sheet.write("已收到答卷", tally.received)
    if report.counts is not None:
        sheet.write("发放与收回", counts_line(report.counts))
    sheet.write("统计答卷", tally.counted)
    sheet.write("答卷构成", split(tally.counted, tally.paper))
    sheet.write("作废行", spoiled_rows([(q.question.prompt, q.spoiled) for q in tally.spoiled]))
    rate = tally.favourable_rate
    sheet.write("民主测评满意率", "—" if rate is None else rate, percent_at=1)
    sheet.write("开始时间", chinese_stamp(report.opened_at, report.zone))
    if report.closed_at is not None:
        sheet.write("结束时间", chinese_stamp(report.closed_at, report.zone))
    sheet.write("导出时间", chinese_stamp(report.exported_at, report.zone))
    sheet.row += 1
    header_row = sheet.row
    sheet.write("题目", "选项", "人数", "占比", "倾向", style="bold")
    ranges: list[tuple[str, int, int]] = []
    for item in tally.questions:
        ranked = item.ranked() if item.question.kind is QuestionKind.MULTI else item.counts
        first = sheet.row
        for count in ranked:
            share = count.count / item.answered if item.answered else 0.0  # of those answering the item
            tendency = TENDENCY[count.option.polarity] if count.option.polarity else ""
            sheet.write(item.question.prompt, count.option.label, count.count, share, tendency, percent_at=3)
        ranges.append((item.question.prompt, first, sheet.row - 1))
        if item.spoiled:
            sheet.write(item.question.prompt, SPOILED, item.spoiled)
        if item.question.rated:
            sheet.write(
                f"{item.question.prompt} 满意率", None, None, item.favourable_rate or 0.0, percent_at=3
            )
    sheet.row += 1
    if tally.breakdown and not report.is_open:  # no breakdown before close
        _breakdown_table(sheet, tally)
    setup_page(sheet.sheet, f"{report.unit} 民主测评汇总", repeat_rows=(header_row, header_row))
    sheet.sheet.freeze_panes(header_row + 1, 0)
    return ranges


def _breakdown_table(sheet: _Sheet, tally: Tally) -> None:
    """Favourable rate per respondent category shown (all rated items pooled), then the 合并 group."""
    combined = tally.combined
    sheet.write("按参评对象的满意率", style="bold")
    sheet.write("参评对象", "人数", "满意率", style="bold")
    for row in tally.breakdown:
        if row.shown and row.ballots:  # a category nobody was of: none
            sheet.write(row.category.label, row.ballots, _rate(row.favourable_rate), percent_at=2)
    if combined is not None:
        label = f"{combined_label(combined)}（合并）"
        sheet.write(label, combined.ballots, _rate(combined.favourable_rate), percent_at=2)
    if combined is not None and combined.categories:
        sheet.note(combined_note(COMBINED_NOTE, tally.min_group))


def _rate(rate: float | None) -> float | str:
    """Return a group's rate, or a dash where it answered no rated item."""
    return "—" if rate is None else rate


COMBINED = "合并"  # a category counted in the combined group, not on its own


def combined_label(combined: CombinedRow) -> str:
    """Return who the combined group holds, e.g. 中层干部、服务对象代表、参评对象作废 1 份."""
    groups = [option.label for option in combined.categories]
    if combined.unlabelled:
        groups.append(f"参评对象作废 {combined.unlabelled} 份")
    return "、".join(groups)


def count_axis_step(largest: int) -> int:
    """Return a whole-number tick step (1, 2, 5, 10, 20, …) giving at most six ticks up to `largest`."""
    step = 1
    while largest / step > MAX_TICKS - 1:
        step = step * 5 // 2 if str(step).startswith("2") else step * 2
    return step


def _charts(book: xlsxwriter.Workbook, ranges: list[tuple[str, int, int]], report: UnitReport) -> None:
    """Put a native bar chart of each choice question's counts on 图表, none cut by a page break."""
    tally = report.tally
    sheet = book.add_worksheet(CHARTS_SHEET)
    sheet.set_column(0, CHART_COLUMNS - 1, CHART_COLUMN_WIDTH)
    sheet.set_default_row(ROW_PIXELS * 3 / 4)  # every row exactly 15 pt: the breaks count rows
    heading = f"{report.unit} 民主测评图表（统计 {tally.counted} 份）"
    sheet.write_string(0, 0, neutralise(heading), book.add_format({"bold": True, "font_size": 14}))
    if not tally.counted:
        sheet.write_string(1, 0, "（答卷不足，图表为空）")
    heights = [-(-(100 + 40 * (last - first + 1)) // ROW_PIXELS) + 1 for _, first, last in ranges]
    breaks = page_breaks(heights, first_row=2)
    row = 2
    for (title, first, last), rows, item in zip(ranges, heights, tally.questions, strict=True):
        chart = book.add_chart({"type": "bar"})
        assert chart is not None  # noqa: S101 - 'bar' is a known chart type
        chart.add_series(
            {
                "name": title,
                "categories": ["汇总", first, 1, last, 1],
                "values": ["汇总", first, 2, last, 2],
                "data_labels": {"value": True, "font": CHART_FONT},
                "fill": {"color": "#1565C0"},
            }
        )
        largest = max(count.count for count in item.counts)
        chart.set_title({"name": title, "name_font": {**CHART_FONT, "size": 11}})
        chart.set_legend({"none": True})
        chart.set_x_axis(
            {
                "min": 0,
                "major_unit": count_axis_step(largest),
                "num_format": "0",
                "name": "人数",
                "name_font": CHART_FONT,
                "num_font": CHART_FONT,
            }
        )
        chart.set_y_axis({"reverse": True, "num_font": CHART_FONT})
        chart.set_size({"width": CHART_WIDTH, "height": (rows - 1) * ROW_PIXELS})
        sheet.insert_chart(row, 0, chart, {"x_offset": 4, "y_offset": 0, "object_position": 3})
        row += rows
    sheet.set_h_pagebreaks(breaks)
    sheet.print_area(0, 0, max(row, 2), CHART_COLUMNS - 1)
    setup_page(sheet, heading, fit_width=False)
