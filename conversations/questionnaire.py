"""Declarative questionnaire models: questions, options and their rules."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

_ID = re.compile(r"^[a-z0-9_]{1,24}$")


class QuestionKind(StrEnum):
    """How a question is answered."""

    SINGLE = "single"
    MULTI = "multi"
    TEXT = "text"


class Polarity(StrEnum):
    """Whether ticking an option speaks well of the unit (for favourable rates)."""

    FAVOURABLE = "favourable"
    NEUTRAL = "neutral"
    UNFAVOURABLE = "unfavourable"


class Frozen(BaseModel):
    """Immutable model base: the form never changes while the bot runs."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Option(Frozen):
    """One answer a respondent can tick; `id` is stored and sent in callback data."""

    id: str
    label: str = Field(min_length=1)
    polarity: Polarity | None = None

    @model_validator(mode="after")
    def _check_id(self) -> Self:
        if not _ID.match(self.id):
            msg = f"option id {self.id!r} must match {_ID.pattern}"
            raise ValueError(msg)
        return self


class Question(Frozen):
    """One step of the form: a single choice, a choose-up-to-N, or free text."""

    id: str
    kind: QuestionKind
    section: str
    prompt: str = Field(min_length=1)
    options: tuple[Option, ...] = ()
    max_choices: int = 1
    max_length: int = 1000
    required: bool = True

    @model_validator(mode="after")
    def _check_shape(self) -> Self:
        if not _ID.match(self.id):
            msg = f"question id {self.id!r} must match {_ID.pattern}"
            raise ValueError(msg)
        ids = [option.id for option in self.options]
        if len(set(ids)) != len(ids):
            msg = f"question {self.id}: option ids are not unique"
            raise ValueError(msg)
        if self.kind is QuestionKind.TEXT:
            if self.options:
                msg = f"question {self.id}: a text question has no options"
                raise ValueError(msg)
            if self.max_length < 1:
                msg = f"question {self.id}: max_length must be at least 1"
                raise ValueError(msg)
            return self
        if len(self.options) < 2:  # noqa: PLR2004 - a choice needs two options
            msg = f"question {self.id}: a choice needs at least two options"
            raise ValueError(msg)
        if self.kind is QuestionKind.SINGLE and self.max_choices != 1:
            msg = f"question {self.id}: a single choice has max_choices 1"
            raise ValueError(msg)
        if not 1 <= self.max_choices <= len(self.options):
            msg = f"question {self.id}: max_choices must be between 1 and the option count"
            raise ValueError(msg)
        rated = [option.polarity is not None for option in self.options]
        if any(rated) and not (all(rated) and self.kind is QuestionKind.SINGLE):
            msg = f"question {self.id}: polarity goes on every option of a single choice, or none"
            raise ValueError(msg)
        if all(rated) and not any(o.polarity is Polarity.FAVOURABLE for o in self.options):
            msg = f"question {self.id}: a rated question needs a favourable option"
            raise ValueError(msg)
        return self

    @property
    def repeats_section(self) -> bool:
        """Return True when the prompt only repeats its section heading (no item title of its own)."""
        return self.section.endswith(self.prompt)

    @property
    def rated(self) -> bool:
        """Return True if the question counts towards the favourable rate."""
        return bool(self.options) and all(option.polarity is not None for option in self.options)

    def option(self, option_id: str) -> Option | None:
        """Return the option with this id, or None."""
        return next((o for o in self.options if o.id == option_id), None)


class Questionnaire(Frozen):
    """A whole form: questions in the order a respondent meets them."""

    title: str
    questions: tuple[Question, ...]

    @model_validator(mode="after")
    def _check_ids(self) -> Self:
        ids = [question.id for question in self.questions]
        if len(set(ids)) != len(ids):
            msg = "question ids are not unique"
            raise ValueError(msg)
        if not self.questions:
            msg = "a questionnaire needs at least one question"
            raise ValueError(msg)
        return self

    @property
    def size(self) -> int:
        """Return how many questions (steps before the review) there are."""
        return len(self.questions)

    def question(self, question_id: str) -> Question | None:
        """Return the question with this id, or None."""
        return next((q for q in self.questions if q.id == question_id), None)
