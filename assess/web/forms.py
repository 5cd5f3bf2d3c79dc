"""WTForms classes built from a questionnaire's sections: one form a wizard page, never written by hand."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.form import _FlaskFormCSRF
from markupsafe import Markup, escape
from wtforms import Field, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from assess.core import UNKNOWN, Questionnaire
from assess.core.model import Section

from .security import csrf_token

UNKNOWN_LABEL = "Don't know"
NOTE_FIELD = "section_note"
LABEL_FIELD = "label"


class _KeptTokenCSRF(_FlaskFormCSRF):  # type: ignore[misc]
    """Flask-WTF's form CSRF, with the hidden field's token from `security.csrf_token` (signed once a session).

    `_FlaskFormCSRF` is private to Flask-WTF, but it is what `FlaskForm.Meta.csrf_class` names: the one place where
    a form gets its token. Validation is inherited unchanged. Pinned in requirements.txt; tests/web/test_csrf.py
    fails if forms stop giving out the kept token."""

    def generate_csrf_token(self, csrf_token_field: Field) -> str:
        return csrf_token()


class Form(FlaskForm):  # type: ignore[misc]
    """The base of every form here: Flask-WTF's, checking tokens as it does, giving out the session's kept one."""

    class Meta(FlaskForm.Meta):  # type: ignore[misc]
        csrf_class = _KeptTokenCSRF


_VALIDATION_ATTRS = ("required", "maxlength", "minlength")
"""The attributes WTForms' TextInput and TextArea take from a field's validator flags."""


def text_control(field: Field, **attrs: str) -> Markup:
    """A text field's <input type="text"> or <textarea>, with the attributes WTForms' widgets would give it.

    Written out here rather than through the widgets: their attribute formatting cost more than the rest of a
    wizard page. Same attributes: `attrs`, then the field's `render_kw`, then its validator flags (required,
    maxlength, minlength) where neither set them; True is a bare attribute and False leaves it out.
    """
    params: dict[str, Any] = {**attrs, **(field.render_kw or {})}
    for name in _VALIDATION_ATTRS:
        flag = getattr(field.flags, name, None)
        if flag not in (None, False) and name not in params:
            params[name] = flag
    params.setdefault("id", field.id)
    params["name"] = field.name
    written = " ".join(
        str(escape(name)) if value is True else f'{escape(name)}="{escape(value)}"'
        for name, value in sorted(params.items())
        if value is not False and value is not None
    )
    if isinstance(field, TextAreaField):
        return Markup(f"<textarea {written}>\r\n{escape(field._value())}</textarea>")  # noqa: S704  # nosec B704  # escaped above
    return Markup(f'<input {written} type="text" value="{escape(field._value())}">')  # noqa: S704  # nosec B704  # escaped above


def question_field(question_id: str) -> str:
    """The form field name of a question (ids may hold dashes; field names must be identifiers)."""
    return "q_" + question_id.replace("-", "_")


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
    a sentence can identify its writer. Built once per questionnaire and kept in its memo, keyed by the section's
    id: an lru_cache keyed by the questionnaire itself hashed the whole frozen questionnaire on every page.
    """
    key = ("section form", section.id, strict, first, label_max, note_max, free_text)
    kept = questionnaire.memo.get(key)
    if kept is not None:
        return kept  # type: ignore[return-value]
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
    if free_text:
        fields[NOTE_FIELD] = TextAreaField(
            "Your notes on this section",
            validators=[Optional(), Length(max=note_max, message=f"Keep the note to {note_max} characters or fewer.")],
            description=f"Optional, up to {note_max} characters. Shown on your result and report.",
            render_kw={"maxlength": note_max, "rows": 3},
        )
    form_class = type(f"{section.id.title().replace('-', '')}Form", (Form,), fields)
    questionnaire.memo[key] = form_class
    return form_class


def _label_caption(questionnaire: Questionnaire) -> str:
    return {
        "job-seeker": "Employer's name",
        "strategist": "Role or organisation name",
        "hiring-manager": "Organisation or team name",
    }.get(questionnaire.audience, "A name for this assessment")
