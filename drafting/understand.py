"""Understanding a rep's question without an LLM: intent, quantities, jurisdictions, pasted text.

A blank spaCy English pipeline gives tokens; rule components find the quantities (money,
percentages, multiples, durations, counts) and jurisdictions and store them as entities, so
the words around each quantity can tell which parameter it sets ("60 days' notice" vs "net 60").
"""

from __future__ import annotations

import functools
import re
from typing import Any, Literal

from pydantic import BaseModel

from extraction import canonical_jurisdiction, jurisdiction_names, parse_number

Intent = Literal["find_language", "can_i", "draft", "compare", "contract_question"]
QuantityKind = Literal["money", "percent", "multiple", "days", "months", "hours", "count"]


class Quantity(BaseModel):
    kind: QuantityKind
    value: float
    text: str
    start: int
    end: int
    context: list[str]  # lower-case words around it, for assigning it to a parameter
    before: list[str] = []  # the words just before it, nearest first
    after: list[str] = []  # the words just after it, nearest first
    period: bool = False  # a rate's period ("a year", "monthly"), not a duration


class Mention(BaseModel):
    value: str
    text: str
    start: int
    end: int


class Parsed(BaseModel):
    question: str
    intent: Intent
    confident: bool = True
    quantities: list[Quantity]
    jurisdictions: list[Mention]
    pasted: str | None  # customer language pasted into the question, if any
    topic: str  # the question without the pasted text


_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "bn": 1e9}
_NUMW = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|"
    r"twenty|thirty|forty|forty-five|fifty|sixty|ninety|hundred|a)"
)
_NUM = rf"(?:\d+(?:[.,]\d+)*|{_NUMW}(?:[\s-]+{_NUMW})*)"
_PATTERNS: list[tuple[QuantityKind, re.Pattern[str]]] = [
    (
        "count",
        re.compile(
            rf"\b({_NUM})\s+(?:(?:named\s+)?(?:competitors?|reassignments?|audits?)\b|"
            r"times\s+(?=(?:a|per|each)\s+(?:year|month)\b))",
            re.I,
        ),
    ),
    ("months", re.compile(r"\b(?:a|per|each|every)\s+(year|month|quarter)\b", re.I)),
    (
        "money",
        re.compile(
            r"(?:(?:US)?\$|USD\s?|€|EUR\s?|£|GBP\s?)\s?(\d[\d,]*(?:\.\d+)?)\s*"
            r"(k|m|mm|million|thousand|bn)?\b"
            r"|\b(\d[\d,]*(?:\.\d+)?)\s*(k|m|mm|million|bn)\b(?!\s*(?:months?|days?))",
            re.I,
        ),
    ),
    ("percent", re.compile(rf"\b({_NUM})\s*(?:%|percent\b|pct\b|per\s+cent\b)", re.I)),
    (
        "multiple",
        re.compile(
            rf"\b({_NUM}(?:\s+and\s+a\s+half)?)\s*(?:x\b|×|times\b)|\b(twice|double|triple)\b",
            re.I,
        ),
    ),
    ("days", re.compile(r"\bnet[\s-]?(\d+)\b", re.I)),
    (
        "days",
        re.compile(
            rf"\b({_NUM})[\s-]*(?:\(\d+\)\s*)?(business\s+|calendar\s+)?(days?|weeks?)\b", re.I
        ),
    ),
    (
        "months",
        re.compile(rf"\b({_NUM})[\s-]*(?:\(\d+\)\s*)?(months?|mos?|years?|yrs?)\b", re.I),
    ),
    ("hours", re.compile(rf"\b({_NUM})[\s-]*(?:\(\d+\)\s*)?(?:hours?|hrs?|h)\b", re.I)),
    ("months", re.compile(r"\b(annual(?:ly)?|yearly|quarterly|monthly)\b", re.I)),
]
_PERIOD_WORDS = {
    "annual": 12, "annually": 12, "yearly": 12, "quarterly": 3, "monthly": 1,
    "year": 12, "month": 1, "quarter": 3,
}  # fmt: skip
# A value the rep is moving away from ("2x instead of 1x") is not the one asked for.
_REPLACED = re.compile(r"(?:instead\s+of|rather\s+than|up\s+from|vs\.?|versus|not)\s*$", re.I)
_DEMONYMS = {
    "english": "England and Wales",
    "uk": "England and Wales",
    "british": "England and Wales",
    "ny": "New York",
    "texan": "Texas",
    "californian": "California",
    "german": "Germany",
    "irish": "Ireland",
    "french": "France",
    "singaporean": "Singapore",
    "delaware": "Delaware",
}

