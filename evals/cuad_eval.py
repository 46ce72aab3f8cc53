"""`clausewise eval cuad`: k-fold cross-validation on a CUAD folder, scored the CUAD way.

Each fold's contracts are extracted by a model trained on the other folds only, so no
contract is ever scored by a model that saw its labels.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from rich.progress import track

from evals.cuad_metric import load_gold, load_predictions, render, score
from extraction.cuad import (
    categories,
    contract_ids,
    extract_contract,
    fold_of,
    train_classifier,
)


def run_cross_validation(cuad_dir: Path, out: Path, folds: int = 5) -> str:
    ids = contract_ids(cuad_dir)
    cats = categories(cuad_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with out.open("w", encoding="utf-8") as f:
        for k in range(folds):
            test = [i for i in ids if fold_of(i, folds) == k]
            train_ids = [i for i in ids if fold_of(i, folds) != k]
            clf = train_classifier(cuad_dir, train_ids)
            for cid in track(test, description=f"fold {k + 1}/{folds}: extracting"):
                for line in extract_contract(cuad_dir, cid, clf, cats):
                    f.write(json.dumps(line) + "\n")
    elapsed = time.perf_counter() - t0
    report = score(load_gold(cuad_dir, set(ids)), load_predictions(out))
    return (
        f"{folds}-fold cross-validation over {len(ids)} contracts in {elapsed:.0f} s; "
        f"predictions in {out}\n" + render(report)
    )
