"""Answer accuracy of the rule-based term extraction on a CUAD folder, without cross-validation.

Term extraction (`extraction.terms.extract_terms`) learns nothing from the labels, so its
answers can be scored on every contract at once. Answers are written exactly as
`clausewise eval cuad` writes them (`extraction.cuad._answer`) and scored with the same
functions (`evals.cuad_metric.score` for the figures, `answers_match` for the per-contract
verdicts behind the miss lists).

    python -m evals.terms_eval ../shared/cuad [--limit N] [--show-misses N] [--category C]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from pathlib import Path

from evals.cuad_metric import (
    ANSWER_REPORTED,
    ANSWER_TARGETS,
    Prediction,
    answers_match,
    load_gold,
    score,
)
from extraction.cuad import _VALUE_TERMS, _answer, contract_ids, read_contract
from extraction.terms import extract_terms


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

    def render(self, show_misses: int = 1000) -> str:
        lines = [
            f"term answers on {self.n_contracts} contracts in {self.seconds:.1f} s "
            "(rule-based, no cross-validation needed)"
        ]
        for acc in self.per_category.values():
            figure = "-" if acc.accuracy is None else f"{acc.accuracy:.3f}"
            null = "-" if acc.null_agreement is None else f"{acc.null_agreement:.3f}"
            lines.append(
                f"{acc.category:<36} {'target' if acc.target else '      '} {figure} "
                f"({acc.n_correct}/{acc.n_scored})  null agreement {null}"
            )
        for acc in self.per_category.values():
            if not acc.misses or show_misses <= 0:
                continue
            lines.append(f"\nmisses, {acc.category} ({len(acc.misses)}):")
            for cid, pred, gold in acc.misses[:show_misses]:
                lines.append(f"  {cid}  pred={pred!r}  gold={gold!r}")
        return "\n".join(lines)


def run_terms_eval(
    cuad_dir: Path, limit: int | None = None, categories: tuple[str, ...] | None = None
) -> TermsEvalResult:
    """Extract terms from each contract (the first ``limit`` ids) and score the answers."""
    cuad_dir = Path(cuad_dir)
    cats = categories or (*ANSWER_TARGETS, *ANSWER_REPORTED)
    ids = contract_ids(cuad_dir)[:limit] if limit else contract_ids(cuad_dir)
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
    return TermsEvalResult(n_contracts=len(ids), seconds=seconds, per_category=per_category)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("cuad_dir", type=Path)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--show-misses", type=int, default=1000, help="ids listed per category")
    parser.add_argument(
        "--category", action="append", default=None, help="score only this category (repeatable)"
    )
    args = parser.parse_args(argv)
    cats = tuple(args.category) if args.category else None
    result = run_terms_eval(args.cuad_dir, limit=args.limit, categories=cats)
    print(result.render(show_misses=args.show_misses))


if __name__ == "__main__":
    main()
