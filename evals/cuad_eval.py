"""`clausewise eval cuad`: k-fold cross-validation on a CUAD folder, scored the CUAD way.

Each fold's contracts are extracted by models trained on the other folds only, so no
contract is ever scored by a model that saw its labels: the CUAD sentence classifier is
trained per fold, and the clause-type model's segment probabilities are its out-of-fold
scores (`extraction.type_training.cross_validate`, the same folds), calibrated on the other
folds only.
"""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
from rich.progress import track

from evals.cuad_metric import load_gold, load_predictions, render, score
from extraction.cuad import (
    apply_presence,
    categories,
    contract_ids,
    extract_contract,
    fold_of,
    read_contract,
    rescore,
    train_classifier,
)

Decisions = dict[str, dict[str, bool]]  # contract -> category -> present


def type_model_oof(
    cuad_dir: Path, folds: int, cache_dir: Path | None = None
) -> tuple[dict[str, dict[str, np.ndarray]], Decisions]:
    """Per contract, per CUAD category: the clause-type model's out-of-fold probability of
    each segment (segments in `segment(text)` order), and the presence decision
    (`combine_presence`: best segment and best sentence) with each fold calibrated on the
    others."""
    from evals.typing_eval import DEFAULT_LIBRARY, SentenceData, calibrated
    from extraction.type_labels import load_library_types
    from extraction.type_training import contract_best_by_group, cross_validate, examples
    from extraction.type_vectors import default_cache_dir

    cache = cache_dir or default_cache_dir()
    library = load_library_types(DEFAULT_LIBRARY)
    ds = examples(cuad_dir, library, cache_dir=cache, embed_contracts=False)
    oof = cross_validate(ds, folds, cache_dir=cache)
    sent = SentenceData.load(cuad_dir, ds.labels, library, folds, cache)
    probs, cals = calibrated(ds, oof, folds, sent)
    rows: dict[str, list[int]] = {}
    for i, r in enumerate(ds.rows):
        if r.kind == "segment":
            rows.setdefault(r.group, []).append(i)
    cats = [(j, name) for j, name in enumerate(ds.labels) if j >= len(ds.library_types)]
    seg = np.array([r.kind == "segment" for r in ds.rows])
    fold = np.array([fold_of(r.group, folds) if r.kind == "segment" else -1 for r in ds.rows])
    decisions: Decisions = {}
    for k in range(folds):
        groups, best, _ = contract_best_by_group(ds, probs, seg & (fold == k))
        _, present, _ = cals[k].decide(best, sent.of(groups))
        for g, row in zip(groups, present, strict=True):
            decisions[g] = {name: bool(row[j]) for j, name in cats}
    seg_probs = {cid: {name: probs[idx, j] for j, name in cats} for cid, idx in rows.items()}
    return seg_probs, decisions


def sentence_decisions(cuad_dir: Path, folds: int, cache_dir: Path | None = None) -> Decisions:
    """Presence from the sentence reading alone (`combine_presence` without a segment
    reading), each fold calibrated on the others."""
    from evals.typing_eval import DEFAULT_LIBRARY, SentenceData
    from extraction.clause_types import combine_presence
    from extraction.type_labels import load_library_types
    from extraction.type_training import outside_fold
    from extraction.type_vectors import default_cache_dir

    cats = categories(cuad_dir)
    library = load_library_types(DEFAULT_LIBRARY)
    sent = SentenceData.load(cuad_dir, cats, library, folds, cache_dir or default_cache_dir())
    decisions: Decisions = {}
    never = np.full(len(cats), 2.0)
    for k in range(folds):
        sp = sent.fit(outside_fold(folds, k))
        ids = [c for c in sent.ids if fold_of(c, folds) == k]
        zero = np.zeros((len(ids), len(cats)))
        _, present, _ = combine_presence(zero, never, never * 0, sp, sent.of(ids))
        for cid, row in zip(ids, present, strict=True):
            decisions[cid] = {c: bool(row[j]) for j, c in enumerate(cats)}
    return decisions


def fold_lines(
    cuad_dir: Path, folds: int, cache_dir: Path | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Pass 1: each contract's prediction lines from the sentence classifier trained on the
    other folds (spans carry their segment). Also writes the out-of-fold best sentence
    scores that `train` and `eval typing` read. Cached in `cache_dir` (gzip JSON)."""
    from extraction.type_training import sentence_best, sentence_key
    from extraction.type_vectors import default_cache_dir

    cache = cache_dir or default_cache_dir()
    key = sentence_key(cuad_dir, folds)
    path = cache / f"cuad-lines.{key}.json.gz"
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return dict(json.load(f))
    ids = contract_ids(cuad_dir)
    cats = categories(cuad_dir)
    lines: dict[str, list[dict[str, Any]]] = {}
    best: dict[str, dict[str, float]] = {}
    for k in range(folds):
        test = [i for i in ids if fold_of(i, folds) == k]
        clf = train_classifier(cuad_dir, [i for i in ids if fold_of(i, folds) != k])
        for cid in track(test, description=f"fold {k + 1}/{folds}: extracting"):
            lines[cid] = extract_contract(cuad_dir, cid, clf, cats)
            best[cid] = sentence_best(clf, read_contract(cuad_dir, cid))
    cache.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as f:
        json.dump(lines, f)
    sent_path = cache / f"sentences.{key}.json"
    if not sent_path.exists():
        sent_path.write_text(json.dumps(best, sort_keys=True), encoding="utf-8")
    return lines


def run_cross_validation(
    cuad_dir: Path,
    out: Path,
    folds: int = 5,
    with_types: bool = True,
    presence: bool = True,
    cache_dir: Path | None = None,
) -> str:
    ids = contract_ids(cuad_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    lines = fold_lines(cuad_dir, folds, cache_dir)
    decisions: Decisions | None = None
    if with_types:
        seg_probs, decisions = type_model_oof(cuad_dir, folds, cache_dir)
        lines = {cid: rescore(ls, seg_probs.get(cid)) for cid, ls in lines.items()}
    elif presence:
        decisions = sentence_decisions(cuad_dir, folds, cache_dir)
    if decisions is not None and presence:
        lines = {cid: apply_presence(ls, decisions[cid]) for cid, ls in lines.items()}
    with out.open("w", encoding="utf-8") as f:
        for cid in ids:
            for line in lines[cid]:
                f.write(json.dumps(line) + "\n")
    elapsed = time.perf_counter() - t0
    report = score(load_gold(cuad_dir, set(ids)), load_predictions(out))
    how = "sentence classifier x clause-type model" if with_types else "sentence classifier"
    how += (
        ", presence decided out of fold (Analysis.presence_for's rule)"
        if presence
        else ", presence = a span scoring >= 0.5"
    )
    return (
        f"{folds}-fold cross-validation over {len(ids)} contracts in {elapsed:.0f} s "
        f"({how}); predictions in {out}\n" + render(report)
    )
