"""The browser form in a real browser: Debian's chromium, headless, at a phone's 390 × 844.

One browser and one server for the module (each test starts with no cookies and its own slips).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By

from conversations.annex2 import ANNEX2
from conversations.questionnaire import QuestionKind
from conversations.slips import printed
from tests.browser.chromium import MISSING, WIDTH, Phone, installed
from tests.browser.served import ServedForm

pytestmark = [
    pytest.mark.skipif(not installed(), reason=MISSING),
    pytest.mark.xdist_group("chromium"),  # one browser at a time on this machine's two cores
    pytest.mark.slow,  # the group of five in one process: started first
]

MULTI = next(i for i, q in enumerate(ANNEX2.questions) if q.kind is QuestionKind.MULTI)
SIZE = ANNEX2.size


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedForm]:
    with ServedForm(tmp_path_factory.mktemp("web")) as served:
        yield served


@pytest.fixture(scope="module")
def chromium() -> Iterator[Phone]:
    phone = Phone()
    try:
        yield phone
    finally:
        phone.quit()


@pytest.fixture
def phone(chromium: Phone, served: ServedForm) -> Phone:
    """Return the module's browser as a fresh phone: no cookies."""
    chromium.open(f"{served.url}healthz")
    chromium.forget()
    return chromium


def fits(phone: Phone) -> None:
    """Assert the page fits the phone's width: nothing to scroll sideways."""
    width = phone.driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= WIDTH


def answer(phone: Phone, index: int) -> None:
    """Answer one page as a person does: tap an option, or tick two and go on, or write and go on."""
    question = ANNEX2.questions[index]
    assert f"第 {index + 1} / {SIZE} 题" in phone.text()
    fits(phone)
    match question.kind:
        case QuestionKind.SINGLE:
            phone.press(question.options[-1].label)
        case QuestionKind.MULTI:
            phone.tick(question.options[1].label)
            phone.tick(question.options[4].label)
            phone.press("下一题")
        case QuestionKind.TEXT:
            phone.driver.find_element(By.ID, "text").send_keys("建议公开用权事项。")
            phone.press("完成，检查答卷")


def begin(phone: Phone, served: ServedForm, code: str) -> None:
    """Scan the slip's QR code and tap 开始作答."""
    phone.open(f"{served.url}s/{code}")
    assert served.unit in phone.text()
    phone.press("开始作答")


def test_a_participant_completes_the_form_with_a_slip(phone: Phone, served: ServedForm) -> None:
    """QR → welcome → 16 pages by tapping → review (each answer, 修改 changes one) → submit → thanks."""
    (code,) = served.slips(1)
    before = served.ballots()
    phone.open(f"{served.url}s/{code}")
    welcome = phone.text()
    assert "匿名说明" in welcome
    assert ANNEX2.title in welcome
    fits(phone)
    phone.press("开始作答")
    for index in range(SIZE):
        answer(phone, index)
    review = phone.text()
    assert "请核对您的答卷" in review
    assert len(phone.driver.find_elements(By.CSS_SELECTOR, "button.revise")) == SIZE
    assert "服务对象代表" in review
    assert "选人用人办法需改进完善；大额资金支出制度需改进完善" in review
    fits(phone)
    phone.submit(phone.driver.find_element(By.CSS_SELECTOR, "button[aria-label='修改第 1 题']"))
    assert "第 1 / 16 题" in phone.text()
    phone.press("班子成员")
    assert "请核对您的答卷" in phone.text()
    assert "班子成员" in phone.text()
    phone.press("提交答卷")
    assert "感谢参加民主测评" in phone.text()
    assert served.ballots() == before + 1


def test_a_fourth_pick_is_refused(phone: Phone, served: ServedForm) -> None:
    """The counter warns at the fourth tick; the server refuses the page; unticking one goes on."""
    (code,) = served.slips(1)
    begin(phone, served, code)
    for index in range(MULTI):
        answer(phone, index)
    options = ANNEX2.questions[MULTI].options
    for option in options[:3]:
        phone.tick(option.label)
    assert phone.driver.find_element(By.ID, "counter").text == "已选 3/3"
    phone.tick(options[3].label)
    assert "已选 4/3 · 最多只能选 3 项" in phone.driver.find_element(By.ID, "counter").text
    phone.press("下一题")
    page = phone.text()
    assert "最多只能选 3 项，您选了 4 项" in page
    assert f"第 {MULTI + 1} / {SIZE} 题" in page
    assert len(phone.driver.find_elements(By.CSS_SELECTOR, "input[type=checkbox]:checked")) == 4
    phone.tick(options[0].label)
    phone.press("下一题")
    assert f"第 {MULTI + 2} / {SIZE} 题" in phone.text()


def test_a_reload_half_way_resumes(phone: Phone, served: ServedForm) -> None:
    """Seven pages in: a reload, the start address, a closed browser and the QR again all show page 8."""
    (code,) = served.slips(1)
    begin(phone, served, code)
    for index in range(7):
        answer(phone, index)
    phone.reload()
    assert "第 8 / 16 题" in phone.text()
    phone.open(served.url)
    assert "第 8 / 16 题" in phone.text()
    phone.forget()  # a browser closed for good: only the slip is left
    phone.open(f"{served.url}s/{code}")
    assert "第 8 / 16 题" in phone.text()
    answer(phone, 7)
    assert "第 9 / 16 题" in phone.text()


def test_the_same_slip_is_refused_afterwards(phone: Phone, served: ServedForm) -> None:
    """Submitted once: its QR code and its code typed say it has been used, with no way to begin."""
    (code,) = served.slips(1)
    begin(phone, served, code)
    for index in range(SIZE):
        answer(phone, index)
    phone.press("提交答卷")
    count = served.ballots()
    phone.open(f"{served.url}s/{code}")
    assert "此测评码已使用" in phone.text()
    phone.open(served.url)
    phone.driver.find_element(By.ID, "code").send_keys(printed(code).lower())
    phone.press("进入测评")
    assert "此测评码已使用" in phone.text()
    assert not phone.driver.find_elements(By.XPATH, "//button[contains(., '开始作答')]")
    assert served.ballots() == count


def test_without_javascript_the_form_still_completes(served: ServedForm) -> None:
    """Scripts off: the code typed, every page sent as a plain form, the 4th pick refused, the ballot in."""
    phone = Phone(javascript=False)
    try:
        fill_in_without_scripts(phone, served)
    finally:
        phone.quit()


def fill_in_without_scripts(phone: Phone, served: ServedForm) -> None:
    """Type the code, answer every page, submit."""
    (code,) = served.slips(1)
    before = served.ballots()
    phone.open(served.url)
    phone.driver.find_element(By.ID, "code").send_keys(printed(code))
    phone.press("进入测评")
    phone.press("开始作答")
    for index in range(MULTI):
        answer(phone, index)
    for option in ANNEX2.questions[MULTI].options[:4]:
        phone.tick(option.label)
    assert phone.driver.find_element(By.ID, "counter").text == "已选 0/3"  # no script counted
    phone.press("下一题")
    assert "最多只能选 3 项，您选了 4 项" in phone.text()
    phone.tick(ANNEX2.questions[MULTI].options[0].label)
    phone.press("下一题")
    for index in range(MULTI + 1, SIZE):
        answer(phone, index)
    phone.press("提交答卷")
    assert "感谢参加民主测评" in phone.text()
    assert served.ballots() == before + 1
