"""The plain data the inspection's papers are made from, built by the bot, rendered by reports/."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from conversations.annex1 import ScoreForm, ScoreItem, ScoreSection
from conversations.scoring import ScoreResult, score_points
from conversations.tally import OptionCount, Tally
from reports.counts import FormCounts

TOP = 3
IMPROVE = "improve"
RISKS = "risks"


def top_three(counts: Sequence[OptionCount]) -> list[OptionCount]:
    """Return the three most chosen options that anyone chose, most chosen first."""
    return [c for c in sorted(counts, key=lambda c: -c.count) if c.count][:TOP]


@dataclass(frozen=True, slots=True)
class Inspection:
    """Who inspected which unit when: the heading of every paper."""

    unit: str
    day: date  # the briefing's date, already in local time
    leader: str  # the group leader's name
    group: str = ""  # e.g. 第一检查组; empty where none is set
    signed: date | None = None  # the date under the signature (the day the paper became final); None: `day`

    @property
    def signed_on(self) -> date:
        """Return the date the paper is signed."""
        return self.signed or self.day


@dataclass(frozen=True, slots=True)
class ScoreRecord:
    """The group's Annex 1 sheet: points, reasons for lost points, photos, and whether it is final."""

    form: ScoreForm
    points: Mapping[str, int]  # item id → points; items missing are not scored yet
    reasons: Mapping[str, str] = field(default_factory=dict)  # item id → 扣分理由
    photos: Mapping[str, int] = field(default_factory=dict)  # item id → photos taken during 实地查看
    finalised: str | None = None  # "2026年11月26日 张三", None for a draft

    @property
    def result(self) -> ScoreResult:
        """Return subtotals, total and grade."""
        return score_points(self.form, self.points)

    def lost_points(self, item: ScoreItem) -> bool:
        """Return True if the item is scored below its maximum (so it needs a reason)."""
        given = self.points.get(item.id)
        return given is not None and given < item.max_points

    @property
    def missing_reasons(self) -> int:
        """Return how many items lost points without a reason."""
        return sum(self.lost_points(item) and not self.reasons.get(item.id) for item in self.form.items)

    @property
    def photo_count(self) -> int:
        """Return the photos attached to the whole sheet."""
        return sum(self.photos.values())


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The Annex 2 results as the leader may see them."""

    tally: Tally
    is_open: bool
    paper: int | None = None  # how many of the ballots were entered from paper, where any were
    times: str = ""  # when the evaluation ran, as papers print it: 2026年12月8日 9:00—9:40（北京时间）
    charts: tuple[bytes, ...] = ()  # the chart as PNG parts, each fitting an A4 page
    counts: FormCounts | None = None  # handed out, returned, valid (共发放…、收回…、有效…)


@dataclass(frozen=True, slots=True)
class Findings:
    """The three sections the leader writes for the feedback meeting."""

    strengths: str = ""  # 肯定成绩
    shortcomings: str = ""  # 存在不足
    improvements: str = ""  # 改进意见
    final: bool = False  # the leader made them final: an empty one was left empty on purpose


class Missing(StrEnum):
    """What keeps a 结果反馈 a draft: each is something the leader can still do."""

    SCORE_NONE = "score_none"  # the score sheet is not started
    SCORE_UNFINISHED = "score_unfinished"  # some items are not scored
    SCORE_DRAFT = "score_draft"  # every item is scored, the sheet is not finalised
    WRITINGS_DRAFT = "writings_draft"  # the sections are not finalised
    SURVEY_OPEN = "survey_open"  # the evaluation still takes ballots
    UNREGISTERED = "unregistered"  # the leader has not given their name (/me)


@dataclass(frozen=True, slots=True)
class SitePhoto:
    """A photo taken during 实地查看, attached to an Annex 1 item; no image where it could not be fetched."""

    section: ScoreSection
    item: ScoreItem
    position: int  # its place among the item's photos, 1 …
    of: int  # how many the item has
    image: bytes | None


@dataclass(frozen=True, slots=True)
class UnitPaper:
    """Everything the 结果反馈 of one unit says."""

    inspection: Inspection
    score: ScoreRecord | None
    evaluation: Evaluation
    findings: Findings = Findings()
    good_practice: str = ""  # 好经验好做法, for the group's summary report
    missing: tuple[Missing, ...] = ()  # what keeps it a draft; none: final, to forward as it is
    photos: tuple[SitePhoto, ...] = ()  # the 实地查看 photos, in the sheet's order

    @property
    def final(self) -> bool:
        """Return True when nothing is missing: the paper may be printed and forwarded."""
        return not self.missing


@dataclass(frozen=True, slots=True)
class GroupPaper:
    """Everything the group's 总结报告 says."""

    group: str
    leader: str
    day: date  # the report's date
    units: Sequence[UnitPaper]
    conclusions: str = ""


@dataclass(frozen=True, slots=True)
class ChoiceTotal:
    """One option of a choose-up-to-three item over several units."""

    label: str
    chosen: int  # times chosen over all counted ballots
    ballots: int  # counted ballots over the units
    units_top_three: int  # units where it is among the three most chosen


def choice_totals(units: Sequence[UnitPaper], question_id: str) -> list[ChoiceTotal]:
    """Return each option's times chosen over the units, most chosen first (the form's order breaks ties)."""
    chosen: Counter[str] = Counter()
    top: Counter[str] = Counter()
    labels: list[str] = []
    ballots = 0
    for unit in units:
        tally = unit.evaluation.tally
        if not tally.counted:
            continue
        item = tally.question(question_id)
        labels = [c.option.label for c in item.counts]
        ballots += tally.counted
        chosen.update({c.option.label: c.count for c in item.counts})
        top.update(c.option.label for c in top_three(item.counts))
    totals = [ChoiceTotal(label, chosen[label], ballots, top[label]) for label in labels]
    return sorted(totals, key=lambda t: -t.chosen)
