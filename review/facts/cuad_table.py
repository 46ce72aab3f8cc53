"""The CUAD-backed flags' cues and thresholds: how each CUAD category the detectors read
becomes a fact (`base._cuad_flag`). It uses the families' cue patterns, so it lives apart
from them and is loaded after them."""

from __future__ import annotations

import re

from review.facts.base import (
    _CUAD,
    _Cuad,
)
from review.facts.commercial import _AUTO_RENEW_CUE, _LD_CUE, _LIAB, _UNCAPPED_CUE, _UNCAPPED_STRONG
from review.facts.covenants import (
    _ASSIGN,
    _EXCL_CUE,
    _EXCL_VETO,
    _MFN_CUE,
    _MFN_STRONG,
    _MFN_VETO,
    _MFN_WITH,
    _NONCOMPETE_CUE,
    _SOLICIT_CUSTOMERS,
)
from review.facts.obligations import _AUDIT_CUE

# ---------------------------------------------------------------------------------------------
# CUAD-backed flags: cues and thresholds
# ---------------------------------------------------------------------------------------------


def _both(a: str, b: str) -> re.Pattern[str]:
    """`a` and `b` in the same sentence, in either order."""
    return re.compile(rf"(?:{a})[^.]*?(?:{b})|(?:{b})[^.]*?(?:{a})", re.I)


# Thresholds: for each category the (alone, cued, lexical) triple with the best F1 over the
# dev split's 5-fold CV (`clausewise eval review`), or the best recall at precision >= 0.90
# where recall >= 0.85 is reachable too. They were picked on all folds' predictions, so the
# eval's figures are slightly optimistic: picked inside the training folds instead, recall
# drops by up to 0.14 (liquidated damages, non-compete, change of control) and MFN's
# precision to 0.50; cap, anti-assignment and renewal are unchanged within 0.03.
# Termination for convenience and change of control have their own detectors above (a right
# without cause; an event with a consequence); MFN's wording path needs a comparison against
# a class of others in the same sentence (`strong_with`), and never a right of first refusal.
CUAD_FLAGS: dict[str, _Cuad] = {
    "Cap On Liability": _Cuad(
        cue=re.compile(rf"\b{_LIAB}|\bexceed|\blimit|\bremed|\brecover", re.I),
        strong=re.compile(
            r"\blimitation\s+of\s+liability\b|\bin\s+no\s+event\b[^.]*\bliab|\baggregate\s+"
            r"liability\b|\bconsequential\s+damages\b",
            re.I,
        ),
        alone=0.5,
        cued=0.2,
        lexical=0.05,
    ),
    "Uncapped Liability": _Cuad(
        cue=_UNCAPPED_CUE, strong=_UNCAPPED_STRONG, alone=0.6, cued=0.2, lexical=0.2
    ),
    "Most Favored Nation": _Cuad(
        cue=_MFN_CUE,
        strong=_MFN_STRONG,
        strong_with=_MFN_WITH,
        veto=_MFN_VETO,
        alone=0.5,
        cued=0.4,
        lexical=0.0,
    ),
    "Exclusivity": _Cuad(
        cue=_EXCL_CUE,
        strong=re.compile(
            r"(?<!non-)(?<!non)\bexclusive\s+(?:distributor|right|license|licensee|supplier|basis|"
            r"agent|reseller|dealer|provider|partner|sales)|\bsole\s+and\s+exclusive\s+(?:distributor"
            r"|right|supplier|source|licensee|agent)",
            re.I,
        ),
        veto=_EXCL_VETO,
        alone=0.8,
        cued=0.3,
        lexical=0.1,
    ),
    "Non-Compete": _Cuad(
        cue=_NONCOMPETE_CUE,
        strong=re.compile(
            r"\bnon-?\s?compet\w*|\bnot\s+(?:\w+\s+){0,4}compete\b|\bcompet(?:itive|ing)\s+"
            r"(?:products?|services?|business)",
            re.I,
        ),
        alone=0.8,
        cued=0.5,
        lexical=0.05,
    ),
    "Liquidated Damages": _Cuad(
        cue=_LD_CUE,
        strong=re.compile(r"\bliquidated\s+damages\b", re.I),
        # "No liquidated damages shall apply to ...": a denial, however it is worded
        veto=re.compile(
            r"\bno\s+(?:liquidated\s+damages|penalt(?:y|ies))\b|\bnot\s+(?:be\s+)?(?:a\s+penalty|"
            r"liquidated\s+damages)\b|\bneither\s+party\s+(?:will|shall)\s+(?:be\s+liable\s+to\s+)?"
            r"pay\s+(?:any\s+)?liquidated",
            re.I,
        ),
        alone=0.9,
        cued=0.7,
        lexical=0.0,
    ),
    "Anti-Assignment": _Cuad(
        cue=_ASSIGN,
        strong=_both(
            r"\bassign\w*|\btransfer\w*",
            r"\bconsent\b|\bapproval\b|\bnot\b|\bneither\b|\bvoid\b|\bprohibit",
        ),
        alone=0.9,
        cued=0.1,
        lexical=0.2,
    ),
    "Renewal Term": _Cuad(
        cue=_both(r"\brenew|\bextend|\bextension", _AUTO_RENEW_CUE.pattern),
        strong=re.compile(
            r"\bautomatic(?:ally)?\s+(?:be\s+)?(?:renew|extend)|\bsuccessive\s+(?:\w+\s+){0,3}"
            r"(?:renewal\s+)?(?:periods?|terms?)|\brenew(?:ed|al)?\s+for\s+(?:an?\s+)?"
            r"(?:additional|successive|further)",
            re.I,
        ),
        alone=0.6,
        cued=0.2,
        lexical=0.2,
    ),
    "No-Solicit Of Customers": _Cuad(cue=_SOLICIT_CUSTOMERS, cued=0.3),
    "Audit Rights": _Cuad(cue=_AUDIT_CUE),
}
_CUAD.update(CUAD_FLAGS)
