"""Workbooks that print: A4, fitted or broken so no chart is cut, numbers stored as numbers."""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from conversations.annex2 import ANNEX2
from conversations.questionnaire import QuestionKind
from conversations.tally import Tally
from reports.county import HEADER, UNITS_POINTS, WIDTHS, SummaryRow, summary_workbook
from reports.localtime import DEFAULT_ZONE
from reports.printing import (
    LANDSCAPE_WIDTH_PIXELS,
    PORTRAIT_WIDTH_PIXELS,
    ROWS_PER_PAGE,
    WORST_DIGIT_PIXELS,
    column_pixels,
    page_breaks,
)
from reports.sheets import (
    CHART_COLUMN_WIDTH,
    CHART_COLUMNS,
    CHART_WIDTH,
    UnitReport,
    count_axis_step,
    workbook,
)
from reports.wording import COMBINED_NOTE, combined_note
from tests.paper_samples import sample_ballots, sample_tally
from tests.tallies import compute_tally

A4 = 9


def survey_workbook(*, is_open: bool = False, tally: Tally | None = None) -> bytes:
    tally = tally or sample_tally()
    return workbook(
        UnitReport(
            questionnaire=ANNEX2,
            unit="县财政局",
            is_open=is_open,
            tally=tally,
            ballots=sample_ballots(1, 28),
            suggestions=None if is_open else list(tally.suggestions),
            opened_at=datetime(2026, 11, 26, 1, 0, tzinfo=UTC),
            closed_at=None if is_open else datetime(2026, 11, 26, 1, 40, tzinfo=UTC),
            exported_at=datetime(2026, 11, 26, 1, 45, tzinfo=UTC),
            zone=DEFAULT_ZONE,
        )
    )


def assert_a4_with_page_numbers(sheet: Worksheet) -> None:
    assert sheet.page_setup.paperSize == A4, sheet.title
    assert "&P" in (sheet.oddFooter.center.text or ""), sheet.title


def assert_fitted_to_width(sheet: Worksheet) -> None:
    assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
    assert sheet.page_setup.fitToWidth in (None, 1), sheet.title  # 1 is the default, so often left out
    assert sheet.page_setup.fitToHeight == 0, sheet.title


def test_every_survey_sheet_prints_on_a4_with_page_numbers() -> None:
    """汇总, 图表, 答卷 and 意见建议 each: A4, a footer with page numbers, a sensible orientation."""
    book = openpyxl.load_workbook(io.BytesIO(survey_workbook()))
    assert book.sheetnames == ["汇总", "图表", "答卷", "意见建议"]
    for sheet in book.worksheets:
        assert_a4_with_page_numbers(sheet)
    orientations = {sheet.title: sheet.page_setup.orientation for sheet in book.worksheets}
    assert orientations == {
        "汇总": "portrait",
        "图表": "portrait",
        "答卷": "landscape",
        "意见建议": "portrait",
    }


def test_tables_fit_the_width_and_repeat_their_header_row() -> None:
    """Tables print one page wide, as many tall as needed, the header row on every page."""
    book = openpyxl.load_workbook(io.BytesIO(survey_workbook()))
    for name in ("汇总", "答卷", "意见建议"):
        assert_fitted_to_width(book[name])
    summary_rows = list(book["汇总"].iter_rows(values_only=True))
    header_row = summary_rows.index(("题目", "选项", "人数", "占比", "倾向")) + 1
    assert book["汇总"].print_title_rows == f"${header_row}:${header_row}"
    assert book["答卷"].print_title_rows == "$1:$1"
    assert book["意见建议"].print_title_rows == "$1:$1"


def test_rates_are_numbers_with_a_percent_format() -> None:
    """The overall rate, the item rates and the by-category rates can be calculated with."""
    tally = sample_tally()
    sheet = openpyxl.load_workbook(io.BytesIO(survey_workbook()))["汇总"]
    cells = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
    overall = cells["民主测评满意率"][1]
    assert overall.value == pytest.approx(tally.favourable_rate)
    assert overall.number_format == "0.0%"
    rated = [item for item in tally.questions if item.question.rated]
    for item in rated:
        rate_cell = cells[f"{item.question.prompt} 满意率"][3]
        assert rate_cell.value == pytest.approx(item.favourable_rate)
        assert rate_cell.number_format == "0.0%"
    below = list(sheet.iter_rows())
    below = below[[row[0].value for row in below].index("按参评对象的满意率") + 2 :]
    breakdown = below[: next((i for i, row in enumerate(below) if row[1].value is None), len(below))]
    shown = [row[2] for row in breakdown if isinstance(row[2].value, float)]
    assert shown
    assert all(c.number_format == "0.0%" for c in shown)
    assert {row[2].value for row in breakdown if isinstance(row[2].value, str)} <= {"—"}
    assert not any(
        isinstance(c.value, str) and c.value.endswith("%") for row in sheet.iter_rows() for c in row
    )


