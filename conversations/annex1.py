"""Annex 1, 建立廉政风险防范机制工作检查评分表, as data: 25 items, 100 points, four grade bands.

The group scores each item in whole points from 0 to the item's maximum: the notice prints
whole-point maxima only and says nothing of fractions, so half points are not offered.

Headings, texts and numbers are the notice's own (tests/test_annex1_wording.py holds them to
it). Where the notice scores several criteria under one numbered item (（四） 1、前期预防措施：
four criteria, each with its points), each criterion is an item of its own carrying the
numbered item's `lead`; all four share the number 1.
"""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from conversations.questionnaire import Frozen

TITLE = "建立廉政风险防范机制工作检查评分表"
TOTAL = 100


class ScoreItem(Frozen):
    """One line of the score sheet."""

    id: str
    number: str  # as the notice prints it: "1", "2", …; the criteria of one numbered item share it
    text: str = Field(min_length=1)  # the criterion, word for word
    max_points: int = Field(ge=1)
    lead: str = ""  # the numbered item a criterion belongs to, e.g. 前期预防措施; "" for a plain item

    @property
    def prompt(self) -> str:
        """Return the criterion as a reader needs it alone: its item's lead, then its text."""
        return f"{self.lead}：{self.text}" if self.lead else self.text

    @property
    def allowed_points(self) -> range:
        """Return the points the item may be given: whole points from 0 to its maximum."""
        return range(self.max_points + 1)


class ScoreSection(Frozen):
    """A section with the maximum printed in its heading; its items must add up to it."""

    id: str
    title: str
    max_points: int
    items: tuple[ScoreItem, ...]

    @model_validator(mode="after")
    def _check_sum(self) -> Self:
        if sum(item.max_points for item in self.items) != self.max_points:
            added = sum(item.max_points for item in self.items)
            msg = f"section {self.title}: items add up to {added}, not {self.max_points}"
            raise ValueError(msg)
        return self


class ScoreForm(Frozen):
    """The whole score sheet; its sections must add up to 100."""

    title: str
    sections: tuple[ScoreSection, ...]

    @model_validator(mode="after")
    def _check_total(self) -> Self:
        total = sum(section.max_points for section in self.sections)
        if total != TOTAL:
            msg = f"sections add up to {total}, not {TOTAL}"
            raise ValueError(msg)
        ids = [item.id for item in self.items]
        if len(set(ids)) != len(ids):
            msg = "item ids are not unique"
            raise ValueError(msg)
        return self

    @property
    def items(self) -> tuple[ScoreItem, ...]:
        """Return every item in order."""
        return tuple(item for section in self.sections for item in section.items)

    def section_of(self, item_id: str) -> ScoreSection:
        """Return the section an item belongs to."""
        return next(s for s in self.sections if any(i.id == item_id for i in s.items))


def _section(section_id: str, title: str, max_points: int, *items: tuple[str, str, int]) -> ScoreSection:
    """Return a section; an item numbered like "1a" is criterion a of item 1, its text "lead：criterion"."""
    built = []
    for key, text, points in items:
        number, lead, criterion = key.rstrip("abcd"), "", text
        if key != number:
            lead, criterion = text.split("：", 1)
        built.append(
            ScoreItem(id=f"{section_id}_{key}", number=number, text=criterion, max_points=points, lead=lead)
        )
    return ScoreSection(id=section_id, title=title, max_points=max_points, items=tuple(built))


ANNEX1 = ScoreForm(
    title=TITLE,
    sections=(
        _section(
            "s1",
            "（一）建立廉政风险防范机制安排部署情况（14分）",
            14,
            ("1", "成立廉政风险防范机制建设工作领导和办事机构，明确专人负责", 4),
            ("2", "召开动员会议，进行安排部署", 2),
            ("3", "结合单位实际制定廉政风险防范实施办法", 4),
            ("4", "充分利用互联网、信息简报等形式宣传推广本单位典型经验", 2),
            ("5", "将廉政风险防范列入单位年度绩效考核制度", 2),
        ),
        _section(
            "s2",
            "（二）廉政风险点排查情况（16分）",
            16,
            ("1", "根据部门职责，理清每个工作岗位的职责和权力，绘制工作业务和权力运行流程图", 4),
            ("2", "认真排查各自工作岗位风险点并制定防范措施", 4),
            ("3", "与本单位工作人员签订廉政风险防范承诺书", 4),
            ("4", "根据排查情况，汇总形成《廉政风险点和防控措施登记表》，并在机关、系统内部进行公示", 4),
        ),
        _section(
            "s3",
            "（三）廉政风险等级划分情况（12分）",
            12,
            ("1", "按要求划分一、二、三级风险岗位，有档案", 8),
            ("2", "建立健全内控管理机制", 4),
        ),
        _section(
            "s4",
            "（四）廉政风险防范措施制定实施情况（38分）",
            38,
            ("1a", "前期预防措施：制定《廉政风险防控图》，在单位显要位置和科室上墙公开", 5),
            ("1b", "前期预防措施：工作制度完善，并形成《管理制度汇编》", 4),
            ("1c", "前期预防措施：制定年度廉政教育计划，每两个月开展一次廉政教育活动，有工作台账", 5),
            ("1d", "前期预防措施：建立了廉政风险电子监察系统", 2),
            ("2a", "中期监控机制：加强信息监测，设置举报箱、公开电话等", 5),
            ("2b", "中期监控机制：有纪检监察机关、派驻机构对单位进行动态监督的工作记录", 5),
            ("3a", "后期处置办法：建立预警发布、处置机制健全", 4),
            (
                "3b",
                "后期处置办法：对受到投诉举报和民主测评满意率低的党员干部，通过约谈等方式进行提醒，有案可查的",
                4,
            ),
            ("3c", "后期处置办法：对出现风险苗头性问题的党员干部进行调查和教育谈话，有案可查的", 4),
        ),
        _section(
            "s5",
            "（五）廉政风险防范总结考核情况（20分）",
            20,
            ("1", "对本单位建立廉政风险防范机制工作进行总结，并形成年度总结报告", 3),
            ("2", "将廉政风险管理工作形成的资料分类进行了梳理汇编", 5),
            ("3", "没有被县级及以上领导或机关要调查处理结果的", 4),
            ("4", "没有县级及以上纪检监察机关、司法机关和行政执法部门立案查处案件的", 4),
            ("5", "没有被县级纪检监察机关下达整改建议的", 4),
        ),
    ),
)

BANDS = ((90, "优秀"), (80, "良好"), (60, "合格"), (0, "不合格"))


def grade(total: int) -> str:
    """Return the grade band: 90–100 优秀, 80–<90 良好, 60–<80 合格, <60 不合格 (lower bounds inclusive)."""
    if not 0 <= total <= TOTAL:
        msg = f"a total of {total} is outside 0–{TOTAL}"
        raise ValueError(msg)
    return next(name for floor, name in BANDS if total >= floor)
