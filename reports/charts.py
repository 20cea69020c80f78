"""Bar charts of a unit's tally as one compact PNG, drawn with matplotlib (no pyplot state)."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

from matplotlib import font_manager, rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from conversations.questionnaire import Polarity, QuestionKind
from conversations.tally import OptionCount, Tally

COLOURS = {
    Polarity.FAVOURABLE: "#2e7d32",
    Polarity.NEUTRAL: "#9e9e9e",
    Polarity.UNFAVOURABLE: "#c62828",
}
ACCENT = "#1565c0"
_WRAP = 12


def chart_strings(tally: Tally, title: str) -> list[str]:
    """Return every string the chart draws (for proving the font covers them)."""
    strings = [title, "人数", "占比 (%)", "满意", "中性", "不满意", "民主测评满意率"]
    for item in tally.questions:
        strings += [item.question.section, item.question.prompt]
        strings += [c.option.label for c in item.counts]
    return strings


def _wrap(label: str) -> str:
    """Break a long label into lines of even length."""
    if len(label) <= _WRAP:
        return label
    lines = -(-len(label) // _WRAP)
    return "\n".join(textwrap.wrap(label, -(-len(label) // lines)))


def _counts_panel(axes: Axes, heading: str, counts: tuple[OptionCount, ...], ballots: int) -> None:
    labels = [_wrap(c.option.label) for c in counts][::-1]
    values = [c.count for c in counts][::-1]
    bars = axes.barh(labels, values, color=ACCENT)
    axes.bar_label(
        bars, labels=[f"{v} ({100 * v / ballots:.0f}%)" if ballots else "0" for v in values], padding=3
    )
    axes.set_title(heading, loc="left", fontsize=12)
    axes.set_xlabel("人数")
    axes.set_xlim(0, max([*values, 1]) * 1.3)
    axes.spines[["top", "right"]].set_visible(False)


def _rates_panel(axes: Axes, tally: Tally) -> None:
    rated = [item for item in tally.questions if item.question.rated]
    labels = [_wrap(item.question.prompt) for item in rated][::-1]
    left = [0.0] * len(rated)
    for polarity, colour in COLOURS.items():
        shares = [
            100 * sum(c.count for c in item.counts if c.option.polarity is polarity) / item.answered
            if item.answered
            else 0.0
            for item in rated
        ][::-1]
        name = {Polarity.FAVOURABLE: "满意", Polarity.NEUTRAL: "中性", Polarity.UNFAVOURABLE: "不满意"}[
            polarity
        ]
        axes.barh(labels, shares, left=left, color=colour, label=name)
        left = [a + b for a, b in zip(left, shares, strict=True)]
    for index, item in enumerate(rated[::-1]):
        rate = item.favourable_rate
        if rate is not None:
            axes.text(101, index, f"{100 * rate:.0f}%", va="center", fontsize=9)
    overall = tally.favourable_rate
    heading = "民主测评满意率" + (f" {100 * overall:.1f}%" if overall is not None else "")
    axes.set_title(heading, loc="left", fontsize=12)
    axes.set_xlim(0, 110)
    axes.set_xlabel("占比 (%)")
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.02), ncols=3, frameon=False, fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)


def render_chart(tally: Tally, title: str, font: Path) -> bytes:
    """Return a PNG: categories, favourable shares per item, and the two ranked items."""
    font_manager.fontManager.addfont(str(font))
    family = font_manager.FontProperties(fname=str(font)).get_name()
    multis = [item for item in tally.questions if item.question.kind is QuestionKind.MULTI]
    category = tally.questions[0]
    with rc_context({"font.family": [family], "axes.unicode_minus": False, "font.size": 10}):
        figure = Figure(figsize=(8, 17), dpi=110, layout="constrained")
        grid = figure.add_gridspec(4, 1, height_ratios=[2.2, 6.5, 3, 3])
        figure.suptitle(title, fontsize=14)
        _counts_panel(figure.add_subplot(grid[0]), category.question.section, category.counts, tally.counted)
        _rates_panel(figure.add_subplot(grid[1]), tally)
        for row, item in enumerate(multis, start=2):
            _counts_panel(figure.add_subplot(grid[row]), item.question.section, item.ranked(), tally.counted)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return buffer.getvalue()