def _drawing_rows(data: bytes, sheet_file: str) -> list[tuple[int, int]]:
    """Return each chart's first and last row on a sheet, from the drawing's anchors."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    relations = archive.read(f"xl/worksheets/_rels/{sheet_file}.rels").decode()
    drawing = re.search(r'Target="../drawings/(drawing\d+\.xml)"', relations)
    assert drawing is not None
    xml = archive.read(f"xl/drawings/{drawing.group(1)}").decode()
    starts = [int(r) for r in re.findall(r"<xdr:from>.*?<xdr:row>(\d+)</xdr:row>", xml, re.DOTALL)]
    ends = [int(r) for r in re.findall(r"<xdr:to>.*?<xdr:row>(\d+)</xdr:row>", xml, re.DOTALL)]
    return list(zip(starts, ends, strict=True))


def test_no_chart_is_cut_by_a_page_break() -> None:
    """图表 prints at 100 % with breaks between charts: no chart spans a break, no page overflows."""
    data = survey_workbook()
    sheet = openpyxl.load_workbook(io.BytesIO(data))["图表"]
    assert not sheet.sheet_properties.pageSetUpPr or not sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.scale in (None, 100)
    breaks = [brk.id for brk in sheet.row_breaks.brk]  # a break after row id (1-based)
    charts = _drawing_rows(data, "sheet2.xml")
    choice_questions = [q for q in ANNEX2.questions if q.kind is not QuestionKind.TEXT]
    assert len(charts) == len(choice_questions) == 15
    assert breaks
    for first, last in charts:  # rows 0-based
        assert not any(first < brk <= last for brk in breaks), (first, last, breaks)
    edges = [0, *breaks, charts[-1][1] + 1]
    assert all(b - a <= ROWS_PER_PAGE for a, b in itertools.pairwise(edges))
    assert CHART_COLUMNS * column_pixels(CHART_COLUMN_WIDTH) > CHART_WIDTH  # in 宋体's digits
    assert CHART_COLUMNS * column_pixels(CHART_COLUMN_WIDTH, WORST_DIGIT_PIXELS) <= PORTRAIT_WIDTH_PIXELS


def test_native_chart_axes_start_at_zero_with_whole_steps() -> None:
    """Every count axis starts at 0 and steps in whole numbers (16 vs 14 is not drawn as 3:1)."""
    archive = zipfile.ZipFile(io.BytesIO(survey_workbook()))
    charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
    assert len(charts) == 15
    for name in charts:
        xml = archive.read(name).decode()
        value_axis = xml[xml.index("<c:valAx>") :]
        assert '<c:min val="0"/>' in value_axis, name
        step = re.search(r'<c:majorUnit val="([\d.]+)"/>', value_axis)
        assert step is not None
        assert float(step.group(1)).is_integer()


@pytest.mark.parametrize(
    ("largest", "step"), [(0, 1), (3, 1), (5, 1), (6, 2), (10, 2), (11, 5), (25, 5), (26, 10)]
)
def test_count_axis_steps(largest: int, step: int) -> None:
    """Steps of 1, 2, 5, 10 … give at most six ticks."""
    assert count_axis_step(largest) == step


def test_page_breaks_keep_blocks_whole() -> None:
    """Blocks of rows go to the next page when they would not fit on this one."""
    assert page_breaks([10, 10, 10, 10, 10], rows_per_page=25) == [20, 40]
    assert page_breaks([30, 5], rows_per_page=25) == [30]


def county_rows(count: int) -> list[SummaryRow]:
    return [
        SummaryRow(
            unit=f"县{index}局" if index % 3 else "县住房和城乡建设局",
            leader="张三" if index % 4 else "欧阳一二三四",
            is_open=index % 2 == 0,
            ballots=20 + index,
            favourable_rate=None if index % 7 == 0 else 0.5 + index / 200,
            total=None if index % 5 == 0 else 60 + index % 40,
            grade=None if index % 5 == 0 else ("良好" if index % 40 >= 20 else "合格"),
            paper=None if index % 2 == 0 else index % 4,
            day=date(2026, 11, 7 + index % 20),
            group="第一检查组" if index % 2 else "第十二检查考核组",
        )
        for index in range(count)
    ]


def _table(sheet: Worksheet) -> tuple[int, list[tuple[object, ...]]]:
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(HEADER)
    return header + 1, rows[header + 1 :]


@pytest.mark.parametrize("units", [1, 30, 31, 65])
def test_county_summary_prints_landscape_with_whole_rows_on_each_page(units: int) -> None:
    """A4 landscape at 100 %: the header repeated, no page's rows taller than it, columns within the width.

    The width holds at the widest digit a stand-in font for 宋体 draws, so no column is pushed
    onto a second page wherever the workbook is opened.
    """
    book = openpyxl.load_workbook(io.BytesIO(summary_workbook(county_rows(units))))
    assert book.sheetnames == ["全县汇总"]
    sheet = book["全县汇总"]
    assert_a4_with_page_numbers(sheet)
    assert sheet.page_setup.orientation == "landscape"
    header, table = _table(sheet)
    assert sheet.print_title_rows == f"${header}:${header}"
    breaks = [brk.id for brk in sheet.row_breaks.brk]  # a break after row `id` (1-based)
    edges = [header, *breaks, header + len(table)]
    for start, end in itertools.pairwise(edges):
        assert sum(sheet.row_dimensions[r + 1].height or 0 for r in range(start, end)) <= UNITS_POINTS
    assert sum(column_pixels(w, WORST_DIGIT_PIXELS) for w in WIDTHS) <= LANDSCAPE_WIDTH_PIXELS


def test_county_summary_numbers_match_the_rows() -> None:
    """Dates, groups and leaders' names; ballots, rates and totals as numbers; bands adding up."""
    source = county_rows(12)
    sheet = openpyxl.load_workbook(io.BytesIO(summary_workbook(source)))["全县汇总"]
    rows = list(sheet.iter_rows(values_only=True))
    bands = dict(zip(rows[1][2:7], rows[2][2:7], strict=True))
    assert sum(bands.values()) == 12
    assert bands["未定稿"] == sum(1 for r in source if r.grade is None)
    _, table = _table(sheet)
    for row, item in zip(table, source, strict=True):
        assert item.day is not None
        when = f"{item.day.year}年{item.day.month}月{item.day.day}日"
        assert row[:4] == (item.unit, when, item.group, item.leader)
        assert row[5] == item.ballots
        assert row[6] == item.paper  # blank while the unit is open
        assert row[7] == (None if item.favourable_rate is None else pytest.approx(item.favourable_rate))
        assert row[8] == item.total
        assert row[9] == (item.grade or "未定稿")
    rate_cells = [row[7] for row in sheet.iter_rows() if isinstance(row[7].value, float)]
    assert rate_cells
    assert all(c.number_format == "0.0%" for c in rate_cells)


