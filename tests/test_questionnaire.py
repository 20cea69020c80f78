"""Annex 2 as data: the shape the notice prescribes, its wording verbatim, and the validation rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from conversations.annex2 import ANNEX2
from conversations.questionnaire import Option, Question, QuestionKind, Questionnaire

# The notice's text, copied verbatim (without the web page around it) from the seed it came in.
NOTICE = Path(__file__).resolve().parent / "data" / "notice.txt"


def test_annex2_has_the_shape_of_the_form() -> None:
    """1 category question, 12 single-choice items, 2 choose-up-to-three items, 1 free text."""
    kinds = [question.kind for question in ANNEX2.questions]
    assert ANNEX2.size == 16
    assert ANNEX2.questions[0].id == "category"
    assert kinds.count(QuestionKind.SINGLE) == 13  # the category question and the 12 items
    assert kinds.count(QuestionKind.MULTI) == 2
    assert kinds.count(QuestionKind.TEXT) == 1
    assert [q.max_choices for q in ANNEX2.questions if q.kind is QuestionKind.MULTI] == [3, 3]
    assert ANNEX2.questions[-1].kind is QuestionKind.TEXT
    assert not ANNEX2.questions[-1].required


def test_option_counts_per_item() -> None:
    """Each item offers exactly the options printed in its row of the form."""
    counts = {q.id: len(q.options) for q in ANNEX2.questions}
    assert counts == {
        "category": 4,
        "duties": 2,
        "points": 3,
        "level_lead": 2,
        "level_key": 2,
        "level_general": 2,
        "education": 4,
        "rules": 3,
        "democracy_decisions": 2,
        "democracy_openness": 2,
        "technology": 2,
        "warning": 3,
        "overall": 3,
        "improve": 5,
        "risks": 5,
        "suggestions": 0,
    }


@pytest.mark.parametrize("question", ANNEX2.questions, ids=lambda q: q.id)
def test_wording_is_verbatim_from_the_notice(question: Question) -> None:
    """Every option label appears word for word in the original notice."""
    notice = NOTICE.read_text(encoding="utf-8")
    for option in question.options:
        assert option.label in notice, option.label


def test_option_ids_are_unique_within_each_question() -> None:
    """Option ids are stable keys for storage and callback data."""
    for question in ANNEX2.questions:
        ids = [option.id for option in question.options]
        assert len(ids) == len(set(ids))


def _choice(question_id: str, max_choices: int = 1, kind: QuestionKind = QuestionKind.SINGLE) -> Question:
    return Question(
        id=question_id,
        kind=kind,
        section="s",
        prompt="p",
        options=(Option(id="a", label="A"), Option(id="b", label="B")),
        max_choices=max_choices,
    )


def test_duplicate_question_ids_are_refused() -> None:
    """A form whose question ids repeat does not load."""
    with pytest.raises(ValidationError, match="not unique"):
        Questionnaire(title="t", questions=(_choice("x"), _choice("x")))


def test_duplicate_option_ids_are_refused() -> None:
    """Two options with one id cannot be told apart in storage."""
    with pytest.raises(ValidationError, match="not unique"):
        Question(
            id="q",
            kind=QuestionKind.SINGLE,
            section="s",
            prompt="p",
            options=(Option(id="a", label="A"), Option(id="a", label="B")),
        )


@pytest.mark.parametrize("max_choices", [0, 3])
def test_max_choices_must_fit_the_options(max_choices: int) -> None:
    """Choose-up-to-N needs 1 ≤ N ≤ the number of options."""
    with pytest.raises(ValidationError, match="max_choices"):
        _choice("q", max_choices=max_choices, kind=QuestionKind.MULTI)


def test_text_questions_have_no_options_and_empty_labels_are_refused() -> None:
    """A free-text item with options, or an option without a label, does not load."""
    with pytest.raises(ValidationError):
        Question(
            id="t", kind=QuestionKind.TEXT, section="s", prompt="p", options=(Option(id="a", label="A"),)
        )
    with pytest.raises(ValidationError):
        Option(id="a", label="")
    with pytest.raises(ValidationError):
        Option(id="A B", label="x")


def test_the_form_cannot_be_changed_at_run_time() -> None:
    """The definition is frozen."""
    with pytest.raises(ValidationError):
        ANNEX2.questions[0].prompt = "changed"  # type: ignore[misc]


def test_item_titles_are_shown_unless_they_repeat_the_section() -> None:
    """风险点排查情况 is an item of its own even though its section mentions it."""
    titled = [q.id for q in ANNEX2.questions if not q.repeats_section]
    assert "points" in titled
    assert "duties" in titled
    assert "category" not in titled
    assert "improve" not in titled
    assert len(titled) == 12  # exactly the 12 single-choice items
