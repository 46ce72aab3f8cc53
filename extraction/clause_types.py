"""The clause-type model: one decision of "what kind of clause is this" for every caller.

Covers the library's clause types and CUAD's 41 categories (73 labels, multi-label), plus
"none of these" (no label is likely). Features of a piece of contract text:

- the MiniLM embedding of the segment (the vector ingest computes for the archive anyway:
  `extraction.type_vectors`), or of the pasted text;
- TF-IDF word 1-2-grams of the text, with the section heading's words marked (`h_payment`).

The head is a multi-label logistic regression (one weight matrix, fitted with L-BFGS on
numpy/scipy, deterministic), shipped in `extraction/model/clause_types.npz` and rebuilt by
`clausewise train` (`extraction.type_training`). Its scores are calibrated per label with
Platt scaling fitted on out-of-fold scores of the dev split, so 0.8 means "right about four
times in five" for a segment of that label.

Contract-level presence ("does this contract have a clause of this type?") is read twice
and decided from the better of the two (`combine_presence`): from the contract's best
segment (its calibrated probability, Platt-scaled again per label), and from its best
sentence score in the CUAD sentence classifier (`extraction.classify`) for the categories
that speak for the label (floored at `SENT_FLOOR`, the lowest score an analysis keeps).
Each reading has its own Platt scaling, a "present" cut (the F1-best) and an "absent" cut
(the largest at which "absent" agrees with the labels at least 97% of the time), all fitted
on out-of-fold scores of the dev split. A type is present when either reading says so, and
absent only when both do.

Labels and their provenance: `extraction.type_labels`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field
from scipy import sparse
from scipy.optimize import minimize
from sklearn.feature_extraction.text import TfidfVectorizer

from extraction.classify import unit_text
from extraction.type_vectors import EmbedderLike

DEFAULT_TYPE_MODEL = Path(__file__).resolve().parent / "model" / "clause_types.npz"
MAX_CHARS = 1200  # of a segment's text fed to TF-IDF: the start of a clause says what it is
TYPED_AT = 0.5  # a segment is typed with a label from this calibrated probability
NONE_BELOW = 0.2  # pasted text whose best type is below this holds no recognisable clause
MARGIN = 0.15  # the best type must lead the second by this much to be taken without doubt
SENT_FLOOR = 0.05  # sentence scores under this are not kept by an analysis (its min_score)


def features_text(text: str, heading: str | None) -> str:
    return unit_text(" ".join(text[:MAX_CHARS].split()), heading)


def featurize(
    vectorizer: TfidfVectorizer, texts: Sequence[str], headings: Sequence[str | None]
) -> sparse.csr_matrix:
    """[TF-IDF of heading words + text, TF-IDF of the heading words alone]: the second block
    has its own unit norm, so a heading weighs the same in a long section as in a short one."""
    both = vectorizer.transform([features_text(t, h) for t, h in zip(texts, headings, strict=True)])
    head = vectorizer.transform([unit_text("", h).strip() for h in headings])
    return sparse.hstack([both, head], format="csr", dtype=np.float32)


def _vectorizer(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(
        ngram_range=(1, 2),
        min_df=3,
        max_features=30_000,
        sublinear_tf=True,
        lowercase=True,
        token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z_]+\b",
        vocabulary=vocabulary,
        dtype=np.float32,
    )


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return (1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))).astype(np.float32)


def _logit(p: np.ndarray, low: float = 1e-6) -> np.ndarray:
    q = np.clip(np.asarray(p, dtype=np.float64), low, 1 - 1e-6)
    return np.log(q / (1 - q))


@dataclass
class Head:
    """Multi-label logistic regression over [TF-IDF, embedding, has-embedding]."""

    w_text: np.ndarray  # (features, labels)
    w_emb: np.ndarray  # (dim, labels)
    w_has: np.ndarray  # (labels,) shift when an embedding is given
    bias: np.ndarray  # (labels,)

    def logits(self, x: sparse.csr_matrix, emb: np.ndarray, has: np.ndarray) -> np.ndarray:
        z = np.asarray(x @ self.w_text) + emb @ self.w_emb
        return (z + np.outer(has, self.w_has) + self.bias).astype(np.float32)


def fit_head(
    x: sparse.csr_matrix,
    emb: np.ndarray,
    has: np.ndarray,
    y: np.ndarray,
    weight: np.ndarray,
    lam: float = 2e-5,
    max_iter: int = 100,
) -> Head:
    """L-BFGS on the mean weighted log-loss plus an L2 penalty (no penalty on the biases)."""
    f = x.shape[1]
    d, labels = emb.shape[1], y.shape[1]
    xt = x.T.tocsr()
    wsum = float(weight.sum())
    sizes = [f * labels, d * labels, labels, labels]
    # Start from each label's base rate so the first steps are not spent on the biases.
    rate = np.clip((y * weight[:, None]).sum(0) / wsum, 1e-4, 1 - 1e-4)
    theta0 = np.zeros(sum(sizes), dtype=np.float64)
    theta0[-labels:] = np.log(rate / (1 - rate))

    def unpack(theta: np.ndarray) -> Head:
        parts = np.split(theta.astype(np.float32), np.cumsum(sizes)[:-1])
        return Head(parts[0].reshape(f, labels), parts[1].reshape(d, labels), parts[2], parts[3])

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        h = unpack(theta)
        z = h.logits(x, emb, has)
        p = _sigmoid(z)
        ll = np.logaddexp(0, z) - y * z  # -log-likelihood per cell
        value = float((ll * weight[:, None]).sum() / wsum)
        value += 0.5 * lam * float((h.w_text**2).sum() + (h.w_emb**2).sum())
        g = ((p - y) * weight[:, None] / wsum).astype(np.float32)
        grads = [
            (np.asarray(xt @ g) + lam * h.w_text).ravel(),
            (emb.T @ g + lam * h.w_emb).ravel(),
            has @ g,
            g.sum(0),
        ]
        return value, np.concatenate(grads).astype(np.float64)

    res = minimize(loss, theta0, jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    return unpack(res.x)


def fit_platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """p = sigmoid(a * z + b), fitted by log-loss (with the usual target smoothing)."""
    pos = float(y.sum())
    if pos < 3 or pos > len(y) - 3:
        return 1.0, 0.0
    t = np.where(y > 0, (pos + 1) / (pos + 2), 1 / (len(y) - pos + 2))

    def loss(ab: np.ndarray) -> tuple[float, np.ndarray]:
        zz = ab[0] * z + ab[1]
        p = 1 / (1 + np.exp(-np.clip(zz, -30, 30)))
        v = float(np.sum(np.logaddexp(0, zz) - t * zz))
        d = p - t
        return v, np.array([float(np.sum(d * z)), float(np.sum(d))])

    res = minimize(loss, np.array([1.0, 0.0]), jac=True, method="L-BFGS-B")
    return float(res.x[0]), float(res.x[1])


def label_best(
    sources: Sequence[Sequence[str]], best_by_category: Mapping[str, float]
) -> np.ndarray:
    """Per label, the best sentence score among the categories that speak for it (0: none)."""
    return np.array(
        [max((best_by_category.get(c, 0.0) for c in cats), default=0.0) for cats in sources],
        dtype=np.float32,
    )


@dataclass
class SentencePresence:
    """Contract-level presence read from the CUAD sentence classifier: per label, the best
    sentence score of the categories that speak for it, Platt-calibrated on out-of-fold
    scores of the dev split, with its own present / absent cut-offs."""

    sources: list[list[str]]  # per label: the classifier's categories (empty: none speaks)
    platt: np.ndarray  # (labels, 2) over the logit of the best sentence score (floored)
    present_at: np.ndarray  # (labels,)
    absent_below: np.ndarray  # (labels,)

    def best(self, best_by_category: Mapping[str, float]) -> np.ndarray:
        """Per label, the best sentence score among its categories (0 when none)."""
        return np.array(
            [
                max((best_by_category.get(c, 0.0) for c in cats), default=0.0)
                for cats in self.sources
            ],
            dtype=np.float32,
        )

    def probability(self, best_sentence: np.ndarray) -> np.ndarray:
        z = _logit(best_sentence, SENT_FLOOR)
        return _sigmoid(z * self.platt[:, 0] + self.platt[:, 1])

    def has_source(self) -> np.ndarray:
        return np.array([bool(c) for c in self.sources])


def combine_presence(
    q_segment: np.ndarray,
    present_at: np.ndarray,
    absent_below: np.ndarray,
    sentence: SentencePresence | None = None,
    best_sentence: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The presence decision, from the better of the two readings: (confidence, present,
    absent), arrays over labels (or contracts x labels). "Present" when either reading is
    sure of it; "absent" only when the segment reading says absent and the sentence reading
    (where a category speaks for the label) agrees; the confidence is the higher of the two
    calibrated probabilities."""
    present = q_segment >= present_at
    absent = q_segment < absent_below
    if sentence is None or best_sentence is None:
        return q_segment, present, absent & ~present
    has = sentence.has_source()
    q_sent = sentence.probability(best_sentence)
    present = present | (has & (q_sent >= sentence.present_at))
    absent = absent & (~has | (q_sent < sentence.absent_below))
    q = np.where(has, np.maximum(q_segment, q_sent), q_segment)
    return q.astype(np.float32), present, absent & ~present


