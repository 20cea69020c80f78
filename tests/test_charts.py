"""Charts a leader reads on a phone: readable text, whole-number counts, labels wrapped between words."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from conversations.annex2 import ANNEX2
from conversations.questionnaire import QuestionKind
from reports import fonts
from reports.charts import (
    COUNT_AXIS,
    LABEL_WIDTH,
    chart_figure,
    chart_part_figures,
    render_chart_parts,
    to_png,
)
from reports.feedback_doc import CHART_WIDTH_CM
from reports.word import TEXT_WIDTH_CM
from reports.wording import day, wrap
from tests.paper_samples import DAY, sample_tally

PHONE_POINTS = 390  # an iPhone's screen width in points
SMALLEST_PIXELS = 11
TITLE = f"县财政局 民主测评（最终结果）\n共 28 份 · {day(DAY)}"
TEXT_HEIGHT_CM = 29.7 - 3.7 - 3.5


@pytest.fixture(scope="module")
def font() -> Path:
    found = fonts.cjk_font()
    assert found is not None, "the install brings Noto Sans CJK SC (mplfonts)"
    return found


@pytest.fixture(scope="module")
def figure(font: Path) -> Figure:
    drawn = chart_figure(sample_tally(), TITLE, font)
    to_png(drawn, font)  # tick labels exist once drawn
    return drawn


def texts(figure: Figure) -> list[Text]:
    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def test_no_text_is_smaller_than_11_px_on_a_390_pt_phone(figure: Figure) -> None:
    """Shown across a phone's 390-pt width, every label is at least about 11 px tall."""
    width_points = figure.get_figwidth() * 72
    sizes = {t.get_text(): float(t.get_fontsize()) * PHONE_POINTS / width_points for t in texts(figure)}
    assert len(sizes) > 40
    too_small = {text: round(size, 1) for text, size in sizes.items() if size < SMALLEST_PIXELS - 0.05}
    assert too_small == {}


def test_count_axes_have_whole_number_ticks_from_zero(figure: Figure) -> None:
    """A count axis shows 0, 3, 6 … never 2.5; and every count axis starts at 0."""
    count_axes = [a for a in figure.axes if a.get_xlabel() == COUNT_AXIS]
    assert len(count_axes) == 3  # 参评对象 and the two 限选三项 items
    for axes in count_axes:
        low, high = axes.get_xlim()
        assert low == 0
        ticks = [t for t in axes.get_xticks() if low <= t <= high]
        assert ticks
        assert all(float(t).is_integer() for t in ticks), ticks


def test_title_names_unit_ballots_and_date(figure: Figure) -> None:
    """The title says which unit, how many ballots and which day."""
    title = figure.get_suptitle()
    assert "县财政局" in title
    assert "共 28 份" in title
    assert "2026年11月26日" in title


def test_middle_answers_are_called_yiban_not_zhongxing(figure: Figure) -> None:
    """The legend speaks the form's words: 满意 · 一般 · 不满意; 中性 appears nowhere."""
    legend = figure.axes[1].get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["满意", "一般", "不满意"]
    assert not any("中性" in t.get_text() for t in texts(figure))


@pytest.mark.parametrize(
    ("label", "wrapped"),
    [
        ("大额资金支出制度需改进完善", "大额资金支出制度\n需改进完善"),
        ("领导班子重大决策制度执行需改进完善", "领导班子重大决策\n制度执行需改进完善"),
        ("重大项目确定和实施需加强和完善防控措施", "重大项目确定和实施\n需加强和完善\n防控措施"),
        ("选人用人办法需改进完善", "选人用人办法\n需改进完善"),
        ("行使自由裁量权风险大", "行使自由裁量权\n风险大"),
        ("内部管理权潜在风险大", "内部管理权\n潜在风险大"),
        ("民主防控（用权事项公开）", "民主防控\n（用权事项公开）"),
        ("现场处决权风险大", "现场处决权风险大"),
        ("县财政局财政局财政局", "县财政局财政局财政局"),  # no known word: never cut
    ],
)
def test_labels_wrap_between_words(label: str, wrapped: str) -> None:
    """Labels break between words (大额资金支出制度 / 需改进完善), never inside one."""
    assert wrap(label, LABEL_WIDTH) == wrapped


def test_every_bar_label_drawn_is_a_wrapped_form_label(figure: Figure) -> None:
    """The bars carry the form's own wording, each line within the label width."""
    drawn = {t.get_text() for axes in figure.axes for t in axes.get_yticklabels()}
    expected = {wrap(o.label, LABEL_WIDTH) for q in ANNEX2.questions if not q.rated for o in q.options}
    expected |= {wrap(q.prompt, LABEL_WIDTH) for q in ANNEX2.questions if q.rated}
    assert drawn == expected
    assert all(len(line) <= LABEL_WIDTH for label in drawn for line in label.splitlines())


def test_chart_parts_fit_an_a4_page(font: Path) -> None:
    """For documents the chart comes in parts; each, at its width in the document, fits the page."""
    assert CHART_WIDTH_CM <= TEXT_WIDTH_CM
    parts = render_chart_parts(sample_tally(), TITLE, font)
    assert len(parts) == len(chart_part_figures(sample_tally(), TITLE, font)) == 3
    for png in parts:
        width, height = Image.open(io.BytesIO(png)).size
        assert CHART_WIDTH_CM * height / width < TEXT_HEIGHT_CM - 2  # room for a heading above


def test_chart_draws_without_missing_glyphs(font: Path) -> None:
    """Not one missing-glyph warning while drawing the phone chart or its parts."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for figure in [
            chart_figure(sample_tally(), TITLE, font),
            *chart_part_figures(sample_tally(), TITLE, font),
        ]:
            assert to_png(figure, font).startswith(b"\x89PNG")


def test_multi_items_are_ranked_most_chosen_first(figure: Figure) -> None:
    """The 限选三项 panels list the most chosen option on top."""
    tally = sample_tally()
    multis = [item for item in tally.questions if item.question.kind is QuestionKind.MULTI]
    for axes, item in zip(figure.axes[2:], multis, strict=True):
        top_down = [t.get_text() for t in axes.get_yticklabels()][::-1]
        assert top_down == [wrap(c.option.label, LABEL_WIDTH) for c in item.ranked()]
