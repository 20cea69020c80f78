"""The 结果反馈 of one unit as a Word document: the findings, then Annex 1, Annex 2 and the site photos.

A final paper (nothing missing) carries no placeholder: a section left empty on purpose is left
out and the headings are numbered on. A draft says so on every page (草稿) and under its title
lists what is missing; its empty sections read 待填写.
"""

from __future__ import annotations

from collections.abc import Sequence

from conversations.annex1 import ScoreItem, ScoreSection
from conversations.questionnaire import Polarity
from reports.counts import counts_line
from reports.documents import (
    IMPROVE,
    RISKS,
    Evaluation,
    ScoreRecord,
    SitePhoto,
    UnitPaper,
    top_three,
)
from reports.word import TABLE_STYLE, TEXT_WIDTH_CM, Cell, Paper, merge_cells
from reports.wording import (
    DRAFT_MARK,
    NUMBERS,
    SPOILED,
    day,
    draft_line,
    rate,
    split,
    spoiled_rows,
)

MISSING = "（待填写）"  # a draft's empty section
REASON_MISSING = "（未填写扣分理由）"  # a draft's item that lost points without a reason
NOT_SCORED = "—"
SCORE_WIDTHS = (3.2, 7.4, 3.5, 1.5)  # 项目, 考核内容和标准, 检查情况, 得分: 15.6 cm
SCORE_HEADER = ("项目", "考核内容和标准", "检查情况", "得分")
RATES_WIDTHS = (6.0, 2.2, 2.2, 2.2, 3.0)
CHART_WIDTH_CM = 14.5
PHOTO_HEIGHT_CM = 8.0  # two photos and their captions under the annex's title, in 22.5 cm of text
FINDINGS = (("肯定成绩", "strengths"), ("存在不足", "shortcomings"), ("改进意见", "improvements"))
TOP_HEADINGS = ((IMPROVE, "最需要和亟待加强改进的方面（前三项）"), (RISKS, "最突出的风险（前三项）"))
ANNEX1_TITLE = "建立廉政风险防范机制工作检查评分表"
ANNEX2_TITLE = "民主测评结果"
ANNEX3_TITLE = "现场照片"


def feedback_title(unit: str) -> str:
    """Return the document's title."""
    return f"关于{unit}建立廉政风险防范机制工作\n检查考核情况的反馈"


def ballots_sentence(evaluation: Evaluation) -> str:
    """Return e.g. 共收回测评表 28 份（其中纸质 6 份）; while open, of the ballots counted so far.

    Where slips were issued or paper forms declared, the office's counts come first:
    共发放 40 份（测评码 34 张、纸质表 6 份）、收回 29 份、有效 28 份（其中纸质 6 份）.
    """
    tally = evaluation.tally
    counts = evaluation.counts
    ballots = counts_line(counts) if counts and counts.worth_a_line else f"共收回测评表 {tally.received} 份"
    if not evaluation.paper:
        return ballots
    if tally.counted == tally.received:
        return f"{ballots}（其中纸质 {evaluation.paper} 份）"
    return f"{ballots}（已统计{split(tally.counted, evaluation.paper)}）"


def score_sentence(score: ScoreRecord | None) -> str:
    """Return the sentence on the Annex 1 score: total and grade, or how far scoring is."""
    if score is None:
        return "检查评分尚未开始。"
    result = score.result
    if result.grade is None:
        missing = len(score.form.items) - sum(s.scored_items for s in result.sections)
        return f"检查评分尚未完成（已评 {result.total} 分，尚有 {missing} 项未评）。"
    state = "" if score.finalised else "（评分尚未定稿）"
    return f"检查评分 {result.total} 分（满分 100 分），等级为{result.grade}{state}。"


def evaluation_sentence(evaluation: Evaluation) -> str:
    """Return the sentence on the democratic evaluation: ballots and the favourable rate."""
    tally = evaluation.tally
    ballots = ballots_sentence(evaluation)
    if not tally.counted and evaluation.is_open:
        return f"民主测评{ballots}，测评进行中，满 {2 * tally.min_group} 份后公布各项统计。"
    if not tally.counted:
        return f"民主测评{ballots}，不足 {tally.min_group} 份，不公布各项统计。"
    batched = "（测评进行中，按批统计，最新一批在结束后计入）" if evaluation.is_open else ""
    return f"民主测评{ballots}，民主测评满意率为 {rate(tally.favourable_rate)}{batched}。"


def _attachments(paper: UnitPaper) -> list[str]:
    names = [ANNEX1_TITLE, ANNEX2_TITLE]
    if paper.photos:
        names.append(ANNEX3_TITLE)
    return names


