"""`clausewise eval typing`: how well the clause-type model types real contract text.

Out of fold (5 folds by contract, the same folds as `eval cuad`); each fold's scores are
calibrated on the other folds only:

- **pasted CUAD spans**: each gold clause string of a category that names exactly one
  library type, typed on its own (no heading), as a user pasting it would; top-1 library type;
- **heading-labelled sections of the types CUAD lacks** (payment terms, confidentiality,
  notices, ...): top-1 library type of each segment under such a heading (the heading is an
  input, as at ingest);
- **presence**: per contract and library type, the present/absent/unsure decision against
  the labels (CUAD categories and headings); "missing" must be right >= 95% of the time.

`--pasted FILE` instead scores the shipped model on a YAML list of `{id, text, clause_type}`
(`clause_type` a library type or `none`), with the MiniLM vector as the service computes it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from evals.eval_files import read_items
from extraction.clause_types import SentencePresence, TypeModel, _sigmoid, decide_type, type_text
from extraction.type_labels import LibraryTypes, heading_types, load_library_types
from extraction.type_training import (
    Calibration,
    Dataset,
    contract_best_by_group,
    cross_validate,
    examples,
    fit_calibration,
    fit_sentence_presence,
    fold_of_row,
    oof_sentence_best,
    outside_fold,
    sentence_presence_data,
    sentence_sources,
)
from extraction.type_vectors import EmbedderLike, default_cache_dir

DEFAULT_LIBRARY = Path(__file__).resolve().parents[1] / "clause_index" / "library"


def calibrated(
    ds: Dataset,
    oof: np.ndarray,
    folds: int,
    sentence: SentenceData | None = None,
) -> tuple[np.ndarray, list[Calibration]]:
    """Cross-fitted calibration: rows of fold k calibrated on the other folds' rows (and the
    sentence reading of presence fitted on the other folds' contracts)."""
    fold = fold_of_row(ds, folds)
    probs = np.zeros_like(oof)
    cals = []
    for k in range(folds):
        sent = sentence.fit(outside_fold(folds, k)) if sentence else None
        cal = fit_calibration(ds, oof, (fold >= 0) & (fold != k), sent)
        rows = fold == k
        probs[rows] = _sigmoid(oof[rows] * cal.platt[:, 0] + cal.platt[:, 1])
        cals.append(cal)
    return probs, cals


@dataclass
class SentenceData:
    """Out-of-fold best sentence scores per contract and label, with CUAD's gold."""

    ids: list[str]
    sources: list[list[str]]
    best: np.ndarray  # (contracts, labels)
    gold: np.ndarray

    @classmethod
    def load(
        cls, cuad_dir: Path, labels: list[str], library: LibraryTypes, folds: int, cache: Path
    ) -> SentenceData:
        by_contract = oof_sentence_best(cuad_dir, folds, cache)
        ids = sorted(by_contract)
        best, gold = sentence_presence_data(cuad_dir, labels, library, by_contract, ids)
        return cls(ids, sentence_sources(labels, library), best, gold)

    def fit(self, keep: Callable[[str], bool]) -> SentencePresence:
        rows = [i for i, cid in enumerate(self.ids) if keep(cid)]
        return fit_sentence_presence(self.sources, self.best[rows], self.gold[rows])

    def of(self, ids: list[str]) -> np.ndarray:
        at = {cid: i for i, cid in enumerate(self.ids)}
        return self.best[[at[c] for c in ids]]


class TypingReport(BaseModel):
    contracts: int
    contracts_with_vectors: int
    span_top1: float
    span_n: int
    span_top1_with_vector: float | None
    span_n_with_vector: int
    span_decisions: dict[str, int]  # typed right / typed wrong / uncertain / no_clause
    heading_top1: float
    heading_n: int
    heading_per_type: dict[str, tuple[int, int]]
    missing_precision: float | None
    missing_n: int
    missing_per_type: dict[str, tuple[int, int]]
    present_precision: float | None
    present_recall: float | None
    unsure_share: float
    cuad_presence_macro_f1: float | None
    cuad_absent_per_category: dict[str, tuple[int, int]] = {}
    presence_from: str = "best segment"
    pasted_shifts: list[float] = []  # per fold: the pasted-text shift its spans were typed with

    def render(self) -> str:
        def f(v: float | None) -> str:
            return "-" if v is None else f"{v:.3f}"

        lines = [
            f"clause-type model, 5-fold out of fold over {self.contracts} contracts "
            f"({self.contracts_with_vectors} with MiniLM segment vectors cached)",
            f"pasted CUAD span, categories naming one library type: top-1 {f(self.span_top1)} "
            f"(n={self.span_n}); with a vector {f(self.span_top1_with_vector)} "
            f"(n={self.span_n_with_vector})",
            "  decisions: "
            + ", ".join(f"{k} {v}" for k, v in self.span_decisions.items())
            + f" (pasted-text shift per fold: {', '.join(f'{c:.2f}' for c in self.pasted_shifts)})",
            f"heading-labelled sections of non-CUAD types: top-1 {f(self.heading_top1)} "
            f"(n={self.heading_n})",
            "  " + ", ".join(f"{t} {a}/{n}" for t, (a, n) in self.heading_per_type.items()),
            f"presence (library types, per contract): missing precision "
            f"{f(self.missing_precision)} (n={self.missing_n}), present precision "
            f"{f(self.present_precision)}, recall {f(self.present_recall)}, unsure "
            f"{f(self.unsure_share)}",
            "  missing right/said: "
            + ", ".join(f"{t} {a}/{n}" for t, (a, n) in self.missing_per_type.items() if n),
            f"CUAD category presence macro-F1 (contract level, model decision from the "
            f"{self.presence_from}): {f(self.cuad_presence_macro_f1)}",
            "  CUAD categories, absent right/said: "
            + ", ".join(f"{t} {a}/{n}" for t, (a, n) in self.cuad_absent_per_category.items() if n),
        ]
        return "\n".join(lines)


