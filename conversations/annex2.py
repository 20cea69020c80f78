"""Annex 2, 建立廉政风险防范机制工作测评表, as data (wording verbatim from the notice)."""

from __future__ import annotations

from conversations.questionnaire import Option, Polarity, Question, QuestionKind, Questionnaire

TITLE = "建立廉政风险防范机制工作测评表"

CATEGORY = "category"
SUGGESTIONS = "suggestions"

_SECTION_0 = "参评对象"
_SECTION_1 = "一、你认为该单位廉政风险点排查情况如何"
_SECTION_2 = "二、你认为该单位廉政风险等级划分情况如何"
_SECTION_3 = "三、你认为该单位廉政风险防范措施制定和实施情况如何"
_SECTION_4 = "四、你认为最需要和亟待加强改进的方面是哪项（限选三项）"
_SECTION_5 = "五、你认为目前哪类风险最突出（限选三项）"
_SECTION_6 = "六、其它意见建议"

F = Polarity.FAVOURABLE
N = Polarity.NEUTRAL
U = Polarity.UNFAVOURABLE

_LEVEL = (("风险等级划分准确", F), ("风险等级划分不准确", U))


def _options(*labels: str) -> tuple[Option, ...]:
    """Label options a, b, c, … in the form's order (best first)."""
    return tuple(Option(id=chr(ord("a") + i), label=label) for i, label in enumerate(labels))


def _single(question_id: str, section: str, prompt: str, *rated: tuple[str, Polarity]) -> Question:
    """Return a single-choice item; options a, b, c, … carry their polarity."""
    return Question(
        id=question_id,
        kind=QuestionKind.SINGLE,
        section=section,
        prompt=prompt,
        options=tuple(
            Option(id=chr(ord("a") + i), label=label, polarity=polarity)
            for i, (label, polarity) in enumerate(rated)
        ),
    )


def _up_to_three(question_id: str, section: str, *labels: str) -> Question:
    return Question(
        id=question_id,
        kind=QuestionKind.MULTI,
        section=section,
        prompt=section.split("、", 1)[1],
        options=_options(*labels),
        max_choices=3,
    )


ANNEX2 = Questionnaire(
    title=TITLE,
    questions=(
        Question(
            id=CATEGORY,
            kind=QuestionKind.SINGLE,
            section=_SECTION_0,
            prompt="参评对象",
            options=(
                Option(id="leader", label="班子成员"),
                Option(id="middle", label="中层干部"),
                Option(id="member", label="一般党员干部"),
                Option(id="served", label="服务对象代表"),
            ),
        ),
        _single(
            "duties", _SECTION_1, "岗位职权梳理情况", ("职责权力梳理全面准确", F), ("职责权力没有全面梳理", U)
        ),
        _single(
            "points",
            _SECTION_1,
            "风险点排查情况",
            ("风险点排查认真全面", F),
            ("风险点排查不全面", N),
            ("风险点根本未排查", U),
        ),
        _single("level_lead", _SECTION_2, "领导岗位", *_LEVEL),
        _single("level_key", _SECTION_2, "重点岗位", *_LEVEL),
        _single("level_general", _SECTION_2, "一般岗位", *_LEVEL),
        _single(
            "education",
            _SECTION_3,
            "教育防范",
            ("教育活动经常化、方式多样化", F),
            ("教育内容针对性强", F),
            ("教育方式单一、针对性差", U),
            ("对廉政教育不重视", U),
        ),
        _single(
            "rules",
            _SECTION_3,
            "制度防范",
            ("内控制度健全配套、务实管用", F),
            ("内控制度不够健全", U),
            ("内控制度与业务脱节", U),
        ),
        _single(
            "democracy_decisions",
            _SECTION_3,
            "民主防控（决策）",
            ("用民主防控决策风险效果好", F),
            ("用民主防控决策风险不够", U),
        ),
        _single(
            "democracy_openness",
            _SECTION_3,
            "民主防控（用权事项公开）",
            ("用权事项公开效果好", F),
            ("用权事项缺乏公开", U),
        ),
        _single(
            "technology", _SECTION_3, "科技防控", ("能用科技手段防控廉政风险", F), ("尚未运用科技手段防控", U)
        ),
        _single(
            "warning",
            _SECTION_3,
            "廉政风险预警处置",
            ("预警措施发挥较好", F),
            ("预警措施作用一般", N),
            ("预警措施从未启动", U),
        ),
        _single(
            "overall",
            _SECTION_3,
            "整体防范效果认定",
            ("整体防范效果明显", F),
            ("整体防范效果不明显", N),
            ("防控措施根本不起作用", U),
        ),
        _up_to_three(
            "improve",
            _SECTION_4,
            "领导班子重大决策制度执行需改进完善",
            "选人用人办法需改进完善",
            "重大项目确定和实施需加强和完善防控措施",
            "大宗物资采购办法需改进完善",
            "大额资金支出制度需改进完善",
        ),
        _up_to_three(
            "risks",
            _SECTION_5,
            "思想道德风险大",
            "制度执行风险大",
            "行使自由裁量权风险大",
            "现场处决权风险大",
            "内部管理权潜在风险大",
        ),
        Question(
            id=SUGGESTIONS,
            kind=QuestionKind.TEXT,
            section=_SECTION_6,
            prompt="其它意见建议",
            max_length=1000,
            required=False,
        ),
    ),
)
