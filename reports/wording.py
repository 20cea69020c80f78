"""Wording shared by every paper: answer tendencies, dates, rates, and labels wrapped between words."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache

from conversations.questionnaire import Polarity
from reports.documents import Missing

# The form's own middle answers say 一般 (预警措施作用一般), not "neutral".
TENDENCY = {Polarity.FAVOURABLE: "满意", Polarity.NEUTRAL: "一般", Polarity.UNFAVOURABLE: "不满意"}

# A paper form's row ticked more than it allows, or not at all: counted for no option of its item.
SPOILED = "作废（多勾或未勾）"
# Why, after close, some respondent categories are counted together (the tally message and the workbook).
COMBINED_NOTE = (
    "不足 {apart} 人、或手机答卷为 1 至 {below} 份（纸质表已由录入人看过）的类别不单列，合并统计"
    "（合并后仍不足 {apart} 人、或手机答卷为 1 至 {below} 份时，再并入人数最少的其他类别；"
    "参评对象作废的纸质表不计入人数）：任何 {colluders} 人从所在组的满意率中减去自己的答卷，剩下的都不少于 "
    "{min_group} 份。分类只给出满意率（各题合计），不给出各题、各选项的分类数字。"
)


NUMBERS = "一二三四五六七八九十"
DRAFT_MARK = "草稿"
# What keeps a 结果反馈 a draft, as its face says it (always in Chinese: a paper does not change language).
MISSING_PARTS = {
    Missing.SCORE_NONE: "检查评分尚未开始",
    Missing.SCORE_UNFINISHED: "检查评分尚未评完",
    Missing.SCORE_DRAFT: "检查评分尚未定稿",
    Missing.WRITINGS_DRAFT: "肯定成绩、存在不足、改进意见尚未定稿",
    Missing.SURVEY_OPEN: "民主测评尚未结束",
    Missing.UNREGISTERED: "组长姓名尚未登记",
}


def draft_line(missing: Sequence[Missing]) -> str:
    """Return the line under a draft's title: what is missing, and that it is not for forwarding."""
    parts = "；".join(MISSING_PARTS[part] for part in missing)
    return f"（草稿：{parts}。定稿后方可打印、转发。）"


def combined_note(template: str, min_group: int) -> str:
    """Return a note on categories counted together (COMBINED_NOTE, or a translation) for this k."""
    apart = 2 * min_group - 1  # conversations.tally.shown_apart
    return template.format(apart=apart, below=apart - 1, colluders=min_group - 1, min_group=min_group)


def split(ballots: int, paper: int) -> str:
    """Return 共 N 份，其中纸质 M 份: how many ballots the figures cover, and how many came on paper."""
    return f"共 {ballots} 份，其中纸质 {paper} 份"


def spoiled_rows(items: list[tuple[str, int]]) -> str:
    """Return '教育防范 1 份；最突出风险 2 份' for the items with spoiled rows, or 无."""
    return "；".join(f"{prompt} {count} 份" for prompt, count in items) or "无"


# The words of the forms' labels, so a label is wrapped between words and never inside one
# (Chinese has no spaces to break at). A character outside every word stands on its own.
_VOCABULARY = (
    "领导班子 重大决策 制度执行 需改进完善 选人用人 办法 重大项目 确定和实施 需加强和完善 防控措施",
    "大宗物资 采购办法 大额资金 支出制度 思想道德 风险大 行使 自由裁量权 现场处决权 内部管理权 潜在",
    "岗位职权 梳理情况 风险点 排查情况 领导岗位 重点岗位 一般岗位 教育防范 制度防范 民主防控 决策",
    "用权事项公开 科技防控 廉政风险 预警处置 整体防范 效果认定 班子成员 中层干部 一般党员干部",
    "服务对象代表 参评对象 民主测评 满意率 最终结果 进行中 职责权力 全面准确 没有 全面梳理 教育活动",
    "经常化 方式多样化 教育方式 单一 针对性差 内控制度 健全配套 务实管用 决策风险 效果好 不够",
    "科技手段 尚未运用 根本不起作用 效果明显 不明显",
)
WORDS = frozenset(word for line in _VOCABULARY for word in line.split())
_BREAK_AFTER = frozenset("、，,：:；;）)·")
_OPENING = frozenset("（(《“")
_LONGEST_WORD = max(len(word) for word in WORDS)


def tokens(text: str) -> list[str]:
    """Split text into the longest known words, single characters and punctuation."""
    found: list[str] = []
    start = 0
    while start < len(text):
        longest = min(_LONGEST_WORD, len(text) - start)
        size = next((n for n in range(longest, 1, -1) if text[start : start + n] in WORDS), 1)
        found.append(text[start : start + size])
        start += size
    return found


def _breakable(parts: list[str], index: int) -> bool:
    """Return True where a line may end before parts[index]: between two words, or after punctuation."""
    before, after = parts[index - 1], parts[index]
    if before in _OPENING or after in _BREAK_AFTER or (before[-1].isascii() and after[0].isascii()):
        return False
    return len(before) > 1 or len(after) > 1 or before in _BREAK_AFTER or after in _OPENING


@cache
def wrap(text: str, width: int) -> str:
    """Return text in as few lines of at most `width` characters as word breaks allow, evenly filled.

    A word longer than the width keeps its own line rather than being cut.
    """
    if len(text) <= width:
        return text
    parts = tokens(text)
    cuts = [0, *(i for i in range(1, len(parts)) if _breakable(parts, i)), len(parts)]
    offsets = [sum(len(p) for p in parts[:i]) for i in range(len(parts) + 1)]

    # best[j] = (lines, longest line) for the text up to cut j; the fewest lines, then the shortest longest.
    best: dict[int, tuple[int, int, int]] = {0: (0, 0, -1)}
    for j, end in enumerate(cuts[1:], start=1):
        options = []
        for i in range(j):
            length = offsets[end] - offsets[cuts[i]]
            if i in best and (length <= width or j == i + 1):
                lines, longest, _ = best[i]
                options.append((lines + 1, max(longest, length), i))
        if options:
            best[j] = min(options)
    wrapped: list[str] = []
    j = len(cuts) - 1
    while j > 0:
        i = best[j][2]
        wrapped.append("".join(parts[cuts[i] : cuts[j]]))
        j = i
    return "\n".join(reversed(wrapped))


def day(value: date) -> str:
    """Return a date as official documents print it: 2026年11月26日."""
    return f"{value.year}年{value.month}月{value.day}日"


def rate(value: float | None) -> str:
    """Return a rate as 83.3%, or — where there is none."""
    return "—" if value is None else f"{100 * value:.1f}%"