class TypeScore(BaseModel):
    clause_type: str
    confidence: float = Field(ge=0, le=1)


class TypeGuess(BaseModel):
    """The type of a pasted text. `status` is `typed` only when the model is sure; otherwise
    `clause_type` is None and `closest` lists the nearest types with their confidences."""

    status: Literal["typed", "uncertain", "no_clause"]
    clause_type: str | None
    confidence: float = Field(ge=0, le=1)
    closest: list[TypeScore]
    message: str


def decide_type(
    probs: np.ndarray, library_types: Sequence[str], known: set[str] | None = None
) -> TypeGuess:
    """A library type when the best one is likely and clearly ahead of the next; otherwise
    "uncertain" with the closest types, or "no_clause" when none is even plausible.
    `probs` starts with the library types, in `library_types` order."""
    idx = [i for i, t in enumerate(library_types) if known is None or t in known]
    order = sorted(idx, key=lambda i: -float(probs[i]))
    closest = [
        TypeScore(clause_type=library_types[i], confidence=round(float(probs[i]), 4))
        for i in order[:3]
    ]
    if not order:
        return TypeGuess(
            status="no_clause",
            clause_type=None,
            confidence=0.0,
            closest=[],
            message="No clause type is known.",
        )
    p1 = float(probs[order[0]])
    p2 = float(probs[order[1]]) if len(order) > 1 else 0.0
    if p1 >= TYPED_AT and p1 - p2 >= MARGIN:
        return TypeGuess(
            status="typed",
            clause_type=library_types[order[0]],
            confidence=round(p1, 4),
            closest=closest,
            message=f"Read as {library_types[order[0]]}.",
        )
    if p1 < NONE_BELOW:
        return TypeGuess(
            status="no_clause",
            clause_type=None,
            confidence=round(1 - p1, 4),
            closest=closest,
            message="No clause of a known type was recognised in the text.",
        )
    names = ", ".join(c.clause_type for c in closest)
    return TypeGuess(
        status="uncertain",
        clause_type=None,
        confidence=round(p1, 4),
        closest=closest,
        message=f"The clause type is uncertain; the closest types are {names}. "
        "Give clause_type to review it as one of them.",
    )


