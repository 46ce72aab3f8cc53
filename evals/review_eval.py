"""Review quality on contracts assembled from the library itself.

Three measures, all generated from the library files (nothing hand-labelled, nothing read
from answers at review time):

1. a contract of standard language only (numbered run-in headings, and capitalised headings on
   their own lines): every flag is a false flag;
2. one contract per fallback position (that fallback in place of its type's standard): the
   review must give exactly one flag, on that type, carrying the fallback's approvers;
3. perturbations of each type's standard language (numbers moved outside every approved
   range, obligations flipped, carve-outs deleted, jurisdictions changed, sentences added or
   removed, a parameter named twice changed in its first place only): detection is a flag on
   the perturbed type; false positives are flags on the
   untouched types of the same contract.

Targets: zero false flags on standard language; detection >= 95% with <= 2% of untouched
clauses flagged.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from pydantic import BaseModel

from clause_index import render
from clause_index.schema import ParamKind
from extraction import analyze
from review.engine import LibrarySnapshot, Reviewer, TypeInfo
from review.facts import compute_facts
from review.library import clauses_from_files

TARGET_DETECTION = 0.95
TARGET_FALSE_POSITIVE = 0.02

_ADDED = (
    "Customer may withhold any amount due under this Agreement at its sole discretion.",
    "Vendor will have no obligation under this Section if Customer is in breach of any term.",
    "This Section survives any termination and may not be changed without Customer's consent.",
)
_OFF_LIST = ("Texas", "Nevada", "Ontario", "Singapore")


def assemble(types: dict[str, TypeInfo], texts: dict[str, str]) -> str:
    parts = ["MASTER SUBSCRIPTION AGREEMENT", "This Agreement is between Vendor and Customer."]
    for i, t in enumerate(sorted(texts), 1):
        parts.append(f"{i}. {types[t].name}. {texts[t]}")
    return "\n\n".join(parts)


def standard_texts(types: dict[str, TypeInfo]) -> dict[str, str]:
    out = {}
    for t, info in types.items():
        std = info.positions[0]
        out[t] = render(std.template, std.parameters)
    return out


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;])\s+(?=[A-Z])", text) if s.strip()]


def perturbations(info: TypeInfo) -> Iterator[tuple[str, str]]:
    """(kind, perturbed text) pairs for one type's standard language."""
    std = info.positions[0]
    base = render(std.template, std.parameters)
    for name, spec in std.parameters.items():
        if f"{{{{{name}}}}}" not in std.template.replace("{{ ", "{{").replace(" }}", "}}"):
            continue
        if spec.kind is ParamKind.jurisdiction:
            allowed = {a.lower() for a in (spec.allowed or [str(spec.default)])}
            for p in info.positions:
                allowed |= {a.lower() for a in (p.parameters[name].allowed or [])}
            off = next(j for j in _OFF_LIST if j.lower() not in allowed)
            yield "jurisdiction", render(std.template, std.parameters, {name: off})
        elif spec.kind is not ParamKind.text:
            highs = [p.parameters[name].max for p in info.positions if name in p.parameters]
            lows = [p.parameters[name].min for p in info.positions if name in p.parameters]
            if all(h is not None for h in highs) and highs:
                hi = max(h for h in highs if h is not None)
                yield "number_above", render(std.template, std.parameters, {name: hi * 2 + 1})
            if all(lo is not None for lo in lows) and lows:
                lo = min(x for x in lows if x is not None)
                if lo > 0:
                    value = lo / 2 if spec.kind in (ParamKind.percent, ParamKind.multiple) else 0
                    yield "number_below", render(std.template, std.parameters, {name: value})
    # A parameter the clause names in two places, changed in the first place only.
    for name, spec in std.parameters.items():
        marks = list(re.finditer(r"\{\{\s*" + re.escape(name) + r"\s*\}\}", std.template))
        if len(marks) < 2 or spec.kind in (ParamKind.jurisdiction, ParamKind.text):
            continue
        highs = [p.parameters[name].max for p in info.positions if name in p.parameters]
        if not highs or any(h is None for h in highs):
            continue
        hi = max(h for h in highs if h is not None)
        first = marks[0]
        once = std.template[: first.start()] + str(int(hi * 12)) + std.template[first.end() :]
        yield "repeated_parameter", render(once, std.parameters)
    flips = [(" will not ", " will "), (" will ", " will not "), (" may ", " may not ")]
    flips += [(" must ", " need not "), (" shall ", " shall not ")]
    for old, new in flips:
        if old in base:
            yield "obligation_flipped", base.replace(old, new, 1)
            break
    carve = re.search(
        r"(?:[Ee]xcept (?:for|as)|unless|provided that|other than)[^.;]*?[,;]\s*", base
    )
    if carve:
        yield "carve_out_deleted", base[: carve.start()] + base[carve.end() :]
    cap = re.search(r",?\s*(?:up to|not to exceed|capped at|limited to)[^,.;]*", base)
    if cap:
        yield "cap_deleted", base[: cap.start()] + base[cap.end() :]
    sents = _sentences(base)
    yield "sentence_added", base + " " + _ADDED[len(base) % len(_ADDED)]
    if len(sents) > 1:
        yield "sentence_removed", " ".join(sents[:-1])


