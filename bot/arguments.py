"""What follows a command, cleaned of what would make look-alike names differ."""

from __future__ import annotations

import re
import unicodedata

from telegram import Message

from usecases.console import UNIT_MAX_LENGTH

_SPACES = re.compile(r"\s+")


def command_argument(message: Message) -> str:
    """Return the text after the command: invisible characters dropped, spaces folded, trimmed.

    Control and format characters (including right-to-left marks and zero-width joiners)
    would make two unit names that look alike differ, or reorder how a name is shown.
    """
    parts = (message.text or "").split(maxsplit=1)
    if len(parts) < 2:  # noqa: PLR2004 - the command and its argument
        return ""
    visible = "".join(ch if unicodedata.category(ch) not in {"Cc", "Cf"} else " " for ch in parts[1])
    return _SPACES.sub(" ", visible).strip()


def shorten(text: str, limit: int = UNIT_MAX_LENGTH) -> str:
    """Return text cut to `limit` characters, for echoing what someone typed."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
