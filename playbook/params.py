"""Reading a parameter's value from contract words and checking it against an approved range.

Values are compared as values, never as strings: "sixty (60) days", "60 days" and "sixty
days" are the same 60, and "$1,000,000" is 1000000.
"""

from __future__ import annotations

import re

from clause_index import Parameter
from clause_index.schema import ParamKind
from extraction import canonical_jurisdiction, jurisdiction_names, parse_number

_MONEY = re.compile(
    r"(?:US\$|USD|\$|€|EUR|£|GBP)?\s*(\d[\d,]*(?:\.\d+)?)\s*(million|m\b|thousand|k\b)?", re.I
)
_MULTIPLE_WORDS = {"once": 1.0, "twice": 2.0, "thrice": 3.0, "double": 2.0, "triple": 3.0}
_FRACTIONS = {"one-half": 0.5, "one half": 0.5, "half": 0.5, "a half": 0.5}
_JURISDICTIONS = sorted(jurisdiction_names(), key=len, reverse=True)
_JURIS_RE = re.compile(r"\b(" + "|".join(re.escape(j) for j in _JURISDICTIONS) + r")\b", re.I)
# Numbers that name a place in the document, not a quantity: "Clause 10.1", "Schedule 4",
# and a sub-clause number opening a sentence ("... of invoice. 5.3 Sums not paid ...").
_REFERENCE = re.compile(
    r"\b(?:[Cc]lauses?|[Ss]ections?|[Aa]rticles?|[Ss]chedules?|[Aa]nnex(?:es)?|[Ee]xhibits?"
    r"|[Aa]ppendix|[Aa]ppendices|[Pp]aragraphs?|[Pp]ara|[Pp]arts?|[Ss]ub-clauses?)\s+\d+(?:\.\d+)*"
    r"(?:\s*\([a-z0-9]+\))*"
    r"|(?<=[.;:])\s+\d+(?:\.\d+)+(?=\s+(?:[A-Z][a-z]|\([a-z0-9]\)))"
)
# "a"/"an" is one only before a unit ("a year", "a half"); "a maximum" sets no value.
_BARE_ARTICLE = re.compile(
    r"\s*an?\b(?!\s+(?:day|week|month|year|quarter|half|hundred|thousand|million)s?\b)", re.I
)


def _number(text: str) -> float | None:
    low = text.lower()
    for word, value in _MULTIPLE_WORDS.items():
        if re.search(rf"\b{word}\b", low):
            return value
    half = re.search(r"\s+and\s+(?:a|one)[\s-]half\b", low)
    if half:
        n = parse_number(text[: half.start()])
        return None if n is None else n + 0.5
    return parse_number(text)


def parse_value(kind: ParamKind, text: str) -> float | str | None:
    """The value of a parameter of `kind` in `text` (the words the contract uses for it)."""
    text = text.strip()
    if not text:
        return None
    if kind not in (ParamKind.jurisdiction, ParamKind.text):
        text = _REFERENCE.sub(" ", text).strip()
        bare = _BARE_ARTICLE.match(text)
        if bare and not re.search(r"\d", text) and parse_number(text[bare.end() :]) is None:
            return None
    if kind is ParamKind.months and re.search(r"\b(?:days?|weeks?)\b", text, re.I):
        return None  # a number of days never sets a number of months (as `playbook.values`)
    if kind is ParamKind.multiple and re.search(r"%|\bper\s*cent\b", text, re.I):
        n = _number(text)
        return None if n is None else n / 100  # "200% of the fees" is twice the fees
    if kind is ParamKind.money:
        m = _MONEY.search(text)
        if not m:
            return _number(text)
        value = float(m.group(1).replace(",", ""))
        scale = (m.group(2) or "").lower()
        if scale in ("million", "m"):
            value *= 1_000_000
        elif scale in ("thousand", "k"):
            value *= 1_000
        return value
    if kind is ParamKind.jurisdiction:
        m = _JURIS_RE.search(text)
        return canonical_jurisdiction(m.group(1)) if m else None
    if kind is ParamKind.text:
        return " ".join(text.split())
    if kind is ParamKind.years and re.search(r"\bmonths?\b", text, re.I):
        n = _number(text)
        return None if n is None else n / 12
    if kind is ParamKind.months and re.search(r"\byears?\b", text, re.I):
        n = _number(text)
        return None if n is None else n * 12
    if kind is ParamKind.days and re.search(r"\b(?:months?|weeks?|years?)\b", text, re.I):
        n = _number(text)
        if n is None:
            return None
        if re.search(r"\bmonths?\b", text, re.I):
            return n * 30
        if re.search(r"\bweeks?\b", text, re.I):
            return n * 7
        return n * 365
    return _number(text)


