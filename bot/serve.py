"""Run the built application: poll Telegram, or serve a webhook; log lines for a terminal or journald."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Callable
from typing import TypedDict

from telegram.error import TelegramError
from telegram.ext import Application
from tornado.web import HTTPError

from bot.app import ALLOWED_UPDATES
from bot.config import Settings, Webhook
from bot.network import WebhookWatch

logger = logging.getLogger(__name__)
_FORBIDDEN = 403
# python-telegram-bot notes a refused webhook request only at DEBUG, under this logger's name.
_WEBHOOK_LOGGER = "telegram.ext.Updater"
# ... and its network retry loop logs an aborted start-up (getMe, setWebhook) with a traceback here.
_RETRY_LOGGER = "telegram.ext"


class WebhookOptions(TypedDict):
    """The arguments of `Updater.start_webhook` / `Application.run_webhook` that this bot sets."""

    listen: str
    port: int
    url_path: str
    webhook_url: str
    secret_token: str
    allowed_updates: list[str]


def webhook_options(webhook: Webhook) -> WebhookOptions:
    """Return how to serve this webhook: every request must carry the secret token."""
    return WebhookOptions(
        listen=webhook.listen,
        port=webhook.port,
        url_path=webhook.path,
        webhook_url=webhook.url,
        secret_token=webhook.secret,
        allowed_updates=ALLOWED_UPDATES,
    )


def serve(application: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    """Poll, or serve the webhook, until SIGTERM or SIGINT; then finish in-flight work and stop."""
    asyncio.run(_serve(application, settings.webhook))


async def _serve(application: Application, webhook: Webhook | None) -> None:  # type: ignore[type-arg]
    """Start, wait for a stop signal, stop: the steps of `run_polling` / `run_webhook`, in order.

    A stop signal only sets an event, so one that comes while the bot is still starting lets the
    start finish and then stops it cleanly. (The library's own handler raises SystemExit inside
    whichever step is running; inside post_init that left the database open and the process
    hanging, or ended in "Event loop stopped before Future completed".)
    """
    stop = asyncio.Event()
    watching: asyncio.Task[None] | None = None
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    updater = application.updater
    if updater is None:
        msg = "the application was built without an updater"
        raise RuntimeError(msg)
    try:
        await application.initialize()
    except BaseException:
        await application.bot.shutdown()  # the connections opened before getMe failed
        raise
    try:
        if application.post_init:
            await application.post_init(application)
        if webhook is None:
            await updater.start_polling(
                allowed_updates=ALLOWED_UPDATES, error_callback=_error_callback(application)
            )
        else:
            log_refused_webhook_requests()
            logger.info("Serving the webhook %s on %s:%d", webhook.url, webhook.listen, webhook.port)
            await updater.start_webhook(**webhook_options(webhook))
            watching = asyncio.create_task(WebhookWatch(application.bot, webhook.check).run())
        await application.start()
        await stop.wait()
        logger.info("Stopping: finishing the work in hand")
    finally:
        if watching is not None:
            watching.cancel()
        if updater.running:
            await updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)


def _error_callback(application: Application) -> Callable[[TelegramError], None]:  # type: ignore[type-arg]
    """Return where an error fetching updates goes: the application's error handler, as run_polling does."""

    def report(error: TelegramError) -> None:
        application.create_task(application.process_error(update=None, error=error))

    return report


class RefusedRequests(logging.Filter):
    """Turn the library's debug note of a refused webhook request into one warning, without its body."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep INFO and above; rewrite a 403 refusal as a warning; drop the other debug lines."""
        if record.levelno >= logging.INFO:
            return True
        error = record.exc_info[1] if record.exc_info else None
        if not (isinstance(error, HTTPError) and error.status_code == _FORBIDDEN):
            return False  # e.g. "Webhook received data: <body>" — never logged
        remote = record.args[0] if isinstance(record.args, tuple) and record.args else "?"
        record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        record.msg = "Refused a webhook request from %s: %s (its body is not logged)"
        record.args = (remote, error.reason or "forbidden")
        record.exc_info, record.exc_text = None, None
        return True


def log_refused_webhook_requests() -> None:
    """Log each webhook request refused for a missing or wrong secret token, once, as a warning."""
    updater_log = logging.getLogger(_WEBHOOK_LOGGER)
    if not any(isinstance(f, RefusedRequests) for f in updater_log.filters):
        updater_log.addFilter(RefusedRequests())
    updater_log.setLevel(logging.DEBUG)  # so the refusal is recorded at all; the filter drops the rest


class ExplainedFailures(logging.Filter):
    """Keep a start-up failure the bot explains itself (bad token, no network) to one log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Drop the traceback of the library's last, aborting try; the bot prints what to do."""
        if "Aborting" in str(record.msg):
            record.exc_info, record.exc_text = None, None
        return True


def configure_logging() -> None:
    """Log to stderr, without timestamps under systemd (journald adds its own).

    httpx stays quiet, since at INFO it logs request URLs with the token.
    """
    under_journald = "JOURNAL_STREAM" in os.environ
    layout = "%(levelname)s %(name)s: %(message)s"
    logging.basicConfig(format=layout if under_journald else "%(asctime)s " + layout, level=logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger(_RETRY_LOGGER).addFilter(ExplainedFailures())