_DRAFT = re.compile(
    r"^\s*(?:pls\s+|please\s+|can you\s+|could you\s+)?(?:draft|write|prepare|generate|"
    r"put together|give me|create|redraft|compose)\b|\b(?:draft|write up|write me)\b",
    re.I,
)
_CAN_I = re.compile(
    r"\b(?:can (?:i|we|they|the customer)|could (?:i|we)|may (?:i|we)|is (?:it|that|this) "
    r"(?:ok|okay|fine|allowed|acceptable)|are we (?:ok|allowed)|ok to|okay to|allowed to|"
    r"do i need approval|need approval|who (?:needs to|must|has to) approve|possible\?|"
    r"wants?|asking for|asks for|insists?|requests?|ok\?|okay\?|fine\?|acceptable\?|"
    r"agree to|accept|offer|give (?:them|this customer|the customer)|push back|"
    r"can (?:i|we) do|would we)\b",
    re.I,
)
_COMPARE = re.compile(
    r"\b(?:compare|their (?:language|wording|clause|draft|redline|markup|version)|"
    r"customer'?s? (?:language|wording|clause|draft|redline|version)|"
    r"they (?:sent|proposed|wrote|redlined)|"
    r"(?:is|does) this (?:language|wording|clause|ok|okay|acceptable)|how does this compare|"
    r"pasted|here'?s? (?:what|their))\b",
    re.I,
)
_CONTRACT_Q = re.compile(
    r"\b(?:the\s+)?([A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,3})(?:'s)?\s+"
    r"(?:contract|agreement|msa|deal|order form|renewal|subscription)\b"
    r"|\b(?:our|the)\s+(?:contract|agreement|msa)\s+with\s+([A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,3})",
)
_ARCHIVE_Q = re.compile(
    r"\b(?:when does|when do|when is|what is the|what's the|does the|did we|did they|"
    r"how long|what notice|renew|expire|signed|in (?:the|their) contract|under (?:the|their))\b",
    re.I,
)
_QUOTED = re.compile(
    r"[\"“]([^\"”]{30,})[\"”]|(?:^|(?<=[\s:(]))'([A-Z].{28,}[.!?a-z)])'(?=\s|$|[?,!.;:])"
    r"|:\s*\n(.{80,})$",
    re.S,
)
_FIND = re.compile(
    r"\b(?:what(?:'s| is| does)? (?:our|the) (?:standard|approved|default|usual)|send (?:me|over)|"
    r"show me|paste|see our|wants? to see|what does our|need (?:the|our) (?:standard|approved)|"
    r"our standard|our approved|the standard|where(?:'s| is) (?:our|the))\b"
    r"|\b(?:find|look up|pull up|get me|give me)\b[^?]{0,40}\b(?:wording|language|clause|section)"
    r"|\bwhat(?:'s| is| does) (?:our|the) [\w\s/-]{0,40}\b(?:clause|language|wording|section)\b"
    r"(?:\s+say)?\s*\??\s*$",
    re.I,
)
_ASKING = re.compile(
    r"\b(?:ok|okay|fine|allowed|acceptable|approv\w*|sign(?:s)? off|instead of|go up to|"
    r"can|could|may|should|would|possible|need anyone|who)\b|\?",
    re.I,
)
_DRAFT_NOUN = re.compile(
    r"\b(?:clause|section|language|wording|terms?|sla|nda|dpa)\b[^?]{0,40}?"
    r"(?:\bwith\b|\bwhere\b|\bfor\b|:|\bplease\b|\bpls\b)",
    re.I,
)


@functools.lru_cache(maxsize=1)
def _nlp():  # type: ignore[no-untyped-def]
    import spacy

    return spacy.blank("en")


@functools.lru_cache(maxsize=1)
def _juris_re() -> re.Pattern[str]:
    names = sorted({*jurisdiction_names(), *_DEMONYMS}, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.I)


def _around(text: str, start: int, end: int, window: int = 6) -> tuple[list[str], list[str]]:
    doc = _nlp().make_doc(text)
    words = [t for t in doc if t.is_alpha]
    before = [t.lower_ for t in words if t.idx + len(t) <= start][-window:]
    after = [t.lower_ for t in words if t.idx >= end][:window]
    return before[::-1], after


def _num(s: str) -> float | None:
    s = s.strip()
    half = re.search(r"\s+and\s+a\s+half$", s, re.I)
    if half:
        n = _num(s[: half.start()])
        return None if n is None else n + 0.5
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):
        return float(s.replace(",", ""))
    if re.fullmatch(r"a", s, re.I):
        return 1.0
    return parse_number(s)


def quantities(text: str) -> list[Quantity]:
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for kind, pat in _PATTERNS:
        for m in pat.finditer(text):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            if _REPLACED.search(text[: m.start()]):
                taken.append((m.start(), m.end()))
                continue
            period = False
            value: float | None
            if kind == "money":
                raw = m.group(1) or m.group(3)
                scale = (m.group(2) or m.group(4) or "").lower()
                value = float(raw.replace(",", "")) * _SCALE.get(scale, 1.0)
            elif kind == "multiple" and m.group(2):
                value = {"twice": 2.0, "double": 2.0, "triple": 3.0}[m.group(2).lower()]
            elif kind == "months" and m.group(1).lower() in _PERIOD_WORDS:
                value = float(_PERIOD_WORDS[m.group(1).lower()])
                period = True
            else:
                value = _num(m.group(1))
                if value is None:
                    continue
                unit = m.group(0).lower()
                if kind == "days" and "week" in unit:
                    value *= 7
                if kind == "months" and re.search(r"\by(?:ea)?rs?\b", unit):
                    value *= 12
            taken.append((m.start(), m.end()))
            before, after = _around(text, m.start(), m.end())
            out.append(
                Quantity(
                    kind=kind,
                    value=value,
                    text=m.group(0),
                    start=m.start(),
                    end=m.end(),
                    context=before + after,
                    before=before,
                    after=after,
                    period=period,
                )
            )
    return sorted(out, key=lambda q: q.start)


