"""How long each way through a questionnaire takes a new reader: questions and words, and an estimate in minutes.

Run: `.venv/bin/python benchmarks/reading_time.py`. The estimate is the words on the page (question, help and
every option label) read at 200 words a minute, a slow careful reading of unfamiliar questions, plus 5 seconds a
question to recall the answer and click. It prints the figures; nothing here asserts a time.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assess.core import load_catalog
from assess.core.model import Question, Questionnaire

WORDS_PER_MINUTE = 200
SECONDS_TO_ANSWER = 5


def words(question: Question) -> int:
    """The words a reader sees for one question: its text, its help, every option and "Don't know"."""
    text = " ".join([question.text, question.help, *(o.label for o in question.options), "Don't know"])
    return len(text.split())


def minutes(questions: tuple[Question, ...]) -> float:
    """The estimated time to read and answer these questions, in minutes."""
    total_words = sum(words(q) for q in questions)
    return total_words / WORDS_PER_MINUTE + len(questions) * SECONDS_TO_ANSWER / 60


def report(questionnaire: Questionnaire) -> list[str]:
    quick = tuple(q for q in questionnaire.questions if q.id in set(questionnaire.quick))
    rows = []
    for name, questions in (("quick path", quick), ("full", questionnaire.questions)):
        rows.append(
            f"{questionnaire.slug:20} {name:10} {len(questions):3} questions {sum(words(q) for q in questions):5} words"
            f"  ~{minutes(questions):4.1f} min"
        )
    return rows


def main() -> None:
    catalog = load_catalog()
    print(f"reading at {WORDS_PER_MINUTE} words a minute, plus {SECONDS_TO_ANSWER} s to answer each question")
    for questionnaire in catalog.questionnaires.values():
        for row in report(questionnaire):
            print(row)


if __name__ == "__main__":
    main()
