"""Find a font that draws Chinese, and prove it covers the characters a chart needs."""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

logger = logging.getLogger(__name__)

# Noto Sans CJK SC, shipped inside the mplfonts wheel that `pip install` brings.
_PACKAGED = ("mplfonts", "fonts/NotoSansCJKsc-Regular.otf")
# Well-known system fonts, for machines that have one but not the package.
_SYSTEM_NAMES = (
    "NotoSansCJK",
    "NotoSansSC",
    "SourceHanSans",
    "wqy-zenhei",
    "wqy-microhei",
    "DroidSansFallback",
)
_SAMPLE = "民主测评满意率参评对象班子成员风险点排查"


def packaged_font() -> Path | None:
    """Return the packaged Noto Sans CJK SC file, if the package is installed."""
    spec = importlib.util.find_spec(_PACKAGED[0])
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / _PACKAGED[1]
    return path if path.is_file() else None


def system_fonts() -> list[Path]:
    """Return system font files whose names suggest Chinese coverage."""
    from matplotlib import font_manager  # noqa: PLC0415 - matplotlib is slow to import

    return [
        Path(found)
        for found in font_manager.findSystemFonts()
        if any(name.lower() in Path(found).name.lower() for name in _SYSTEM_NAMES)
    ]


def missing_glyphs(path: Path, text: Iterable[str]) -> set[str]:
    """Return the characters of `text` that the font has no glyph for (spaces aside)."""
    with TTFont(path, fontNumber=0, lazy=True) as font:
        cmap = font.getBestCmap() or {}
    return {ch for line in text for ch in line if not ch.isspace() and ord(ch) not in cmap}


def drawable(text: str, font: Path) -> str:
    """Return the text without what the font has no glyph for (an emoji in a unit's name), spaces tidied."""
    from matplotlib import font_manager  # noqa: PLC0415 - matplotlib is slow to import

    face = font_manager.get_font(str(font))  # cached: the face that draws the text anyway
    kept = "".join(ch for ch in text if ch == "\n" or face.get_char_index(ord(ch)))
    return "\n".join(" ".join(line.split()) for line in kept.split("\n"))


@cache
def cjk_font() -> Path | None:
    """Return a font file that covers Chinese, or None (said once in the log).

    The packaged Noto Sans CJK SC is taken as it is: it covers every character the papers draw
    (`tests/test_reports.py` proves it), and reading its character map at every start would cost
    the bot 37 MB of memory and 0.4 s. A system font is checked before it is used.
    """
    font = packaged_font() or next((f for f in system_fonts() if not missing_glyphs(f, [_SAMPLE])), None)
    if font is None:
        logger.warning("No Chinese font found: charts are off, reports are sent as text only")
        return None
    logger.info("Charts use the font %s", font.name)
    return font
