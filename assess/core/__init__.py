"""The assessment domain: questionnaires, scoring and advice. Pure Python: no web, PDF or database library."""

from .catalog import Catalog, CatalogError, load_catalog
from .model import UNKNOWN, UNKNOWN_LABEL, Questionnaire, Result
from .scoring import AnswerError, check_answers, score
from .serialize import questionnaire_to_dict, result_from_dict, result_to_dict

__all__ = [
    "UNKNOWN",
    "UNKNOWN_LABEL",
    "AnswerError",
    "Catalog",
    "CatalogError",
    "Questionnaire",
    "Result",
    "check_answers",
    "load_catalog",
    "questionnaire_to_dict",
    "result_from_dict",
    "result_to_dict",
    "score",
]
