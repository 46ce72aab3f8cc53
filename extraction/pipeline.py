"""The extraction pipeline, one function from text to structured, evidence-backed data.

Used by the service's workers and by `clausewise extract`, so evaluation measures exactly
what the service does. Small typed steps: segment -> (segment vectors) -> clause types ->
sentences -> sentence scores -> terms.

Clause types of segments and the contract-level present/absent decisions come from the
clause-type model (`extraction.clause_types`). The CUAD sentence classifier
(`extraction.classify`) still gives the sentence-tight spans in `clauses`, whose scores the
review's fact detectors were tuned on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from pydantic import BaseModel, Field

from extraction.classify import ClauseClassifier, default_classifier, unit_text
from extraction.clause_types import SENT_FLOOR, TYPED_AT, TypeModel, default_type_model
from extraction.segment import segment, sentences
from extraction.terms import extract_terms
from extraction.type_vectors import SegmentVectors
from extraction.types import Segment, Sentence, Term

PIPELINE_VERSION = "4"  # 4: more party/date layouts; presence read twice


class ClauseHit(BaseModel):
    """A sentence-tight span predicted to be a clause of `category`."""

    category: str
    start: int
    end: int
    score: float = Field(ge=0, le=1)
    segment: int


class SegmentType(BaseModel):
    type: str
    confidence: float = Field(ge=0, le=1)


class TypePresence(BaseModel):
    """Whether a contract has a clause of one type, decided once for every caller.

    `present` is None when the evidence is not strong enough either way: callers must not
    call such a type missing (nor present). `confidence` is the probability it is present."""

    clause_type: str
    present: bool | None
    confidence: float = Field(ge=0, le=1)
    segments: list[int] = Field(default_factory=list)  # segments typed with it, best first


def presence_of(segment_types: Sequence[Sequence[SegmentType]]) -> dict[str, TypePresence]:
    """Types seen in stored segment types, for contracts processed before the model decided
    presence (no stored decision): present where typed, never "absent"."""
    best: dict[str, list[tuple[float, int]]] = {}
    for k, types in enumerate(segment_types):
        for t in types:
            best.setdefault(t.type, []).append((t.confidence, k))
    out: dict[str, TypePresence] = {}
    for ctype, hits in best.items():
        hits.sort(key=lambda h: -h[0])
        conf = hits[0][0]
        out[ctype] = TypePresence(
            clause_type=ctype,
            present=True if conf >= TYPED_AT else None,
            confidence=conf,
            segments=[k for _, k in hits],
        )
    return out


_NAME_STOP = frozenset({"and", "for", "the", "with", "from", "into", "terms", "clause"})


def heading_names(heading: str, name: str) -> bool:
    """Whether a heading names a clause type called `name`: the name itself at a word start,
    or every content word of one of its "and"-joined parts ("Termination for cause" ->
    "terminat* ... cause"; "Warranties and disclaimer" -> "warrant*" or "disclaim*"). A
    heading that shares one generic word ("Termination", "Environmental Protection") does
    not name the type."""
    h = " ".join(heading.lower().split())
    n = " ".join(name.lower().split())
    if not h or not n:
        return False
    if re.search(rf"\b{re.escape(n)}", h):
        return True
    if len(n.split()) > 3:  # a long alias is a description, not a heading
        return False
    for part in n.split(" and "):
        words = [w[:6] for w in re.findall(r"[a-z]{4,}", part) if w not in _NAME_STOP]
        if words and all(re.search(rf"\b{w}", h) for w in words):
            return True
    return False


def decide_presence(
    model: TypeModel,
    seg_probs: np.ndarray,
    segment_types: Sequence[Sequence[SegmentType]],
    sentence_best: Mapping[str, float] | None = None,
) -> dict[str, TypePresence]:
    """Every label of the model, decided for the whole contract from its best segment and,
    when given, each CUAD category's best sentence score (`best_sentence_scores`)."""
    best = seg_probs.max(axis=0) if len(seg_probs) else np.zeros(len(model.labels))
    q, present, absent = model.presence(best, sentence_best)
    typed: dict[str, list[tuple[float, int]]] = {}
    for k, types in enumerate(segment_types):
        for t in types:
            typed.setdefault(t.type, []).append((t.confidence, k))
    out: dict[str, TypePresence] = {}
    for j, label in enumerate(model.labels):
        conf = float(q[j])
        said = True if present[j] else (False if absent[j] else None)
        hits = sorted(typed.get(label, []), key=lambda h: -h[0])
        out[label] = TypePresence(
            clause_type=label,
            present=said,
            confidence=round(conf, 4),
            segments=[k for _, k in hits],
        )
    return out


