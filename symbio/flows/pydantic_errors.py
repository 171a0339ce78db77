"""Turn pydantic's validation errors into planner-readable Problems with field paths."""

from __future__ import annotations

import difflib
import typing

from pydantic import BaseModel, ValidationError

from symbio.errors import Problem
from symbio.flows.schema import Scenario
from symbio.flows.yamlsource import Located, format_path, item_segment

_FRIENDLY = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "string_type": "must be text",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be a mapping (key: value)",
    "model_type": "must be a mapping of fields",
    "tuple_type": "must be a list of two numbers",
}


def problems_from_validation(
    exc: ValidationError, data: object, located: Located, file: str
) -> list[Problem]:
    """Map every pydantic error to a Problem naming file, line and field path."""
    problems = []
    seen = set()
    for err in exc.errors():
        loc = _drop_union_tags(err["loc"])
        path = _logical_path(data, loc)
        message = _message(err, loc)
        key = (format_path(path), message)
        if key in seen:
            continue
        seen.add(key)
        where_file, line = _where(located, path, file)
        problems.append(Problem(where_file, format_path(path), message, line))
    return problems


def _drop_union_tags(loc: tuple) -> tuple:
    # Unions (float | FactorRef) add the member type name to the location.
    return tuple(p for p in loc if not (isinstance(p, str) and p in {"float", "FactorRef"}))


def _logical_path(data: object, loc: tuple) -> tuple[str, ...]:
    out: list[str] = []
    node = data
    name = ""
    for part in loc:
        if isinstance(part, int) and isinstance(node, list):
            item = node[part] if part < len(node) else None
            out.append(item_segment(name, item, part))
            node = item
        else:
            out.append(str(part))
            name = str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return tuple(out)


def _where(located: Located, path: tuple[str, ...], file: str) -> tuple[str, int | None]:
    for n in range(len(path), -1, -1):
        hit = located.where.get(path[:n])
        if hit:
            return hit[0], hit[1]
    return file, None


def _message(err: dict, loc: tuple) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_fields(loc[:-1])
        hint = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        msg = f"unknown field {loc[-1]!r}"
        if hint:
            msg += f" (did you mean {hint[0]!r}?)"
        return msg + (f"; allowed: {', '.join(allowed)}" if allowed else "")
    base = _FRIENDLY.get(kind, err["msg"])
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        base = err["msg"].replace("Input should be", "must be")
    elif kind in {"literal_error", "string_pattern_mismatch", "value_error", "too_short"}:
        base = err["msg"].replace("Input should be", "must be").replace("Value error, ", "")
    got = err.get("input")
    if kind != "missing" and not isinstance(got, dict | list) and got is not None:
        base += f" (got {got!r})"
    return base


def _allowed_fields(loc: tuple) -> list[str]:
    """Return the field names allowed at ``loc`` by walking the Scenario model's types."""
    model: object = Scenario
    for part in loc:
        if isinstance(part, int):
            continue
        fields = _fields(model)
        if part not in fields:
            return []
        model = _model_of(fields[part])
    return sorted(_fields(model))


def _fields(model: object) -> dict:
    if isinstance(model, type) and issubclass(model, BaseModel):
        return {(f.alias or n): f.annotation for n, f in model.model_fields.items()}
    return {}


def _model_of(annotation: object) -> object:
    """Find the pydantic model inside list[...], X | None, dict[...] annotations."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None
