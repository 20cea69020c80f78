"""The slips a county office prints, cuts and hands out: pages, codes, QR codes and a tidy layout."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from conversations.slips import new_code, printed
from reports.fonts import cjk_font
from reports.poster import qr_modules
from reports.slips import (
    PAGE_CM,
    PER_PAGE,
    SIDE_CM,
    SLIP_CM,
    TOP_CM,
    paged,
    slip_pages,
    slips_pdf,
    telegram_link,
    web_link,
)
from tests.pdf_text import page_count, page_sizes, printed_codes

WEB = "https://pingce.example.gov.cn/"
BOT = "survey_test_bot"
LONGEST_UNIT = "县人力资源和社会保障局（县医疗保障局、县社会保险事业管理中心）机关党委纪检组第二十三检查组"


@pytest.fixture(scope="module")
def font() -> Path:
    found = cjk_font()
    assert found is not None
    return found


def qr_links(figure: Figure, candidates: list[str]) -> list[str]:
    """Return the links the figure's QR codes encode, each matched against the candidates' modules."""
    wanted = {frozenset(qr_modules(link)): link for link in candidates}
    found = []
    for patch in figure.findobj(PathPatch):
        corners: list[list[float]] = numpy.asarray(patch.get_path().vertices)[::5].tolist()
        step = numpy.asarray(patch.get_path().vertices)[1].tolist()[0] - corners[0][0]
        left = min(x for x, _ in corners)
        top = max(y for _, y in corners) + step  # the finder pattern at the top left is dark
        squares = frozenset((round((x - left) / step), round((top - y) / step) - 1) for x, y in corners)
        found.append(wanted.get(squares, "?"))
    return found


def test_forty_slips_make_two_a4_pages_of_24_and_16(font: Path) -> None:
    """40 slips: two A4 pages, each code printed once, in the order given."""
    codes = [new_code() for _ in range(40)]
    pdf = slips_pdf("县财政局", codes, WEB, BOT, font)
    assert pdf.startswith(b"%PDF")
    assert page_count(pdf) == 2
    assert page_sizes(pdf) == [(595, 842), (595, 842)]
    assert printed_codes(pdf) == [printed(code) for code in codes]


def PRINTED(text: Text) -> bool:  # noqa: N802 - reads as a predicate over drawn texts
    return len(text.get_text()) == 17 and text.get_text().count("-") == 2


def test_each_slip_has_its_web_qr_its_telegram_qr_and_its_code(font: Path) -> None:
    """A slip's large QR opens <SURVEY_WEB_URL>/s/<CODE>, its small one the bot with s_<CODE>."""
    codes = [new_code() for _ in range(3)]
    (page,) = slip_pages("县财政局", codes, WEB, BOT, font)
    links = [web_link(WEB, code) for code in codes] + [telegram_link(BOT, code) for code in codes]
    assert links[0] == f"https://pingce.example.gov.cn/s/{codes[0]}"
    assert links[3] == f"https://t.me/survey_test_bot?start=s_{codes[0]}"
    assert sorted(qr_links(page, links)) == sorted(links)
    shown = [t.get_text() for t in page.findobj(Text)]
    assert [s for s in shown if s in {printed(c) for c in codes}] == [printed(c) for c in codes]
    assert "https://pingce.example.gov.cn" in shown  # the address, to type where scanning fails
    assert "县财政局" in shown


def test_a_slips_web_qr_names_its_unit_with_the_units_token(font: Path) -> None:
    """Every slip's large QR opens <SURVEY_WEB_URL>/s/<CODE>?u=<the unit's token>, the same on every slip."""
    codes = [new_code() for _ in range(2)]
    (page,) = slip_pages("县财政局", codes, WEB, BOT, font, unit_token="Tk7-unit_token")
    links = [web_link(WEB, code, "Tk7-unit_token") for code in codes] + [telegram_link(BOT, c) for c in codes]
    assert links[0] == f"https://pingce.example.gov.cn/s/{codes[0]}?u=Tk7-unit_token"
    assert sorted(qr_links(page, links)) == sorted(links)


