"""The application factory: one place that wires settings, storage and handlers together."""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.admin import AdminHandlers
from bot.callback_data import (
    AskClose,
    AskRevoke,
    BeginPaper,
    BeginSurvey,
    CancelClose,
    ConfirmClose,
    ConfirmFinalise,
    ConfirmRevoke,
    ConfirmSections,
    CountPaper,
    ExplainCombined,
    FinaliseScore,
    FinaliseSections,
    InviteKeyer,
    KeepLeader,
    MoreSlips,
    NoteDone,
    NoteItem,
    OpenRound,
    PaperPress,
    PrintSlips,
    ReopenSections,
    ScorePress,
    SendChart,
    SendExport,
    SendGroupReport,
    SendPaperForm,
    SendReport,
    ShowPaper,
    ShowPaperCounts,
    ShowScore,
    ShowSlips,
    ShowTally,
    SkipSection,
    StartScore,
    StartWriting,
    SubmitBallot,
    SubmitPaper,
    SurveyPress,
    WaitKeying,
    WriteConclusions,
    WriteSection,
)
from bot.config import Settings
from bot.door import Door, MessageCallback, Presses
from bot.flood import PressGate
from bot.general import error_handler, on_group, on_help
from bot.inbox import InboxHandlers
from bot.keying import PaperHandlers
from bot.leader import LeaderHandlers
from bot.limits import CEILING_BURST, CEILING_PER_SECOND, CHAT_BURST, CHAT_PER_SECOND, CONCURRENT_UPDATES
from bot.live import LiveTallies
from bot.menus import set_default_menu, set_menu
from bot.network import Connectivity, WatchedRequest
from bot.notes import GroupReportHandlers, NoteHandlers
from bot.officials import OfficialHandlers
from bot.pacing import ChatPacer, Limits, Pace
from bot.participant import ParticipantHandlers
from bot.picker import UnitPicker
from bot.scoring import ScoringHandlers
from bot.services import Services
from bot.slips import SlipHandlers
from bot.transport import AiohttpRequest
from conversations.annex2 import ANNEX2
from conversations.engine import Survey
from conversations.slips import SLIP_LINK
from usecases.access import Access, Role
from usecases.keying import KEYER_LINK
from web.server import WebServer

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.EDITED_MESSAGE]
BOT_POOL = 256  # connections for sends, edits and answers: python-telegram-bot's default


@dataclass(frozen=True, slots=True)
class Handlers:
    """Every handler object of the bot, built once from the services."""

    participants: ParticipantHandlers
    paper: PaperHandlers
    leaders: LeaderHandlers
    scoring: ScoringHandlers
    admins: AdminHandlers
    officials: OfficialHandlers
    notes: NoteHandlers
    inbox: InboxHandlers
    groups: GroupReportHandlers
    slips: SlipHandlers

    @classmethod
    def create(cls, services: Services, live: LiveTallies) -> Handlers:
        """Build the handlers, each on the use cases it calls."""
        s, zone = services, services.settings.survey_tz
        picker = UnitPicker(s.units, s.registration, zone)
        scoring = ScoringHandlers(
            scoring=s.scoring, notes=s.notes, papers=s.papers, console=s.console, picker=picker, zone=zone
        )
        notes = NoteHandlers(s.notes, scoring)
        web = s.slip_printing.web_url is not None  # slips carry the web form's address
        return cls(
            participants=ParticipantHandlers(s.participation, s.roles, s.survey),
            paper=PaperHandlers(s.paper, s.survey, s.papers, picker),
            leaders=LeaderHandlers(
                console=s.console,
                results=s.results,
                units=s.units,
                papers=s.papers,
                registration=s.registration,
                live=live,
                picker=picker,
                zone=zone,
                web=web,
            ),
            scoring=scoring,
            admins=AdminHandlers(s.roles, zone),
            officials=OfficialHandlers(s.registration),
            notes=notes,
            inbox=InboxHandlers(s.inbox, s.slip_door, s.survey, notes),
            groups=GroupReportHandlers(s.papers),
            slips=SlipHandlers(s.console, s.slip_printing),
        )


