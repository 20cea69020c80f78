"""A simulated briefing: the real bot, a leader and N participants, all on this machine.

    python -m emulator.briefing --participants 30

It starts the local Bot API emulator, starts the real bot as its own process pointed at it
(TELEGRAM_BASE_URL), has a leader open a unit and post the live tally, lets the participants
answer the whole form concurrently with random answers, has the leader close, prints the final
report and saves the chart and workbook into the output folder. It is also the load benchmark:

    python -m emulator.briefing --participants 300 --think 2-4 --floor     # press -> screen changed
    python -m emulator.briefing --participants 500 --think 0 --floor       # throughput
    python -m emulator.briefing --participants 1000 --stop-at 8            # memory with 1,000 drafts

The emulator enforces Telegram's flood limits (per chat, 429 with retry_after) unless told
`--no-flood-limits`; the bot runs in its default configuration unless told `--no-rate-limiter`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from conversations.annex2 import ANNEX2
from conversations.engine import Answers
from conversations.questionnaire import QuestionKind
from emulator.flood import FloodRules
from emulator.people import Person
from emulator.respondents import random_answers, random_suggestion
from emulator.server import RATE_LIMITED, BotApiEmulator
from emulator.world import BotMessage, Call

ROOT = Path(__file__).resolve().parents[1]
LEADER_ID = 1
FIRST_PARTICIPANT = 734_019_001  # realistic nine-digit Telegram user ids
FLOOR_PRESSES = 22  # about what one participant presses in the survey
FINAL_DOCUMENTS = 2  # the workbook and the CSV close the leader's final report
MIN_GROUP = 3  # live figures move in batches of this many ballots
# Each app: the module run as `python -m`, its log file.
_APPS = {
    "survey": ("bot", "bot.log"),
    "floor": ("emulator.floor", "floor.log"),
    "aiogram": ("benchmarks.aiogram_floor", "aiogram.log"),  # standalone: run by its own virtualenv
}


@dataclass(frozen=True)
class Options:
    """What to simulate."""

    participants: int
    think: tuple[float, float]
    units: int
    rate_limiter: bool
    flood_limits: bool
    overall_limit: int
    out: Path
    seed: int
    stop_at: int | None
    floor: bool
    profile: bool
    transport: str = "aiohttp"
    floor_transport: str = "httpx"


@dataclass
class Figures:
    """What one run measured."""

    app: str
    participants: int
    presses: int
    seconds: float
    presses_per_second: float
    latency_p50_ms: float
    latency_p95_ms: float
    latency_p99_ms: float
    latency_max_ms: float
    screen_p50_ms: float
    screen_p95_ms: float
    screen_p99_ms: float
    screen_max_ms: float
    rate_limited_per_press: float
    answers_per_press: float
    flood_rejections: int
    rejections_unretried: int
    unanswered: int
    peak_rss_mb: float
    rss_mb: float
    bot_cpu_share: float
    bot_cpu_ms_per_press: float
    driver_cpu_share: float
    db_bytes_per_1000_ballots: float | None = None
    live_edits: int | None = None
    live_lag_max_s: float | None = None


class BotProcess:
    """A bot started as its own process, like `python -m bot`."""

    def __init__(
        self,
        app: str,
        env: dict[str, str],
        folder: Path,
        *,
        profiled: bool = False,
        python: str = sys.executable,
    ) -> None:
        self.app = app
        self.module, log = _APPS[app]
        self.env = env
        self.log = folder / log
        self.profiled = profiled
        self.python = python  # another virtualenv's for a framework with its own dependencies
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Start the process, its output going to the log file."""
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                self.python, "-m", self.module, env=self.env, cwd=ROOT, stdout=log, stderr=log
            )

    async def profile(self) -> asyncio.subprocess.Process:
        """Start py-spy sampling the process (stopped with SIGINT) into <name>.profile.txt."""
        assert self.process is not None
        spy = shutil.which("py-spy", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
        assert spy is not None, "--profile needs py-spy (pip install py-spy)"
        out = self.log.with_name(f"{self.app}.profile.txt")
        return await asyncio.create_subprocess_exec(
            spy,
            "record",
            "--pid",
            str(self.process.pid),
            "--format",
            "raw",
            "--rate",
            "250",
            "-o",
            str(out),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )

    def cpu_seconds(self) -> float:
        """Return the CPU time the process has used so far (user + system)."""
        assert self.process is not None
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def memory_mb(self) -> tuple[float, float]:
        """Return (peak resident, resident) memory in MB, from /proc."""
        assert self.process is not None
        fields = {}
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            fields[name] = value.strip()
        return int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024

    async def stop(self, emulator: BotApiEmulator) -> int:
        """Stop with SIGTERM (a clean shutdown) and return the exit code."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        await asyncio.sleep(0.2)
        await emulator.interrupt_polling()
        return await asyncio.wait_for(self.process.wait(), 60)


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Participant:
    """One simulated phone."""

    def __init__(
        self, emulator: BotApiEmulator, person: Person, rng: random.Random, think: tuple[float, float]
    ) -> None:
        self.emulator = emulator
        self.person = person
        self.rng = rng
        self.think = think
        self.presses = 0
        self.sent = 0
        self.answers: Answers = {}
        self.screen_latencies: list[float] = []  # press -> the screen changed, seconds
        self.pressed_at = 0.0
        self.submitted_at: float | None = None  # when 提交 was pressed

    async def pause(self) -> None:
        """Think before the next press, as a person reading the question would."""
        low, high = self.think
        if high > 0:
            await asyncio.sleep(self.rng.uniform(low, high))

    async def press(self, message: BotMessage, label: str) -> None:
        """Press a button, wait until the answer and the redrawn message arrive, note how long."""
        await self.pause()
        edits, count = message.edits, len(self.person.messages)
        data = message.button(label).callback_data
        assert data is not None
        pressed = self.pressed_at = time.monotonic()
        await self.person.press_data(message, data, settle=False)
        self.presses += 1
        await self.emulator.wait_chat(
            self.person.user_id, lambda: message.edits > edits or len(self.person.messages) > count
        )
        changed = message if message.edits > edits else self.person.messages[count]
        self.screen_latencies.append(changed.changed_at - pressed)

    async def send(self, text: str) -> BotMessage:
        """Send a text message and wait for the bot's reply."""
        await self.pause()
        self.sent += 1
        reply = await self.person.send(text)
        assert reply is not None
        return reply

    async def survey(self, token: str, stop_at: int | None) -> bool:
        """Answer the whole form (or stop at a question, leaving a draft); True once submitted."""
        message = await self.send(f"/start {token}")
        await self.press(message, "开始")
        answers, suggestion = random_answers(self.rng), random_suggestion(self.rng)
        self.answers = answers
        for index, question in enumerate(ANNEX2.questions):
            if stop_at is not None and index >= stop_at:
                return False
            labels = [o.label for o in question.options if o.id in answers.get(question.id, ())]
            if question.kind is QuestionKind.SINGLE:
                await self.press(message, labels[0])
            elif question.kind is QuestionKind.MULTI:
                for label in labels:
                    await self.press(message, label)
                await self.press(message, "完成")
            elif suggestion:
                message = await self.send(suggestion)
            else:
                await self.press(message, "跳过")
        await self.press(message, "提交")
        self.submitted_at = self.pressed_at
        return "感谢参加民主测评" in message.text

    async def floor(self) -> bool:
        """Press the floor app's button as often as a participant presses in the survey."""
        message = await self.send("/start")
        for number in range(1, FLOOR_PRESSES + 1):
            await self.press(message, f"next {number}")
        return message.text == f"press {FLOOR_PRESSES}"


def _environment(emulator: BotApiEmulator, options: Options, folder: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SURVEY_"))}
    return {
        **clean,
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": emulator.token,
        "TELEGRAM_BASE_URL": emulator.base_url,
        "SURVEY_DB": str(folder / "survey.db"),
        "SURVEY_LEADERS": str(LEADER_ID),
        "SURVEY_RATE_LIMITER": "true" if options.rate_limiter else "false",
        "SURVEY_MIN_GROUP": str(MIN_GROUP),
        "TELEGRAM_TRANSPORT": options.transport,
        "FLOOR_TRANSPORT": options.floor_transport,
    }


def _emulator(options: Options) -> BotApiEmulator:
    """Return an emulator enforcing Telegram's flood limits, unless the options turn them off."""
    if not options.flood_limits and not options.overall_limit:
        return BotApiEmulator()
    rules = FloodRules(per_chat=options.flood_limits, overall_per_second=options.overall_limit or None)
    return BotApiEmulator(flood=rules)


def _chat(call: Call) -> int | None:
    chat_id = call.params.get("chat_id")
    return int(chat_id) if chat_id is not None else None


def _unretried(calls: list[Call]) -> int:
    """Count 429s after which the same request never succeeded (the person lost a screen)."""

    def target(call: Call) -> tuple[str, object, object]:
        # An edit is delivered once any later edit of the same message is (the newest screen wins).
        params = call.params
        return (call.method, params.get("chat_id"), params.get("message_id") or params.get("text"))

    lost, succeeded = 0, set()
    for call in reversed(calls):
        if call.error is None:
            succeeded.add(target(call))
        elif call.error.code == 429 and target(call) not in succeeded:  # noqa: PLR2004 - Too Many Requests
            lost += 1
    return lost


async def _measure(
    emulator: BotApiEmulator,
    bot: BotProcess,
    crowd: list[Participant],
    run: list[asyncio.Task[bool]],
) -> tuple[Figures, list[bool]]:
    """Wait for the crowd and turn the emulator's records into figures."""
    first_call = len(emulator.world.calls)
    emulator.latencies.clear()
    profiler = await bot.profile() if bot.profiled else None
    started, bot_cpu, driver_cpu = time.monotonic(), bot.cpu_seconds(), time.process_time()
    done = list(await asyncio.gather(*run))
    if profiler is not None:
        profiler.send_signal(signal.SIGINT)  # py-spy writes its profile and exits
        await profiler.wait()
    seconds = time.monotonic() - started
    bot_cpu, driver_cpu = bot.cpu_seconds() - bot_cpu, time.process_time() - driver_cpu
    calls = emulator.world.calls[first_call:]
    phones = {p.person.user_id for p in crowd}
    # What the participants' chats received (the leader's live tally is not a press's cost).
    chats = [c for c in calls if c.method in RATE_LIMITED and _chat(c) in phones]
    presses = sum(p.presses for p in crowd)
    # Each text message (/start, a suggestion) is answered by one sendMessage: not a press's cost.
    replies = sum(p.sent for p in crowd)
    rate_limited = sum(1 for c in chats if c.error is None) - replies
    answers = sum(1 for c in calls if c.method == "answerCallbackQuery" and c.error is None)
    latencies = [1000 * value for value in emulator.latencies]
    screens = [1000 * value for p in crowd for value in p.screen_latencies]
    peak, rss = bot.memory_mb()
    figures = Figures(
        app=bot.app,
        participants=len(crowd),
        presses=presses,
        seconds=round(seconds, 2),
        presses_per_second=round(presses / seconds, 1) if seconds else 0.0,
        latency_p50_ms=round(statistics.median(latencies), 1) if latencies else 0.0,
        latency_p95_ms=round(_percentile(latencies, 0.95), 1),
        latency_p99_ms=round(_percentile(latencies, 0.99), 1),
        latency_max_ms=round(max(latencies, default=0.0), 1),
        screen_p50_ms=round(statistics.median(screens), 1) if screens else 0.0,
        screen_p95_ms=round(_percentile(screens, 0.95), 1),
        screen_p99_ms=round(_percentile(screens, 0.99), 1),
        screen_max_ms=round(max(screens, default=0.0), 1),
        rate_limited_per_press=round(rate_limited / presses, 3) if presses else 0.0,
        answers_per_press=round(answers / presses, 3) if presses else 0.0,
        flood_rejections=sum(1 for c in calls if c.error is not None and c.error.code == 429),  # noqa: PLR2004
        rejections_unretried=_unretried([c for c in calls if c.method in RATE_LIMITED]),
        unanswered=len(emulator.world.open_queries),
        peak_rss_mb=round(peak, 1),
        rss_mb=round(rss, 1),
        bot_cpu_share=round(bot_cpu / seconds, 2) if seconds else 0.0,
        bot_cpu_ms_per_press=round(1000 * bot_cpu / presses, 2) if presses else 0.0,
        driver_cpu_share=round(driver_cpu / seconds, 2) if seconds else 0.0,
    )
    return figures, done


def _crowd(emulator: BotApiEmulator, options: Options) -> list[Participant]:
    return [
        Participant(
            emulator,
            Person(emulator, FIRST_PARTICIPANT + number),
            random.Random(options.seed * 1_000_003 + number),
            options.think,
        )
        for number in range(options.participants)
    ]


async def run_floor(options: Options, app: str = "floor", python: str = sys.executable) -> Figures:
    """Measure a minimal app (python-telegram-bot's by default) under the same crowd."""
    emulator = _emulator(options)
    await emulator.start()
    folder = options.out / app
    folder.mkdir(parents=True, exist_ok=True)
    environment = _environment(emulator, options, folder)
    bot = BotProcess(app, environment, folder, profiled=options.profile, python=python)
    await bot.start()
    try:
        await asyncio.wait_for(emulator.polling.wait(), 60)
        crowd = _crowd(emulator, options)
        floor = [asyncio.create_task(p.floor()) for p in crowd]
        figures, done = await _measure(emulator, bot, crowd, floor)
        assert all(done), "some floor participants did not finish"
    finally:
        await bot.stop(emulator)
        await emulator.stop()
    return figures


async def run_survey(options: Options) -> Figures:
    """Run the whole briefing with the real bot; print the final report and save the files."""
    emulator = _emulator(options)
    await emulator.start()
    folder = options.out
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("survey.db*"):
        stale.unlink()
    bot = BotProcess("survey", _environment(emulator, options, folder), folder, profiled=options.profile)
    await bot.start()
    try:
        await asyncio.wait_for(emulator.polling.wait(), 60)
        leader = Person(emulator, LEADER_ID, first_name="组长")
        units = [f"单位{number + 1}" for number in range(options.units)]
        tokens, live = [], []
        for unit in units:
            opened = await leader.send(f"/open {unit} {max(1, options.participants // options.units)}人")
            assert opened is not None
            assert "start=" in opened.text, opened.text
            tokens.append(opened.text.split("start=")[1].split()[0])
            await emulator.wait_chat(LEADER_ID, lambda: leader.last.document is not None)
            poster = leader.last
            (folder / f"{unit}_{poster.document_name}").write_bytes(poster.document or b"")
            tally = await leader.send(f"/tally {unit}")  # a live tally, kept current during the run
            assert tally is not None
            live.append(tally)
        crowd = _crowd(emulator, options)
        run = [
            asyncio.create_task(p.survey(tokens[number % len(tokens)], options.stop_at))
            for number, p in enumerate(crowd)
        ]
        figures, done = await _measure(emulator, bot, crowd, run)
        if options.stop_at is None:
            assert all(done), "some participants did not see the thank-you screen"
            ballots = sum(done)
            for unit in units:
                await _close(emulator, leader, unit, folder)
            edits = [
                [c.at for c in emulator.calls("editMessageText") if _edits(c, message) and c.error is None]
                for message in live
            ]
            submits = [
                [p.submitted_at for p in crowd[n :: len(units)] if p.submitted_at] for n in range(len(units))
            ]
            figures.live_edits = sum(len(times) for times in edits)
            figures.live_lag_max_s = round(max(map(_live_lag, submits, edits)), 1)
            sizes = sum(f.stat().st_size for f in folder.glob("survey.db*"))
            figures.db_bytes_per_1000_ballots = round(1000 * sizes / ballots) if ballots else None
    finally:
        code = await bot.stop(emulator)
        await emulator.stop()
    if code != 0:
        print(f"warning: the bot exited with code {code}; see {folder / 'bot.log'}", file=sys.stderr)
    return figures


def _edits(call: Call, message: BotMessage) -> bool:
    """Tell whether a call edits this message."""
    params = call.params
    return str(params.get("chat_id")) == str(message.chat_id) and params.get("message_id") == str(
        message.message_id
    )


def _live_lag(submits: list[float], edits: list[float]) -> float:
    """Return the longest wait from a ballot completing a batch to the live tally's next edit."""
    ordered = sorted(submits)
    batch_ends = ordered[MIN_GROUP - 1 :: MIN_GROUP]
    return max(
        (min((e for e in edits if e >= end), default=float("inf")) - end for end in batch_ends), default=0.0
    )


async def _close(emulator: BotApiEmulator, leader: Person, unit: str, folder: Path) -> None:
    """Close a unit as a leader does, print its final report, save its chart, workbook and feedback."""
    confirm = await leader.send(f"/close {unit}")
    assert confirm is not None
    before = len(leader.messages)
    await leader.press(confirm, "确认结束", settle=False)
    await emulator.wait_chat(
        leader.user_id, lambda: sum(1 for m in leader.messages[before:] if m.document) >= FINAL_DOCUMENTS
    )
    print(f"\n===== {unit} =====\n{confirm.text}\n")
    for message in leader.messages[before:]:
        if message.photo:
            (folder / f"{unit}_chart.png").write_bytes(message.photo)
        elif message.document and message.document_name:
            (folder / f"{unit}_{message.document_name}").write_bytes(message.document)
        else:
            print(message.text, "\n")
    before = len(leader.messages)
    await leader.send(f"/report {unit}")
    await emulator.wait_chat(leader.user_id, lambda: any(m.document for m in leader.messages[before:]))
    report = next(m for m in leader.messages[before:] if m.document)
    (folder / f"{unit}_{report.document_name}").write_bytes(report.document or b"")


def _think(value: str) -> tuple[float, float]:
    low, _, high = value.partition("-")
    return float(low), float(high or low)


def parse(argv: list[str] | None = None) -> Options:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument(
        "--think", type=_think, default=(0.2, 0.6), help="seconds between presses, e.g. 0 or 2-4"
    )
    parser.add_argument("--units", type=int, default=1, help="survey windows open at once")
    parser.add_argument("--no-rate-limiter", dest="rate_limiter", action="store_false")
    parser.add_argument(
        "--no-flood-limits",
        dest="flood_limits",
        action="store_false",
        help="the emulator does not enforce Telegram's per-chat flood limits",
    )
    parser.add_argument(
        "--overall-limit",
        type=int,
        default=0,
        help="also refuse sends+edits beyond N a second over all chats",
    )
    parser.add_argument("--out", type=Path, default=Path("briefing-output"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stop-at", type=int, default=None, help="participants stop before this question")
    parser.add_argument("--floor", action="store_true", help="also measure the framework floor")
    parser.add_argument(
        "--profile", action="store_true", help="sample the bot with py-spy into <out>/<app>.profile.txt"
    )
    parser.add_argument(
        "--transport", choices=["aiohttp", "httpx"], default="aiohttp", help="the bot's HTTP client"
    )
    arguments = parser.parse_args(argv)
    return Options(**vars(arguments))


def report(rows: list[Figures]) -> str:
    """Return the figures side by side, and the survey's throughput against the floor's if both ran."""
    names = list(asdict(rows[0]))
    lines = [f"{'':<28}" + "".join(f"{r.app:>14}" for r in rows)]
    lines += [f"{name:<28}" + "".join(f"{getattr(r, name)!s:>14}" for r in rows) for name in names[1:]]
    runs = {r.app: r for r in rows}
    if {"floor", "survey"} <= runs.keys():
        ratio = runs["survey"].presses_per_second / runs["floor"].presses_per_second
        lines += ["", f"throughput, survey / floor: {ratio:.2f}"]
    return "\n".join(lines)


async def main_async(options: Options) -> list[Figures]:
    """Run the floor (if asked) and the survey; print and save the figures."""
    results = []
    if options.floor:
        results.append(await run_floor(options))
    results.append(await run_survey(options))
    print(report(results))
    (options.out / "figures.json").write_text(json.dumps([asdict(r) for r in results], indent=2))
    return results


def main() -> None:
    """Entry point of `python -m emulator.briefing`."""
    asyncio.run(main_async(parse()))


if __name__ == "__main__":
    main()
