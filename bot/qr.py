"""QR codes of deep links, as PNG images for the briefing room's screen."""

from __future__ import annotations

import io

import segno


def qr_png(link: str) -> bytes:
    """Return a PNG QR code of the link, large enough to scan from the back of a room."""
    buffer = io.BytesIO()
    segno.make(link, error="m", micro=False).save(buffer, kind="png", scale=12, border=4)
    return buffer.getvalue()
