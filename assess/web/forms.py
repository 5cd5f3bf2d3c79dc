"""WTForms classes built from a questionnaire's sections: one form a wizard page, never written by hand."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from assess.core import UNKNOWN, Questionnaire
from assess.core.model import Section

UNKNOWN_LABEL = "Don't know"
NOTE_FIELD = "section_note"
LABEL_FIELD = "label"


def question_field(question_id: str) -> str:
    """The form field name of a question (ids may hold dashes; field names must be identifiers)."""
    return "q_" + question_id.replace("-", "_")


@lru_cache(maxsize=64)
def section_form_class(
    questionnaire: Questionnaire,
    section: Section,
    strict: bool,
    first: bool,
    label_max: int,
    note_max: int,
    free_text: bool = True,
) -> type[FlaskForm]:
    """The form class of one wizard page. `strict` requires every question answered (moving on, submitting).

    `free_text` False leaves out the label and the notes: anonymous team responses take no free text, since
    a sentence can identify its writer.
    """
    fields: dict[str, Any] = {}
    if first and free_text:
        fields[LABEL_FIELD] = StringField(
            _label_caption(questionnaire),
            validators=[
                Optional(),
                Length(max=label_max, message=f"Keep the name to {label_max} characters or fewer."),
            ],
            description="Optional. Shown on your result and report, so you can tell them apart.",
            render_kw={"maxlength": label_max, "autocomplete": "off"},
        )
    for question in questionnaire.questions_in_section(section.id):
        choices = [SelectChoice(option.id, option.label) for option in question.options]
        choices.append(SelectChoice(UNKNOWN, UNKNOWN_LABEL))
        required = InputRequired(message="Choose an answer, or “Don't know”.")
        fields[question_field(question.id)] = RadioField(
            question.text,
            choices=choices,
            validators=[required] if strict else [Optional()],
            description=question.help,
        )
    if not free_text:
        return type(f"{section.id.title().replace('-', '')}Form", (FlaskForm,), fields)
    fields[NOTE_FIELD] = TextAreaField(
        "Your notes on this section",
        validators=[Optional(), Length(max=note_max, message=f"Keep the note to {note_max} characters or fewer.")],
        description=f"Optional, up to {note_max} characters. Shown on your result and report.",
        render_kw={"maxlength": note_max, "rows": 3},
    )
    return type(f"{section.id.title().replace('-', '')}Form", (FlaskForm,), fields)


def _label_caption(questionnaire: Questionnaire) -> str:
    return {
        "job-seeker": "Employer's name",
        "strategist": "Role or organisation name",
        "hiring-manager": "Organisation or team name",
    }.get(questionnaire.audience, "A name for this assessment")
