"""Workbooks that print the same with or without Calibri: 宋体 declared, widths from the fonts' metrics.

Each text is measured with the fonts a program may draw it in (DejaVu Sans, which stands in for
a missing font on Linux; Noto Sans CJK and Droid Sans Fallback, which draw the Chinese; Carlito,
Calibri's metric twin, where installed), in digits of that font, the unit of a column's width.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import matplotlib as mpl
import openpyxl
import pytest
from fontTools.ttLib import TTFont
from openpyxl.worksheet.worksheet import Worksheet

from reports.county import summary_workbook
from reports.fonts import packaged_font
from reports.printing import LINE_POINTS, text_units
from tests.test_workbooks import county_rows, survey_workbook

SYSTEM = (
    "/usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)


def font_files() -> list[Path]:
    """Return the fonts to measure with: DejaVu Sans and Noto Sans CJK; Carlito and Droid where found."""
    found = [Path(mpl.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf", packaged_font()]
    found += [Path(name) for name in SYSTEM]
    return [path for path in found if path is not None and path.is_file()]


@cache
def _advances(path: Path) -> dict[int, float]:
    """Return each character's advance in ems."""
    with TTFont(path, fontNumber=0, lazy=True) as font:
        cmap = font.getBestCmap() or {}
        widths = font["hmtx"].metrics
        em = float(font["head"].unitsPerEm)
        return {code: widths[name][0] / em for code, name in cmap.items() if name in widths}


def measured(text: str) -> float:
    """Return the widest a line is in any font with digits, in its digits (what it lacks drawn by another)."""
    fonts = [_advances(path) for path in font_files()]
    widest = 0.0
    for advances in (a for a in fonts if ord("0") in a):
        digit = advances[ord("0")]
        width = 0.0
        for ch in text:
            drawn = (
                [advances[ord(ch)]] if ord(ch) in advances else [a[ord(ch)] for a in fonts if ord(ch) in a]
            )
            width += max(drawn or [1.0]) / digit
        widest = max(widest, width)
    return widest


def sheets() -> Iterator[Worksheet]:
    yield from openpyxl.load_workbook(io.BytesIO(survey_workbook())).worksheets
    yield from openpyxl.load_workbook(io.BytesIO(summary_workbook(county_rows(40)))).worksheets


def texts() -> set[str]:
    return {
        line
        for sheet in sheets()
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
        for line in cell.splitlines()
    }


def test_the_workbooks_are_set_in_songti_and_declare_it() -> None:
    """Every font in both workbooks is 宋体 by name (GB2312), none the theme's font (Calibri or 等线)."""
    for data in (survey_workbook(), summary_workbook(county_rows(3))):
        styles = zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml").decode()
        names = re.findall(r'<name val="([^"]+)"/>', styles)
        assert names
        assert set(names) == {"宋体"}
        assert "<scheme " not in styles


def test_text_widths_are_bounded_by_the_model_for_every_font() -> None:
    """The widths the workbooks are laid out by (`text_units`) are at least what each font draws."""
    assert len(font_files()) >= 2
    for text in texts():
        assert measured(text) <= text_units(text) + 1e-6, text


def _wraps(sheet: Worksheet, row: int, column: int) -> bool:
    cell = sheet.cell(row, column)
    return bool(cell.alignment.wrap_text) or any(
        cell.coordinate in merged for merged in sheet.merged_cells.ranges
    )


def _width(sheet: Worksheet, row: int, column: int) -> float:
    """Return a cell's width in digits (a merged cell: its columns together, less Excel's padding)."""
    for merged in sheet.merged_cells.ranges:
        if sheet.cell(row, column).coordinate in merged:
            return sum(_width_of(sheet, c) for c in range(merged.min_col, merged.max_col + 1))
    return _width_of(sheet, column)


def _width_of(sheet: Worksheet, column: int) -> float:
    letter = openpyxl.utils.get_column_letter(column)
    dimension = sheet.column_dimensions.get(letter)
    width = dimension.width if dimension is not None and dimension.customWidth else 8.38
    if dimension is not None and dimension.min and dimension.max and dimension.min != dimension.max:
        width = dimension.width
    return float(width) - 0.625  # the padding xlsxwriter adds to a width in digits


@pytest.mark.parametrize("sheet", list(sheets()), ids=lambda sheet: sheet.title)
def test_no_cell_is_cut_in_any_font(sheet: Worksheet) -> None:
    """Each text either fits its column, runs on over empty cells (a title), or wraps in a row tall enough.

    Measured with the fonts' own metrics: a row is as tall as the lines its widest rendering takes.
    """
    for row in sheet.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value:
                continue
            width = _width(sheet, cell.row, cell.column)
            lines = cell.value.splitlines()
            if _wraps(sheet, cell.row, cell.column):
                needed = sum(max(1, math.ceil(measured(line) / (width - 0.5))) for line in lines)
                height = sheet.row_dimensions[cell.row].height or sheet.sheet_format.defaultRowHeight
                assert height >= needed * LINE_POINTS - 0.1, (sheet.title, cell.coordinate, cell.value)
            else:
                beside = [sheet.cell(cell.row, c).value for c in range(cell.column + 1, cell.column + 4)]
                spills = not any(beside)
                assert spills or measured(cell.value) <= width, (sheet.title, cell.coordinate, cell.value)
