"""The browser form over HTTP (aiohttp's server, a plain client): every page, every rule the server keeps."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from conversations.annex2 import ANNEX2
from conversations.questionnaire import QuestionKind
from conversations.slips import new_code, printed
from reports.slips import web_link
from tests.web_phone import Phone, answer_all, first_answer, site
from tests.web_room import WebRoom, csrf_of, web_room
from usecases.participation import SlipHolder
from web import texts
from web.form import PAGE_BYTES
from web.guard import Guesses

MULTI = next(i for i, q in enumerate(ANNEX2.questions) if q.kind is QuestionKind.MULTI)
TEXT = next(i for i, q in enumerate(ANNEX2.questions) if q.kind is QuestionKind.TEXT)
SIZE = ANNEX2.size


@pytest.fixture
async def room(tmp_path: Path) -> AsyncIterator[WebRoom]:
    async with web_room(tmp_path) as room:
        yield room


async def begun(phone: Phone, code: str) -> str:
    """Scan the slip and press 开始作答; return the first step's page."""
    await phone.open(f"/s/{code}")
    return await phone.send("/begin")


def ticked(page: str) -> list[str]:
    """Return the options shown as chosen: checked boxes, or single-choice buttons marked pressed."""
    boxes = re.findall(r'value="(\w+)" checked', page)
    pressed = re.findall(r'value="(\w+)" class="option chosen"', page)
    return boxes + pressed


async def test_a_slip_answers_the_whole_form_once_and_its_ballot_counts(room: WebRoom) -> None:
    """Scan → welcome → 16 pages → review (every answer, a 修改 each) → submit → thanks; then used."""
    (code,) = await room.issue(1)
    async with site(room.form()) as served:
        phone = await served.phone()
        welcome = await phone.open(f"/s/{code}")
        assert phone.status == 200
        assert "县财政局" in welcome
        assert ANNEX2.title in welcome
        assert "匿名说明" in welcome
        assert "每满 3 份答卷才更新一次" in welcome
        assert phone.cookie() is not None
        first = await phone.send("/begin")
        assert f"第 1 / {SIZE} 题" in first
        assert "班子成员" in first
        review = await answer_all(phone)
        assert "请核对您的答卷" in review
        assert review.count(">修改<") == SIZE
        for question in ANNEX2.questions:
            assert question.section in review
            if question.kind is QuestionKind.SINGLE:
                assert question.options[0].label in review
        assert "思想道德风险大；行使自由裁量权风险大" in review
        assert "建议加强廉政教育。" in review
        thanks = await phone.send("/submit")
        assert "感谢参加民主测评" in thanks
        assert "县财政局" in thanks
        assert phone.cookie() is None  # nothing kept once the slip can do nothing more
        assert await room.ballots() == 1
        again = await phone.open(f"/s/{code}")
        assert "此测评码已使用" in again
        assert "开始作答" not in again
        assert await room.ballots() == 1


async def test_a_fourth_choice_is_refused_with_the_reason_and_nothing_is_saved(room: WebRoom) -> None:
    """Four ticks: the same page again (422), the four still ticked, the limit named; three go on."""
    (code,) = await room.issue(1)
    question = ANNEX2.questions[MULTI]
    four = [("choice", option.id) for option in question.options[:4]]
    async with site(room.form()) as served:
        phone = await served.phone()
        await begun(phone, code)
        await answer_all_until(phone, MULTI)
        refused = await phone.answer(MULTI, four)
        assert phone.status == 422
        assert "最多只能选 3 项，您选了 4 项。请取消 1 项" in refused
        assert ticked(refused) == [option.id for option in question.options[:4]]
        assert f"第 {MULTI + 1} / {SIZE} 题" in refused
        shown = await phone.open("/form")
        assert f"第 {MULTI + 1} / {SIZE} 题" in shown
        assert ticked(shown) == []  # nothing of the refused page was saved
        none = await phone.answer(MULTI, [])
        assert phone.status == 422
        assert "请至少选择一项" in none
        await phone.answer(MULTI, four[:3])
        assert f"第 {MULTI + 2} / {SIZE} 题" in phone.page


async def answer_all_until(phone: Phone, stop: int) -> None:
    """Answer the steps before `stop`."""
    for index in range(stop):
        await phone.answer(index, first_answer(ANNEX2.questions[index]))


