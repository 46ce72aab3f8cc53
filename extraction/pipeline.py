"""The extraction pipeline, one function from text to structured, evidence-backed data.

Used by the service's workers and by `clausewise extract`, so evaluation measures exactly
what the service does. Small typed steps: segment -> sentences -> classify -> terms.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from pydantic import BaseModel, Field

from extraction.classify import ClauseClassifier, default_classifier, unit_text
from extraction.segment import segment, sentences
from extraction.terms import extract_terms
from extraction.types import Segment, Sentence, Term

PIPELINE_VERSION = "2"  # 2: more governing-law, date and term wordings
PRESENT = 0.5  # a category is taken as present in a segment at this probability


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


# Provisional cut-offs over the best segment confidence, until a calibrated model decides.
PRESENT_AT = 0.5
ABSENT_BELOW = 0.05


def presence_of(segment_types: Sequence[Sequence[SegmentType]]) -> dict[str, TypePresence]:
    """Every type seen in any segment, with the contract-level decision. A type never seen
    is absent from the mapping: callers treat it as `present=None` unless the model says
    otherwise (see `Analysis.presence_for`)."""
    best: dict[str, list[tuple[float, int]]] = {}
    for k, types in enumerate(segment_types):
        for t in types:
            best.setdefault(t.type, []).append((t.confidence, k))
    out: dict[str, TypePresence] = {}
    for ctype, hits in best.items():
        hits.sort(key=lambda h: -h[0])
        conf = hits[0][0]
        present = True if conf >= PRESENT_AT else (False if conf < ABSENT_BELOW else None)
        out[ctype] = TypePresence(
            clause_type=ctype, present=present, confidence=conf, segments=[k for _, k in hits]
        )
    return out


class Analysis(BaseModel):
    segments: list[Segment]
    sentences: list[Sentence]
    segment_types: list[list[SegmentType]]  # parallel to segments
    clauses: list[ClauseHit]  # every (sentence, category) scoring >= min_score
    terms: list[Term]
    pipeline_version: str = PIPELINE_VERSION

    def presence_for(self, clause_type: str) -> TypePresence:
        """The contract-level decision for one type (library or CUAD name)."""
        found = presence_of(self.segment_types).get(clause_type)
        return found or TypePresence(clause_type=clause_type, present=None, confidence=0.0)


def analyze(
    text: str,
    title: str | None = None,
    *,
    classifier: ClauseClassifier | None = None,
    min_score: float = 0.05,
    type_map: Mapping[str, Sequence[str]] | None = None,
) -> Analysis:
    """`type_map` maps a CUAD category to the company's own clause types (from the library),
    so segments are labelled in both taxonomies."""
    clf = classifier or default_classifier()
    segs = segment(text)
    sents = sentences(text, segs)
    units = [unit_text(text[s.start : s.end], segs[s.segment].heading) for s in sents]
    probs = clf.predict_proba(units)
    clauses: list[ClauseHit] = []
    seg_best = np.zeros((len(segs), len(clf.categories)), dtype=np.float32)
    for i, s in enumerate(sents):
        row = probs[i]
        seg_best[s.segment] = np.maximum(seg_best[s.segment], row)
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
    seg_types: list[list[SegmentType]] = []
    for k in range(len(segs)):
        found: dict[str, float] = {}
        for j in np.nonzero(seg_best[k] >= PRESENT)[0]:
            cat, conf = clf.categories[j], float(seg_best[k][j])
            found[cat] = max(found.get(cat, 0.0), conf)
            for own in (type_map or {}).get(cat, ()):
                found[own] = max(found.get(own, 0.0), conf)
        seg_types.append(
            [
                SegmentType(type=t, confidence=round(c, 4))
                for t, c in sorted(found.items(), key=lambda kv: -kv[1])
            ]
        )
    return Analysis(
        segments=segs,
        sentences=sents,
        segment_types=seg_types,
        clauses=clauses,
        terms=extract_terms(text, title),
    )