class KindFigure(BaseModel):
    kind: str
    cases: int
    detected: int

    @property
    def rate(self) -> float:
        return self.detected / self.cases if self.cases else 0.0


class ReviewReport(BaseModel):
    standard_flags: int
    standard_flag_ids: list[str]
    fallbacks: int
    fallbacks_exact: int
    fallback_misses: list[str]
    perturbations: int
    detected: int
    untouched: int
    untouched_flagged: int
    by_kind: list[KindFigure]
    misses: list[str]
    review_ms_p50: float

    @property
    def detection(self) -> float:
        return self.detected / self.perturbations if self.perturbations else 0.0

    @property
    def false_positive_rate(self) -> float:
        return self.untouched_flagged / self.untouched if self.untouched else 0.0

    def render(self) -> str:
        lines = [
            f"standard-only contract: {self.standard_flags} flags (target 0)"
            + (f" {self.standard_flag_ids}" if self.standard_flag_ids else ""),
            f"fallback contracts: {self.fallbacks_exact}/{self.fallbacks} with exactly the "
            "fallback's approval flag",
            f"perturbations detected on the right clause: {self.detected}/{self.perturbations} "
            f"= {self.detection:.1%} (target {TARGET_DETECTION:.0%})",
            f"untouched clauses flagged: {self.untouched_flagged}/{self.untouched} = "
            f"{self.false_positive_rate:.2%} (target <= {TARGET_FALSE_POSITIVE:.0%})",
            f"review time per contract p50: {self.review_ms_p50:.0f} ms",
            "by kind:",
        ]
        lines += [f"  {k.kind:20s} {k.detected}/{k.cases} = {k.rate:.1%}" for k in self.by_kind]
        if self.fallback_misses:
            lines.append("fallback misses: " + "; ".join(self.fallback_misses[:10]))
        if self.misses:
            lines.append("missed perturbations (first 15): " + "; ".join(self.misses[:15]))
        return "\n".join(lines)


def run_review_eval(
    library_dir: Path | None = None, progress: Callable[[int, int], None] | None = None
) -> ReviewReport:
    snap = LibrarySnapshot.build(clauses_from_files(library_dir))
    reviewer = Reviewer(snap)
    types = snap.types
    std = standard_texts(types)
    times: list[float] = []

    def review(texts: dict[str, str]) -> list[tuple[str, str]]:
        doc = assemble(types, texts)
        analysis = analyze(doc)
        t0 = time.perf_counter()
        out = reviewer.review(doc, analysis, compute_facts(doc, analysis))
        times.append((time.perf_counter() - t0) * 1000)
        return [(f.clause_type, f.rule_id) for f in out.flags]

    standard = review(std)
    # The same language under capitalised headings on their own lines, as many contracts
    # set them out ("26. 99.5% AVAILABILITY WITH CAPPED SERVICE CREDITS").
    caps = "\n\n".join(
        ["MASTER SUBSCRIPTION AGREEMENT", "This Agreement is between Vendor and Customer."]
        + [
            f"{i}. {types[t].positions[0].title.upper()}\n{std[t]}"
            for i, t in enumerate(sorted(std), 1)
        ]
    )
    analysis_c = analyze(caps)
    standard += [
        (f.clause_type, f.rule_id)
        for f in reviewer.review(caps, analysis_c, compute_facts(caps, analysis_c)).flags
    ]
    fallbacks = exact = 0
    fb_misses: list[str] = []
    for t, info in sorted(types.items()):
        for pos in info.positions[1:]:
            fallbacks += 1
            flags = review(std | {t: render(pos.template, pos.parameters)})
            ok = flags == [(t, f"{t}.fallback")]
            exact += ok
            if not ok:
                fb_misses.append(f"{pos.id}: {flags}")
    cases = [
        (t, kind, txt) for t, info in sorted(types.items()) for kind, txt in perturbations(info)
    ]
    detected = untouched_flagged = untouched = 0
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: list[str] = []
    for n, (t, kind, txt) in enumerate(cases):
        flags = review(std | {t: txt})
        hit = any(ft == t for ft, _ in flags)
        detected += hit
        by_kind[kind][0] += 1
        by_kind[kind][1] += hit
        if not hit:
            misses.append(f"{t}/{kind}")
        others = {ft for ft, _ in flags if ft != t}
        untouched += len(types) - 1
        untouched_flagged += len(others)
        if progress:
            progress(n + 1, len(cases))
    times.sort()
    return ReviewReport(
        standard_flags=len(standard),
        standard_flag_ids=[r for _, r in standard],
        fallbacks=fallbacks,
        fallbacks_exact=exact,
        fallback_misses=fb_misses,
        perturbations=len(cases),
        detected=detected,
        untouched=untouched,
        untouched_flagged=untouched_flagged,
        by_kind=[KindFigure(kind=k, cases=v[0], detected=v[1]) for k, v in sorted(by_kind.items())],
        misses=misses,
        review_ms_p50=times[len(times) // 2] if times else 0.0,
    )


def count_kinds(library_dir: Path | None = None) -> Counter[str]:
    snap = LibrarySnapshot.build(clauses_from_files(library_dir))
    return Counter(k for info in snap.types.values() for k, _ in perturbations(info))
