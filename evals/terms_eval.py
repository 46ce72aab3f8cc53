"""Answer accuracy of the rule-based term extraction on a CUAD folder, without cross-validation.

Term extraction (`extraction.terms.extract_terms`) learns nothing from the labels, so its
answers can be scored on every contract at once. Answers are written exactly as
`clausewise eval cuad` writes them (`extraction.cuad._answer`) and scored with the same
functions (`evals.cuad_metric.score` for the figures, `answers_match` for the per-contract
verdicts behind the miss lists).

    python -m evals.terms_eval ../shared/cuad [--split tune|holdout|all] [--limit N]
                               [--show-misses N] [--category C]

Splits: a fixed fifth of the folder is held out from rule tuning (`is_holdout`: the sha256 of
``"terms-holdout:" + id`` is 0 mod 5); `tune` (the default) is the rest. Tune on `tune`, look at
`holdout` only to measure. Parties are scored with `evals.cuad_metric.parties_match` (every gold
party matched by a predicted name and no predicted name unmatched, names matching when one
contains the other on word boundaries); the strict rule (equal normalised name sets) is printed
beside it.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from evals.cuad_metric import (
    ANSWER_REPORTED,
    ANSWER_TARGETS,
    Prediction,
    answers_match,
    load_gold,
    normalize_parties,
    score,
)
from extraction.cuad import _VALUE_TERMS, _answer, contract_ids, read_contract
from extraction.terms import extract_terms

SPLITS = ("tune", "holdout", "all")


def is_holdout(cid: str) -> bool:
    """The fixed fifth of the contracts kept out of rule tuning."""
    return int(hashlib.sha256(f"terms-holdout:{cid}".encode()).hexdigest(), 16) % 5 == 0


def split_ids(ids: list[str], split: str) -> list[str]:
    if split == "all":
        return ids
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; one of {SPLITS}")
    return [cid for cid in ids if is_holdout(cid) == (split == "holdout")]


@dataclass
class TermsAccuracy:
    """Per category: the metric's figures and the ids of wrong answers (with both answers)."""

    category: str
    target: bool
    accuracy: float | None
    n_correct: int
    n_scored: int
    null_agreement: float | None
    misses: list[tuple[str, str | None, str]] = field(default_factory=list)  # id, pred, gold


@dataclass
class TermsEvalResult:
    n_contracts: int
    seconds: float
    per_category: dict[str, TermsAccuracy]
    split: str = "all"
    parties_strict: tuple[int, int] | None = None  # correct, scored under equal name sets

    def render(self, show_misses: int = 1000) -> str:
        lines = [
            f"term answers on {self.n_contracts} contracts ({self.split} split) in "
            f"{self.seconds:.1f} s (rule-based, no cross-validation needed)"
        ]
        for acc in self.per_category.values():
            figure = "-" if acc.accuracy is None else f"{acc.accuracy:.3f}"
            null = "-" if acc.null_agreement is None else f"{acc.null_agreement:.3f}"
            lines.append(
                f"{acc.category:<36} {'target' if acc.target else '      '} {figure} "
                f"({acc.n_correct}/{acc.n_scored})  null agreement {null}"
            )
        if self.parties_strict and self.parties_strict[1]:
            ok, n = self.parties_strict
            lines.append(
                f"{'Parties, strict (equal name sets)':<36}        {ok / n:.3f} ({ok}/{n})"
            )
        for acc in self.per_category.values():
            if not acc.misses or show_misses <= 0:
                continue
            lines.append(f"\nmisses, {acc.category} ({len(acc.misses)}):")
            for cid, pred, gold in acc.misses[:show_misses]:
                lines.append(f"  {cid}  pred={pred!r}  gold={gold!r}")
        return "\n".join(lines)


def run_terms_eval(
    cuad_dir: Path,
    limit: int | None = None,
    categories: tuple[str, ...] | None = None,
    split: str = "tune",
) -> TermsEvalResult:
    """Extract terms from each contract of the split (its first ``limit`` ids) and score."""
    cuad_dir = Path(cuad_dir)
    cats = categories or (*ANSWER_TARGETS, *ANSWER_REPORTED)
    ids = split_ids(contract_ids(cuad_dir), split)
    ids = ids[:limit] if limit else ids
    gold = load_gold(cuad_dir, set(ids))
    predictions: list[Prediction] = []
    t0 = time.perf_counter()
    for cid in ids:
        terms = extract_terms(read_contract(cuad_dir, cid))
        for cat in cats:
            if cat in _VALUE_TERMS:
                predictions.append(Prediction(id=cid, category=cat, answer=_answer(cat, terms)))
    seconds = time.perf_counter() - t0
    report = score(gold, predictions)
    answers = {(p.id, p.category): p.answer for p in predictions}
    per_category: dict[str, TermsAccuracy] = {}
    strict = [0, 0]
    if "Parties" in cats:
        for cid in ids:
            gold_set = normalize_parties(gold[cid]["Parties"].answer or "")
            if gold_set:
                strict[1] += 1
                strict[0] += normalize_parties(answers.get((cid, "Parties")) or "") == gold_set
    for cat in cats:
        acc = report.answer_accuracy.get(cat)
        if acc is None:
            continue
        misses: list[tuple[str, str | None, str]] = []
        for cid in ids:
            gold_answer = gold[cid][cat].answer
            if gold_answer is None or not gold_answer.strip():
                continue
            pred = answers.get((cid, cat))
            pred = pred if pred and pred.strip() else None
            if answers_match(cat, pred, gold_answer) is False:
                misses.append((cid, pred, gold_answer))
        per_category[cat] = TermsAccuracy(
            category=cat,
            target=acc.target,
            accuracy=acc.accuracy,
            n_correct=acc.n_correct,
            n_scored=acc.n_scored,
            null_agreement=acc.null_agreement,
            misses=misses,
        )
    return TermsEvalResult(
        n_contracts=len(ids),
        seconds=seconds,
        per_category=per_category,
        split=split,
        parties_strict=(strict[0], strict[1]),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("cuad_dir", type=Path)
    parser.add_argument("--split", choices=SPLITS, default="tune")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--show-misses", type=int, default=1000, help="ids listed per category")
    parser.add_argument(
        "--category", action="append", default=None, help="score only this category (repeatable)"
    )
    args = parser.parse_args(argv)
    cats = tuple(args.category) if args.category else None
    result = run_terms_eval(args.cuad_dir, limit=args.limit, categories=cats, split=args.split)
    print(result.render(show_misses=args.show_misses))


if __name__ == "__main__":
    main()
