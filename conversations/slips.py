"""Ballot slips (测评码, 一人一码): codes that admit one ballot each, made to be typed from paper.

A code is 14 random symbols (70 bits) and one check symbol from an alphabet without the
look-alikes 0/O and 1/I, printed in three groups of five (`K7M2Q-9XH4P-R3TVC`). The check symbol
catches a mistyped symbol or two swapped neighbours before any lookup, so a typo is told apart
from a code that was never issued without revealing anything about the codes that were.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
RANDOM_SYMBOLS = 14
LENGTH = RANDOM_SYMBOLS + 1
GROUP = 5
# A slip's Telegram link (its second, small QR code) starts the bot so: t.me/<bot>?start=s_<code>.
SLIP_LINK = "s_"
_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}


def _check_symbol(symbols: str) -> str:
    """Return the check symbol: a weighted sum mod 31 (a prime), so one wrong symbol or a swap changes it.

    (Only a '2' read as a 'Z' or back, 31 apart, goes unseen; the lookup then finds no slip.)
    """
    total = sum((position + 1) * _VALUE[symbol] for position, symbol in enumerate(symbols))
    return ALPHABET[total % 31]


def new_code() -> str:
    """Return a fresh code in canonical form (15 symbols, no dashes)."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return symbols + _check_symbol(symbols)


def printed(code: str) -> str:
    """Return the code as printed on a slip: three groups of five joined by dashes."""
    return "-".join(code[start : start + GROUP] for start in range(0, len(code), GROUP))


def normalise(typed: str) -> str | None:
    """Return the canonical code a person typed, or None if it cannot be a code.

    Case, spaces, dashes and full-width forms (a Chinese keyboard's) are folded; a wrong length,
    a symbol outside the alphabet or a wrong check symbol is no code.
    """
    folded = unicodedata.normalize("NFKC", typed).upper()
    symbols = "".join(symbol for symbol in folded if symbol.isalnum())
    if len(symbols) != LENGTH or any(symbol not in _VALUE for symbol in symbols):
        return None
    if _check_symbol(symbols[:-1]) != symbols[-1]:
        return None
    return symbols


def looks_like_code(typed: str) -> bool:
    """Return True if the text is shaped like a code (15 letters and digits, with spaces or dashes).

    A mistyped code is still meant as one: it deserves "that code is not right", not a hint about
    how to take part. Words and sentences are not shaped so.
    """
    folded = unicodedata.normalize("NFKC", typed).upper()
    symbols = "".join(symbol for symbol in folded if symbol not in " -")
    return len(symbols) == LENGTH and all(symbol.isascii() and symbol.isalnum() for symbol in symbols)


def slip_check(secret: bytes, window_id: int, code: str) -> bytes:
    """Return what is stored of an unused slip: HMAC-SHA256(secret, check:window:code)."""
    return hmac.new(secret, f"slip-check:{window_id}:{code}".encode(), hashlib.sha256).digest()


def slip_key(secret: bytes, window_id: int, code: str) -> bytes:
    """Return the key that stands for whoever holds the slip, as a participant key stands for an account."""
    return hmac.new(secret, f"slip:{window_id}:{code}".encode(), hashlib.sha256).digest()
