"""Print settings for workbooks: A4, margins, page numbers, repeated headers, charts kept whole.

Excel ignores manual page breaks on a sheet scaled "fit to pages", so a sheet is either fitted
to the page width (tables, breaks automatic) or printed at 100 % with its own breaks (charts,
the county summary), its columns chosen to fit the width.
"""

from __future__ import annotations

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


def header_text(text: str) -> str:
    """Return text for a page header ('&' starts a code there)."""
    return text.replace("&", "&&")


def column_pixels(width: float) -> int:
    """Return the pixels of a column `width` characters wide (Excel's default font)."""
    return int(width * 7 + 5) if width >= 1 else int(width * 12 + 0.5)


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
