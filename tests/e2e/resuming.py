"""A participant who keeps going through crashes: reads the screen, does the next thing, retries."""

from __future__ import annotations

import asyncio
import json
import re

from conversations.annex2 import ANNEX2
from conversations.engine import Answers
from conversations.questionnaire import QuestionKind
from emulator import BotMessage
from emulator.people import Person

STEP = re.compile(r"第 (\d+)/16 题")
PATIENCE = 4.0  # seconds before a press counts as lost (the bot may be down)


class ResumingParticipant:
    """Answers a planned form whatever happens to the bot; reopens the link when stuck."""

    def __init__(self, person: Person, token: str, answers: Answers, suggestion: str | None) -> None:
        self.person = person
        self.token = token
        self.answers = answers
        self.suggestion = suggestion
        self.acknowledged = False  # the bot said "submitted" (or "already taken part")

    def planned(self) -> str:
        """Return the ballot this person means to cast, as the repository stores its answers."""
        return json.dumps(self.answers, ensure_ascii=False, sort_keys=True)

    async def run(self) -> None:
        """Go on until the bot has acknowledged the ballot."""
        message: BotMessage | None = None
        while not self.acknowledged:
            try:
                message = await self._step(message)
            except (TimeoutError, LookupError):
                message = None  # lost: reopen the link, which resumes where the draft is
                await asyncio.sleep(0.3)

    async def _press(self, message: BotMessage, label: str) -> str:
        data = message.button(label).callback_data or ""
        edits, count = message.edits, len(self.person.messages)
        answer = await self.person.press_data(message, data, settle=False, timeout=PATIENCE)
        text = str(answer.get("text") or "")
        if text in {"答卷已提交，感谢参与！", "您已提交过答卷，每人只能提交一次。"}:
            self.acknowledged = True
            return text
        await self.person.emulator.wait_chat(
            self.person.user_id,
            lambda: message.edits > edits or len(self.person.messages) > count,
            timeout=PATIENCE,
        )
        return text

    async def _step(self, message: BotMessage | None) -> BotMessage | None:
        if message is None:
            before = len(self.person.messages)
            await self.person.send(f"/start {self.token}", wait=False)
            await self.person.emulator.wait_chat(
                self.person.user_id, lambda: len(self.person.messages) > before, timeout=PATIENCE
            )
            message = self.person.messages[-1]
        text = message.text
        if "您已参加过" in text:
            self.acknowledged = True
            return message
        if "开始" in message.labels():
            await self._press(message, "开始")
            return message
        if "请核对您的答卷" in text:
            await self._press(message, "提交")
            return message
        found = STEP.search(text)
        if found is None:
            return None
        question = ANNEX2.questions[int(found.group(1)) - 1]
        planned = [o.label for o in question.options if o.id in self.answers.get(question.id, ())]
        if question.kind is QuestionKind.SINGLE:
            await self._press(message, planned[0])
        elif question.kind is QuestionKind.MULTI:
            chosen = [label.removeprefix("✅ ") for label in message.labels() if label.startswith("✅ ")]
            extra = [label for label in chosen if label not in planned]
            missing = [label for label in planned if label not in chosen]
            if extra:
                await self._press(message, f"✅ {extra[0]}")
            elif missing:
                await self._press(message, missing[0])
            else:
                await self._press(message, "完成")
        elif self.suggestion is not None:
            before = len(self.person.messages)
            await self.person.send(self.suggestion, wait=False)
            await self.person.emulator.wait_chat(
                self.person.user_id, lambda: len(self.person.messages) > before, timeout=PATIENCE
            )
            return self.person.messages[-1]
        else:
            await self._press(message, "跳过")
        return message
