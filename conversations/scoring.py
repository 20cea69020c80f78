"""The group's Annex 1 score sheet, pure: points per item, section subtotals, the total, the grade."""

from __future__ import annotations

from conversations.annex1 import ScoreForm, ScoreSection, grade
from conversations.engine import Answers, Draft
from conversations.questionnaire import Frozen


def points(answers: Answers, item_id: str) -> int | None:
    """Return the points given to an item (options are 'p0' … 'pN'), or None if not scored yet."""
    chosen = answers.get(item_id, ())
    return int(chosen[0].removeprefix("p")) if chosen else None


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


def score(form: ScoreForm, draft: Draft) -> ScoreResult:
    """Add up the sheet as it stands; points are capped by the form (the engine offers 0 … max)."""
    sections = []
    for section in form.sections:
        given = [points(draft.answers, item.id) for item in section.items]
        capped = [
            min(p, item.max_points) for p, item in zip(given, section.items, strict=True) if p is not None
        ]
        sections.append(
            SectionScore(section=section, points=sum(capped), scored_items=sum(p is not None for p in given))
        )
    return ScoreResult(sections=tuple(sections))
