"""What the person running the bot reads: start-up errors and the self-check, in Chinese and English.

The chat interface is in bot/texts.py; these are for whoever installs and runs the bot, who may read
either language, so every message carries both.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic_core import ErrorDetails


@dataclass(frozen=True)
class Said:
    """One message in Chinese and in English."""

    zh: str
    en: str

    def format(self, **values: object) -> Said:
        """Return the message with `{name}` fields filled in both languages."""
        return Said(self.zh.format(**values), self.en.format(**values))

    def block(self) -> str:
        """Return the message as two paragraphs, Chinese first."""
        return f"{self.zh}\n{self.en}"

    def cannot_start(self, fix: Said) -> Said:
        """Return this problem and its fix as a start-up error."""
        return Said(f"无法启动：{self.zh}。解决办法：{fix.zh}。", f"Cannot start: {self.en}. Fix: {fix.en}.")

    def inline(self) -> str:
        """Return the message on one line, Chinese first."""
        return f"{self.zh} / {self.en}"


# Start-up errors (printed to stderr, exit code 2 unless said otherwise).
NO_TOKEN = Said(
    "无法启动：未设置机器人令牌 TELEGRAM_BOT_TOKEN。解决办法：在 Telegram 中与 @BotFather"
    "（https://t.me/BotFather）对话，发送 /newbot，起一个名字和以 bot 结尾的用户名，复制它给出的令牌"
    "（形如 123456789:AA...），写入环境变量 TELEGRAM_BOT_TOKEN=<令牌>（或本文件夹的 .env 文件、"
    "服务的 EnvironmentFile），然后重新启动。",
    "Cannot start: no bot token, TELEGRAM_BOT_TOKEN is not set. Fix: talk to @BotFather in Telegram "
    "(https://t.me/BotFather), send /newbot, choose a name and a username ending in 'bot', and copy "
    "the token it gives you (it looks like 123456789:AA...). Then set TELEGRAM_BOT_TOKEN=<token> in "
    "the environment (or in a file named .env in this folder, or the service's EnvironmentFile) and "
    "start the bot again.",
)
BAD_TOKEN = Said(
    "无法启动：Telegram 拒绝了 TELEGRAM_BOT_TOKEN 中的令牌。解决办法：确认令牌是从 @BotFather 完整复制的，"
    "或向 @BotFather 发送 /token 获取新令牌，更新后重新启动。",
    "Cannot start: Telegram refused the bot token in TELEGRAM_BOT_TOKEN. Fix: check that it was copied "
    "whole from @BotFather (or ask @BotFather for a new one with /token), then start the bot again.",
)
BAD_SETTINGS = Said("无法启动：以下设置无效：", "Cannot start: these settings are not valid:")
BAD_SETTINGS_FIX = Said(
    "解决办法：在环境变量、.env 文件或服务的 EnvironmentFile 中改正上述设置，"
    "然后重新启动（见 docs/configuration.md）。",
    "Fix: correct the settings named above in the environment, the .env file or the service's "
    "EnvironmentFile, then start the bot again (see docs/configuration.md).",
)
DATABASE_UNUSABLE = Said(
    "无法启动：数据库 {path} 不可用（{reason}）。解决办法：确认 SURVEY_DB 指向本程序的测评数据库，"
    "运行机器人的用户能读写该文件及其所在文件夹（以及密钥文件 {key}）；"
    "文件损坏时从备份恢复（见 docs/operator.md 的“备份与恢复”）。",
    "Cannot start: the database {path} is not usable ({reason}). Fix: check that SURVEY_DB names this "
    "program's survey database and that the user the bot runs as can read and write it, its folder "
    "and the key file {key}; if the file is damaged, restore a backup (docs/operator.md: Backup).",
)
UNREACHABLE = Said(
    "无法连接 Bot API {url}（{reason}）。解决办法：检查网络、TELEGRAM_BASE_URL 和 TELEGRAM_PROXY"
    "（许多网络需要经代理才能访问 Telegram）；用 python -m bot check 逐项检查。",
    "Cannot reach the Bot API at {url} ({reason}). Fix: check the network, TELEGRAM_BASE_URL and "
    "TELEGRAM_PROXY (many networks reach Telegram only through a proxy); python -m bot check tests each.",
)
CANNOT_LISTEN = Said(
    "无法在 {listen}:{port} 接收 Webhook（{reason}）。解决办法：停止占用该端口的程序，或修改 "
    "TELEGRAM_WEBHOOK_LISTEN / TELEGRAM_WEBHOOK_PORT（反向代理也要随之修改）。",
    "Cannot listen for the webhook on {listen}:{port} ({reason}). Fix: stop whatever holds that port, "
    "or change TELEGRAM_WEBHOOK_LISTEN / TELEGRAM_WEBHOOK_PORT (and the reverse proxy with it).",
)
WEB_CANNOT_LISTEN = Said(
    "无法在 {listen}:{port} 提供网页测评表（{reason}）。解决办法：停止占用该端口的程序，或修改 "
    "SURVEY_WEB_LISTEN / SURVEY_WEB_PORT（反向代理也要随之修改）；不用网页测评表时删去 SURVEY_WEB_URL。",
    "Cannot serve the web form on {listen}:{port} ({reason}). Fix: stop whatever holds that port, or change "
    "SURVEY_WEB_LISTEN / SURVEY_WEB_PORT (and the reverse proxy with it); remove SURVEY_WEB_URL to run "
    "without the web form.",
)
USAGE = Said(
    "用法：python -m bot（启动）| python -m bot check（自检）| python -m bot backup 文件（备份）"
    "| python -m bot new-key（密钥文件确已丢失时新建）",
    "usage: python -m bot (run) | python -m bot check (self-check) | python -m bot backup FILE "
    "| python -m bot new-key (a new key file, where it is lost for good)",
)
NEW_KEY_EXISTS = Said(
    "密钥文件 {path} 已存在，未作改动。", "The key file {path} exists; nothing was changed."
)
NEW_KEY_MADE = Said(
    "已新建密钥文件 {path}（仅所有者可读）。正在测评的单位认不出已参加的人：他们可能再次提交，"
    "未完成的答卷需从头填写。请在结束时核对收到的份数与到会人数。",
    "Made a new key file {path} (owner-only). Units still open no longer recognise who took part: "
    "they could answer again, and unfinished forms start over. Compare the ballots received with "
    "the headcount when you close.",
)

# The self-check: one line per check, "✔ name: detail" or "✘ name: problem — fix".
PASSED = "✔"
FAILED = "✘"
FIX = Said("解决", "fix")
SUMMARY_PASSED = Said("全部通过，可以开始测评。", "All checks passed: ready for the briefing.")
SUMMARY_FAILED = Said(
    "{count} 项未通过，请按提示修复后再运行 python -m bot check。",
    "{count} check(s) failed: fix them as shown and run python -m bot check again.",
)

CONFIGURATION = Said("配置", "configuration")
CONFIG_POLLING = Said("轮询模式", "polling mode")
CONFIG_WEBHOOK = Said(
    "Webhook 模式 {url}，本机监听 {listen}:{port}", "webhook mode {url}, listening on {listen}:{port}"
)
CONFIG_DIRECT = Said("直连 {base}", "direct to {base}")
CONFIG_PROXY = Said("经代理 {proxy} 访问 {base}", "through the proxy {proxy} to {base}")
CONFIG_TRANSPORT = Said("HTTP 客户端 {name}", "HTTP client {name}")
CONFIG_INVALID = Said("设置无效：{names}", "not valid: {names}")
CONFIG_FIX = Said(
    "在环境变量、.env 或 EnvironmentFile 中改正这些设置（见 docs/configuration.md）",
    "correct these settings in the environment, .env or the EnvironmentFile (docs/configuration.md)",
)
CONFIG_NO_TOKEN_FIX = Said(
    "向 @BotFather（https://t.me/BotFather）发送 /newbot 获取令牌，写入 TELEGRAM_BOT_TOKEN",
    "get a token from @BotFather (https://t.me/BotFather, /newbot) and set TELEGRAM_BOT_TOKEN",
)

PEOPLE = Said("组长和管理员", "leaders and admins")
PEOPLE_OK = Said("{leaders} 名组长，{admins} 名管理员", "{leaders} leader(s), {admins} admin(s)")
PEOPLE_NONE = Said("没有组长也没有管理员：谁也不能开始测评", "no leader and no admin: nobody can open a unit")
PEOPLE_NONE_FIX = Said(
    "把组长的 Telegram 用户 ID 写入 SURVEY_LEADERS（或管理员的写入 SURVEY_ADMINS，由其邀请组长）",
    "put the leaders' Telegram user ids in SURVEY_LEADERS "
    "(or an admin's in SURVEY_ADMINS, who invites leaders)",
)
BACKUP_NO_KEY = Said(
    "无法备份：有 {units} 个单位正在测评，但密钥文件 {path} 不见了，没有它的备份无法恢复。"
    "解决办法：先恢复密钥文件（或确已丢失时运行 python -m bot new-key），再备份。",
    "Cannot back up: {units} unit(s) are open but the key file {path} is missing, and a copy "
    "without it cannot be restored. Fix: restore the key file first (or, if it is lost for good, "
    "run python -m bot new-key), then back up.",
)
NEW_KEY_NO_DATABASE = Said(
    "没有数据库 {path}，未新建密钥文件：请在机器人的文件夹中运行，或设置 SURVEY_DB。",
    "There is no database {path}, so no key file was made: run this in the bot's folder, or set SURVEY_DB.",
)
NEW_KEY_NOTHING_OPEN = Said(
    "已新建密钥文件 {path}（仅所有者可读）。没有正在测评的单位，无需其他处理。",
    "Made a new key file {path} (owner-only). No unit is open: nothing else is affected.",
)
SETTINGS_UNREADABLE = Said(
    "无法读取设置：{reason}。解决办法：在机器人的文件夹中运行（cd 到 .env 所在处），"
    "或让运行它的用户能读取该文件。",
    "Cannot read the settings: {reason}. Fix: run this in the bot's folder (where its .env is), "
    "or let the user running it read that file.",
)

DATABASE = Said("数据库", "database")
DB_NEW = Said("{path} 尚不存在，首次启动时创建", "{path} does not exist yet; it is created on first start")
DB_CANNOT_CREATE = Said("无法在 {folder} 中创建 {path}", "{path} cannot be created in {folder}")
DB_CANNOT_CREATE_FIX = Said(
    "创建该文件夹并交给运行机器人的用户（chown），或修改 SURVEY_DB",
    "create the folder and give it to the user the bot runs as (chown), or change SURVEY_DB",
)
DB_UNREADABLE = Said("无法读取 {path}（{reason}）", "cannot read {path} ({reason})")
DB_UNREADABLE_FIX = Said(
    "确认 SURVEY_DB 指向测评数据库且运行机器人的用户能读写它；文件损坏时从备份恢复",
    "check that SURVEY_DB names the survey database and the bot's user can read and write it; "
    "if it is damaged, restore a backup",
)
DB_FOREIGN = Said(
    "{path} 不是测评数据库（存有其他数据）", "{path} is not a survey database (it holds other data)"
)
DB_FOREIGN_FIX = Said(
    "让 SURVEY_DB 指向测评数据库或一个新文件名", "point SURVEY_DB at the survey database or a new file name"
)
DB_NEWER = Said(
    "{path} 的结构版本 {version} 比本程序的 {ours} 新",
    "{path} has schema version {version}, newer than this program's {ours}",
)
DB_NEWER_FIX = Said("使用写入该文件的较新版本程序", "run the newer release of the program that wrote it")
DB_DAMAGED = Said("{path} 完整性检查未通过：{result}", "{path} failed its integrity check: {result}")
DB_DAMAGED_FIX = Said(
    "停止机器人，从备份恢复（见 docs/operator.md 的“备份与恢复”）",
    "stop the bot and restore a backup (see Backup and restore in docs/operator.md)",
)
DB_READ_ONLY = Said("{path} 只读，机器人无法保存答卷", "{path} is read-only: the bot could not save ballots")
DB_READ_ONLY_FIX = Said(
    "把文件及其文件夹交给运行机器人的用户（chown）并允许写入",
    "give the file and its folder to the bot's user (chown) and allow writing",
)
DB_OK = Said("{path}：结构版本 {version}，完整性正常", "{path}: schema version {version}, integrity ok")
DB_MIGRATE = Said("（启动时升级到 {ours}）", " (migrated to {ours} at start)")

KEY_FILE = Said("密钥文件", "key file")
KEY_NEW = Said("{path} 启动时创建（仅所有者可读）", "{path} is created owner-only on start")
KEY_MISSING = Said(
    "数据库中有 {units} 个单位正在测评，但密钥文件 {path} 不见了",
    "{units} unit(s) are open in the database but its key file {path} is missing",
)
KEY_MISSING_FIX = Said(
    "从与数据库一起做的备份中恢复 {path}（没有它，已参加的人可以再次提交）；确实找不到时，"
    "运行 python -m bot new-key 新建一个",
    "restore {path} from the backup made with the database (without it people who took part "
    "could answer again); if it is lost for good, make a new one with python -m bot new-key",
)
KEY_OPEN = Said("{path} 的权限是 {mode}，其他用户可读", "{path} has mode {mode}: other users can read it")
KEY_OPEN_FIX = Said("chmod 600 {path}", "chmod 600 {path}")
KEY_UNREADABLE = Said("无法读取 {path}", "cannot read {path}")
KEY_UNREADABLE_FIX = Said(
    "把 {path} 交给运行机器人的用户（chown）", "give {path} to the user the bot runs as (chown)"
)
KEY_OK = Said("{path}：仅所有者可读（{mode}）", "{path}: owner-only ({mode})")

BOT_API = Said("Bot API（getMe）", "Bot API (getMe)")
API_OK = Said("以 @{username} 连接成功", "connected as @{username}")
API_BAD_TOKEN = Said("Bot API 拒绝了该令牌", "the Bot API refused the token")
API_BAD_TOKEN_FIX = Said(
    "从 @BotFather 完整复制令牌（或发送 /token 换新令牌）并更新 TELEGRAM_BOT_TOKEN；"
    "也确认 TELEGRAM_BASE_URL 正确",
    "copy the token whole from @BotFather (or get a new one with /token) into TELEGRAM_BOT_TOKEN; "
    "also check TELEGRAM_BASE_URL",
)
API_UNREACHABLE = Said("无法连接 {url}（{reason}）", "cannot reach {url} ({reason})")
API_UNREACHABLE_FIX = Said(
    "检查网络和 TELEGRAM_BASE_URL；本网络无法直连 Telegram 时设置 TELEGRAM_PROXY",
    "check the network and TELEGRAM_BASE_URL; "
    "where this network cannot reach Telegram directly, set TELEGRAM_PROXY",
)
API_UNREACHABLE_PROXY_FIX = Said(
    "确认代理 {proxy} 在运行并允许访问 {url}，或修改 TELEGRAM_PROXY",
    "check that the proxy {proxy} is running and lets this machine reach {url}, or change TELEGRAM_PROXY",
)
API_REFUSED = Said("Bot API 报错：{reason}", "the Bot API answered with an error: {reason}")
API_REFUSED_FIX = Said(
    "按报错内容检查 TELEGRAM_BASE_URL 和令牌", "check TELEGRAM_BASE_URL and the token against the error"
)

WEBHOOK = Said("Webhook（getWebhookInfo）", "webhook (getWebhookInfo)")
HOOK_NOT_SET = Said("尚未设置，机器人启动时设置", "not set yet; the bot sets it when it starts")
HOOK_OTHER = Said(
    "Telegram 正推送到 {url}，不是 TELEGRAM_WEBHOOK_URL",
    "Telegram delivers to {url}, not TELEGRAM_WEBHOOK_URL",
)
HOOK_OTHER_FIX = Said(
    "启动机器人（它会设置 TELEGRAM_WEBHOOK_URL）；若另有程序使用同一令牌，先停用它",
    "start the bot (it sets TELEGRAM_WEBHOOK_URL); if another program uses this token, stop it first",
)
HOOK_FAILING = Said(
    "Telegram 无法送达（{error}），{pending} 条更新在等待",
    "Telegram cannot deliver ({error}); {pending} update(s) waiting",
)
HOOK_FAILING_FIX = Said(
    "确认机器人在运行、该地址可从互联网经 HTTPS 访问、证书有效、反向代理转发到 {listen}:{port}",
    "make sure the bot is running, the URL is reachable from the internet over HTTPS with a valid "
    "certificate, and the reverse proxy forwards it to {listen}:{port}",
)
HOOK_OK = Said("{url}，等待中的更新 {pending} 条", "{url}, {pending} update(s) waiting")
WEB_LISTENER = Said("网页测评表监听", "web form listener")
WEB_CAN_LISTEN = Said("可以在 {listen}:{port} 监听", "can listen on {listen}:{port}")
WEB_SERVED = Said(
    "{listen}:{port} 已由运行中的机器人提供网页测评表",
    "the running bot already serves the web form on {listen}:{port}",
)
WEB_TAKEN = Said("无法在 {listen}:{port} 监听（{reason}）", "cannot listen on {listen}:{port} ({reason})")
WEB_TAKEN_FIX = Said(
    "停止占用该端口的程序，或修改 SURVEY_WEB_LISTEN / SURVEY_WEB_PORT（反向代理也要随之修改）",
    "stop whatever holds that port, or change SURVEY_WEB_LISTEN / SURVEY_WEB_PORT "
    "(and the reverse proxy with it)",
)
WEB_ADDRESS = Said("网页测评表地址（SURVEY_WEB_URL）", "web form address (SURVEY_WEB_URL)")
WEB_ANSWERS = Said(
    "{url} 可以访问，且由本机 {listen}:{port} 应答", "{url} answers, from {listen}:{port} on this machine"
)
WEB_UNREACHABLE = Said(
    "从本机无法打开 {url}（{reason}）", "{url} cannot be opened from this machine ({reason})"
)
WEB_OTHER = Said(
    "{url} 有应答，但不是本机 {listen}:{port}（{found}）",
    "{url} answers, but not from {listen}:{port} on this machine ({found})",
)
WEB_ADDRESS_FIX = Said(
    "让反向代理把 {url} 转发到 http://{listen}:{port}（路径不变），检查域名解析、防火墙和证书；"
    "局域网直连时 SURVEY_WEB_LISTEN 应为本机在该网络上的地址",
    "make the reverse proxy forward {url} to http://{listen}:{port} (the path unchanged), and check the "
    "name, the firewall and the certificate; on a room's network without a proxy, SURVEY_WEB_LISTEN must be "
    "this machine's address on that network",
)

# Why a setting is not valid, by pydantic's error type: what an office types wrong, in both languages.
SETTING_MISSING = Said("未设置", "missing")
SETTING_REASONS = {
    "zoneinfo_str": Said(
        "时区名称无效：{value}，应写如 Asia/Shanghai（北京时间）",
        "invalid timezone: {value}; write one like Asia/Shanghai (Beijing time)",
    ),
    "int_parsing": Said("应为整数，如 3", "must be a whole number, e.g. 3"),
    "int_from_float": Said("应为整数，如 3", "must be a whole number, e.g. 3"),
    "float_parsing": Said("应为数字，如 10", "must be a number, e.g. 10"),
    "bool_parsing": Said("应为 true 或 false", "must be true or false"),
    "greater_than_equal": Said("不能小于 {ge}", "must be at least {ge}"),
    "greater_than": Said("应大于 {gt}", "must be more than {gt}"),
    "less_than_equal": Said("不能大于 {le}", "must be at most {le}"),
    "less_than": Said("应小于 {lt}", "must be less than {lt}"),
    "literal_error": Said("只能是 {expected}", "must be {expected}"),
    "string_too_short": Said("不能为空", "must not be empty"),
    "path_type": Said("应为文件路径", "must be a file path"),
}
SETTING_OTHER = Said("设置值无效（{msg}）", "not valid ({msg})")


def setting_reason(error: ErrorDetails) -> Said:
    """Return why one setting is not valid, in Chinese and English (pydantic says it in English only)."""
    if error["type"] == "missing":
        return SETTING_MISSING
    if error["type"] == "value_error":  # our own validators say both already: "中文 / English"
        text = str(error.get("ctx", {}).get("error", error["msg"]))
        zh, _, en = text.partition(" / ")
        return Said(zh, en or zh)
    template = SETTING_REASONS.get(error["type"])
    if template is None:
        return SETTING_OTHER.format(msg=error["msg"])
    found = {"value": error.get("input", ""), **error.get("ctx", {})}
    values = {k: str(v).replace("'", "") for k, v in found.items()}
    chinese = {k: v.replace(" or ", " 或 ") for k, v in values.items()}
    return Said(template.zh.format(**chinese), template.en.format(**values))
