"""The document name: a title line or the preamble's "This ... Agreement"."""

from __future__ import annotations

import re

from extraction.terms.context import _Ctx, _trim

# ---------------------------------------------------------------------------------------------
# Document name
# ---------------------------------------------------------------------------------------------

_DOC_KIND = (
    r"(?:AGREEMENT|CONTRACT|LICEN[CS]E|ADDENDUM|AMENDMENT|MEMORANDUM\s+OF\s+UNDERSTANDING"
    r"|POWER\s+OF\s+ATTORNEY|TERMS\s+AND\s+CONDITIONS|ORDER\s+FORM|STATEMENT\s+OF\s+WORK"
    r"|ARRANGEMENT|UNDERTAKING|DEED|COVENANT|GUARANTY|GUARANTEE|INDENTURE|LEASE|STATEMENT)"
)
_TITLE_LINE = re.compile(
    rf"(?P<t>(?:[A-Z0-9&/\-,.'’®]+[ \t]+){{0,9}}?(?:[A-Z0-9&/\-'’®]+[ \t]+)?{_DOC_KIND}"
    rf"(?:[ \t]+{_DOC_KIND})*)(?![A-Za-z])",
    re.I,
)
_TITLE_BAD = re.compile(
    r"^(?:this|the|such|said|any|each|an?|of|and|that|which|exhibit|to|by|confidential"
    r"|execution|copy|form|dated|between)$",
    re.I,
)
_PREAMBLE_TITLE = re.compile(
    rf"\b(?:This|THIS)\s+(?P<t>(?:[A-Z][\w&/\-'’.]*\s+){{0,8}}?{_DOC_KIND})\b"
    r"(?=\s*(?:\(|,|is|dated|made|entered|by|between|\"|“))"
)


def _title_case_ok(words: list[str]) -> bool:
    caps = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit() or w in ("and", "of"))
    return caps == len(words)


def _extract_document_name(ctx: _Ctx, title: str | None) -> None:
    text = ctx.text
    head = text[:2500]
    best: tuple[int, int, float] | None = None
    single: tuple[int, int, float] | None = None
    for m in _TITLE_LINE.finditer(head):
        s, e = m.span("t")
        # a sentence or company name before the title ("... DISCLOSED. SUPPLY AGREEMENT")
        cut = max(text.rfind(". ", s, e), text.rfind(".\t", s, e))
        if cut >= 0:
            s = cut + 2
        words = text[s:e].split()
        # drop leading junk words ("EXHIBIT 10.1", "THIS", "EXECUTION VERSION")
        while words and (
            _TITLE_BAD.match(words[0])
            or re.fullmatch(r"[\d.,\-()]+|[A-Z]\.?|VERSION|COPY|EXECUTION|FINAL", words[0])
        ):
            s = text.index(words[0], s) + len(words[0])
            words = words[1:]
        if not words or not _title_case_ok(words):
            continue
        raw = text[s:e]
        if re.search(r"[a-z]", raw) and not re.search(r"\b[A-Z][a-z]", raw):
            continue
        if raw.upper() != raw and words[-1].isupper():
            # mixed case line ending in an all-caps title: keep the all-caps run
            k = len(words)
            while k > 0 and (words[k - 1].isupper() or not re.search(r"[A-Za-z]", words[k - 1])):
                k -= 1
            for w in words[:k]:
                s = text.index(w, s) + len(w)
            words = words[k:]
            raw = text[s:e]
        upper = raw.upper() == raw
        conf = 0.85 if upper else 0.7
        if len(words) == 1:
            if single is None:
                single = (s, e, conf - 0.3)
            continue
        best = (s, e, conf)
        break
    m2 = _PREAMBLE_TITLE.search(text, 0, 5000)
    if m2 and best is None:
        s2, e2 = m2.span("t")
        if len(text[s2:e2].split()) > 1:
            best = (s2, e2, 0.65)
    if best is None and title:
        i = text.lower().find(title.lower().strip())
        if i >= 0:
            best = (i, i + len(title.strip()), 0.5)
    best = best or single
    if best is None:
        return
    s, e, conf = best
    s, e = _trim(text, s, e)
    name = " ".join(text[s:e].split())
    ctx.add("document_name", name, s, e, conf)
