"""Screenshots of every page of the browser form at 390 × 844: `python -m tests.browser.screenshots DIR`.

Writes one PNG per page (what a phone shows first) and, for pages longer than the screen, the
whole page too. DIR must be outside the repository.
"""

from __future__ import annotations

import base64
import sys
import tempfile
from pathlib import Path

from selenium.webdriver.common.by import By

from conversations.annex2 import ANNEX2
from conversations.questionnaire import QuestionKind
from tests.browser.chromium import HEIGHT, Phone, installed
from tests.browser.served import ServedForm

ROOT = Path(__file__).resolve().parents[2]


def shoot(phone: Phone, folder: Path, name: str) -> None:
    """Save what the screen shows and, if the page is longer, the whole page."""
    driver = phone.driver
    driver.save_screenshot(str(folder / f"{name}.png"))
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    if height > HEIGHT:
        phone.screen(height)
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
        (folder / f"{name}-full.png").write_bytes(base64.b64decode(shot["data"]))
        phone.screen(HEIGHT)
    print(folder / f"{name}.png", f"(page height {height} px)")


def main(folder: Path) -> None:  # noqa: PLR0915 - one walk through every page
    """Walk a slip through every page, shooting each."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data, ServedForm(Path(data)) as served:
        first, second = served.slips(2)
        phone = Phone(scale=2)
        driver = phone.driver
        try:
            phone.open(served.url)
            shoot(phone, folder, "01-start")
            driver.find_element(By.ID, "code").send_keys("K7M2Q-9XH4P-R3TVD")
            phone.press("进入测评")
            shoot(phone, folder, "02-wrong-code")
            phone.open(f"{served.url}s/{first}")
            shoot(phone, folder, "03-welcome")
            phone.press("开始作答")
            shoot(phone, folder, "04-category")
            for index, question in enumerate(ANNEX2.questions):
                if question.kind is QuestionKind.SINGLE:
                    phone.press(question.options[0].label)
                elif question.kind is QuestionKind.MULTI:
                    for option in question.options[:4]:
                        phone.tick(option.label)
                    if index == next(
                        i for i, q in enumerate(ANNEX2.questions) if q.kind is QuestionKind.MULTI
                    ):
                        shoot(phone, folder, "06-four-ticked-live-warning")
                        phone.press("下一题")
                        shoot(phone, folder, "07-fourth-refused")
                    phone.tick(question.options[3].label)
                    phone.press("下一题")
                else:
                    driver.find_element(By.ID, "text").send_keys(
                        "建议加强对重点岗位的轮岗交流。\n廉政教育可以多结合本单位案例。"
                    )
                    shoot(phone, folder, "08-suggestion")
                    phone.press("完成")
                if index == 1:
                    shoot(phone, folder, "05-item-3")
            shoot(phone, folder, "09-review")
            phone.submit(driver.find_element(By.CSS_SELECTOR, "button[aria-label='修改第 5 题']"))
            shoot(phone, folder, "10-revising")
            phone.press(ANNEX2.questions[4].options[1].label)
            phone.press("提交答卷")
            shoot(phone, folder, "11-thanks")
            phone.open(f"{served.url}s/{first}")
            shoot(phone, folder, "12-used")
            phone.forget()
            phone.open(f"{served.url}s/{second}")
            phone.press("开始作答")
            served.call(served.room.repository.close_window(served.room.window.id))
            phone.press("班子成员")
            shoot(phone, folder, "13-ended")
            phone.open(f"{served.url}nowhere")
            shoot(phone, folder, "14-not-found")
        finally:
            phone.quit()


if __name__ == "__main__":
    if not installed():
        sys.exit("chromium and chromedriver are needed: apt-get install chromium chromium-driver")
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/web-form-screenshots").resolve()  # noqa: S108
    if target.is_relative_to(ROOT):
        sys.exit("write the screenshots outside the repository")
    main(target)
