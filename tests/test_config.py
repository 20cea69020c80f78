"""Configuration: strict parsing, and a clear message naming @BotFather when the token is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def _settings(**env: str) -> Settings:
    return Settings(_env_file=None, **{"telegram_bot_token": "1:x", **env})  # type: ignore[arg-type]


def test_leader_ids_are_parsed_from_a_comma_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """SURVEY_LEADERS='1, 22,333' gives three leaders; blanks are allowed."""
    monkeypatch.setenv("SURVEY_LEADERS", " 1, 22,333, ")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    assert Settings(_env_file=None).survey_leaders == frozenset({1, 22, 333})


@pytest.mark.parametrize("value", ["9001，9002", "9001、9002", "９００１，９００２", " 9001 ,9002，"])
def test_leader_ids_typed_on_a_chinese_keyboard_are_read(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    """A full-width comma (，), an enumeration comma (、) or full-width digits separate and read as ASCII."""
    monkeypatch.setenv("SURVEY_LEADERS", value)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    assert Settings(_env_file=None).survey_leaders == frozenset({9001, 9002})


@pytest.mark.parametrize("value", ["1;2", "abc", "1, -2", "1 2", "0", "1.5"])
def test_malformed_leader_lists_are_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    """A list that does not parse refuses to start rather than granting nobody or everybody."""
    monkeypatch.setenv("SURVEY_LEADERS", value)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    with pytest.raises(ValidationError, match="survey_leaders"):
        Settings(_env_file=None)


def test_defaults() -> None:
    """Without settings: ./survey.db, a minimum group of 3, Telegram's own API."""
    settings = _settings()
    assert settings.survey_db == Path("survey.db")
    assert settings.survey_min_group == 3
    assert settings.telegram_base_url == "https://api.telegram.org/bot"
    assert settings.secret_path == Path("survey.db.key")
    assert settings.survey_tz == ZoneInfo("Asia/Shanghai")
    assert settings.telegram_transport == "aiohttp"


def test_the_transport_is_aiohttp_or_httpx() -> None:
    """python-telegram-bot's own httpx stays available; anything else is refused by name."""
    assert _settings(telegram_transport="httpx").telegram_transport == "httpx"
    with pytest.raises(ValidationError, match="telegram_transport"):
        _settings(telegram_transport="requests")


def test_time_zone_is_read_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """SURVEY_TZ takes an IANA zone name; a name that is no zone refuses to start."""
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    monkeypatch.setenv("SURVEY_TZ", "Asia/Urumqi")
    assert Settings(_env_file=None).survey_tz == ZoneInfo("Asia/Urumqi")
    monkeypatch.setenv("SURVEY_TZ", "Beijing")
    with pytest.raises(ValidationError, match="survey_tz"):
        Settings(_env_file=None)


def test_env_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The token and other settings can come from a .env file in the working folder."""
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=123:abc\nSURVEY_MIN_GROUP=5\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("SURVEY_MIN_GROUP", raising=False)
    settings = Settings()
    assert settings.telegram_bot_token.get_secret_value() == "123:abc"
    assert settings.survey_min_group == 5


def _run_bot(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SURVEY_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_missing_token_names_botfather_and_exits_2(tmp_path: Path) -> None:
    """`python -m bot` without a token prints how to get one, exit code 2, no traceback."""
    result = _run_bot(tmp_path)
    assert result.returncode == 2
    assert "@BotFather" in result.stderr
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "survey.db").exists()


def test_bad_settings_are_named(tmp_path: Path) -> None:
    """A malformed setting is named in one line, exit code 2, no traceback."""
    result = _run_bot(tmp_path, TELEGRAM_BOT_TOKEN="1:x", SURVEY_LEADERS="12,abc")
    assert result.returncode == 2
    assert "SURVEY_LEADERS" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_token_is_explained_in_chinese_too(tmp_path: Path) -> None:
    """The @BotFather steps come in Chinese and in English."""
    result = _run_bot(tmp_path, TELEGRAM_BOT_TOKEN="")
    assert result.returncode == 2
    assert "未设置机器人令牌" in result.stderr
    assert "no bot token" in result.stderr
    assert result.stderr.count("@BotFather") >= 2


def test_bad_settings_name_the_fix_in_both_languages(tmp_path: Path) -> None:
    """A malformed setting: both languages say where to correct it."""
    result = _run_bot(tmp_path, TELEGRAM_BOT_TOKEN="1:x", TELEGRAM_PROXY="ftp://proxy:21")
    assert result.returncode == 2
    assert "TELEGRAM_PROXY" in result.stderr
    assert "以下设置无效" in result.stderr
    assert "EnvironmentFile" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["garbage", "folder"])
def test_an_unreadable_database_is_refused_in_both_languages(tmp_path: Path, kind: str) -> None:
    """SURVEY_DB is no database (or a folder): exit 2 before any network, the fix named, no traceback."""
    path = tmp_path / "survey.db"
    if kind == "garbage":
        path.write_bytes(b"not a database at all " * 100)
    else:
        path.mkdir()
    result = _run_bot(tmp_path, TELEGRAM_BOT_TOKEN="1:x", TELEGRAM_BASE_URL="http://127.0.0.1:9/bot")
    assert result.returncode == 2
    assert "无法启动" in result.stderr
    assert f"Cannot start: cannot read {path}" in result.stderr
    assert "restore a backup" in result.stderr
    assert "Traceback" not in result.stderr
    if kind == "garbage":
        assert path.read_bytes() == b"not a database at all " * 100


@pytest.mark.parametrize(
    "value",
    [
        "http://127.0.0.1:3128",
        "https://proxy.example.org:443",
        "socks5://u:p@127.0.0.1:1080",
        "socks5h://h:1",
    ],
)
def test_proxy_urls_are_accepted(value: str) -> None:
    """HTTP, HTTPS and SOCKS5 proxies, with or without credentials."""
    assert _settings(telegram_proxy=value).proxy_url == value


@pytest.mark.parametrize("value", ["127.0.0.1:3128", "ftp://proxy:21", "socks4://h:1", "http://proxy"])
def test_malformed_proxies_are_refused(value: str) -> None:
    """No scheme, an unsupported one, or no port: refused at start."""
    with pytest.raises(ValidationError, match="telegram_proxy"):
        _settings(telegram_proxy=value)


def test_empty_values_mean_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """`TELEGRAM_PROXY=` in an EnvironmentFile leaves the proxy off rather than refusing it."""
    for name in ("TELEGRAM_PROXY", "TELEGRAM_WEBHOOK_URL", "TELEGRAM_WEBHOOK_SECRET", "SURVEY_DB"):
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    settings = Settings(_env_file=None)
    assert settings.proxy_url is None
    assert settings.webhook is None
    assert settings.survey_db == Path("survey.db")


def test_webhook_settings() -> None:
    """The public URL's path is served; the listen address and port are separate; the secret is kept."""
    settings = _settings(
        telegram_webhook_url="https://survey.example.gov.cn/tg/updates",
        telegram_webhook_port="8443",
        telegram_webhook_secret="s3cret_-",
    )
    webhook = settings.webhook
    assert webhook is not None
    assert webhook.path == "/tg/updates"
    assert (webhook.listen, webhook.port, webhook.secret) == ("127.0.0.1", 8443, "s3cret_-")


