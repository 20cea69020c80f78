"""A phone's browser without a browser: an HTTP client on the served form: own cookies, redirects seen."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from aiohttp import ClientResponse, ClientSession, CookieJar
from aiohttp.test_utils import TestServer

from conversations.annex2 import ANNEX2
from conversations.questionnaire import Question, QuestionKind
from tests.web_room import csrf_of
from web.form import COOKIE, SlipForm
from web.server import application

SEE_OTHER = 303


class Phone:
    """One person's browser: the page it shows, and its own cookie jar."""

    def __init__(self, session: ClientSession) -> None:
        self.session = session
        self.page = ""
        self.status = 0
        self.redirected = False
        self.headers: dict[str, str] = {}

    async def open(self, path: str) -> str:
        """GET a page (following redirects, as a browser does); return its text."""
        async with self.session.get(path) as response:
            return await self._shown(response)

    async def send(
        self,
        path: str,
        fields: Sequence[tuple[str, str]] = (),
        *,
        csrf: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> str:
        """POST a form of the page shown (with its token unless given); follow a redirect; return the page."""
        token = csrf_of(self.page) if csrf is None else csrf
        data = [("csrf", token), *fields]
        async with self.session.post(path, data=data, allow_redirects=False, headers=headers) as response:
            self.redirected = response.status == SEE_OTHER
            if not self.redirected:
                return await self._shown(response)
            location = response.headers["Location"]
        return await self.open(location)

    async def answer(self, question_index: int, fields: Sequence[tuple[str, str]]) -> str:
        """Send the page of this step with these fields."""
        return await self.send("/form", [("step", str(question_index)), *fields])

    async def _shown(self, response: ClientResponse) -> str:
        self.status = response.status
        self.headers = dict(response.headers)
        self.page = await response.text()
        return self.page

    def cookie(self) -> str | None:
        """Return the resume cookie's value, or None when the phone holds none."""
        return next((cookie.value for cookie in self.session.cookie_jar if cookie.key == COOKIE), None)


def first_answer(question: Question) -> list[tuple[str, str]]:
    """Return fields that answer a question plainly: its first option, two of a 限选三项, a sentence."""
    match question.kind:
        case QuestionKind.SINGLE:
            return [("choice", question.options[0].id)]
        case QuestionKind.MULTI:
            return [("choice", question.options[0].id), ("choice", question.options[2].id)]
        case QuestionKind.TEXT:
            return [("text", "建议加强廉政教育。")]


async def answer_all(phone: Phone, start: int = 0) -> str:
    """Answer every step from `start` on; return the review page."""
    for index in range(start, ANNEX2.size):
        await phone.answer(index, first_answer(ANNEX2.questions[index]))
    return phone.page


@dataclass
class Site:
    """The form served on loopback, and the phones that open it."""

    server: TestServer
    stack: AsyncExitStack

    async def phone(self) -> Phone:
        """Return a fresh browser: its own cookies, nothing shared with the others."""
        session = ClientSession(
            base_url=self.server.make_url("/"),
            cookie_jar=CookieJar(unsafe=True),  # loopback: an IP address
        )
        await self.stack.enter_async_context(session)
        return Phone(session)


@asynccontextmanager
async def site(form: SlipForm) -> AsyncIterator[Site]:
    """Serve the form on loopback until the block ends."""
    server = TestServer(application(form))
    await server.start_server()
    try:
        async with AsyncExitStack() as stack:
            yield Site(server, stack)
    finally:
        await server.close()
