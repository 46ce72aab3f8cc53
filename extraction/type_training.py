"""Training and cross-validating the clause-type model on a CUAD-layout folder.

`examples()` turns the dev split and the library into labelled rows (see
`extraction.type_labels` for how labels are made); `cross_validate()` fits one head per fold
of contracts and returns out-of-fold logits; `train_type_model()` calibrates on those and
fits the shipped head on everything. Everything is deterministic: fixed folds (a hash of
the contract id), fixed row order, L-BFGS from a fixed start.

Embeddings of the dev split are cached outside the repository (`type_vectors`); rows whose
vector is not cached (and with no embedder given) are trained without one, as the model is
also used on text for which no vector exists.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from extraction.classify import ClauseClassifier, unit_text
from extraction.clause_types import (
    MAX_CHARS,
    SENT_FLOOR,
    Head,
    SentencePresence,
    TypeModel,
    _logit,
    _sigmoid,
    _vectorizer,
    combine_presence,
    features_text,
    featurize,
    fit_head,
    fit_platt,
    label_best,
)
from extraction.cuad import categories as cuad_categories
from extraction.cuad import (
    contract_ids,
    fold_of,
    read_contract,
    read_labels,
    train_classifier,
    training_units,
)
from extraction.segment import segment, sentences
from extraction.type_labels import LibraryTypes, segment_labels, span_examples
from extraction.type_vectors import EmbedderLike, cached_segment_vectors, default_cache_dir

ABSENT_PRECISION = 0.97  # "absent" must agree with the labels this often, out of fold
PRESENT_CUTS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
SPANS_EMBEDDED_PER_CATEGORY = 30  # pasted-span examples per category given a vector
LIBRARY_WEIGHT = 3.0  # our own texts: few, clean examples
NONE_KEEP = 3  # one unlabelled segment in NONE_KEEP is trained on, weighted NONE_KEEP
PASTED_SHIFTS = tuple(round(0.05 * k, 2) for k in range(81))  # 0 .. 4, the pasted-text shift
PASTED_MIN_SPANS = 20  # fewer pasted-like examples than this: no shift


@dataclass
class Row:
    text: str
    heading: str | None
    labels: set[str]
    group: str  # contract id; "library" for the library's own texts
    kind: str  # segment | span | library
    vector: np.ndarray | None = None
    category: str | None = None  # the CUAD category of a span example


@dataclass
class Dataset:
    rows: list[Row]
    labels: list[str]
    library_types: list[str]
    dim: int = 384
    contracts: list[str] = field(default_factory=list)

    def matrix_y(self) -> np.ndarray:
        pos = {name: j for j, name in enumerate(self.labels)}
        y = np.zeros((len(self.rows), len(self.labels)), dtype=np.float32)
        for i, r in enumerate(self.rows):
            for lab in r.labels:
                if lab in pos:
                    y[i, pos[lab]] = 1.0
        return y

    def embeddings(self) -> tuple[np.ndarray, np.ndarray]:
        emb = np.zeros((len(self.rows), self.dim), dtype=np.float32)
        has = np.zeros(len(self.rows), dtype=np.float32)
        for i, r in enumerate(self.rows):
            if r.vector is not None:
                emb[i] = r.vector
                has[i] = 1.0
        return emb, has

    def weights(self) -> np.ndarray:
        w = [
            LIBRARY_WEIGHT
            if r.kind == "library"
            else float(NONE_KEEP)
            if r.kind == "segment" and not r.labels
            else 1.0
            for r in self.rows
        ]
        return np.array(w, dtype=np.float32)

    def trained_on(self, idx: np.ndarray) -> np.ndarray:
        """Rows of `idx` a head is fitted on: unlabelled segments are many and alike, so a
        fixed third of them stands for all (weighted up to match), which triples the speed."""
        keep = [
            i
            for i in idx
            if self.rows[i].labels
            or self.rows[i].kind != "segment"
            or _stable(f"{self.rows[i].group}:{i}:{self.rows[i].text[:200]}") % NONE_KEEP == 0
        ]
        return np.array(keep, dtype=np.int64)


def _stable(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:12], 16)


def _text_vectors(
    cache_dir: Path, name: str, texts: list[str], embedder: EmbedderLike | None
) -> np.ndarray | None:
    """Vectors of short texts (each its own window-mean), cached by the list's content."""
    key = hashlib.sha256("\n\x00".join(texts).encode()).hexdigest()[:16]
    path = cache_dir / f"{name}.{key}.npy"
    if path.exists():
        return np.load(path).astype(np.float32)
    if embedder is None:
        return None
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    pieces: list[tuple[int, str]] = []
    for i, t in enumerate(texts):
        pieces += [(i, p.text) for p in embedder.split(t)]
    vecs = embedder.embed([p for _, p in pieces]) if pieces else np.zeros((0, embedder.dim))
    for (i, _), v in zip(pieces, vecs, strict=True):
        out[i] += v
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.save(path, out.astype(np.float16))
    return out


