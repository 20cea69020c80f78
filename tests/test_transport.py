"""The aiohttp transport keeps python-telegram-bot's contract: what is sent, and how failures read."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.transport import AiohttpRequest, Timeouts

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
QUICK = Timeouts(connect=1.0, read=0.3, write=1.0, pool=0.2)


class Server:
    """A loopback HTTP server whose one route does what each test says."""

    def __init__(self) -> None:
        self.handler: Handler = _ok
        self.seen: list[tuple[str, dict[str, object]]] = []  # content type and the fields
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> None:
        """Listen on a free loopback port."""
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._serve)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}/botTOKEN/method"

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        fields: dict[str, object] = {}
        for name, value in form.items():
            fields[name] = (
                (value.filename, value.content_type, value.file.read())
                if isinstance(value, web.FileField)
                else value
            )
        self.seen.append((request.content_type, fields))
        return await self.handler(request)


async def _ok(request: web.Request) -> web.StreamResponse:
    return web.json_response({"ok": True, "result": True})


def _reply(status: int, body: object) -> Handler:
    async def reply(request: web.Request) -> web.StreamResponse:
        text = body if isinstance(body, str) else json.dumps(body)
        return web.Response(status=status, text=text, content_type="application/json")

    return reply


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    running = Server()
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
async def transport() -> AsyncIterator[AiohttpRequest]:
    request = AiohttpRequest(timeouts=QUICK)
    await request.initialize()
    yield request
    await request.shutdown()


def _data(**values: object) -> RequestData:
    return RequestData([RequestParameter.from_input(name, value) for name, value in values.items()])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_parameters_arrive_form_encoded_as_the_library_writes_them(
    server: Server, transport: AiohttpRequest
) -> None:
    """Text (Chinese too) as itself, numbers and keyboards JSON-encoded, as with httpx."""
    keyboard = {"inline_keyboard": [[{"text": "开始", "callback_data": "g:1"}]]}
    assert await transport.post(server.url, _data(chat_id=7, text="第 1/16 题 & more", reply_markup=keyboard))
    content_type, fields = server.seen[0]
    assert content_type == "application/x-www-form-urlencoded"
    assert fields["chat_id"] == "7"
    assert fields["text"] == "第 1/16 题 & more"
    assert json.loads(str(fields["reply_markup"])) == keyboard


async def test_an_upload_arrives_as_multipart_with_its_name_and_type(
    server: Server, transport: AiohttpRequest
) -> None:
    """A photo (the QR poster) or a document: bytes, file name and type intact, parameters beside it."""
    picture = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    photo = InputFile(picture, filename="二维码.png")
    assert await transport.post(server.url, _data(chat_id=7, caption="扫码参加", photo=photo))
    content_type, fields = server.seen[0]
    assert content_type == "multipart/form-data"
    assert fields["chat_id"] == "7"
    assert fields["caption"] == "扫码参加"
    assert fields[photo.attach_name or "photo"] == ("二维码.png", "image/png", picture)


async def test_nothing_listening_is_a_network_error(transport: AiohttpRequest) -> None:
    url = f"http://127.0.0.1:{_free_port()}/botTOKEN/getMe"
    with pytest.raises(NetworkError) as raised:
        await transport.post(url)
    assert not isinstance(raised.value, TimedOut)


async def test_a_server_that_never_answers_is_timed_out(server: Server, transport: AiohttpRequest) -> None:
    async def silent(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(5)
        return web.Response()

    server.handler = silent
    with pytest.raises(TimedOut):
        await transport.post(server.url)


async def test_a_connection_dropped_mid_answer_is_a_network_error(
    server: Server, transport: AiohttpRequest
) -> None:
    async def drop(request: web.Request) -> web.StreamResponse:
        assert request.transport is not None
        request.transport.close()
        return web.Response()

    server.handler = drop
    with pytest.raises(NetworkError) as raised:
        await transport.post(server.url)
    assert not isinstance(raised.value, TimedOut)


async def test_a_full_pool_is_timed_out_without_sending(server: Server) -> None:
    """One connection, busy: the next request waits its pool timeout, then TimedOut, never sent."""
    release = asyncio.Event()

    async def slow(request: web.Request) -> web.StreamResponse:
        await release.wait()
        return web.json_response({"ok": True, "result": True})

    server.handler = slow
    request = AiohttpRequest(connection_pool_size=1, timeouts=Timeouts(connect=1, read=5, write=1, pool=0.2))
    await request.initialize()
    try:
        first = asyncio.create_task(request.post(server.url))
        await asyncio.sleep(0.1)
        started = asyncio.get_running_loop().time()
        with pytest.raises(TimedOut, match="Pool timeout"):
            await request.post(server.url)
        assert asyncio.get_running_loop().time() - started < 0.9  # the pool's 0.2 s, not connect's 1 s
        assert len(server.seen) == 1
        release.set()
        assert await first
    finally:
        await request.shutdown()


async def test_flood_control_server_errors_and_bad_json_are_left_to_the_library(
    server: Server, transport: AiohttpRequest
) -> None:
    """429 → RetryAfter with its seconds, 400 → BadRequest, 5xx → NetworkError, non-JSON → TelegramError."""
    flood = {"ok": False, "error_code": 429, "description": "Too Many", "parameters": {"retry_after": 3}}
    server.handler = _reply(429, flood)
    with pytest.raises(RetryAfter) as retry:
        await transport.post(server.url)
    assert retry.value._retry_after.total_seconds() == 3
    server.handler = _reply(400, {"ok": False, "error_code": 400, "description": "Bad Request: no"})
    with pytest.raises(BadRequest, match="No"):
        await transport.post(server.url)
    for status in (500, 502):
        server.handler = _reply(status, "<html>gateway</html>")
        with pytest.raises(NetworkError):
            await transport.post(server.url)
    server.handler = _reply(200, "<html>not json</html>")
    with pytest.raises(TelegramError, match="Invalid server response"):
        await transport.post(server.url)


@pytest.mark.parametrize("scheme", ["socks5", "socks5h", "http"])
async def test_a_dead_proxy_is_a_network_error(server: Server, scheme: str) -> None:
    request = AiohttpRequest(timeouts=QUICK, proxy=f"{scheme}://user:pw@127.0.0.1:{_free_port()}")
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await request.post(server.url)
        assert not isinstance(raised.value, TimedOut)
    finally:
        await request.shutdown()
    assert server.seen == []


async def test_a_socks_proxy_that_refuses_is_a_network_error(server: Server) -> None:
    """A SOCKS server that refuses the connection (reply 0x05, refused): NetworkError, nothing sent."""

    async def refuse(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        _version, methods = await reader.readexactly(2)
        await reader.readexactly(methods)
        writer.write(b"\x05\x00")  # no authentication
        await reader.read(256)
        writer.write(b"\x05\x05\x00\x01" + bytes(6))
        await writer.drain()
        writer.close()

    proxy = await asyncio.start_server(refuse, "127.0.0.1", 0)
    port = proxy.sockets[0].getsockname()[1]
    request = AiohttpRequest(timeouts=QUICK, proxy=f"socks5://127.0.0.1:{port}")
    await request.initialize()
    try:
        with pytest.raises(NetworkError):
            await request.post(server.url)
    finally:
        await request.shutdown()
        proxy.close()
        await proxy.wait_closed()
    assert server.seen == []


async def test_unused_before_initialize_and_after_shutdown_and_reusable(server: Server) -> None:
    request = AiohttpRequest(timeouts=QUICK)
    with pytest.raises(NetworkError, match="not initialized"):
        await request.post(server.url)
    await request.initialize()
    assert await request.post(server.url)
    await request.shutdown()
    await request.shutdown()  # twice is harmless
    with pytest.raises(NetworkError, match="not initialized"):
        await request.post(server.url)
    await request.initialize()  # python-telegram-bot may start a bot again
    assert await request.post(server.url)
    await request.shutdown()


def test_an_unknown_proxy_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="ftp"):
        AiohttpRequest(proxy="ftp://127.0.0.1:21")


def test_timeouts_in_aiohttp_terms() -> None:
    """Connect and read as such; write bounds the whole with them; None waits for ever."""
    timeout = Timeouts(connect=5, read=5, write=5, pool=1).client_timeout()
    assert (timeout.connect, timeout.sock_connect, timeout.sock_read, timeout.total) == (5, 5, 5, 15)
    endless = Timeouts(connect=5, read=None, write=5, pool=1).client_timeout()
    assert endless.sock_read is None
    assert endless.total is None
