"""Turn pydantic's validation errors into ``path:line`` problems in the user's words."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..errors import Problem
from ..model.text import describe
from .documents import Document, PathKey

M = TypeVar("M", bound=BaseModel)

_TYPE_WORDS = {
    "string_type": "a text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
    "int_from_float": "a whole number",
    "finite_number": "a finite number",
}


def validate(model: type[M], doc: Document, problems: list[Problem]) -> M | None:
    """``doc`` as ``model``, or None with its problems added to ``problems``."""
    if not isinstance(doc.data, dict):
        problems.append(doc.problem((), f"the file holds {describe(doc.data)}; "
                                         "expected a mapping of keys to values"))
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(problems_from(exc, doc, model))
        return None


def suggest(name: str, known: list[str]) -> str:
    """"did you mean ...?" for a misspelt name, else the names that are known."""
    hint = difflib.get_close_matches(name, known, n=1)
    return f"did you mean '{hint[0]}'?" if hint else f"expected one of: {_few(known)}"


def _few(items: list[str], limit: int = 12) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f", ... ({len(items)} in all)" if len(items) > limit else "")


def dotted(loc: PathKey) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _unwrap(annotation: Any) -> list[Any]:
    """The model classes an annotation may hold, looking through Optional, list and dict."""
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin in (Union, types.UnionType, list, tuple):
        return [m for arg in get_args(annotation) for m in _unwrap(arg)]
    if origin is dict:
        return [("dict", m) for m in _unwrap(get_args(annotation)[1])]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _model_at(root: type[BaseModel], loc: PathKey) -> type[BaseModel] | None:
    """The model class that the value at ``loc`` is validated against, if any."""
    current: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        if isinstance(current, tuple):  # inside a dict of models: the key is free
            current = current[1]
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = next((f for n, f in current.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            return None
        candidates = _unwrap(field.annotation)
        if not candidates:
            return None
        current = candidates[0]
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()]


def problems_from(exc: ValidationError, doc: Document, root: type[BaseModel],
                  base: PathKey = ()) -> list[Problem]:
    """One problem per pydantic error, located in ``doc`` (``base`` prefixes each location)."""
    problems: list[Problem] = []
    seen: set[PathKey] = set()
    for err in exc.errors():
        # a union reports one error per alternative; the location then ends in a type name
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p in (
            "str", "int", "float", "list", "dict", "bool", "none", "function-before", "function-after")
            or p[:1].isupper())))
        full = base + loc
        kind = err["type"]
        message = _message(err, loc, root, kind)
        if message is None:
            continue
        if full in seen and kind not in ("extra_forbidden", "missing"):
            continue
        seen.add(full)
        problems.append(doc.problem(full, message))
    return problems


def _message(err: Any, loc: PathKey, root: type[BaseModel], kind: str) -> str | None:
    where = dotted(loc)
    prefix = f"{where}: " if where else ""
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        name = str(loc[-1])
        model = _model_at(root, loc[:-1])
        allowed = _keys(model) if model else []
        hint = difflib.get_close_matches(name, allowed, n=1)
        parent = dotted(loc[:-1])
        text = f"unknown key '{name}'" + (f" in {parent}" if parent else "")
        if hint:
            return f"{text}; did you mean '{hint[0]}'? (allowed: {', '.join(allowed)})"
        return f"{text}; expected one of: {', '.join(allowed)}" if allowed else text
    if kind == "missing":
        parent = dotted(loc[:-1])
        return f"missing key '{loc[-1]}'" + (f" in {parent}" if parent else "") + "; it is required"
    if kind == "value_error":
        return prefix + str(ctx.get("error", err["msg"]))
    if kind == "literal_error":
        return f"{prefix}{describe(value)} is not allowed; expected one of {ctx.get('expected')}"
    if kind == "string_pattern_mismatch":
        return (f"{prefix}{describe(value)} is not a valid id; expected lowercase letters, digits, "
                "'-' and '_', starting with a letter or digit")
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sign = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=",
                "less_than": "<"}[kind]
        limit = next(iter(ctx.values()), "")
        return f"{prefix}{describe(value)} is out of bounds; expected a number {sign} {limit}"
    if kind in ("too_short", "too_long"):
        if ctx.get("min_length") == ctx.get("max_length") or kind == "too_long":
            return f"{prefix}expected a list of {ctx.get('max_length', ctx.get('min_length'))} items"
        return f"{prefix}expected at least {ctx.get('min_length')} item(s)"
    if kind in _TYPE_WORDS:
        return f"{prefix}got {describe(value)}; expected {_TYPE_WORDS[kind]}"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"{prefix}got {describe(value)}; expected {kind.split('_')[0]}"
    return f"{prefix}{err['msg']}"
