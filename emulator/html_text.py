"""Telegram's HTML parse mode, checked the way Telegram checks it, reduced to visible text."""

from __future__ import annotations

import html
import re

_ALLOWED = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "tg-spoiler", "span", "blockquote", "tg-emoji",
}  # fmt: skip
_TOKEN = re.compile(r"<(/?)([a-z-]+)(\s[^<>]*)?>|<|&(#[0-9]+|#x[0-9a-fA-F]+|lt|gt|amp|quot);|&")


class EntityError(ValueError):
    """The text is not valid in HTML parse mode (Telegram: can't parse entities)."""


def visible_text(text: str) -> str:
    """Return what a person sees of HTML-mode text; raise EntityError where Telegram would."""
    out: list[str] = []
    stack: list[str] = []
    position = 0
    for match in _TOKEN.finditer(text):
        out.append(text[position : match.start()])
        position = match.end()
        token = match.group(0)
        if token in {"<", "&"}:
            msg = f"unescaped {token!r} at byte offset {match.start()}"
            raise EntityError(msg)
        if token.startswith("&"):
            out.append(html.unescape(token))
            continue
        closing, tag = match.group(1), match.group(2)
        if tag not in _ALLOWED:
            msg = f"unsupported start tag {tag!r}"
            raise EntityError(msg)
        if closing:
            if not stack or stack[-1] != tag:
                msg = f"unmatched end tag {tag!r}"
                raise EntityError(msg)
            stack.pop()
        else:
            stack.append(tag)
    out.append(text[position:])
    if stack:
        msg = f"unclosed start tag {stack[-1]!r}"
        raise EntityError(msg)
    return "".join(out)
