"""Print settings for workbooks: the font, A4, margins, page numbers, repeated headers, charts kept whole.

Excel ignores manual page breaks on a sheet scaled "fit to pages", so a sheet is either fitted
to the page width (tables, breaks automatic) or printed at 100 % with its own breaks (charts,
the county summary), its columns chosen to fit the width.

The workbooks are set in 宋体 (SimSun), which every Chinese office's Windows, WPS and Office
have, and declare it as their default font: a column's width is counted in that font's digits.
Where 宋体 is missing a program draws with a stand-in whose digit is wider (DejaVu Sans: 9.3 px
at 11 pt, against 宋体's 8): every width here is chosen so that the page still holds the
columns at the widest digit (`WORST_DIGIT_PIXELS`), whatever font stands in, Calibri or not.
Rows of wrapped text get the height their lines need (`row_points`).
"""

from __future__ import annotations

import io
import math
import unicodedata

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

A4 = 9  # Excel's paper code
MARGIN_SIDE = 0.5  # inches
MARGIN_TOP = 0.75
MARGIN_BOTTOM = 0.75
ROW_PIXELS = 20  # a default row, 15 pt at 96 dpi
PORTRAIT_WIDTH_PIXELS = round((8.27 - 2 * MARGIN_SIDE) * 96)  # 698
LANDSCAPE_WIDTH_PIXELS = round((11.69 - 2 * MARGIN_SIDE) * 96)  # 1,026
PORTRAIT_HEIGHT_PIXELS = round((11.69 - MARGIN_TOP - MARGIN_BOTTOM) * 96)  # 978
ROWS_PER_PAGE = 44  # of 20 px: 880 of 978 px at 100 %, room to spare for other renderers
FOOTER = "&C第 &P 页，共 &N 页"
FONT = "宋体"  # SimSun, as Chinese Excel names it
FONT_PT = 11
DIGIT_PIXELS = 8  # 宋体 11 pt at 96 dpi: Excel's unit of column width
WORST_DIGIT_PIXELS = 10  # the widest digit a stand-in font draws at 11 pt (DejaVu Sans: 9.3)
CELL_PADDING = 5  # pixels Excel adds to a column
LINE_POINTS = 15.0  # one line of 11-pt text with its leading, in any of these fonts
WIDE_LATIN = frozenset("MWmw@%&")  # half-width characters wider than a digit, by up to half


def new_workbook(buffer: io.BytesIO) -> xlsxwriter.Workbook:
    """Return a workbook in 宋体 11 pt (no theme font), its column unit 宋体's digit, text never a formula."""
    return xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "default_format_properties": {
                "font_name": FONT,
                "font_size": FONT_PT,
                "font_charset": 134,  # GB2312, as Chinese Excel writes 宋体
                "font_scheme": "none",  # the name, not the theme's font, in every format
            },
            "default_column_width": 72,  # 8.38 digits of 8 px and 5 of padding: 宋体 11's default
        },
    )


def text_units(text: str) -> float:
    """Return how many digit widths a line of text takes: a Chinese character two, a Latin one about one.

    An upper bound for 宋体 and the fonts that stand in for it (each measured against its own
    digit in tests/test_workbook_fonts.py).
    """
    units = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in "WF":
            units += 2.0
        elif ch in WIDE_LATIN or ch.isupper():
            units += 1.5
        else:
            units += 1.0
    return units


def wrapped_lines(text: str, width: float) -> int:
    """Return how many lines text takes, wrapped in a column `width` digits wide (Chinese wraps anywhere)."""
    room = max(width - 1.0, 2.0)
    return sum(max(1, math.ceil(text_units(line) / room)) for line in text.splitlines() or [""])


def row_points(cells: list[tuple[str, float]]) -> float:
    """Return the height a row needs for its wrapped cells (text, column width)."""
    return LINE_POINTS * max([wrapped_lines(text, width) for text, width in cells] or [1])


def header_text(text: str) -> str:
    """Return text for a page header ('&' starts a code there)."""
    return text.replace("&", "&&")


def column_pixels(width: float, digit: int = DIGIT_PIXELS) -> int:
    """Return the pixels of a column `width` digits wide, for a font whose digit is `digit` pixels."""
    return int(width * digit + 0.5) + CELL_PADDING


def setup_page(
    sheet: Worksheet,
    title: str,
    *,
    landscape: bool = False,
    repeat_rows: tuple[int, int] | None = None,
    fit_width: bool = True,
) -> None:
    """Set A4, margins, a header with the title, page numbers, and repeated header rows."""
    sheet.set_paper(A4)
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.set_margins(left=MARGIN_SIDE, right=MARGIN_SIDE, top=MARGIN_TOP, bottom=MARGIN_BOTTOM)
    sheet.set_header(f"&L{header_text(title)}", {"margin": 0.3})
    sheet.set_footer(FOOTER, {"margin": 0.3})
    if repeat_rows is not None:
        sheet.repeat_rows(*repeat_rows)
    if fit_width:
        sheet.fit_to_pages(1, 0)  # one page wide, as many tall as needed
    else:
        sheet.set_print_scale(100)


def page_breaks(heights: list[int], rows_per_page: int = ROWS_PER_PAGE, first_row: int = 0) -> list[int]:
    """Return the rows to break before so that no block of rows (a chart) spans two pages.

    `heights` are the rows each block takes, in order, starting at `first_row`.
    """
    breaks, row, used = [], first_row, first_row
    for height in heights:
        if used + height > rows_per_page and used > 0:
            breaks.append(row)
            used = 0
        row += height
        used += height
    return breaks
