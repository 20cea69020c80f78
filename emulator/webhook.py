"""Telegram's side of a webhook: setWebhook, getWebhookInfo, deleteWebhook, and delivery by POST."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time

import aiohttp

from emulator.world import JSON, ApiError, World

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
RETRY_DELAY = 0.2  # seconds between two tries of an update the bot did not accept (Telegram: longer)


class WebhookSender:
    """Deliver pending updates, oldest first, by POST to the registered URL, as Telegram does."""

    def __init__(self, world: World, changed: asyncio.Condition) -> None:
        self.world = world
        self._changed = changed
        self.url = ""
        self.secret_token: str | None = None
        self.allowed_updates: list[str] | None = None
        self.last_error_message: str | None = None
        self.last_error_date: int | None = None
        self.statuses: list[int] = []  # the HTTP status of every delivery try, in order
        self.unreachable = False  # while True, deliveries fail as if the bot's server could not be reached
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    async def set_webhook(self, params: JSON) -> bool:
        """Register the URL (and secret) and start delivering to it."""
        url = str(params.get("url", ""))
        if not url.startswith(("https://", "http://")):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self.url = url
        self.secret_token = params.get("secret_token") or None
        allowed = params.get("allowed_updates")
        self.allowed_updates = json.loads(allowed) if allowed else None
        if params.get("drop_pending_updates") in {"true", "True"}:
            self.world.pending.clear()
        if self._task is None:
            self._task = asyncio.create_task(self._deliver())
        return True

    async def delete_webhook(self, params: JSON) -> bool:
        """Stop delivering; updates wait for getUpdates again (or are dropped on request)."""
        self.url = ""
        if params.get("drop_pending_updates") in {"true", "True"}:
            self.world.pending.clear()
        await self.stop()
        return True

    async def get_webhook_info(self, params: JSON) -> JSON:
        """Return the webhook's URL, pending updates and the last delivery error."""
        info: JSON = {
            "url": self.url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.world.pending),
        }
        if self.url:
            info["max_connections"] = 40
            if self.allowed_updates is not None:
                info["allowed_updates"] = self.allowed_updates
            if self.last_error_date is not None:
                info["last_error_date"] = self.last_error_date
                info["last_error_message"] = self.last_error_message
        return info

    async def post(self, update: JSON, secret: str | None) -> int:
        """POST one update to the webhook with this secret header (None: no header); return the status."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        headers = {} if secret is None else {SECRET_HEADER: secret}
        async with self._session.post(self.url, json=update, headers=headers) as response:
            return response.status

    async def _deliver(self) -> None:
        """Send the oldest pending update until the bot accepts it; then the next one."""
        while self.url:
            async with self._changed:
                await self._changed.wait_for(lambda: bool(self.world.pending) or not self.url)
            if not self.url:
                return
            update = self.world.pending[0]
            if self.unreachable:
                await self._failed("Connection refused")
                continue
            try:
                status = await self.post(update, self.secret_token)
            except (aiohttp.ClientError, TimeoutError) as error:
                await self._failed(f"Connection failed: {type(error).__name__}")
                continue
            self.statuses.append(status)
            if status // 100 != 2:  # noqa: PLR2004 - any 2xx is accepted
                await self._failed(f"Wrong response from the webhook: {status}")
                continue
            async with self._changed:
                if self.world.pending and self.world.pending[0] is update:
                    self.world.pending.pop(0)
                self.world.confirmed_offset = max(self.world.confirmed_offset, update["update_id"] + 1)
                self._changed.notify_all()

    async def _failed(self, message: str) -> None:
        """Note the error for getWebhookInfo and wait before trying again."""
        async with self._changed:
            self.last_error_message = message
            self.last_error_date = int(time.time())
            self._changed.notify_all()
        await asyncio.sleep(RETRY_DELAY)

    async def stop(self) -> None:
        """Stop delivering and close the HTTP client."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._session is not None:
            await self._session.close()
            self._session = None