def test_two_rounds_of_a_unit_are_told_apart_by_their_dates() -> None:
    """A unit inspected twice: two rows, the same name, two dates."""
    first, second = county_rows(2)
    rounds = [replace(first, unit="县财政局"), replace(second, unit="县财政局", day=date(2026, 12, 8))]
    _, table = _table(openpyxl.load_workbook(io.BytesIO(summary_workbook(rounds)))["全县汇总"])
    assert [row[:2] for row in table] == [("县财政局", "2026年11月7日"), ("县财政局", "2026年12月8日")]


def test_a_category_under_k_shows_only_within_the_combined_column() -> None:
    """One 服务对象代表 and four 中层干部: no row of their own; one row, named, holds the five.

    Each group has one rate, all rated items pooled: no figure per item or option per category.
    """
    ballots = sample_ballots(2, 10)
    categories = ["leader"] * 5 + ["middle"] * 4 + ["served"]
    ballots = [
        b.model_copy(update={"answers": {**b.answers, "category": (c,)}})
        for b, c in zip(ballots, categories, strict=True)
    ]
    tally = compute_tally(ANNEX2, ballots, min_group=3)
    assert tally.combined is not None
    sheet = openpyxl.load_workbook(io.BytesIO(survey_workbook(tally=tally)))["汇总"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    at = [row[0] for row in rows].index("按参评对象的满意率")
    assert [row[:3] for row in rows[at + 1 : at + 4]] == [
        ["参评对象", "人数", "满意率"],
        ["班子成员", 5, pytest.approx(tally.breakdown[0].favourable_rate)],
        ["中层干部、服务对象代表（合并）", 5, pytest.approx(tally.combined.favourable_rate)],
    ]  # one row for the group merged, no row of its own for a category in it
    assert rows[at + 4][0] == combined_note(COMBINED_NOTE, 3)
    assert not any(isinstance(cell, str) and cell.startswith("<") for row in rows for cell in row)
