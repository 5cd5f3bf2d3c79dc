"""The landing page names the three paths, and says of each only what a person needs to choose it."""

from flask.testing import FlaskClient
from markupsafe import escape

from tests.conftest import session_catalog


def test_landing_names_the_three_paths(client: FlaskClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for words in (
        "interviewing for a social media role",
        "social media strategist now",
        "hiring a social media strategist",
    ):
        assert words in text


def test_each_path_is_chosen_on_the_landing_page_and_explained_on_its_own_introduction(client: FlaskClient) -> None:
    """A card gives who it is for, what it gives and how long it takes; the questionnaire's long introduction is
    said once, on its own page, which each card links to."""
    landing = client.get("/").get_data(as_text=True)
    for questionnaire in session_catalog().questionnaires.values():
        summary = str(escape(questionnaire.summary))  # as Jinja writes it
        assert summary not in landing, questionnaire.slug
        link = f'href="/q/{questionnaire.slug}">What it asks, step by step<span class="visually-hidden">: '
        assert link + str(escape(questionnaire.title)) + "</span></a>" in landing  # three links, three names
        intro = client.get(f"/q/{questionnaire.slug}").get_data(as_text=True)
        assert summary in intro, questionnaire.slug
