"""Archive search quality: does a question asked the way people talk find the right clause?

People name a contract by its parties or kind and ask about a clause in plain words ("the
reseller agreement with Acme, what's the notice period to cancel renewal?"). Each question in
`data/archive_questions.yaml` names a CUAD contract (or none, then any contract counts) and a
CUAD category; a hit is right when it lies in that contract and overlaps a gold clause of the
category. The target: the right clause among the first 10 hits for at least 80% of questions,
and p95 search latency under 100 ms with 100 contracts in the archive.

The run builds a throw-away service stack (SQLite, Qdrant Edge, blob store) in a temp dir,
ingests the first `n_contracts` CUAD contracts (sorted ids) through the real pipeline, then asks
every question through `Archive.search`. Only the search call is timed.
"""

from __future__ import annotations

import json
import math
import statistics
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from evals.eval_files import read_items

if TYPE_CHECKING:
    from retrieval import Embedder

DEFAULT_QUESTIONS = Path(__file__).resolve().parent / "data" / "archive_questions.yaml"
TOP_K = 10
TARGET_HIT_AT_10 = 0.8
TARGET_P95_MS = 100.0


class Question(BaseModel):
    question: str
    contract_id: str | None
    category: str


class Span(BaseModel):
    start: int
    end: int

    def overlaps(self, start: int, end: int) -> bool:
        return start < self.end and self.start < end


class ShownHit(BaseModel):
    """A hit as the report shows it: CUAD id instead of the archive's uuid."""

    contract_id: str | None
    start: int
    end: int
    clause_types: list[str]
    right: bool


class Outcome(BaseModel):
    question: str
    contract_id: str | None
    category: str
    rank: int | None  # 1-based rank of the first right hit, None when none of the hits is right
    matched_contracts: list[str | None]  # CUAD ids of the contracts the question was narrowed to
    clause_types: list[str]  # clause types the search read from the question
    hits: list[ShownHit]
    latency_ms: float

    @property
    def hit_at_10(self) -> bool:
        return self.rank is not None and self.rank <= 10

    @property
    def hit_at_1(self) -> bool:
        return self.rank == 1


class Report(BaseModel):
    n_contracts: int
    failed_contracts: list[str]
    ingest_s: float
    outcomes: list[Outcome]

    @property
    def hit_at_10(self) -> float:
        return sum(o.hit_at_10 for o in self.outcomes) / max(len(self.outcomes), 1)

    @property
    def hit_at_1(self) -> float:
        return sum(o.hit_at_1 for o in self.outcomes) / max(len(self.outcomes), 1)

    @property
    def latency_p50_ms(self) -> float:
        lat = [o.latency_ms for o in self.outcomes]
        return statistics.median(lat) if lat else 0.0

    @property
    def latency_p95_ms(self) -> float:
        lat = sorted(o.latency_ms for o in self.outcomes)
        if not lat:
            return 0.0
        return lat[max(0, math.ceil(0.95 * len(lat)) - 1)]  # nearest rank

    @property
    def lost_to_wrong_name(self) -> list[Outcome]:
        """Questions narrowed to contracts that exclude the one they name."""
        return [
            o
            for o in self.outcomes
            if o.contract_id is not None
            and o.matched_contracts
            and o.contract_id not in o.matched_contracts
        ]

    @property
    def passed(self) -> bool:
        return self.hit_at_10 >= TARGET_HIT_AT_10 and self.latency_p95_ms < TARGET_P95_MS

    def render(self) -> str:
        n = len(self.outcomes)
        named = [o for o in self.outcomes if o.contract_id is not None]
        unnamed = [o for o in self.outcomes if o.contract_id is None]

        def share(group: list[Outcome]) -> str:
            k = sum(o.hit_at_10 for o in group)
            return f"{k}/{len(group)}" if group else "-"

        lines = [
            f"contracts ingested: {self.n_contracts} ({len(self.failed_contracts)} failed)"
            f" in {self.ingest_s:.0f} s",
            f"questions: {n} ({len(named)} naming a contract, {len(unnamed)} not)",
            f"right clause in top {TOP_K}: {sum(o.hit_at_10 for o in self.outcomes)}/{n}"
            f" = {self.hit_at_10:.1%} (target {TARGET_HIT_AT_10:.0%});"
            f" named {share(named)}, unnamed {share(unnamed)}",
            f"right clause first: {sum(o.hit_at_1 for o in self.outcomes)}/{n}"
            f" = {self.hit_at_1:.1%}",
            f"search latency p50 {self.latency_p50_ms:.1f} ms, p95 {self.latency_p95_ms:.1f} ms"
            f" (target p95 < {TARGET_P95_MS:.0f} ms)",
            f"narrowed away from the named contract by a wrong name match:"
            f" {len(self.lost_to_wrong_name)}",
            f"verdict: {'PASS' if self.passed else 'FAIL'}",
        ]
        if self.failed_contracts:
            lines.append(f"failed contracts: {', '.join(self.failed_contracts)}")
        misses = [o for o in self.outcomes if not o.hit_at_10]
        if misses:
            lines.append("misses:")
            for o in misses:
                want = o.contract_id or "any contract"
                narrowed = ", ".join(c or "?" for c in o.matched_contracts) or "none"
                got = "; ".join(_show(h) for h in o.hits[:3]) or "no hits"
                lines += [
                    f"  - {o.question!r}",
                    f"      want {o.category} in {want}; narrowed to: {narrowed};"
                    f" read types: {', '.join(o.clause_types) or '-'}",
                    f"      top hits: {got}",
                ]
        return "\n".join(lines)


