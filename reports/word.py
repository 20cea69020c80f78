"""A Word document with the look of a Chinese official paper (after GB/T 9704): A4, set fonts, page numbers.

Body in 仿宋 三号 (16 pt) on a 28-pt line, headings 黑体 (一、) and 楷体 (（一）), the title in bold
宋体 二号, tables in 宋体 五号, and the page number centred at the foot as "— 1 —". The fonts are
named, not embedded: Word on a county office's PC has them, other programs substitute.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime, time

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.image.image import Image
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Length, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体"
TITLE_FONT = "宋体"
TABLE_FONT = "宋体"
BODY_PT = 16
TITLE_PT = 22
TABLE_PT = 10.5
LINE_PT = 28
TABLE_STYLE = "表格文字"
TABLE_HEADER_STYLE = "表头"
SIGNATURE_STYLE = "落款"
PAGE_MARGINS_CM = (3.7, 3.5, 2.8, 2.6)  # top, bottom, left, right
TEXT_WIDTH_CM = 21.0 - PAGE_MARGINS_CM[2] - PAGE_MARGINS_CM[3]  # 15.6
KEPT_WITH_SIGNATURE = 8  # paragraphs at most that go to the next page with the signature
BLACK = RGBColor(0, 0, 0)
RED = RGBColor(0xC0, 0, 0)
Cell = str | int | float | None


def _fonts(style: ParagraphStyle, name: str, size: float, *, bold: bool = False) -> None:
    """Set a style's Latin and East Asian font, its size and weight, in black."""
    style.font.name = name
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = BLACK
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _spacing(
    style: ParagraphStyle, *, line: float | None = LINE_PT, before: float = 0, after: float = 0
) -> None:
    layout = style.paragraph_format
    if line is None:
        layout.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        layout.line_spacing = Pt(line)
    layout.space_before = Pt(before)
    layout.space_after = Pt(after)


