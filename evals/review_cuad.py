"""`clausewise eval review`: the review facts (`review.facts`) against CUAD's expert labels.

For each held-out contract, the pipeline runs with a classifier trained on the other folds only
(the same folds as `clausewise eval cuad`), then `compute_facts`; each fact is scored at the
document level against "the CUAD category has at least one expert answer". Analyses are cached
per fold (keyed by the training ids and the pipeline version), because training a classifier
per fold takes minutes while the facts themselves take milliseconds.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from extraction.classify import ClauseClassifier
from extraction.cuad import contract_ids, fold_of, read_contract, read_labels, train_classifier
from extraction.pipeline import PIPELINE_VERSION, Analysis, analyze
from review.facts import compute_facts
from review.types import Fact

# CUAD category -> (fact, does the fact say "present"?)
CHECKS: dict[str, tuple[str, Callable[[Fact], bool]]] = {
    "Uncapped Liability": ("term.liability_uncapped", lambda f: f.value is True),
    "Cap On Liability": ("term.liability_capped", lambda f: f.value is True),
    "Most Favored Nation": ("term.mfn", lambda f: f.value is True),
    "Exclusivity": ("term.exclusivity", lambda f: f.value is True),
    "Non-Compete": ("term.non_compete", lambda f: f.value is True),
    "Liquidated Damages": ("term.liquidated_damages", lambda f: f.value is True),
    "Change Of Control": ("term.change_of_control", lambda f: f.value is True),
    "Anti-Assignment": ("term.anti_assignment", lambda f: f.value is True),
    "Termination For Convenience": ("term.termination_for_convenience", lambda f: f.value is True),
    "Renewal Term": ("term.auto_renewal", lambda f: f.value is True),
    "Notice Period To Terminate Renewal": (
        "term.renewal_notice_days",
        lambda f: f.value is not None,
    ),
    "Governing Law": ("term.governing_law", lambda f: f.value is not None),
}
TARGET_PRECISION = 0.90
TARGET_RECALL = 0.85
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "clausewise-review-cuad"


class CategoryScore(BaseModel):
    category: str
    fact: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    precision: float | None = None
    recall: float | None = None
    fp_ids: list[str] = []  # for error analysis
    fn_ids: list[str] = []


class ReviewCuadReport(BaseModel):
    contracts: int
    folds: int  # 0: one prebuilt classifier, no cross-validation
    categories: list[CategoryScore]

    def render(self) -> Table:
        mode = f"{self.folds}-fold CV" if self.folds else "prebuilt classifier (not CV)"
        table = Table(title=f"Review facts vs CUAD, {self.contracts} contracts, {mode}")
        for col in ("category", "fact", "tp", "fp", "fn", "precision", "recall"):
            table.add_column(col, justify="left" if col in ("category", "fact") else "right")
        for c in self.categories:
            table.add_row(
                c.category,
                c.fact,
                str(c.tp),
                str(c.fp),
                str(c.fn),
                _fmt(c.precision, TARGET_PRECISION),
                _fmt(c.recall, TARGET_RECALL),
            )
        return table

    def render_text(self) -> str:
        buf = io.StringIO()
        Console(file=buf, width=120, no_color=True).print(self.render())
        return buf.getvalue()


def _fmt(v: float | None, target: float) -> str:
    if v is None:
        return "-"
    return f"{v:.3f}" if v >= target else f"[red]{v:.3f}[/red]"


def _analyses(
    cuad_dir: Path,
    ids: list[str],
    all_ids: list[str],
    folds: int,
    classifier: ClauseClassifier | None,
    cache_dir: Path | None,
) -> Iterator[tuple[str, str, Analysis]]:
    """(id, text, analysis) for each id, with the fold's classifier (or `classifier`)."""
    if classifier is not None:
        for cid in ids:
            text = read_contract(cuad_dir, cid)
            yield cid, text, analyze(text, classifier=classifier)
        return
    for k in range(folds):
        test = [i for i in ids if fold_of(i, folds) == k]
        if not test:
            continue
        train_ids = [i for i in all_ids if fold_of(i, folds) != k]
        key = hashlib.sha256(
            f"{PIPELINE_VERSION}|{cuad_dir.resolve()}|{','.join(train_ids)}".encode()
        ).hexdigest()[:16]
        folder = cache_dir / f"fold{k}of{folds}-{key}" if cache_dir else None
        clf: ClauseClassifier | None = None
        for cid in test:
            text = read_contract(cuad_dir, cid)
            path = folder / f"{cid}.json" if folder else None
            if path is not None and path.exists():
                analysis = Analysis.model_validate_json(path.read_text(encoding="utf-8"))
            else:
                if clf is None:
                    clf = train_classifier(cuad_dir, train_ids)  # only when something is missing
                analysis = analyze(text, classifier=clf)
                if path is not None:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(analysis.model_dump_json(), encoding="utf-8")
            yield cid, text, analysis


def run_review_cuad(
    cuad_dir: Path,
    folds: int = 5,
    limit: int | None = None,
    *,
    classifier: ClauseClassifier | None = None,
    cache_dir: Path | None = DEFAULT_CACHE,
    progress: Callable[[str], Any] | None = None,
) -> ReviewCuadReport:
    """Score the facts on the CUAD folder. With `classifier`, every contract is analysed with
    it and there is no cross-validation (a quick smoke run; only honest with a classifier
    that never saw these contracts). `limit` keeps the first N contracts (sorted by id)."""
    all_ids = contract_ids(cuad_dir)
    ids = all_ids[:limit] if limit is not None else all_ids
    labels = read_labels(cuad_dir)
    scores = {cat: CategoryScore(category=cat, fact=fact) for cat, (fact, _) in CHECKS.items()}
    for cid, text, analysis in _analyses(cuad_dir, ids, all_ids, folds, classifier, cache_dir):
        facts = compute_facts(text, analysis)
        for cat, (fact, present) in CHECKS.items():
            gold = bool(labels[cid]["categories"][cat]["clauses"])
            pred = present(facts[fact])
            s = scores[cat]
            if pred and gold:
                s.tp += 1
            elif pred:
                s.fp += 1
                s.fp_ids.append(cid)
            elif gold:
                s.fn += 1
                s.fn_ids.append(cid)
            else:
                s.tn += 1
        if progress is not None:
            progress(cid)
    for s in scores.values():
        s.precision = round(s.tp / (s.tp + s.fp), 4) if s.tp + s.fp else None
        s.recall = round(s.tp / (s.tp + s.fn), 4) if s.tp + s.fn else None
    return ReviewCuadReport(
        contracts=len(ids),
        folds=0 if classifier is not None else folds,
        categories=list(scores.values()),
    )
