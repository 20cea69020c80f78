"""The application layer: every use case of the bot, free of Telegram and of SQL.

Each use case takes plain inputs (who, which window, which press) and returns an outcome as
data; `bot/` decodes updates into those inputs and draws the outcomes. See ARCHITECTURE.md.
"""
