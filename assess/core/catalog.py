"""Load the questionnaire files, validate them, and build the frozen model.

Every problem is reported with the file, the path inside it (``questions[3].options[1].points``) and the line,
and all problems of a file are reported together, so a broken file is fixed in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml

from .model import (
    QUICK_MAX,
    SEVERITIES,
    TEAM_DEPARTMENTS,
    UNKNOWN,
    AllOf,
    Always,
    AnswerIs,
    AnyOf,
    Band,
    Condition,
    ConfidenceBelow,
    Criterion,
    Dimension,
    Figure,
    Not,
    Option,
    Part,
    Question,
    Questionnaire,
    Rule,
    ScoreBelow,
    Section,
    Severity,
    Verdict,
)

QUESTIONNAIRES_DIR = Path(__file__).resolve().parent.parent / "questionnaires"
SLUGS = ("employer-readiness", "role-audit", "org-readiness")
EXTRAS = ("interview_questions", "pitch", "verdict", "action_plan", "probes", "fixes", "challenges")
ARTICLE_PARAGRAPHS = 43
"""The article's paragraphs (its non-blank lines, headings and bullet points each counted as one)."""
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
CRITERION_PATTERN = re.compile(r"^[A-Z]{2}-[A-Z]+$")
POINTS_LIMIT = 10
"""The largest `points_max` a questionnaire may declare."""


class CatalogError(Exception):
    """A questionnaire or catalogue file is invalid; the message names the file and each place in it."""

    def __init__(self, file: str, problems: list[str]) -> None:
        self.file = file
        self.problems = problems
        super().__init__(f"{file}: " + ("\n  ".join(["", *problems]) if len(problems) > 1 else problems[0]))


class _Mapping(dict[str, Any]):
    """A YAML mapping that remembers the line it started on."""

    line = 0


class _Sequence(list[Any]):
    """A YAML sequence that remembers the line it started on."""

    line = 0


_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it (the wheels are): ten times faster than the pure-Python one."""


class _LineLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """A safe loader that keeps line numbers on mappings and sequences, for error messages."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    seen: set[Any] = set()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _Sequence:
    sequence = _Sequence(loader.construct_object(child, deep=True) for child in node.value)
    sequence.line = node.start_mark.line + 1
    return sequence


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, turning syntax errors into a CatalogError that names the file and line."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LineLoader)  # noqa: S506  # nosec B506  # _LineLoader is a SafeLoader
    except yaml.YAMLError as exc:
        raise CatalogError(path.name, [f"not valid YAML: {exc}"]) from exc
    except OSError as exc:
        raise CatalogError(path.name, [f"cannot be read: {exc.strerror}"]) from exc


T = TypeVar("T")


