"""`python -m bot` refusing to start: a wrong token, an unreachable Bot API, a taken webhook port."""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path

from emulator import BotApiEmulator
from tests.e2e.conftest import BotProcess
from tests.e2e.test_webhook import free_port, webhook_env


async def start(emulator: BotApiEmulator, folder: Path, **changes: str) -> tuple[int, str]:
    """Run `python -m bot` with these settings changed; return its exit code and stderr."""
    env = {**BotProcess(emulator, folder).env, **changes}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=folder, env=env, stderr=asyncio.subprocess.PIPE
    )
    _, errors = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, errors.decode()


async def test_a_wrong_token_stops_with_exit_2_in_both_languages(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    """A token Telegram refuses: what to do, in Chinese and English, without the token or a traceback."""
    code, errors = await start(emulator, tmp_path, TELEGRAM_BOT_TOKEN="123456:not-the-token")
    assert code == 2
    assert "Telegram 拒绝了" in errors
    assert "Telegram refused the bot token" in errors
    assert errors.count("@BotFather") >= 2
    assert "not-the-token" not in errors
    assert "Traceback" not in errors


async def test_an_unreachable_bot_api_stops_with_exit_1(emulator: BotApiEmulator, tmp_path: Path) -> None:
    """Nothing at the base URL: exit 1 (the service restarts it), the proxy setting named."""
    dead = f"http://127.0.0.1:{free_port()}/bot"
    code, errors = await start(emulator, tmp_path, TELEGRAM_BASE_URL=dead)
    assert code == 1
    assert f"无法连接 Bot API {dead}" in errors
    assert f"Cannot reach the Bot API at {dead}" in errors
    assert "TELEGRAM_PROXY" in errors
    assert "Traceback" not in errors


async def test_a_taken_webhook_port_is_named(emulator: BotApiEmulator, tmp_path: Path) -> None:
    """Another program listens on the webhook port: the address is named with the settings to change."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, errors = await start(emulator, tmp_path, **webhook_env(port))
    assert code == 1
    assert f"无法在 127.0.0.1:{port} 接收 Webhook" in errors
    assert "TELEGRAM_WEBHOOK_PORT" in errors
    assert "Traceback" not in errors
