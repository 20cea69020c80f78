"""An A4 poster for the briefing room: the unit, a large QR code of the link, the link, three steps."""

from __future__ import annotations

import io
import textwrap
from datetime import date
from pathlib import Path

import numpy
import segno
from matplotlib import font_manager, rc_context
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path as Outline

from reports.fonts import drawable
from reports.wording import day

A4_INCHES = (8.27, 11.69)
CM = 1 / 2.54
QR_SIDE_CM = 12.0
QR_BOTTOM_CM = 8.6
HEADING = "民主测评"
FORM = "建立廉政风险防范机制工作测评表"
STEPS = (
    "① 用手机扫描二维码，在 Telegram 中打开",
    "② 点“开始”，用按钮逐题作答，约 3 分钟",
    "③ 核对后点“提交”：不记名，每人一份",
)
UNIT_WIDTH = 14  # characters per line of the unit's name at 30 pt


def qr_modules(link: str) -> list[tuple[int, int]]:
    """Return the dark modules (column, row from the top) of the link's QR code, quiet zone excluded."""
    code = segno.make(link, error="m", micro=False)
    return [(x, y) for y, row in enumerate(code.matrix) for x, dark in enumerate(row) if dark]


def qr_outline(link: str, left: float, bottom: float, side: float) -> tuple[Outline, int]:
    """Return the QR code as one vector outline in a square of `side`, and its modules per side."""
    modules = numpy.asarray(qr_modules(link), dtype=float)
    size = int(modules.max()) + 1
    step = side / size
    x0 = left + modules[:, 0] * step
    y0 = bottom + (size - 1 - modules[:, 1]) * step
    # Each module a closed square: its corners counter-clockwise from the lower left, and back.
    corners = numpy.stack(
        [(x0, y0), (x0 + step, y0), (x0 + step, y0 + step), (x0, y0 + step), (x0, y0)], axis=1
    )
    vertices = corners.transpose(2, 1, 0).reshape(-1, 2)
    square = [Outline.MOVETO, Outline.LINETO, Outline.LINETO, Outline.LINETO, Outline.CLOSEPOLY]
    return Outline(vertices, numpy.tile(numpy.asarray(square, dtype=Outline.code_type), len(modules))), size


def poster_figure(unit: str, link: str, when: date, font: Path) -> Figure:
    """Return the poster as a matplotlib figure of A4 size (coordinates in centimetres)."""
    font_manager.fontManager.addfont(str(font))
    family = font_manager.FontProperties(fname=str(font)).get_name()
    width, height = A4_INCHES[0] / CM, A4_INCHES[1] / CM
    with rc_context({"font.family": [family]}):
        figure = Figure(figsize=A4_INCHES)
        axes = figure.add_axes((0, 0, 1, 1))
        axes.set_xlim(0, width)
        axes.set_ylim(0, height)
        axes.set_axis_off()
        centre = width / 2
        axes.text(centre, 27.0, HEADING, ha="center", va="center", fontsize=40)
        axes.text(centre, 25.4, FORM, ha="center", va="center", fontsize=16)
        name = "\n".join(textwrap.wrap(drawable(unit, font), UNIT_WIDTH))
        axes.text(centre, 23.2, name, ha="center", va="center", fontsize=30, linespacing=1.2)
        outline, _ = qr_outline(link, centre - QR_SIDE_CM / 2, QR_BOTTOM_CM, QR_SIDE_CM)
        axes.add_patch(PathPatch(outline, facecolor="black", edgecolor="none"))
        axes.text(centre, QR_BOTTOM_CM - 0.7, link, ha="center", va="center", fontsize=12, family="monospace")
        for index, step in enumerate(STEPS):
            axes.text(2.6, 6.3 - 1.35 * index, step, ha="left", va="center", fontsize=18)
        axes.text(centre, 1.5, day(when), ha="center", va="center", fontsize=14, color="#444444")
    return figure


def poster_pdf(unit: str, link: str, when: date, font: Path) -> bytes:
    """Return the poster as a one-page A4 PDF (vector: the QR code stays sharp at any size)."""
    buffer = io.BytesIO()
    figure = poster_figure(unit, link, when, font)
    with rc_context({"pdf.fonttype": 3}):
        figure.savefig(buffer, format="pdf")
    return buffer.getvalue()