async def test_the_suggestion_keeps_to_the_engines_limit_counting_a_line_break_once(room: WebRoom) -> None:
    """1,000 characters with line breaks (sent as CRLF) are taken; 1,001 come back kept, with the reason."""
    (code,) = await room.issue(1)
    limit = ANNEX2.questions[TEXT].max_length
    async with site(room.form()) as served:
        phone = await served.phone()
        await begun(phone, code)
        await answer_all_until(phone, TEXT)
        too_long = "意" * (limit + 1)
        refused = await phone.answer(TEXT, [("text", too_long)])
        assert phone.status == 422
        assert f"不能超过 {limit} 字（现为 {limit + 1} 字）" in refused
        assert too_long in refused  # kept in the box, to be shortened
        lines = "\r\n".join(["见" * 99] * 10)  # 990 characters and 9 line breaks
        review = await phone.answer(TEXT, [("text", lines)])
        assert "请核对您的答卷" in review
        assert "\n".join(["见" * 99] * 10) in review


async def test_back_and_revise_go_where_a_person_expects(room: WebRoom) -> None:
    """上一题 shows the answer given; 修改 from the review opens that item and returns to the review."""
    (code,) = await room.issue(1)
    async with site(room.form()) as served:
        phone = await served.phone()
        await begun(phone, code)
        await phone.answer(0, [("choice", "served")])
        assert "第 2 /" in phone.page
        back = await phone.send("/form", [("step", "1"), ("go", "back")])
        assert "第 1 /" in back
        assert ticked(back) == ["served"]
        assert "上一题" not in back  # nothing before the first item
        await answer_all(phone)
        revising = await phone.send("/form", [("step", str(SIZE)), ("revise", "2")])
        assert "第 3 /" in revising
        assert "上一题" not in revising
        assert "不修改，返回检查页" in revising  # a tap on an option saves and returns; this keeps it
        changed = await phone.answer(2, [("choice", ANNEX2.questions[2].options[1].id)])
        assert "请核对您的答卷" in changed
        assert ANNEX2.questions[2].options[1].label in changed
        text_page = await phone.send("/form", [("step", str(SIZE)), ("revise", str(TEXT))])
        assert "保存修改" in text_page
        assert "上一题" not in text_page
        assert "建议加强廉政教育。" in text_page  # the suggestion is there to edit
        cleared = await phone.answer(TEXT, [("text", "  ")])
        assert "（未填写）" in cleared


async def test_progress_is_kept_on_the_server_and_resumes_after_a_restart(room: WebRoom) -> None:
    """Five pages in, a restart (new process secret): the slip reopens on page 6, and its old page works."""
    (code,) = await room.issue(1)
    async with site(room.form()) as served:
        phone = await served.phone()
        await begun(phone, code)
        await answer_all_until(phone, 5)
        cookie = phone.cookie()
        old_page = phone.page
    async with site(room.form()) as restarted:
        same_phone = await restarted.phone()
        same_phone.session.cookie_jar.update_cookies({"slip": cookie or ""})
        resumed = await same_phone.open("/")
        assert "第 6 /" in resumed
        same_phone.page = old_page  # the page left open before the restart is still good to send
        await same_phone.answer(5, first_answer(ANNEX2.questions[5]))
        assert "第 7 /" in same_phone.page
        other_phone = await restarted.phone()
        scanned = await other_phone.open(f"/s/{printed(code).lower()}")
        assert "第 7 /" in scanned  # the QR code again, on another phone: the same form


async def test_a_wrong_code_says_only_that_after_a_wait_and_guessing_is_capped(room: WebRoom) -> None:
    """Garbage, a well-formed unknown code, a typed one: one message, no cookie, a wait each; then 429."""
    await room.issue(1)
    guesses = Guesses(delay=1.0, rate=0.001, burst=3, sleep=room.waits.sleep)
    async with site(room.form(guesses=guesses)) as served:
        phone = await served.phone()
        pages = [await phone.open("/s/hello"), await phone.open(f"/s/{new_code()}")]
        await phone.open("/")
        pages.append(await phone.send("/enter", [("code", printed(new_code()))]))
        for page in pages:
            assert "测评码无效。请核对纸条上的测评码后重新输入。" in page
            assert "县财政局" not in page
        assert phone.status == 200
        assert phone.cookie() is None
        assert room.waits.asked == [1.0, 1.0, 1.0]
        capped = await phone.send("/enter", [("code", printed(new_code()))])
        assert phone.status == 429
        assert "尝试过于频繁" in capped
        assert room.waits.asked == [1.0, 1.0, 1.0]  # answered at once


