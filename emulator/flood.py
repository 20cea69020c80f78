"""Telegram's flood control as the emulator enforces it: per chat, with real 429s.

What Telegram's Bot API maintainers describe (tdlib/telegram-bot-api#648, tdlib/td#2592 and
tdlib/td#3034): about one message per second in a chat, short bursts tolerated; about 20 per
minute in a group; editing counts like sending; `answerCallbackQuery` is not limited; and no
global limit on what a bot sends in reply to its users (~30 a second is guidance for
broadcasts). Beyond a limit Telegram answers 429 with `retry_after`, in whole seconds.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

from emulator.world import ApiError

GROUP_WINDOW = 60.0
OVERALL_WINDOW = 1.0


@dataclass(frozen=True)
class FloodRules:
    """The limits enforced; `overall_per_second` is off unless a benchmark asks for it."""

    per_chat: bool = True
    chat_per_second: float = 1.0
    chat_burst: int = 3
    group_per_minute: int = 20
    overall_per_second: int | None = None


@dataclass
class _Bucket:
    """A private chat's allowance: `burst` tokens, refilled at the chat's rate."""

    tokens: float
    at: float


@dataclass
class FloodControl:
    """Admit or refuse each send or edit by its chat, as Telegram's flood control does."""

    rules: FloodRules = field(default_factory=FloodRules)
    _chats: dict[int, _Bucket] = field(default_factory=dict)
    _groups: dict[int, deque[float]] = field(default_factory=dict)
    _overall: deque[float] = field(default_factory=deque)

    def admit(self, chat_id: int, now: float) -> None:
        """Count one send or edit in this chat at `now`, or raise a 429 (nothing counted)."""
        private, group = self.rules.per_chat and chat_id > 0, self.rules.per_chat and chat_id < 0
        wait = self._overall_wait(now)
        if private:
            wait = max(wait, self._chat_wait(chat_id, now))
        elif group:
            wait = max(wait, self._group_wait(chat_id, now))
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)
        if private:
            self._chats[chat_id].tokens -= 1
        elif group:
            self._groups.setdefault(chat_id, deque()).append(now)
        if self.rules.overall_per_second:
            self._overall.append(now)

    def _chat_wait(self, chat_id: int, now: float) -> float:
        rate, burst = self.rules.chat_per_second, self.rules.chat_burst
        bucket = self._chats.setdefault(chat_id, _Bucket(float(burst), now))
        bucket.tokens = min(float(burst), bucket.tokens + (now - bucket.at) * rate)
        bucket.at = now
        return 0.0 if bucket.tokens >= 1 else (1 - bucket.tokens) / rate

    def _group_wait(self, chat_id: int, now: float) -> float:
        return _window_wait(self._groups.get(chat_id), self.rules.group_per_minute, GROUP_WINDOW, now)

    def _overall_wait(self, now: float) -> float:
        if not self.rules.overall_per_second:
            return 0.0
        return _window_wait(self._overall, self.rules.overall_per_second, OVERALL_WINDOW, now)


def _window_wait(times: deque[float] | None, limit: int, window: float, now: float) -> float:
    """Return how long until a sliding window holding `times` admits one more."""
    if times is None:
        return 0.0
    while times and now - times[0] >= window:
        times.popleft()
    return 0.0 if len(times) < limit else window - (now - times[0])
