"""What the fact detectors share: the registry, the document view and the building blocks.

`FACTS` maps a fact name to its detector; `_Doc` is the text with the pipeline's `Analysis`
and lookups over both; `_cuad_flag` turns a CUAD category into a fact with the cues and
thresholds of `review.facts.cuad_table` (which fills `_CUAD` when the package is imported).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from extraction.pipeline import Analysis, ClauseHit
from extraction.terms import DUR, ROLE_WORDS, parse_duration
from extraction.types import Term
from review.types import Fact

Side = Literal["vendor", "customer", "both"]
Detector = Callable[["_Doc"], Fact]
FACTS: dict[str, Detector] = {}  # fact name (without "term.") -> detector


def fact(name: str) -> Callable[[Detector], Detector]:
    """Register a detector for `term.<name>`."""

    def register(fn: Detector) -> Detector:
        if name in FACTS:
            raise ValueError(f"fact {name!r} registered twice")
        FACTS[name] = fn
        return fn

    return register


def compute_facts(text: str, analysis: Analysis) -> dict[str, Fact]:
    """Every registered fact as `{"term.<name>": Fact}`; offsets index `text`."""
    doc = _Doc(text, analysis)
    return {f"term.{name}": detect(doc) for name, detect in FACTS.items()}


# ---------------------------------------------------------------------------------------------
# The document view the detectors share
# ---------------------------------------------------------------------------------------------

_VENDOR_ROLES = {
    "vendor", "supplier", "licensor", "consultant", "developer", "contractor", "seller",
    "manufacturer", "provider", "service provider", "publisher", "sub-adviser", "adviser",
}  # fmt: skip
_CUSTOMER_ROLES = {
    "customer", "client", "buyer", "purchaser", "subscriber", "licensee", "distributor",
    "reseller", "franchisee", "sublicensee",
}  # fmt: skip
_BOTH = re.compile(
    r"\b(?:either|each|neither|both|any|a)\s+part(?:y|ies)\b|\bthe\s+parties\b|\bparties\b", re.I
)


@dataclass
class _Doc:
    text: str
    analysis: Analysis
    _sent_starts: list[int] = field(init=False)
    memo: dict[str, Any] = field(init=False, default_factory=dict)  # detectors' shared results

    def __post_init__(self) -> None:
        self._sent_starts = [s.start for s in self.analysis.sentences]

    # --- sentences and classifier hits -------------------------------------------------------

    def sentence_at(self, pos: int) -> tuple[int, int]:
        """The pipeline sentence holding `pos` (the text around it if none does)."""
        i = bisect.bisect_right(self._sent_starts, pos) - 1
        if i >= 0:
            s = self.analysis.sentences[i]
            if s.start <= pos < s.end:
                return s.start, s.end
        lo = max(self.text.rfind(".", 0, pos) + 1, pos - 400, 0)
        hi = self.text.find(".", pos)
        return lo, min(len(self.text), hi + 1 if hi >= 0 else len(self.text), pos + 400)

    def section_of(self, pos: int) -> tuple[int, int]:
        """The span of the pipeline segment holding `pos` (its sentence if none does)."""
        i = bisect.bisect_right(self._sent_starts, pos) - 1
        if i >= 0 and self.analysis.sentences[i].start <= pos < self.analysis.sentences[i].end:
            seg = self.analysis.segments[self.analysis.sentences[i].segment]
            return seg.start, seg.end
        return self.sentence_at(pos)

    def sentences_with(self, pattern: re.Pattern[str]) -> Iterator[tuple[int, int, re.Match[str]]]:
        """(sentence start, end, first match) for each sentence with a match, in order."""
        last = -1
        for m in pattern.finditer(self.text):
            s, e = self.sentence_at(m.start())
            if s != last:
                last = s
                yield s, e, m

    @cached_property
    def _hits(self) -> dict[str, list[ClauseHit]]:
        by: dict[str, list[ClauseHit]] = {}
        for h in self.analysis.clauses:
            by.setdefault(h.category, []).append(h)
        for hs in by.values():
            hs.sort(key=lambda h: -h.score)
        return by

    def hits(self, category: str, threshold: float = 0.0) -> list[ClauseHit]:
        """The category's sentence hits scoring >= threshold, best first."""
        return [h for h in self._hits.get(category, []) if h.score >= threshold]

    def best(self, category: str) -> float:
        hs = self._hits.get(category)
        return hs[0].score if hs else 0.0

    # --- extracted terms ---------------------------------------------------------------------

    def term(self, name: str) -> Term | None:
        return next((t for t in self.analysis.terms if t.name == name), None)

    # --- parties -----------------------------------------------------------------------------

    @cached_property
    def _names(self) -> dict[str, Side]:
        """Lower-cased party words and defined names -> side."""
        names: dict[str, Side] = {}
        for word, role in ROLE_WORDS.items():
            if role in _VENDOR_ROLES:
                names[word] = "vendor"
            elif role in _CUSTOMER_ROLES:
                names[word] = "customer"
        for t in self.analysis.terms:
            if t.name != "parties" or not isinstance(t.value, dict):
                continue
            party_role = t.value.get("role")
            side: Side | None = (
                "vendor"
                if party_role in _VENDOR_ROLES
                else "customer"
                if party_role in _CUSTOMER_ROLES
                else None
            )
            if side is None:
                continue
            for n in (t.value.get("alias"), t.value.get("name")):
                if n and len(str(n)) > 1:
                    names[str(n).lower()] = side
        return names

    @cached_property
    def _party_re(self) -> re.Pattern[str]:
        words = sorted(self._names, key=len, reverse=True)
        alt = "|".join(re.escape(w) for w in words)
        # defined party words are capitalised ("Customer"); "either party" may not be
        return re.compile(
            rf"\b(?:(?i:(?:either|each|neither|both|any|a)\s+part(?:y|ies))|(?i:the\s+parties)"
            rf"|(?=(?-i:[A-Z]))(?i:{alt}))\b"
        )

    def side_of(self, who: str) -> Side | None:
        w = re.sub(r"^the\s+|['’]s$", "", who.strip(), flags=re.I).lower()
        if _BOTH.fullmatch(w) or _BOTH.fullmatch(who.strip()):
            return "both"
        return self._names.get(w)

    def parties_in(self, start: int, end: int) -> list[tuple[int, int, Side]]:
        """Party mentions in text[start:end] with their side."""
        out: list[tuple[int, int, Side]] = []
        for m in self._party_re.finditer(self.text, start, end):
            side = self.side_of(m.group(0))
            if side is not None:
                out.append((m.start(), m.end(), side))
        return out

    def first_party(self, start: int, end: int) -> Side | None:
        """The side of the first party named in text[start:end] (a sentence's subject)."""
        found = self.parties_in(start, end)
        return found[0][2] if found else None

    def subject(self, start: int, pos: int) -> Side | None:
        """The side of the last party named in text[start:pos] (the actor of a verb at pos)."""
        found = self.parties_in(start, pos)
        return found[-1][2] if found else None


