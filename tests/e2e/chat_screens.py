"""The phone screens of a briefing, for the leader's guide: `python -m tests.e2e.chat_screens DIR`.

The real bot runs on the local Bot API emulator (as the end-to-end tests run it); a leader and
six participants go through a briefing from /open to the 结果反馈, and at each step the chat as
it then stands (the bot's messages with their HTML and buttons, what the person typed, a press's
notice) is drawn as a Telegram chat on a phone and photographed by headless chromium at
390 × 844. DIR must be outside the repository unless it is docs/images/ (the guide's pictures).
"""

from __future__ import annotations

import asyncio
import base64
import html
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import SecretStr

from bot.config import Settings
from bot.texts import ZH
from conversations.annex2 import ANNEX2
from emulator import BotApiEmulator, BotMessage
from emulator.people import Person
from tests.browser.chromium import Phone, installed
from tests.e2e.conftest import LEADER_ID, RunningBot
from tests.e2e.flows import answer_step, link_token, send_open, varied_answers

ROOT = Path(__file__).resolve().parents[2]
BOT_NAME = "民主测评助手"


@dataclass
class Bubble:
    """One message on the screen: the bot's (HTML, buttons, a picture or a file) or the person's."""

    html: str
    mine: bool = False
    buttons: list[list[str]] = field(default_factory=list)
    photo: bytes | None = None
    document: str | None = None


def bot_bubble(message: BotMessage) -> Bubble:
    """Return the bot's message as it stands now (its latest edit)."""
    return Bubble(
        html=message.html or html.escape(message.text),
        buttons=[[button.text for button in row] for row in message.buttons],
        photo=message.photo,
        document=message.document_name,
    )


def typed(text: str) -> Bubble:
    """Return what the person sent."""
    return Bubble(html=html.escape(text), mine=True)


STYLE = """
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.4 "Noto Sans CJK SC", "Noto Sans SC", sans-serif; background: #cfd9c4; }
.top { position: fixed; top: 0; left: 0; right: 0; height: 56px; background: #517da2; color: #fff;
       display: flex; align-items: center; padding: 0 16px; font-weight: 600; z-index: 2; }
.top small { display: block; font-weight: 400; opacity: .8; font-size: 12px; }
.chat { position: fixed; top: 56px; bottom: 0; left: 0; right: 0; display: flex; flex-direction: column;
        justify-content: flex-end; padding: 8px 8px 12px; overflow: hidden; gap: 6px; }
.bubble { max-width: 88%; background: #fff; border-radius: 12px; padding: 7px 10px; overflow: hidden;
          white-space: pre-wrap;
          word-break: break-word; box-shadow: 0 1px 1px rgba(0,0,0,.12); }
.bubble pre, .bubble code { font: 12px/1.35 "DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace; }
.bubble pre { margin: 2px 0; white-space: pre; overflow: hidden; }
.mine { align-self: flex-end; background: #effdde; }
.theirs { align-self: flex-start; }
.keyboard { align-self: flex-start; width: 88%; display: flex; flex-direction: column; gap: 4px;
            margin-top: -2px; }
.row { display: flex; gap: 4px; }
.row span { flex: 1; text-align: center; background: rgba(60,90,60,.38); color: #fff; border-radius: 8px;
            padding: 8px 4px; font-size: 14px; font-weight: 500; }
.photo { max-width: 60%; border-radius: 12px; align-self: flex-start; }
.file { align-self: flex-start; background: #fff; border-radius: 12px; padding: 10px; display: flex;
        gap: 10px; align-items: center; max-width: 88%; }
.file b { display: inline-block; width: 40px; height: 40px; border-radius: 50%; background: #4fae4e; }
.toast { position: fixed; top: 70px; left: 24px; right: 24px; background: rgba(30,30,30,.88); color: #fff;
         border-radius: 10px; padding: 12px 14px; z-index: 3; }
.alert { position: fixed; top: 38%; left: 36px; right: 36px; background: #fff; border-radius: 12px;
         padding: 18px; z-index: 3; box-shadow: 0 8px 30px rgba(0,0,0,.35); }
.alert i { display: block; text-align: right; color: #517da2; font-style: normal; margin-top: 12px; }
.shade { position: fixed; inset: 0; background: rgba(0,0,0,.35); z-index: 2; }
"""


def page(title: str, bubbles: list[Bubble], notice: str | None = None, *, alert: bool = False) -> str:
    """Return the chat as an HTML page: the newest message at the bottom, as a phone shows it."""
    parts: list[str] = []
    for bubble in bubbles:
        if bubble.photo is not None:
            picture = base64.b64encode(bubble.photo).decode()
            parts.append(f'<img class="photo" src="data:image/png;base64,{picture}">')
        if bubble.document is not None:
            parts.append(f'<div class="file"><b></b><span>{html.escape(bubble.document)}</span></div>')
        if bubble.html:
            side = "mine" if bubble.mine else "theirs"
            parts.append(f'<div class="bubble {side}">{bubble.html}</div>')
        if bubble.buttons:
            rows = "".join(
                '<div class="row">' + "".join(f"<span>{html.escape(b)}</span>" for b in row) + "</div>"
                for row in bubble.buttons
            )
            parts.append(f'<div class="keyboard">{rows}</div>')
    overlay = ""
    if notice and alert:
        overlay = f'<div class="shade"></div><div class="alert">{html.escape(notice)}<i>OK</i></div>'
    elif notice:
        overlay = f'<div class="toast">{html.escape(notice)}</div>'
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width"><style>{STYLE}</style></head><body>'
        f'<div class="top"><div>{BOT_NAME}<small>{html.escape(title)}</small></div></div>'
        f'<div class="chat">{"".join(parts)}</div>{overlay}</body></html>'
    )