def press_routes(handlers: Handlers, presses: Presses) -> None:
    """Route every kind of button to its handler, with the role it needs (each kind once)."""
    participants, leaders, scoring = handlers.participants, handlers.leaders, handlers.scoring
    presses.route(BeginSurvey, Role.PARTICIPANT, participants.on_begin)
    presses.route(SurveyPress, Role.PARTICIPANT, participants.on_press)
    presses.route(SubmitBallot, Role.PARTICIPANT, participants.on_submit)
    paper = handlers.paper  # whether the caller may key a unit in is the use case's to say
    presses.route(ShowPaper, Role.PARTICIPANT, paper.on_show)
    presses.route(SendPaperForm, Role.PARTICIPANT, paper.on_form)
    presses.route(BeginPaper, Role.PARTICIPANT, paper.on_begin)
    presses.route(PaperPress, Role.PARTICIPANT, paper.on_press)
    presses.route(SubmitPaper, Role.PARTICIPANT, paper.on_submit)
    presses.route(InviteKeyer, Role.LEADER, paper.on_invite)
    presses.route(ShowPaperCounts, Role.PARTICIPANT, paper.on_counts)
    presses.route(CountPaper, Role.PARTICIPANT, paper.on_count)
    presses.route(ShowSlips, Role.LEADER, handlers.slips.on_show)
    presses.route(MoreSlips, Role.LEADER, handlers.slips.on_more)
    presses.route(PrintSlips, Role.LEADER, handlers.slips.on_print)
    presses.route(ShowTally, Role.LEADER, leaders.on_refresh)
    presses.route(OpenRound, Role.LEADER, leaders.on_open_round)
    presses.route(WaitKeying, Role.LEADER, leaders.on_wait_keying)
    presses.route(AskClose, Role.LEADER, leaders.on_ask_close)
    presses.route(CancelClose, Role.LEADER, leaders.on_keep_open)
    presses.route(ConfirmClose, Role.LEADER, leaders.on_confirm_close)
    presses.route(ExplainCombined, Role.LEADER, leaders.on_explain_combined)
    presses.route(SendChart, Role.LEADER, leaders.on_send)
    presses.route(SendExport, Role.LEADER, leaders.on_send)
    presses.route(ScorePress, Role.LEADER, scoring.on_award)
    presses.route(ShowScore, Role.LEADER, scoring.on_show)
    presses.route(FinaliseScore, Role.LEADER, scoring.on_finalise)
    presses.route(ConfirmFinalise, Role.LEADER, scoring.on_confirm)
    notes = handlers.notes
    presses.route(NoteItem, Role.LEADER, notes.on_note_item)
    presses.route(NoteDone, Role.LEADER, notes.on_note_done)
    presses.route(WriteSection, Role.LEADER, notes.on_write_section)
    presses.route(SkipSection, Role.LEADER, notes.on_skip_section)
    presses.route(FinaliseSections, Role.LEADER, notes.on_finalise_sections)
    presses.route(ConfirmSections, Role.LEADER, notes.on_confirm_sections)
    presses.route(ReopenSections, Role.LEADER, notes.on_reopen_sections)
    presses.route(WriteConclusions, Role.LEADER, notes.on_write_conclusions)
    presses.route(StartWriting, Role.LEADER, notes.on_start_writing)
    presses.route(StartScore, Role.LEADER, scoring.on_start_score)
    presses.route(SendReport, Role.LEADER, scoring.on_send_report)
    presses.route(SendGroupReport, Role.LEADER, handlers.groups.on_send)
    admins = handlers.admins
    presses.route(AskRevoke, Role.ADMIN, admins.on_ask_revoke)
    presses.route(ConfirmRevoke, Role.ADMIN, admins.on_confirm_revoke)
    presses.route(KeepLeader, Role.ADMIN, admins.on_keep_leader)
    presses.check_complete()


def register_handlers(application: Application, services: Services, handlers: Handlers) -> None:  # type: ignore[type-arg]
    """Register every handler with the role it needs; order matters, so it is written down here once."""
    door = Door(services.access)
    presses = Presses(door, PressGate())
    press_routes(handlers, presses)
    participants, leaders, scoring, admins = (
        handlers.participants,
        handlers.leaders,
        handlers.scoring,
        handlers.admins,
    )
    private = filters.ChatType.PRIVATE
    message = private & filters.UpdateType.MESSAGE
    everyone, leader, admin = Role.PARTICIPANT, Role.LEADER, Role.ADMIN

    def command(
        names: str | list[str], role: Role, handler: MessageCallback, *, has_args: bool | None = None
    ) -> CommandHandler[Any, None]:
        return CommandHandler(names, door.admit(role, handler), filters=private, has_args=has_args)

    def link(prefix: str, handler: MessageCallback) -> CommandHandler[Any, None]:
        """Route a deep link (/start <payload>) whose payload starts with `prefix`."""
        starts = filters.Regex(rf"^/start(@\w+)? {re.escape(prefix)}")
        return CommandHandler("start", door.admit(everyone, handler), filters=private & starts, has_args=True)

    application.add_handlers(
        [
            # Groups first: nothing of the survey happens where others can read along.
            MessageHandler(filters.ChatType.GROUPS & filters.COMMAND, on_group),
            # Deep links, told apart by their payload's prefix, before the plain /start.
            link(KEYER_LINK, handlers.paper.on_join),
            link(SLIP_LINK, handlers.inbox.on_slip_link),
            command("start", everyone, participants.on_link, has_args=True),  # a unit's link, or an invite
            command(["start", "help"], everyone, on_help),
            command("cancel", everyone, participants.on_cancel),
            command("open", leader, leaders.on_open),
            command("tally", leader, leaders.on_tally),
            command("close", leader, leaders.on_close),
            command("units", leader, leaders.on_units),
            command("chart", leader, leaders.on_chart),
            command("export", leader, leaders.on_export),
            command("score", leader, scoring.on_score),
            command("report", leader, scoring.on_report),
            command("summary", admin, scoring.on_summary),
            command("write", leader, handlers.notes.on_write),
            command("groupreport", leader, handlers.groups.on_groupreport),
            command("me", leader, handlers.officials.on_me),
            command("paper", everyone, handlers.paper.on_paper),  # invited members key too
            command("invite", admin, admins.on_invite),
            command("leaders", admin, admins.on_leaders),
            command("revoke", admin, admins.on_revoke),
            CallbackQueryHandler(presses.on_press),
            # Plain text and photos: one inbox decides what each is for (usecases/inbox.py).
            MessageHandler(
                message & filters.TEXT & ~filters.COMMAND, door.admit(everyone, handlers.inbox.on_text)
            ),
            MessageHandler(message & filters.PHOTO, door.admit(everyone, handlers.inbox.on_photo)),
            MessageHandler(message, door.admit(everyone, participants.on_other)),
            MessageHandler(
                private & filters.UpdateType.EDITED_MESSAGE, door.admit(everyone, participants.on_edited)
            ),
        ]
    )


