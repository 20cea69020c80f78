"""The county office's summary workbook: one row per unit, printed one page per 30 units."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import xlsxwriter

from conversations.annex1 import BANDS
from reports.printing import page_breaks, setup_page
from reports.sheets import neutralise

UNITS_PER_PAGE = 30
NOT_GRADED = "未定稿"
HEADER = ("被评议单位", "组长", "测评状态", "收到答卷", "其中纸质", "民主测评满意率", "检查评分", "等级")
WIDTHS = (18, 12, 9, 9, 8, 14, 9, 8)  # 87 characters + 8: 698 px, the A4 portrait width at 100 %
HEADER_ROW = 4  # the title, the bands and their counts, a blank row, then the table


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
    paper: int | None = None  # of the ballots, how many came on paper (known once the unit is closed)


def band_counts(rows: Sequence[SummaryRow]) -> dict[str, int]:
    """Return the units per grade band, and those not graded yet."""
    grades = [row.grade or NOT_GRADED for row in rows]
    return {band: grades.count(band) for band in [*(name for _, name in BANDS), NOT_GRADED]}


def summary_workbook(rows: Sequence[SummaryRow]) -> bytes:
    """Return the county summary: counts per band on top, then the table, numbers as numbers, with filters.

    It prints on A4 portrait at 100 %: a page break after every 30 units, the header row repeated.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter"})
    cell = book.add_format({"border": 1, "valign": "vcenter"})
    percent = book.add_format({"border": 1, "num_format": "0.0%", "valign": "vcenter"})
    title = f"全县检查考核汇总（{len(rows)} 个单位）"
    sheet = book.add_worksheet("全县汇总")
    sheet.write_string(0, 0, title, book.add_format({"bold": True, "font_size": 14}))
    sheet.write_string(1, 0, "等级")
    sheet.write_string(2, 0, "单位数")
    for column, (band, count) in enumerate(band_counts(rows).items(), start=2):
        sheet.write_string(1, column, band, bold)
        sheet.write_number(2, column, count, cell)
    for column, heading in enumerate(HEADER):
        sheet.write_string(HEADER_ROW, column, heading, bold)
    for index, item in enumerate(rows, start=HEADER_ROW + 1):
        sheet.write_string(index, 0, neutralise(item.unit), cell)
        sheet.write_string(index, 1, neutralise(item.leader), cell)
        sheet.write_string(index, 2, "进行中" if item.is_open else "已结束", cell)
        sheet.write_number(index, 3, item.ballots, cell)
        if item.paper is None:
            sheet.write_blank(index, 4, None, cell)
        else:
            sheet.write_number(index, 4, item.paper, cell)
        if item.favourable_rate is None:
            sheet.write_blank(index, 5, None, percent)
        else:
            sheet.write_number(index, 5, item.favourable_rate, percent)
        if item.total is None:
            sheet.write_blank(index, 6, None, cell)
        else:
            sheet.write_number(index, 6, item.total, cell)
        sheet.write_string(index, 7, item.grade or NOT_GRADED, cell)
    last = HEADER_ROW + max(1, len(rows))
    sheet.autofilter(HEADER_ROW, 0, last, len(HEADER) - 1)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    for column, width in enumerate(WIDTHS):
        sheet.set_column(column, column, width)
    # Pages of 30 units: the first also holds the rows above the table, the others the repeated header.
    blocks = [HEADER_ROW + 1 + min(UNITS_PER_PAGE, len(rows))]
    blocks += [UNITS_PER_PAGE] * (-(-len(rows) // UNITS_PER_PAGE) - 1)
    sheet.set_h_pagebreaks(page_breaks(blocks, rows_per_page=HEADER_ROW + 1 + UNITS_PER_PAGE))
    sheet.print_area(0, 0, last, len(HEADER) - 1)
    setup_page(sheet, title, repeat_rows=(HEADER_ROW, HEADER_ROW), fit_width=False)
    book.close()
    return buffer.getvalue()