class _Reader:
    """Walks a parsed file, collecting problems with their paths instead of stopping at the first."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[str] = []

    def problem(self, path: str, node: Any, message: str) -> None:
        line = getattr(node, "line", 0)
        where = f"{path} (line {line})" if line else path
        self.problems.append(f"{where}: {message}")

    def mapping(self, node: Any, path: str) -> Mapping[str, Any]:
        if not isinstance(node, dict):
            self.problem(path, node, "must be a mapping")
            return {}
        return node

    def items(
        self, parent: Mapping[str, Any], key: str, path: str, required: bool = True
    ) -> Iterator[tuple[str, Mapping[str, Any]]]:
        node = parent.get(key)
        where = f"{path}.{key}" if path else key
        if node is None:
            if required:
                self.problem(where, parent, "is missing")
            return
        if not isinstance(node, list):
            self.problem(where, parent, "must be a list")
            return
        for index, item in enumerate(node):
            item_path = f"{where}[{index}]"
            if isinstance(item, dict):
                yield item_path, item
            else:
                self.problem(item_path, node, "must be a mapping")

    def field(
        self,
        node: Mapping[str, Any],
        key: str,
        path: str,
        kind: type[T] | tuple[type, ...],
        default: T | None = None,
        required: bool = True,
    ) -> T:
        where = f"{path}.{key}" if path else key
        if key not in node or node[key] is None:
            if required:
                self.problem(where, node, "is missing")
            return cast(T, default)
        value = node[key]
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            self.problem(
                where,
                node,
                f"must be {_kind_name(kind)}, not true/false "
                "(YAML reads bare yes, no, on, off as true/false: quote them)",
            )
            return cast(T, default)
        if not isinstance(value, kind):
            self.problem(where, node, f"must be {_kind_name(kind)}")
            return cast(T, default)
        if isinstance(value, str) and required and not value.strip():
            self.problem(where, node, "must not be empty")
        return cast(T, value)

    def ident(self, node: Mapping[str, Any], key: str, path: str) -> str:
        value = self.field(node, key, path, str, default="")
        if value and not ID_PATTERN.match(value):
            self.problem(f"{path}.{key}", node, f"{value!r} is not an id (lower case, digits and dashes)")
        return value

    def number(self, node: Mapping[str, Any], key: str, path: str, default: float | None = None) -> float:
        value = self.field(node, key, path, (int, float), default=default, required=default is None)
        return float(value) if value is not None else 0.0

    def strings(self, node: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = node.get(key, [])
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(f"{path}.{key}", node, "must be a list of strings")
            return ()
        return tuple(value)

    def unique(self, ids: list[tuple[str, str, Any]], what: str) -> None:
        seen: dict[str, str] = {}
        for ident, path, node in ids:
            if not ident:
                continue
            if ident in seen:
                self.problem(path, node, f"duplicate {what} id {ident!r} (first at {seen[ident]})")
            else:
                seen[ident] = path

    def raise_if_any(self) -> None:
        if self.problems:
            raise CatalogError(self.file, self.problems)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "text", int: "a whole number", float: "a number", list: "a list", dict: "a mapping"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if set(kinds) == {int, float}:
        return "a number"
    return " or ".join(names.get(k, k.__name__) for k in kinds)


# ---------------------------------------------------------------------------------------------------------
# The criteria catalogue and the published figures


def load_criteria(path: Path) -> tuple[Criterion, ...]:
    """Read the project's criteria catalogue (criteria.yaml)."""
    reader = _Reader(path.name)
    root = reader.mapping(read_yaml(path), "criteria.yaml")
    found: list[Criterion] = []
    ids: list[tuple[str, str, Any]] = []
    for item_path, item in reader.items(root, "criteria", ""):
        ident = reader.field(item, "id", item_path, str, default="")
        if ident and not CRITERION_PATTERN.match(ident):
            reader.problem(f"{item_path}.id", item, f"{ident!r} is not a criterion id such as ER-LOAD")
        ids.append((ident, item_path, item))
        found.append(
            Criterion(
                id=ident,
                group=ident.split("-", 1)[0],
                title=reader.field(item, "title", item_path, str, default=""),
                description=reader.field(item, "description", item_path, str, default=""),
            )
        )
    reader.unique(ids, "criterion")
    reader.raise_if_any()
    return tuple(found)


def load_figures(path: Path, criteria: Mapping[str, Criterion]) -> tuple[Figure, ...]:
    """Read the published figures (figures.yaml); each must carry a source and a year."""
    reader = _Reader(path.name)
    root = reader.mapping(read_yaml(path), "figures.yaml")
    found: list[Figure] = []
    ids: list[tuple[str, str, Any]] = []
    for item_path, item in reader.items(root, "figures", ""):
        ident = reader.ident(item, "id", item_path)
        ids.append((ident, item_path, item))
        year = reader.field(item, "year", item_path, int, default=0)
        if year and not 1990 <= year <= 2100:
            reader.problem(f"{item_path}.year", item, f"{year} is not a plausible year")
        status = reader.field(item, "status", item_path, str, default="verified")
        if status not in ("verified", "secondary", "article"):
            reader.problem(f"{item_path}.status", item, "must be verified, secondary or article")
        linked = reader.strings(item, "criteria", item_path)
        for index, criterion_id in enumerate(linked):
            if criterion_id not in criteria:
                reader.problem(f"{item_path}.criteria[{index}]", item, f"unknown criterion {criterion_id!r}")
        found.append(
            Figure(
                id=ident,
                statement=reader.field(item, "statement", item_path, str, default=""),
                source=reader.field(item, "source", item_path, str, default=""),
                year=year,
                status=cast(Any, status),
                criteria=linked,
            )
        )
    reader.unique(ids, "figure")
    reader.raise_if_any()
    return tuple(found)


# ---------------------------------------------------------------------------------------------------------
# Questionnaires


