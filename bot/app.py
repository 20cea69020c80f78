"""The application factory: one place that wires settings, storage and handlers together."""

from __future__ import annotations

import logging
import sqlite3

from telegram import LinkPreviewOptions, Update
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

from bot.access import Role
from bot.admin import AdminHandlers
from bot.callback_data import (
    BeginSurvey,
    ConfirmFinalise,
    FinaliseScore,
    ScorePress,
    ShowScore,
    SubmitBallot,
    SurveyPress,
    decode,
)
from bot.config import Settings
from bot.flood import PressGate
from bot.leader import LeaderHandlers
from bot.limits import BURST, CONCURRENT_UPDATES, PACE_PER_SECOND
from bot.menus import set_default_menu, set_menu
from bot.participant import ParticipantHandlers
from bot.replies import answer
from bot.scoring import ScoringHandlers
from bot.services import Services
from bot.texts import HELP_ADMIN_SEPARATOR, texts_for
from conversations.annex2 import ANNEX2
from conversations.engine import Survey

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.EDITED_MESSAGE]


class Router:
    """Dispatch button presses and plain commands to the participant or leader handlers."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.admins = AdminHandlers(services)
        self.participants = ParticipantHandlers(services, self.admins.accept_invite)
        self.leaders = LeaderHandlers(services)
        self.scoring = ScoringHandlers(services)
        self.presses = PressGate()

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Route a button press by its decoded callback data; refuse what does not decode."""
        query = update.callback_query
        if query is None:
            return
        user_id = query.from_user.id
        if not self.presses.enter(user_id):
            await answer(query, texts_for(query.from_user.language_code).ANSWER_SLOW_DOWN)
            return
        try:
            action = decode(query.data)
            if action is None:
                await answer(query, texts_for(query.from_user.language_code).ANSWER_UNKNOWN)
            elif isinstance(action, BeginSurvey | SurveyPress | SubmitBallot):
                await self.participants.on_press(query, action)
            elif isinstance(action, ScorePress | FinaliseScore | ShowScore | ConfirmFinalise):
                await self.scoring.on_press(query, action)
            else:
                await self.leaders.on_press(query, action)
        finally:
            self.presses.leave(user_id)

    async def on_help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle /start without a link, and /help."""
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None:
            return
        t = texts_for(user.language_code)
        role = await self.services.access.role(user.id)
        parts = [t.HELP_PARTICIPANT]
        if role >= Role.LEADER:
            parts.append(t.HELP_LEADER)
        if role is Role.ADMIN:
            parts.append(t.HELP_ADMIN)
        await message.reply_text(HELP_ADMIN_SEPARATOR.join(parts))

    async def on_group(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Refuse survey use in groups: answers typed there are not anonymous."""
        message = update.effective_message
        if message is not None:
            user = update.effective_user
            await message.reply_text(texts_for(user.language_code if user else None).GROUP_CHAT)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the failure (never the update: it names a person) and apologise."""
        storage = isinstance(context.error, sqlite3.Error)
        if storage:
            # Disk full, a read-only file, a locked database: say so plainly; nothing was half-written.
            logger.error("The database refused the operation: %s", context.error)
        else:
            logger.error("A handler failed", exc_info=context.error)
        if not isinstance(update, Update):
            return
        user = update.effective_user
        t = texts_for(user.language_code if user else None)
        apology = t.STORAGE_FAILED if storage else t.ERROR_GENERIC
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(apology, show_alert=True)
            elif update.effective_message is not None:
                await update.effective_message.reply_text(apology)
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
        CommandHandler("chart", leaders.on_chart, filters=private),
        CommandHandler("export", leaders.on_export, filters=private),
        CommandHandler("score", router.scoring.on_score, filters=private),
        CommandHandler("report", router.scoring.on_report, filters=private),
        CommandHandler("summary", router.scoring.on_summary, filters=private),
        CommandHandler("invite", router.admins.on_invite, filters=private),
        CommandHandler("leaders", router.admins.on_leaders, filters=private),
        CommandHandler("revoke", router.admins.on_revoke, filters=private),
        CallbackQueryHandler(router.on_callback),
        # Unknown commands and plain text: the text may be the free-text answer.
        MessageHandler(
            private & filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, participants.on_text
        ),
        MessageHandler(private & filters.UpdateType.MESSAGE, participants.on_other),
        MessageHandler(private & filters.UpdateType.EDITED_MESSAGE, participants.on_edited),
    ]
    application.add_handlers(handlers)
    application.add_error_handler(router.on_error)


async def set_command_menus(application: Application, services: Services) -> None:  # type: ignore[type-arg]
    """Show participants their commands, and leaders and admins theirs."""
    bot = application.bot
    await set_default_menu(bot)
    settings = services.settings
    invited = {leader.user_id for leader in await services.repository.leaders()}
    for user_id in sorted(settings.survey_leaders | invited - settings.survey_admins):
        await set_menu(bot, user_id, Role.LEADER)
    for user_id in sorted(settings.survey_admins):
        await set_menu(bot, user_id, Role.ADMIN)


def build_application(settings: Settings) -> Application:  # type: ignore[type-arg]
    """Build the bot: storage opened on start, closed on stop, handlers registered."""
    return build(settings)[0]


def build(settings: Settings) -> tuple[Application, Services]:  # type: ignore[type-arg]
    """Build the bot and return it with its services (tests look into the repository)."""
    services = Services.create(settings, Survey(ANNEX2))
    router = Router(services)

    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        await services.repository.open()
        services.live.attach(application.bot, router.leaders.tally_screen)
        await set_command_menus(application, services)
        logger.info("The bot is running as @%s", application.bot.username)

    async def post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
        await services.live.stop()
        await services.repository.close()

    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_base_url)
        .defaults(
            Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
        )
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    # The rate limiter queues sends and edits within Telegram's flood limits and retries 429s.
    # Bursts of 5 refilled at 25 a second, so no one-second window holds more than 30: the
    # library's default bucket of 30 a second lets a burst of 30 follow a second of 30, which a
    # strict 30-per-second budget answers with 429s.
    limiter = AIORateLimiter(
        overall_max_rate=BURST, overall_time_period=BURST / PACE_PER_SECOND, max_retries=5
    )
    application: Application = (  # type: ignore[type-arg]
        builder.rate_limiter(limiter).build() if settings.survey_rate_limiter else builder.build()
    )
    register_handlers(application, router)
    return application, services
