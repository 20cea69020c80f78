"""Read what a PDF made by matplotlib prints: its pages and the slip codes in its text."""

from __future__ import annotations

import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_TEXT_BLOCK = re.compile(rb"BT(.*?)ET", re.DOTALL)
_STRING = re.compile(rb"\(((?:[^()\\]|\\.)*)\)")
PRINTED_CODE = re.compile(r"[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}")


def page_count(pdf: bytes) -> int:
    """Return how many pages the PDF has."""
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def page_sizes(pdf: bytes) -> list[tuple[int, int]]:
    """Return each page's size in points, rounded (A4 is 595 × 842)."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return [(round(float(width)), round(float(height))) for width, height in boxes]


def text_runs(pdf: bytes) -> list[str]:
    """Return the ASCII text of each text block, its kerned pieces joined (Chinese comes out as symbols)."""
    runs = []
    for stream in _STREAM.finditer(pdf):
        try:
            content = zlib.decompress(stream.group(1))
        except zlib.error:
            continue  # a font or an image, not a page's content
        runs += [b"".join(_STRING.findall(block)).decode("latin-1") for block in _TEXT_BLOCK.findall(content)]
    return runs


def printed_codes(pdf: bytes) -> list[str]:
    """Return every slip code printed in the PDF (K7M2Q-9XH4P-R3TVC), in drawing order."""
    return [code for run in text_runs(pdf) for code in PRINTED_CODE.findall(run)]
