"""Rule-based structured term extraction from a contract's full text.

`extract_terms(text)` returns one `Term` per extracted value (one per party), each with its
evidence span (`text[start:end] == term.text`, code-point offsets) and a rule confidence.

Modules by subject: `numbers` (numbers, durations), `dateparse` (dates in text), `context`
(spaCy rule pipeline, sentences, the term list), `document`, `parties` (with `names`, what reads
as a legal name, `defined`, header labels and openings without a "between" cue, and
`signatures`, the signature-block readers), `dates` (agreement and
effective dates), `term` (term, renewal, termination for convenience), `law`, `money` (payment,
fees, escalation, liability cap).

The pipeline is a spaCy blank("en") tokenizer with rule components (a PhraseMatcher for
jurisdictions, a Matcher for party role words) built once per process, and regular expressions
for dates, durations and money, where they are clearer than token patterns. spaCy only runs on
short candidate windows (the preamble, governing-law sentences), which keeps a 50 KB contract
well under 50 ms.
"""

from __future__ import annotations

from extraction.terms.context import ROLE_WORDS, _Ctx
from extraction.terms.dateparse import DATE_RE, parse_date
from extraction.terms.dates import _extract_dates
from extraction.terms.document import _extract_document_name
from extraction.terms.law import _extract_governing_law
from extraction.terms.money import _extract_escalation, _extract_liability, _extract_payment
from extraction.terms.numbers import DUR, parse_duration, parse_number
from extraction.terms.parties import _extract_parties
from extraction.terms.term import _extract_term, _extract_tfc
from extraction.types import Term

__all__ = [
    "DATE_RE",
    "DUR",
    "ROLE_WORDS",
    "extract_terms",
    "parse_date",
    "parse_duration",
    "parse_number",
]

# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def extract_terms(text: str, title: str | None = None) -> list[Term]:
    """Extract structured terms (see module docstring) from a contract's full text."""
    if not text or not text.strip():
        return []
    ctx = _Ctx(text)
    _extract_document_name(ctx, title)
    _extract_parties(ctx)
    agreement, effective = _extract_dates(ctx)
    _extract_term(ctx, agreement, effective)
    _extract_tfc(ctx)
    _extract_governing_law(ctx)
    _extract_payment(ctx)
    _extract_escalation(ctx)
    _extract_liability(ctx)
    return ctx.terms