def run_typing_eval(
    cuad_dir: Path,
    library_dir: Path = DEFAULT_LIBRARY,
    folds: int = 5,
    cache_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    with_sentences: bool = True,
) -> TypingReport:
    cache = cache_dir or default_cache_dir()
    library = load_library_types(library_dir)
    ds = examples(cuad_dir, library, cache_dir=cache, embed_contracts=False)
    oof = cross_validate(ds, folds, progress, cache)
    sent = SentenceData.load(cuad_dir, ds.labels, library, folds, cache) if with_sentences else None
    probs, cals = calibrated(ds, oof, folds, sent)
    return _report(ds, library, probs, cals, folds, sent, pasted_probs(ds, oof, cals, folds))


def pasted_probs(ds: Dataset, oof: np.ndarray, cals: list[Calibration], folds: int) -> np.ndarray:
    """Every row read as pasted text (`TypeModel.predict_pasted`), fold k with fold k's
    calibration (fitted on the other folds)."""
    fold = fold_of_row(ds, folds)
    out = np.zeros_like(oof)
    for k in range(folds):
        rows = fold == k
        out[rows] = cals[k].pasted(oof[rows])
    return out


def _report(
    ds: Dataset,
    library: LibraryTypes,
    probs: np.ndarray,
    cals: list[Calibration],
    folds: int,
    sent: SentenceData | None = None,
    pasted: np.ndarray | None = None,
) -> TypingReport:
    """`pasted`: the rows' probabilities read as pasted text, which type the span rows (the
    segment calibration when not given)."""
    n_lib = len(ds.library_types)
    fold = fold_of_row(ds, folds)
    top1 = probs[:, :n_lib].argmax(axis=1)
    as_pasted = probs if pasted is None else pasted
    top1_pasted = as_pasted[:, :n_lib].argmax(axis=1)

    span_rows = [
        i
        for i, r in enumerate(ds.rows)
        if r.kind == "span" and r.category and library.single_types(r.category)
    ]
    right = [ds.library_types[top1_pasted[i]] == library.single_types(ds.rows[i].category or "")[0]
             for i in span_rows]  # fmt: skip
    with_vec = [k for k, i in enumerate(span_rows) if ds.rows[i].vector is not None]
    decisions: Counter[str] = Counter()
    for k, i in enumerate(span_rows):
        g = decide_type(as_pasted[i], ds.library_types)
        if g.status == "typed":
            decisions["typed right" if right[k] else "typed wrong"] += 1
        else:
            decisions[g.status] += 1

    non_cuad = [t for t in ds.library_types if not any(t in v for v in library.cuad_map.values())]
    head_rows = []
    for i, r in enumerate(ds.rows):
        if r.kind != "segment" or fold[i] < 0:
            continue
        heads = set(heading_types(r.heading)) & set(non_cuad)
        if heads and heads <= r.labels:
            head_rows.append((i, heads))
    per_type: dict[str, list[int]] = {t: [0, 0] for t in non_cuad}
    head_right = 0
    for i, heads in head_rows:
        ok = ds.library_types[top1[i]] in heads
        head_right += ok
        for t in heads:
            per_type[t][0] += ok
            per_type[t][1] += 1

    # presence, per fold with that fold's calibration
    seg = np.array([r.kind == "segment" for r in ds.rows])
    miss = [0, 0]
    miss_type: dict[str, list[int]] = {t: [0, 0] for t in ds.library_types}
    pres = [0, 0, 0]  # tp, fp, fn
    unsure = total = 0
    cuad_counts = np.zeros((len(ds.labels) - n_lib, 3))
    cuad_absent: dict[str, list[int]] = {c: [0, 0] for c in ds.labels[n_lib:]}
    for k in range(folds):
        rows = seg & (fold == k)
        groups, best, gold = contract_best_by_group(ds, probs, rows)
        q, present, absent = cals[k].decide(best, sent.of(groups) if sent else None)
        for j in range(n_lib, len(ds.labels)):
            said = absent[:, j]
            cuad_absent[ds.labels[j]][1] += int(said.sum())
            cuad_absent[ds.labels[j]][0] += int((gold[said, j] == 0).sum())
        for j, t in enumerate(ds.library_types):
            said = absent[:, j]
            miss[1] += int(said.sum())
            miss[0] += int((gold[said, j] == 0).sum())
            miss_type[t][1] += int(said.sum())
            miss_type[t][0] += int((gold[said, j] == 0).sum())
            pres[0] += int((present[:, j] & (gold[:, j] > 0)).sum())
            pres[1] += int((present[:, j] & (gold[:, j] == 0)).sum())
            pres[2] += int((~present[:, j] & (gold[:, j] > 0)).sum())
            unsure += int((~present[:, j] & ~absent[:, j]).sum())
            total += len(q)
        for j in range(n_lib, len(ds.labels)):
            has = gold[:, j] > 0
            cuad_counts[j - n_lib] += [
                (present[:, j] & has).sum(),
                (present[:, j] & ~has).sum(),
                (~present[:, j] & has).sum(),
            ]
    f1s = [2 * tp / (2 * tp + fp + fn) for tp, fp, fn in cuad_counts if tp + fp + fn]
    contracts = {r.group for r in ds.rows if r.kind == "segment"}
    with_vectors = {r.group for r in ds.rows if r.kind == "segment" and r.vector is not None}
    return TypingReport(
        contracts=len(contracts),
        contracts_with_vectors=len(with_vectors),
        span_top1=float(np.mean(right)) if right else 0.0,
        span_n=len(right),
        span_top1_with_vector=float(np.mean([right[k] for k in with_vec])) if with_vec else None,
        span_n_with_vector=len(with_vec),
        span_decisions=dict(sorted(decisions.items())),
        heading_top1=head_right / len(head_rows) if head_rows else 0.0,
        heading_n=len(head_rows),
        heading_per_type={t: (a, n) for t, (a, n) in per_type.items() if n},
        missing_precision=miss[0] / miss[1] if miss[1] else None,
        missing_n=miss[1],
        missing_per_type={t: (a, n) for t, (a, n) in miss_type.items()},
        present_precision=pres[0] / (pres[0] + pres[1]) if pres[0] + pres[1] else None,
        present_recall=pres[0] / (pres[0] + pres[2]) if pres[0] + pres[2] else None,
        unsure_share=unsure / total if total else 0.0,
        cuad_presence_macro_f1=float(np.mean(f1s)) if f1s else None,
        cuad_absent_per_category={c: (a, n) for c, (a, n) in cuad_absent.items()},
        presence_from="best segment and best sentence" if sent is not None else "best segment",
        pasted_shifts=[c.pasted_shift for c in cals] if pasted is not None else [],
    )


