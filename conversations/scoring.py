"""The group's Annex 1 score sheet, pure: marks per item, moving through the items, totals, the grade."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import Field

from conversations.annex1 import ScoreForm, ScoreItem, ScoreSection, grade
from conversations.engine import Back, Revise
from conversations.errors import StaleStep, UnknownOption
from conversations.questionnaire import Frozen
from conversations.steps import Position, Steps


class Marks(Position):
    """A score sheet as it stands: the points given per item id, and the item being scored.

    Steps 0 … items-1 are the items in the form's order; the step after them is the review.
    """

    points: dict[str, int] = Field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Award:
    """Give the item on this step these points."""

    step: int
    points: int


SheetPress = Award | Back | Revise


class Marking:
    """Apply presses to the marks of one score form; refuse what the form does not allow."""

    def __init__(self, form: ScoreForm) -> None:
        self.form = form
        self.steps = Steps(len(form.items))

    def start(self) -> Marks:
        """Return an empty sheet on its first item."""
        return Marks()

    def current_item(self, marks: Marks) -> ScoreItem | None:
        """Return the item being scored, or None on the review."""
        return self.form.items[marks.step] if marks.step < self.steps.review else None

    def apply(self, marks: Marks, press: SheetPress) -> Marks:
        """Return the marks after a press; raise StaleStep or UnknownOption to refuse it."""
        match press:
            case Revise(question_index=index):
                return self.steps.revise(marks, index)
            case Back(step=step):
                return self.steps.back(marks, step)
            case Award(step=step, points=points):
                self.steps.at(marks, step)
                item = self.current_item(marks)
                if item is None:
                    raise StaleStep
                if points not in item.allowed_points:
                    raise UnknownOption
                updated = marks.model_copy(update={"points": {**marks.points, item.id: points}})
                return self.steps.advance(updated, self._first_missing(updated))

    def missing(self, marks: Marks) -> int:
        """Return how many items have no points yet (finalising needs none)."""
        return sum(item.id not in marks.points for item in self.form.items)

    def _first_missing(self, marks: Marks) -> int | None:
        return next((i for i, item in enumerate(self.form.items) if item.id not in marks.points), None)


class SectionScore(Frozen):
    """A section's points so far against its maximum."""

    section: ScoreSection
    points: int
    scored_items: int

    @property
    def complete(self) -> bool:
        """Return True once every item of the section has points."""
        return self.scored_items == len(self.section.items)


class ScoreResult(Frozen):
    """The whole sheet: subtotals, total out of 100 and, once complete, the grade band."""

    sections: tuple[SectionScore, ...]

    @property
    def total(self) -> int:
        """Return the points over all sections."""
        return sum(s.points for s in self.sections)

    @property
    def complete(self) -> bool:
        """Return True once every item has points."""
        return all(s.complete for s in self.sections)

    @property
    def grade(self) -> str | None:
        """Return 优秀 / 良好 / 合格 / 不合格 for a complete sheet, else None."""
        return grade(self.total) if self.complete else None

    def section(self, section_id: str) -> SectionScore:
        """Return the score of one section."""
        return next(s for s in self.sections if s.section.id == section_id)


def score(form: ScoreForm, marks: Marks) -> ScoreResult:
    """Add up the sheet as it stands; points are capped by the form (the marking offers 0 … max)."""
    return score_points(form, marks.points)


def score_points(form: ScoreForm, given: Mapping[str, int]) -> ScoreResult:
    """Add up points per item id (items missing are not scored yet), each capped at its maximum."""
    sections = []
    for section in form.sections:
        scored = [(given[item.id], item) for item in section.items if item.id in given]
        sections.append(
            SectionScore(
                section=section,
                points=sum(min(p, item.max_points) for p, item in scored),
                scored_items=len(scored),
            )
        )
    return ScoreResult(sections=tuple(sections))
