"""The county office's summary workbook: one row per unit and round, with its date, group and leader."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from conversations.annex1 import BANDS
from reports.printing import LINE_POINTS, new_workbook, row_points, setup_page
from reports.sheets import neutralise
from reports.wording import day

NOT_GRADED = "未定稿"
HEADER = (
    "被评议单位",
    "测评日期",
    "检查组",
    "组长",
    "测评状态",
    "收到答卷",
    "其中纸质",
    "民主测评满意率",
    "检查评分",
    "等级",
)
# In 宋体's digits; 1,000 px at the widest stand-in digit: within A4 landscape's 1,026 at 100 %.
WIDTHS = (20, 15, 12, 8, 7, 6, 6, 8, 6, 7)
WRAPPED = (0, 2, 3)  # the unit, the group and the leader wrap; the other cells fit their columns
HEADER_ROW = 4  # the title, the bands and their counts, a blank row, then the table
PAGE_POINTS = 487.0  # A4 landscape less the margins: 6.77 in
UNITS_POINTS = (
    PAGE_POINTS - 5 * LINE_POINTS - 2 * LINE_POINTS - 20
)  # under the rows above (bands on two lines), the header


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One unit in the county summary (one round of it: a unit inspected twice has two rows, two dates)."""

    unit: str
    leader: str  # the leader's name as registered, or their Telegram name marked as unregistered
    is_open: bool
    ballots: int
    favourable_rate: float | None
    total: int | None  # the Annex 1 total of a finalised sheet
    grade: str | None
    paper: int | None = None  # of the ballots, how many came on paper (known once the unit is closed)
    day: date | None = None  # the briefing's date
    group: str = ""  # the inspection group


def band_counts(rows: Sequence[SummaryRow]) -> dict[str, int]:
    """Return the units per grade band, and those not graded yet."""
    grades = [row.grade or NOT_GRADED for row in rows]
    return {band: grades.count(band) for band in [*(name for _, name in BANDS), NOT_GRADED]}


def _cells(item: SummaryRow) -> list[str | float | None]:
    return [
        item.unit,
        day(item.day) if item.day else "",
        item.group,
        item.leader,
        "进行中" if item.is_open else "已结束",
        item.ballots,
        item.paper,
        item.favourable_rate,
        item.total,
        item.grade or NOT_GRADED,
    ]


def summary_workbook(rows: Sequence[SummaryRow]) -> bytes:
    """Return the county summary: counts per band on top, then the table, numbers as numbers, with filters.

    It prints on A4 landscape at 100 %: the header row repeated, a page break before the unit
    that would not fit, each row as tall as its wrapped unit, group and leader.
    """
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    bold = book.add_format(
        {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
    )
    cell = book.add_format({"border": 1, "valign": "vcenter", "text_wrap": True})
    percent = book.add_format({"border": 1, "num_format": "0.0%", "valign": "vcenter"})
    title = f"全县检查考核汇总（{len(rows)} 个单位）"
    sheet = book.add_worksheet("全县汇总")
    for column, width in enumerate(WIDTHS):
        sheet.set_column(column, column, width)
    sheet.write_string(0, 0, title, book.add_format({"bold": True, "font_size": 14}))
    sheet.write_string(1, 0, "等级")
    sheet.write_string(2, 0, "单位数")
    bands = list(band_counts(rows).items())
    for column, (band, count) in enumerate(bands, start=2):
        sheet.write_string(1, column, band, bold)
        sheet.write_number(2, column, count, cell)
    sheet.set_row(1, row_points([(band, WIDTHS[column]) for column, (band, _) in enumerate(bands, start=2)]))
    for column, heading in enumerate(HEADER):
        sheet.write_string(HEADER_ROW, column, heading, bold)
    sheet.set_row(HEADER_ROW, row_points([(h, w) for h, w in zip(HEADER, WIDTHS, strict=True)]))
    heights = []
    for index, item in enumerate(rows, start=HEADER_ROW + 1):
        values = _cells(item)
        for column, value in enumerate(values):
            style = percent if column == HEADER.index("民主测评满意率") else cell
            if isinstance(value, str):
                sheet.write_string(index, column, neutralise(value), style)
            elif value is None:
                sheet.write_blank(index, column, None, style)
            else:
                sheet.write_number(index, column, value, style)
        height = row_points([(str(values[c]), WIDTHS[c]) for c in WRAPPED])
        sheet.set_row(index, height)
        heights.append(height)
    last = HEADER_ROW + max(1, len(rows))
    sheet.autofilter(HEADER_ROW, 0, last, len(HEADER) - 1)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    sheet.set_h_pagebreaks(_breaks(heights))
    sheet.print_area(0, 0, last, len(HEADER) - 1)
    setup_page(sheet, title, landscape=True, repeat_rows=(HEADER_ROW, HEADER_ROW), fit_width=False)
    book.close()
    return buffer.getvalue()


def _breaks(heights: Sequence[float]) -> list[int]:
    """Return the rows to break before so that each page's units fit under the repeated header."""
    breaks, used = [], 0.0
    for index, height in enumerate(heights):
        if used + height > UNITS_POINTS and used > 0:
            breaks.append(HEADER_ROW + 1 + index)
            used = 0.0
        used += height
    return breaks
