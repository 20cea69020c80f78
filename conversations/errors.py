"""Typed errors the survey engine raises; the bot turns each into friendly text."""

from __future__ import annotations


class SurveyError(Exception):
    """A press or message that the survey refuses; nothing changes."""


class StaleStep(SurveyError):
    """The button belongs to a step the respondent is no longer on."""


class UnknownOption(SurveyError):
    """The option does not belong to the current question."""


class TooManyChoices(SurveyError):
    """A choose-up-to-N question already has N selections."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"at most {limit} choices")


class NoChoiceMade(SurveyError):
    """A choice question cannot be left without an answer."""


class SuggestionTooLong(SurveyError):
    """Free text over the question's limit."""

    def __init__(self, limit: int, length: int) -> None:
        self.limit = limit
        self.length = length
        super().__init__(f"{length} characters, limit {limit}")


class NotExpectingText(SurveyError):
    """Text arrived while the respondent is not on the free-text step."""


class Incomplete(SurveyError):
    """The draft misses a required answer and cannot be submitted."""

    def __init__(self, question_index: int) -> None:
        self.question_index = question_index
        super().__init__(f"question {question_index + 1} is unanswered")


class WindowClosed(SurveyError):
    """The unit's survey window has been closed."""


class AlreadySubmitted(SurveyError):
    """The person has already submitted a ballot for the window."""


class SheetFinalised(Exception):
    """The score sheet is finalised: an official record that no longer changes."""


class WritingsFinalised(Exception):
    """The leader's sections are final and no longer change."""


class NotWritten(Exception):
    """The store could not write (its disk is full, or its file read-only): nothing changed."""
