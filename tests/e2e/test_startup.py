"""`python -m bot` refusing to start: a wrong token, no Bot API, a taken webhook port, a lost key file."""

from __future__ import annotations

import socket
from pathlib import Path

from emulator import BotApiEmulator
from storage.repository import Repository
from tests.e2e.conftest import LEADER_ID, BotProcess
from tests.e2e.test_webhook import free_port, webhook_env


async def start(emulator: BotApiEmulator, folder: Path, **changes: str) -> tuple[int, str]:
    """Run `python -m bot` with these settings changed; return its exit code and what it printed."""
    return await BotProcess(emulator, folder).run(**changes)


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


async def test_a_setting_typed_wrong_is_explained_in_both_languages(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    """SURVEY_TZ=Beijing stops the bot (exit 2) with the reason in Chinese and English, not pydantic's."""
    code, errors = await start(emulator, tmp_path, SURVEY_TZ="Beijing", SURVEY_LEADERS="9001，abc")
    assert code == 2
    zone = "SURVEY_TZ: 时区名称无效：Beijing，应写如 Asia/Shanghai（北京时间） / invalid timezone: Beijing"
    leaders = "SURVEY_LEADERS: 'abc' 不是 Telegram 用户编号（正整数） / 'abc' is not a Telegram user id"
    assert zone in errors
    assert leaders in errors
    assert "Value error" not in errors
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


async def test_a_lost_key_file_with_a_unit_open_stops_until_restored_or_replaced_on_purpose(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    """No silent new key (people could answer twice): exit 2 with the fix; `new-key` is the way out."""
    async with Repository(tmp_path / "survey.db") as repository:
        await repository.open_window(LEADER_ID, "县财政局", min_group=3)
    key = tmp_path / "survey.db.key"
    key.unlink()
    code, errors = await start(emulator, tmp_path)
    assert code == 2
    assert "1 unit(s) are open in the database but its key file" in errors
    assert "数据库中有 1 个单位正在测评" in errors
    assert "python -m bot new-key" in errors
    assert not key.exists()  # refusing made nothing: the next start refuses again
    code, output = await BotProcess(emulator, tmp_path).run("new-key")
    assert code == 0
    assert "could answer again" in output
    assert key.stat().st_mode & 0o777 == 0o600
    secret = key.read_bytes()
    code, output = await BotProcess(emulator, tmp_path).run("new-key")
    assert code == 2  # never replaces a key file
    assert key.read_bytes() == secret
    code, output = await BotProcess(emulator, tmp_path).run("check")
    assert code == 0, output


async def test_new_key_and_backup_refuse_what_would_leave_a_wrong_file(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    """`new-key` makes no key file without a database; `backup` makes no copy that cannot be restored."""
    bot = BotProcess(emulator, tmp_path)
    code, output = await bot.run("new-key")
    assert code == 2
    assert "There is no database" in output
    assert not (tmp_path / "survey.db.key").exists()
    async with Repository(tmp_path / "survey.db") as repository:
        await repository.open_window(LEADER_ID, "县财政局", min_group=3)
    (tmp_path / "survey.db.key").unlink()
    code, output = await bot.run("backup", str(tmp_path / "copy.db"))
    assert code == 1
    assert "1 unit(s) are open but the key file" in output
    assert not (tmp_path / "copy.db").exists()
