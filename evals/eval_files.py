"""Reading the YAML item files of the evaluations (question sets, clause files): one reader,
so a malformed file gets the same one-line error, naming the file and the item, everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class EvalFileError(ValueError):
    """An evaluation file that cannot be used; the message names the file and the item."""


def read_items(path: Path, model: type[M], key: str | None = None) -> list[M]:
    """The items of a YAML list (or of the list under `key` in a mapping), each validated as
    `model`. An empty file has no items."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EvalFileError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise EvalFileError(f"{path}: not valid YAML{where} ({problem})") from exc
    if key is not None and isinstance(data, dict):
        if key not in data:
            raise EvalFileError(f"{path}: no '{key}' list in the file")
        data = data[key]
    if data is None:
        return []
    if not isinstance(data, list):
        under = f"under '{key}' " if key is not None else ""
        raise EvalFileError(f"{path}: expected a list of items {under}but found a {_kind(data)}")
    items: list[M] = []
    for n, item in enumerate(data, 1):
        try:
            items.append(model.model_validate(item))
        except ValidationError as exc:
            name = f" ({item['id']})" if isinstance(item, dict) and "id" in item else ""
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'item'}: {e['msg'].lower()}"
                for e in exc.errors()
            )
            raise EvalFileError(f"{path}: item {n}{name}: {problems}") from exc
    return items


def _kind(data: object) -> str:
    return {dict: "mapping", str: "text", int: "number", float: "number"}.get(
        type(data), type(data).__name__
    )
