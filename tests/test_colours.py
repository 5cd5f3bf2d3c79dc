"""The colours have one source, static/css/colours.css: the stylesheets and the PDF's charts use its properties."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assess.reports import pdf

ROOT = Path(__file__).resolve().parent.parent
HEX = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?\b")


@pytest.mark.parametrize("path", ["static/css/app.css", "static/css/print.css", "assess/reports/pdf.py"])
def test_no_colour_is_written_outside_colours_css(path: str) -> None:
    assert HEX.findall((ROOT / path).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", ["static/css/app.css", "static/css/print.css"])
def test_the_stylesheets_import_the_colours_and_name_only_defined_ones(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    assert '@import url("colours.css");' in text
    used = set(re.findall(r"var\((--[\w-]+)\)", text))
    assert used - set(pdf.palette()) - {"--radius"} == set()


def test_the_pdf_charts_take_their_colours_from_colours_css() -> None:
    colours = pdf.palette()
    assert colours["--chart-low"] in pdf.CHART_STYLE
    assert colours["--ink"] in pdf.CHART_STYLE
    assert "var(" not in pdf.CHART_STYLE
