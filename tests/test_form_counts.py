"""The counts an office reports: handed out (slips, paper), returned, valid, in every view and paper."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.tally_view import tally_text
from bot.texts import EN, ZH
from conversations.annex2 import ANNEX2
from conversations.records import Window
from emulator.html_text import visible_text
from reports.counts import FormCounts, counts_line
from reports.feedback_doc import unit_feedback_docx
from reports.localtime import DEFAULT_ZONE
from reports.sheets import UnitReport, workbook
from tests.paper_samples import sample_ballots, sample_tally, sample_unit
from tests.tallies import compute_tally

SLIPS = Window(
    id=1,
    token="t",
    unit="县财政局",
    leader_id=1,
    is_open=True,
    opened_at=datetime(2026, 11, 26, 1, 0, tzinfo=UTC),
    slips=True,
    slips_issued=40,
    paper_issued=6,
    paper_invalid=1,
)
LINK = SLIPS.model_copy(update={"slips": False, "slips_issued": 0, "paper_issued": 0, "paper_invalid": 0})
SLIPS_LINE = "共发放 46 份（测评码 40 张、纸质表 6 份）、收回 44 份、有效 43 份"


def test_a_slips_unit_reports_issued_returned_and_valid() -> None:
    """40 slips and 6 paper forms out; 43 ballots (phones and keyed) and 1 无效 form back."""
    counts = FormCounts.of(SLIPS, received=43)
    assert (counts.issued, counts.returned, counts.valid) == (46, 44, 43)
    assert counts_line(counts) == SLIPS_LINE


@pytest.mark.parametrize(
    ("window", "line"),
    [
        (LINK, "共收回 12 份、有效 12 份"),
        (
            LINK.model_copy(update={"paper_issued": 5, "paper_invalid": 1}),
            "纸质表发放 5 份；共收回 13 份、有效 12 份",
        ),
        (
            SLIPS.model_copy(update={"paper_issued": 0, "paper_invalid": 0}),
            "共发放 40 份（测评码 40 张、纸质表 0 份）、收回 12 份、有效 12 份",
        ),
    ],
    ids=["link", "link with paper", "slips without paper"],
)
def test_an_open_link_unit_says_what_is_known(window: Window, line: str) -> None:
    """Phones that came by a link were handed nothing countable: no 共发放 for them."""
    assert counts_line(FormCounts.of(window, received=12)) == line


def test_the_live_tally_states_the_counts_of_a_slips_unit_in_either_language() -> None:
    """The leader's tally carries the line (zh as the papers word it; en for an English leader)."""
    tally = compute_tally(ANNEX2, [], received=43, min_group=3)
    assert SLIPS_LINE in visible_text(tally_text(ZH, SLIPS, tally))
    english = visible_text(tally_text(EN, SLIPS, tally))
    assert "Handed out 46 (40 slips, 6 paper forms) · returned 44 · valid 43" in english


def test_a_plain_link_unit_tally_has_no_counts_line_until_paper_is_declared() -> None:
    """收回 = 有效 = received says nothing new; declared paper forms or an 无效 one do."""
    tally = compute_tally(ANNEX2, [], received=12, min_group=3)
    assert "收回" not in visible_text(tally_text(ZH, LINK, tally))
    declared = LINK.model_copy(update={"paper_issued": 5})
    assert "纸质表发放 5 份；共收回 12 份、有效 12 份" in visible_text(tally_text(ZH, declared, tally))


def test_the_workbook_summary_states_the_counts() -> None:
    """汇总 has a row 发放与收回 with the office's line."""
    tally = sample_tally()
    report = UnitReport(
        questionnaire=ANNEX2,
        unit="县财政局",
        is_open=False,
        tally=tally,
        ballots=sample_ballots(1, tally.received),
        suggestions=list(tally.suggestions),
        opened_at=SLIPS.opened_at,
        closed_at=SLIPS.opened_at,
        exported_at=SLIPS.opened_at,
        zone=DEFAULT_ZONE,
        counts=FormCounts.of(SLIPS, received=tally.received),
    )
    rows = list(load_workbook(io.BytesIO(workbook(report)))["汇总"].iter_rows(values_only=True))
    line = counts_line(FormCounts.of(SLIPS, received=tally.received))
    assert ("发放与收回", line) in [row[:2] for row in rows]


def test_the_feedback_states_the_counts_then_the_paper_split() -> None:
    """一、综合评定 says 共发放 … 有效 V 份（其中纸质 6 份）, then the favourable rate."""
    paper = sample_unit(paper=6)
    counts = FormCounts.of(SLIPS, received=paper.evaluation.tally.received)
    paper = replace(paper, evaluation=replace(paper.evaluation, counts=counts))
    body = "\n".join(p.text for p in Document(io.BytesIO(unit_feedback_docx(paper))).paragraphs)
    assert f"民主测评{counts_line(counts)}（其中纸质 6 份），民主测评满意率为" in body
