"""Keys that tell whether a person took part, without storing who they are."""

from __future__ import annotations

import hashlib
import hmac


def participant_key(secret: bytes, window_id: int, user_id: int) -> bytes:
    """Return HMAC-SHA256(secret, window:user): the same person and window, the same key."""
    message = f"{window_id}:{user_id}".encode()
    return hmac.new(secret, message, hashlib.sha256).digest()


def keyer_key(secret: bytes, window_id: int, user_id: int) -> bytes:
    """Return the key of the paper form a keyer is entering: apart from their own participant key.

    It stands for the keyer's desk, not for anyone who filled in a form: it is never registered,
    and the draft it keys is dropped when the form goes into the ballot box.
    """
    message = f"paper:{window_id}:{user_id}".encode()
    return hmac.new(secret, message, hashlib.sha256).digest()
