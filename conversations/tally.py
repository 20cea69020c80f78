"""Count ballots per option: the figures a group leader sees for a unit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from conversations.engine import Ballot
from conversations.questionnaire import Frozen, Option, Question, QuestionKind, Questionnaire


class OptionCount(Frozen):
    """How many ballots ticked one option, and that as a share of all ballots."""

    option: Option
    count: int

    def percent(self, ballots: int) -> float:
        """Return the count as a percentage of `ballots` (0 when there are none)."""
        return 100.0 * self.count / ballots if ballots else 0.0


class QuestionTally(Frozen):
    """The counts of every option of one choice question, in the form's order."""

    question: Question
    counts: tuple[OptionCount, ...]


class Tally(Frozen):
    """A unit's figures: ballots received, counts per question, the suggestions."""

    ballots: int
    questions: tuple[QuestionTally, ...]
    suggestions: tuple[str, ...]


def compute_tally(questionnaire: Questionnaire, ballots: Iterable[Ballot]) -> Tally:
    """Count every option of every choice question over the ballots."""
    counters: dict[str, Counter[str]] = {q.id: Counter() for q in questionnaire.questions}
    suggestions: list[str] = []
    total = 0
    for ballot in ballots:
        total += 1
        for question_id, chosen in ballot.answers.items():
            counter = counters.get(question_id)
            if counter is not None:
                counter.update(chosen)
        if ballot.suggestion:
            suggestions.append(ballot.suggestion)
    questions = tuple(
        QuestionTally(
            question=question,
            counts=tuple(
                OptionCount(option=option, count=counters[question.id][option.id])
                for option in question.options
            ),
        )
        for question in questionnaire.questions
        if question.kind is not QuestionKind.TEXT
    )
    return Tally(ballots=total, questions=questions, suggestions=tuple(suggestions))