async def test_a_typed_code_is_folded_and_lets_in_without_a_wait(room: WebRoom) -> None:
    """Lower case, spaces and full-width symbols as a Chinese keyboard types them: in, no wait."""
    (code,) = await room.issue(1)
    typed = "".join(chr(ord(symbol) + 0xFEE0) for symbol in printed(code).lower())
    async with site(room.form()) as served:
        phone = await served.phone()
        await phone.open("/")
        welcome = await phone.send("/enter", [("code", typed)])
        assert "开始作答" in welcome
        assert room.waits.asked == []


async def test_a_closed_unit_says_the_survey_has_ended(room: WebRoom) -> None:
    """Mid-form when the leader closes: the next page says it has ended; nothing is taken."""
    (code,) = await room.issue(1)
    async with site(room.form()) as served:
        phone = await served.phone()
        await begun(phone, code)
        await room.repository.close_window(room.window.id)
        ended = await phone.answer(0, first_answer(ANNEX2.questions[0]))
        assert "测评已结束" in ended
        assert "县财政局" in ended
        assert phone.cookie() is None
        assert await room.ballots() == 0


async def test_a_slip_scanned_after_the_close_says_its_units_survey_has_ended(room: WebRoom) -> None:
    """A late arrival scans an unused slip after the close (no cookie): the unit has ended, not "wrong"."""
    (code,) = await room.issue(1)
    (link,) = [web_link("/", code, room.window.token)]
    await room.repository.close_window(room.window.id)
    async with site(room.form()) as served:
        late = await served.phone()
        page = await late.open(link)
        assert texts.ENDED_TITLE in page
        assert "县财政局" in page
        typed = await (await served.phone()).open(f"/s/{code}")  # the code alone: its trace is gone
        assert texts.ENDED_TITLE not in typed
    assert room.waits.asked == [1.0]  # only the bare code counted as a wrong guess


async def test_a_slip_spent_in_telegram_reads_as_used_in_the_browser(room: WebRoom) -> None:
    """The same slip redeemed on a Telegram account first: the browser says it has been used."""
    (code,) = await room.issue(1)
    await room.door.redeem(4242, code)
    async with site(room.form()) as served:
        phone = await served.phone()
        page = await phone.open(f"/s/{code}")
        assert "此测评码已使用" in page


async def test_a_form_without_its_token_or_from_another_site_changes_nothing(room: WebRoom) -> None:
    """No token, another slip's token, or a cross-site post: refused; the form stays where it was."""
    first, second = await room.issue(2)
    async with site(room.form()) as served:
        phone, other = await served.phone(), await served.phone()
        await begun(other, second)
        await begun(phone, first)
        for token in ("", "0" * 64, csrf_of(other.page)):
            page = await phone.send("/form", [("step", "0"), ("choice", "leader")], csrf=token)
            assert "页面已过期，未作更改" in page
            assert "第 1 /" in page
        page = await phone.answer(0, [("choice", "leader")])
        assert "第 2 /" in page
        forged = await phone.send(
            "/form", [("step", "1"), ("choice", "a")], headers={"Sec-Fetch-Site": "cross-site"}
        )
        assert phone.status == 403
        assert "第 2 /" in await phone.open("/form")
        assert forged


async def test_an_old_page_sent_again_shows_where_the_form_really_is(room: WebRoom) -> None:
    """Two tabs: the older one's answer is not applied; the page says the form went on elsewhere."""
    (code,) = await room.issue(1)
    async with site(room.form()) as served:
        phone = await served.phone()
        await begun(phone, code)
        old = phone.page
        await phone.answer(0, [("choice", "middle")])
        await phone.answer(1, first_answer(ANNEX2.questions[1]))
        phone.page = old
        page = await phone.answer(0, [("choice", "served")])
        assert "您的作答已在别处继续" in page
        assert "第 3 /" in page
        await phone.send("/form", [("step", "2"), ("go", "back")])
        await phone.send("/form", [("step", "1"), ("go", "back")])
        assert ticked(phone.page) == ["middle"]


