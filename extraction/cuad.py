"""CUAD as training data and as an evaluation target: a folder laid out like ../shared/cuad.

Only `contracts/*.txt` is needed to extract; `labels.jsonl` is read to train and to score.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from extraction.classify import ClauseClassifier, train, unit_text
from extraction.pipeline import Analysis, analyze
from extraction.segment import segment, sentences
from extraction.types import Term

# CUAD categories answered from structured terms: (term name, how to write the answer).
_VALUE_TERMS: dict[str, str] = {
    "Document Name": "document_name",
    "Parties": "parties",
    "Agreement Date": "agreement_date",
    "Effective Date": "effective_date",
    "Expiration Date": "expiration_date",
    "Renewal Term": "renewal_term_months",
    "Notice Period To Terminate Renewal": "renewal_notice_days",
    "Governing Law": "governing_law",
}
# Categories whose gold spans are short names: only the terms' evidence is a candidate.
_SPAN_FROM_TERMS = {"Document Name", "Parties"}


def contract_ids(cuad_dir: Path) -> list[str]:
    return sorted(p.stem for p in (cuad_dir / "contracts").glob("*.txt"))


def read_contract(cuad_dir: Path, cid: str) -> str:
    return (cuad_dir / "contracts" / f"{cid}.txt").read_text(encoding="utf-8")


def read_labels(cuad_dir: Path) -> dict[str, dict[str, Any]]:
    rows = {}
    with (cuad_dir / "labels.jsonl").open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            rows[r["id"]] = r
    return rows


def categories(cuad_dir: Path) -> list[str]:
    data = json.loads((cuad_dir / "categories.json").read_text(encoding="utf-8"))
    return [c["name"] for c in data["categories"]]


def fold_of(cid: str, folds: int) -> int:
    """Stable fold assignment from the id, so cross-validation is reproducible."""
    return int(hashlib.sha256(cid.encode()).hexdigest(), 16) % folds


def _gold_pieces(clause: dict[str, Any]) -> list[tuple[int, int]]:
    if clause.get("start") is None:
        return []
    if clause.get("segments"):
        return [(s["start"], s["end"]) for s in clause["segments"]]
    return [(clause["start"], clause["end"])]


def training_units(cuad_dir: Path, ids: list[str]) -> tuple[list[str], list[set[str]], list[str]]:
    """One example per sentence; a sentence is labelled with a category when it overlaps a
    gold clause for at least half of itself or half of the clause."""
    labels = read_labels(cuad_dir)
    texts: list[str] = []
    ys: list[set[str]] = []
    groups: list[str] = []
    for cid in ids:
        text = read_contract(cuad_dir, cid)
        segs = segment(text)
        sents = sentences(text, segs)
        gold = [
            (cat, a, b)
            for cat, v in labels[cid]["categories"].items()
            for c in v["clauses"]
            for a, b in _gold_pieces(c)
        ]
        for s in sents:
            lab = set()
            for cat, a, b in gold:
                overlap = min(s.end, b) - max(s.start, a)
                if overlap > 0 and (overlap >= 0.5 * (s.end - s.start) or overlap >= 0.5 * (b - a)):
                    lab.add(cat)
            texts.append(unit_text(text[s.start : s.end], segs[s.segment].heading))
            ys.append(lab)
            groups.append(cid)
    return texts, ys, groups


def train_classifier(cuad_dir: Path, ids: list[str] | None = None) -> ClauseClassifier:
    ids = ids if ids is not None else contract_ids(cuad_dir)
    texts, ys, groups = training_units(cuad_dir, ids)
    return train(texts, ys, categories(cuad_dir), groups=groups)


def _answer(name: str, terms: list[Term]) -> str | None:
    found = [t for t in terms if t.name == _VALUE_TERMS[name]]
    if not found:
        return None
    if name == "Parties":
        return "; ".join(
            str(t.value.get("name") if isinstance(t.value, dict) else t.value) for t in found
        )
    v = found[0].value
    if name == "Renewal Term":
        return f"{v} months"
    if name == "Notice Period To Terminate Renewal":
        return f"{v} days"
    return str(v)


def prediction_lines(
    cid: str,
    text: str,
    analysis: Analysis,
    cats: list[str],
    max_spans: int = 30,
) -> Iterator[dict[str, Any]]:
    """The `clausewise extract` output for one contract: a line per category. A sentence
    span carries its segment's index (`segment`), which `rescore` reads."""
    by_cat: dict[str, list[dict[str, Any]]] = {c: [] for c in cats}
    for h in analysis.clauses:
        if h.category in by_cat:
            by_cat[h.category].append(
                {
                    "start": h.start,
                    "end": h.end,
                    "text": text[h.start : h.end],
                    "score": h.score,
                    "segment": h.segment,
                }
            )
    for cat in cats:
        spans = sorted(by_cat[cat], key=lambda s: -s["score"])[:max_spans]
        answer: str | None
        if cat in _VALUE_TERMS:
            answer = _answer(cat, analysis.terms)
            terms = [t for t in analysis.terms if t.name == _VALUE_TERMS[cat]]
            term_spans = [
                {"start": t.start, "end": t.end, "text": t.text, "score": t.confidence}
                for t in terms
            ]
            if cat == "Parties":
                term_spans += _party_aliases(text, analysis.terms)
            if cat in _SPAN_FROM_TERMS:
                spans = term_spans
            elif term_spans:
                # The extracted term's evidence is the answer; the classifier's sentences
                # follow it, in their own order, below the weakest term span.
                floor = 0.99 * min(t.confidence for t in terms)
                spans = term_spans + [{**s, "score": float(s["score"]) * floor} for s in spans]
            else:
                spans = term_spans + spans
        else:
            answer = "Yes" if spans and spans[0]["score"] >= 0.5 else "No"
        yield {"id": cid, "category": cat, "answer": answer, "spans": spans}


