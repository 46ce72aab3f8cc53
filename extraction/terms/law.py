"""Governing law."""

from __future__ import annotations

import re
from collections.abc import Iterator

from extraction.jurisdictions import canonical
from extraction.terms.context import _Ctx, _Pipeline, _pipeline

# ---------------------------------------------------------------------------------------------
# Governing law
# ---------------------------------------------------------------------------------------------

_GOV_SENT = re.compile(
    r"\b(?:govern\w*|construed|interpreted|governing\s+law|applicable\s+law|laws?\s+of\s+the\s+"
    r"(?:State|Province|Commonwealth)|in\s+accordance\s+with\s+the\s+laws?|subject\s+to\s+the\s+"
    r"laws?|choice\s+of\s+law|legislation\s+of|laws?\s+of|application\s+of\s+(?:the\s+)?(?:\w+\s+){0,2}laws?)"
    r"\b",
    re.I,
)
_LAWS_OF = re.compile(r"\b(?:laws?|legislation)\b", re.I)
_VENUE = re.compile(
    r"\b(?:courts?|venue|jurisdiction|arbitration|tribunal|forum|seated|located\s+in|situated)\b",
    re.I,
)


_ADJ_LAW = re.compile(
    r"\b(?P<adj>English|Italian|German|French|Swiss|Dutch|Japanese|Chinese|PRC|Israeli|Indian"
    r"|Spanish|Irish|Scottish|Singapore|Singaporean|Hong\s+Kong|Swedish|Korean|Taiwanese|Canadian"
    r"|Australian|Brazilian|Mexican|Belgian|Austrian|Danish|Norwegian|Finnish|Luxembourg)\s+"
    r"(?:substantive\s+)?[Ll](?:aws?|AWS?)\b"
)
_ADJ_CANON = {
    "english": "England", "italian": "Italy", "german": "Germany", "french": "France",
    "swiss": "Switzerland", "dutch": "Netherlands", "japanese": "Japan", "chinese": "China",
    "prc": "China", "israeli": "Israel", "indian": "India", "spanish": "Spain",
    "irish": "Ireland", "scottish": "Scotland", "singapore": "Singapore",
    "singaporean": "Singapore", "hong kong": "Hong Kong", "swedish": "Sweden",
    "korean": "Korea", "taiwanese": "Taiwan", "canadian": "Canada", "australian": "Australia",
    "brazilian": "Brazil", "mexican": "Mexico", "belgian": "Belgium", "austrian": "Austria",
    "danish": "Denmark", "norwegian": "Norway", "finnish": "Finland",
    "luxembourg": "Luxembourg",
}  # fmt: skip
# "laws of X (a parenthetical) shall govern", "legislation of X shall apply"
_GOV_STRONG = re.compile(
    r"\b(?:governed|construed|governing\s+law|interpreted|controlled|applicable\s+law|(?:laws?"
    r"|legislation)(?:\s+(?:[\w,.]+|\([^()]{0,200}\))){0,8}?\s+(?:shall\s+|will\s+)?(?:apply"
    r"|applies|govern)|subject\s+to\s+the\s+(?:\w+\s+)?laws?|application\s+of\s+(?:the\s+)?"
    r"(?:\w+\s+){0,2}laws?|accordance\s+with\s+(?:the\s+)?(?:\w+\s+)?laws?)\b",
    re.I,
)
_NATIONS = ("United States", "Canada", "Australia", "United Kingdom")
# "<jurisdiction> law" ("in accordance with Ohio law", "New York substantive law")
_LAW_AFTER = re.compile(r"\s*(?:substantive\s+|statutory\s+)?laws?\b", re.I)
# "the laws thereof" / "the laws of such state": the jurisdiction is named earlier in the sentence
_LAWS_THEREOF = re.compile(
    r"\blaws\s+(?:thereof|of\s+(?:such|that|said)\s+(?:state|country))\b", re.I
)
# OCR-glued words ("the laws ofthe State ofTexas"): a direct regex beside the gazetteer
_STATE_OF = re.compile(
    r"\blaws?\s+of\s*(?:the\s*)?(?:State|Commonwealth|Province)\s+of\s*"
    r"(?P<j>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"
)
_INCORPORATION = re.compile(r"\b(?:organized|incorporated|existing|formed|registered)\b", re.I)