class Camera:
    """Headless chromium at a phone's size, photographing chat pages into a folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pages = Path(tempfile.mkdtemp(prefix="chat-screens-"))
        self.phone = Phone(scale=2)

    def shoot(
        self, name: str, title: str, bubbles: list[Bubble], notice: str | None = None, *, alert: bool = False
    ) -> None:
        """Draw the chat and save it as <name>.png."""
        source = self.pages / f"{name}.html"
        source.write_text(page(title, bubbles, notice, alert=alert), encoding="utf-8")
        self.phone.open(source.as_uri())
        self.phone.driver.save_screenshot(str(self.folder / f"{name}.png"))
        print(self.folder / f"{name}.png")

    def close(self) -> None:
        """Close the browser."""
        self.phone.driver.quit()


async def briefing(camera: Camera, data: Path) -> None:  # noqa: PLR0915 - one walk through a briefing
    """Run a briefing on the emulator and photograph its screens."""
    emulator = BotApiEmulator()
    await emulator.start()
    settings = Settings(
        _env_file=None,
        telegram_bot_token=SecretStr(emulator.token),
        telegram_base_url=emulator.base_url,
        survey_db=data / "survey.db",
        survey_leaders=frozenset({LEADER_ID}),
        survey_min_group=3,
        survey_live_interval=0.3,
    )
    running = RunningBot(settings, emulator)
    await running.start()
    try:
        leader = Person(emulator, LEADER_ID, first_name="组长")
        await leader.send("/me 张三 第一检查组")
        opened = await send_open(leader, "/open 县财政局 25人")
        camera.shoot("01-open", "组长", [typed("/open 县财政局 25人"), bot_bubble(opened)])
        token = link_token(opened)

        person = Person(emulator, 5001, first_name="参评人")
        welcome = await person.send(f"/start {token}")
        assert welcome is not None
        camera.shoot("02-welcome", "参评人", [bot_bubble(welcome)])
        await person.press(welcome, ZH.BEGIN)
        camera.shoot("03-category", "参评人", [bot_bubble(welcome)])
        answers = varied_answers(2)
        survey = welcome
        multi = next(i for i, q in enumerate(ANNEX2.questions) if q.max_choices > 1)
        for index in range(multi):
            survey = await answer_step(person, survey, index, answers)
        options = [option.label for option in ANNEX2.questions[multi].options]
        for label in options[:3]:
            await person.press(survey, label)
        refused = await person.press(survey, options[3])
        camera.shoot(
            "04-fourth-refused",
            "参评人",
            [bot_bubble(survey)],
            refused.get("text"),
            alert=bool(refused.get("show_alert")),
        )
        await person.press(survey, options[3 - 1])  # take one back: two ticked
        for index in range(multi, ANNEX2.size - 1):
            if index == multi:
                await person.press(
                    survey, next(label for label in survey.labels() if label.startswith("完成"))
                )
                continue
            survey = await answer_step(person, survey, index, answers)
        suggestion = "建议进一步公开廉政风险点和防控措施。"
        review = await person.send(suggestion)
        assert review is not None
        camera.shoot("05-review", "参评人", [bot_bubble(survey), typed(suggestion), bot_bubble(review)])
        submitted = await person.press(review, "提交")
        camera.shoot("06-thanks", "参评人", [bot_bubble(review)], submitted.get("text"))

        for number in range(5):
            other = Person(emulator, 5100 + number, first_name="参评人")
            form = await other.send(f"/start {token}")
            assert form is not None
            await other.press(form, ZH.BEGIN)
            given = varied_answers(number)
            for index in range(ANNEX2.size):
                form = await answer_step(other, form, index, given)
            await other.press(form, "提交")
        live = await leader.send("/tally")
        assert live is not None
        camera.shoot("07-live-tally", "组长", [typed("/tally"), bot_bubble(live)])
        await leader.press(live, "结束测评")
        camera.shoot("08-close-confirm", "组长", [bot_bubble(live)])
        await leader.press(live, "确认结束")
        await emulator.wait_for(
            lambda: any((m.document_name or "").endswith(".xlsx") for m in leader.messages), timeout=60
        )
        camera.shoot("09-final-tally", "组长", [bot_bubble(live)])
        report = await leader.send("/report 县财政局")
        assert report is not None
        await emulator.wait_for(
            lambda: any((m.document_name or "").endswith(".docx") for m in leader.messages), timeout=60
        )
        document = next(m for m in reversed(leader.messages) if (m.document_name or "").endswith(".docx"))
        camera.shoot(
            "10-report", "组长", [typed("/report 县财政局"), bot_bubble(report), bot_bubble(document)]
        )
    finally:
        await running.stop()
        await emulator.stop()


def main() -> None:
    """Photograph the briefing into the folder given."""
    if not installed():
        sys.exit(
            "Debian's chromium and chromium-driver are needed (apt-get install chromium chromium-driver)"
        )
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/chat-screens").resolve()  # noqa: S108
    guide = ROOT / "docs" / "images"
    if folder.is_relative_to(ROOT) and not folder.is_relative_to(guide):
        sys.exit("write the screens outside the repository, or under docs/images/")
    folder.mkdir(parents=True, exist_ok=True)
    camera = Camera(folder)
    try:
        with tempfile.TemporaryDirectory() as data:
            asyncio.run(briefing(camera, Path(data)))
    finally:
        camera.close()


if __name__ == "__main__":
    main()
