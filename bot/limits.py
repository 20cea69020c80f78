"""How much the bot does at once and how fast it sends: shared by the bot and the floor app."""

from __future__ import annotations

# Enough handler slots that a press is answered at once even while redraws wait for their
# chat's budget; each waiting handler is one small coroutine.
CONCURRENT_UPDATES = 1024

# Telegram allows about one message a second in a private chat, short bursts tolerated (an
# edit counts like a send). Bursts of 2 keep a margin under whatever burst Telegram tolerates.
CHAT_PER_SECOND = 1.0
CHAT_BURST = 2
# About 20 a minute in a group: bursts of 3, then 16 a minute, so no minute holds more than 19.
GROUP_PER_SECOND = 16 / 60
GROUP_BURST = 3
# The ceiling over all chats, for broadcasts only by default (Telegram limits no bot's replies
# over all chats; ~30 a second is its guidance for broadcasts): bursts of 5 refilled at 25 a
# second, so no one-second window holds more than 30.
CEILING_PER_SECOND = 25.0
CEILING_BURST = 5
# A request refused with 429 is retried after its retry_after, this many times at most.
MAX_RETRIES = 5