async def test_every_answer_carries_the_protective_headers_and_nothing_external(room: WebRoom) -> None:
    """CSP allowing only ourselves, no-store, no referrer, no framing; static files cached; no outside URL."""
    (code,) = await room.issue(1)
    async with site(room.form()) as served:
        phone = await served.phone()
        pages = [await phone.open("/"), await phone.open(f"/s/{code}"), await phone.send("/begin")]
        pages.append(await phone.open("/nowhere"))
        assert phone.status == 404
        assert "页面不存在" in pages[-1]
        for page in pages:
            assert not re.search(r'(src|href|action)="(https?:)?//', page)
            assert 'style="' not in page
            assert "<script>" not in page
        headers = phone.headers
        assert headers["Cache-Control"] == "no-store"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["Content-Security-Policy"].startswith("default-src 'none'; style-src 'self'")
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        css = re.search(r'href="(/static/form\.css\?v=\w+)"', pages[0])
        js = re.search(r'src="(/static/form\.js\?v=\w+)"', pages[0])
        assert css is not None
        assert js is not None
        async with phone.session.get(css.group(1)) as response:
            assert response.headers["Content-Type"].startswith("text/css")
            assert "max-age" in response.headers["Cache-Control"]
            assert "//" not in (await response.text()).replace("://", "")  # no url() to anywhere


async def test_the_cookie_holds_the_slip_only_and_is_kept_to_the_site(tmp_path: Path) -> None:
    """HttpOnly, SameSite=Strict, the site's path, Secure behind HTTPS; it holds the code and unit token."""
    async with web_room(tmp_path) as room:
        (code,) = await room.issue(1)
        async with site(room.form(base="/survey/", secure=True)) as served:
            phone = await served.phone()
            async with phone.session.get(f"/survey/s/{code}") as response:
                cookie = response.headers["Set-Cookie"]
                page = await response.text()
        assert "开始作答" in page
        assert 'action="/survey/begin"' in page
        assert f"slip={code}.{room.window.token};" in cookie
        for attribute in ("HttpOnly", "Path=/survey/", "SameSite=Strict", "Secure", "Max-Age=86400"):
            assert attribute in cookie


async def test_every_text_is_escaped(tmp_path: Path) -> None:
    """A unit's name and a suggestion with markup show as text, never as markup."""
    async with web_room(tmp_path, unit="<b>县局</b>") as room:
        (code,) = await room.issue(1)
        async with site(room.form()) as served:
            phone = await served.phone()
            welcome = await phone.open(f"/s/{code}")
            assert "&lt;b&gt;县局&lt;/b&gt;" in welcome
            assert "<b>县局" not in welcome
            await phone.send("/begin")
            await answer_all_until(phone, TEXT)
            review = await phone.answer(TEXT, [("text", '<script>alert("x")</script>')])
            assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in review


async def test_the_holder_of_the_slip_is_who_answers(room: WebRoom) -> None:
    """What the browser answers is the slip's own form: the use case sees the same draft."""
    (code,) = await room.issue(1)
    async with site(room.form()) as served:
        phone = await served.phone()
        await begun(phone, code)
        await phone.answer(0, [("choice", "served")])
    key = room.participation.key(room.window.id, SlipHolder(code))
    draft = await room.repository.draft(key)
    assert draft is not None
    assert draft.answers == {"category": ("served",)}


async def test_pages_that_show_answers_are_one_length_whatever_was_chosen(room: WebRoom) -> None:
    """A step revisited and the review are the same bytes long for other answers: sizes tell nothing."""
    codes = await room.issue(2)
    sizes: list[set[int]] = [set(), set()]
    async with site(room.form()) as served:
        for pick, code in zip((0, -1), codes, strict=True):
            phone = await served.phone()
            await begun(phone, code)
            for index, question in enumerate(ANNEX2.questions):
                match question.kind:
                    case QuestionKind.SINGLE:
                        fields = [("choice", question.options[pick].id)]
                    case QuestionKind.MULTI:
                        fields = [
                            ("choice", option.id) for option in question.options[: 3 if pick == 0 else 1]
                        ]
                    case QuestionKind.TEXT:
                        fields = []
                await phone.answer(index, fields)
            sizes[0].add(len(phone.page.encode()))  # the review
            await phone.send("/form", [("step", str(SIZE)), ("revise", "1")])
            sizes[1].add(len(phone.page.encode()))  # a step showing the answer given
    assert sizes == [{PAGE_BYTES}, {PAGE_BYTES}]