# ---------------------------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------------------------


def _absent(source: str, confidence: float = 0.7) -> Fact:
    return Fact(value=False, confidence=round(min(max(confidence, 0.0), 1.0), 4), source=source)


def _unknown(source: str) -> Fact:
    return Fact(value=None, confidence=0.0, source=source)


def _on(value: Any, span: tuple[int, int], confidence: float, source: str) -> Fact:
    return Fact(
        value=value,
        start=span[0],
        end=span[1],
        confidence=round(min(max(confidence, 0.0), 1.0), 4),
        source=source,
    )


@dataclass(frozen=True)
class _Cuad:
    """How a CUAD category becomes a document-level flag. Present when (a) a sentence scores
    >= `alone` on the classifier, (b) a sentence with the topical `cue` scores >= `cued`, or
    (c) a sentence with the unambiguous `strong` wording scores >= `lexical` (0: the wording
    alone suffices) and also holding `strong_with` when set. The thresholds are constants
    chosen on CUAD cross-validation (`evals/review_cuad.py`); 2.0 switches a path off."""

    cue: re.Pattern[str]
    strong: re.Pattern[str] | None = None
    strong_with: re.Pattern[str] | None = None  # a second cue the strong sentence needs
    veto: re.Pattern[str] | None = None  # sentences with it never count (negations)
    alone: float = 2.0
    cued: float = 0.5
    lexical: float = 2.0


# A title commits no one: a few words with no verb of obligation ("Competing Products.").
_COMMITS = re.compile(r"\b(?:shall|will|may|must|agrees?|undertakes?|is|are|be|not|no)\b", re.I)


def _title_only(sentence: str) -> bool:
    return len(re.findall(r"[A-Za-z]+", sentence)) <= 6 and not _COMMITS.search(sentence)


