"""Small forwarding proxies on loopback (HTTP and SOCKS5) that note every connection they open."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from typing import NamedTuple
from urllib.parse import urlsplit

_LOOPBACK = ("127.0.0.1", "localhost")


class Route(NamedTuple):
    """Where a client asked to go, the bytes to pass on first, and what to tell it once connected."""

    host: str
    port: int
    forward: bytes
    reply: bytes


class LoopbackProxy:
    """A proxy server on 127.0.0.1 that relays bytes to loopback targets only."""

    scheme = ""

    def __init__(self) -> None:
        self.port = 0
        self.upstream_ports: set[int] = set()  # our side's port of every connection to a target
        self.targets: set[str] = set()  # every host a client asked for, as it named it
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        """Return the proxy URL to configure as TELEGRAM_PROXY."""
        return f"{self.scheme}://127.0.0.1:{self.port}"

    async def start(self) -> None:
        """Listen on a free loopback port."""
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening and drop open connections."""
        if self._server is not None:
            self._server.close()
            for writer in list(self._open):
                writer.close()
            await self._server.wait_closed()

    async def route(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> Route:
        """Read the client's request for a target."""
        raise NotImplementedError

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            route = await self.route(reader, writer)
            self.targets.add(route.host)
            assert route.host in _LOOPBACK, f"the proxy refuses {route.host}: tests stay on loopback"
            up_reader, up_writer = await asyncio.open_connection(route.host, route.port)
        except (OSError, asyncio.IncompleteReadError, AssertionError):
            writer.close()
            return
        self.upstream_ports.add(up_writer.get_extra_info("sockname")[1])
        self._open |= {writer, up_writer}
        writer.write(route.reply)
        up_writer.write(route.forward)
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        self._open -= {writer, up_writer}


class HttpProxy(LoopbackProxy):
    """An HTTP proxy: absolute-form requests are forwarded, CONNECT opens a tunnel."""

    scheme = "http"

    async def route(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> Route:
        """Read the request line: `CONNECT host:port` or `POST http://host:port/path`."""
        head = await reader.readuntil(b"\r\n\r\n")
        method, target, _ = head.split(b"\r\n", 1)[0].decode().split(" ")
        if method == "CONNECT":
            host, port = target.rsplit(":", 1)
            return Route(host, int(port), b"", b"HTTP/1.1 200 Connection established\r\n\r\n")
        url = urlsplit(target)
        return Route(url.hostname or "", url.port or 80, head, b"")


class Socks5Proxy(LoopbackProxy):
    """A SOCKS5 proxy without authentication, CONNECT only (RFC 1928)."""

    scheme = "socks5"

    async def route(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> Route:
        """Agree on no authentication, then read the CONNECT request's address and port."""
        _version, methods = await reader.readexactly(2)
        await reader.readexactly(methods)
        writer.write(b"\x05\x00")
        _version, _command, _reserved, address_type = await reader.readexactly(4)
        if address_type == 1:  # IPv4
            host = socket.inet_ntoa(await reader.readexactly(4))
        else:  # a domain name (socks5h): its length, then the name
            host = (await reader.readexactly((await reader.readexactly(1))[0])).decode()
        port = int.from_bytes(await reader.readexactly(2), "big")
        return Route(host, port, b"", b"\x05\x00\x00\x01" + bytes(6))  # succeeded, bound 0.0.0.0:0


class Socks5hProxy(Socks5Proxy):
    """The same SOCKS5 proxy, configured as socks5h://: the client leaves names to it."""

    scheme = "socks5h"


async def _pipe(source: asyncio.StreamReader, target: asyncio.StreamWriter) -> None:
    """Copy bytes until the source closes, then close the target."""
    with contextlib.suppress(OSError):
        while chunk := await source.read(65536):
            target.write(chunk)
            await target.drain()
    target.close()