def jurisdictions(text: str) -> list[Mention]:
    """Jurisdictions named, the one asked for first: a rep writes "won't take Delaware,
    wants New York", so later mentions win, and one "instead of" is dropped."""
    out = []
    for m in _juris_re().finditer(text):
        if _REPLACED.search(text[: m.start()]):
            continue
        raw = m.group(1)
        if raw.isupper() is False and raw.lower() in {"ny", "uk"}:
            continue  # "ny"/"uk" only as abbreviations
        name = _DEMONYMS.get(raw.lower()) or canonical_jurisdiction(raw)
        if name:
            out.append(Mention(value=name, text=raw, start=m.start(), end=m.end()))
    return out[::-1]


def pasted_text(question: str) -> tuple[str | None, str]:
    """Customer language pasted into the question (quoted, or a long passage after a colon
    or on its own lines), and the rest of the question."""
    m = _QUOTED.search(question)
    if m:
        body = m.group(1) or m.group(2) or m.group(3)
        words = len(body.split())
        # A clause, even a short one, says what a party shall, will or may do.
        if words >= 12 or (words >= 5 and re.search(r"\b(?:shall|will|may|must)\b", body, re.I)):
            return body.strip(), (question[: m.start()] + " " + question[m.end() :]).strip()
    lines = [ln for ln in question.splitlines() if ln.strip()]
    long = [ln for ln in lines if len(ln.split()) >= 20]
    if len(lines) > 1 and long:
        body = max(long, key=len)
        return body.strip(), question.replace(body, " ").strip()
    return None, question


def parse(question: str, names_contract: bool = False) -> Parsed:
    """`names_contract`: the question names a contract in the archive (the caller checks)."""
    pasted, topic = pasted_text(question)
    confident = True  # False when no rule recognised the request (the LLM may read it)
    qty = quantities(topic)
    juris = jurisdictions(topic)
    intent: Intent
    if pasted is not None:
        intent = "compare"
    elif _DRAFT.search(topic) or (
        "?" not in topic and (qty or juris) and _DRAFT_NOUN.search(topic)
    ):
        intent = "draft"
    elif names_contract or (_CONTRACT_Q.search(topic) and _ARCHIVE_Q.search(topic)):
        intent = "contract_question"
    elif (
        _FIND.search(topic)
        and not qty
        and not re.search(r"\b(?:ok|okay|instead|need (?:any )?approval)\b", topic, re.I)
    ):
        intent = "find_language"
    elif _CAN_I.search(topic) or qty or juris or _ASKING.search(topic):
        intent = "can_i"
    else:
        intent = "find_language"
        confident = False
    return Parsed(
        question=question,
        intent=intent,
        confident=confident,
        quantities=qty,
        jurisdictions=juris,
        pasted=pasted,
        topic=topic,
    )


_PRICE_HOLD = re.compile(
    r"\b(?:no|zero|without\s+(?:a|any))\s+(?:price\s+|fee\s+)?(?:increases?|uplifts?|"
    r"escalations?|rises?)\b|\bprice\s+(?:freeze|lock|hold)\b|\b(?:freeze|lock|hold)\s+"
    r"(?:the\s+|our\s+|their\s+)?(?:prices?|pricing|fees)\b|\bflat\s+pricing\b",
    re.I,
)
_TERM = re.compile(
    rf"\b(?:for|over)\s+({_NUM})\s*(?:-\s*)?(years?|yrs?|months?)\b"
    rf"|\b({_NUM})[\s-]+(years?|yrs?|months?)[\s-]+(?:deal|term|contract|agreement|commitment|"
    r"subscription|order\s+form)\b",
    re.I,
)


def cue_facts(text: str) -> dict[str, Any]:
    """Playbook facts a question states in words contracts rarely use: "no price increase"
    is an escalation of 0%."""
    from playbook import Fact

    out: dict[str, Any] = {}
    m = _PRICE_HOLD.search(text)
    if m:
        out["term.price_escalation_percent"] = Fact(
            value=0.0, start=m.start(), end=m.end(), source="cue"
        )
    return out


def stated_term_months(text: str) -> int | None:
    """The deal's length when the question states one ("for 3 years", "a 24-month deal")."""
    m = _TERM.search(text)
    if not m:
        return None
    n = _num(m.group(1) or m.group(3))
    unit = (m.group(2) or m.group(4)).lower()
    if n is None:
        return None
    return int(n * 12) if unit.startswith("y") else int(n)