def load_questionnaire(
    path: Path, criteria: Mapping[str, Criterion], figures: tuple[Figure, ...] = ()
) -> Questionnaire:
    """Read and validate one questionnaire file against the catalogue."""
    reader = _Reader(path.name)
    root = reader.mapping(read_yaml(path), path.name)
    builder = _QuestionnaireBuilder(reader, root, criteria)
    questionnaire = builder.build(figures)
    reader.raise_if_any()
    if questionnaire is None:  # pragma: no cover - build() returns None only when it recorded problems
        raise CatalogError(path.name, ["could not be read"])
    return questionnaire


class _QuestionnaireBuilder:
    def __init__(self, reader: _Reader, root: Mapping[str, Any], criteria: Mapping[str, Criterion]) -> None:
        self.r = reader
        self.root = root
        self.criteria = criteria
        self.points_max = 0

    def build(self, figures: tuple[Figure, ...]) -> Questionnaire | None:
        r, root = self.r, self.root
        slug = r.ident(root, "slug", "")
        version = r.field(root, "version", "", str, default="")
        points_max = r.field(root, "points_max", "", int, default=0)
        if points_max and not 1 <= points_max <= POINTS_LIMIT:
            r.problem("points_max", root, f"must be between 1 and {POINTS_LIMIT}")
        self.points_max = points_max
        covers = r.strings(root, "covers", "")
        groups = {c.group for c in self.criteria.values()}
        for index, group in enumerate(covers):
            if group not in groups:
                r.problem(f"covers[{index}]", root, f"unknown criteria group {group!r}")
        extras = r.strings(root, "extras", "")
        for index, extra in enumerate(extras):
            if extra not in EXTRAS:
                r.problem(f"extras[{index}]", root, f"unknown extra {extra!r} (one of {', '.join(EXTRAS)})")
        parts = self.parts()
        sections = self.sections()
        dimensions = self.dimensions({p.id for p in parts})
        questions = self.questions({s.id for s in sections}, {d.id: d for d in dimensions})
        answerable = {q.id: q for q in questions}
        dimension_ids = {d.id for d in dimensions}
        rules = self.rules({p.id for p in parts}, answerable, dimension_ids)
        verdicts = self.verdicts(answerable, dimension_ids)
        self.check_coverage(questions, sections, dimensions, parts)
        self.check_covers(covers, questions)
        chosen = self.chosen_figures(figures)
        quick, quick_minutes = self.quick(answerable)
        if r.problems:
            return None
        challenge_ids = sorted({c for q in questions for c in q.challenges})
        used = {q.criterion for q in questions} | {rule.criterion for rule in rules} | set(challenge_ids)
        return Questionnaire(
            slug=slug,
            version=version,
            title=r.field(root, "title", "", str, default=""),
            audience=r.field(root, "audience", "", str, default=""),
            summary=r.field(root, "summary", "", str, default=""),
            points_max=points_max,
            parts=parts,
            sections=sections,
            dimensions=dimensions,
            questions=questions,
            rules=rules,
            verdicts=verdicts,
            covers=covers,
            extras=extras,
            challenges=tuple(self.criteria[c] for c in challenge_ids),
            criteria=tuple(c for c in self.criteria.values() if c.id in used),
            figures=chosen
            if chosen is not None
            else tuple(f for f in figures if not f.criteria or used.intersection(f.criteria)),
            quick=quick,
            quick_minutes=quick_minutes,
        )

    def parts(self) -> tuple[Part, ...]:
        r = self.r
        found: list[Part] = []
        ids: list[tuple[str, str, Any]] = []
        for path, item in r.items(self.root, "parts", ""):
            ident = r.ident(item, "id", path)
            ids.append((ident, path, item))
            bands = self.bands(item, path)
            cap = r.field(item, "critical_cap", path, str, default=None, required=False)
            if cap is not None and cap not in {b.id for b in bands}:
                r.problem(f"{path}.critical_cap", item, f"{cap!r} is not one of this part's bands")
            found.append(Part(ident, r.field(item, "title", path, str, default=""), bands, cap))
        r.unique(ids, "part")
        if not found and "parts" in self.root:
            r.problem("parts", self.root, "must name at least one part")
        return tuple(found)

    def bands(self, part: Mapping[str, Any], part_path: str) -> tuple[Band, ...]:
        r = self.r
        found: list[Band] = []
        ids: list[tuple[str, str, Any]] = []
        for path, item in r.items(part, "bands", part_path):
            ident = r.ident(item, "id", path)
            ids.append((ident, path, item))
            low, high = r.number(item, "low", path), r.number(item, "high", path)
            if low >= high:
                r.problem(path, item, f"low ({low:g}) must be below high ({high:g})")
            found.append(
                Band(
                    ident,
                    r.field(item, "label", path, str, default=""),
                    low,
                    high,
                    r.field(item, "message", path, str, default=""),
                )
            )
        r.unique(ids, "band")
        # Bands must tile 0..100 in order, so every score lands in exactly one.
        where = f"{part_path}.bands"
        if found:
            if found[0].low != 0:
                r.problem(f"{where}[0].low", part, f"the first band must start at 0, not {found[0].low:g}")
            if found[-1].high != 100:
                r.problem(
                    f"{where}[{len(found) - 1}].high", part, f"the last band must end at 100, not {found[-1].high:g}"
                )
            for index in range(1, len(found)):
                before, band = found[index - 1], found[index]
                if band.low > before.high:
                    r.problem(
                        f"{where}[{index}].low",
                        part,
                        f"gap: scores from {before.high:g} to {band.low:g} fall in no band",
                    )
                elif band.low < before.high:
                    r.problem(
                        f"{where}[{index}].low",
                        part,
                        f"overlap: band starts at {band.low:g}, before the previous one ends at {before.high:g}",
                    )
        return tuple(found)

    def sections(self) -> tuple[Section, ...]:
        r = self.r
        found: list[Section] = []
        ids: list[tuple[str, str, Any]] = []
        for path, item in r.items(self.root, "sections", ""):
            ident = r.ident(item, "id", path)
            ids.append((ident, path, item))
            found.append(
                Section(
                    ident,
                    r.field(item, "title", path, str, default=""),
                    r.field(item, "intro", path, str, default="", required=False),
                )
            )
        r.unique(ids, "section")
        return tuple(found)

    def dimensions(self, part_ids: set[str]) -> tuple[Dimension, ...]:
        r = self.r
        found: list[Dimension] = []
        ids: list[tuple[str, str, Any]] = []
        for path, item in r.items(self.root, "dimensions", ""):
            ident = r.ident(item, "id", path)
            ids.append((ident, path, item))
            part = r.field(item, "part", path, str, default="")
            if part and part not in part_ids:
                r.problem(f"{path}.part", item, f"unknown part {part!r}")
            weight = r.number(item, "weight", path, default=1.0)
            if weight <= 0:
                r.problem(f"{path}.weight", item, "must be above 0")
            found.append(
                Dimension(
                    id=ident,
                    title=r.field(item, "title", path, str, default=""),
                    part=part,
                    weight=weight,
                    description=r.field(item, "description", path, str, default="", required=False),
                    advice=r.field(item, "advice", path, str, default=""),
                )
            )
        r.unique(ids, "dimension")
        return tuple(found)

    def criterion(self, node: Mapping[str, Any], key: str, path: str, groups: tuple[str, ...]) -> str:
        value = self.r.field(node, key, path, str, default="")
        if value and value not in self.criteria:
            self.r.problem(f"{path}.{key}", node, f"unknown criterion {value!r}")
        elif value and self.criteria[value].group not in groups:
            self.r.problem(f"{path}.{key}", node, f"{value!r} is not one of the {'/'.join(groups)} criteria")
        return value

    def questions(self, section_ids: set[str], dimensions: Mapping[str, Dimension]) -> tuple[Question, ...]:
        r = self.r
        found: list[Question] = []
        ids: list[tuple[str, str, Any]] = []
        for path, item in r.items(self.root, "questions", ""):
            ident = r.ident(item, "id", path)
            if ident == UNKNOWN:
                r.problem(f"{path}.id", item, f"{UNKNOWN!r} is reserved")
            ids.append((ident, path, item))
            section = r.field(item, "section", path, str, default="")
            if section and section not in section_ids:
                r.problem(f"{path}.section", item, f"unknown section {section!r}")
            dimension = r.field(item, "dimension", path, str, default="")
            if dimension and dimension not in dimensions:
                r.problem(f"{path}.dimension", item, f"unknown dimension {dimension!r}")
            challenges = r.strings(item, "challenges", path)
            for index, challenge in enumerate(challenges):
                if self.criteria.get(challenge, None) is None or self.criteria[challenge].group != "CH":
                    r.problem(f"{path}.challenges[{index}]", item, f"{challenge!r} is not a challenge (CH-*) criterion")
            weight = r.number(item, "weight", path, default=1.0)
            if weight <= 0:
                r.problem(f"{path}.weight", item, "must be above 0")
            found.append(
                Question(
                    id=ident,
                    dimension=dimension,
                    section=section,
                    criterion=self.criterion(item, "criterion", path, ("ER", "RA", "CP", "HM")),
                    text=r.field(item, "text", path, str, default=""),
                    options=self.options(item, path),
                    help=r.field(item, "help", path, str, default="", required=False),
                    weight=weight,
                    challenges=challenges,
                    ask=r.field(item, "ask", path, str, default="", required=False),
                    improve=r.field(item, "improve", path, str, default="", required=False),
                    team=self.team(item, path),
                )
            )
        r.unique(ids, "question")
        return tuple(found)

    def team(self, item: Mapping[str, Any], path: str) -> tuple[str, ...] | None:
        """A question's `team`: `all` (the default), `none` (the hiring manager alone) or a list of departments."""
        value = item.get("team", "all")
        if value == "all":
            return None
        if value == "none":
            return ()
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            self.r.problem(f"{path}.team", item, "must be all, none or a list of departments")
            return None
        for index, department in enumerate(value):
            if department not in TEAM_DEPARTMENTS:
                self.r.problem(
                    f"{path}.team[{index}]",
                    item,
                    f"unknown department {department!r} (one of {', '.join(TEAM_DEPARTMENTS)})",
                )
        return tuple(value)

    def quick(self, questions: Mapping[str, Question]) -> tuple[tuple[str, ...], int]:
        """The quick path: at most QUICK_MAX known questions, each once, and about how many minutes it takes."""
        r = self.r
        node = self.root.get("quick")
        if node is None:
            return (), 0
        node = r.mapping(node, "quick")
        minutes = r.field(node, "minutes", "quick", int, default=0)
        if minutes and not 1 <= minutes <= 10:
            r.problem("quick.minutes", node, "must be between 1 and 10")
        picked = r.strings(node, "questions", "quick")
        if not picked:
            r.problem("quick.questions", node, "must list at least one question")
        if len(picked) > QUICK_MAX:
            r.problem("quick.questions", node, f"lists {len(picked)} questions; a quick path has at most {QUICK_MAX}")
        seen: set[str] = set()
        for index, question_id in enumerate(picked):
            if question_id not in questions:
                r.problem(f"quick.questions[{index}]", node, f"unknown question {question_id!r}")
            if question_id in seen:
                r.problem(f"quick.questions[{index}]", node, f"{question_id!r} is listed twice")
            seen.add(question_id)
        return picked, minutes

    def options(self, question: Mapping[str, Any], question_path: str) -> tuple[Option, ...]:
        r = self.r
        found: list[Option] = []
        ids: list[tuple[str, str, Any]] = []
        for path, item in r.items(question, "options", question_path):
            ident = r.ident(item, "id", path)
            if ident == UNKNOWN:
                r.problem(f"{path}.id", item, f"{UNKNOWN!r} is offered on every question already")
            ids.append((ident, path, item))
            points = r.field(item, "points", path, int, default=0)
            if self.points_max and not 0 <= points <= self.points_max:
                r.problem(f"{path}.points", item, f"{points} is out of range 0..{self.points_max}")
            found.append(Option(ident, r.field(item, "label", path, str, default=""), points))
        r.unique(ids, "option")
        if len(found) < 2:
            r.problem(f"{question_path}.options", question, "needs at least two options")
        elif max(o.points for o in found) == 0:
            r.problem(f"{question_path}.options", question, "needs at least one option worth points")
        return tuple(found)

    def condition(self, node: Any, path: str, questions: Mapping[str, Question], dimensions: set[str]) -> Condition:
        r = self.r
        if node == "always":
            return Always()
        if not isinstance(node, dict) or len(node) != 1:
            r.problem(
                path,
                node,
                "a condition is one of all, any, not, answer, score_below, overall_below, confidence_below, always",
            )
            return Always()
        ((kind, body),) = node.items()
        sub = f"{path}.{kind}"
        if kind in ("all", "any"):
            if not isinstance(body, list) or not body:
                r.problem(sub, node, "must be a non-empty list of conditions")
                return Always()
            inner = tuple(self.condition(c, f"{sub}[{i}]", questions, dimensions) for i, c in enumerate(body))
            return AllOf(inner) if kind == "all" else AnyOf(inner)
        if kind == "not":
            return Not(self.condition(body, sub, questions, dimensions))
        if kind == "answer":
            body = r.mapping(body, sub)
            question_id = r.field(body, "question", sub, str, default="")
            options = r.strings(body, "in", sub)
            if not options:
                r.problem(f"{sub}.in", body, "must list at least one option id")
            question = questions.get(question_id)
            if question_id and question is None:
                r.problem(f"{sub}.question", body, f"unknown question {question_id!r}")
            elif question is not None:
                known = {o.id for o in question.options} | {UNKNOWN}
                for index, option_id in enumerate(options):
                    if option_id not in known:
                        r.problem(f"{sub}.in[{index}]", body, f"question {question_id!r} has no option {option_id!r}")
            return AnswerIs(question_id, options)
        if kind == "score_below":
            body = r.mapping(body, sub)
            dimension = r.field(body, "dimension", sub, str, default="")
            if dimension and dimension not in dimensions:
                r.problem(f"{sub}.dimension", body, f"unknown dimension {dimension!r}")
            return ScoreBelow(dimension, self.threshold(body, "value", sub))
        if kind == "confidence_below":
            if not isinstance(body, (int, float)) or isinstance(body, bool) or not 0 <= body <= 1:
                r.problem(sub, node, "must be a share from 0 to 1")
                return Always()
            return ConfidenceBelow(float(body))
        if kind == "overall_below":
            if not isinstance(body, (int, float)) or isinstance(body, bool) or not 0 <= body <= 100:
                r.problem(sub, node, "must be a number from 0 to 100")
                return Always()
            return ScoreBelow(None, float(body))
        r.problem(sub, node, f"unknown condition {kind!r}")
        return Always()

    def threshold(self, body: Mapping[str, Any], key: str, path: str) -> float:
        value = self.r.number(body, key, path)
        if not 0 <= value <= 100:
            self.r.problem(f"{path}.{key}", body, "must be from 0 to 100")
        return value

    def rules(self, part_ids: set[str], questions: Mapping[str, Question], dimensions: set[str]) -> tuple[Rule, ...]:
        r = self.r
        found: list[Rule] = []
        ids: list[tuple[str, str, Any]] = []
        for path, item in r.items(self.root, "rules", "", required=False):
            ident = r.ident(item, "id", path)
            ids.append((ident, path, item))
            severity = r.field(item, "severity", path, str, default="warning")
            if severity not in SEVERITIES:
                r.problem(f"{path}.severity", item, f"must be one of {', '.join(SEVERITIES)}")
            part = r.field(item, "part", path, str, default="")
            if part and part not in part_ids:
                r.problem(f"{path}.part", item, f"unknown part {part!r}")
            if "when" not in item:
                r.problem(f"{path}.when", item, "is missing")
            paragraphs, article, research = self.article(item, path)
            found.append(
                Rule(
                    id=ident,
                    part=part,
                    severity=cast(Severity, severity),
                    criterion=self.criterion(item, "criterion", path, ("ER", "RA", "CP", "HM", "CH")),
                    title=r.field(item, "title", path, str, default=""),
                    why=r.field(item, "why", path, str, default=""),
                    advice=r.field(item, "advice", path, str, default=""),
                    when=self.condition(item.get("when"), f"{path}.when", questions, dimensions),
                    paragraphs=paragraphs,
                    article=article,
                    research=research,
                )
            )
        r.unique(ids, "rule")
        return tuple(found)

    def article(self, item: Mapping[str, Any], path: str) -> tuple[tuple[int, ...], str, str]:
        """A rule's optional `article`: the paragraphs it follows, the point it encodes (paraphrased) and, for a
        rule from the hiring research rather than the article, that research (then paragraphs may be empty)."""
        r = self.r
        node = item.get("article")
        if node is None:
            return (), "", ""
        node = r.mapping(node, f"{path}.article")
        research = r.field(node, "research", f"{path}.article", str, default="", required=False)
        paragraphs = node.get("paragraphs", [])
        where = f"{path}.article.paragraphs"
        if not isinstance(paragraphs, list) or not all(
            isinstance(p, int) and not isinstance(p, bool) for p in paragraphs
        ):
            r.problem(where, node, "must be a list of paragraph numbers")
            paragraphs = []
        elif not paragraphs and not research:
            r.problem(where, node, "must name at least one paragraph (or give the `research` the rule rests on)")
        for index, number in enumerate(paragraphs):
            if not 1 <= number <= ARTICLE_PARAGRAPHS:
                r.problem(f"{where}[{index}]", node, f"the article has paragraphs 1 to {ARTICLE_PARAGRAPHS}")
        return tuple(paragraphs), r.field(node, "point", f"{path}.article", str, default=""), research

    def verdicts(self, questions: Mapping[str, Question], dimensions: set[str]) -> tuple[Verdict, ...]:
        r = self.r
        found: list[Verdict] = []
        ids: list[tuple[str, str, Any]] = []
        for path, item in r.items(self.root, "verdicts", "", required=False):
            ident = r.ident(item, "id", path)
            ids.append((ident, path, item))
            found.append(
                Verdict(
                    id=ident,
                    title=r.field(item, "title", path, str, default=""),
                    message=r.field(item, "message", path, str, default=""),
                    when=self.condition(item.get("when"), f"{path}.when", questions, dimensions),
                )
            )
        r.unique(ids, "verdict")
        if found and not isinstance(found[-1].when, Always):
            r.problem("verdicts", self.root, "the last verdict must be `when: always`, so one is always given")
        return tuple(found)

    def check_coverage(
        self,
        questions: tuple[Question, ...],
        sections: tuple[Section, ...],
        dimensions: tuple[Dimension, ...],
        parts: tuple[Part, ...],
    ) -> None:
        r = self.r
        for section in sections:
            if not any(q.section == section.id for q in questions):
                r.problem("sections", self.root, f"section {section.id!r} has no questions")
        for dimension in dimensions:
            if not any(q.dimension == dimension.id for q in questions):
                r.problem("dimensions", self.root, f"dimension {dimension.id!r} has no questions")
        for part in parts:
            if not any(d.part == part.id for d in dimensions):
                r.problem("parts", self.root, f"part {part.id!r} has no dimensions")

    def chosen_figures(self, figures: tuple[Figure, ...]) -> tuple[Figure, ...] | None:
        """The figures the file picks for its reports, in its order; None when it picks none (all relevant)."""
        if "figures" not in self.root:
            return None
        by_id = {f.id: f for f in figures}
        picked = self.r.strings(self.root, "figures", "")
        for index, figure_id in enumerate(picked):
            if figure_id not in by_id and figures:
                self.r.problem(f"figures[{index}]", self.root, f"unknown figure {figure_id!r} (see figures.yaml)")
        return tuple(by_id[f] for f in picked if f in by_id)

    def check_covers(self, covers: tuple[str, ...], questions: tuple[Question, ...]) -> None:
        asked = {q.criterion for q in questions} | {c for q in questions for c in q.challenges}
        for group in covers:
            missing = sorted(c.id for c in self.criteria.values() if c.group == group and c.id not in asked)
            if missing:
                self.r.problem("covers", self.root, f"no question asks about {', '.join(missing)}")


