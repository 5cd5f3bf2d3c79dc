"""Helpers for driving the wizard through the test client, as a browser would (CSRF tokens included)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from flask.testing import FlaskClient

from assess.core import Questionnaire
from assess.core.model import Section
from assess.web.forms import question_field

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


INPUT = re.compile(r"<input\b[^>]*>")


def checked_value(html: str, field: str) -> str | None:
    """The value of the checked radio button named `field`, or None when none is checked."""
    for tag in INPUT.findall(html):
        if f'name="{field}"' in tag and re.search(r"\bchecked\b", tag):
            match = re.search(r'value="([^"]*)"', tag)
            return match.group(1) if match else None
    return None


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


@dataclass
class Walker:
    """Walks one questionnaire through the wizard with the test client."""

    client: FlaskClient
    questionnaire: Questionnaire
    department: str | None = None
    """For a team respondent: the department they speak for, whose questions alone they are asked."""

    @property
    def sections(self) -> list[Section]:
        """The wizard's pages: every section, or for a team respondent those with a question their department is
        asked."""
        if self.department is None:
            return list(self.questionnaire.sections)
        asked = {q.section for q in self.questionnaire.questions if q.asked_in_team(self.department)}
        return [s for s in self.questionnaire.sections if s.id in asked]

    def start(self) -> str:
        """Start a draft from the landing page's form; returns the draft token."""
        landing = self.client.get("/")
        response = self.client.post(
            f"/q/{self.questionnaire.slug}/start", data={"csrf_token": csrf_token(landing.get_data(as_text=True))}
        )
        assert response.status_code == 302
        match = re.search(r"/d/([A-Za-z0-9_-]+)/1$", response.headers["Location"])
        assert match
        return match.group(1)

    def page_data(
        self, token: str, step: int, answers: dict[str, str], extra: dict[str, str] | None = None
    ) -> dict[str, str]:
        page = self.client.get(f"/d/{token}/{step}")
        assert page.status_code == 200
        section = self.sections[step - 1]
        data = {"csrf_token": csrf_token(page.get_data(as_text=True))}
        for question in self.questionnaire.questions_in_section(section.id):
            if question.id in answers:
                data[question_field(question.id)] = answers[question.id]
        data.update(extra or {})
        return data

    def answer_all(self, token: str, answers: dict[str, str]) -> None:
        """Answer every page in order with Next."""
        for step in range(1, len(self.sections) + 1):
            response = self.client.post(
                f"/d/{token}/{step}", data={**self.page_data(token, step, answers), "action": "next"}
            )
            assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    def submit(self, token: str) -> str:
        """Submit from the review page; returns the result token."""
        review = self.client.get(f"/d/{token}/review")
        assert review.status_code == 200
        response = self.client.post(
            f"/d/{token}/submit", data={"csrf_token": csrf_token(review.get_data(as_text=True))}
        )
        assert response.status_code == 302
        match = re.search(r"/r/([A-Za-z0-9_-]+)$", response.headers["Location"])
        assert match
        return match.group(1)


class Controls(HTMLParser):
    """Every input and textarea of a page: its attributes by id, and a textarea's text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, dict[str, str | None]] = {}
        self.text: dict[str, str] = {}
        self._open: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("input", "textarea"):
            found = dict(attrs)
            assert found.get("id"), f"a {tag} without an id"
            self.attrs[str(found["id"])] = found
            if tag == "textarea":
                self._open = str(found["id"])
                self.text[self._open] = ""

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.text[self._open] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._open = None
