"""Library search quality: does a rep's question bring the right clause type first?"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

from clause_index import Library, SearchRequest
from evals.eval_files import read_items

if TYPE_CHECKING:
    from retrieval import Embedder

DEFAULT_QUESTIONS = Path(__file__).resolve().parent / "data" / "library_search_questions.yaml"


class Question(BaseModel):
    question: str
    expected_type: str


class Outcome(BaseModel):
    question: str
    expected_type: str
    got: list[str]
    latency_ms: float

    @property
    def top1(self) -> bool:
        return bool(self.got) and self.got[0] == self.expected_type


class Report(BaseModel):
    outcomes: list[Outcome]

    @property
    def top1_accuracy(self) -> float:
        return sum(o.top1 for o in self.outcomes) / len(self.outcomes)

    @property
    def top3_accuracy(self) -> float:
        return sum(o.expected_type in o.got[:3] for o in self.outcomes) / len(self.outcomes)

    def render(self) -> str:
        lat = sorted(o.latency_ms for o in self.outcomes)
        p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
        lines = [
            f"questions: {len(self.outcomes)}",
            f"right clause type first: {sum(o.top1 for o in self.outcomes)}/{len(self.outcomes)}"
            f" = {self.top1_accuracy:.1%}",
            f"right clause type in top 3: {self.top3_accuracy:.1%}",
            f"latency p50 {statistics.median(lat):.1f} ms, p95 {p95:.1f} ms",
        ]
        misses = [o for o in self.outcomes if not o.top1]
        if misses:
            lines.append("misses:")
            lines += [
                f"  - {o.question!r}: expected {o.expected_type}, got {o.got[:3]}" for o in misses
            ]
        return "\n".join(lines)


def load_questions(path: Path | None = None) -> list[Question]:
    return read_items(path or DEFAULT_QUESTIONS, Question, key="questions")


def evaluate(library: Library, questions: list[Question]) -> Report:
    outcomes = []
    for q in questions:
        t = time.perf_counter()
        hits = library.search(SearchRequest(query=q.question, top_k=5))
        ms = (time.perf_counter() - t) * 1000
        types: list[str] = []
        for h in hits:
            if h.clause_type not in types:
                types.append(h.clause_type)
        outcomes.append(
            Outcome(question=q.question, expected_type=q.expected_type, got=types, latency_ms=ms)
        )
    return Report(outcomes=outcomes)


def run_library_search_eval(path: Path | None = None, embedder: Embedder | None = None) -> Report:
    """Builds a throw-away library (SQLite + Qdrant Edge in a temp dir) and evaluates it.
    `embedder`: the model that indexes and searches (default torch fp32)."""
    from clause_index import LibraryIndex, load_library
    from retrieval import EdgeStore, Embedder, SparseEncoder
    from storage import Database

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/eval.db")
        db.migrate()
        store = EdgeStore(Path(tmp) / "vectors")
        library = Library(db, LibraryIndex(store, embedder or Embedder(), SparseEncoder()))
        library.startup(load_library())
        try:
            return evaluate(library, load_questions(path))
        finally:
            store.close()
            db.dispose()
