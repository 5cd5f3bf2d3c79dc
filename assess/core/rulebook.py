"""The rules in plain words: each rule's article point, its paragraphs and what triggers it (docs/rules.md).

`docs/rules.md` is this module's output for the real catalogue (`flask --app app assess rules`), and a test keeps
the two equal, so the table can never drift from the rules the app applies.
"""

from __future__ import annotations

from .catalog import Catalog
from .model import (
    UNKNOWN,
    AllOf,
    Always,
    AnswerIs,
    AnyOf,
    Condition,
    ConfidenceBelow,
    Not,
    Questionnaire,
    Rule,
    ScoreBelow,
)

SOURCE = "Ellen Berry, BrainTrack, on the corporate social media strategist"


def _options(questionnaire: Questionnaire, condition: AnswerIs) -> str:
    question = questionnaire.question(condition.question)
    labels = [
        "“don't know”" if option == UNKNOWN else f"“{question.option(option).label}”" for option in condition.options
    ]
    return " or ".join(labels)


def describe(questionnaire: Questionnaire, condition: Condition, nested: bool = False) -> str:
    """A condition in words: each answer test names its question id and the chosen options' labels."""
    if isinstance(condition, AnswerIs):
        return f"`{condition.question}` is {_options(questionnaire, condition)}"
    if isinstance(condition, Not) and isinstance(condition.condition, AnswerIs):
        inner = condition.condition
        return f"`{inner.question}` is not {_options(questionnaire, inner)} (don't know included)"
    if isinstance(condition, Not):
        return f"not ({describe(questionnaire, condition.condition)})"
    if isinstance(condition, ScoreBelow):
        if condition.dimension is None:
            return f"the overall score is below {condition.value:g}"
        return f"{questionnaire.dimension(condition.dimension).title} scores below {condition.value:g}"
    if isinstance(condition, ConfidenceBelow):
        return f"less than {condition.value:.0%} of the weight is answered"
    if isinstance(condition, Always):
        return "always"
    joiner = " **and** " if isinstance(condition, AllOf) else " **or** "
    text = joiner.join(describe(questionnaire, inner, nested=True) for inner in condition.conditions)
    return f"({text})" if nested and isinstance(condition, (AllOf, AnyOf)) else text


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _source(rule: Rule) -> str:
    cited = ", ".join(f"¶{number}" for number in rule.paragraphs)
    text = f"{cited}: {rule.article}" if cited else rule.article
    if rule.research:
        text += f" *Research:* {rule.research}"
    return text


def rules_markdown(catalog: Catalog) -> str:
    """The rules table of every questionnaire, as Markdown."""
    lines = [
        "# The rules and the article",
        "",
        "Every warning sign the app raises is a rule written as data in its questionnaire file",
        "(`assess/questionnaires/*.yaml`, under `rules:`). This page is generated from those files",
        "(`flask --app app assess rules > docs/rules.md`) and a test keeps it equal to them.",
        "",
        f"The rules follow the source article ({SOURCE}). Its paragraphs are numbered by counting every non-blank",
        "line of the article as one paragraph, headings and bullet points included: ¶1 is the opening paragraph,",
        "¶2 the heading “Finally, being unconventional and unpredictable pays off”, ¶9 the heading “The pitfalls",
        "of social media careers”, ¶12 to ¶17 the six challenges, ¶19 the heading “Survival skills for social",
        "strategists”, ¶23 to ¶27 the advice for résumés and interviews, ¶30 to ¶35 the checks on an employer",
        "(¶30 the direct supervisor, ¶31 the climate, ¶32 the load of requests, ¶33 the help-desk line, ¶34",
        "engagement, ¶35 finances), ¶37 to ¶41 the steps for strategists already in post, and ¶42 the",
        "collaboration platform. The points are paraphrased.",
        "",
        "A **critical** flag caps its part's band; a **warning** and a **notice** are listed but do not cap.",
        "In the triggers, an answer test names the question id and the options that fire it; “don't know” counts",
        "only where it is named.",
    ]
    for questionnaire in catalog.questionnaires.values():
        lines += [
            "",
            f"## {questionnaire.title} (`{questionnaire.slug}`, version {questionnaire.version})",
            "",
            "| rule | severity | the article's point | triggered when |",
            "|---|---|---|---|",
        ]
        for rule in questionnaire.rules:
            lines.append(
                f"| `{rule.id}`: {_cell(rule.title)} | {rule.severity} | {_cell(_source(rule))} "
                f"| {_cell(describe(questionnaire, rule.when))} |"
            )
        if questionnaire.verdicts:
            lines += ["", "Verdicts, in order (the first that holds is given):", ""]
            lines += [
                f"{index}. `{verdict.id}` ({_cell(verdict.title)}): {_cell(describe(questionnaire, verdict.when))}"
                for index, verdict in enumerate(questionnaire.verdicts, start=1)
            ]
    return "\n".join(lines) + "\n"
