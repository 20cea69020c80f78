"""Bar charts of a unit's tally, drawn with matplotlib (no pyplot state), readable on a phone.

The figure is 5.4 inches (389 pt) wide, about a phone screen's 390 pt, so a label set in 11 pt
shows at about 11 px there; nothing is set smaller. Count axes have whole-number ticks, labels
are wrapped between words, and the title says the unit, how many ballots and the date.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from matplotlib import font_manager, rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from conversations.questionnaire import Polarity, QuestionKind
from conversations.tally import OptionCount, QuestionTally, Tally
from reports.fonts import drawable
from reports.wording import SPOILED, TENDENCY, rate, wrap

COLOURS = {
    Polarity.FAVOURABLE: "#2e7d32",
    Polarity.NEUTRAL: "#f9a825",
    Polarity.UNFAVOURABLE: "#c62828",
}
ACCENT = "#1565c0"
WIDTH_INCHES = 5.4  # 389 pt: shown about 1:1 on a 390-pt phone screen
DPI = 230  # 1,242 px wide: sharp on a phone, within Telegram's 1,280-px photos
TEXT_PT = 11.0  # the smallest text in the figure
HEADING_PT = 12.5
TITLE_PT = 14.0
LABEL_WIDTH = 9  # characters per line of a bar label
HEADING_WIDTH = 22
TITLE_WIDTH = 26
RATED_HEADING = "民主测评满意率"
COUNT_AXIS = "人数"
SHARE_AXIS = "占比"


@dataclass(frozen=True, slots=True)
class _Panel:
    """One chart panel: how tall it needs to be, and how to draw it."""

    height: float  # inches
    draw: Callable[[Axes], None]


def _bars_height(labels: Sequence[str]) -> float:
    """Return the inches a panel needs for its bars, each as tall as its wrapped label."""
    lines = [label.count("\n") + 1 for label in labels]
    return 0.75 + sum(max(0.3, 0.2 * n + 0.1) for n in lines)


def _style(axes: Axes, heading: str, pad: float = 8) -> None:
    axes.set_title(wrap(heading, HEADING_WIDTH), loc="left", fontsize=HEADING_PT, pad=pad)
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=TEXT_PT)


def _counts_panel(heading: str, counts: Sequence[OptionCount], ballots: int) -> _Panel:
    labels = [wrap(c.option.label, LABEL_WIDTH) for c in counts][::-1]
    values = [c.count for c in counts][::-1]

    def draw(axes: Axes) -> None:
        bars = axes.barh(labels, values, color=ACCENT)
        shown = [f"{v} ({100 * v / ballots:.0f}%)" if ballots else "0" for v in values]
        axes.bar_label(bars, labels=shown, padding=3, fontsize=TEXT_PT)
        axes.set_xlabel(COUNT_AXIS, fontsize=TEXT_PT)
        axes.set_xlim(0, max([*values, 1]) * 1.45)
        axes.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        _style(axes, heading)

    return _Panel(_bars_height(labels), draw)


def _rated(tally: Tally) -> list[QuestionTally]:
    return [item for item in tally.questions if item.question.rated]


def _rates_panel(tally: Tally) -> _Panel:
    rated = _rated(tally)
    labels = [wrap(item.question.prompt, LABEL_WIDTH) for item in rated][::-1]

    def draw(axes: Axes) -> None:
        left = [0.0] * len(rated)
        for polarity, colour in COLOURS.items():
            shares = [
                100 * sum(c.count for c in item.counts if c.option.polarity is polarity) / item.answered
                if item.answered
                else 0.0
                for item in rated
            ][::-1]
            axes.barh(labels, shares, left=left, color=colour, label=TENDENCY[polarity])
            left = [a + b for a, b in zip(left, shares, strict=True)]
        for index, item in enumerate(rated[::-1]):
            if item.favourable_rate is not None:
                axes.text(102, index, f"{100 * item.favourable_rate:.0f}%", va="center", fontsize=TEXT_PT)
        axes.set_xlim(0, 118)
        axes.set_xticks([0, 25, 50, 75, 100])
        axes.xaxis.set_major_formatter(PercentFormatter(decimals=0))
        axes.set_xlabel(SHARE_AXIS, fontsize=TEXT_PT)
        axes.legend(
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncols=3,
            frameon=False,
            fontsize=TEXT_PT,
            borderaxespad=0.2,
            handlelength=1.2,
        )
        _style(axes, f"{RATED_HEADING} {rate(tally.favourable_rate)}", pad=TEXT_PT * 2.6)

    return _Panel(_bars_height(labels) + 0.35, draw)


def _panels(tally: Tally) -> tuple[_Panel, _Panel, list[_Panel]]:
    """Return the category panel, the rates panel and one panel per choose-up-to-three item."""
    category = tally.questions[0]
    multis = [item for item in tally.questions if item.question.kind is QuestionKind.MULTI]
    return (
        _counts_panel(_heading(category), category.counts, category.answered),
        _rates_panel(tally),
        [_counts_panel(_heading(item), item.ranked(), item.answered) for item in multis],
    )


def _heading(item: QuestionTally) -> str:
    """Return a panel's heading: the section, and how many paper rows were spoiled (not counted)."""
    spoiled = f"（{SPOILED} {item.spoiled} 份，不计入）" if item.spoiled else ""
    return item.question.section + spoiled


def _rc(family: str) -> AbstractContextManager[None]:
    return rc_context({"font.family": [family], "axes.unicode_minus": False, "font.size": TEXT_PT})


def _figure(panels: Sequence[_Panel], title: str, family: str) -> Figure:
    lines = [part for line in title.splitlines() for part in textwrap.wrap(line, TITLE_WIDTH)]
    title_height = 0.3 + 0.28 * len(lines) if lines else 0.1
    height = title_height + sum(p.height for p in panels)
    with _rc(family):
        figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI, layout="constrained")
        if lines:
            figure.suptitle("\n".join(lines), fontsize=TITLE_PT)
        grid = figure.add_gridspec(len(panels), 1, height_ratios=[p.height for p in panels])
        for row, panel in enumerate(panels):
            panel.draw(figure.add_subplot(grid[row]))
    return figure


def _family(font: Path) -> str:
    font_manager.fontManager.addfont(str(font))
    return str(font_manager.FontProperties(fname=str(font)).get_name())


def chart_figure(tally: Tally, title: str, font: Path) -> Figure:
    """Return the whole chart for a phone: categories, favourable shares, the two ranked items."""
    category, rates, multis = _panels(tally)
    return _figure([category, rates, *multis], drawable(title, font), _family(font))


def chart_part_figures(tally: Tally, title: str, font: Path) -> list[Figure]:
    """Return the chart in parts that fit an A4 page: titled categories, the shares, the ranked items."""
    category, rates, multis = _panels(tally)
    family = _family(font)
    first = _figure([category], drawable(title, font), family)
    return [first, _figure([rates], "", family), _figure(multis, "", family)]


def to_png(figure: Figure, font: Path) -> bytes:
    """Draw a chart figure as PNG (its tick labels are made while drawing, in the font)."""
    buffer = io.BytesIO()
    with _rc(_family(font)):
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def render_chart(tally: Tally, title: str, font: Path) -> bytes:
    """Return the phone chart as a PNG."""
    return to_png(chart_figure(tally, title, font), font)


def render_chart_parts(tally: Tally, title: str, font: Path) -> list[bytes]:
    """Return the chart for documents as PNGs, one per part, each fitting an A4 page."""
    return [to_png(figure, font) for figure in chart_part_figures(tally, title, font)]
