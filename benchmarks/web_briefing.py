"""A room of phones on ballot slips: most in the browser, some in Telegram, one unit, one bot process.

    python -m benchmarks.web_briefing                          # 300 in the browser, 150 in Telegram, 2-4 s
    python -m benchmarks.web_briefing --web 100 --telegram 50  # a smaller room

The slips are printed with the real use cases on the bot's database before the bot starts (as
the leader's 🎫 打印测评码 does; the codes are kept in memory only). Then the real bot runs as
its own process (`python -m bot`, SURVEY_WEB_URL set) against the local Bot API emulator, which
enforces Telegram's flood limits. Each browser phone is an HTTP client with its own cookies: it
opens its slip's QR address, reads 2-4 s before each page and sends it as the form does
(POST, then the GET the 303 leads to). Each Telegram phone redeems its slip with the deep link
`/start s_<code>` and answers with buttons (emulator/briefing.py's participants).

Figures: page -> next page (from sending a page until the next one has arrived whole) for the
browser, press -> screen changed for Telegram, both as p50 / p95 / p99 / max; everyone must
finish, and the leader's /tally must count every ballot.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import re
import shutil
import signal
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import aiohttp

from bot.config import Settings
from bot.services import Services
from conversations.annex2 import ANNEX2
from conversations.engine import Survey
from conversations.questionnaire import QuestionKind
from emulator.briefing import (
    LEADER_ID,
    BotProcess,
    Options,
    Participant,
    _crowd,
    _emulator,
    _environment,
    _percentile,
)
from emulator.people import Person
from emulator.respondents import random_answers, random_suggestion
from usecases.access import Actor, Role
from usecases.slips import Issued

_CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
_TALLY = re.compile(r"已收到答卷：(\d+)")
WEB_PORT = 8765


@dataclass
class WebPhone:
    """One phone's browser on the form: its slip, its pace, and how long each page took."""

    base: str
    code: str
    rng: random.Random
    think: tuple[float, float]
    pages: list[float] = field(default_factory=list)  # page -> next page, seconds
    timeline: list[tuple[float, str, float]] = field(default_factory=list)  # when, which page, how long

    async def run(self) -> bool:
        """Answer the whole form as a person does; True once the thanks page came."""
        answers, suggestion = random_answers(self.rng), random_suggestion(self.rng)
        jar = aiohttp.CookieJar(unsafe=True)  # the form is on 127.0.0.1
        async with aiohttp.ClientSession(base_url=self.base, cookie_jar=jar) as session:
            async with session.get(f"/s/{self.code}") as response:
                page = await response.text()
            page = await self.send(session, "/begin", page, [])
            for index, question in enumerate(ANNEX2.questions):
                if question.kind is QuestionKind.TEXT:
                    fields = [("text", suggestion or "")]
                else:
                    fields = [("choice", option) for option in answers[question.id]]
                page = await self.send(session, "/form", page, [("step", str(index)), *fields])
                expected = f"第 {index + 2} / " if index + 1 < ANNEX2.size else "请核对您的答卷"
                assert expected in page, page
            page = await self.send(session, "/submit", page, [])
        return "感谢参加民主测评" in page

    async def send(
        self, session: aiohttp.ClientSession, path: str, page: str, fields: list[tuple[str, str]]
    ) -> str:
        """Read the page for 2-4 s, send it, and wait for the next page (the 303 followed)."""
        low, high = self.think
        await asyncio.sleep(self.rng.uniform(low, high))
        token = _CSRF.search(page)
        assert token is not None, page
        started = time.monotonic()
        async with session.post(path, data=[("csrf", token.group(1)), *fields]) as response:
            text = await response.text()
        self.pages.append(time.monotonic() - started)
        self.timeline.append((started, path, self.pages[-1]))
        return text


@dataclass
class Figures:
    """What one run measured."""

    web: int
    telegram: int
    load_before: str
    seconds: float
    web_finished: int
    telegram_finished: int
    ballots_in_tally: int
    web_pages: int
    web_page_p50_ms: float
    web_page_p95_ms: float
    web_page_p99_ms: float
    web_page_max_ms: float
    telegram_presses: int
    telegram_screen_p50_ms: float
    telegram_screen_p95_ms: float
    telegram_screen_p99_ms: float
    telegram_screen_max_ms: float
    bot_cpu_share: float
    bot_peak_rss_mb: float
    driver_cpu_share: float


def _ms(values: list[float]) -> tuple[float, float, float, float]:
    millis = [1000 * value for value in values]
    if not millis:
        return 0.0, 0.0, 0.0, 0.0
    return (
        round(statistics.median(millis), 1),
        round(_percentile(millis, 0.95), 1),
        round(_percentile(millis, 0.99), 1),
        round(max(millis), 1),
    )


async def print_slips(environment: dict[str, str], count: int) -> tuple[str, ...]:
    """Open a slips unit and issue `count` slips with the bot's own use cases, on its database."""
    saved = dict(os.environ)
    os.environ.update(environment)
    try:
        settings = Settings(_env_file=None)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    services = Services.create(settings, Survey(ANNEX2))
    await services.repository.open()
    try:
        window, _ = await services.repository.open_window(
            LEADER_ID, "县财政局", min_group=3, expected=count, slips=True
        )
        leader = Actor(LEADER_ID, "组长", Role.LEADER)
        codes: list[str] = []
        while len(codes) < count:  # at most ISSUE_MAX at a time, as 补打 does
            issued = await services.slip_issuing.issue(leader, window.id, min(count - len(codes), 500))
            assert isinstance(issued, Issued), issued
            codes += issued.codes
    finally:
        await services.repository.close()
    return tuple(codes)