def _cuad_signal(
    doc: _Doc, category: str, keep: Callable[[int, int], bool] | None = None
) -> tuple[tuple[int, int], float, str] | None:
    """The best evidence that `category` is present: (span, confidence, path) or None.
    `keep`: a detector's own test of a sentence (who is bound, what is carved out)."""
    spec = _CUAD[category]
    text = doc.text

    def ok(s: int, e: int) -> bool:
        if _title_only(text[s:e]):
            return False  # "Competing Products." names a subject; it binds no one
        if keep is not None and not keep(s, e):
            return False
        return spec.veto is None or not spec.veto.search(text, s, e)

    def worded(s: int, e: int) -> bool:
        return (
            spec.strong is not None
            and spec.lexical <= 1.0
            and spec.strong.search(text, s, e) is not None
            and (spec.strong_with is None or spec.strong_with.search(text, s, e) is not None)
        )

    for h in doc.hits(category, min(spec.cued, spec.alone)):
        if h.score >= spec.cued and spec.cue.search(text, h.start, h.end) and ok(h.start, h.end):
            # The unambiguous wording in the same sentence makes it more than the
            # classifier's guess ("at least as favourable as ... any other customer").
            conf = max(h.score, 0.6) if worded(h.start, h.end) else h.score
            return (h.start, h.end), conf, "classifier+cue"
        if h.score >= spec.alone and ok(h.start, h.end):
            return (h.start, h.end), h.score, "classifier"
    if spec.strong is not None and spec.lexical <= 1.0:
        scores = {h.start: h.score for h in doc.hits(category)}
        for s, e, _m in doc.sentences_with(spec.strong):
            score = scores.get(s, 0.0)
            if score < spec.lexical or not ok(s, e):
                continue
            if spec.strong_with is None or spec.strong_with.search(text, s, e):
                return (s, e), max(score, 0.6), "wording"
    return None


def _cuad_flag(doc: _Doc, category: str, keep: Callable[[int, int], bool] | None = None) -> Fact:
    found = _cuad_signal(doc, category, keep)
    if found is None:
        return _absent(f"classifier:{category}", 1.0 - doc.best(category))
    span, conf, path = found
    return _on(True, span, conf, f"{path}:{category}")


def _lexical_flag(
    doc: _Doc,
    cue: re.Pattern[str],
    source: str,
    *,
    veto: re.Pattern[str] | None = None,
    confidence: float = 0.7,
) -> Fact:
    """True at the first sentence with `cue` and without `veto`."""
    for s, e, _m in doc.sentences_with(cue):
        if veto is None or not veto.search(doc.text, s, e):
            return _on(True, (s, e), confidence, source)
    return _absent(source)


def _term_value(doc: _Doc, name: str, key: str | None = None) -> Fact:
    t = doc.term(name)
    source = f"term:{name}"
    if t is None:
        return _unknown(source)
    value = t.value.get(key) if key and isinstance(t.value, dict) else t.value
    if value is None:
        return _unknown(source)
    return _on(value, (t.start, t.end), t.confidence, source)


def _mutual(doc: _Doc, clause: re.Pattern[str], verb: re.Pattern[str], source: str) -> Fact:
    """For a clause type found by `clause`, whether the obligation in `verb` binds both sides:
    True on "each party shall ..." or both sides as actors; False when only one side is."""
    sides: dict[Side, tuple[int, int]] = {}
    for s, e, _m in doc.sentences_with(clause):
        for vm in verb.finditer(doc.text, s, e):
            side = doc.subject(s, vm.start())
            if side is not None and side not in sides:
                sides[side] = (s, e)
    if not sides:
        return _unknown(source)
    if "both" in sides:
        return _on(True, sides["both"], 0.8, source)
    if "vendor" in sides and "customer" in sides:
        return _on(True, sides["vendor"], 0.75, source)
    only = next(iter(sides.values()))
    return _on(False, only, 0.6, source)


def _days_in(doc: _Doc, start: int, end: int) -> tuple[int, int, int] | None:
    m = _DUR_RE.search(doc.text, start, end)
    if not m:
        return None
    pd = parse_duration(m.group(0))
    if pd is None:
        return None
    amount, unit = pd
    days = round(amount * {"day": 1, "week": 7, "month": 30, "year": 365}[unit])
    return days, m.start(), m.end()


_DUR_RE = re.compile(DUR, re.I)


# category -> how it becomes a flag; filled by `review.facts.cuad_table`
_CUAD: dict[str, _Cuad] = {}
