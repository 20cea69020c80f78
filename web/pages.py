"""Drawing the pages: what each shows, built from the survey and the draft, in escaped HTML templates."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from conversations.engine import Draft, Survey
from conversations.questionnaire import Question, QuestionKind
from web import texts


@dataclass(frozen=True, slots=True)
class Asset:
    """One static file, kept in memory, under a name that changes with its content."""

    body: bytes
    content_type: str
    version: str


def _asset(name: str, content_type: str) -> Asset:
    body = files("web").joinpath("static", name).read_bytes()
    return Asset(body, content_type, hashlib.sha256(body).hexdigest()[:12])


@dataclass(frozen=True, slots=True)
class Choice:
    """One option as a page shows it."""

    id: str
    label: str
    chosen: bool


@dataclass(frozen=True, slots=True)
class Step:
    """One question's page: where it is, what it asks, what is already answered."""

    index: int
    number: int
    total: int
    kind: str
    section: str
    prompt: str | None
    choices: tuple[Choice, ...]
    limit: int
    chosen: int
    text: str
    back: bool
    revising: bool


@dataclass(frozen=True, slots=True)
class Answered:
    """One line of the review: the item, the answer given, and which step changes it."""

    index: int
    number: int
    prompt: str | None
    answer: str | None


@dataclass(frozen=True, slots=True)
class Section:
    """A heading of the form and its items, as the review lists them."""

    title: str
    items: tuple[Answered, ...]


def _prompt(question: Question) -> str | None:
    """Return the item's own title, or None where it only repeats its section (限选三项, 其它意见建议)."""
    return None if question.repeats_section else question.prompt


def step_view(
    survey: Survey, draft: Draft, *, picked: tuple[str, ...] | None = None, text: str | None = None
) -> Step:
    """Return the page of the step the draft is on; `picked` or `text`: what a refused post sent."""
    question = survey.current_question(draft)
    if question is None:
        msg = "the review has no step page"
        raise ValueError(msg)
    chosen = draft.answers.get(question.id, ()) if picked is None else picked
    shown_text = (draft.suggestion or "") if text is None else text
    return Step(
        index=draft.step,
        number=draft.step + 1,
        total=survey.questionnaire.size,
        kind=question.kind.value,
        section=question.section,
        prompt=_prompt(question),
        choices=tuple(Choice(o.id, o.label, o.id in chosen) for o in question.options),
        limit=question.max_length if question.kind is QuestionKind.TEXT else question.max_choices,
        chosen=len(chosen),
        text=shown_text,
        back=draft.step > 0,
        revising=draft.revising,
    )


def review_view(survey: Survey, draft: Draft) -> tuple[Section, ...]:
    """Return every answer, grouped under the form's headings, in the form's order."""
    sections: list[Section] = []
    for index, question in enumerate(survey.questionnaire.questions):
        if question.kind is QuestionKind.TEXT:
            answer = draft.suggestion
        else:
            given = draft.answers.get(question.id, ())
            labels = [option.label for option in question.options if option.id in given]
            answer = texts.LIST_SEPARATOR.join(labels) or None
        item = Answered(index, index + 1, _prompt(question), answer)
        if sections and sections[-1].title == question.section:
            sections[-1] = Section(question.section, (*sections[-1].items, item))
        else:
            sections.append(Section(question.section, (item,)))
    return tuple(sections)


class Pages:
    """The templates (every value escaped), the static files, and where the site lives."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.environment = Environment(
            loader=PackageLoader("web", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        self.css = _asset("form.css", "text/css")
        self.js = _asset("form.js", "text/javascript")
        self.environment.globals.update(
            t=texts,
            base=base,
            css=f"{base}static/form.css?v={self.css.version}",
            js=f"{base}static/form.js?v={self.js.version}",
        )

    def render(self, template: str, **context: Any) -> str:  # noqa: ANN401 - what each template draws
        """Return the page drawn from the template with these values."""
        return self.environment.get_template(template).render(**context)