def _show(h: ShownHit) -> str:
    types = ",".join(h.clause_types) or "-"
    return f"{h.contract_id or '?'}[{h.start}:{h.end}] {types}{' (right)' if h.right else ''}"


def load_questions(path: Path | None = None) -> list[Question]:
    return read_items(path or DEFAULT_QUESTIONS, Question, key="questions")


def load_labels(cuad_dir: Path) -> list[dict[str, Any]]:
    """The per-contract labels, sorted by id."""
    with (cuad_dir / "labels.jsonl").open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return sorted(rows, key=lambda r: str(r["id"]))


def gold_spans(label: dict[str, Any], category: str) -> list[Span]:
    """Where the category's gold clauses lie; a clause cut into pieces counts piece by piece."""
    out: list[Span] = []
    for c in (label.get("categories", {}).get(category) or {}).get("clauses") or []:
        segments = c.get("segments") or []
        if segments:
            out += [Span(start=s["start"], end=s["end"]) for s in segments]
        elif c.get("start") is not None and c.get("end") is not None:
            out.append(Span(start=c["start"], end=c["end"]))
    return out


def run_archive_search_eval(
    cuad_dir: Path,
    questions: Path | None = None,
    n_contracts: int = 100,
    embedder: Embedder | None = None,
) -> Report:
    """Ingests the first `n_contracts` CUAD contracts into a throw-away archive and asks every
    question of the question file through `Archive.search`."""
    return run_archive_search_variants(cuad_dir, questions, n_contracts, embedder=embedder)[
        "as written"
    ]


def lowercased(qs: list[Question]) -> list[Question]:
    """The same questions typed all in lower case: naming must not depend on case."""
    return [q.model_copy(update={"question": q.question.lower()}) for q in qs]


