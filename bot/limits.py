"""How much the bot does at once: shared by the bot and the framework-floor benchmark app."""

from __future__ import annotations

PACE_PER_SECOND = 25  # sends and edits per second over all chats, under Telegram's ~30
BURST = 5  # at most this many at once: no one-second window can hold more than 30
# Enough handler slots that a press is answered at once even while redraws queue behind the
# rate limiter (a 500-person burst); each waiting handler is one small coroutine.
CONCURRENT_UPDATES = 1024
