"""The landing page names the three paths."""

from flask.testing import FlaskClient


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