def embedded_spans(rows: Sequence[Row]) -> list[int]:
    """The span rows given a vector: a fixed sample per category (all of them would cost an
    hour of CPU for a few points)."""
    by_cat: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        if r.kind == "span" and r.category:
            by_cat.setdefault(r.category, []).append(i)
    chosen: list[int] = []
    for cat in sorted(by_cat):
        idx = sorted(by_cat[cat], key=lambda i: _stable(rows[i].text))
        chosen += idx[:SPANS_EMBEDDED_PER_CATEGORY]
    return sorted(chosen)


def examples(
    cuad_dir: Path,
    library: LibraryTypes,
    ids: list[str] | None = None,
    embedder: EmbedderLike | None = None,
    cache_dir: Path | None = None,
    embed_contracts: bool = True,
    progress: Callable[[int, int], None] | None = None,
    use_vectors: bool = True,
) -> Dataset:
    """Every labelled row of the dev split and the library (`use_vectors=False`: none of
    them with a MiniLM vector, cached or not)."""
    cache = cache_dir or default_cache_dir()
    ids = ids if ids is not None else contract_ids(cuad_dir)
    labels_by_id = read_labels(cuad_dir)
    cats = cuad_categories(cuad_dir)
    rows: list[Row] = []
    for n, cid in enumerate(ids):
        text = read_contract(cuad_dir, cid)
        segs = segment(text)
        sv = (
            cached_segment_vectors(cache, cid, segs, embedder if embed_contracts else None)
            if use_vectors
            else None
        )
        mat = sv.segment_matrix(len(segs)) if sv is not None else None
        cat_labels = labels_by_id[cid]["categories"]
        for k, (seg, lab) in enumerate(
            zip(segs, segment_labels(segs, cat_labels, library), strict=True)
        ):
            rows.append(
                Row(seg.text, seg.heading, lab, cid, "segment", None if mat is None else mat[k])
            )
        for span_text, lab, cat in span_examples(cat_labels, library):
            rows.append(Row(span_text, None, lab, cid, "span", None, cat))
        if progress:
            progress(n + 1, len(ids))
    chosen = embedded_spans(rows)
    vecs = _text_vectors(cache, "spans", [rows[i].text for i in chosen], embedder)
    if vecs is not None and use_vectors:
        for i, v in zip(chosen, vecs, strict=True):
            rows[i].vector = v
    lib_rows = [
        Row(t, None, {ctype}, "library", "library")
        for ctype in library.types
        for t in library.texts.get(ctype, [])
    ]
    lvecs = _text_vectors(cache, "library", [r.text for r in lib_rows], embedder)
    if lvecs is not None and use_vectors:
        for r, v in zip(lib_rows, lvecs, strict=True):
            r.vector = v
    rows += lib_rows
    return Dataset(rows, [*library.types, *cats], list(library.types), contracts=list(ids))