def _party_aliases(text: str, terms: list[Term]) -> list[dict[str, Any]]:
    """Each party's defined short name ("Customer", "BNL") is a mention of the party too."""
    out = []
    for t in terms:
        alias = t.value.get("alias") if t.name == "parties" and isinstance(t.value, dict) else None
        if not alias:
            continue
        at = text.find(str(alias), t.end)
        if at >= 0:
            out.append(
                {
                    "start": at,
                    "end": at + len(alias),
                    "text": alias,
                    "score": round(t.confidence * 0.9, 4),
                }
            )
    return out


def extract_contract(
    cuad_dir: Path,
    cid: str,
    classifier: ClauseClassifier,
    cats: list[str],
) -> list[dict[str, Any]]:
    text = read_contract(cuad_dir, cid)
    analysis = analyze(text, classifier=classifier, min_score=0.001)
    return list(prediction_lines(cid, text, analysis, cats))


def rescore(
    lines: list[dict[str, Any]], segment_probs: dict[str, np.ndarray] | None
) -> list[dict[str, Any]]:
    """Prediction lines with each sentence weighed by the clause-type model: `segment_probs`
    (category -> probability per segment). Value categories are left as they are."""
    if segment_probs is None:
        return lines
    out = []
    for line in lines:
        cat = line["category"]
        if cat in _VALUE_TERMS or cat not in segment_probs:
            out.append(line)
            continue
        probs = segment_probs[cat]
        spans = [
            {**s, "score": round(float(np.sqrt(s["score"] * probs[s["segment"]])), 4)}
            for s in line["spans"]
        ]
        spans.sort(key=lambda s: -s["score"])
        answer = "Yes" if spans and spans[0]["score"] >= 0.5 else "No"
        out.append({**line, "spans": spans, "answer": answer})
    return out


def apply_presence(
    lines: list[dict[str, Any]], present: Mapping[str, bool]
) -> list[dict[str, Any]]:
    """Prediction lines that say what the presence decision says: a category decided present
    answers "Yes" and its best span scores at least 0.5; one not decided present answers
    "No" and every span scores under 0.5. A line's scores are shifted together in logit
    space, so the order of its spans is kept. Value categories (answered by the term
    readers) and categories without a decision are left as they are."""
    out = []
    for line in lines:
        cat = line["category"]
        if cat in _VALUE_TERMS or cat not in present or not line["spans"]:
            out.append(line)
            continue
        top = max(float(s["score"]) for s in line["spans"])
        z_top = _logit(top)
        shift = 0.0
        if present[cat] and top < 0.5:
            shift = -z_top
        elif not present[cat] and top >= 0.5:
            shift = -z_top - 1e-3
        spans = [
            {**s, "score": round(float(_sigmoid(_logit(float(s["score"])) + shift)), 6)}
            for s in line["spans"]
        ]
        answer = "Yes" if present[cat] else "No"
        out.append({**line, "spans": spans, "answer": answer})
    return out


def _logit(p: float) -> float:
    q = min(max(p, 1e-6), 1 - 1e-6)
    return float(np.log(q / (1 - q)))


def _sigmoid(z: float) -> float:
    return float(1 / (1 + np.exp(-z)))