@dataclass
class TypeModel:
    labels: list[str]  # library types first, then CUAD categories
    library_types: list[str]
    vectorizer: TfidfVectorizer
    head: Head
    platt: np.ndarray  # (labels, 2): a, b of the segment-level calibration
    presence_platt: np.ndarray  # (labels, 2): contract-level, over the best segment's logit
    absent_below: np.ndarray  # (labels,): presence probability under which a type is absent
    dim: int
    # (labels,): presence probability from which a type is present (None: 0.5, older files)
    present_at: np.ndarray | None = None
    # Presence read from the sentence classifier's best sentences (None in older files).
    sentence: SentencePresence | None = None
    # Logit shift from a segment's calibration to a pasted text's (None in older files:
    # pasted text reads as a segment); fitted by `type_training.fit_pasted_shift`.
    pasted_shift: float | None = None

    # -- scoring

    def calibrated(self, z: np.ndarray) -> np.ndarray:
        return _sigmoid(z * self.platt[:, 0] + self.platt[:, 1])

    def logits(
        self, texts: Sequence[str], headings: Sequence[str | None], vectors: np.ndarray | None
    ) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        x = featurize(self.vectorizer, texts, headings)
        if vectors is None:
            emb = np.zeros((len(texts), self.dim), dtype=np.float32)
            has = np.zeros(len(texts), dtype=np.float32)
        else:
            emb = np.asarray(vectors, dtype=np.float32)
            has = (np.linalg.norm(emb, axis=1) > 0).astype(np.float32)
        return self.head.logits(x.tocsr(), emb, has)

    def predict(
        self, texts: Sequence[str], headings: Sequence[str | None], vectors: np.ndarray | None
    ) -> np.ndarray:
        """Calibrated probabilities, (texts, labels)."""
        return self.calibrated(self.logits(texts, headings, vectors))

    def predict_pasted(self, texts: Sequence[str], vectors: np.ndarray | None) -> np.ndarray:
        """Calibrated probabilities of pasted texts (no heading), (texts, labels). A pasted
        clause is nearly always a clause, unlike a segment of a contract, so its prior odds of
        each type are higher: the segment calibration plus `pasted_shift`."""
        z = self.logits(texts, [None] * len(texts), vectors)
        return _sigmoid(z * self.platt[:, 0] + self.platt[:, 1] + (self.pasted_shift or 0.0))

    def presence(
        self, best_segment_prob: np.ndarray, best_by_category: Mapping[str, float] | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(confidence, present, absent) per label (`combine_presence`), from the contract's
        best segment probabilities and, when given, each CUAD category's best sentence."""
        present_at = (
            np.full(len(self.labels), 0.5, dtype=np.float32)
            if self.present_at is None
            else self.present_at
        )
        q = self.presence_probability(best_segment_prob)
        sent = (
            self.sentence.best(best_by_category)
            if self.sentence is not None and best_by_category is not None
            else None
        )
        return combine_presence(q, present_at, self.absent_below, self.sentence, sent)

    def presence_probability(self, best_segment_prob: np.ndarray) -> np.ndarray:
        """P(the contract has the label | its best segment's calibrated probability)."""
        z = _logit(best_segment_prob)
        return _sigmoid(z * self.presence_platt[:, 0] + self.presence_platt[:, 1])

    def guess(self, probs: np.ndarray, known: set[str] | None = None) -> TypeGuess:
        """Decide a pasted text's library type from its probabilities, or say why not."""
        return decide_type(probs, self.library_types, known)

    # -- persistence

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        vocab = sorted(self.vectorizer.vocabulary_.items(), key=lambda kv: kv[1])
        arrays: dict[str, Any] = {
            "labels": np.array(json.dumps(self.labels)),
            "library_types": np.array(json.dumps(self.library_types)),
            "vocabulary": np.array(json.dumps([w for w, _ in vocab])),
            "idf": self.vectorizer.idf_.astype(np.float32),
            "w_text": self.head.w_text.astype(np.float16),
            "w_emb": self.head.w_emb.astype(np.float32),
            "w_has": self.head.w_has.astype(np.float32),
            "bias": self.head.bias.astype(np.float32),
            "platt": self.platt.astype(np.float32),
            "presence_platt": self.presence_platt.astype(np.float32),
            "absent_below": self.absent_below.astype(np.float32),
        }
        if self.present_at is not None:
            arrays["present_at"] = self.present_at.astype(np.float32)
        if self.sentence is not None:
            arrays["sent_sources"] = np.array(json.dumps(self.sentence.sources))
            arrays["sent_platt"] = self.sentence.platt.astype(np.float32)
            arrays["sent_present_at"] = self.sentence.present_at.astype(np.float32)
            arrays["sent_absent_below"] = self.sentence.absent_below.astype(np.float32)
        if self.pasted_shift is not None:
            arrays["pasted_shift"] = np.array(self.pasted_shift, dtype=np.float32)
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: Path = DEFAULT_TYPE_MODEL) -> TypeModel:
        if not path.exists():
            raise FileNotFoundError(f"no clause-type model at {path}; run `clausewise train`")
        d = np.load(path)
        words = json.loads(str(d["vocabulary"]))
        vec = _vectorizer({w: i for i, w in enumerate(words)})
        vec.idf_ = d["idf"]
        w_emb = d["w_emb"].astype(np.float32)
        return cls(
            labels=json.loads(str(d["labels"])),
            library_types=json.loads(str(d["library_types"])),
            vectorizer=vec,
            head=Head(d["w_text"].astype(np.float32), w_emb, d["w_has"], d["bias"]),
            platt=d["platt"],
            presence_platt=d["presence_platt"],
            absent_below=d["absent_below"],
            dim=w_emb.shape[0],
            present_at=d.get("present_at"),
            sentence=SentencePresence(
                json.loads(str(d["sent_sources"])),
                d["sent_platt"],
                d["sent_present_at"],
                d["sent_absent_below"],
            )
            if "sent_sources" in d
            else None,
            pasted_shift=float(d["pasted_shift"]) if "pasted_shift" in d else None,
        )


_loaded: TypeModel | None = None


def default_type_model() -> TypeModel:
    """The shipped model, loaded once per process."""
    global _loaded
    if _loaded is None:
        _loaded = TypeModel.load()
    return _loaded


def text_vector(embedder: EmbedderLike, text: str) -> np.ndarray:
    """A pasted text's vector as a segment's: the normalised mean of its windows."""
    pieces = embedder.split(text)
    v = embedder.embed([p.text for p in pieces]).mean(axis=0)
    return (v / (float(np.linalg.norm(v)) or 1.0)).astype(np.float32)


def type_text(
    text: str,
    *,
    model: TypeModel | None = None,
    embedder: EmbedderLike | None = None,
    known: set[str] | None = None,
) -> TypeGuess:
    """The library type of a pasted clause or passage, "uncertain" with the closest types when
    the model is not sure, "no_clause" when nothing in it reads as a clause. `known` limits
    the answer to the types the caller's library has."""
    if not text.strip():
        raise ValueError("empty text has no clause type")
    m = model or default_type_model()
    vec = text_vector(embedder, text)[None, :] if embedder is not None else None
    probs = m.predict_pasted([text], vec)[0]
    return m.guess(probs, known)
