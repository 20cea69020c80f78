"""Ballot slips (测评码) for a unit, to print on A4, cut apart and hand out shuffled, face down.

Three slips across and eight down a page, with dashed cut lines. Each slip carries the unit, a
QR code of its web form (or, without one, of its Telegram link), the code to type, two lines of
instructions and, beside a web form, a small QR code of the Telegram link. Nothing on a slip
numbers it: slips of one unit are alike but for the code, so no code can be tied to a place in
the pile.

Drawn with matplotlib's PDF backend, as the poster is: it is a dependency already (no second PDF
library to keep), QR codes are vector paths that stay sharp on any printer, several pages go in
one file (PdfPages), and the packaged Chinese font is embedded as Type 3 subsets (Noto Sans CJK
is a CFF font, which Type 42 embedding cannot carry); the text stays searchable.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager, rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import PathPatch
from matplotlib.textpath import TextToPath

from conversations.slips import SLIP_LINK, printed
from reports.fonts import drawable
from reports.poster import A4_INCHES, qr_outline

COLUMNS, ROWS = 3, 8
PER_PAGE = COLUMNS * ROWS
PAGE_CM = (21.0, 29.7)
SIDE_CM = 0.9  # page margins, wider than any office printer's unprintable edge
TOP_CM = 1.2  # room for the line that says what the page is
BOTTOM_CM = 0.9  # room for how to cut and hand out
SLIP_CM = ((PAGE_CM[0] - 2 * SIDE_CM) / COLUMNS, (PAGE_CM[1] - TOP_CM - BOTTOM_CM) / ROWS)  # 6.4 × 3.45
PAD_CM = 0.22
QR_CM = 2.0  # the slip's own QR: modules of about 0.6 mm, read by any phone at hand's length
SMALL_QR_CM = 1.3  # the Telegram one
CODE_PT = 12.0
NAME_PT = 8.5
INSTRUCTION_PT = 6.5
CUT_COLOUR = "#8c8c8c"
# DejaVu Sans Mono ships with matplotlib: a clear monospace face, the same on every machine.
MONO = Path(mpl.get_data_path()) / "fonts" / "ttf" / "DejaVuSansMono-Bold.ttf"
CODE_SAMPLE = "XXXXX-XXXXX-XXXXX"
HOW_TO_CUT = "沿虚线裁开，打乱后背面朝上，每人随机取一张。测评码不记名，每张只能提交一次，请勿拍照外传。"


def web_link(base_url: str, code: str, unit_token: str | None = None) -> str:
    """Return the web form's address for a slip: <SURVEY_WEB_URL>/s/<CODE>?u=<the unit's token>.

    The unit's token is the same on every slip of the unit (it names the unit, not a person):
    with it a slip scanned after the close is told the unit's survey has ended, not that its
    code is wrong (the code's own trace is gone by then).
    """
    link = f"{base_url.rstrip('/')}/s/{code}"
    return f"{link}?u={unit_token}" if unit_token else link


def telegram_link(bot_username: str, code: str) -> str:
    """Return the Telegram deep link that hands the bot a slip's code."""
    return f"https://t.me/{bot_username}?start={SLIP_LINK}{code}"


@dataclass(frozen=True, slots=True)
class SlipWords:
    """What every slip of a printing says besides its code (the same on each)."""

    unit: str
    instructions: tuple[str, str]
    address: str | None  # the web form's address, to type where the QR code cannot be scanned
    telegram_note: str | None  # beside the small QR code


def slip_words(unit: str, web_url: str | None, bot_username: str) -> SlipWords:
    """Return the words of a slip: with a web form, or with Telegram only."""
    if web_url is None:
        return SlipWords(
            unit=unit,
            instructions=(
                "用手机扫描二维码，在 Telegram 中作答",
                f"或在 Telegram 中把测评码发给 @{bot_username}",
            ),
            address=None,
            telegram_note=None,
        )
    return SlipWords(
        unit=unit,
        instructions=("用手机扫描二维码作答，不记名", "或用浏览器打开下面网址，输入测评码"),
        address=web_url.rstrip("/"),
        telegram_note="用 Telegram\n可扫此码",
    )


@cache
def _width_pt(text: str, font: Path, size: float) -> float:
    """Return how wide matplotlib draws the text in the font at `size` points."""
    width, _, _ = TextToPath().get_text_width_height_descent(
        text, FontProperties(fname=font, size=size), ismath=False
    )
    return float(width)


def fitted(text: str, font: Path, largest: float, width_cm: float) -> float:
    """Return the font size (at most `largest`) at which the text fits the width."""
    wide = _width_pt(text, font, largest) / 72 * 2.54
    return largest if wide <= width_cm else 0.98 * largest * width_cm / wide  # a little to spare


def _cm(points: float) -> float:
    return points / 72 * 2.54


@dataclass(frozen=True, slots=True)
class SlipLayout:
    """Where things go on every slip of a printing, and their sizes (the same on each)."""

    name: str  # the unit's name, on one line or two
    name_pt: float
    qr_top: float  # centimetres from the slip's bottom edge
    qr_side: float
    code_pt: float
    instruction_pt: tuple[float, ...]
    address_pt: float


def unit_lines(unit: str, font: Path, width_cm: float) -> tuple[str, float]:
    """Return the unit's name as one line or (if one would be too small) two, and its size."""
    size = fitted(unit, font, NAME_PT, width_cm)
    if size >= NAME_PT * 0.75:
        return unit, size
    half = (len(unit) + 1) // 2
    first, second = unit[:half], unit[half:]
    return f"{first}\n{second}", min(
        fitted(first, font, NAME_PT, width_cm), fitted(second, font, NAME_PT, width_cm)
    )


def slip_layout(words: SlipWords, font: Path, *, telegram_beside: bool) -> SlipLayout:
    """Fit the unit's name, the QR code, the code and the instructions into a slip."""
    width, height = SLIP_CM
    inner = width - 2 * PAD_CM
    name, name_pt = unit_lines(words.unit, font, inner)
    # Every code is as wide as any other in a monospace face: measured once, no code is cached.
    code_pt = fitted(CODE_SAMPLE, MONO, CODE_PT, inner - (SMALL_QR_CM + 0.15 if telegram_beside else 0))
    qr_top = height - PAD_CM - _cm(name_pt * 1.25) * (name.count("\n") + 1) - 0.08
    qr_bottom = PAD_CM + _cm(code_pt * 0.75) + 0.2  # above the code's capitals
    qr_side = min(QR_CM, qr_top - qr_bottom)
    column = inner - qr_side - 0.2
    instruction_pt = tuple(fitted(line, font, INSTRUCTION_PT, column) for line in words.instructions)
    address_pt = fitted(words.address, MONO, INSTRUCTION_PT + 0.5, column) if words.address else 0.0
    return SlipLayout(name, name_pt, qr_top, qr_side, code_pt, instruction_pt, address_pt)


def _qr(axes: Axes, link: str, left: float, bottom: float, side: float) -> None:
    outline, _ = qr_outline(link, left, bottom, side)
    # add_patch would walk every square of the outline to update the axes' limits, which are fixed.
    axes.add_artist(PathPatch(outline, facecolor="black", edgecolor="none"))


def _slip(  # noqa: PLR0913 - a slip's place, its code, its links and how it is worded
    axes: Axes,
    corner: tuple[float, float],
    *,
    code: str,
    links: tuple[str, str | None],
    words: SlipWords,
    layout: SlipLayout,
) -> None:
    """Draw one slip with its lower left corner at `corner`, in centimetres."""
    left, bottom = corner
    width, height = SLIP_CM
    main_link, small_link = links
    mono = FontProperties(fname=MONO)
    x = left + PAD_CM
    axes.text(x, bottom + height - PAD_CM, layout.name, ha="left", va="top", fontsize=layout.name_pt)
    top = bottom + layout.qr_top
    _qr(axes, main_link, x, top - layout.qr_side, layout.qr_side)
    shown = printed(code)
    axes.text(
        x, bottom + PAD_CM, shown, ha="left", va="baseline", fontproperties=mono, fontsize=layout.code_pt
    )
    column = x + layout.qr_side + 0.2
    for index, (line, size) in enumerate(zip(words.instructions, layout.instruction_pt, strict=True)):
        axes.text(column, top - 0.36 * index, line, ha="left", va="top", fontsize=size)
    if words.address is not None:
        axes.text(
            column,
            top - 0.78,
            words.address,
            ha="left",
            va="top",
            fontproperties=mono,
            fontsize=layout.address_pt,
        )
    if small_link is not None:
        small_left = left + width - PAD_CM - SMALL_QR_CM
        _qr(axes, small_link, small_left, bottom + PAD_CM, SMALL_QR_CM)
        if words.telegram_note:
            axes.text(
                small_left - 0.1,
                bottom + PAD_CM + SMALL_QR_CM - 0.05,
                words.telegram_note,
                ha="right",
                va="top",
                fontsize=INSTRUCTION_PT - 0.5,
                linespacing=1.3,
                color="#333333",
            )


def _dashed(axes: Axes, xs: tuple[float, float], ys: tuple[float, float]) -> None:
    axes.plot(xs, ys, color=CUT_COLOUR, linewidth=0.5, linestyle=(0, (4, 3)))


def _cut_lines(axes: Axes, slips: int) -> None:
    """Draw dashed lines between and around the page's slips, run out past them to guide a guillotine."""
    width, height = SLIP_CM
    top = PAGE_CM[1] - TOP_CM
    rows = -(-slips // COLUMNS)
    in_row = [min(COLUMNS, slips - row * COLUMNS) for row in range(rows)] + [0]
    in_column = [len(range(column, slips, COLUMNS)) for column in range(COLUMNS)] + [0]
    reach = 0.3  # past the slips, always into a margin or an empty place
    for row in range(rows + 1):
        across = max(in_row[row - 1] if row else 0, in_row[row])
        y = top - row * height
        _dashed(axes, (SIDE_CM - reach, SIDE_CM + across * width + reach), (y, y))
    for column in range(COLUMNS + 1):
        down = max(in_column[column - 1] if column else 0, in_column[column])
        x = SIDE_CM + column * width
        _dashed(axes, (x, x), (top + reach, top - down * height - reach))


def paged(codes: Sequence[str]) -> list[Sequence[str]]:
    """Return the codes in pages of PER_PAGE, in the order given (the pile is shuffled by hand)."""
    return [codes[start : start + PER_PAGE] for start in range(0, len(codes), PER_PAGE)]


def slip_pages(  # noqa: PLR0913 - what a slip carries
    unit: str,
    codes: Sequence[str],
    web_url: str | None,
    bot_username: str,
    font: Path,
    *,
    unit_token: str | None = None,
) -> list[Figure]:
    """Return the pages of slips as matplotlib figures of A4 size (coordinates in centimetres)."""
    font_manager.fontManager.addfont(str(font))
    family = font_manager.FontProperties(fname=str(font)).get_name()
    words = slip_words(drawable(unit, font), web_url, bot_username)
    layout = slip_layout(words, font, telegram_beside=web_url is not None)
    pages = paged(codes)
    width, height = PAGE_CM
    figures = []
    with rc_context({"font.family": [family]}):
        for number, page in enumerate(pages, start=1):
            figure = Figure(figsize=A4_INCHES)
            axes = figure.add_axes((0, 0, 1, 1))
            axes.set_xlim(0, width)
            axes.set_ylim(0, height)
            axes.set_axis_off()
            count = f"第 {number} / {len(pages)} 页 · 本次共 {len(codes)} 张"
            axes.text(width - SIDE_CM, height - 0.55, count, ha="right", va="center", fontsize=9)
            heading = f"{words.unit} · 民主测评测评码（一人一码）"
            room = width - 2 * SIDE_CM - _cm(_width_pt(count, font, 9)) - 0.5
            size = fitted(heading, font, 9, room)
            axes.text(SIDE_CM, height - 0.55, heading, ha="left", va="center", fontsize=size)
            axes.text(width / 2, 0.35, HOW_TO_CUT, ha="center", va="center", fontsize=7.5, color="#444444")
            _cut_lines(axes, len(page))
            for index, code in enumerate(page):
                row, column = divmod(index, COLUMNS)
                corner = (SIDE_CM + column * SLIP_CM[0], height - TOP_CM - (row + 1) * SLIP_CM[1])
                telegram = telegram_link(bot_username, code)
                links = (web_link(web_url, code, unit_token), telegram) if web_url else (telegram, None)
                _slip(axes, corner, code=code, links=links, words=words, layout=layout)
            figures.append(figure)
    return figures


def slips_pdf(  # noqa: PLR0913 - what a slip carries
    unit: str,
    codes: Sequence[str],
    web_url: str | None,
    bot_username: str,
    font: Path,
    *,
    unit_token: str | None = None,
) -> bytes:
    """Return the slips as an A4 PDF, 24 a page; the codes live in the bytes returned and nowhere else."""
    buffer = io.BytesIO()
    with rc_context({"pdf.fonttype": 3}), PdfPages(buffer, metadata={"Title": f"{unit} 测评码"}) as pdf:
        for figure in slip_pages(unit, codes, web_url, bot_username, font, unit_token=unit_token):
            pdf.savefig(figure)
    return buffer.getvalue()
