"""Path checks of the `clausewise` command: a path that points to nothing, or a file that cannot
be used, is a usage error (one line naming the option, exit 2), never a traceback. Options
typer can check itself use `exists=True`; these helpers cover paths resolved after parsing
(defaults from Settings) and the evaluation files read deep inside a run."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from ai_service.config import Settings

# What makes a folder a CUAD folder for the commands that read its labels and contract text.
CUAD_PARTS = ("labels.jsonl", "contracts/")


def _bad(message: str, option: str) -> typer.BadParameter:
    # Raised inside a command, the error gets its context (and usage line) from typer.
    return typer.BadParameter(message, param_hint=f"'{option}'")


def require_cuad_dir(
    given: Path | None, *, need: tuple[str, ...] = CUAD_PARTS, option: str = "--cuad-dir"
) -> Path:
    """The CUAD folder a command reads (the option, else CLAUSEWISE_CUAD_DIR), checked to exist
    and to hold `need` (names ending in "/" are folders)."""
    folder = given if given is not None else Settings().cuad_dir
    source = "" if given is not None else " (the default, CLAUSEWISE_CUAD_DIR)"
    if not folder.is_dir():
        what = "is a file, not a directory" if folder.exists() else "does not exist"
        raise _bad(f"Directory '{folder}'{source} {what}.", option)
    missing = [
        part
        for part in need
        if not ((folder / part).is_dir() if part.endswith("/") else (folder / part).is_file())
    ]
    if missing:
        lacks = " and no ".join(missing)
        raise _bad(f"Directory '{folder}'{source} is no CUAD folder: it has no {lacks}.", option)
    return folder


@contextmanager
def eval_file(option: str) -> Iterator[None]:
    """Turn an unusable evaluation file (malformed YAML, an item missing a field) into a usage
    error naming the option; the message names the file and the item."""
    from evals.eval_files import EvalFileError

    try:
        yield
    except EvalFileError as exc:
        raise _bad(str(exc), option) from exc