def test_without_a_web_form_a_slip_carries_the_telegram_link_only(font: Path) -> None:
    """No SURVEY_WEB_URL: one QR a slip, the bot's deep link, and the bot named to send the code to."""
    codes = [new_code() for _ in range(2)]
    (page,) = slip_pages("县财政局", codes, None, BOT, font)
    links = [telegram_link(BOT, code) for code in codes]
    assert sorted(qr_links(page, links)) == sorted(links)
    text = "\n".join(t.get_text() for t in page.findobj(Text))
    assert "@survey_test_bot" in text
    assert "http" not in text


def test_nothing_is_numbered_or_told_apart_but_the_code(font: Path) -> None:
    """Two slips of one printing differ only in their codes and QR codes: no serial number to tie."""
    codes = [new_code() for _ in range(PER_PAGE)]
    (page,) = slip_pages("县财政局", codes, WEB, BOT, font)
    texts = [t.get_text() for t in page.findobj(Text) if t.get_text() and not PRINTED(t)]
    per_slip = [s for s in texts if "页" not in s and "裁开" not in s and "一人一码" not in s]
    assert len(per_slip) % PER_PAGE == 0
    assert len(set(per_slip)) == len(per_slip) // PER_PAGE


def _slip_boxes(figure: Figure) -> list[Bbox]:
    """Return the slips' places on the page in display units (inside the cut lines)."""
    width, height = SLIP_CM
    cm = figure.get_size_inches()[0] * figure.dpi / PAGE_CM[0]
    return [
        Bbox.from_bounds(
            (SIDE_CM + column * width) * cm,
            (PAGE_CM[1] - TOP_CM - (row + 1) * height) * cm,
            width * cm,
            height * cm,
        )
        for row in range(2)
        for column in range(3)
    ]


@pytest.mark.parametrize(
    ("unit", "web"),
    [
        ("县财政局", WEB),
        ("县财政局", None),
        (LONGEST_UNIT, "https://minzhu-ceping.renli-ziyuan.example.gov.cn:8443/"),
        (LONGEST_UNIT, None),
    ],
)
def test_every_slip_keeps_its_contents_apart_and_inside_its_cut_lines(
    font: Path, unit: str, web: str | None
) -> None:
    """On each slip nothing overlaps (name, QR codes, code, instructions), nor crosses a cut line."""
    assert len(unit) <= 64
    (page,) = slip_pages(unit, [new_code() for _ in range(5)], web, "a" * 28 + "_bot", font)
    page.set_dpi(300)  # text measured as printed, not as hinted on a coarse screen
    FigureCanvasAgg(page)  # measured as the Agg renderer draws
    slips = _slip_boxes(page)
    drawn = [a for a in page.findobj(lambda a: isinstance(a, Text | PathPatch)) if a.get_visible()]
    extents = [a.get_window_extent() for a in drawn if not isinstance(a, Text) or a.get_text()]
    for slip in slips:
        inside = [box for box in extents if slip.overlaps(box)]
        for box in inside:
            assert slip.x0 <= box.x0, (box, slip)
            assert box.x1 <= slip.x1, (box, slip)
            assert slip.y0 <= box.y0, (box, slip)
            assert box.y1 <= slip.y1, (box, slip)
        for index, box in enumerate(inside):
            for other in inside[index + 1 :]:
                assert not box.overlaps(other), (box, other)
        if slip is not slips[-1]:  # the sixth place is empty
            assert len(inside) >= 5  # the name, the QR code, the code, two lines of instructions


def test_an_emoji_in_the_unit_name_is_left_out_not_drawn_as_a_box(font: Path) -> None:
    """The font has no emoji: '县财政局 🏛' prints '县财政局' and no glyph goes missing."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns of each glyph missing from the font
        pdf = slips_pdf("县财政局 🏛", [new_code()], WEB, BOT, font)
    assert page_count(pdf) == 1
    (page,) = slip_pages("县财政局 🏛", [new_code()], WEB, BOT, font)
    assert "县财政局" in [t.get_text() for t in page.findobj(Text)]


@pytest.mark.parametrize(("count", "pages"), [(1, [1]), (24, [24]), (25, [24, 1]), (50, [24, 24, 2])])
def test_pages_are_as_many_as_the_slips_need(count: int, pages: list[int]) -> None:
    """24 slips a page, in the order given: 25 slips are a full page and one slip."""
    codes = [new_code() for _ in range(count)]
    assert [len(page) for page in paged(codes)] == pages
    assert [code for page in paged(codes) for code in page] == codes
