"""The reconciliation eval runs end to end on a few CUAD dev contracts (figures: README)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from evals.reconcile_eval import run_reconcile_eval

CUAD = Path(
    os.environ.get("CLAUSEWISE_CUAD_DIR")
    or Path(__file__).resolve().parents[1].parent / "shared" / "cuad"
)


@pytest.mark.skipif(not (CUAD / "labels.jsonl").exists(), reason="CUAD dev split not present")
def test_eval_plants_and_scores() -> None:
    rep = run_reconcile_eval(CUAD, limit=25)
    assert rep.pairs >= 20 and rep.clean > 0 and rep.tp > 0
    planted = sum(c["planted"] for c in rep.per_kind.values())
    assert planted == rep.pairs - rep.clean
    assert 0 <= rep.precision <= 1 and 0 <= rep.recall <= 1
    assert "mismatch precision" in rep.render()
