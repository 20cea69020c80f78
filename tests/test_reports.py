"""Charts that render Chinese, workbooks and CSV files a county office can file."""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from matplotlib.text import Text

from conversations.annex2 import ANNEX2
from conversations.engine import Ballot
from reports import fonts
from reports.charts import chart_figure, to_png
from reports.listing import left_out_note, listing
from reports.sheets import UnitReport, ballot_rows, ballots_csv, neutralise, workbook
from tests.tallies import compute_tally

BALLOTS = [
    Ballot(
        answers={q.id: (q.options[i % len(q.options)].id,) for q in ANNEX2.questions if q.options},
        suggestion=s,
    )
    for i, s in enumerate(['=HYPERLINK("x")', None, "+1", "建议公开", None, "@cmd"])
]
TALLY = compute_tally(ANNEX2, BALLOTS, min_group=3)


def test_the_installed_font_covers_every_character_a_chart_draws() -> None:
    """No tofu: the chosen font has a glyph for every character of every label and title."""
    font = fonts.cjk_font()
    assert font is not None, "the README's install command brings Noto Sans CJK SC (mplfonts)"
    spoiled = Ballot(answers=BALLOTS[0].answers, paper=True, spoiled=("improve",))
    tally = compute_tally(ANNEX2, [*BALLOTS, spoiled], min_group=3)
    figure = chart_figure(tally, "县财政局 民主测评（最终结果）", font)
    to_png(figure, font)  # tick labels exist only once drawn
    drawn = [text.get_text() for text in figure.findobj(Text)]
    # What is checked is read from the chart itself, the note on a spoiled paper row included.
    assert {"服务对象代表", "人数"} <= set(drawn)
    assert any("不计入" in text for text in drawn)
    assert fonts.missing_glyphs(font, drawn) == set()


