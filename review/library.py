"""Loading a library snapshot for review outside the service (evals, benchmarks, CLI)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from clause_index import Clause, load_library
from clause_index.service import list_clauses, sync_library
from storage import Database


def clauses_from_files(library_dir: Path | None = None) -> list[Clause]:
    """The library files as the service would hold them after a fresh start."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'library.db'}")
        db.migrate()
        with db.session() as s:
            sync_library(s, load_library(library_dir))
        with db.session() as s:
            clauses = list_clauses(s)
        db.dispose()
    return clauses
