"""Every time a person reads is the county's local time (SURVEY_TZ), as the office says it."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from docx import Document

from conversations.annex1 import ANNEX1
from emulator import BotApiEmulator
from emulator.people import Person
from reports.localtime import chinese_stamp
from tests.e2e.conftest import RunningBot
from tests.e2e.flows import complete, open_unit, varied_answers

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _county_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the bot with SURVEY_TZ set the way the README tells a county to set it."""
    monkeypatch.setenv("SURVEY_TZ", "Asia/Shanghai")


def around(moment: datetime) -> set[str]:
    """Return how a moment reads to the office (12月8日 15:20), a minute either side (the clock may tick)."""
    readings = set()
    for delta in (-1, 0, 1):
        at = (moment + timedelta(minutes=delta)).astimezone(SHANGHAI)
        readings.add(f"{at.month}月{at.day}日 {at.hour}:{at.minute:02d}")
    return readings


def as_papers_read(moment: datetime) -> set[str]:
    """Return how a moment reads on paper (2026年11月26日 18:16（北京时间）), a minute either side."""
    return {chinese_stamp(moment + timedelta(minutes=delta), SHANGHAI) for delta in (-1, 0, 1)}


def utc_reading(moment: datetime) -> set[str]:
    """Return how the same moment would read in UTC, to prove it is not shown that way."""
    return {(moment + timedelta(minutes=d)).strftime("%Y-%m-%d %H:%M") for d in (-1, 0, 1)}


async def test_times_read_as_local_time(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person, admin: Person
) -> None:
    """Opened/closed, 导出时间, 定稿时间 and an invite's expiry read in Shanghai as the office says it.

    Messages say 12月8日 15:20 (Beijing time goes without saying), never "UTC+8"; the papers say
    2026年12月8日 15:20（北京时间）.
    """
    assert bot.settings.survey_tz == SHANGHAI
    started = datetime.now(UTC)
    token = await open_unit(leader, "县财政局")
    for number in range(3):
        await complete(Person(emulator, 300 + number), token, varied_answers(number))

    live = await leader.send("/tally")
    assert live is not None
    opened_line = next(line for line in live.text.splitlines() if line.startswith("开始时间："))
    assert opened_line.removeprefix("开始时间：") in around(started)
    assert not any(reading in opened_line for reading in utc_reading(started))
    assert "UTC" not in live.text

    await leader.press(live, "结束测评")
    await leader.press(live, "确认结束")
    await emulator.wait_for(
        lambda: bool(leader.last.document_name and leader.last.document_name.endswith("csv"))
    )
    assert "结束时间：" in live.text
    workbook = next(m for m in leader.messages if (m.document_name or "").endswith(".xlsx"))
    rows = {
        row[0]: row[1]
        for row in openpyxl.load_workbook(io.BytesIO(workbook.document or b""))["汇总"].iter_rows(
            values_only=True
        )
        if row[0]
    }
    assert rows["导出时间"] in as_papers_read(datetime.now(UTC))
    assert rows["开始时间"] in as_papers_read(started)
    assert rows["结束时间"] in as_papers_read(datetime.now(UTC))

    await leader.send("/me 张三 第一检查组")
    sheet = await leader.send("/score 县财政局")
    assert sheet is not None
    for item in ANNEX1.items:
        await leader.press(sheet, str(item.max_points))
    await leader.press(sheet, "定稿")
    await leader.press(sheet, "确认定稿")
    finalised = next(line for line in sheet.text.splitlines() if line.startswith("已于 "))
    assert any(f"已于 {reading} 由" in finalised for reading in around(datetime.now(UTC)))
    assert "UTC" not in sheet.text

    report = await leader.send("/report 县财政局")
    assert report is not None
    assert any(f"开始时间：{reading}" in report.text for reading in around(started))
    await emulator.wait_for(lambda: bool(leader.last.document))
    document = Document(io.BytesIO(leader.last.document or b""))
    body = "\n".join(paragraph.text for paragraph in document.paragraphs)
    # the paper: dates as 2026年11月26日, times as 北京时间, never an offset nor an internal stamp
    opened = {reading.split("（")[0] for reading in as_papers_read(started)}
    assert any(f"测评时间：{reading}—" in body for reading in opened)
    assert "（北京时间）" in body
    assert "UTC" not in body
    assert "定稿" not in body.split("附件1")[-1].split("附件2")[0]

    invite = await admin.send("/invite")
    assert invite is not None
    expiry = datetime.now(UTC) + timedelta(hours=24)
    assert any(f"24 小时内有效，至 {reading}）" in invite.text for reading in around(expiry))
    assert "UTC" not in invite.text
    listing = await admin.send("/leaders")
    assert listing is not None
    assert "UTC" not in listing.text