def test_a_font_without_chinese_is_recognised(tmp_path: Path) -> None:
    """The coverage check tells a Latin-only font from a Chinese one."""
    from matplotlib import get_data_path  # noqa: PLC0415

    dejavu = Path(get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    assert "民" in fonts.missing_glyphs(dejavu, ["民主测评"])
    assert fonts.missing_glyphs(dejavu, ["Tally 42%"]) == set()


def test_without_the_package_a_system_font_is_used_only_if_it_draws_chinese(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No packaged font: a Latin-only system font found first is passed over for a Chinese one."""
    from matplotlib import get_data_path  # noqa: PLC0415

    dejavu = Path(get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    chinese = fonts.packaged_font()
    assert chinese is not None
    fonts.cjk_font.cache_clear()
    monkeypatch.setattr(fonts, "packaged_font", lambda: None)
    monkeypatch.setattr(fonts, "system_fonts", lambda: [dejavu, chinese])
    try:
        assert fonts.cjk_font() == chinese
    finally:
        fonts.cjk_font.cache_clear()


def test_without_a_chinese_font_charts_are_off_and_said_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """No font found: cjk_font() is None and the log says so once."""
    fonts.cjk_font.cache_clear()
    monkeypatch.setattr(fonts, "packaged_font", lambda: None)
    monkeypatch.setattr(fonts, "system_fonts", list)
    with caplog.at_level(logging.WARNING, logger="reports.fonts"):
        assert fonts.cjk_font() is None
        assert fonts.cjk_font() is None
    assert [r.message for r in caplog.records].count(
        "No Chinese font found: charts are off, reports are sent as text only"
    ) == 1
    fonts.cjk_font.cache_clear()


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+A1", "'+A1"), ("-2", "'-2"), ("@SUM", "'@SUM"), ("\tx", "'\tx"), ("县局", "县局")],
)
def test_formulas_are_neutralised(value: str, expected: str) -> None:
    """Text starting like a formula gets a leading apostrophe; other text is untouched."""
    assert neutralise(value) == expected


def _report(*, is_open: bool) -> UnitReport:
    return UnitReport(
        questionnaire=ANNEX2,
        unit="=县财政局",
        is_open=is_open,
        tally=TALLY,
        ballots=BALLOTS,
        suggestions=None if is_open else list(TALLY.suggestions),
        opened_at=datetime(2026, 11, 26, 8, 0, tzinfo=UTC),
        closed_at=None if is_open else datetime(2026, 11, 26, 9, 5, tzinfo=UTC),
        exported_at=datetime(2026, 11, 26, 10, 16, tzinfo=UTC),
        zone=ZoneInfo("Asia/Shanghai"),
    )


def test_workbook_sheets_charts_and_contents() -> None:
    """汇总, 图表 with native bar charts, 答卷 one row per ballot in option texts, 意见建议 after close."""
    data = workbook(_report(is_open=False))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["汇总", "图表", "答卷", "意见建议"]
    summary = [row[:5] for row in book["汇总"].iter_rows(values_only=True)]
    assert summary[0][0] == "'=县财政局 民主测评汇总"
    assert ("已收到答卷", 6, None, None, None) in summary
    # stored in UTC, read in the county's zone: 10:16 UTC is 18:16 in Shanghai
    assert ("开始时间", "2026年11月26日 16:00（北京时间）", None, None, None) in summary
    assert ("结束时间", "2026年11月26日 17:05（北京时间）", None, None, None) in summary
    assert ("导出时间", "2026年11月26日 18:16（北京时间）", None, None, None) in summary
    assert ("参评对象", "班子成员", 2, pytest.approx(2 / 6), "") in summary
    charts = [
        name for name in zipfile.ZipFile(io.BytesIO(data)).namelist() if name.startswith("xl/charts/chart")
    ]
    assert len(charts) == 15  # one per choice question
    assert "按参评对象的满意率" in [row[0] for row in summary]
    answers = list(book["答卷"].iter_rows(values_only=True))
    assert answers[0][:3] == ("序号", "岗位职权梳理情况", "风险点排查情况")
    listed = [row for row in answers[1:] if isinstance(row[0], int)]
    assert sorted(row[0] for row in listed) == [1, 2, 3, 4, 5, 6]
    assert {row[1] for row in listed} == {"1", "2"}  # codes, explained under the table
    legend = [row[0] for row in answers[len(listed) + 1 :] if row[0]]
    assert "岗位职权梳理情况：1 职责权力梳理全面准确；2 职责权力没有全面梳理" in legend
    assert "领导岗位：1 风险等级划分准确；2 风险等级划分不准确" in legend
    notes = [row[1] for row in book["意见建议"].iter_rows(min_row=2, values_only=True)]
    assert sorted(notes) == sorted(['\'=HYPERLINK("x")', "'+1", "建议公开", "'@cmd"])
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)  # not one formula


def test_workbook_while_open_has_only_the_summary() -> None:
    """Before close: no 答卷 rows (two exports would differ by a few), no breakdown, no suggestions."""
    book = openpyxl.load_workbook(io.BytesIO(workbook(_report(is_open=True))))
    assert book.sheetnames == ["汇总", "图表"]
    assert "按参评对象的满意率" not in [row[0] for row in book["汇总"].iter_rows(values_only=True)]


def test_ballot_rows_carry_no_respondent_category() -> None:
    """Per-ballot rows leave 参评对象 out: the lone 服务对象代表 must not be recognisable by a row."""
    header, rows = ballot_rows(ANNEX2, BALLOTS)
    assert "参评对象" not in header
    labels = {o.label for o in ANNEX2.questions[0].options}
    assert not labels & {cell for row in rows for cell in row}
    assert len(header) == 1 + 14  # 序号, 12 rated items and the two ranked ones


def test_csv_has_a_bom_and_neutralised_cells() -> None:
    """UTF-8 with BOM, one row per ballot, formula-like text neutralised."""
    data = ballots_csv(["序号", "参评对象"], [["1", "=cmd|' /C calc'!A0"], ["2", "班子成员"]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["序号", "参评对象"], ["1", "'=cmd|' /C calc'!A0"], ["2", "班子成员"]]


def test_an_item_spoiled_on_fewer_than_k_forms_is_left_out_of_the_listing_not_the_ballots() -> None:
    """1 to k − 1 forms with 教育防范 spoiled: every ballot listed, that column not; k or more: 作废 shown."""
    spoiled = Ballot(answers={"category": ("served",)}, paper=True, spoiled=("education",))
    few = [*BALLOTS, spoiled]
    shown = listing(ANNEX2, few, 3)
    assert [q.id for q, _ in shown.left_out] == ["education"]
    header, rows = ballot_rows(ANNEX2, few, min_group=3)
    assert len(rows) == len(few)
    assert "教育防范" not in header
    assert left_out_note(shown.left_out, 3).startswith("逐份答卷中略去以下题目：教育防范（1 份作废）。")
    assert listing(ANNEX2, BALLOTS, 3).left_out == ()
    header, rows = ballot_rows(ANNEX2, [*BALLOTS, spoiled, spoiled, spoiled], min_group=3)
    column = header.index("教育防范")
    assert [row[column] for row in rows].count("作废（多勾或未勾）") == 3


def test_the_csv_holds_a_header_and_rows_only() -> None:
    """With a column left out the CSV is still data: the header, then one row per ballot, no prose."""
    spoiled = Ballot(answers={"category": ("served",)}, paper=True, spoiled=("education",))
    header, rows = ballot_rows(ANNEX2, [*BALLOTS, spoiled], min_group=3)
    table = list(csv.reader(io.StringIO(ballots_csv(header, rows).decode("utf-8-sig"))))
    assert table[0] == header
    assert len(table) == 1 + len(BALLOTS) + 1
    assert all(len(row) == len(header) and row[0].isdigit() for row in table[1:])
