"""The routes of the browser form: decode the request, call one use case, draw the outcome.

Every rule is the use cases': the slip is looked up by `SlipDoor.enter`, each page is one
`Participation` turn under the slip's key, exactly as a Telegram press is under an account's.
A post that changes something is answered with a redirect (POST-redirect-GET), a refused one
with the same page, what was sent kept, and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from aiohttp import web
from multidict import MultiMapping

from conversations.engine import Back, Choose, ChooseSet, Draft, Press, Revise, SkipText, Survey
from conversations.errors import (
    AlreadySubmitted,
    NoChoiceMade,
    SuggestionTooLong,
    SurveyError,
    TooManyChoices,
)
from conversations.questionnaire import QuestionKind
from conversations.tally import shown_apart
from usecases.participation import (
    Ended,
    NeedsSlip,
    NoDraft,
    NoSuchWindow,
    Participation,
    PressOutcome,
    Refused,
    Shown,
    Submitted,
    Unchanged,
)
from usecases.slips import EnterOutcome, SlipDoor, SlipReady, SlipUsed, WrongCode
from web import texts
from web.guard import FormTokens, Guesses, cross_site
from web.pages import Pages, review_view, step_view

COOKIE: Final = "slip"
COOKIE_AGE: Final = 24 * 3600  # a briefing's day: long enough to come back after a closed tab
_TYPED_MAX: Final = 40  # what is shown back of a typed code (a code is 15 symbols, 17 printed)
# Pages that show answers are sent at one length (padded with a comment), so that the size of an
# encrypted response tells a network observer nothing of which options were chosen; only a long
# suggestion makes the review longer. (The proxy must not compress them: docs/operator.md.)
PAGE_BYTES: Final = 8192
_NOTICES: Final = {"stale": (texts.STALE, "info"), "expired": (texts.EXPIRED, "info")}

Unready = SlipUsed | Ended | WrongCode | None


@dataclass(frozen=True, slots=True)
class Held:
    """What the resume cookie holds: the slip's code, and its unit's token to tell "ended" after close."""

    code: str
    token: str

    def value(self) -> str:
        """Return the cookie's value."""
        return f"{self.code}.{self.token}"

    @classmethod
    def read(cls, value: str | None) -> Held | None:
        """Return what a cookie holds, or None for none (or one we did not write)."""
        if not value or value.count(".") != 1:
            return None
        code, token = value.split(".")
        return cls(code, token) if code and token else None


@dataclass(frozen=True, slots=True)
class Sent:
    """What a posted page asks for: a press, or the suggestion's text (with what was ticked or typed)."""

    press: Press | None = None
    text: str | None = None
    picked: tuple[str, ...] | None = None


def decode(form: MultiMapping[object], survey: Survey, draft: Draft) -> Sent | None:  # noqa: PLR0911 - one per kind of post
    """Return what a posted page asks of the form; None for a page of another step than the draft's."""
    try:
        step = int(_field(form, "step"))
        revise = int(_field(form, "revise")) if "revise" in form else None
    except ValueError:
        return None
    if revise is not None:
        return Sent(Revise(revise))
    if _field(form, "go") == "back":
        return Sent(Back(step))
    question = survey.current_question(draft)
    if question is None or step != draft.step:
        return None
    match question.kind:
        case QuestionKind.SINGLE:
            choice = _field(form, "choice")
            return Sent(Choose(step, choice)) if choice else Sent()
        case QuestionKind.MULTI:
            picked = tuple(value for value in form.getall("choice", []) if isinstance(value, str))
            return Sent(ChooseSet(step, picked), picked=picked)
        case QuestionKind.TEXT:
            # A browser sends a textarea's line breaks as CRLF but counts each as one character.
            text = _field(form, "text").replace("\r\n", "\n")
            return Sent(text=text) if text.strip() else Sent(SkipText(step), text="")