def _fit(ds: Dataset, idx: np.ndarray) -> tuple[TypeModel, np.ndarray]:
    """A head fitted on rows `idx` (uncalibrated), and its vectorizer."""
    idx = ds.trained_on(idx)
    vec = _vectorizer()
    vec.fit([features_text(ds.rows[i].text, ds.rows[i].heading) for i in idx])
    x = featurize(vec, [ds.rows[i].text for i in idx], [ds.rows[i].heading for i in idx])
    emb, has = ds.embeddings()
    y = ds.matrix_y()
    head = fit_head(sparse.csr_matrix(x), emb[idx], has[idx], y[idx], ds.weights()[idx])
    n = len(ds.labels)
    model = TypeModel(
        labels=ds.labels,
        library_types=ds.library_types,
        vectorizer=vec,
        head=head,
        platt=np.tile(np.array([1.0, 0.0], dtype=np.float32), (n, 1)),
        presence_platt=np.tile(np.array([1.0, 0.0], dtype=np.float32), (n, 1)),
        absent_below=np.zeros(n, dtype=np.float32),
        dim=ds.dim,
    )
    return model, idx


def row_logits(model: TypeModel, ds: Dataset, idx: np.ndarray) -> np.ndarray:
    emb, _ = ds.embeddings()
    has_vec = [ds.rows[i].vector is not None for i in idx]
    z = model.logits(
        [ds.rows[i].text for i in idx],
        [ds.rows[i].heading for i in idx],
        np.where(np.array(has_vec)[:, None], emb[idx], 0.0) if len(idx) else None,
    )
    return z


def fold_of_row(ds: Dataset, folds: int) -> np.ndarray:
    """The fold of each row; -1 for the library's rows (always trained on, never scored)."""
    return np.array(
        [-1 if r.group == "library" else fold_of(r.group, folds) for r in ds.rows], dtype=np.int32
    )


def fingerprint(ds: Dataset, folds: int) -> str:
    """What out-of-fold logits depend on: rows, labels, vectors, folds and the head's code."""
    h = hashlib.sha256()
    for r in ds.rows:
        h.update(f"{r.group}|{r.kind}|{r.heading}|{sorted(r.labels)}|{r.text}".encode())
        h.update(b"v" if r.vector is None else r.vector.astype(np.float16).tobytes())
    h.update(f"{ds.labels}|{folds}|{NONE_KEEP}|{LIBRARY_WEIGHT}|{MAX_CHARS}".encode())
    for part in (features_text, featurize, _vectorizer, Head, fit_head, _fit, row_logits):
        h.update(inspect.getsource(part).encode())
    return h.hexdigest()[:16]


def cross_validate(
    ds: Dataset,
    folds: int = 5,
    progress: Callable[[int, int], None] | None = None,
    cache_dir: Path | None = None,
) -> np.ndarray:
    """Out-of-fold logits of every contract row (library rows: zeros). With `cache_dir` they
    are kept there under the data's fingerprint, so `train` and the evals share one run."""
    path = (cache_dir / f"oof.{fingerprint(ds, folds)}.npy") if cache_dir else None
    if path is not None and path.exists():
        return np.load(path)
    oof = _cross_validate(ds, folds, progress)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, oof)
    return oof


def _cross_validate(
    ds: Dataset, folds: int, progress: Callable[[int, int], None] | None
) -> np.ndarray:
    fold = fold_of_row(ds, folds)
    oof = np.zeros((len(ds.rows), len(ds.labels)), dtype=np.float32)
    for k in range(folds):
        train_idx = np.nonzero(fold != k)[0]
        test_idx = np.nonzero(fold == k)[0]
        model, _ = _fit(ds, train_idx)
        oof[test_idx] = row_logits(model, ds, test_idx)
        if progress:
            progress(k + 1, folds)
    return oof