def run_archive_search_variants(
    cuad_dir: Path,
    questions: Path | list[Path] | None = None,
    n_contracts: int = 100,
    lowercase: bool = False,
    embedder: Embedder | None = None,
) -> dict[str, Report]:
    """One ingest, then the questions as written (and, with ``lowercase``, typed in lower
    case) asked through `Archive.search`; one report per variant. `embedder`: the model that
    indexes and searches (default torch fp32), so that backends can be compared. Several
    question files share the one ingest (it is what costs); each gets its own reports."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from archive import ArchiveSearch
    from archive.inline import process_queue
    from evals.stack import throwaway_stack

    files = questions if isinstance(questions, list) else [questions]
    variants: dict[str, list[Question]] = {}
    for path in files:
        # Named by file only when there are several, so one file reports as before.
        prefix = f"{path}: " if len(files) > 1 and path is not None else ""
        variants[f"{prefix}as written"] = load_questions(path)
        if lowercase:
            variants[f"{prefix}lower case"] = lowercased(variants[f"{prefix}as written"])
    qs = [q for v in variants.values() for q in v]
    labels = load_labels(cuad_dir)[:n_contracts]
    by_cuad = {str(r["id"]): r for r in labels}
    missing = sorted({q.contract_id for q in qs if q.contract_id and q.contract_id not in by_cuad})
    if missing:
        raise ValueError(
            f"questions name contracts outside the first {n_contracts}: {', '.join(missing)}"
        )

    with throwaway_stack("clausewise-archive-eval-", embedder) as st:
        archive = st.archive
        to_cuad: dict[str, str] = {}  # archive uuid -> CUAD id
        t0 = time.perf_counter()
        columns = (
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns) as progress:
            task = progress.add_task("ingesting contracts", total=len(labels))
            for label in labels:
                cuad_id = str(label["id"])
                text = (cuad_dir / "contracts" / f"{cuad_id}.txt").read_text(encoding="utf-8")
                summary = archive.upload(
                    text.encode("utf-8"),
                    title=label.get("title"),
                    filename=None,
                    deal=None,
                    actor="eval",
                )
                to_cuad.setdefault(summary.id, cuad_id)  # a byte-identical twin keeps the first
                progress.advance(task)
            process_queue(archive, st.embedder)  # the service's worker and indexer code
        ingest_s = time.perf_counter() - t0
        statuses = {cid: archive.wait(cid, 0).status for cid in to_cuad}
        failed = sorted(to_cuad[cid] for cid, st in statuses.items() if st != "ready")

        # One untimed query first: the first search pays for loading the query models.
        archive.search(ArchiveSearch(query="governing law", top_k=TOP_K))

        reports: dict[str, Report] = {}
        for name, vqs in variants.items():
            reports[name] = Report(
                n_contracts=len(labels),
                failed_contracts=failed,
                ingest_s=ingest_s,
                outcomes=[_ask(archive, q, to_cuad, by_cuad) for q in vqs],
            )
        return reports


def _ask(archive: Any, q: Question, to_cuad: dict[str, str], by_cuad: dict[str, Any]) -> Outcome:
    """Asks one question (timed) and marks which hits are right."""
    from archive import ArchiveSearch

    t = time.perf_counter()
    answer = archive.search(ArchiveSearch(query=q.question, top_k=TOP_K))
    ms = (time.perf_counter() - t) * 1000
    shown: list[ShownHit] = []
    rank: int | None = None
    for i, h in enumerate(answer.hits, start=1):
        hit_id = to_cuad.get(h.contract_id)
        right = (
            hit_id is not None
            and (q.contract_id is None or hit_id == q.contract_id)
            and any(s.overlaps(h.start, h.end) for s in gold_spans(by_cuad[hit_id], q.category))
        )
        if right and rank is None:
            rank = i
        shown.append(
            ShownHit(
                contract_id=hit_id,
                start=h.start,
                end=h.end,
                clause_types=h.clause_types,
                right=right,
            )
        )
    return Outcome(
        question=q.question,
        contract_id=q.contract_id,
        category=q.category,
        rank=rank,
        matched_contracts=[to_cuad.get(c) for c in answer.matched_contracts],
        clause_types=answer.clause_types,
        hits=shown,
        latency_ms=ms,
    )


if __name__ == "__main__":  # pragma: no cover - the CLI hook lives elsewhere
    import sys

    root = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[2] / ("shared/cuad")
    )
    print(run_archive_search_eval(root).render())
