"""How the clause-type model's training labels are made (all at training time, never at run time).

Three sources, each documented in the README ("How labels are made"):

1. **CUAD expert labels.** A segment of a dev-split contract takes a CUAD category when a gold
   clause of that category covers at least half of the segment or the segment holds at least
   half of the clause. The library's `cuad_categories` then give library types, but only where
   a category names exactly one library type (`Uncapped Liability`, `Price Restrictions` and
   `Competitive Restriction Exception` name two each and give none). Each gold clause string is
   also an example on its own, without a heading: that is what a pasted clause looks like.
2. **Weak labels from numbered section headings.** A segment under a numbered heading
   ("8.1 Indemnification", its sub-clauses included) takes every library type whose heading
   pattern below matches the heading. This covers the library types CUAD lacks (payment,
   confidentiality, indemnification, termination for cause, notices, force majeure, ...).
   A heading line alone and a table-of-contents entry are not sections. The patterns are
   ours; `evals/data/heading_label_check.yaml` holds a hand-checked sample of these labels
   (100 read by hand: 62 right, 25 wrong, 10 heading lines alone, 3 contents entries; under
   the shipped rules 81 of them remain labelled: 62 right, 18 wrong, 1 heading line; 22%
   noise).
3. **The library itself.** Every position's text (parameters filled with their defaults) and
   every alias is an example of its type.

Segments with none of these labels are examples of "none of these". That is also noisy: a
clause without a numbered heading and outside CUAD's categories counts as none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from extraction.types import Segment

# Heading patterns per library type, matched against a section heading (case-insensitive).
HEADING_PATTERNS: dict[str, str] = {
    "assignment": r"\bassignment\b(?! of (?:invention|intellectual|ip|rights in))|\bassigns\b"
    r"|\btransfer of (?:the )?agreement",
    "audit_rights": r"\baudit|books and records|\brecords\b|inspection",
    "change_of_control": r"change (?:of|in) control",
    "confidentiality": r"confidential|non-?disclosure|secrecy",
    "data_protection": r"data protection|privacy|personal (?:data|information)|data security"
    r"|protection of (?:customer )?data",
    "dispute_resolution": r"dispute|arbitrat|mediation|jurisdiction|\bvenue\b|equitable relief"
    r"|injunctive|jury",
    "exclusivity": r"exclusiv",
    "fees_and_pricing": r"(?<!attorneys' )(?<!attorney's )(?<!attorneys )\bfees?\b"
    r"|\bpric(?:e|es|ing)\b|compensation|consideration|\bcharges\b",
    "force_majeure": r"force majeure|acts? of god|excused performance|unavoidable delay",
    "governing_law": r"governing law|applicable law|choice of law|governing laws|law and",
    "indemnification": r"indemni|hold harmless",
    "insurance": r"insurance",
    "ip_ownership": r"intellectual property|\bownership\b|proprietary rights|inventions"
    r"|work product|title to",
    "license_grant": r"licen[cs]e(?!e)|grant of rights",
    "limitation_of_liability": r"limitation(?:s)? (?:of|on) (?:liability|damages)"
    r"|limited liability|consequential damages|exclusion of (?:certain )?damages"
    r"|liability (?:cap|limit)|^liability$",
    "liquidated_damages": r"liquidated damages",
    "minimum_commitment": r"minimum (?:purchase|commitment|order|quantit|volume|annual)"
    r"|purchase commitment",
    "most_favored_nation": r"most favou?red",
    "non_compete": r"non-?compet|not to compete|competing (?:products|business)",
    "non_solicitation": r"non-?solicit|solicitation|no hir|hiring of",
    "notices": r"^notices?\b|\bnotices\.?$|notices and|^notice provisions?",
    "payment_terms": r"\bpayments?\b|invoic|billing|terms of payment",
    "post_termination_services": r"transition (?:services|assistance|period)|post-?termination"
    r"|wind[- ]?down",
    "price_escalation": r"price (?:increase|adjustment|escalation|changes)|adjustment of pric"
    r"|changes in pric",
    "publicity": r"publicity|press release|public announcement|use of (?:name|marks|trademarks)",
    "service_levels": r"service levels?|\bsla\b|uptime|availability|service credits",
    "source_code_escrow": r"escrow",
    "term_and_renewal": r"^term\b|\bterm of (?:the |this )?agreement|duration|renewal"
    r"|term and termination|^initial term",
    "termination_for_cause": r"for cause|for breach|upon breach|\bdefault\b|insolvency"
    r"|bankruptcy|termination by (?:either|any) party",
    "termination_for_convenience": r"for convenience|without cause",
    "third_party_beneficiaries": r"third[- ]party beneficiar|no third[- ]party rights",
    # "Representations and warranties" are mostly statements about the company itself.
    "warranties": r"^(?!.*represent).*warrant",
}
_COMPILED = {t: re.compile(p, re.IGNORECASE) for t, p in HEADING_PATTERNS.items()}


def heading_types(heading: str | None) -> list[str]:
    """Library types a section heading names (sorted; empty when it names none)."""
    if not heading:
        return []
    h = " ".join(heading.split())
    return sorted(t for t, rx in _COMPILED.items() if rx.search(h))


def heading_labels(segments: Sequence[Segment]) -> list[list[str]]:
    """Weak labels per segment: only a numbered section's heading counts (a heading line
    alone, or a table of contents entry, is not a section of the contract)."""
    out: list[list[str]] = []
    for s in segments:
        numbered = s.number is not None or s.kind == "section"
        out.append(heading_types(s.heading) if numbered and _has_body(s) else [])
    return out


def _has_body(s: Segment) -> bool:
    """A segment with clause text of its own: not a heading line alone ("8. INDEMNIFICATION")
    nor a table-of-contents entry ("14. Indemnification 50")."""
    if s.kind == "heading":
        return False
    words = s.text.split()
    heading_words = {w.lower() for w in (s.heading or "").split()}
    body = [w for w in words if w.lower().strip(".:;,") not in heading_words]
    return len(" ".join(body)) >= 40


@dataclass
class LibraryTypes:
    """What training needs from the clause library files."""

    types: list[str]
    cuad_map: dict[str, list[str]]  # CUAD category -> library types naming it
    texts: dict[str, list[str]] = field(default_factory=dict)  # type -> positions and aliases

    def single_types(self, category: str) -> list[str]:
        """The library type a CUAD category names, when it names exactly one."""
        found = self.cuad_map.get(category, [])
        return list(found) if len(found) == 1 else []


def _render(template: str, params: Mapping[str, Any]) -> str:
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: str(params.get(m[1], m[1])), template)


def load_library_types(library_dir: Path) -> LibraryTypes:
    """Types, CUAD map, and example texts from the library's YAML files."""
    types: list[str] = []
    cuad: dict[str, list[str]] = {}
    texts: dict[str, list[str]] = {}
    for path in sorted(Path(library_dir).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        t = data["type"]
        types.append(t)
        for cat in data.get("cuad_categories", []) or []:
            cuad.setdefault(cat, []).append(t)
        params = data.get("parameters") or {}
        defaults = {name: (spec or {}).get("default") for name, spec in params.items()}
        examples = [
            _render(str(pos.get("text", "")), defaults)
            for pos in data.get("positions", []) or []
            if pos.get("text")
        ]
        examples += [str(a) for a in data.get("aliases", []) or []]
        texts[t] = examples
    return LibraryTypes(types=types, cuad_map=cuad, texts=texts)


def gold_pieces(clause: Mapping[str, Any]) -> list[tuple[int, int]]:
    """Offsets of a CUAD gold clause (several pieces where the annotators cut text out)."""
    if clause.get("start") is None:
        return []
    if clause.get("segments"):
        return [(s["start"], s["end"]) for s in clause["segments"]]
    return [(clause["start"], clause["end"])]


def cuad_segment_labels(
    segments: Sequence[Segment], categories: Mapping[str, Mapping[str, Any]]
) -> list[set[str]]:
    """CUAD categories per segment, by the half-overlap rule of the module docstring."""
    gold = [
        (cat, a, b)
        for cat, v in categories.items()
        for c in v.get("clauses", [])
        for a, b in gold_pieces(c)
    ]
    out: list[set[str]] = []
    for s in segments:
        lab: set[str] = set()
        for cat, a, b in gold:
            overlap = min(s.end, b) - max(s.start, a)
            if overlap > 0 and (overlap >= 0.5 * (s.end - s.start) or overlap >= 0.5 * (b - a)):
                lab.add(cat)
        out.append(lab)
    return out


def segment_labels(
    segments: Sequence[Segment],
    categories: Mapping[str, Mapping[str, Any]],
    library: LibraryTypes,
) -> list[set[str]]:
    """All labels of every segment: CUAD categories, their single library types, and the
    library types of the segment's numbered heading."""
    cuad = cuad_segment_labels(segments, categories)
    heads = heading_labels(segments)
    out = []
    for cats, head in zip(cuad, heads, strict=True):
        lab = set(cats) | set(head)
        for cat in cats:
            lab.update(library.single_types(cat))
        out.append(lab)
    return out


def span_examples(
    categories: Mapping[str, Mapping[str, Any]], library: LibraryTypes
) -> Iterable[tuple[str, set[str], str]]:
    """Each gold clause string as a pasted example: (text, labels, category)."""
    for cat, v in categories.items():
        for c in v.get("clauses", []):
            text = str(c.get("text") or "").strip()
            if len(text) >= 40:  # names, dates and other short values are not clauses
                yield text, {cat, *library.single_types(cat)}, cat