class SlipForm:
    """The pages of the form for whoever holds a slip."""

    def __init__(  # noqa: PLR0913 - the use cases, the drawing, and what guards them
        self,
        door: SlipDoor,
        participation: Participation,
        survey: Survey,
        pages: Pages,
        *,
        secure: bool,
        tokens: FormTokens | None = None,
        guesses: Guesses | None = None,
    ) -> None:
        self.door = door
        self.participation = participation
        self.survey = survey
        self.pages = pages
        self.base = pages.base
        self.secure = secure
        self.tokens = tokens or FormTokens()
        self.guesses = guesses or Guesses()

    def routes(self) -> list[web.RouteDef]:
        """Return every route, under the site's base path."""
        base = self.base
        return [
            web.get(base, self.on_start),
            web.post(f"{base}enter", self.on_enter),
            web.get(f"{base}s/{{code}}", self.on_scan),
            web.post(f"{base}begin", self.on_begin),
            web.get(f"{base}form", self.on_form),
            web.post(f"{base}form", self.on_answer),
            web.post(f"{base}submit", self.on_submit),
            web.get(f"{base}done", self.on_done),
        ]

    # -- the pages ------------------------------------------------------------------------------

    async def on_start(self, request: web.Request) -> web.Response:
        """Show the start: a slip in hand is welcomed or resumed; otherwise the code is asked for."""
        entered = await self._entered(request)
        if isinstance(entered, web.Response):
            return entered
        if isinstance(entered, SlipReady):
            if entered.draft is None:
                return self._welcome(entered)
            return self._see("form")
        return self._unready(entered)

    async def on_enter(self, request: web.Request) -> web.Response:
        """Take a typed code: let its holder in (the cookie remembers the slip), or say why not."""
        if cross_site(request):
            return self._forbidden()
        form = await request.post()
        typed = _field(form, "code")[:_TYPED_MAX]
        if not FormTokens.matches(self.tokens.for_entry(), _field(form, "csrf")):
            return self._start(error=texts.PLEASE_AGAIN, typed=typed)
        entered = await self.door.enter(typed)
        if isinstance(entered, WrongCode):
            return await self._wrong(typed)
        if isinstance(entered, SlipReady):
            response = self._see("")
            self._remember(response, entered)
            return response
        return self._unready(entered)

    async def on_scan(self, request: web.Request) -> web.Response:
        """Open a slip's QR code: welcome or resume at once (drawn here, not redirected)."""
        typed = request.match_info["code"][:_TYPED_MAX]
        # ?u= names the slip's unit (the same on every slip of it): after close, "ended", not "wrong".
        entered = await self.door.enter(typed, request.query.get("u", "")[:_TYPED_MAX] or None)
        if isinstance(entered, WrongCode):
            return await self._wrong(typed)
        if not isinstance(entered, SlipReady):
            return self._unready(entered)
        response = self._welcome(entered) if entered.draft is None else self._form_page(entered)
        self._remember(response, entered)
        return response

    async def on_begin(self, request: web.Request) -> web.Response:
        """开始作答: the slip is spent on this form (it can no longer let a Telegram account in)."""
        ready = await self._ready_for_post(request)
        if isinstance(ready, web.Response):
            return ready
        if ready.draft is not None:
            return self._see("form")
        outcome = await self.participation.begin(ready.holder, ready.window.id)
        return self._after(outcome, ready)

    async def on_form(self, request: web.Request) -> web.Response:
        """Show the step the form is on, or the review."""
        entered = await self._entered(request)
        if isinstance(entered, web.Response):
            return entered
        if not isinstance(entered, SlipReady):
            return self._unready(entered)
        if entered.draft is None:
            return self._see("")
        notice = _NOTICES.get(request.query.get("n", ""))
        return self._form_page(entered, notice=notice)

    async def on_answer(self, request: web.Request) -> web.Response:
        """Take a page sent: its answer, 上一题 or 修改; a refused answer comes back with the reason."""
        ready = await self._ready_for_post(request)
        if isinstance(ready, web.Response):
            return ready
        if ready.draft is None:
            return self._see("")
        sent = decode(await request.post(), self.survey, ready.draft)
        if sent is None:
            return self._see("form?n=stale")
        who, window_id = ready.holder, ready.window.id
        if sent.press is not None:
            outcome = await self.participation.press(who, window_id, sent.press)
        elif sent.text is not None:
            outcome = await self.participation.write_on(who, window_id, sent.text)
        else:  # a single choice sent without one: only a hand-made post does that
            return self._form_page(ready, notice=(texts.NONE_CHOSEN_ONE, "error"), status=422)
        return self._after(outcome, ready, picked=sent.picked, text=sent.text)

    async def on_submit(self, request: web.Request) -> web.Response:
        """提交答卷: the reviewed form goes into the ballot box, once."""
        ready = await self._ready_for_post(request)
        if isinstance(ready, web.Response):
            return ready
        return self._after(await self.participation.submit(ready.holder, ready.window.id), ready)

    async def on_done(self, request: web.Request) -> web.Response:
        """Thank, once the slip's ballot is in; the cookie goes (the slip can do nothing more)."""
        entered = await self._entered(request)
        if isinstance(entered, web.Response):
            return entered
        if isinstance(entered, SlipReady):
            return self._see("form" if entered.draft is not None else "")
        if isinstance(entered, Ended):
            return self._unready(entered)
        unit = entered.window.unit if isinstance(entered, SlipUsed) else None
        response = self._message("done", texts.THANKS_TITLE, texts.THANKS, unit=unit)
        self._forget(response)
        return response

    # -- what a request brings --------------------------------------------------------------

    async def _entered(self, request: web.Request) -> EnterOutcome | web.Response | None:
        """Return what the cookie's slip opens (None without one); a forged code is a wrong guess."""
        held = Held.read(request.cookies.get(COOKIE))
        if held is None:
            return None
        entered = await self.door.enter(held.code, held.token)
        if isinstance(entered, WrongCode) and not await self.guesses.wrong():
            return self._too_many()
        return entered

    async def _ready_for_post(self, request: web.Request) -> SlipReady | web.Response:
        """Return the slip a post may act for: ours (not another site's), in hand, with its form's token."""
        if cross_site(request):
            return self._forbidden()
        entered = await self._entered(request)
        if isinstance(entered, web.Response):
            return entered
        if not isinstance(entered, SlipReady):
            if entered is None:
                return self._start(error=texts.NO_COOKIE)
            return self._unready(entered)
        form = await request.post()
        if not FormTokens.matches(self._token(entered), _field(form, "csrf")):
            return self._see("form?n=expired" if entered.draft is not None else "")
        return entered

    def _token(self, ready: SlipReady) -> str:
        return FormTokens.for_slip(self.participation.key(ready.window.id, ready.holder))

    # -- drawing outcomes -----------------------------------------------------------------------

    def _after(  # noqa: PLR0911 - one answer per outcome
        self,
        outcome: PressOutcome,
        ready: SlipReady,
        *,
        picked: tuple[str, ...] | None = None,
        text: str | None = None,
    ) -> web.Response:
        """Answer a turn: on to the next page, or the same page with the reason it was refused."""
        match outcome:
            case Shown(stale=True):
                return self._see("form?n=stale")
            case Shown() | Unchanged():
                return self._see("form")
            case Submitted():
                return self._see("done")
            case Ended(window=window):
                return self._unready(Ended(window))
            case NeedsSlip(window=window):
                return self._unready(SlipUsed(window))
            case NoDraft():
                return self._see("")
            case NoSuchWindow():
                return self._unready(WrongCode())
            case Refused(reason=AlreadySubmitted()):
                return self._unready(SlipUsed(ready.window))
            case Refused(reason=reason):
                return self._refused(ready, reason, picked=picked, text=text)

    def _refused(
        self, ready: SlipReady, reason: SurveyError, *, picked: tuple[str, ...] | None, text: str | None
    ) -> web.Response:
        match reason:
            case TooManyChoices(limit=limit):
                chosen = len(set(picked or ()))
                message = texts.TOO_MANY.format(limit=limit, chosen=chosen, extra=chosen - limit)
            case NoChoiceMade():
                message = texts.NONE_CHOSEN
            case SuggestionTooLong(limit=limit, length=length):
                message = texts.TEXT_TOO_LONG.format(limit=limit, length=length)
            case _ if ready.draft is None or self.survey.current_question(ready.draft) is None:
                return self._see("form?n=stale")
            case _:
                message = texts.UNKNOWN_OPTION
        return self._form_page(ready, notice=(message, "error"), picked=picked, text=text, status=422)

    def _form_page(
        self,
        ready: SlipReady,
        *,
        notice: tuple[str, str] | None = None,
        picked: tuple[str, ...] | None = None,
        text: str | None = None,
        status: int = 200,
    ) -> web.Response:
        """Draw the step the slip's form is on, or its review."""
        draft = ready.draft
        assert draft is not None  # noqa: S101 - only a begun form has a page
        message, kind = notice or (None, None)
        common = {
            "unit": ready.window.unit,
            "csrf": self._token(ready),
            "notice": message,
            "notice_kind": kind,
        }
        if self.survey.current_question(draft) is None:
            sections = review_view(self.survey, draft)
            body = self.pages.render("review.html", sections=sections, review_step=draft.step, **common)
            return _html(_padded(body), status)
        step = step_view(self.survey, draft, picked=picked, text=text)
        last = draft.step == self.survey.review_step - 1
        label = texts.SAVE_REVISION if draft.revising else texts.TO_REVIEW if last else texts.NEXT
        return _html(_padded(self.pages.render("step.html", step=step, next_label=label, **common)), status)

    def _welcome(self, ready: SlipReady) -> web.Response:
        questionnaire = self.survey.questionnaire
        body = self.pages.render(
            "welcome.html",
            unit=ready.window.unit,
            title=questionnaire.title,
            intro=texts.FORM_INTRO.format(count=questionnaire.size),
            anonymity=[
                line.format(min_group=ready.window.min_group, group_min=shown_apart(ready.window.min_group))
                for line in texts.ANONYMITY
            ],
            csrf=self._token(ready),
        )
        return _html(body)

    def _unready(self, entered: Unready) -> web.Response:
        """Say why this slip opens no form: used, ended, or no slip at all; the cookie goes."""
        match entered:
            case SlipUsed(window=window):
                response = self._message("stop", texts.USED_TITLE, (texts.USED,), unit=window.unit)
            case Ended(window=window):
                response = self._message("stop", texts.ENDED_TITLE, (texts.ENDED,), unit=window.unit)
            case _:
                response = self._start()
        self._forget(response)
        return response

    def _start(self, *, error: str | None = None, typed: str = "", status: int = 200) -> web.Response:
        body = self.pages.render(
            "start.html", unit=None, error=error, typed=typed, csrf=self.tokens.for_entry()
        )
        return _html(body, status)

    async def _wrong(self, typed: str) -> web.Response:
        """Refuse a code that lets nobody in: say so and nothing else, after the wait every wrong code has."""
        if not await self.guesses.wrong():
            return self._too_many()
        return self._start(error=texts.WRONG_CODE, typed=typed)

    def _too_many(self) -> web.Response:
        return self._start(error=texts.TOO_MANY_TRIES, status=429)

    def _forbidden(self) -> web.Response:
        return self._message("stop", texts.NOT_FOUND_TITLE, (texts.NOT_FOUND,), start=True, status=403)

    def _message(  # noqa: PLR0913 - what a message page says
        self,
        kind: str,
        title: str,
        lines: tuple[str, ...],
        *,
        unit: str | None = None,
        start: bool = False,
        status: int = 200,
    ) -> web.Response:
        body = self.pages.render("message.html", kind=kind, title=title, lines=lines, unit=unit, start=start)
        return _html(body, status)

    def _see(self, path: str) -> web.Response:
        """Redirect to a page of the site (303: the browser then GETs it)."""
        return web.Response(status=303, headers={"Location": f"{self.base}{path}"})

    def _remember(self, response: web.Response, ready: SlipReady) -> None:
        held = Held(ready.holder.code, ready.window.token)
        response.set_cookie(
            COOKIE,
            held.value(),
            max_age=COOKIE_AGE,
            path=self.base,
            httponly=True,
            samesite="Strict",
            secure=self.secure,
        )

    def _forget(self, response: web.Response) -> None:
        response.del_cookie(COOKIE, path=self.base, httponly=True, samesite="Strict", secure=self.secure)


def _field(form: MultiMapping[object], name: str) -> str:
    """Return a text field of a posted form ('' if absent or not text)."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _padded(body: str) -> str:
    """Return the page padded to PAGE_BYTES (a longer one as it is)."""
    missing = PAGE_BYTES - len(body.encode()) - len("\n<!---->\n")
    return f"{body}\n<!--{' ' * missing}-->\n" if missing >= 0 else body


def _html(body: str, status: int = 200) -> web.Response:
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")
