"""`python -m bot check` against the emulator: all pass, or one clear line per failure with its fix."""

from __future__ import annotations

import re
import signal
import sqlite3
from pathlib import Path

import pytest

from emulator import BotApiEmulator
from emulator.people import Person
from storage.repository import Repository
from tests.e2e.conftest import LEADER_ID, BotProcess
from tests.e2e.test_webhook import free_port, webhook_env

CJK = re.compile(r"[\u4e00-\u9fff]")


async def check(bot: BotProcess, **changes: str) -> tuple[int, list[str]]:
    """Run `python -m bot check` with the bot's settings and these changes; return code and lines."""
    code, output = await bot.run("check", **changes)
    return code, output.splitlines()


def line(lines: list[str], name: str) -> str:
    """Return the one line of the check called `name`, asserting it is in both languages."""
    (found,) = [text for text in lines if name in text.split(": ", 1)[0]]
    assert CJK.search(found), found
    assert "Traceback" not in "\n".join(lines)
    return found


@pytest.fixture
def configured(emulator: BotApiEmulator, tmp_path: Path) -> BotProcess:
    """Return the bot's configuration, not started."""
    return BotProcess(emulator, tmp_path)


async def test_passes_before_the_first_start(configured: BotProcess) -> None:
    """A fresh configuration: every line passes; the database and key file will be made at start."""
    code, lines = await check(configured)
    assert code == 0, lines
    assert line(lines, "configuration").startswith("✔")
    assert "polling mode" in line(lines, "configuration")
    assert "HTTP client aiohttp" in line(lines, "configuration")
    assert "created on first start" in line(lines, "database")
    assert "created owner-only on start" in line(lines, "key file")
    assert "connected as @survey_test_bot" in line(lines, "getMe")
    assert "webhook" not in "\n".join(lines[:-1])
    assert "All checks passed" in lines[-1]


async def test_reports_and_uses_the_transport_chosen(configured: BotProcess) -> None:
    """TELEGRAM_TRANSPORT=httpx: the configuration line names it, and getMe goes through it."""
    code, lines = await check(configured, TELEGRAM_TRANSPORT="httpx")
    assert code == 0, lines
    assert "HTTP client httpx" in line(lines, "configuration")
    assert "connected as @survey_test_bot" in line(lines, "getMe")


async def test_passes_while_the_bot_runs(bot_process: BotProcess, leader: Person) -> None:
    """With the bot up: schema version and integrity, an owner-only key file, getMe."""
    assert await leader.send("/units") is not None
    code, lines = await check(bot_process)
    assert code == 0, lines
    assert re.search(r"schema version \d+, integrity ok", line(lines, "database"))
    assert "owner-only (600)" in line(lines, "key file")


async def test_webhook_mode_reads_get_webhook_info(emulator: BotApiEmulator, tmp_path: Path) -> None:
    """In webhook mode getWebhookInfo is checked: fine while the bot takes updates, failed when it cannot."""
    bot = BotProcess(emulator, tmp_path)
    bot.env |= webhook_env(free_port())
    await bot.start()
    leader = Person(emulator, 9001)
    assert await leader.send("/units") is not None
    code, lines = await check(bot)
    assert code == 0, lines
    assert "webhook mode" in line(lines, "configuration")
    assert "0 update(s) waiting" in line(lines, "getWebhookInfo")
    assert await bot.signal(signal.SIGTERM) == 0
    await emulator.push("message", leader.message_json("/units"))  # undeliverable now
    await emulator.wait_for(lambda: emulator.webhook.last_error_message is not None)
    code, lines = await check(bot)
    assert code == 1
    failed = line(lines, "getWebhookInfo")
    assert failed.startswith("✘")
    assert "Telegram cannot deliver (Connection failed" in failed
    assert "1 update(s) waiting" in failed
    assert "reverse proxy forwards it to 127.0.0.1:" in failed


async def test_a_wrong_token_fails_naming_botfather(configured: BotProcess) -> None:
    """A token the Bot API refuses: exit 1, the getMe line says so and how to get a new one."""
    code, lines = await check(configured, TELEGRAM_BOT_TOKEN="123456:wrong")
    assert code == 1
    failed = line(lines, "getMe")
    assert failed.startswith("✘")
    assert "拒绝了该令牌" in failed
    assert "refused the token" in failed
    assert "@BotFather" in failed
    assert "123456:wrong" not in "\n".join(lines)
    assert "1 check(s) failed" in lines[-1]


async def test_an_unreachable_base_url_fails_naming_the_proxy_setting(configured: BotProcess) -> None:
    """Nothing listens at the base URL: exit 1, 'cannot reach', and the fix mentions TELEGRAM_PROXY."""
    dead = f"http://127.0.0.1:{free_port()}/bot"
    code, lines = await check(configured, TELEGRAM_BASE_URL=dead)
    assert code == 1
    failed = line(lines, "getMe")
    assert f"cannot reach {dead}" in failed
    assert "无法连接" in failed
    assert "TELEGRAM_PROXY" in failed


async def test_an_unreachable_proxy_is_named(configured: BotProcess) -> None:
    """A proxy that is not running: the fix names the proxy (password hidden)."""
    proxy = f"socks5://user:hunter2@127.0.0.1:{free_port()}"
    code, lines = await check(configured, TELEGRAM_PROXY=proxy)
    assert code == 1
    assert "through the proxy socks5://user:***@127.0.0.1" in line(lines, "configuration")
    assert "check that the proxy socks5://user:***@127.0.0.1" in line(lines, "getMe")
    assert "hunter2" not in "\n".join(lines)


