"""Turn pydantic's validation errors into planner-readable Problems with field paths."""

from __future__ import annotations

import difflib
import types
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
    "finite_number": "must be a finite number",
    "literal_error": "must be one of the allowed values",
    "union_tag_invalid": "is not an allowed value",
}


def problems_from_validation(
    exc: ValidationError, data: object, located: Located, file: str
) -> list[Problem]:
    """Map every pydantic error to a Problem naming file, line and field path."""
    problems = []
    seen = set()
    for err in exc.errors():
        if _explained_by_other_member(err):
            continue
        loc = drop_union_tags(err["loc"])
        path = _logical_path(data, loc)
        message = _message(err, loc)
        key = (format_path(path), message)
        if key in seen:
            continue
        seen.add(key)
        where_file, line = _where(located, path, file)
        problems.append(Problem(where_file, format_path(path), message, line))
    return problems


def drop_union_tags(loc: tuple) -> tuple:
    """Drop the member names pydantic adds to locations inside unions (``float | FactorRef``)."""
    return tuple(p for p in loc if not (isinstance(p, str) and p in _UNION_TAGS))


_UNION_TAGS = {"float", "FactorRef"}


def _explained_by_other_member(err: dict) -> bool:
    """Keep one error per value of a ``float | FactorRef`` coefficient.

    A mapping is meant as a factor reference (its own errors explain it); anything else is
    meant as a number (the number branch explains it).
    """
    loc = err["loc"]
    if "float" in loc and "FactorRef" not in loc:
        return isinstance(err.get("input"), dict)
    if "FactorRef" in loc and loc[-1] == "FactorRef":
        return not isinstance(err.get("input"), dict)
    return False


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
        return _unknown_field(loc)
    base = _FRIENDLY.get(kind, err["msg"])
    if "float" in err["loc"] and kind in {"float_type", "float_parsing"}:
        base = "must be a number or a factor reference {factor: KEY}"
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        base = err["msg"].replace("Input should be", "must be")
    elif kind in {"literal_error", "string_pattern_mismatch", "value_error"}:
        base = err["msg"].replace("Input should be", "must be").replace("Value error, ", "")
        if kind == "string_pattern_mismatch" and err["loc"] and "id" in str(err["loc"][-1]):
            base = "must be an id: a letter, then letters, digits, '_', '.' or '-'"
    elif kind in {"too_short", "too_long"}:
        ctx = err.get("ctx", {})
        if "min_length" in ctx and kind == "too_short":
            base = f"must have at least {ctx['min_length']} item(s)"
        if "max_length" in ctx and kind == "too_long":
            base = f"must have at most {ctx['max_length']} item(s)"
        if isinstance(err.get("input"), str):
            base = base.replace("item(s)", "character(s)")
    got = err.get("input")
    if kind != "missing" and not isinstance(got, dict | list) and got is not None:
        text = repr(got)
        base += f" (got {text if len(text) <= 60 else text[:57] + '...'})"
    return base


def _unknown_field(loc: tuple) -> str:
    allowed = allowed_fields(loc[:-1])
    name = str(loc[-1])
    msg = f"unknown field {name!r}"
    if name == "remove":
        return msg + (
            "; 'remove: true' deletes a record of the base scenario and is only allowed in a "
            "file that extends one"
        )
    hint = difflib.get_close_matches(name, allowed, n=1)
    if hint:
        msg += f" (did you mean {hint[0]!r}?)"
    return msg + (f"; allowed: {', '.join(allowed)}" if allowed else "")


def allowed_fields(loc: tuple) -> list[str]:
    """Return the field names allowed at ``loc`` by walking the Scenario model's types."""
    model = model_at(loc)
    return sorted(_fields(model)) if model is not None else []


def model_at(loc: tuple) -> type[BaseModel] | None:
    """Return the pydantic model that validates the mapping at ``loc`` (None if none)."""
    annotation: object = Scenario
    for part in loc:
        annotation = _strip_optional(annotation)
        origin = typing.get_origin(annotation)
        if origin in (list, tuple):
            if not isinstance(part, int):
                return None
            annotation = typing.get_args(annotation)[0]
            continue
        if origin is dict:
            annotation = typing.get_args(annotation)[1]
            continue
        model = _model_of(annotation)
        fields = _fields(model)
        if isinstance(part, int) or part not in fields:
            return None
        annotation = fields[part]
    found = _model_of(_strip_optional(annotation))
    return found if isinstance(found, type) and issubclass(found, BaseModel) else None


def _strip_optional(annotation: object) -> object:
    """Unwrap ``Annotated[X, ...]`` and ``X | None`` down to X."""
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        args = typing.get_args(annotation)
        if type(None) in args and typing.get_origin(annotation) in (typing.Union, types.UnionType):
            rest = [a for a in args if a is not type(None)]
            if len(rest) == 1:
                annotation = rest[0]
                continue
        return annotation


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
