"""A local Bot API emulator: enough of Telegram for the bot's tests and benchmarks, on loopback."""

from emulator.server import BotApiEmulator
from emulator.world import ApiError, BotMessage

__all__ = ["ApiError", "BotApiEmulator", "BotMessage"]
