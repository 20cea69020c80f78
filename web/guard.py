"""What protects the form: per-form tokens, slowed guessing, and the headers every answer carries."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Final

from aiohttp import web

# Nothing external at all: our own stylesheet and script, and forms posting to ourselves only.
CONTENT_SECURITY_POLICY: Final = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS: Final = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
NO_STORE: Final = "no-store"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Give every answer the policy headers; nothing but the static files may be kept by a cache."""
    response = await handler(request)
    response.headers.update(HEADERS)
    response.headers.setdefault("Cache-Control", NO_STORE)
    return response


class FormTokens:
    """Tokens that prove a form was drawn by us for this slip (CSRF).

    A slip's token is an HMAC under the slip's own key (itself an HMAC under the unit's secret),
    so it survives a restart and dies with the secret at close; it tells nothing of the code.
    The form for typing a code has no slip yet: its token is an HMAC under a secret of this
    process, and the Fetch Metadata check refuses a post another site makes a browser send.
    """

    def __init__(self, process_secret: bytes | None = None) -> None:
        self._process_secret = process_secret or secrets.token_bytes(32)

    @staticmethod
    def for_slip(slip_key: bytes) -> str:
        """Return the token of every form drawn for this slip."""
        return hmac.new(slip_key, b"web-form", hashlib.sha256).hexdigest()

    def for_entry(self) -> str:
        """Return the token of the form for typing a code."""
        return hmac.new(self._process_secret, b"web-entry", hashlib.sha256).hexdigest()

    @staticmethod
    def matches(expected: str, given: str) -> bool:
        """Compare in constant time."""
        return hmac.compare_digest(expected.encode(), given.encode())


def cross_site(request: web.Request) -> bool:
    """Return True for a post that another site made the browser send (where the browser says so)."""
    return request.headers.get("Sec-Fetch-Site", "same-origin") not in {"same-origin", "none"}


class Guesses:
    """Slow down wrong codes, for everyone at once: no address is kept, so none is told apart.

    Each wrong code is answered only after `delay` seconds, and at most `rate` a second (bursts
    of `burst`) are answered at all; beyond that the answer is "too many tries" at once. A right
    code never waits. With 70 random bits a code, this only adds to what the code length does.
    """

    def __init__(
        self,
        *,
        delay: float = 1.0,
        rate: float = 5.0,
        burst: int = 30,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.delay = delay
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(burst)
        self._updated = clock()

    def _take(self) -> bool:
        now = self._clock()
        self._tokens = min(float(self.burst), self._tokens + (now - self._updated) * self.rate)
        self._updated = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True

    async def wrong(self) -> bool:
        """Wait as a wrong code must; return False when too many were tried (answer at once then)."""
        if not self._take():
            return False
        await self._sleep(self.delay)
        return True
