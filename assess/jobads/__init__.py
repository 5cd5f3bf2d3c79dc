"""The job-ad reader: the article's warning signs found in a posting, each with its sentence quoted.

`signals.py` loads the signals (assess/questionnaires/signals.yaml) and checks them against the questionnaires;
`phrasing.py` turns their phrasings into regular expressions; `text.py` turns an ad (plain text or HTML) into
sentences; `reader.py` reads an ad against the signals; `files.py` takes the text out of an uploaded .txt, .pdf
or .docx. Pure Python apart from `files.py` (pypdf, python-docx); nothing is fetched, logged or kept.
"""

from .reader import (
    MAX_AD_CHARS,
    Finding,
    OpenQuestion,
    Reading,
    SetAside,
    SuggestedAnswer,
    open_questions,
    read_ad,
    reading_to_dict,
    suggested_answers,
)
from .signals import SIGNALS_FILE, Signal, Signals, Suggestion, load_signals

__all__ = [
    "MAX_AD_CHARS",
    "SIGNALS_FILE",
    "Finding",
    "OpenQuestion",
    "Reading",
    "SetAside",
    "Signal",
    "Signals",
    "SuggestedAnswer",
    "Suggestion",
    "load_signals",
    "open_questions",
    "read_ad",
    "reading_to_dict",
    "suggested_answers",
]