class PastedClause(BaseModel):
    """One item of a `--pasted` file."""

    id: str
    text: str
    clause_type: str  # a library type, or "none"


def load_pasted(path: Path) -> list[PastedClause]:
    return read_items(path, PastedClause)


class PastedReport(BaseModel):
    n: int
    accuracy: float  # typed right, or "none" answered no_clause/uncertain
    typed: int
    typed_right: int
    uncertain: int
    no_clause: int
    misses: list[str]

    def render(self) -> str:
        prec = self.typed_right / self.typed if self.typed else 0.0
        return "\n".join(
            [
                f"pasted clauses: {self.n}; accuracy {self.accuracy:.3f}; typed {self.typed} "
                f"(right {self.typed_right}, precision {prec:.3f}); uncertain {self.uncertain}; "
                f"no clause {self.no_clause}",
                *(f"  {m}" for m in self.misses),
            ]
        )


def run_pasted_eval(
    path: Path, embedder: EmbedderLike | None, model: TypeModel | None = None
) -> PastedReport:
    """Score the shipped model on a YAML list of pasted clauses. A clause is right when it is
    typed with its type; a `none` item is right when no type is given (uncertain/no clause)."""
    items = load_pasted(Path(path))
    ok = typed = typed_right = uncertain = no_clause = 0
    misses: list[str] = []
    for item in items:
        g = type_text(item.text, model=model, embedder=embedder)
        gold = item.clause_type
        if g.status == "typed":
            typed += 1
            typed_right += g.clause_type == gold
        elif g.status == "uncertain":
            uncertain += 1
        else:
            no_clause += 1
        right = g.clause_type == gold if gold != "none" else g.clause_type is None
        ok += right
        if not right:
            near = ", ".join(f"{c.clause_type} {c.confidence:.2f}" for c in g.closest)
            misses.append(f"{item.id}: {gold} -> {g.status} {g.clause_type or ''} ({near})")
    return PastedReport(
        n=len(items),
        accuracy=ok / len(items) if items else 0.0,
        typed=typed,
        typed_right=typed_right,
        uncertain=uncertain,
        no_clause=no_clause,
        misses=misses,
    )