@pytest.mark.parametrize("kind", ["garbage", "folder", "foreign"])
async def test_an_unreadable_database_fails(configured: BotProcess, kind: str) -> None:
    """Not a database, a folder, another program's database: the database line fails with a fix."""
    path = configured.folder / "survey.db"
    if kind == "garbage":
        path.write_bytes(b"this is not a database" * 100)
    elif kind == "folder":
        path.mkdir()
    else:
        with sqlite3.connect(path) as other:
            other.execute("CREATE TABLE invoices (id INTEGER)")
    code, lines = await check(configured)
    assert code == 1
    failed = line(lines, "database")
    assert failed.startswith("✘")
    assert "fix" in failed
    assert "解决" in failed
    assert ("cannot read" in failed) or ("not a survey database" in failed)


async def test_a_key_file_others_can_read_fails(bot_process: BotProcess, leader: Person) -> None:
    """A key file readable by others: the fix is chmod 600."""
    assert await leader.send("/units") is not None
    key = bot_process.folder / "survey.db.key"
    key.chmod(0o644)
    code, lines = await check(bot_process)
    assert code == 1
    assert f"chmod 600 {key}" in line(lines, "key file")


async def test_a_lost_key_file_fails_while_a_unit_is_open(configured: BotProcess) -> None:
    """The key file lost while a unit is open: restore it from the backup; with none open, it is remade."""
    key = configured.folder / "survey.db.key"
    async with Repository(configured.folder / "survey.db") as repository:
        closed, _ = await repository.open_window(LEADER_ID, "县审计局", min_group=3)
        assert await repository.close_window(closed.id)
    key.unlink()
    code, lines = await check(configured)
    assert code == 0, lines  # no unit open: the secrets it held were destroyed at their close anyway
    assert "created owner-only on start" in line(lines, "key file")
    async with Repository(configured.folder / "survey.db") as repository:
        await repository.open_window(LEADER_ID, "县财政局", min_group=3)
    key.unlink()
    code, lines = await check(configured)
    assert code == 1
    found = line(lines, "key file")
    assert "1 unit(s) are open" in found
    assert "restore" in found


async def test_nobody_to_open_a_unit_fails(configured: BotProcess) -> None:
    """No leader and no admin configured or invited: the check says nobody could open a unit."""
    code, lines = await check(configured, SURVEY_LEADERS="")
    assert code == 1
    assert "nobody can open a unit" in line(lines, "leaders and admins")
    code, lines = await check(configured, SURVEY_LEADERS="", SURVEY_ADMINS="42")
    assert code == 0, lines
    assert "0 leader(s), 1 admin(s)" in line(lines, "leaders and admins")


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"TELEGRAM_BOT_TOKEN": ""}, "TELEGRAM_BOT_TOKEN (missing)"),
        ({"SURVEY_LEADERS": "12,abc"}, "SURVEY_LEADERS（'abc' 不是 Telegram 用户编号（正整数））"),
        ({"SURVEY_MIN_GROUP": "0"}, "SURVEY_MIN_GROUP（不能小于 1）"),
    ],
)
async def test_a_malformed_configuration_fails_first(
    configured: BotProcess, changes: dict[str, str], named: str
) -> None:
    """Settings that do not parse: the configuration line fails, naming each setting with its reason."""
    code, lines = await check(configured, **changes)
    assert code == 1
    failed = line(lines, "configuration")
    assert failed.startswith("✘")
    assert named in failed
    assert ("@BotFather" in failed) == ("TELEGRAM_BOT_TOKEN" in changes)
    assert len(lines) == 2  # the configuration line and the summary


async def test_leader_ids_with_a_chinese_comma_pass(configured: BotProcess) -> None:
    """SURVEY_LEADERS=9001，9002 as a Chinese keyboard types it: two leaders, every check passes."""
    code, lines = await check(configured, SURVEY_LEADERS="9001，9002")
    assert code == 0, lines
    assert "2 名组长" in line(lines, "leaders and admins")


@pytest.mark.parametrize(
    ("changes", "chinese", "english"),
    [
        ({"SURVEY_TZ": "Beijing"}, "SURVEY_TZ（时区名称无效：Beijing，应写如 Asia/Shanghai（北京时间））",
         "SURVEY_TZ (invalid timezone: Beijing; write one like Asia/Shanghai (Beijing time))"),
        ({"SURVEY_LEADERS": "9001;9002"}, "SURVEY_LEADERS（'9001;9002' 不是 Telegram 用户编号（正整数））",
         "SURVEY_LEADERS ('9001;9002' is not a Telegram user id (a positive whole number))"),
        ({"SURVEY_MIN_GROUP": "三"}, "SURVEY_MIN_GROUP（应为整数，如 3）",
         "SURVEY_MIN_GROUP (must be a whole number, e.g. 3)"),
        ({"TELEGRAM_TRANSPORT": "curl"}, "TELEGRAM_TRANSPORT（只能是 aiohttp 或 httpx）",
         "TELEGRAM_TRANSPORT (must be aiohttp or httpx)"),
    ],
)  # fmt: skip
async def test_every_reason_a_setting_is_refused_is_said_in_chinese_and_english(
    configured: BotProcess, changes: dict[str, str], chinese: str, english: str
) -> None:
    """The configuration line gives each setting's reason in both languages, not pydantic's English alone."""
    code, lines = await check(configured, **changes)
    assert code == 1
    failed = line(lines, "configuration")
    assert chinese in failed
    assert english in failed
    assert "Value error" not in failed
    assert "Input should" not in failed