def test_an_unset_webhook_secret_is_drawn_once_per_process() -> None:
    """Without TELEGRAM_WEBHOOK_SECRET a long random one is used, the same for the whole run."""
    first = _settings(telegram_webhook_url="https://a.example.org/")
    second = _settings(telegram_webhook_url="https://a.example.org/")
    assert first.webhook is not None
    assert second.webhook is not None
    assert first.webhook.secret == first.webhook.secret
    assert first.webhook.secret != second.webhook.secret
    assert len(first.webhook.secret) >= 32


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("telegram_webhook_url", "http://survey.example.gov.cn/hook"),  # Telegram needs HTTPS
        ("telegram_webhook_url", "survey.example.gov.cn/hook"),
        ("telegram_webhook_secret", "has spaces"),
        ("telegram_webhook_secret", "x" * 257),
        ("telegram_webhook_port", "70000"),
    ],
)
def test_malformed_webhook_settings_are_refused(name: str, value: str) -> None:
    """A plain-HTTP public URL, a secret Telegram would refuse, a port out of range."""
    with pytest.raises(ValidationError, match=name):
        _settings(**{"telegram_webhook_url": "https://a.example.org/", name: value})


def test_the_web_form_is_served_only_with_an_address() -> None:
    """No SURVEY_WEB_URL: no form; with one, 127.0.0.1:8080 unless set, its path and HTTPS kept."""
    assert _settings().web is None
    web = _settings(survey_web_url="https://survey.example.gov.cn/ceping").web
    assert web is not None
    assert (web.listen, web.port, web.base, web.secure) == ("127.0.0.1", 8080, "/ceping/", True)
    assert web.link("s/K7M2Q9XH4PR3TVC") == "https://survey.example.gov.cn/ceping/s/K7M2Q9XH4PR3TVC"
    lan = _settings(survey_web_url="http://10.1.2.3:8080", survey_web_listen="0.0.0.0").web  # noqa: S104
    assert lan is not None
    assert (lan.base, lan.secure, lan.listen) == ("/", False, "0.0.0.0")  # noqa: S104


@pytest.mark.parametrize(
    "url", ["survey.example.gov.cn", "ftp://x/", "https:///", "https://x/?a=1", "https://x/#f"]
)
def test_a_web_address_that_is_no_http_url_is_refused(url: str) -> None:
    """SURVEY_WEB_URL must be http(s)://host[:port][/path]: it is printed on every slip."""
    with pytest.raises(ValidationError, match="survey_web_url"):
        _settings(survey_web_url=url)


def test_the_web_form_and_the_webhook_cannot_share_a_port() -> None:
    """Both on 127.0.0.1:8443: refused at start, naming both settings."""
    with pytest.raises(ValidationError, match="SURVEY_WEB_PORT"):
        _settings(
            survey_web_url="https://x/",
            survey_web_port="8443",
            telegram_webhook_url="https://x/hook",
        )