# ---------------------------------------------------------------------------------------------------------
# The whole catalogue


@dataclass(frozen=True)
class Catalog:
    """The criteria, the figures and the questionnaires, loaded and validated together."""

    criteria: tuple[Criterion, ...]
    figures: tuple[Figure, ...]
    questionnaires: dict[str, Questionnaire]

    def get(self, slug: str) -> Questionnaire:
        """The questionnaire with this slug; KeyError when there is none."""
        return self.questionnaires[slug]


def load_catalog(directory: Path = QUESTIONNAIRES_DIR) -> Catalog:
    """Load and validate every file under `directory`; raise CatalogError on the first invalid file."""
    criteria = load_criteria(directory / "criteria.yaml")
    by_id = {c.id: c for c in criteria}
    figures = load_figures(directory / "figures.yaml", by_id)
    questionnaires: dict[str, Questionnaire] = {}
    for slug in SLUGS:
        path = directory / f"{slug}.yaml"
        questionnaire = load_questionnaire(path, by_id, figures)
        if questionnaire.slug != slug:
            raise CatalogError(path.name, [f"slug: {questionnaire.slug!r} does not match the file name"])
        questionnaires[slug] = questionnaire
    return Catalog(criteria, figures, questionnaires)


def each_file(directory: Path = QUESTIONNAIRES_DIR) -> Iterator[Path]:
    """The files `load_catalog` reads, in the order it reads them."""
    yield directory / "criteria.yaml"
    yield directory / "figures.yaml"
    for slug in SLUGS:
        yield directory / f"{slug}.yaml"
