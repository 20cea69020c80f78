"""Walking numbered steps to a review: shared by the survey form and the Annex 1 score sheet.

Steps 0 … size-1 are the items; step `size` is the review. From the review a person may go
back to any item to change it ("revising"), and is brought back to the review after it. A
press drawn for another step than the current one is stale and refused.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import Field

from conversations.errors import StaleStep
from conversations.questionnaire import Frozen


class Position(Frozen):
    """Where a person is: the step, and whether they came from the review to change one item."""

    step: int = Field(default=0, ge=0)
    revising: bool = False


P = TypeVar("P", bound=Position)


class Steps:
    """The moves between `size` steps and the review after them."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.review = size

    def at(self, position: Position, step: int) -> None:
        """Refuse a press drawn for another step than the current one."""
        if step != position.step:
            raise StaleStep

    def back(self, position: P, step: int) -> P:
        """Return the position one step back; refuse on the first step."""
        self.at(position, step)
        if position.step == 0:
            raise StaleStep
        return position.model_copy(update={"step": position.step - 1})

    def revise(self, position: P, index: int) -> P:
        """Go from the review to one item to change it."""
        if position.step != self.review or not 0 <= index < self.size:
            raise StaleStep
        return position.model_copy(update={"step": index, "revising": True})

    def advance(self, position: P, first_missing: int | None) -> P:
        """Return the next position: the next step, or back to the review after revising one item.

        After revising, an item left without its required answer (`first_missing`) comes first.
        """
        if not position.revising:
            return position.model_copy(update={"step": position.step + 1})
        if first_missing is None:
            return position.model_copy(update={"step": self.review, "revising": False})
        return position.model_copy(update={"step": first_missing})