@dataclass
class Calibration:
    """Everything fitted on out-of-fold scores (see `extraction.clause_types`)."""

    platt: np.ndarray  # (labels, 2) segment level
    presence: np.ndarray  # (labels, 2) contract level, over the best segment
    absent: np.ndarray  # (labels,)
    present_at: np.ndarray  # (labels,)
    sentence: SentencePresence | None = None
    pasted_shift: float = 0.0  # `fit_pasted_shift`

    def apply(self, model: TypeModel) -> None:
        model.platt, model.presence_platt = self.platt, self.presence
        model.absent_below, model.present_at = self.absent, self.present_at
        model.sentence = self.sentence
        model.pasted_shift = self.pasted_shift

    def pasted(self, logits: np.ndarray) -> np.ndarray:
        """Probabilities of rows read as pasted text (`TypeModel.predict_pasted`)."""
        return _sigmoid(logits * self.platt[:, 0] + self.platt[:, 1] + self.pasted_shift)

    def decide(
        self, best: np.ndarray, best_sentence: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(contracts, labels): confidence, present, absent (`combine_presence`)."""
        q = _sigmoid(_logit(best) * self.presence[:, 0] + self.presence[:, 1])
        return combine_presence(q, self.present_at, self.absent, self.sentence, best_sentence)


def fit_calibration(
    ds: Dataset, logits: np.ndarray, use: np.ndarray, sentence: SentencePresence | None = None
) -> Calibration:
    """Segment Platt, contract-level presence and its cut-offs from rows `use`; `sentence`
    (`fit_sentence_presence`, fitted on the same contracts) is carried along."""
    y = ds.matrix_y()
    seg = np.array([ds.rows[i].kind == "segment" for i in range(len(ds.rows))]) & use
    n = len(ds.labels)
    platt = np.zeros((n, 2), dtype=np.float32)
    for j in range(n):
        platt[j] = fit_platt(logits[seg, j], y[seg, j])
    probs = 1 / (1 + np.exp(-np.clip(logits * platt[:, 0] + platt[:, 1], -30, 30)))
    best, gold = contract_best(ds, probs, seg)
    presence = np.zeros((n, 2), dtype=np.float32)
    absent = np.zeros(n, dtype=np.float32)
    present_at = np.zeros(n, dtype=np.float32)
    z = _logit(best)
    for j in range(n):
        presence[j] = fit_platt(z[:, j], gold[:, j])
        q = _sigmoid(z[:, j] * presence[j, 0] + presence[j, 1])
        absent[j] = absent_cutoff(q, gold[:, j])
        present_at[j] = present_cutoff(q, gold[:, j])
    shift = fit_pasted_shift(ds, logits, platt, use)
    return Calibration(platt, presence, absent, present_at, sentence, shift)


def fit_pasted_shift(ds: Dataset, logits: np.ndarray, platt: np.ndarray, use: np.ndarray) -> float:
    """The logit shift from a segment's calibration to a pasted text's. Most segments of a
    contract are clauses of no type, while pasted text is nearly always a clause, so the prior
    odds of each type are higher for it. Fitted by log-loss over the library types on the
    gold clause strings of rows `use` whose CUAD category names one library type: text
    without a heading, one clause of a known type each, as a user pastes it."""
    n_lib = len(ds.library_types)
    y = ds.matrix_y()[:, :n_lib]
    spans = use & np.array([r.kind == "span" for r in ds.rows]) & (y.sum(axis=1) == 1)
    if int(spans.sum()) < PASTED_MIN_SPANS:
        return 0.0
    s = (logits[spans, :n_lib] * platt[:n_lib, 0] + platt[:n_lib, 1]).astype(np.float64)
    t = y[spans].astype(np.float64)

    def loss(c: float) -> float:
        return float(np.sum(np.logaddexp(0, s + c) - t * (s + c)))

    return min(PASTED_SHIFTS, key=loss)


def fit_sentence_presence(
    sources: list[list[str]], best: np.ndarray, gold: np.ndarray
) -> SentencePresence:
    """The sentence reading of presence from contracts' best out-of-fold sentence scores per
    label `best` and whether each has the label `gold` (both contracts x labels)."""
    n = len(sources)
    platt = np.tile(np.array([1.0, 0.0], dtype=np.float32), (n, 1))
    present_at = np.full(n, 0.5, dtype=np.float32)
    absent = np.zeros(n, dtype=np.float32)
    z = _logit(best, SENT_FLOOR)
    for j in range(n):
        if not sources[j]:
            continue
        platt[j] = fit_platt(z[:, j], gold[:, j])
        q = _sigmoid(z[:, j] * platt[j, 0] + platt[j, 1])
        absent[j] = absent_cutoff(q, gold[:, j])
        present_at[j] = present_cutoff(q, gold[:, j])
    return SentencePresence([list(c) for c in sources], platt, present_at, absent)


def sentence_presence_data(
    cuad_dir: Path,
    labels: Sequence[str],
    library: LibraryTypes,
    best_by_contract: Mapping[str, Mapping[str, float]],
    ids: Sequence[str],
) -> tuple[np.ndarray, np.ndarray]:
    """(contracts x labels) best sentence scores and gold for contracts `ids`. Gold here is
    what CUAD's labels say: a category is present when it has a gold clause; a library type
    when a category naming it alone is."""
    sources = sentence_sources(labels, library)
    cuad_gold = read_labels(cuad_dir)
    best = np.stack([label_best(sources, best_by_contract[cid]) for cid in ids])
    gold = np.zeros_like(best)
    for i, cid in enumerate(ids):
        has = {c for c, v in cuad_gold[cid]["categories"].items() if v.get("clauses")}
        gold[i] = [float(bool(set(src) & has)) for src in sources]
    return best, gold


def present_cutoff(q: np.ndarray, gold: np.ndarray) -> float:
    """The presence probability from which "present" gives the best F1 (0.5 when the label
    has too few contracts to tell)."""
    if gold.sum() < 5:
        return 0.5
    best_t, best_f1 = 0.5, -1.0
    for t in PRESENT_CUTS:
        said = q >= t
        tp = float((said & (gold > 0)).sum())
        f1 = 2 * tp / (said.sum() + gold.sum())
        if f1 > best_f1 + 1e-9:
            best_t, best_f1 = t, f1
    return best_t


def contract_best_by_group(
    ds: Dataset, probs: np.ndarray, rows: np.ndarray
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """`contract_best`, with the contract id of each row of its arrays."""
    groups = sorted({ds.rows[i].group for i in np.nonzero(rows)[0]})
    best, gold = contract_best(ds, probs, rows)
    return groups, best, gold


def contract_best(
    ds: Dataset, probs: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per contract (of `rows`): each label's best segment probability, and whether the
    labels say the contract has it."""
    y = ds.matrix_y()
    groups = sorted({ds.rows[i].group for i in np.nonzero(rows)[0]})
    at = {g: k for k, g in enumerate(groups)}
    best = np.zeros((len(groups), len(ds.labels)), dtype=np.float32)
    gold = np.zeros_like(best)
    for i in np.nonzero(rows)[0]:
        k = at[ds.rows[i].group]
        best[k] = np.maximum(best[k], probs[i])
        gold[k] = np.maximum(gold[k], y[i])
    return best, gold


def absent_cutoff(q: np.ndarray, gold: np.ndarray) -> float:
    """The largest presence probability under which "absent" is right at least
    ABSENT_PRECISION of the time (0: never say absent)."""
    best = 0.0
    for t in (0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.25, 0.3):
        below = q < t
        if below.sum() < 5:
            continue
        if float((gold[below] == 0).mean()) >= ABSENT_PRECISION:
            best = t
    return best


def train_type_model(
    ds: Dataset,
    folds: int = 5,
    progress: Callable[[int, int], None] | None = None,
    cache_dir: Path | None = None,
    sentence: SentencePresence | None = None,
) -> tuple[TypeModel, np.ndarray]:
    """The shipped model: calibrated on out-of-fold logits, head fitted on every row.
    `sentence` (`fit_sentence_presence`) adds the sentence reading of presence."""
    oof = cross_validate(ds, folds, progress, cache_dir)
    use = fold_of_row(ds, folds) >= 0
    cal = fit_calibration(ds, oof, use, sentence)
    model, _ = _fit(ds, np.arange(len(ds.rows)))
    cal.apply(model)
    return model, oof


def train_pasted_shift(
    ds: Dataset,
    folds: int = 5,
    progress: Callable[[int, int], None] | None = None,
    cache_dir: Path | None = None,
) -> float:
    """The pasted-text shift alone (`clausewise train --what pasted`), fitted on every
    contract's out-of-fold logits as `train_type_model` fits it."""
    oof = cross_validate(ds, folds, progress, cache_dir)
    return fit_calibration(ds, oof, fold_of_row(ds, folds) >= 0).pasted_shift


def sentence_sources(labels: Sequence[str], library: LibraryTypes) -> list[list[str]]:
    """Per label, the CUAD sentence classifier's categories that speak for it: a CUAD
    category itself; for a library type, the categories that name it alone."""
    cats = set(library.cuad_map) | {lab for lab in labels if lab not in library.types}
    out = []
    for lab in labels:
        if lab in library.types:
            out.append(sorted(c for c in cats if library.single_types(c) == [lab]))
        else:
            out.append([lab])
    return out


def sentence_best(classifier: ClauseClassifier, text: str) -> dict[str, float]:
    """Each CUAD category's best sentence score in a contract, as `analyze` scores them."""
    segs = segment(text)
    sents = sentences(text, segs)
    units = [unit_text(text[s.start : s.end], segs[s.segment].heading) for s in sents]
    probs = classifier.predict_proba(units)
    best = probs.max(axis=0) if len(units) else np.zeros(len(classifier.categories))
    return {c: round(float(best[j]), 6) for j, c in enumerate(classifier.categories)}


def sentence_key(cuad_dir: Path, folds: int) -> str:
    """What out-of-fold sentence scores depend on: contracts, labels, folds, the code."""
    h = hashlib.sha256(f"{contract_ids(cuad_dir)}|{folds}".encode())
    h.update((cuad_dir / "labels.jsonl").read_bytes())
    here = Path(__file__).parent
    for name in ("classify.py", "segment.py"):
        h.update((here / name).read_bytes())
    for part in (training_units, train_classifier, sentence_best):
        h.update(inspect.getsource(part).encode())
    return h.hexdigest()[:16]


def oof_sentence_best(
    cuad_dir: Path,
    folds: int = 5,
    cache_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, dict[str, float]]:
    """Per contract, each CUAD category's best sentence score from the sentence classifier
    trained on the other folds (the folds of `eval cuad`). Kept in `cache_dir` under a hash
    of the labels, the folds and the classifier's code."""
    ids = contract_ids(cuad_dir)
    path = (cache_dir / f"sentences.{sentence_key(cuad_dir, folds)}.json") if cache_dir else None
    if path is not None and path.exists():
        return dict(json.loads(path.read_text(encoding="utf-8")))
    out: dict[str, dict[str, float]] = {}
    for k in range(folds):
        clf = train_classifier(cuad_dir, [i for i in ids if fold_of(i, folds) != k])
        for cid in ids:
            if fold_of(cid, folds) == k:
                out[cid] = sentence_best(clf, read_contract(cuad_dir, cid))
        if progress:
            progress(k + 1, folds)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(out, sort_keys=True), encoding="utf-8")
    return out


def train_sentence_presence(
    cuad_dir: Path,
    labels: Sequence[str],
    library: LibraryTypes,
    folds: int = 5,
    cache_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SentencePresence:
    """The sentence reading of presence, fitted on every contract's out-of-fold scores."""
    by_contract = oof_sentence_best(cuad_dir, folds, cache_dir, progress)
    ids = sorted(by_contract)
    best, gold = sentence_presence_data(cuad_dir, labels, library, by_contract, ids)
    return fit_sentence_presence(sentence_sources(labels, library), best, gold)


def outside_fold(folds: int, k: int) -> Callable[[str], bool]:
    """Whether a contract id is outside fold `k` (of `folds`)."""

    def keep(cid: str) -> bool:
        return fold_of(cid, folds) != k

    return keep
