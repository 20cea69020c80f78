"""The blank Annex 2 form on one A4 page, for those who answer on paper (wording verbatim from the notice)."""

from __future__ import annotations

from datetime import date
from itertools import groupby

from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.shared import Cm, Pt
from docx.styles.style import ParagraphStyle
from docx.table import Table

from conversations.questionnaire import Question, QuestionKind, Questionnaire
from reports.word import TABLE_STYLE, Paper, merge_cells
from reports.wording import day

BOX = "□"
KEEP_TOGETHER = "\u2060"  # WORD JOINER: the box never starts a line away from its option
INSTRUCTION = "评议意见（请在认定的选项后划√）"
MARGINS_CM = (1.8, 1.6, 2.0, 2.0)
LABEL_CM = 3.0
OPTION_CM = 3.5
COLUMNS = 5  # the item's label, then up to four options; a choose-up-to-three row uses all five
ROW_CM = 0.8
SUGGESTIONS_CM = 4.0
FORM_PT = 11
GAP = "　　"
BLANK_DATE = "　　年　　月　　日"
Row = tuple[str, ...]


def ticked(label: str) -> str:
    """Return an option followed by its box."""
    return f"{label[:-1]}{KEEP_TOGETHER}{label[-1]}{KEEP_TOGETHER}{BOX}"


def row_label(question: Question) -> str:
    """Return the row label as the paper prints it: 民主防控（决策） and （用权事项公开） share 民主防控."""
    return question.prompt.split("（", 1)[0]


def form_rows(questions: list[Question]) -> list[Row]:
    """Return the table's rows: (section,) for a heading, (label, options…) for an item.

    A choose-up-to-three item has no label of its own (its section says it all), so its options
    fill whole rows; the free-text item is an empty row () to write in.
    """
    rows: list[Row] = []
    for section, grouped in groupby(questions, key=lambda q: q.section):
        rows.append((section,))
        for question in grouped:
            options = [ticked(option.label) for option in question.options]
            if question.kind is QuestionKind.SINGLE:
                rows.append((row_label(question), *options))
            elif question.kind is QuestionKind.MULTI:
                rows += [tuple(options[i : i + COLUMNS]) for i in range(0, len(options), COLUMNS)]
            else:
                rows.append(())
    return rows


def paper_form_docx(questionnaire: Questionnaire, unit: str, when: date | None) -> bytes:
    """Return the printable form with the unit's name and the date filled in (left blank if None)."""
    category, *rest = questionnaire.questions
    document = Paper(f"{questionnaire.title}（{unit}）", "", when, margins_cm=MARGINS_CM)
    document.title(questionnaire.title)
    title = document.document.paragraphs[-1]
    title.runs[0].font.size = Pt(18)
    title.paragraph_format.space_after = Pt(6)
    style = document.document.styles[TABLE_STYLE]
    assert isinstance(style, ParagraphStyle)  # noqa: S101 - made by Paper
    style.font.size = Pt(FORM_PT)
    written = day(when) if when else BLANK_DATE
    document.text(f"被评议单位：{unit}{GAP}{GAP}时间：{written}", indent=False, style=TABLE_STYLE)
    choices = GAP.join(ticked(option.label) for option in category.options)
    document.text(f"{category.prompt}：{choices}", indent=False, style=TABLE_STYLE)
    document.text(INSTRUCTION, indent=False, style=TABLE_STYLE)
    rows = form_rows(rest)
    padded = [list(row) + [""] * (COLUMNS - len(row)) for row in rows]
    table = document.table(None, padded, (LABEL_CM, *[OPTION_CM] * (COLUMNS - 1)))
    for index, row in enumerate(rows):
        table.rows[index].height = Cm(SUGGESTIONS_CM if not row else ROW_CM)
        table.rows[index].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        if len(row) <= 1:  # a section heading, or the space for suggestions
            merge_cells(table, (index, 0), (index, COLUMNS - 1), row[0] if row else "", header=bool(row))
    _merge_shared_labels(table, rows)
    return document.to_bytes()


def _merge_shared_labels(table: Table, rows: list[Row]) -> None:
    """Merge one label over the consecutive item rows that share it (民主防控 holds two pairs)."""
    index = 0
    while index < len(rows):
        end = index
        while len(rows[index]) > 1 and end + 1 < len(rows) and rows[end + 1][:1] == rows[index][:1]:
            end += 1
        if end > index:
            merge_cells(table, (index, 0), (end, 0), rows[index][0])
        index = end + 1