def unit_feedback_docx(paper: UnitPaper) -> bytes:
    """Return the 结果反馈 as a .docx: the findings on the first pages, the annexes attached."""
    inspection = paper.inspection
    group = inspection.group or "检查考核组"
    document = Paper(feedback_title(inspection.unit).replace("\n", ""), inspection.leader, inspection.day)
    if not paper.final:
        document.mark(DRAFT_MARK)
    document.title(feedback_title(inspection.unit))
    if not paper.final:
        document.text(draft_line(paper.missing), indent=False, style=TABLE_STYLE)
    document.text(f"{inspection.unit}：", indent=False)
    document.text(
        f"按照全县建立廉政风险防范机制工作检查考核安排，{group}于{day(inspection.day)}对你单位"
        "建立廉政风险防范机制工作进行了检查考核，通过听取汇报、民主测评、实地查看和综合评定，"
        "现将检查考核结果反馈如下。"
    )
    numbers = iter(NUMBERS)
    document.heading(f"{next(numbers)}、综合评定")
    document.text(f"经综合评定，你单位{score_sentence(paper.score)}{evaluation_sentence(paper.evaluation)}")
    attachments = _attachments(paper)
    listed = "、".join(f"附件{n}" for n in range(1, len(attachments) + 1))
    document.text(
        f"具体评分、测评结果和现场照片见{listed}。" if paper.photos else f"具体评分和测评结果见{listed}。"
    )
    for heading, name in FINDINGS:
        written = getattr(paper.findings, name).strip()
        if written or not paper.final:
            document.heading(f"{next(numbers)}、{heading}")
            document.text(written or MISSING)
    lines = [f"{n}. {name}" for n, name in enumerate(attachments, start=1)]
    document.text("附件：" + "\n　　　".join(lines), keep_with_next=True)
    document.signature(group, f"组长：{inspection.leader}", day(inspection.signed_on))
    document.page_break()
    _annex1(document, paper)
    document.page_break()
    _annex2(document, paper)
    if paper.photos:
        document.page_break()
        _annex3(document, paper.photos)
    return document.to_bytes()


def criterion_text(item: ScoreItem, *, first_of_lead: bool) -> str:
    """Return an item as the notice prints it ('1、…负责 4分'); an item's later criterion unnumbered."""
    if item.lead and not first_of_lead:
        return f"{item.text} {item.max_points}分"
    lead = f"{item.lead}：" if item.lead else ""
    return f"{item.number}、{lead}{item.text} {item.max_points}分"


def photo_numbers(photos: Sequence[SitePhoto]) -> dict[str, list[int]]:
    """Return each item's figure numbers in 附件3 (图1, 图2, … over the whole sheet)."""
    numbers: dict[str, list[int]] = {}
    for figure, photo in enumerate(photos, start=1):
        numbers.setdefault(photo.item.id, []).append(figure)
    return numbers


def _findings_cell(score: ScoreRecord, item: ScoreItem, figures: list[int], *, final: bool) -> str:
    """Return 检查情况: the reason for lost points, and the photos' figure numbers."""
    parts = []
    if score.lost_points(item):
        reason = score.reasons.get(item.id, "").strip()
        if reason:
            parts.append(reason)
        elif not final:
            parts.append(REASON_MISSING)
    if figures:
        parts.append("照片见附件3 " + "、".join(f"图{n}" for n in figures))
    return "\n".join(parts)


def _section_rows(
    section: ScoreSection, score: ScoreRecord, figures: dict[str, list[int]], *, final: bool
) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    leads: set[str] = set()
    for item in section.items:
        given = score.points.get(item.id)
        rows.append(
            [
                section.title,
                criterion_text(item, first_of_lead=item.lead not in leads),
                _findings_cell(score, item, figures.get(item.id, []), final=final),
                NOT_SCORED if given is None else given,
            ]
        )
        leads.add(item.lead)
    return rows


def _annex1(document: Paper, paper: UnitPaper) -> None:
    document.text("附件1", indent=False)
    document.title(ANNEX1_TITLE)
    document.text(f"被考核单位：{paper.inspection.unit}　　　　{day(paper.inspection.day)}", indent=False)
    score = paper.score
    if score is None:
        document.text("检查评分尚未开始。")
        return
    result = score.result
    figures = photo_numbers(paper.photos)
    rows: list[list[Cell]] = []
    spans: list[tuple[int, int, str]] = []  # the 项目 cell of each section, over its rows
    for section_score in result.sections:
        first = len(rows) + 1
        rows += _section_rows(section_score.section, score, figures, final=paper.final)
        rows.append([section_score.section.title, "小计", None, section_score.points])
        spans.append((first, len(rows), section_score.section.title))
    rows.append(["合计", None, None, result.total])
    rows.append(["等级", None, None, result.grade or "未评完"])
    table = document.table(SCORE_HEADER, rows, SCORE_WIDTHS)
    for first, last, title in spans:
        merge_cells(table, (first, 0), (last, 0), title)
    for row in (len(rows) - 1, len(rows)):
        merge_cells(table, (row, 0), (row, 2), rows[row - 1][0], header=True)


