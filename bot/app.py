"""The application factory: one place that wires settings, storage and handlers together."""

from __future__ import annotations

import logging

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot import texts
from bot.callback_data import BeginSurvey, SubmitBallot, SurveyPress, decode
from bot.config import Settings
from bot.leader import LeaderHandlers
from bot.participant import ParticipantHandlers
from bot.replies import answer
from bot.services import Services, load_secret
from conversations.annex2 import ANNEX2
from conversations.engine import Survey
from storage.repository import Repository

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.EDITED_MESSAGE]


class Router:
    """Dispatch button presses and plain commands to the participant or leader handlers."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.participants = ParticipantHandlers(services)
        self.leaders = LeaderHandlers(services)

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Route a button press by its decoded callback data; refuse what does not decode."""
        query = update.callback_query
        if query is None:
            return
        action = decode(query.data)
        if action is None:
            await answer(query, texts.ANSWER_UNKNOWN)
        elif isinstance(action, BeginSurvey | SurveyPress | SubmitBallot):
            await self.participants.on_press(query, action)
        else:
            await self.leaders.on_press(query, action)

    async def on_help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle /start without a link, and /help."""
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None:
            return
        text = texts.HELP_PARTICIPANT
        if self.services.is_leader(user.id):
            text += "\n\n" + texts.HELP_LEADER
        await message.reply_text(text)

    async def on_group(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Refuse survey use in groups: answers typed there are not anonymous."""
        message = update.effective_message
        if message is not None:
            await message.reply_text(texts.GROUP_CHAT)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the failure (never the update: it names a person) and apologise."""
        logger.error("A handler failed", exc_info=context.error)
        if not isinstance(update, Update):
            return
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(texts.ERROR_GENERIC, show_alert=True)
            elif update.effective_message is not None:
                await update.effective_message.reply_text(texts.ERROR_GENERIC)
        except TelegramError:
            logger.warning("Could not tell the user about the failure")


def register_handlers(application: Application, router: Router) -> None:  # type: ignore[type-arg]
    """Register every handler; order matters, so it is written down here once."""
    private = filters.ChatType.PRIVATE
    participants = router.participants
    leaders = router.leaders
    handlers = [
        # Groups first: nothing of the survey happens where others can read along.
        MessageHandler(filters.ChatType.GROUPS & filters.COMMAND, router.on_group),
        # /start with a payload (the deep link) before the plain /start.
        CommandHandler("start", participants.on_link, filters=private, has_args=True),
        CommandHandler(["start", "help"], router.on_help, filters=private),
        CommandHandler("cancel", participants.on_cancel, filters=private),
        CommandHandler("open", leaders.on_open, filters=private),
        CommandHandler("tally", leaders.on_tally, filters=private),
        CommandHandler("close", leaders.on_close, filters=private),
        CommandHandler("units", leaders.on_units, filters=private),
        CallbackQueryHandler(router.on_callback),
        # Unknown commands and plain text: the text may be the free-text answer.
        MessageHandler(
            private & filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, participants.on_text
        ),
        MessageHandler(private & filters.UpdateType.MESSAGE, participants.on_other),
    ]
    application.add_handlers(handlers)
    application.add_error_handler(router.on_error)


async def set_command_menus(application: Application, services: Services) -> None:  # type: ignore[type-arg]
    """Show participants their commands, and leaders theirs."""
    bot = application.bot
    participant = [BotCommand(c, d) for c, d in texts.COMMANDS_PARTICIPANT.items()]
    leader = [BotCommand(c, d) for c, d in texts.COMMANDS_LEADER.items()]
    await bot.set_my_commands(participant, scope=BotCommandScopeDefault())
    for leader_id in sorted(services.settings.survey_leaders):
        try:
            await bot.set_my_commands(leader, scope=BotCommandScopeChat(leader_id))
        except TelegramError as error:
            # A leader who has never opened the bot has no chat yet.
            logger.warning("Could not set a leader's command menu: %s", error)


def build_application(settings: Settings, *, rate_limiter: bool = True) -> Application:  # type: ignore[type-arg]
    """Build the bot: storage opened on start, closed on stop, handlers registered."""
    services = Services(
        settings=settings,
        repository=Repository(settings.survey_db),
        survey=Survey(ANNEX2),
        secret=load_secret(settings),
    )

    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        await services.repository.open()
        await set_command_menus(application, services)
        logger.info("The bot is running as @%s", application.bot.username)

    async def post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
        await services.repository.close()

    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_base_url)
        .defaults(
            Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
        )
        .concurrent_updates(True)  # noqa: FBT003 - the builder's own API
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    # The rate limiter queues sends and edits within Telegram's flood limits and retries 429s.
    application: Application = (  # type: ignore[type-arg]
        builder.rate_limiter(AIORateLimiter(max_retries=3)).build() if rate_limiter else builder.build()
    )
    register_handlers(application, Router(services))
    return application
