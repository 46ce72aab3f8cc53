"""Clause classification: each sentence gets zero or more CUAD categories with a probability.

A one-vs-rest logistic regression per category over TF-IDF word 1-2-grams of the sentence and
its section heading. Legal categories hinge on wording ("governed by the laws of", "shall not
assign"), which lexical features capture well and cheaply; the model is small enough to ship
in the repository and is rebuilt by `clausewise train` from the CUAD dev split.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

DEFAULT_MODEL = Path(__file__).resolve().parent / "model" / "clause_classifier.npz"


def unit_text(sentence: str, heading: str | None) -> str:
    """The classifier's input: heading words are marked so they weigh as context, not text."""
    head = " ".join(f"h_{w}" for w in (heading or "").lower().split()[:8] if w.isalpha())
    return f"{head} {sentence}" if head else sentence


def _vectorizer(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(
        ngram_range=(1, 2),
        min_df=3,
        max_features=40_000,
        sublinear_tf=True,
        lowercase=True,
        token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z_]+\b",
        vocabulary=vocabulary,
        dtype=np.float32,
    )


@dataclass
class ClauseClassifier:
    categories: list[str]
    vectorizer: TfidfVectorizer
    coef: np.ndarray  # (categories, features)
    intercept: np.ndarray  # (categories,)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Probabilities, shape (len(texts), len(categories))."""
        if not texts:
            return np.zeros((0, len(self.categories)), dtype=np.float32)
        x = self.vectorizer.transform(texts)
        logits = np.asarray(x @ self._weights) + self.intercept
        return (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)

    @cached_property
    def _weights(self) -> np.ndarray:
        # (features, categories) in float32, laid out as the sparse product reads it: made
        # once, not copied twice per call (6 MB each time).
        return np.ascontiguousarray(self.coef.T, dtype=np.float32)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        vocab = sorted(self.vectorizer.vocabulary_.items(), key=lambda kv: kv[1])
        np.savez_compressed(
            path,
            categories=np.array(json.dumps(self.categories)),
            vocabulary=np.array(json.dumps([w for w, _ in vocab])),
            idf=self.vectorizer.idf_.astype(np.float32),
            coef=self.coef.astype(np.float16),  # halves the artifact; no measurable loss
            intercept=self.intercept.astype(np.float32),
        )

    @classmethod
    def load(cls, path: Path = DEFAULT_MODEL) -> ClauseClassifier:
        if not path.exists():
            raise FileNotFoundError(f"no clause classifier at {path}; run `clausewise train`")
        data = np.load(path)
        words = json.loads(str(data["vocabulary"]))
        vec = _vectorizer({w: i for i, w in enumerate(words)})
        vec.idf_ = data["idf"]
        return cls(
            categories=json.loads(str(data["categories"])),
            vectorizer=vec,
            coef=data["coef"].astype(np.float32),
            intercept=data["intercept"],
        )


def train(
    texts: list[str],
    labels: list[set[str]],
    categories: list[str],
    c: float = 4.0,
    groups: list[str] | None = None,
) -> ClauseClassifier:
    """Fit one logistic regression per category (deterministic: liblinear, fixed seed).

    With `groups` (the contract of each example) the scores are then recalibrated per
    category: on a held-out fifth of the contracts, the threshold that best tells contracts
    with the clause from those without is found, and the category's intercept is shifted so
    that threshold becomes 0.5. Rankings within a category are unchanged; 0.5 then means
    "present" for every category alike, rare ones included.
    """
    model = _fit(texts, labels, categories, c)
    if groups is None:
        return model
    held = {g for g in set(groups) if int(hashlib.sha256(g.encode()).hexdigest(), 16) % 5 == 0}
    fit_idx = [i for i, g in enumerate(groups) if g not in held]
    val_idx = [i for i, g in enumerate(groups) if g in held]
    if not fit_idx or not val_idx:
        return model  # too few contracts to hold a fifth out
    inner = _fit([texts[i] for i in fit_idx], [labels[i] for i in fit_idx], categories, c)
    probs = inner.predict_proba([texts[i] for i in val_idx])
    val_groups = sorted(held)
    for j, cat in enumerate(categories):
        best_p: dict[str, float] = dict.fromkeys(val_groups, 0.0)
        gold: dict[str, bool] = dict.fromkeys(val_groups, False)
        for k, i in enumerate(val_idx):
            g = groups[i]
            best_p[g] = max(best_p[g], float(probs[k, j]))
            gold[g] = gold[g] or cat in labels[i]
        t = _best_threshold([best_p[g] for g in val_groups], [gold[g] for g in val_groups])
        if t is not None:
            # shift the logit so that probability t becomes 0.5
            model.intercept[j] -= float(np.log(t / (1 - t)))
    return model


def _best_threshold(scores: list[float], gold: list[bool]) -> float | None:
    if sum(gold) < 3:
        return None  # too few positives to move the category's calibration
    best, best_f1 = None, -1.0
    for t in (0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        tp = sum(s >= t and g for s, g in zip(scores, gold, strict=True))
        fp = sum(s >= t and not g for s, g in zip(scores, gold, strict=True))
        fn = sum(s < t and g for s, g in zip(scores, gold, strict=True))
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best_f1:
            best, best_f1 = t, f1
    return best


def _fit(
    texts: list[str], labels: list[set[str]], categories: list[str], c: float
) -> ClauseClassifier:
    vec = _vectorizer()
    x = vec.fit_transform(texts)
    coef = np.zeros((len(categories), x.shape[1]), dtype=np.float32)
    intercept = np.full(len(categories), -10.0, dtype=np.float32)
    for i, cat in enumerate(categories):
        y = np.array([cat in lab for lab in labels])
        if y.sum() < 2:
            continue  # too few examples to learn from: predicts ~0
        model = LogisticRegression(C=c, solver="liblinear", max_iter=1000, random_state=0)
        model.fit(x, y)
        coef[i] = model.coef_[0]
        intercept[i] = model.intercept_[0]
    return ClauseClassifier(
        categories=list(categories), vectorizer=vec, coef=coef, intercept=intercept
    )


_loaded: ClauseClassifier | None = None


def default_classifier() -> ClauseClassifier:
    """The shipped model, loaded once per process."""
    global _loaded
    if _loaded is None:
        _loaded = ClauseClassifier.load()
    return _loaded