async def _serving(url: str) -> None:
    async with asyncio.timeout(60), aiohttp.ClientSession() as session:
        for _ in itertools.count():
            try:
                async with session.get(f"{url}healthz") as response:
                    if response.status == 200:  # noqa: PLR2004 - OK
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)


async def run(  # noqa: PLR0913 - the room and where its figures go
    web: int, telegram: int, think: tuple[float, float], out: Path, seed: int, *, profile: bool = False
) -> Figures:
    """Run the room once; return what it measured."""
    options = Options(
        participants=telegram, think=think, units=1, rate_limiter=True, flood_limits=True,
        overall_limit=0, out=out, seed=seed, stop_at=None, floor=False, profile=False,
    )  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - before anything runs
    emulator = _emulator(options)
    await emulator.start()
    url = f"http://127.0.0.1:{WEB_PORT}/"
    environment = {
        **_environment(emulator, options, out),
        "SURVEY_WEB_URL": url,
        "SURVEY_WEB_PORT": str(WEB_PORT),
    }
    codes = await print_slips(environment, web + telegram)
    bot = BotProcess("survey", environment, out, profiled=profile)
    await bot.start()
    try:
        await asyncio.wait_for(emulator.polling.wait(), 60)
        await _serving(url)
        phones = [
            WebPhone(url, code, random.Random(seed * 7_000_003 + n), think)  # noqa: S311 - simulated people
            for n, code in enumerate(codes[:web])
        ]
        crowd: list[Participant] = _crowd(emulator, options)
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])  # noqa: ASYNC240 - one small read
        profiler = await bot.profile() if profile else None
        started, bot_cpu, driver_cpu = time.monotonic(), bot.cpu_seconds(), time.process_time()
        tasks = [asyncio.create_task(phone.run()) for phone in phones]
        tasks += [
            asyncio.create_task(p.survey(f"s_{code}", None))
            for p, code in zip(crowd, codes[web:], strict=True)
        ]
        done = await asyncio.gather(*tasks)
        seconds = time.monotonic() - started
        bot_cpu, driver_cpu = bot.cpu_seconds() - bot_cpu, time.process_time() - driver_cpu
        if profiler is not None:
            profiler.send_signal(signal.SIGINT)  # py-spy writes its profile and exits
            await profiler.wait()
        leader = Person(emulator, LEADER_ID, first_name="组长")
        tally = await leader.send("/tally")
        counted = _TALLY.search(tally.text if tally else "")
        (out / "tally.txt").write_text(tally.text if tally else "", encoding="utf-8")
        timeline = sorted(entry for phone in phones for entry in phone.timeline)
        (out / "timeline.json").write_text(
            json.dumps([(at - started, path, took) for at, path, took in timeline])
        )
        pages = [value for phone in phones for value in phone.pages]
        screens = [value for p in crowd for value in p.screen_latencies]
        web_ms, telegram_ms = _ms(pages), _ms(screens)
        figures = Figures(
            web=web,
            telegram=telegram,
            load_before=load,
            seconds=round(seconds, 1),
            web_finished=sum(done[:web]),
            telegram_finished=sum(done[web:]),
            ballots_in_tally=int(counted.group(1)) if counted else -1,
            web_pages=len(pages),
            web_page_p50_ms=web_ms[0],
            web_page_p95_ms=web_ms[1],
            web_page_p99_ms=web_ms[2],
            web_page_max_ms=web_ms[3],
            telegram_presses=sum(p.presses for p in crowd),
            telegram_screen_p50_ms=telegram_ms[0],
            telegram_screen_p95_ms=telegram_ms[1],
            telegram_screen_p99_ms=telegram_ms[2],
            telegram_screen_max_ms=telegram_ms[3],
            bot_cpu_share=round(bot_cpu / seconds, 2),
            bot_peak_rss_mb=round(bot.memory_mb()[0], 1),
            driver_cpu_share=round(driver_cpu / seconds, 2),
        )
    finally:
        await bot.stop(emulator)
        await emulator.stop()
    return figures


def main() -> None:
    """Entry point of `python -m benchmarks.web_briefing`."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--web", type=int, default=300, help="phones answering in the browser")
    parser.add_argument("--telegram", type=int, default=150, help="phones answering in Telegram")
    parser.add_argument("--think", default="2-4", help="seconds a person reads each page, e.g. 2-4")
    parser.add_argument("--out", type=Path, default=Path("briefing-output/web"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--profile", action="store_true", help="sample the bot with py-spy into OUT/survey.profile.txt"
    )
    arguments = parser.parse_args()
    low, _, high = arguments.think.partition("-")
    if arguments.out.exists():
        shutil.rmtree(arguments.out)
    figures = asyncio.run(
        run(
            arguments.web, arguments.telegram, (float(low), float(high or low)), arguments.out, arguments.seed
        )
    )
    for name, value in asdict(figures).items():
        print(f"{name:<26}{value}")
    (arguments.out / "figures.json").write_text(json.dumps(asdict(figures), indent=2))
    finished = figures.web_finished + figures.telegram_finished
    print(f"\neveryone finished: {finished == figures.web + figures.telegram} ({finished})")
    print(f"browser page -> next page p99 under 250 ms: {figures.web_page_p99_ms < 250}")  # noqa: PLR2004


if __name__ == "__main__":
    main()