class Paper:
    """A document written top to bottom: title, headings, paragraphs, tables, pictures."""

    def __init__(
        self, title: str, author: str, day: date | None, *, margins_cm: Sequence[float] = PAGE_MARGINS_CM
    ) -> None:
        self.document: DocumentObject = Document()
        properties = self.document.core_properties
        properties.title = title
        properties.author = author
        properties.last_modified_by = author
        properties.comments = ""
        if day is not None:
            properties.created = properties.modified = datetime.combine(day, time(0))
        self._page(margins_cm)
        self._styles()
        self._page_numbers()

    def _page(self, margins_cm: Sequence[float]) -> None:
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        top, bottom, left, right = margins_cm
        section.top_margin, section.bottom_margin = Cm(top), Cm(bottom)
        section.left_margin, section.right_margin = Cm(left), Cm(right)
        section.footer_distance = Cm(2.0)

    def _styles(self) -> None:
        styles = self.document.styles
        normal = styles["Normal"]
        assert isinstance(normal, ParagraphStyle)  # noqa: S101 - the template's own
        _fonts(normal, BODY_FONT, BODY_PT)
        _spacing(normal)
        for name, font, size, bold in (
            ("Title", TITLE_FONT, TITLE_PT, True),
            ("Heading 1", HEADING_FONT, BODY_PT, False),
            ("Heading 2", SUBHEADING_FONT, BODY_PT, False),
        ):
            style = styles[name]
            assert isinstance(style, ParagraphStyle)  # noqa: S101 - the template's own
            _fonts(style, font, size, bold=bold)
            _spacing(
                style, line=None if name == "Title" else LINE_PT, after=LINE_PT if name == "Title" else 0
            )
            style.paragraph_format.keep_with_next = True
            style.paragraph_format.first_line_indent = None if name == "Title" else Pt(2 * BODY_PT)
            borders = style.element.pPr.find(qn("w:pBdr")) if style.element.pPr is not None else None
            if borders is not None:  # the template underlines its title
                style.element.pPr.remove(borders)
        title = styles["Title"]
        assert isinstance(title, ParagraphStyle)  # noqa: S101 - the template's own
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for name, bold in ((TABLE_STYLE, False), (TABLE_HEADER_STYLE, True)):
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            assert isinstance(style, ParagraphStyle)  # noqa: S101 - just made
            style.base_style = normal
            _fonts(style, TABLE_FONT, TABLE_PT, bold=bold)
            _spacing(style, line=None)
            style.paragraph_format.first_line_indent = None
        signature = styles.add_style(SIGNATURE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        assert isinstance(signature, ParagraphStyle)  # noqa: S101 - just made
        signature.base_style = normal
        signature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        signature.paragraph_format.right_indent = Pt(2 * BODY_PT)

    def _page_numbers(self) -> None:
        """Put "— n —" centred in the footer, n being Word's PAGE field."""
        paragraph = self.document.sections[0].footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.first_line_indent = None
        paragraph.add_run("— ")
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        paragraph._p.append(field)  # python-docx has no API for fields
        paragraph.add_run(" —")
        for run_ in paragraph.runs:
            run_.font.size = Pt(14)
            run_.font.name = TITLE_FONT

    def title(self, text: str) -> None:
        """Add the centred title (lines split on newlines)."""
        self.document.add_paragraph(text, style="Title")

    def heading(self, text: str, level: int = 1) -> None:
        """Add a heading: level 1 for 一、, level 2 for （一）."""
        self.document.add_paragraph(text, style=f"Heading {level}")

    def text(
        self, text: str, *, indent: bool = True, style: str | None = None, keep_with_next: bool = False
    ) -> None:
        """Add text, one paragraph per line, the first line indented two characters."""
        for line in text.splitlines() or [""]:
            paragraph = self.document.add_paragraph(line.strip(" \t"), style=style)
            if not indent:
                paragraph.paragraph_format.first_line_indent = Pt(0)
            elif style is None:
                paragraph.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
            if keep_with_next:
                paragraph.paragraph_format.keep_with_next = True

    def mark(self, text: str) -> None:
        """Print `text` at the top right of every page, in bold red (草稿 on a draft)."""
        header = self.document.sections[0].header
        paragraph = header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.first_line_indent = None
        run = paragraph.add_run(text)
        run.font.name = HEADING_FONT
        run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), HEADING_FONT)
        run.font.size = Pt(BODY_PT)
        run.font.bold = True
        run.font.color.rgb = RED

    def signature(self, *lines: str) -> None:
        """Add the sender and date, right-aligned, after a blank line, on the page of the text above.

        The last section (from its heading, at most a few paragraphs) and the whole block are
        kept with what follows (keep-with-next, keep-together), so a page break before the
        signature takes the section along: the signature never stands alone on a page.
        """
        for paragraph in reversed(self.document.paragraphs[-KEPT_WITH_SIGNATURE:]):
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.keep_together = True
            if paragraph.style is not None and paragraph.style.name.startswith("Heading"):
                break  # the last section goes over with the signature, its heading too
        self.document.add_paragraph("").paragraph_format.keep_with_next = True
        for line in lines:
            if line:
                layout = self.document.add_paragraph(line, style=SIGNATURE_STYLE).paragraph_format
                layout.keep_with_next = True
                layout.keep_together = True
        self.document.paragraphs[-1].paragraph_format.keep_with_next = False

    def space(self, points: float = BODY_PT / 2) -> None:
        """Add an empty line of `points` height (between a table and a picture)."""
        layout = self.document.add_paragraph(style=TABLE_STYLE).paragraph_format
        layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        layout.line_spacing = Pt(points)

    def caption(self, text: str) -> None:
        """Add a picture's caption, centred, on the picture's page."""
        paragraph = self.document.add_paragraph(text, style=TABLE_STYLE)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(BODY_PT)
        previous = self.document.paragraphs[-2]
        previous.paragraph_format.keep_with_next = True

    def page_break(self) -> None:
        """Start a new page."""
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def picture(self, png: bytes, width_cm: float, height_cm: float | None = None) -> None:
        """Add a picture centred on its own line: `width_cm` wide, or within a box, its shape kept."""
        width: Length = Cm(width_cm)
        height: Length | None = None
        if height_cm is not None:
            image = Image.from_blob(png)
            scale = min(Cm(width_cm) / image.px_width, Cm(height_cm) / image.px_height)
            width, height = Emu(int(image.px_width * scale)), Emu(int(image.px_height * scale))
        self.document.add_picture(io.BytesIO(png), width=width, height=height)
        last = self.document.paragraphs[-1]
        last.alignment = WD_ALIGN_PARAGRAPH.CENTER
        last.paragraph_format.first_line_indent = Pt(0)
        last.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE

    def table(
        self, header: Sequence[str] | None, rows: Sequence[Sequence[Cell]], widths_cm: Sequence[float]
    ) -> Table:
        """Add a bordered table whose header row repeats on every page and whose rows never split."""
        first = 0 if header is None else 1
        table: Table = self.document.add_table(rows=first + len(rows), cols=len(widths_cm))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for index, row in enumerate(table.rows):
            properties = row._tr.get_or_add_trPr()  # python-docx has no API for these
            properties.append(OxmlElement("w:cantSplit"))
            if index < first:
                properties.append(OxmlElement("w:tblHeader"))
        # One pass over the grid: python-docx rebuilds the whole grid on every table.cell() call.
        contents: list[Sequence[Cell]] = [header] if header is not None else []
        contents += rows
        for index, cell in enumerate(table._cells):
            row, column = divmod(index, len(widths_cm))
            write_cell(
                cell, contents[row][column] if column < len(contents[row]) else None, header=row < first
            )
            cell.width = Cm(widths_cm[column])
        for column, width in enumerate(widths_cm):
            table.columns[column].width = Cm(width)
        return table

    def to_bytes(self) -> bytes:
        """Return the .docx file."""
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def write_cell(cell: _Cell, value: Cell, *, header: bool = False) -> None:
    """Write a value into a cell: text left, numbers centred, vertically centred."""
    paragraph = cell.paragraphs[0]
    # The style by its id (our styles' ids are their names): looking a style up by name is slow.
    paragraph._p.style = TABLE_HEADER_STYLE if header else TABLE_STYLE
    paragraph.text = "" if value is None else str(value)
    numeric = isinstance(value, int | float) or header
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if numeric else WD_ALIGN_PARAGRAPH.LEFT
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def merge_cells(
    table: Table, first: tuple[int, int], last: tuple[int, int], value: Cell, *, header: bool = False
) -> None:
    """Merge the cells from `first` to `last` (row, column) into one holding `value`."""
    merged = table.cell(*first).merge(table.cell(*last))
    for extra in merged.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)  # merging keeps each cell's empty paragraph
    write_cell(merged, value, header=header)
