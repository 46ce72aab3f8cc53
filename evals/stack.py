"""A throw-away service stack for evals: SQLite, Qdrant Edge and a blob store in a temp
directory, wired as the service wires them (library loaded, archive asking the library what
a question is about)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from archive import Archive, ArchiveIndex, BlobStore
from clause_index import Library, LibraryIndex, cuad_type_map, load_library
from retrieval import EdgeStore, Embedder, SparseEncoder
from storage import Database


@dataclass
class Stack:
    db: Database
    embedder: Embedder
    library: Library
    archive: Archive


@contextmanager
def throwaway_stack(prefix: str, embedder: Embedder | None = None) -> Iterator[Stack]:
    """`embedder`: the model to index and search with (default: torch fp32)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        db = Database(f"sqlite:///{tmp}/e.db")
        db.migrate()
        store = EdgeStore(Path(tmp) / "v")
        try:
            emb = embedder or Embedder()
            library = Library(db, LibraryIndex(store, emb, SparseEncoder()))
            library.startup(load_library())
            archive = Archive(
                db,
                ArchiveIndex(store, emb, SparseEncoder()),
                BlobStore(Path(tmp) / "blobs"),
                type_map=library.read(cuad_type_map),
            )
            archive.question_types = library.question_types  # as the service wires it
            archive.startup()
            yield Stack(db, emb, library, archive)
        finally:
            store.close()
            db.dispose()
