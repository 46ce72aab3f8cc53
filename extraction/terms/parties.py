"""Contracting parties and their defined roles, read from the preamble."""

from __future__ import annotations

import re

from extraction.terms.context import _Ctx, _pipeline, _trim

# ---------------------------------------------------------------------------------------------
# Parties
# ---------------------------------------------------------------------------------------------

_BETWEEN = re.compile(r"\b(?:by\s+and\s+)?(?:between|among|amongst)\b(?:\s*:)?", re.I)
_PREAMBLE_END = re.compile(
    r"\b(?:WHEREAS|W\s*I\s*T\s*N\s*E\s*S\s*S|RECITALS?|BACKGROUND|NOW,?\s+THEREFORE|PREAMBLE"
    r"|IN\s+CONSIDERATION|The\s+parties\s+(?:hereby\s+)?agree|Table\s+of\s+Contents)\b"
)
_ALIAS = re.compile(
    r"\(\s*(?:(?:hereinafter|herein|together|collectively|individually)[^\"“”)]*?)?"
    r"(?:referred\s+to\s+)?(?:as\s+)?(?:the\s+|a\s+)?[\"“”']+\s*(?P<a>[^\"“”']{1,60}?)\s*[\"“”']+"
)
_ENTITY_SUFFIX = (
    r"(?:Inc|Incorporated|Corp|Corporation|Company|Co|LLC|L\.L\.C|Ltd|Limited|LLP|LP|L\.P"
    r"|PLC|GmbH|AG|S\.A|SA|B\.V|BV|N\.V|NV|S\.p\.A|SRL|Pty|PTY|Trust|AB|ASA|A/S|KK|Oy)\.?"
)
_PARTY_CUT = re.compile(
    r",?\s+(?:a|an)\s+(?:[A-Z][\w.]*\s+){0,4}?(?:corporation|company|limited|partnership"
    r"|organization|entity|trust|bank|association|business|societ|stock|public|private|"
    r"[a-z]+\s+(?:corporation|company|partnership))"
    r"|,?\s+(?:a|an)\s+(?:[A-Z][a-zA-Z]+\s*){1,3}(?:corporation|company|limited)"
    r"|,\s+(?:a|an)\s+\w"
    r"|,?\s+(?:with|having|whose|located|organized|incorporated|existing|residing|of\s+\d|at\s+\d)\b"
    r"|,\s+(?=\d)"
    r"|\s*\n\s*(?:\d+(?:\.\d+)*\.?|ARTICLE|SECTION)\s+(?=[A-Z])"  # a numbered section starts
    r"|\s*\(|\s*[\"“]|\s*\n\s*\n|_{3,}|\s+(?=(?:January|February|March|April|May|June|July|August"
    r"|September|October|November|December)\s+\d)",
    re.I,
)
_SUFFIX_COMMA = re.compile(
    r"\b(?:Inc|Ltd|LLC|Corp|LP|plc|PLC|AG|SA|BV|NV|Corporation|Company|Limited|Incorporated"
    r"|GmbH)\.?(?=,\s+[A-Z0-9])"
)
_SPLIT_PARTIES = re.compile(r"(?:,|;)?\s+(?:and|AND|And)\s+(?=[A-Z\d])|;\s+(?=[A-Z])|\n\s*and\s*\n")


def _clean_party(text: str, s: int, e: int) -> tuple[int, int] | None:
    s, e = _trim(text, s, e)
    seg = text[s:e]
    m = _PARTY_CUT.search(seg)
    if m and m.start() > 1:
        e = s + m.start()
    # "Acme Inc., 12 Main Street, ..." -> cut after the entity suffix
    sm = _SUFFIX_COMMA.search(text, s, e)
    if sm:
        e = sm.end()
    # strip leading determiners/labels
    lead = re.match(r"\s*(?:the\s+|THE\s+|Party\s+[AB]\s*:\s*|[:,]\s*)?", text[s:e])
    if lead:
        s += lead.end()
    # strip trailing punctuation except the period of an entity suffix
    while e > s and text[e - 1] in " ,;:\n\t":
        e -= 1
    if e > s and text[e - 1] == "." and not re.search(rf"\b{_ENTITY_SUFFIX}$", text[s:e]):
        e -= 1
    s, e = _trim(text, s, e)
    name = text[s:e]
    if not (2 <= len(name) <= 120) or not re.match(r"[A-Z0-9\[]", name):
        return None
    if len(name.split()) > 14 or re.match(r"(?:each|both|the\s+parties)\b", name, re.I):
        return None
    return s, e


def _extract_parties(ctx: _Ctx) -> None:
    text = ctx.text
    pipe = _pipeline()
    m = _BETWEEN.search(text, 0, min(len(text), 6000))
    if not m:
        return
    start = m.end()
    end_m = _PREAMBLE_END.search(text, start, min(len(text), start + 3000))
    end = end_m.start() if end_m else min(len(text), start + 1500)
    # stop at the first full stop that ends a sentence after the last alias
    chunk_end = end
    dot = re.search(r"\.\s*\n\s*\n|\)\s*\.\s+(?=[A-Z])", text[start:end])
    if dot:
        chunk_end = start + dot.end()
    chunk = text[start:chunk_end]
    pieces: list[tuple[int, int]] = []
    pos = 0
    for sm in _SPLIT_PARTIES.finditer(chunk):
        # don't split inside parentheses or an entity name ("Johnson and Johnson")
        before = chunk[pos : sm.start()]
        if before.count("(") > before.count(")"):
            continue
        if len(before.strip()) < 3:
            continue
        pieces.append((start + pos, start + sm.start()))
        pos = sm.end()
    pieces.append((start + pos, start + len(chunk)))
    seen: set[str] = set()
    n = 0
    for ps, pe in pieces[:8]:
        span = _clean_party(text, ps, pe)
        if span is None:
            continue
        s, e = span
        name = " ".join(text[s:e].split())
        if name.lower() in seen:
            continue
        alias_m = _ALIAS.search(text, e, pe)
        alias = alias_m.group("a").strip() if alias_m else None
        role = pipe.role_of(alias) if alias else None
        seen.add(name.lower())
        conf = 0.85 if alias else 0.6
        if not re.search(rf"\b{_ENTITY_SUFFIX}(?:\W|$)", name) and not alias:
            conf = 0.45
        ctx.add("parties", {"name": name, "role": role, "alias": alias}, s, e, conf)
        n += 1
        if n >= 6:
            break
