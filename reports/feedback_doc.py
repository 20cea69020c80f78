"""The 结果反馈 of one unit as a Word document: the findings, then Annex 1 and Annex 2 as attachments."""

from __future__ import annotations

from conversations.questionnaire import Polarity
from reports.counts import counts_line
from reports.documents import IMPROVE, RISKS, Evaluation, ScoreRecord, UnitPaper, top_three
from reports.word import TABLE_STYLE, Paper, merge_cells
from reports.wording import SPOILED, day, rate, split, spoiled_rows

MISSING = "（待填写）"
REASON_MISSING = "（未填写）"
NOT_SCORED = "—"
SCORE_WIDTHS = (1.3, 6.6, 1.3, 1.3, 3.9, 1.2)
RATES_WIDTHS = (6.0, 2.2, 2.2, 2.2, 3.0)
CHART_WIDTH_CM = 14.5
FINDINGS = (("二、肯定成绩", "strengths"), ("三、存在不足", "shortcomings"), ("四、改进意见", "improvements"))
TOP_HEADINGS = ((IMPROVE, "最需要和亟待加强改进的方面（前三项）"), (RISKS, "最突出的风险（前三项）"))


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
    if evaluation.paper is None:
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


def unit_feedback_docx(paper: UnitPaper) -> bytes:
    """Return the 结果反馈 as a .docx: the findings on the first pages, Annex 1 and 2 attached."""
    inspection = paper.inspection
    group = inspection.group or "检查考核组"
    document = Paper(feedback_title(inspection.unit).replace("\n", ""), inspection.leader, inspection.day)
    document.title(feedback_title(inspection.unit))
    document.text(f"{inspection.unit}：", indent=False)
    document.text(
        f"按照全县建立廉政风险防范机制工作检查考核安排，{group}于{day(inspection.day)}对你单位"
        "建立廉政风险防范机制工作进行了检查考核，通过听取汇报、民主测评、实地查看和综合评定，"
        "现将检查考核结果反馈如下。"
    )
    document.heading("一、综合评定")
    document.text(f"经综合评定，你单位{score_sentence(paper.score)}{evaluation_sentence(paper.evaluation)}")
    document.text("具体评分和测评结果见附件1、附件2。")
    for heading, name in FINDINGS:
        document.heading(heading)
        document.text(getattr(paper.findings, name).strip() or MISSING)
    document.text("附件：1. 建立廉政风险防范机制工作检查评分表\n　　　2. 民主测评结果")
    document.signature(group, f"组长：{inspection.leader}", day(inspection.day))
    document.page_break()
    _annex1(document, paper)
    document.page_break()
    _annex2(document, paper)
    return document.to_bytes()


def _annex1(document: Paper, paper: UnitPaper) -> None:
    document.text("附件1", indent=False)
    document.title(paper.score.form.title if paper.score else "建立廉政风险防范机制工作检查评分表")
    score = paper.score
    if score is None:
        document.text("检查评分尚未开始。")
        return
    result = score.result
    document.text(
        f"被检查单位：{paper.inspection.unit}　　检查时间：{day(paper.inspection.day)}", indent=False
    )
    rows: list[list[str | int | None]] = []
    merged: list[int] = []
    for section_score in result.sections:
        section = section_score.section
        merged.append(len(rows) + 1)
        rows.append([section.title, None, section.max_points, section_score.points, None, None])
        for item in section.items:
            given = score.points.get(item.id)
            reason = (score.reasons.get(item.id) or REASON_MISSING) if score.lost_points(item) else ""
            photos = score.photos.get(item.id, 0)
            rows.append(
                [
                    item.number,
                    item.text,
                    item.max_points,
                    NOT_SCORED if given is None else given,
                    reason,
                    photos or "",
                ]
            )
    merged.append(len(rows) + 1)
    rows.append(["合计", None, 100, result.total, None, score.photo_count or ""])
    merged.append(len(rows) + 1)
    rows.append(["等级", None, None, result.grade or "未评完", None, None])
    header = ("序号", "检查内容", "分值", "得分", "扣分理由", "照片")
    table = document.table(header, rows, SCORE_WIDTHS)
    for row in merged:
        merge_cells(table, (row, 0), (row, 1), rows[row - 1][0], header=True)
    state = f"已于 {score.finalised} 定稿" if score.finalised else "未定稿（以定稿为准）"
    notes = f"评分状态：{state}。照片为实地查看时拍摄的佐证照片张数。"
    if score.missing_reasons:
        notes += f"有 {score.missing_reasons} 项扣分未填写理由。"
    document.text(notes, indent=False, style=TABLE_STYLE)


def _annex2(document: Paper, paper: UnitPaper) -> None:
    evaluation = paper.evaluation
    tally = evaluation.tally
    document.text("附件2", indent=False)
    document.title("民主测评结果")
    if evaluation.times:
        document.text(evaluation.times, indent=False, style=TABLE_STYLE)
    document.text(f"{evaluation_sentence(evaluation)}")
    if not tally.counted:
        return
    if tally.spoiled:
        spoiled = spoiled_rows([(q.question.prompt, q.spoiled) for q in tally.spoiled])
        document.text(f"纸质测评表{SPOILED}的行不计入该项统计，其余各项照常计入：{spoiled}。")
    rated = [item for item in tally.questions if item.question.rated]
    rows: list[list[str | int | None]] = []
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
        document.picture(png, CHART_WIDTH_CM)
    for question_id, heading in TOP_HEADINGS:
        document.heading(heading, level=2)
        top = top_three(tally.question(question_id).counts)
        for position, count in enumerate(top, start=1):
            answered = tally.question(question_id).answered
            share = f"{100 * count.count / answered:.0f}%" if answered else "—"
            document.text(f"{position}. {count.option.label}：{count.count} 人次，占 {share}")
        if not top:
            document.text("（无人选择）")
    document.heading("其它意见建议", level=2)
    if evaluation.is_open:
        document.text("测评结束后提供。")
    elif not tally.suggestions:
        document.text("（无）")
    else:
        document.text(f"共 {len(tally.suggestions)} 条（顺序随机）：")
        for position, suggestion in enumerate(tally.suggestions, start=1):
            document.text(f"{position}. {' '.join(suggestion.split())}")