def _gov_candidates(pipe: _Pipeline, sent: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical) governing-law jurisdictions in one sentence, in order."""
    cands: list[tuple[int, int, str]] = []
    for am in _ADJ_LAW.finditer(sent):
        canon = _ADJ_CANON[" ".join(am.group("adj").lower().split())]
        cands.append((am.start(), am.end(), canon))
    thereof = _LAWS_THEREOF.search(sent)
    for js, je, canon in pipe.jurisdictions(sent):
        before = sent[max(0, js - 80) : js]
        lm = list(_LAWS_OF.finditer(before))
        law_after = _LAW_AFTER.match(sent, je)
        gap = before[lm[-1].end() :] if lm else ""
        if lm and not _VENUE.search(gap) and not re.search(r"[(;]", gap):
            pass  # "laws of X", not "courts of X"/"jurisdiction of X"
        elif law_after:
            je = law_after.end()
        elif thereof and je <= thereof.start() and not _VENUE.search(before[-40:]):
            pass  # "accepted in the State of Nevada and governed by the laws thereof"
        else:
            continue
        if canon == "England":
            tail = re.match(r"\s*(?:and|&)\s*Wales", sent[je : je + 20])
            if tail:
                canon = "England and Wales"
                je += tail.end()
        cands.append((js, je, canon))
    if not cands:
        for sm in _STATE_OF.finditer(sent):
            for k in (2, 1):
                words = sm.group("j").split()[:k]
                found = canonical(" ".join(words))
                if found:
                    cands.append((sm.start("j"), sm.start("j") + len(" ".join(words)), found))
                    break
    cands.sort()
    return cands


def _gov_sentences(ctx: _Ctx) -> Iterator[tuple[int, int]]:
    """Governing-law sentences; one cut by a page break mid-sentence is joined to the next."""
    text = ctx.text
    for s, e, _m in ctx.find_sents(_GOV_SENT):
        i = ctx.sent_at(s)
        if text[e - 1] not in ".;!?" and i + 1 < len(ctx.sents):
            ns, ne = ctx.sents[i + 1]
            if text[ns : ns + 1].islower() and ns - e < 400:
                e = ne
        yield s, e


def _extract_governing_law(ctx: _Ctx) -> None:
    text = ctx.text
    pipe = _pipeline()
    best: tuple[float, int, list[tuple[int, int, str]]] | None = None
    for s, e in _gov_sentences(ctx):
        sent = text[s:e]
        strong = _GOV_STRONG.search(sent)
        if _INCORPORATION.search(sent) and not re.search(r"\b(?:governed|construed)\b", sent, re.I):
            continue
        if strong:
            score = 0.85
            if re.search(r"\b(?:governed|construed|governing\s+law)\b", sent, re.I):
                score += 0.05
            if re.search(r"\b(?:this|the)\s+(?:Agreement|Contract)\b|\bhereunder\b", sent, re.I):
                score += 0.05
        elif re.search(r"\blaws?\s+of\b", sent, re.I):
            score = 0.5  # fallback: "pursuant to the laws of X" with no governing-law wording
        else:
            continue
        if best is not None and score <= best[0]:
            continue
        cands = _gov_candidates(pipe, sent)
        if not cands:
            continue
        best = (score, s, cands)
        if score >= 0.95:
            break
    if best is None:
        return
    score, sent_s, cands = best
    # every jurisdiction named ("the laws of California and the laws of Hong Kong"); a nation is
    # dropped when a state or province remains ("Ontario and the federal laws of Canada")
    names: list[str] = []
    for _, _, canon in cands:
        if canon not in names:
            names.append(canon)
    narrower = [n for n in names if n not in _NATIONS]
    names = narrower or names
    # "English law (the law of England and Wales)": one jurisdiction named twice, the fuller name
    names = [n for n in names if not any(o != n and o.startswith(n + " ") for o in names)]
    first = next(c for c in cands if c[2] == names[0])
    last = max((c for c in cands if c[2] in names), key=lambda c: c[1])
    js, je = sent_s + first[0], sent_s + last[1]
    # evidence: from "laws of" through the jurisdiction name(s)
    ls = text.rfind("law", max(sent_s, js - 80), js)
    start = ls if ls >= 0 else js
    ctx.add("governing_law", "; ".join(names), start, je, min(score, 0.95))
