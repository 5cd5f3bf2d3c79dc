"""WTForms classes built from a questionnaire's sections: one form a wizard page, never written by hand."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from assess import store
from assess.core import UNKNOWN, UNKNOWN_LABEL, Questionnaire
from assess.core.model import AUDIENCES, OTHER_AUDIENCE, Question

NOTE_FIELD = "section_note"
LABEL_FIELD = "label"


class Form(FlaskForm):  # type: ignore[misc]
    """The base of every form here: Flask-WTF's, with its CSRF check."""


def question_field(question_id: str) -> str:
    """The form field name of a question (ids may hold dashes; field names must be identifiers)."""
    return "q_" + question_id.replace("-", "_")


def page_form_class(
    questionnaire: Questionnaire,
    page: str,
    questions: tuple[Question, ...],
    label: bool,
    note: bool,
    label_max: int,
    note_max: int,
) -> type[FlaskForm]:
    """The form class of one wizard page: its questions, each optional (an open question counts as "don't
    know"), with the assessment's name when `label` and a note on the page when `note`.

    Anonymous team responses take neither, since a sentence can identify its writer. Built once per page and kept in
    the questionnaire's memo, keyed by the page and the questions on it (a team respondent's page holds only the
    questions their department is asked).
    """
    key = ("page form", page, tuple(q.id for q in questions), label, note, label_max, note_max)
    kept = questionnaire.memo.get(key)
    if kept is not None:
        return kept  # type: ignore[return-value]
    fields: dict[str, Any] = {}
    if label:
        fields[LABEL_FIELD] = StringField(
            _label_caption(questionnaire),
            validators=[
                Optional(),
                Length(max=label_max, message=f"Keep the name to {label_max} characters or fewer."),
            ],
            description="Optional. Shown on your result and report, so you can tell them apart.",
            render_kw={"maxlength": label_max, "autocomplete": "off"},
        )
    for question in questions:
        choices = [SelectChoice(option.id, option.label) for option in question.options]
        choices.append(SelectChoice(UNKNOWN, UNKNOWN_LABEL))
        fields[question_field(question.id)] = RadioField(
            question.text, choices=choices, validators=[Optional()], description=question.help
        )
    if note:
        fields[NOTE_FIELD] = TextAreaField(
            "Your notes on this section",
            filters=[lambda text: store.normalise_note(text) if text else text],
            validators=[
                Optional(),
                Length(max=note_max, message=f"Keep the note to {note_max} characters or fewer."),
                _at_most_lines(store.NOTE_LINES),
            ],
            description=f"Optional, up to {note_max} characters and {store.NOTE_LINES} lines. Shown on your result "
            "and report.",
            render_kw={"maxlength": note_max, "rows": 3},
        )
    form_class = type(f"{page.title().replace('-', '')}Form", (Form,), fields)
    questionnaire.memo[key] = form_class
    return form_class


def _at_most_lines(limit: int) -> Any:
    """A validator: at most `limit` lines (the note is normalised first, so blank runs count as one line)."""

    def check(_form: object, field: Any) -> None:
        if field.data and len(field.data.splitlines()) > limit:
            raise ValidationError(f"Keep the note to {limit} lines or fewer; it has {len(field.data.splitlines())}.")

    return check


def _label_caption(questionnaire: Questionnaire) -> str:
    return AUDIENCES.get(questionnaire.audience, OTHER_AUDIENCE).label_caption
