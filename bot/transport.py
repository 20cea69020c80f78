"""The bot's HTTP transport: python-telegram-bot's `BaseRequest` on aiohttp.

python-telegram-bot ships one transport, on httpx; at a press's two requests its connection
pool and anyio layers cost about as much CPU as everything else the bot does (BENCHMARKS.md).
This one sends the same requests (form-encoded parameters, multipart for uploads) through one
aiohttp session and keeps the library's contract:

- timeouts: `pool` bounds the wait for one of the pool's connections (a semaphore in front of
  aiohttp's pool: a request that times out there was never sent), `connect` opening a
  connection, `read` each wait for the response; aiohttp has no write timeout of its own, so
  `write` bounds the whole request together with the others (total = connect + write + read).
  Uploads use `media_write_timeout`.
- errors: a timeout is `TimedOut`, anything else the network does is `NetworkError` (the
  proxy's own errors included); the status code, `retry_after`, 5xx and a body that is not
  JSON are left to `BaseRequest`, which maps them as it does for httpx.
- proxies: `http://` and `https://` through aiohttp itself, `socks5://` (names resolved here)
  and `socks5h://` (names resolved by the proxy) through aiohttp-socks; credentials in the URL.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import aiohttp
import aiohttp_socks
import certifi
from aiohttp.payload import BytesPayload
from python_socks import ProxyType
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput, UploadFileDict
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

_FORM = "application/x-www-form-urlencoded"
_SOCKS = {"socks5": False, "socks5h": True}  # scheme → whether the proxy resolves names


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds for each phase of a request; None waits for ever."""

    connect: float | None = 5.0
    read: float | None = 5.0
    write: float | None = 5.0
    pool: float | None = 1.0

    def client_timeout(self) -> aiohttp.ClientTimeout:
        """Return aiohttp's form of these timeouts (see the module's note)."""
        phases = (self.connect, self.write, self.read)
        total = None if None in phases else sum(p for p in phases if p is not None)
        return aiohttp.ClientTimeout(
            total=total, connect=self.connect, sock_connect=self.connect, sock_read=self.read
        )


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` on one aiohttp session, opened by `initialize` and closed by `shutdown`."""

    __slots__ = (
        "_defaults",
        "_free",
        "_media_write_timeout",
        "_pool_size",
        "_proxy",
        "_session",
        "_timeouts",
    )

    def __init__(
        self,
        *,
        connection_pool_size: int = 256,
        timeouts: Timeouts | None = None,
        media_write_timeout: float | None = 20.0,
        proxy: str | None = None,
    ) -> None:
        if proxy is not None and urlsplit(proxy).scheme not in {"http", "https", *_SOCKS}:
            msg = f"unsupported proxy scheme: {urlsplit(proxy).scheme!r}"
            raise ValueError(msg)
        self._pool_size = connection_pool_size
        self._free = asyncio.Semaphore(connection_pool_size)  # the pool's connections not in use
        self._defaults = timeouts or Timeouts()
        self._media_write_timeout = media_write_timeout
        self._proxy = proxy
        self._session: aiohttp.ClientSession | None = None
        # The aiohttp form of each set of timeouts asked for: almost always the defaults.
        self._timeouts: dict[Timeouts, aiohttp.ClientTimeout] = {}

    @property
    def read_timeout(self) -> float | None:
        """Return the default read timeout (getUpdates adds its long-poll timeout to it)."""
        return self._defaults.read

    async def initialize(self) -> None:
        """Open the session and its connection pool (on the running event loop)."""
        if self._session is None or self._session.closed:
            self._free = asyncio.Semaphore(self._pool_size)
            self._session = self._open_session()

    async def shutdown(self) -> None:
        """Close the session and every pooled connection."""
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    def _open_session(self) -> aiohttp.ClientSession:
        tls = ssl.create_default_context(cafile=certifi.where())  # the CAs httpx trusts
        proxy = self._proxy
        scheme = urlsplit(proxy).scheme if proxy else ""
        connector: aiohttp.TCPConnector
        if proxy is not None and scheme in _SOCKS:
            parts = urlsplit(proxy)
            connector = aiohttp_socks.ProxyConnector(
                proxy_type=ProxyType.SOCKS5,
                host=parts.hostname or "",
                port=parts.port or 1080,
                username=parts.username,
                password=parts.password,
                rdns=_SOCKS[scheme],
                limit=self._pool_size,
                ssl=tls,
            )
            proxy = None
        else:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ssl=tls)
        return aiohttp.ClientSession(
            connector=connector,
            proxy=proxy,
            headers={"User-Agent": self.USER_AGENT},
            cookie_jar=aiohttp.DummyCookieJar(),  # the Bot API sets none; the bot keeps none
            timeout=self._defaults.client_timeout(),
        )

    async def do_request(  # noqa: PLR0913, PLR0917 - BaseRequest's signature
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; return the status code and the body, or raise NetworkError / TimedOut."""
        session = self._session
        if session is None or session.closed:
            msg = "This AiohttpRequest is not initialized!"
            raise RuntimeError(msg)
        files = request_data.multipart_data if request_data is not None else None
        defaults = self._defaults
        timeouts = Timeouts(
            connect=defaults.connect if isinstance(connect_timeout, DefaultValue) else connect_timeout,
            read=defaults.read if isinstance(read_timeout, DefaultValue) else read_timeout,
            write=(self._media_write_timeout if files else defaults.write)
            if isinstance(write_timeout, DefaultValue)
            else write_timeout,
            pool=defaults.pool if isinstance(pool_timeout, DefaultValue) else pool_timeout,
        )
        timeout = self._timeouts.get(timeouts)
        if timeout is None:
            timeout = self._timeouts[timeouts] = timeouts.client_timeout()
        body = _body(request_data, files)
        await self._connection(timeouts.pool)
        try:
            async with session.request(method, url, data=body, timeout=timeout) as response:
                return response.status, await response.read()
        except (TimeoutError, aiohttp_socks.ProxyTimeoutError) as error:
            raise TimedOut(f"aiohttp.{type(error).__name__}: {error}") from error
        except (
            aiohttp.ClientError,
            OSError,
            aiohttp_socks.ProxyError,
            aiohttp_socks.ProxyConnectionError,
        ) as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error
        finally:
            self._free.release()

    async def _connection(self, seconds: float | None) -> None:
        """Wait for one of the pool's connections, at most `seconds` (no timer when one is free)."""
        if not self._free.locked():
            await self._free.acquire()
            return
        try:
            async with asyncio.timeout(seconds):
                await self._free.acquire()
        except TimeoutError as error:
            msg = (
                "Pool timeout: all connections in the pool are in use; the request was not sent. "
                "Consider a larger connection pool or a longer pool timeout."
            )
            raise TimedOut(msg) from error


def _body(
    request_data: RequestData | None, files: UploadFileDict | None
) -> aiohttp.FormData | BytesPayload | None:
    """Return the request's parameters form-encoded, or as multipart with its files."""
    if request_data is None:
        return None
    parameters = request_data.json_parameters
    if not files:
        return BytesPayload(urlencode(parameters).encode(), content_type=_FORM)
    form = aiohttp.FormData(quote_fields=False)  # names as written, as httpx sends them (二维码.png)
    for name, value in parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