async def set_command_menus(application: Application, access: Access) -> None:  # type: ignore[type-arg]
    """Show participants their commands, and leaders and admins theirs."""
    bot = application.bot
    await set_default_menu(bot)
    for role, holders in (await access.holders()).items():
        for user_id in holders:
            await set_menu(bot, user_id, role)


def api_builder(settings: Settings, connectivity: Connectivity | None = None) -> ApplicationBuilder:  # type: ignore[type-arg]
    """Return a builder set for the Bot API: the token, the base URL, the transport and the proxy.

    Both pools (sends and edits, and getUpdates) tell `connectivity` whether each request reached
    the Bot API, so that a lost network is logged once (bot/network.py).
    """
    builder = ApplicationBuilder().token(settings.telegram_bot_token.get_secret_value())
    builder = builder.base_url(settings.telegram_base_url).base_file_url(settings.telegram_file_url)
    proxy = settings.proxy_url
    sends: BaseRequest
    updates: BaseRequest
    if settings.telegram_transport == "aiohttp":
        # Two sessions, as python-telegram-bot keeps two pools: sends and edits, and getUpdates.
        sends = AiohttpRequest(connection_pool_size=BOT_POOL, proxy=proxy)
        updates = AiohttpRequest(connection_pool_size=1, proxy=proxy)
    else:
        sends = HTTPXRequest(connection_pool_size=BOT_POOL, proxy=proxy)
        updates = HTTPXRequest(connection_pool_size=1, proxy=proxy)
    if connectivity is not None:
        sends, updates = WatchedRequest(sends, connectivity), WatchedRequest(updates, connectivity)
    return builder.request(sends).get_updates_request(updates)


# Telegram's limits (bot/limits.py): per private chat, and a ceiling over all chats for broadcasts.
TELEGRAM_LIMITS = Limits(
    private=Pace(CHAT_PER_SECOND, CHAT_BURST), ceiling=Pace(CEILING_PER_SECOND, CEILING_BURST)
)


def web_server(settings: Settings, services: Services) -> WebServer | None:
    """Return the browser form's server when SURVEY_WEB_URL is set (started with the bot, stopped with it)."""
    address = settings.web
    if address is None:
        return None
    return WebServer(address, services.slip_door, services.participation, services.survey)


def build_application(settings: Settings) -> Application:  # type: ignore[type-arg]
    """Build the bot: storage opened on start, closed on stop, handlers registered."""
    return build(settings)[0]


def build(settings: Settings, limits: Limits = TELEGRAM_LIMITS) -> tuple[Application, Services]:  # type: ignore[type-arg]
    """Build the bot and return it with its services (tests look into the repository).

    Sends and edits are paced to Telegram's `limits` unless SURVEY_RATE_LIMITER is off; tests
    pass a quicker pace, the only reason to pass any.
    """
    services = Services.create(settings, Survey(ANNEX2))
    connectivity = Connectivity()
    live: LiveTallies | None = None
    web = web_server(settings, services)

    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        await services.repository.open()
        if web is not None:
            await web.start()  # on this event loop, beside the bot: the same use cases and locks
        await set_command_menus(application, services.access)
        logger.info("The bot is running as @%s", application.bot.username)

    async def post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
        if web is not None:
            await web.stop()  # the requests in hand finish before the database closes
        if live is not None:
            await live.stop()
        await services.repository.close()

    builder = (
        api_builder(settings, connectivity)
        .defaults(
            Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
        )
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    # Sends and edits are paced per chat, 429s retried per chat (see bot/pacing.py).
    application: Application = (  # type: ignore[type-arg]
        builder.rate_limiter(ChatPacer(limits)).build() if settings.survey_rate_limiter else builder.build()
    )
    live = LiveTallies(
        application.bot,
        boards=services.live,
        zone=settings.survey_tz,
        interval=settings.survey_live_interval,
    )
    live.listen(services.events)
    register_handlers(application, services, Handlers.create(services, live))
    application.add_error_handler(error_handler(storage_errors=(sqlite3.Error,), connectivity=connectivity))
    return application, services
