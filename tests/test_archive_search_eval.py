"""The archive search question set is well formed (the eval itself is too slow for tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.archive_search import (
    DEFAULT_QUESTIONS,
    Outcome,
    Report,
    Span,
    gold_spans,
    load_labels,
    load_questions,
)

CUAD_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "cuad"


def _cuad() -> Path:
    if not (CUAD_DIR / "labels.jsonl").is_file():
        pytest.skip(f"CUAD dataset not found at {CUAD_DIR}")
    return CUAD_DIR


def test_fifty_questions_some_unnamed() -> None:
    qs = load_questions(DEFAULT_QUESTIONS)
    assert len(qs) == 50
    assert all(q.question.strip() and q.category.strip() for q in qs)
    assert len({q.question for q in qs}) == len(qs), "duplicate questions"
    unnamed = [q for q in qs if q.contract_id is None]
    assert 8 <= len(unnamed) <= 12
    assert all(q.contract_id.startswith("cuad-") for q in qs if q.contract_id is not None)


def test_categories_are_cuad_names() -> None:
    path = _cuad() / "categories.json"
    if not path.is_file():
        pytest.skip("categories.json not present")
    data = json.loads(path.read_text(encoding="utf-8"))
    items = data["categories"] if isinstance(data, dict) else data
    names = {str(c["name"]) for c in items}
    assert names, "could not read category names"
    bad = sorted({q.category for q in load_questions() if q.category not in names})
    assert not bad, f"unknown categories: {bad}"


def test_contracts_are_in_the_first_100_and_have_gold() -> None:
    labels = load_labels(_cuad())[:100]
    by_id = {str(r["id"]): r for r in labels}
    for q in load_questions():
        if q.contract_id is None:
            assert any(gold_spans(r, q.category) for r in labels), q.question
            continue
        assert q.contract_id in by_id, f"{q.contract_id} is not among the first 100 ids"
        assert gold_spans(by_id[q.contract_id], q.category), (
            f"{q.contract_id} has no gold {q.category} clause"
        )


def test_gold_spans_use_segments() -> None:
    label = {
        "categories": {
            "X": {
                "clauses": [
                    {
                        "start": 0,
                        "end": 100,
                        "segments": [{"start": 0, "end": 10}, {"start": 90, "end": 100}],
                    },
                    {"start": 200, "end": 210},
                    {"start": None, "end": None},
                ]
            }
        }
    }
    spans = gold_spans(label, "X")
    assert spans == [Span(start=0, end=10), Span(start=90, end=100), Span(start=200, end=210)]
    assert not any(s.overlaps(20, 80) for s in spans)
    assert spans[0].overlaps(5, 50)
    assert not spans[0].overlaps(10, 20)  # [start, end) touching is no overlap


def test_report_figures_and_render() -> None:
    def outcome(rank: int | None, ms: float, cid: str | None = "cuad-x") -> Outcome:
        return Outcome(
            question="q",
            contract_id=cid,
            category="Governing Law",
            rank=rank,
            matched_contracts=[],
            clause_types=[],
            hits=[],
            latency_ms=ms,
        )

    r = Report(
        n_contracts=2,
        failed_contracts=[],
        ingest_s=1.0,
        outcomes=[outcome(1, 10), outcome(4, 20), outcome(None, 30, None), outcome(1, 40)],
    )
    assert r.hit_at_10 == 0.75
    assert r.hit_at_1 == 0.5
    assert r.latency_p50_ms == 25
    assert r.latency_p95_ms == 40
    text = r.render()
    assert "75.0%" in text and "misses:" in text and "any contract" in text
