"""The emulator's HTTP side: `POST /bot<token>/<method>` as python-telegram-bot speaks it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from emulator.flood import FloodControl, FloodRules
from emulator.webhook import WebhookSender
from emulator.world import (
    ANSWER_TEXT_LIMIT,
    CAPTION_LIMIT,
    JSON,
    TEXT_LIMIT,
    ApiError,
    BotMessage,
    Call,
    World,
    bad_request,
    parse_buttons,
    render,
)

DEFAULT_TOKEN = "123456:TEST-token-for-the-local-emulator"
Method = Callable[[JSON], Awaitable[Any]]
# What Telegram's flood control counts: messages sent or edited.
RATE_LIMITED = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "editMessageText",
        "editMessageReplyMarkup",
        "sendMediaGroup",
    }
)


# Put in `failures` to drop the connection instead of answering.
DROP = ApiError(0, "connection dropped")


class BotApiEmulator:
    """A Bot API server on loopback, plus what a test needs to act as Telegram users."""

    def __init__(
        self, token: str = DEFAULT_TOKEN, username: str = "survey_test_bot", flood: FloodRules | None = None
    ) -> None:
        self.token = token
        # Telegram's per-chat flood limits (off unless asked for): beyond them, 429 with retry_after.
        self.flood = FloodControl(flood) if flood is not None else None
        self.rejected: list[Call] = []
        self.pushed_at: dict[str, float] = {}
        self.latencies: list[float] = []
        self._answer_waiters: dict[str, asyncio.Future[None]] = {}
        self._chat_waiters: dict[int, list[asyncio.Future[None]]] = {}
        # An in-process bot reports each update it has handled (tests/e2e/conftest.py): a press
        # then waits for that, not for a redraw that may never come or a quiet spell.
        self.reports_handled = False
        self._handled: set[int] = set()
        self._handled_waiters: dict[int, asyncio.Future[None]] = {}
        self.username = username
        self.bot_id = int(token.split(":", 1)[0])
        self.world = World()
        self._changed = asyncio.Condition()
        self.webhook = WebhookSender(self.world, self._changed)
        self.client_ports: list[int] = []  # the client's port of every request (proxy tests)
        self._runner: web.AppRunner | None = None
        self.port = 0
        # Files the bot may fetch with getFile and download: file id → its bytes (photos users sent).
        self.files: dict[str, bytes] = {}
        self._methods: dict[str, Method] = {
            "getMe": self._get_me,
            "deleteWebhook": self.webhook.delete_webhook,
            "setWebhook": self.webhook.set_webhook,
            "getWebhookInfo": self.webhook.get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "deleteMessage": self._delete_message,
            "getFile": self._get_file,
            "close": self._true,
        }
        self._interrupts = 0
        self.polling = asyncio.Event()  # set once a bot has called getUpdates
        # Tests may inject failures: method -> list of errors to raise on the next calls.
        self.failures: dict[str, list[ApiError]] = {}
        # ... or slow answers: method -> seconds to wait before answering it (`stalled`: calls so held).
        self.stalls: dict[str, float] = {}
        self.stalled: list[Call] = []
        # While True the network is gone: every request's connection is closed unanswered.
        self.offline = False

    @property
    def base_url(self) -> str:
        """Return the base URL to configure as TELEGRAM_BASE_URL."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self, port: int = 0) -> None:
        """Listen on 127.0.0.1 (port 0 picks a free one)."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        """Stop delivering and listening."""
        await self.webhook.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def go_offline(self) -> None:
        """Lose the network: close every connection unanswered from now on, the long polls too."""
        self.offline = True
        await self.interrupt_polling()

    def go_online(self) -> None:
        """Bring the network back."""
        self.offline = False

    async def _handle(self, request: web.Request) -> web.Response:
        response = web.Response(status=503) if self.offline else await self._answer(request)
        if self.offline and request.transport is not None:
            request.transport.close()  # gone (a long poll ended by going offline too): no answer
        return response

    async def _answer(self, request: web.Request) -> web.Response:
        if request.transport is not None:
            self.client_ports.append(int(request.transport.get_extra_info("peername")[1]))
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await _params(request)
        call = Call(method, params, time.monotonic())
        handler = self._methods.get(method)
        try:
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            queued = self.failures.get(method)
            if queued:
                failure = queued.pop(0)
                if method == "answerCallbackQuery":  # a failed answer closes the query all the same
                    self.world.open_queries.discard(str(params.get("callback_query_id")))
                if failure is DROP:
                    call.error = failure
                    await self._record(call)
                    if request.transport is not None:
                        request.transport.close()  # the connection dies without an answer
                    return web.Response(status=500)
                raise failure
            if method in RATE_LIMITED and self.flood is not None:
                self.flood.admit(self._chat_id(params), call.at)
            if stall := self.stalls.get(method):
                async with self._changed:
                    self.stalled.append(call)
                    self._changed.notify_all()
                await asyncio.sleep(stall)
            result = await handler(params)
        except ApiError as error:
            call.error = error
            if error.code == 429:  # noqa: PLR2004 - Too Many Requests
                self.rejected.append(call)
            await self._record(call)
            return web.json_response(error.payload(), status=error.code)
        if method != "getUpdates":
            await self._record(call)
        return web.json_response({"ok": True, "result": result})

    def _touch(self, chat_id: int) -> None:
        """Wake whoever waits on a change in this chat."""
        for waiter in self._chat_waiters.pop(chat_id, []):
            if not waiter.done():
                waiter.set_result(None)

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.world.calls.append(call)
            self._changed.notify_all()

    # Bot API methods

    async def _true(self, params: JSON) -> bool:
        return True

    async def _get_me(self, params: JSON) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "测评机器人",
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _set_my_commands(self, params: JSON) -> bool:
        scope = json.loads(params.get("scope") or '{"type": "default"}')
        key = scope["type"] + (f":{scope['chat_id']}" if "chat_id" in scope else "")
        if params.get("language_code"):
            key += f"/{params['language_code']}"
        self.world.commands[key] = json.loads(params["commands"])
        return True

    async def _delete_my_commands(self, params: JSON) -> bool:
        scope = json.loads(params.get("scope") or '{"type": "default"}')
        key = scope["type"] + (f":{scope['chat_id']}" if "chat_id" in scope else "")
        self.world.commands.pop(
            key + (f"/{params['language_code']}" if params.get("language_code") else ""), None
        )
        return True

    async def _get_updates(self, params: JSON) -> list[JSON]:
        offset = int(params.get("offset", 0) or 0)
        limit = int(params.get("limit", 100) or 100)
        timeout = float(params.get("timeout", 0) or 0)
        if self.webhook.url:
            raise ApiError(
                409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook first"
            )
        self.polling.set()
        deadline = time.monotonic() + timeout
        async with self._changed:
            interrupts = self._interrupts
            updates = self.world.take_updates(offset, limit)
            self._changed.notify_all()
            while (
                not updates
                and interrupts == self._interrupts
                and (remaining := deadline - time.monotonic()) > 0
            ):
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), remaining)
                updates = self.world.take_updates(offset, limit)
        return updates

    def _chat_id(self, params: JSON) -> int:
        try:
            return int(params["chat_id"])
        except (KeyError, ValueError) as error:
            raise bad_request("chat not found") from error

    def _new_message(self, params: JSON, field_name: str, limit: int) -> BotMessage:
        chat_id = self._chat_id(params)
        raw, visible = render(params, field_name, limit)
        if field_name == "text" and not visible.strip():
            raise bad_request("message text is empty")
        return BotMessage(
            chat_id=chat_id,
            message_id=self.world.next_message_id(chat_id),
            text=visible,
            html=raw,
            buttons=parse_buttons(params.get("reply_markup")),
        )

    def _keep(self, message: BotMessage) -> JSON:
        self.world.store(message)
        self._touch(message.chat_id)
        return self._message_json(message)

    async def _send_message(self, params: JSON) -> JSON:
        return self._keep(self._new_message(params, "text", TEXT_LIMIT))

    async def _send_photo(self, params: JSON) -> JSON:
        message = self._new_message(params, "caption", CAPTION_LIMIT)
        photo = params.get("photo")
        if not isinstance(photo, bytes) or not photo:
            raise bad_request("there is no photo in the request")
        message.photo = photo
        return self._keep(message)

    async def _send_document(self, params: JSON) -> JSON:
        message = self._new_message(params, "caption", CAPTION_LIMIT)
        document = params.get("document")
        if not isinstance(document, bytes) or not document:
            raise bad_request("there is no document in the request")
        message.document = document
        message.document_name = params.get("document_filename")
        return self._keep(message)

    def _existing(self, params: JSON) -> BotMessage:
        key = (self._chat_id(params), int(params.get("message_id", 0)))
        message = self.world.messages.get(key)
        if message is None:
            raise bad_request("message to edit not found")
        return message

    async def _edit_message_text(self, params: JSON) -> JSON:
        message = self._existing(params)
        raw, visible = render(params, "text", TEXT_LIMIT)
        buttons = parse_buttons(params.get("reply_markup"))
        if raw == message.html and buttons == message.buttons:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        message.html, message.text, message.buttons = raw, visible, buttons
        message.edited()
        self._touch(message.chat_id)
        return self._message_json(message)

    async def _edit_reply_markup(self, params: JSON) -> JSON:
        message = self._existing(params)
        buttons = parse_buttons(params.get("reply_markup"))
        if buttons == message.buttons:
            raise bad_request("message is not modified")
        message.buttons = buttons
        message.edited()
        self._touch(message.chat_id)
        return self._message_json(message)

    async def _answer_callback_query(self, params: JSON) -> bool:
        query_id = str(params.get("callback_query_id"))
        if query_id not in self.world.open_queries:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        if len(str(params.get("text", ""))) > ANSWER_TEXT_LIMIT:
            raise bad_request("MESSAGE_TOO_LONG")
        self.world.open_queries.discard(query_id)
        self.world.answers[query_id] = params
        pushed = self.pushed_at.pop(query_id, None)
        if pushed is not None:
            self.latencies.append(time.monotonic() - pushed)
        waiter = self._answer_waiters.pop(query_id, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
        return True

    async def _delete_message(self, params: JSON) -> bool:
        key = (self._chat_id(params), int(params.get("message_id", 0)))
        message = self.world.messages.pop(key, None)
        if message is None:
            raise bad_request("message to delete not found")
        self.world.chat_messages[key[0]].remove(message)
        self._touch(key[0])
        return True

    async def _get_file(self, params: JSON) -> JSON:
        file_id = str(params.get("file_id", ""))
        if file_id not in self.files:
            raise bad_request("invalid file_id")
        data = self.files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": len(data),
            "file_path": f"photos/{file_id}.jpg",
        }

    async def _download(self, request: web.Request) -> web.Response:
        """Serve a file as Telegram's file server does: GET /file/bot<token>/<file_path>."""
        if request.match_info["token"] != self.token:
            return web.Response(status=401, text="Unauthorized")
        name = request.match_info["path"].removeprefix("photos/").removesuffix(".jpg")
        data = self.files.get(name)
        if data is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=data, content_type="image/jpeg")

    def _message_json(self, message: BotMessage) -> JSON:
        body: JSON = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": {"id": message.chat_id, "type": "private"},
            "from": self._bot_user(),
        }
        if message.photo is not None:
            body["photo"] = [
                {"file_id": f"photo-{message.message_id}", "file_unique_id": "p", "width": 1, "height": 1}
            ]
            body["caption"] = message.text
        elif message.document is not None:
            body["document"] = {"file_id": f"doc-{message.message_id}", "file_unique_id": "d"}
            body["caption"] = message.text
        else:
            body["text"] = message.text
        if message.buttons:
            body["reply_markup"] = {
                "inline_keyboard": [
                    [{"text": b.text, "callback_data": b.callback_data} for b in row]
                    for row in message.buttons
                ]
            }
        return body

    def _bot_user(self) -> JSON:
        return {"id": self.bot_id, "is_bot": True, "first_name": "测评机器人", "username": self.username}

    # What tests do as Telegram users

    async def push(self, kind: str, body: JSON) -> int:
        """Queue an update and wake a waiting getUpdates."""
        async with self._changed:
            update_id = self.world.push_update(kind, body)
            self._changed.notify_all()
        return update_id

    async def push_query(self, body: JSON) -> int:
        """Queue a callback query (noting when, for latency figures); return its update id."""
        query_id = str(body["id"])
        self.world.open_queries.add(query_id)
        self.pushed_at[query_id] = time.monotonic()
        return await self.push("callback_query", body)

    def report_handled(self, update_id: int) -> None:
        """Note that the bot has handled this update: every handler it ran for it has returned."""
        self._handled.add(update_id)
        waiter = self._handled_waiters.pop(update_id, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def handled(self, update_id: int, timeout: float = 60.0) -> None:
        """Wait until the bot reports this update handled (only a bot that reports: `reports_handled`)."""
        if update_id not in self._handled:
            waiter = self._handled_waiters.setdefault(update_id, asyncio.get_running_loop().create_future())
            await asyncio.wait_for(asyncio.shield(waiter), timeout)

    async def answered(self, query_id: str, timeout: float = 60.0) -> JSON:
        """Wait until the bot answers this callback query; return its answer."""
        if query_id not in self.world.answers:
            waiter = self._answer_waiters.setdefault(query_id, asyncio.get_running_loop().create_future())
            await asyncio.wait_for(asyncio.shield(waiter), timeout)
        return self.world.answers[query_id]

    async def wait_chat(self, chat_id: int, predicate: Callable[[], bool], timeout: float = 60.0) -> None:
        """Wait until `predicate()` holds, re-checking only when this chat changes."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                msg = f"chat {chat_id}: condition not met within {timeout} s"
                raise TimeoutError(msg)
            waiter = asyncio.get_running_loop().create_future()
            self._chat_waiters.setdefault(chat_id, []).append(waiter)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waiter, remaining)

    async def interrupt_polling(self) -> None:
        """End the long polls now waiting, as if their timeout had passed (for a quick stop)."""
        async with self._changed:
            self._interrupts += 1
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until `predicate()` holds; it is re-checked after every call the bot makes."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    async def settle(self, quiet: float = 0.15, timeout: float = 10.0) -> None:
        """Wait until the bot has fetched every update and made no call for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            calls = len(self.world.calls)
            fetched = (
                not self.world.pending or self.world.confirmed_offset > self.world.pending[-1]["update_id"]
            )
            await asyncio.sleep(quiet)
            if fetched and len(self.world.calls) == calls and self._all_answered():
                return
        msg = "the bot did not settle"
        raise TimeoutError(msg)

    def _all_answered(self) -> bool:
        return not self.world.open_queries

    def calls(self, method: str) -> list[Call]:
        """Return the calls of one method, oldest first."""
        return [call for call in self.world.calls if call.method == method]


async def _params(request: web.Request) -> JSON:
    """Read form-encoded or multipart parameters; file fields become bytes."""
    params: JSON = dict(request.query)
    if request.can_read_body:
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                params[name] = value.file.read()
                params[f"{name}_filename"] = value.filename
            else:
                params[name] = value
    return params
