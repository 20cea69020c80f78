"""Simulated respondents: random but valid answers to the form, for benchmarks and tests."""

from __future__ import annotations

import random

from conversations.annex2 import ANNEX2
from conversations.engine import Answers, Ballot
from conversations.questionnaire import QuestionKind

SUGGESTION_SHARE = 0.2


def random_answers(rng: random.Random) -> Answers:
    """Return one option per single choice and 1 to 3 options per choose-up-to-three item."""
    answers: Answers = {}
    for question in ANNEX2.questions:
        if question.kind is QuestionKind.SINGLE:
            answers[question.id] = (rng.choice(question.options).id,)
        elif question.kind is QuestionKind.MULTI:
            picks = rng.sample(question.options, rng.randint(1, question.max_choices))
            answers[question.id] = tuple(o.id for o in question.options if o in picks)
    return answers


def random_suggestion(rng: random.Random) -> str | None:
    """Return a short suggestion for about one respondent in five."""
    return f"建议{rng.randint(1, 999)}：加强公开" if rng.random() < SUGGESTION_SHARE else None


def random_ballot(rng: random.Random) -> Ballot:
    """Return a valid ballot with random answers."""
    return Ballot(answers=random_answers(rng), suggestion=random_suggestion(rng))