def _annex2(document: Paper, paper: UnitPaper) -> None:
    evaluation = paper.evaluation
    tally = evaluation.tally
    document.text("附件2", indent=False)
    document.title(ANNEX2_TITLE)
    if evaluation.times:
        document.text(f"测评时间：{evaluation.times}", indent=False)
    document.text(f"{evaluation_sentence(evaluation)}")
    if not tally.counted:
        return
    if tally.spoiled:
        spoiled = spoiled_rows([(q.question.prompt, q.spoiled) for q in tally.spoiled])
        document.text(f"纸质测评表{SPOILED}的行不计入该项统计，其余各项照常计入：{spoiled}。")
    rated = [item for item in tally.questions if item.question.rated]
    rows: list[list[Cell]] = []
    for item in rated:
        by_tendency = {
            polarity: sum(c.count for c in item.counts if c.option.polarity is polarity)
            for polarity in Polarity
        }
        has_middle = any(c.option.polarity is Polarity.NEUTRAL for c in item.counts)
        rows.append(
            [
                item.question.prompt,
                by_tendency[Polarity.FAVOURABLE],
                by_tendency[Polarity.NEUTRAL] if has_middle else "—",
                by_tendency[Polarity.UNFAVOURABLE],
                rate(item.favourable_rate),
            ]
        )
    totals = [
        sum(int(row[column] or 0) for row in rows if isinstance(row[column], int)) for column in (1, 2, 3)
    ]
    rows.append(["合计", *totals, rate(tally.favourable_rate)])
    document.table(("测评项目", "满意", "一般", "不满意", "满意率"), rows, RATES_WIDTHS)
    for png in evaluation.charts:
        document.space()
        document.picture(png, CHART_WIDTH_CM)
    for question_id, heading in TOP_HEADINGS:
        document.heading(heading, level=2)
        top = top_three(tally.question(question_id).counts)
        for position, count in enumerate(top, start=1):
            answered = tally.question(question_id).answered
            share = f"{100 * count.count / answered:.0f}%" if answered else "—"
            document.text(f"{position}. {count.option.label}：{count.count} 人次，占 {share}")
        if not top:
            document.text("无人选择。")
    document.heading("其它意见建议", level=2)
    if evaluation.is_open:
        document.text("测评结束后提供。")
    elif not tally.suggestions:
        document.text("无。")
    else:
        document.text(f"共 {len(tally.suggestions)} 条（顺序随机）：")
        for position, suggestion in enumerate(tally.suggestions, start=1):
            document.text(f"{position}. {' '.join(suggestion.split())}")


def photo_caption(figure: int, photo: SitePhoto) -> str:
    """Return e.g. 图3　（三）1、按要求划分一、二、三级风险岗位，有档案（第 1 张，共 2 张）."""
    where = f"{photo.section.title.split('）')[0]}）{photo.item.number}、{photo.item.prompt}"
    count = f"（第 {photo.position} 张，共 {photo.of} 张）" if photo.of > 1 else ""
    return f"图{figure}　{where}{count}"


def _annex3(document: Paper, photos: Sequence[SitePhoto]) -> None:
    """Two photos to a page, each scaled into half the text area and captioned; those missing named first."""
    document.text("附件3", indent=False)
    document.title(ANNEX3_TITLE)
    numbered = list(enumerate(photos, start=1))
    for figure, photo in numbered:
        if photo.image is None:
            caption = photo_caption(figure, photo)
            document.text(f"{caption}：照片未能取得（可在 Telegram 中查看原图）。", indent=False)
    missing = any(photo.image is None for photo in photos)
    on_page = 2 if missing and any(photo.image for photo in photos) else 0  # then photos on their own page
    for figure, photo in numbered:
        if photo.image is None:
            continue
        if on_page == 2:  # noqa: PLR2004 - two to a page
            document.page_break()
            on_page = 0
        document.picture(photo.image, TEXT_WIDTH_CM, PHOTO_HEIGHT_CM)
        document.caption(photo_caption(figure, photo))
        on_page += 1
