"""Word documents, the paper form and the poster: their structure and numbers, as a reader finds them."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import numpy
import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.shared import Cm
from docx.table import Table

from conversations.annex1 import ANNEX1, grade
from conversations.annex2 import ANNEX2
from conversations.questionnaire import Polarity, QuestionKind
from reports.documents import IMPROVE, RISKS, GroupPaper, Missing, choice_totals, top_three
from reports.feedback_doc import PHOTO_HEIGHT_CM, unit_feedback_docx
from reports.group_doc import group_report_docx
from reports.paper_form import BOX, INSTRUCTION, KEEP_TOGETHER, paper_form_docx
from reports.poster import QR_SIDE_CM, STEPS, poster_figure, poster_pdf, qr_modules, qr_outline
from reports.wording import rate
from tests.paper_samples import DAY, LOST, sample_photos, sample_score, sample_unit
from tests.test_questionnaire import NOTICE

PNG = b"\x89PNG\r\n\x1a\n" + bytes.fromhex(
    "0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201"
    "a5b1e4a20000000049454e44ae426082"
)


def open_docx(data: bytes) -> DocumentObject:
    return Document(io.BytesIO(data))


def headings(document: DocumentObject, level: int = 1) -> list[str]:
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == f"Heading {level}"]


def table_with(document: DocumentObject, *header: str) -> Table:
    found = [t for t in document.tables if tuple(c.text for c in t.rows[0].cells) == header]
    assert len(found) == 1, [tuple(c.text for c in t.rows[0].cells) for t in document.tables]
    return found[0]


def rows(table: Table) -> list[tuple[str, ...]]:
    return [tuple(cell.text for cell in row.cells) for row in table.rows]


def text_of(document: DocumentObject) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def assert_a4_official(document: DocumentObject) -> None:
    section = document.sections[0]
    assert section.page_width is not None
    assert section.page_height is not None
    assert abs(section.page_width - Cm(21.0)) < Cm(0.01)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.01)
    footer = section.footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer  # page numbers
    assert "— " in section.footer.paragraphs[0].text


def test_feedback_has_the_official_shape() -> None:
    """A4 with page numbers, the title with the unit, the addressee, four headings, the sender and date."""
    document = open_docx(unit_feedback_docx(sample_unit()))
    assert_a4_official(document)
    title = document.paragraphs[0]
    assert title.style is not None
    assert title.style.name == "Title"
    assert "县财政局" in title.text
    assert document.paragraphs[1].text == "县财政局："
    assert headings(document) == ["一、综合评定", "二、肯定成绩", "三、存在不足", "四、改进意见"]
    body = text_of(document)
    assert "第一检查组于2026年11月26日对你单位" in body
    assert "组长：张三" in body
    assert "党组高度重视，成立了领导小组。" in body
    assert "二是将防控图在各科室上墙公开。" in body
    assert document.core_properties.author == "张三"


PLACEHOLDERS = ("待填写", "未填写", "尚未", "未定稿", "草稿", "UTC", "（无）", "—")


def test_a_final_feedback_has_no_placeholder_and_no_internal_line() -> None:
    """Nothing missing: no 待填写, no draft mark, no UTC time, no 评分状态 line, no 其中纸质 0 份."""
    document = open_docx(unit_feedback_docx(sample_unit(paper=0)))
    body = text_of(document) + "".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    header = "".join(p.text for p in document.sections[0].header.paragraphs)
    body_without_tables = text_of(document)
    assert not any(word in body_without_tables for word in PLACEHOLDERS), [
        w for w in PLACEHOLDERS if w in body_without_tables
    ]
    assert "草稿" not in header
    assert "评分状态" not in body
    assert "其中纸质" not in body


def test_a_final_feedback_leaves_out_a_section_left_empty_and_numbers_on() -> None:
    """存在不足 left empty on purpose (the sections finalised): no heading, no 待填写; 改进意见 is 三."""
    paper = sample_unit()
    paper = replace(paper, findings=replace(paper.findings, shortcomings=""))
    document = open_docx(unit_feedback_docx(paper))
    assert headings(document) == ["一、综合评定", "二、肯定成绩", "三、改进意见"]
    assert "待填写" not in text_of(document)


def test_a_draft_says_so_on_every_page_and_lists_what_is_missing() -> None:
    """草稿 in the page header; under the title what is missing; an empty section reads 待填写."""
    missing = (Missing.SCORE_DRAFT, Missing.WRITINGS_DRAFT)
    paper = sample_unit(score=sample_score(final=False), missing=missing)
    paper = replace(paper, findings=replace(paper.findings, shortcomings=""))
    document = open_docx(unit_feedback_docx(paper))
    assert "".join(p.text for p in document.sections[0].header.paragraphs) == "草稿"
    body = text_of(document)
    assert "（草稿：检查评分尚未定稿；肯定成绩、存在不足、改进意见尚未定稿。定稿后方可打印、转发。）" in body
    assert "三、存在不足\n（待填写）" in body
    assert "（评分尚未定稿）" in body


def test_paper_ballots_are_named_only_when_there_are_some() -> None:
    """其中纸质 M 份 with M > 0; with no paper form, the count alone."""
    assert "（其中纸质 6 份）" in text_of(open_docx(unit_feedback_docx(sample_unit(paper=6))))
    for paper in (0, None):
        body = text_of(open_docx(unit_feedback_docx(sample_unit(paper=paper))))
        assert "共收回测评表 28 份，" in body
        assert "纸质" not in body


def test_the_signature_goes_over_with_the_last_section() -> None:
    """The last section (heading and text), the attachments and the signature keep with what follows.

    Word and LibreOffice then move them to the next page together: the signature never stands
    alone at the top of a page (LibreOffice's rendering, looked at, shows 四、改进意见 above it).
    """
    document = open_docx(unit_feedback_docx(sample_unit()))
    paragraphs = document.paragraphs
    last_heading = max(i for i, p in enumerate(paragraphs) if p.text == "四、改进意见")
    signed = next(i for i, p in enumerate(paragraphs) if p.text == "2026年11月26日")
    assert paragraphs[signed - 1].text == "组长：张三"
    block = paragraphs[last_heading:signed]
    assert [p.text for p in block if p.text.startswith("附件")] == [
        "附件：1. 建立廉政风险防范机制工作检查评分表"
    ]
    assert all(p.paragraph_format.keep_with_next for p in block), [
        p.text for p in block if not p.paragraph_format.keep_with_next
    ]


def score_table(document: DocumentObject) -> list[tuple[str, ...]]:
    return rows(table_with(document, "项目", "考核内容和标准", "检查情况", "得分"))


def test_feedback_score_table_matches_the_sheet() -> None:
    """Annex 1: each criterion's points, section subtotals, total, grade, reasons and photo figures."""
    score = sample_score()
    document = open_docx(unit_feedback_docx(sample_unit(photos=sample_photos())))
    table = score_table(document)
    for section in ANNEX1.sections:
        section_rows = [row for row in table if row[0] == section.title]
        assert len(section_rows) == len(section.items) + 1  # the 项目 cell spans them, 小计 last
        subtotal = section.max_points - sum(LOST.get(item.id, 0) for item in section.items)
        assert section_rows[-1][1:] == ("小计", "", str(subtotal))
        for item, row in zip(section.items, section_rows, strict=False):
            assert row[3] == str(score.points[item.id])
    findings = {row[1]: row[2] for row in table}
    assert (
        findings["1、按要求划分一、二、三级风险岗位，有档案 8分"]
        == "二级风险岗位未建档\n照片见附件3 图1、图2"
    )
    assert (
        findings["2、将廉政风险管理工作形成的资料分类进行了梳理汇编 5分"] == ""
    )  # lost points, no reason given
    assert table[-2][3] == "88"
    assert table[-1][3] == "良好" == grade(88)
    body = text_of(document)
    assert "检查评分 88 分（满分 100 分），等级为良好" in body


def _normalised(text: str) -> str:
    """Return text with the scan's half-width punctuation made full-width and every space removed."""
    return "".join(text.translate(str.maketrans(",:;()", "，：；（）")).split())


def _notice_annex1() -> str:
    text = NOTICE.read_text(encoding="utf-8")
    annex = text[text.index("附件1:") : text.index("附件2:")].rstrip()
    return annex.removesuffix("4")  # the page's number


def test_annex1_headings_texts_and_numbers_are_the_notices() -> None:
    """The notice's Annex 1 word for word: 被考核单位, the five headings, each item with number and points.

    The notice's scan interleaves the table's cells; once its headings and column titles are
    taken out, what is left is exactly the items in order, as the 考核内容和标准 column prints them.
    """
    notice = _normalised(_notice_annex1())
    document = open_docx(unit_feedback_docx(sample_unit()))
    assert "被考核单位：县财政局" in text_of(document)
    assert "被检查单位" not in text_of(document)
    table = score_table(document)
    titles = [section.title for section in ANNEX1.sections]
    assert [row[0] for row in table if row[1] == "小计"] == titles
    assert table[0] == ("项目", "考核内容和标准", "检查情况", "得分")
    for title in titles:
        assert _normalised(title) in notice, title
        notice = notice.replace(_normalised(title), "", 1)
    for words in (
        "附件1：",
        "建立廉政风险防范机制工作检查评分表",
        "被考核单位：年月日",
        "项目",
        "考核内容和标准",
        "检查情况得分",
    ):
        notice = notice.replace(words, "", 1)
    printed = [row[1] for row in table[1:] if row[1] not in {"小计", ""} and row[0] not in {"合计", "等级"}]
    # a criterion after the first of its numbered item follows a semicolon, as the notice runs them on
    joined = "".join(text if re.match(r"\d、", text) else f"；{text}" for text in printed)
    assert _normalised(joined) == notice


def test_feedback_evaluation_matches_the_tally() -> None:
    """Annex 2: favourable / middle / unfavourable per item, the rate, top three, suggestions after close."""
    paper = sample_unit(charts=(PNG, PNG, PNG))
    tally = paper.evaluation.tally
    document = open_docx(unit_feedback_docx(paper))
    table = {
        row[0]: row for row in rows(table_with(document, "测评项目", "满意", "一般", "不满意", "满意率"))
    }
    for item in (q for q in tally.questions if q.question.rated):
        counts = {p: sum(c.count for c in item.counts if c.option.polarity is p) for p in Polarity}
        middle = any(c.option.polarity is Polarity.NEUTRAL for c in item.counts)
        assert table[item.question.prompt] == (
            item.question.prompt,
            str(counts[Polarity.FAVOURABLE]),
            str(counts[Polarity.NEUTRAL]) if middle else "—",
            str(counts[Polarity.UNFAVOURABLE]),
            rate(item.favourable_rate),
        )
    assert table["合计"][4] == rate(tally.favourable_rate)
    body = text_of(document)
    assert f"共收回测评表 {tally.received} 份，民主测评满意率为 {rate(tally.favourable_rate)}" in body
    for question_id in (IMPROVE, RISKS):
        for position, count in enumerate(top_three(tally.question(question_id).counts), start=1):
            assert f"{position}. {count.option.label}：{count.count} 人次" in body
    assert f"共 {len(tally.suggestions)} 条（顺序随机）" in body
    assert len(document.inline_shapes) == 3  # the chart's parts


def test_feedback_while_open_holds_back_suggestions_and_says_paper_ballots() -> None:
    """Before close no suggestion is printed; paper ballots, where any, are named in the count."""
    paper = sample_unit(is_open=True, paper=6, missing=(Missing.SURVEY_OPEN,))
    document = open_docx(unit_feedback_docx(paper))
    body = text_of(document)
    assert "测评结束后提供" in body
    assert not any(s in body for s in paper.evaluation.tally.suggestions)
    assert f"共收回测评表 {paper.evaluation.tally.received} 份（其中纸质 6 份）" in body
    assert "按批统计，最新一批在结束后计入" in body


def test_feedback_without_a_sheet_or_ballots_says_so() -> None:
    """No sheet yet and fewer than k ballots: plain sentences, no empty tables."""
    paper = sample_unit(ballots=2, missing=(Missing.SCORE_NONE,))
    paper = replace(paper, score=None)
    document = open_docx(unit_feedback_docx(paper))
    body = text_of(document)
    assert "检查评分尚未开始" in body
    assert "不足 3 份，不公布各项统计" in body
    assert document.tables == []


def test_site_photos_print_two_to_a_page_captioned_and_a_missing_one_is_named() -> None:
    """附件3 现场照片: each photo within half a page, its caption naming the item; one not fetched named."""
    document = open_docx(unit_feedback_docx(sample_unit(photos=sample_photos(missing=1))))
    body = text_of(document)
    assert "附件：1. 建立廉政风险防范机制工作检查评分表\n　　　2. 民主测评结果\n　　　3. 现场照片" in body
    assert "图1　（三）1、按要求划分一、二、三级风险岗位，有档案（第 1 张，共 2 张）" in body
    assert "图2　（三）1、按要求划分一、二、三级风险岗位，有档案（第 2 张，共 2 张）" in body
    assert (
        "图3　（四）1、前期预防措施：制定《廉政风险防控图》，在单位显要位置和科室上墙公开：照片未能取得"
        in body
    )
    shapes = document.inline_shapes
    assert len(shapes) == 2
    for shape in shapes:
        assert shape.width <= Cm(15.6)
        assert shape.height <= Cm(PHOTO_HEIGHT_CM) + Cm(0.01)
    assert shapes[0].width == Cm(15.6) or shapes[0].height >= Cm(PHOTO_HEIGHT_CM) - Cm(
        0.01
    )  # scaled up to fit


def group_sample() -> GroupPaper:
    units = [
        sample_unit("县财政局", seed=1, ballots=28),
        sample_unit(
            "县审计局", seed=2, ballots=15, score=sample_score(lost={"s1_1": 4, "s2_1": 4, "s3_1": 8})
        ),
        sample_unit("县教育局", seed=3, ballots=2, day=date(2026, 11, 28), score=sample_score(final=False)),
    ]
    return GroupPaper(
        group="第一检查组", leader="张三", day=date(2026, 11, 30), units=units, conclusions="总体较好。"
    )


def test_group_report_lists_every_unit_with_score_grade_and_rate() -> None:
    """The units table: total and grade of finalised sheets, 满意率 and ballots; band counts in words."""
    paper = group_sample()
    document = open_docx(group_report_docx(paper))
    assert_a4_official(document)
    assert headings(document) == [
        "一、检查考核结果",
        "二、民主测评反映的共性问题",
        "三、各单位好经验好做法和存在不足",
        "四、结论和建议",
    ]
    table = rows(table_with(document, "序号", "被评议单位", "检查时间", "得分", "等级", "满意率", "测评份数"))
    assert table[1:] == [
        (
            "1",
            "县财政局",
            "2026年11月26日",
            "88",
            "良好",
            rate(paper.units[0].evaluation.tally.favourable_rate),
            "28",
        ),
        (
            "2",
            "县审计局",
            "2026年11月26日",
            "84",
            "良好",
            rate(paper.units[1].evaluation.tally.favourable_rate),
            "15",
        ),
        ("3", "县教育局", "2026年11月28日", "—", "未定稿", "—", "2"),
    ]
    body = text_of(document)
    assert "3 个单位中，优秀 0 个，良好 2 个，合格 0 个，不合格 0 个；尚有 1 个单位评分未定稿" in body
    assert "于2026年11月26日至2026年11月28日对 3 个单位" in body
    assert headings(document, 2)[-3:] == [
        "（一）县财政局（2026年11月26日）",
        "（二）县审计局（2026年11月26日）",
        "（三）县教育局（2026年11月28日）",
    ]
    assert "好经验好做法：县审计局建立廉政风险电子监察系统。\n存在不足：风险等级划分档案不完整。" in body
    assert "总体较好。" in body


def test_group_report_adds_up_the_common_problems_across_units() -> None:
    """Each 限选三项 option: times chosen over the units, share of ballots, units with it in a top three."""
    paper = group_sample()
    document = open_docx(group_report_docx(paper))
    tables = [t for t in document.tables if t.rows[0].cells[0].text == "选项"]
    assert len(tables) == 2
    counted = [u for u in paper.units if u.evaluation.tally.counted]
    ballots = sum(u.evaluation.tally.counted for u in counted)
    for table, question_id in zip(tables, (IMPROVE, RISKS), strict=True):
        shown = rows(table)[1:]
        for label, chosen, share, units in shown:
            expected = sum(
                c.count
                for u in counted
                for c in u.evaluation.tally.question(question_id).counts
                if c.option.label == label
            )
            in_top = sum(
                label in {c.option.label for c in top_three(u.evaluation.tally.question(question_id).counts)}
                for u in counted
            )
            assert (int(chosen), share, int(units)) == (expected, f"{100 * expected / ballots:.0f}%", in_top)
        assert [int(row[1]) for row in shown] == sorted((int(row[1]) for row in shown), reverse=True)
        assert [t.label for t in choice_totals(paper.units, question_id)] == [row[0] for row in shown]


def test_paper_form_carries_the_form_verbatim_with_boxes() -> None:
    """Title, unit, date, 参评对象, the instruction, every section and option verbatim, a box after each."""
    document = open_docx(paper_form_docx(ANNEX2, "县财政局", DAY))
    assert_a4_official(document)
    body = text_of(document).replace(KEEP_TOGETHER, "")
    assert document.paragraphs[0].text == ANNEX2.title
    assert "被评议单位：县财政局" in body
    assert "时间：2026年11月26日" in body
    assert "参评对象：班子成员□　　中层干部□　　一般党员干部□　　服务对象代表□" in body
    assert INSTRUCTION in body
    assert len(document.tables) == 1
    cells = [c.text.replace(KEEP_TOGETHER, "") for row in document.tables[0].rows for c in row.cells]
    for question in ANNEX2.questions[1:]:
        assert question.section in cells
        for option in question.options:
            assert f"{option.label}{BOX}" in cells
    assert sum("限选三项" in c for c in set(cells)) == 2
    assert "民主防控" in cells  # one row label over its two pairs, as on the paper
    assert {
        q.prompt for q in ANNEX2.questions if q.kind is QuestionKind.SINGLE and "（" in q.prompt
    }.isdisjoint(cells)


def test_paper_form_without_a_date_leaves_it_to_write_in() -> None:
    """No date given: 时间 is left blank to fill in by hand."""
    body = text_of(open_docx(paper_form_docx(ANNEX2, "县财政局", None)))
    assert "时间：　　年　　月　　日" in body


LINK = "https://t.me/survey_test_bot?start=AbCdEfGhIjKlMnOpQrStUv"


def test_poster_is_one_a4_page() -> None:
    """The poster is a one-page PDF of A4 size."""
    from reports.fonts import cjk_font  # noqa: PLC0415

    font = cjk_font()
    assert font is not None
    pdf = poster_pdf("县财政局", LINK, DAY, font)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert box is not None
    assert (round(float(box.group(1))), round(float(box.group(2)))) == (595, 842)


def test_poster_shows_unit_link_steps_and_a_large_qr_code() -> None:
    """Unit, link, three steps and the date; the QR code is at least 10 cm wide and encodes the link."""
    from matplotlib.text import Text  # noqa: PLC0415

    from reports.fonts import cjk_font  # noqa: PLC0415

    font = cjk_font()
    assert font is not None
    figure = poster_figure("县财政局", LINK, DAY, font)
    shown = [t.get_text() for t in figure.findobj(Text)]
    assert "县财政局" in shown
    assert LINK in shown
    assert all(step in shown for step in STEPS)
    assert "2026年11月26日" in shown
    assert QR_SIDE_CM >= 10
    outline, size = qr_outline(LINK, 0, 0, QR_SIDE_CM)
    step = QR_SIDE_CM / size
    corners = numpy.asarray(outline.vertices)[::5].tolist()
    squares = {(round(x / step), size - 1 - round(y / step)) for x, y in corners}
    assert squares == set(qr_modules(LINK))


def test_an_emoji_in_the_unit_name_is_left_out_of_the_poster_not_drawn_as_a_box() -> None:
    """The font has no emoji: '县财政局 🏛' is printed '县财政局', with no missing glyph."""
    import warnings  # noqa: PLC0415

    from matplotlib.text import Text  # noqa: PLC0415

    from reports.fonts import cjk_font  # noqa: PLC0415

    font = cjk_font()
    assert font is not None
    figure = poster_figure("县财政局 🏛\u200d", LINK, DAY, font)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns of each glyph missing from the font
        poster_pdf("县财政局 🏛", LINK, DAY, font)
    assert "县财政局" in [t.get_text() for t in figure.findobj(Text)]


@pytest.mark.parametrize("unit", ["县财政局", "县" + "局" * 63])
def test_poster_renders_long_unit_names(unit: str) -> None:
    """Even the longest unit name (64 characters) renders."""
    from reports.fonts import cjk_font  # noqa: PLC0415

    font = cjk_font()
    assert font is not None
    assert poster_pdf(unit, LINK, DAY, font).startswith(b"%PDF")