def within(spec: Parameter, value: float | str | None) -> bool | None:
    """Whether `value` lies in the approved range of `spec`; None when there is no value."""
    if value is None:
        return None
    if spec.kind in (ParamKind.jurisdiction, ParamKind.text):
        if spec.allowed is None:
            return str(value).lower() == str(spec.default).lower()
        if str(value).lower() in {a.lower() for a in spec.allowed}:
            return True
        return spec.kind is ParamKind.text and any(_names(str(value), a) for a in spec.allowed)
    if isinstance(value, str):
        return False
    if spec.min is not None and value < spec.min - 1e-9:
        return False
    return not (spec.max is not None and value > spec.max + 1e-9)


# Long forms other paper spells out, as the short names of our approved lists say them.
_SHORT = [
    (re.compile(r"\bconsumer\s+price\s+index\b"), "cpi"),
    (re.compile(r"\bharmoni[sz]ed\s+index\s+of\s+consumer\s+prices\b"), "hicp"),
    (re.compile(r"\bu\.\s?s\.(?:\s?a\.)?|\bunited\s+states(?:\s+of\s+america)?\b"), " us "),
    (re.compile(r"\bu\.\s?k\.|\bunited\s+kingdom\b"), " uk "),
    (re.compile(r"\beuro\s?(?:zone|area)\b"), "eurozone"),
]


def _names(value: str, allowed: str) -> bool:
    """`value` names the approved `allowed` in words ("the Consumer Price Index for All Urban
    Consumers (CPI-U) published by the U.S. Bureau of Labor Statistics" names "US CPI-U"):
    every word of the short name stands in the long form."""
    low = value.lower()
    for pat, short in _SHORT:
        low = pat.sub(short, low)
    words = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", low))
    need = re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", allowed.lower())
    return len(need) > 1 and all(w in words for w in need)


def describe_range(spec: Parameter) -> str:
    """The approved range in words, for messages ("15 to 45 days")."""
    unit = spec.unit or (spec.kind.value if spec.kind not in (ParamKind.integer,) else "")
    if spec.kind in (ParamKind.jurisdiction, ParamKind.text):
        allowed = spec.allowed or [str(spec.default)]
        return "one of " + ", ".join(allowed)

    def fmt(v: float) -> str:
        return f"{int(v):,}" if float(v).is_integer() else f"{v:g}"

    if spec.min is not None and spec.max is not None:
        if spec.min == spec.max:
            return f"{fmt(spec.min)} {unit}".strip()
        return f"{fmt(spec.min)} to {fmt(spec.max)} {unit}".strip()
    if spec.max is not None:
        return f"at most {fmt(spec.max)} {unit}".strip()
    if spec.min is not None:
        return f"at least {fmt(spec.min)} {unit}".strip()
    return "any value"


def find_jurisdiction(text: str) -> tuple[str, int, int] | None:
    """The first jurisdiction named in `text`: (canonical name, start, end)."""
    m = _JURIS_RE.search(text)
    if not m:
        return None
    name = canonical_jurisdiction(m.group(1))
    return (name, m.start(), m.end()) if name else None
