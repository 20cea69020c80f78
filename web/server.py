"""The browser form's web server: aiohttp on the bot's own event loop, started and stopped with the bot."""

from __future__ import annotations

import logging
from typing import Final

from aiohttp import web
from aiohttp.typedefs import Middleware

from conversations.engine import Survey
from usecases.participation import Participation
from usecases.slips import SlipDoor
from web import texts
from web.address import WebAddress
from web.form import SlipForm
from web.guard import FormTokens, Guesses, Handler, security_headers
from web.pages import Asset, Pages

logger = logging.getLogger(__name__)

HEALTH: Final = "survey-web-form ok"
# A form post is a few fields and a suggestion of at most 1,000 characters (9 kB percent-encoded).
MAX_POST: Final = 64 * 1024
SHUTDOWN_SECONDS: Final = 5.0
_STATIC_AGE: Final = "public, max-age=86400"  # its name changes with its content (?v=)


class CannotListen(Exception):
    """The form's address and port cannot be listened on (taken, or not this machine's)."""

    def __init__(self, listen: str, port: int, reason: str) -> None:
        self.listen = listen
        self.port = port
        self.reason = reason
        super().__init__(f"cannot listen on {listen}:{port}: {reason}")


def _errors(pages: Pages) -> Middleware:
    @web.middleware
    async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
        """Draw unknown pages and failures ourselves; log a failure without its path, form or cookie."""
        try:
            return await handler(request)
        except web.HTTPException as error:
            if error.status < 400:  # noqa: PLR2004 - redirects pass as they are
                raise
            body = pages.render(
                "message.html",
                kind="stop",
                title=texts.NOT_FOUND_TITLE,
                lines=(texts.NOT_FOUND,),
                unit=None,
                start=True,
            )
            return web.Response(text=body, status=error.status, content_type="text/html", charset="utf-8")
        except Exception:
            logger.exception("The web form failed to answer a request")
            body = pages.render(
                "message.html",
                kind="stop",
                title=texts.FAILED_TITLE,
                lines=(texts.FAILED,),
                unit=None,
                start=False,
            )
            return web.Response(text=body, status=500, content_type="text/html", charset="utf-8")

    return errors


def _static(asset: Asset) -> Handler:
    async def serve(request: web.Request) -> web.StreamResponse:
        return web.Response(
            body=asset.body, content_type=asset.content_type, headers={"Cache-Control": _STATIC_AGE}
        )

    return serve


async def _health(request: web.Request) -> web.StreamResponse:
    return web.Response(text=HEALTH)


def health_check(base: str, answer: str) -> web.Application:
    """Return an application that only answers `<base>healthz` with `answer` (for `python -m bot check`)."""

    async def healthz(request: web.Request) -> web.StreamResponse:
        return web.Response(text=answer)

    app = web.Application()
    app.add_routes([web.get(f"{base}healthz", healthz)])
    return app


def application(form: SlipForm) -> web.Application:
    """Return the aiohttp application of the form: its pages, static files and a health check."""
    pages = form.pages
    app = web.Application(middlewares=[security_headers, _errors(pages)], client_max_size=MAX_POST)
    app.add_routes(form.routes())
    app.add_routes(
        [
            web.get(f"{pages.base}static/form.css", _static(pages.css)),
            web.get(f"{pages.base}static/form.js", _static(pages.js)),
            web.get(f"{pages.base}healthz", _health),
        ]
    )
    return app


class WebServer:
    """The form served on the bot's event loop: `start` after the database opens, `stop` before it closes."""

    def __init__(
        self,
        address: WebAddress,
        door: SlipDoor,
        participation: Participation,
        survey: Survey,
        *,
        guesses: Guesses | None = None,
    ) -> None:
        self.address = address
        pages = Pages(address.base)
        self.form = SlipForm(
            door, participation, survey, pages, secure=address.secure, tokens=FormTokens(), guesses=guesses
        )
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Listen; raise CannotListen if the address or port cannot be had."""
        # access_log=None: no line per request (paths carry codes, and no address is to be kept).
        runner = web.AppRunner(
            application(self.form), access_log=None, handle_signals=False, shutdown_timeout=SHUTDOWN_SECONDS
        )
        await runner.setup()
        site = web.TCPSite(runner, self.address.listen, self.address.port)
        try:
            await site.start()
        except OSError as error:
            await runner.cleanup()
            raise CannotListen(self.address.listen, self.address.port, error.strerror or str(error)) from None
        self._runner = runner
        logger.info(
            "Serving the web form at %s (listening on %s:%d)",
            self.address.url,
            self.address.listen,
            self.address.port,
        )

    @property
    def port(self) -> int:
        """Return the port listened on (the one asked for, or the one the system chose for port 0)."""
        runner = self._runner
        if runner is None or not runner.addresses:
            return self.address.port
        return int(runner.addresses[0][1])

    async def stop(self) -> None:
        """Finish the requests in hand and stop listening."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
