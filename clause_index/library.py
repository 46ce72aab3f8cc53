"""Reading the library files and rendering clause templates. Pure functions, no I/O but reads."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from clause_index.errors import InvalidClause
from clause_index.schema import PLACEHOLDER, ClauseType, Parameter, ParamKind

DEFAULT_LIBRARY_DIR = Path(__file__).resolve().parent / "library"


class LibraryFile:
    def __init__(self, path: Path, clause_type: ClauseType, file_hash: str) -> None:
        self.path = path
        self.clause_type = clause_type
        self.file_hash = file_hash


def load_library(directory: Path | None = None) -> list[LibraryFile]:
    """Load and validate every `*.yaml` in the directory; any invalid file fails the whole load."""
    directory = directory or DEFAULT_LIBRARY_DIR
    files: list[LibraryFile] = []
    errors: list[str] = []
    for path in sorted(directory.glob("*.yaml")):
        raw = path.read_bytes()
        try:
            ct = ClauseType.model_validate(yaml.safe_load(raw))
        except ValidationError as exc:
            errors.extend(f"{path.name}:{_line(raw, e['loc'])}: {_where(e)}" for e in exc.errors())
            continue
        except yaml.YAMLError as exc:
            errors.append(f"{path.name}: {exc}")
            continue
        if ct.type != path.stem:
            errors.append(f"{path.name}: type {ct.type!r} must equal the file name")
            continue
        files.append(LibraryFile(path, ct, hashlib.sha256(raw).hexdigest()))
    if errors:
        raise InvalidClause("invalid library files:\n" + "\n".join(errors))
    return files


def _where(error: Any) -> str:
    loc = ".".join(str(p) for p in error["loc"])
    return f"{loc}: {error['msg']}" if loc else str(error["msg"])


def _line(raw: bytes, loc: tuple[Any, ...]) -> int:
    """The 1-based line of the YAML node at a pydantic error location (the deepest found)."""
    try:
        node: Any = yaml.compose(raw.decode())
    except yaml.YAMLError:
        return 1
    line = node.start_mark.line if node is not None else 0
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            nxt = node.value[part] if part < len(node.value) else None
        else:
            nxt = None
        if nxt is None:
            break
        node = nxt
        line = node.start_mark.line
    return line + 1


def content_hash(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def format_value(spec: Parameter, value: float | int | str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if spec.kind is ParamKind.money:
        return f"{value:,}"
    return str(value)


def render(
    template: str, params: dict[str, Parameter], values: dict[str, Any] | None = None
) -> str:
    """Fill `{{name}}` placeholders with the given values, else the parameters' defaults."""
    values = values or {}

    def sub(m: Any) -> str:
        name = m.group(1)
        spec = params[name]
        return format_value(spec, values.get(name, spec.default))

    return PLACEHOLDER.sub(sub, template)
