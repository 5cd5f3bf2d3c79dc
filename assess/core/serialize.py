"""Plain-data shapes of questionnaires and results: what the API serves, the CLI prints and the store keeps."""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from typing import Any, TypeVar, Union

from .model import UNKNOWN, Questionnaire, Result

T = TypeVar("T")


def questionnaire_to_dict(questionnaire: Questionnaire) -> dict[str, Any]:
    """A questionnaire's definition: parts, sections, dimensions, questions with criteria, options with points."""
    q = questionnaire
    return {
        "slug": q.slug,
        "version": q.version,
        "title": q.title,
        "audience": q.audience,
        "summary": q.summary,
        "points_max": q.points_max,
        "unknown_option": UNKNOWN,
        "parts": [
            {
                "id": p.id,
                "title": p.title,
                "critical_cap": p.critical_cap,
                "bands": [dataclasses.asdict(b) for b in p.bands],
            }
            for p in q.parts
        ],
        "sections": [dataclasses.asdict(s) for s in q.sections],
        "dimensions": [
            {
                "id": d.id,
                "title": d.title,
                "part": d.part,
                "weight": d.weight,
                "description": d.description,
                "questions": [x.id for x in q.questions_in(d.id)],
            }
            for d in q.dimensions
        ],
        "questions": [
            {
                "id": x.id,
                "section": x.section,
                "dimension": x.dimension,
                "criterion": x.criterion,
                "challenges": list(x.challenges),
                "weight": x.weight,
                "text": x.text,
                "help": x.help,
                "max_points": x.max_points,
                "options": [dataclasses.asdict(o) for o in x.options],
                "team": None if x.team is None else list(x.team),
            }
            for x in q.questions
        ],
        "quick": {"minutes": q.quick_minutes, "questions": list(q.quick)},
        "rules": [
            {"id": r.id, "part": r.part, "severity": r.severity, "criterion": r.criterion, "title": r.title}
            for r in q.rules
        ],
        "criteria": [dataclasses.asdict(c) for c in q.criteria + q.challenges],
        "figures": [dataclasses.asdict(f) for f in q.figures],
    }


def result_to_dict(result: Result) -> dict[str, Any]:
    """A result as plain data (lists, dicts, numbers, text), ready for JSON."""
    return typing.cast(dict[str, Any], _plain(dataclasses.asdict(result)))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def result_from_dict(data: dict[str, Any]) -> Result:
    """Rebuild a Result from `result_to_dict`'s output (a stored snapshot)."""
    result: Result = _converter(Result)(data)
    return result


Convert = typing.Callable[[Any], Any]


@functools.cache
def _init_fields(kind: type) -> tuple[tuple[str, Any], ...]:
    """A dataclass's init fields with their resolved types. Cached: resolving the string annotations
    (`from __future__ import annotations`) compiles each one."""
    hints = typing.get_type_hints(kind)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(kind) if f.init)


def _same(value: Any) -> Any:
    return value


@functools.cache
def _converter(kind: Any) -> Convert:
    """A function turning plain data into `kind`, worked out once per type from its hints.

    Deciding per value what each hint meant (origins, unions, dataclass checks) was most of the time of rebuilding
    a stored result: a 200-person team's page rebuilds 200 of them.
    """
    origin = typing.get_origin(kind)
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        fields = tuple((name, _converter(hint)) for name, hint in _init_fields(kind))
        build = kind

        def dataclass_from(value: Any) -> Any:
            # A key missing from older snapshots leaves the field's default.
            return build(**{name: convert(value[name]) for name, convert in fields if name in value})

        return dataclass_from
    if origin in (Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        inner = _converter(options[0])
        return lambda value: None if value is None else inner(value)
    if origin is tuple:
        (item, _ellipsis) = typing.get_args(kind)
        convert = _converter(item)
        if convert is _same:
            return tuple
        return lambda value: tuple(map(convert, value))
    if origin is dict:
        _key, item = typing.get_args(kind)
        convert = _converter(item)
        if convert is _same:
            return dict
        return lambda value: {key: convert(entry) for key, entry in value.items()}
    if kind is float:
        return lambda value: float(value) if isinstance(value, int) else value
    return _same
