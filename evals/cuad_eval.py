"""`clausewise eval cuad`: k-fold cross-validation on a CUAD folder, scored the CUAD way.

Each fold's contracts are extracted by models trained on the other folds only, so no
contract is ever scored by a model that saw its labels: the CUAD sentence classifier is
trained per fold, and the clause-type model's segment probabilities are its out-of-fold
scores (`extraction.type_training.cross_validate`, the same folds), calibrated on the other
folds only.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
from rich.progress import track

from evals.cuad_metric import load_gold, load_predictions, render, score
from extraction.cuad import (
    categories,
    contract_ids,
    extract_contract,
    fold_of,
    train_classifier,
)


def oof_segment_probs(
    cuad_dir: Path, folds: int, cache_dir: Path | None = None
) -> dict[str, dict[str, np.ndarray]]:
    """Per contract, per CUAD category: the clause-type model's out-of-fold probability of
    each segment (segments in `segment(text)` order)."""
    from evals.typing_eval import DEFAULT_LIBRARY, calibrated
    from extraction.type_labels import load_library_types
    from extraction.type_training import cross_validate, examples
    from extraction.type_vectors import default_cache_dir

    cache = cache_dir or default_cache_dir()
    ds = examples(
        cuad_dir, load_library_types(DEFAULT_LIBRARY), cache_dir=cache, embed_contracts=False
    )
    oof = cross_validate(ds, folds, cache_dir=cache)
    probs, _ = calibrated(ds, oof, folds)
    rows: dict[str, list[int]] = {}
    for i, r in enumerate(ds.rows):
        if r.kind == "segment":
            rows.setdefault(r.group, []).append(i)
    cats = [(j, name) for j, name in enumerate(ds.labels) if j >= len(ds.library_types)]
    return {cid: {name: probs[idx, j] for j, name in cats} for cid, idx in rows.items()}


def run_cross_validation(cuad_dir: Path, out: Path, folds: int = 5, with_types: bool = True) -> str:
    ids = contract_ids(cuad_dir)
    cats = categories(cuad_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    seg_probs = oof_segment_probs(cuad_dir, folds) if with_types else {}
    with out.open("w", encoding="utf-8") as f:
        for k in range(folds):
            test = [i for i in ids if fold_of(i, folds) == k]
            train_ids = [i for i in ids if fold_of(i, folds) != k]
            clf = train_classifier(cuad_dir, train_ids)
            for cid in track(test, description=f"fold {k + 1}/{folds}: extracting"):
                for line in extract_contract(cuad_dir, cid, clf, cats, seg_probs.get(cid)):
                    f.write(json.dumps(line) + "\n")
    elapsed = time.perf_counter() - t0
    report = score(load_gold(cuad_dir, set(ids)), load_predictions(out))
    how = "sentence classifier x clause-type model" if with_types else "sentence classifier"
    return (
        f"{folds}-fold cross-validation over {len(ids)} contracts in {elapsed:.0f} s "
        f"({how}); predictions in {out}\n" + render(report)
    )