class Analysis(BaseModel):
    segments: list[Segment]
    sentences: list[Sentence]
    segment_types: list[list[SegmentType]]  # parallel to segments
    clauses: list[ClauseHit]  # every (sentence, category) scoring >= min_score
    terms: list[Term]
    pipeline_version: str = PIPELINE_VERSION
    # The model's decision per type; None for contracts stored before it existed.
    presence: dict[str, TypePresence] | None = None
    # Window vectors of the segments, when an embedder gave them (the archive stores them).
    vectors: SegmentVectors | None = Field(default=None, exclude=True)

    model_config = {"arbitrary_types_allowed": True}

    def presence_for(
        self,
        clause_type: str,
        *,
        names: Sequence[str] = (),
        seen: Sequence[int] = (),
    ) -> TypePresence:
        """The contract-level decision for one type (library or CUAD name). `present` is
        False only when the model is sure the contract lacks it and no other evidence says
        otherwise; a type the model does not know (added to the library later) is never
        called absent.

        Other evidence (each turns a sure "absent" into unsure, never into "present"):
        - `names`: what the type is called (its name, its aliases). A heading that names it
          ("Termination for Breach", "Representations and Warranties"), or a phrase of two
          words or more of them in the text ("material breach"), says the clause may be there
          in words the model does not know.
        - `seen`: segments other readers tie to the type (wording close to approved texts of
          the type, a fact one of its rules tests)."""
        if self.presence is not None and clause_type in self.presence:
            found: TypePresence | None = self.presence[clause_type]
        else:
            found = presence_of(self.segment_types).get(clause_type)
        p = found or TypePresence(clause_type=clause_type, present=None, confidence=0.0)
        if p.present is False and (seen or self._named(names)):
            return p.model_copy(update={"present": None, "segments": sorted(set(seen))})
        return p

    def _named(self, names: Sequence[str]) -> bool:
        """Whether a heading names the type, or a phrase naming it occurs in the text."""
        heads = {(s.heading or "").lower() for s in self.segments}
        heads |= {s.text.lower() for s in self.segments if s.kind == "heading"}
        heads.discard("")
        if any(heading_names(h, n) for h in heads for n in names):
            return True
        phrases = [n.lower() for n in names if len(n.split()) >= 2]
        if not phrases:
            return False
        pat = re.compile(r"\b(?:" + "|".join(re.escape(x) for x in phrases) + r")\b")
        return any(pat.search(" ".join(s.text.lower().split())) for s in self.segments)


def analyze(
    text: str,
    title: str | None = None,
    *,
    classifier: ClauseClassifier | None = None,
    min_score: float = 0.05,
    type_map: Mapping[str, Sequence[str]] | None = None,
    type_model: TypeModel | None = None,
    vectors: SegmentVectors | None = None,
    embed: Callable[[list[Segment]], SegmentVectors] | None = None,
) -> Analysis:
    """`type_map` maps a CUAD category to the company's own clause types (from the library):
    a library type the model does not know (added later) is read from its categories.
    `vectors` (or `embed`, which computes them) give the segments' MiniLM vectors; without
    them the model types from words and headings alone."""
    clf = classifier or default_classifier()
    model = type_model or default_type_model()
    segs = segment(text)
    if vectors is None and embed is not None:
        vectors = embed(segs)
    sents = sentences(text, segs)
    units = [unit_text(text[s.start : s.end], segs[s.segment].heading) for s in sents]
    probs = clf.predict_proba(units)
    top = probs.max(axis=0) if len(units) else np.zeros(len(clf.categories))
    sent_best = {c: float(top[j]) for j, c in enumerate(clf.categories) if top[j] >= SENT_FLOOR}
    seg_types, presence = _type_segments(model, segs, vectors, type_map, sent_best)
    clauses: list[ClauseHit] = []
    for i, s in enumerate(sents):
        row = probs[i]
        for j in np.nonzero(row >= min_score)[0]:
            clauses.append(
                ClauseHit(
                    category=clf.categories[j],
                    start=s.start,
                    end=s.end,
                    score=round(float(row[j]), 4),
                    segment=s.segment,
                )
            )
    return Analysis(
        segments=segs,
        sentences=sents,
        segment_types=seg_types,
        clauses=clauses,
        terms=extract_terms(text, title),
        presence=presence,
        vectors=vectors,
    )


def _type_segments(
    model: TypeModel,
    segs: Sequence[Segment],
    vectors: SegmentVectors | None,
    type_map: Mapping[str, Sequence[str]] | None,
    sent_best: Mapping[str, float] | None = None,
) -> tuple[list[list[SegmentType]], dict[str, TypePresence]]:
    seg_probs = model.predict(
        [s.text for s in segs],
        [s.heading for s in segs],
        vectors.segment_matrix(len(segs)) if vectors is not None else None,
    )
    known = set(model.labels)
    seg_types: list[list[SegmentType]] = []
    for k in range(len(segs)):
        found: dict[str, float] = {}
        for j in np.nonzero(seg_probs[k] >= TYPED_AT)[0]:
            label, conf = model.labels[j], float(seg_probs[k][j])
            found[label] = max(found.get(label, 0.0), conf)
            for own in (type_map or {}).get(label, ()):
                if own not in known:
                    found[own] = max(found.get(own, 0.0), conf)
        seg_types.append(
            [
                SegmentType(type=t, confidence=round(c, 4))
                for t, c in sorted(found.items(), key=lambda kv: -kv[1])
            ]
        )
    return seg_types, decide_presence(model, seg_probs, seg_types, sent_best)


def best_sentence_scores(clauses: Sequence[ClauseHit]) -> dict[str, float]:
    """Each category's best sentence score among an analysis's kept hits (those under
    `SENT_FLOOR` are not kept, and count as the floor)."""
    best: dict[str, float] = {}
    for h in clauses:
        if h.score >= SENT_FLOOR and h.score > best.get(h.category, 0.0):
            best[h.category] = h.score
    return best


def with_vectors(
    analysis: Analysis,
    vectors: SegmentVectors,
    *,
    type_map: Mapping[str, Sequence[str]] | None = None,
    type_model: TypeModel | None = None,
) -> Analysis:
    """The analysis typed again with its segments' MiniLM vectors. Workers parse in a child
    process without the model's embedder, then embed the segments for the archive: the same
    vectors then type the segments, so nothing is embedded twice."""
    model = type_model or default_type_model()
    seg_types, presence = _type_segments(
        model, analysis.segments, vectors, type_map, best_sentence_scores(analysis.clauses)
    )
    return analysis.model_copy(
        update={"segment_types": seg_types, "presence": presence, "vectors": vectors}
    )
