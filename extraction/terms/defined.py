"""Parties defined outside a "between" list, and the pieces of a preamble the readers share.

* `_from_labels`: header lines naming each party after its role ("Party A: Acme Co., Ltd.",
  "Company Name: Dune Robotics, Inc.");
* `_from_defined`: an opening without a usable "between" cue, each legal name followed by its
  defined term ("INKTOMI CORPORATION ("Inktomi") ... and MICROSOFT CORPORATION ("Microsoft")");
* defined terms (`_ALIAS`, `_alias_text`, `_alias_names`, the terms that name no party) and
  where a preamble's sentence or the preamble ends (`_sentence_ends`, `_PREAMBLE_END`), used by
  `parties` too.
"""

from __future__ import annotations

import re

from extraction.terms.context import _pipeline, _trim
from extraction.terms.names import (
    _ENTITY_SUFFIXES,
    _NAME_CUT,
    _NAME_RUN_WRAPPED,
    _SUFFIX_RE,
    _clean_name,
    _Party,
    _plain_words,
    _rules,
    valid_name,
)

_PREAMBLE_END = re.compile(
    r"\b(?:WHEREAS|Whereas|W\s*I\s*T\s*N\s*E\s*S\s*S\s*E\s*T\s*H|RECITALS?|Recitals|BACKGROUND"
    r"|NOW,?\s+THEREFORE|PREAMBLE|IN\s+CONSIDERATION|IT\s+IS\s+(?:HEREBY\s+)?AGREED"
    r"|(?:The|the)\s+parties\s+(?:hereby\s+|hereto\s+)?agree|Table\s+of\s+Contents"
    r"|TABLE\s+OF\s+CONTENTS|DEFINITIONS|Definitions)\b"
    r"|\n\s*(?:ARTICLE|Article|SECTION|Section)\s+(?:1|I|One|ONE)\b|\n\s*1\.[01]\s"
)
_ABBREV = re.compile(
    r"(?:\b[A-Z]|\b(?:Inc|Ltd|Co|No|Corp|St|Mr|Ms|Mrs|Dr|vs|U\.S|etc|S\.A|N\.V|B\.V|L\.P|L\.L\.C"
    r"|P\.C|N\.A|Jr|Sr|Pty|Pte|Sdn|Bhd|Pvt|S\.p\.A|A\.G|N\.D|Ph\.D|LLC|Limited|Corporation|Company|GmbH"
    r"|Incorporated|PLC|LP|LLP|AG|SA|BV|NV))\.$",
    re.I,
)
_SENT_END = re.compile(r"(?<=[\w)\"”’'])\.\s+(?=[\"“(]?[A-Z])")


# a defined term in brackets or square brackets, in straight, curly or typewriter quotes
# (``Company'' of old filings): '("Acme")', '[the “Buyer”]', "(referred to below as 'Seller')"
_ALIAS = re.compile(
    r"[(\[]\s*(?:(?:hereinafter|herein|hereafter|together|collectively|individually|each|both"
    r"|singularly)[^\"“”)\]`]*?)?(?:(?:referred|defined)\s+to\s+(?:below\s+|herein\s+)?)?"
    r"(?:as\s+)?(?:the\s+|a\s+|an\s+)?"
    r"(?:[\"“”'‘’]{1,2}|``)\s*(?P<a>[^\"“”'‘’`()\[\]]{1,60}?)\s*[\"“”'‘’]{1,2}"
    r"|\(\s*(?:the\s+)?(?P<b>[A-Z][A-Za-z&.-]*(?:\s+[A-Z][A-Za-z&.-]*){0,3})\s*\)"
    r"|\(\s*(?:the\s+)?[\"“”]\s*(?P<c>[A-Z][A-Za-z&.-]*(?:\s+[A-Z][A-Za-z&.-]*){0,3})\s*\)"
    r"|\(\s*(?:hereinafter|herein|hereafter)\s+(?:referred\s+to\s+as|called)\s+(?:the\s+)?"
    r"(?P<d>[A-Z][A-Za-z&.-]*(?:\s+[A-Z][A-Za-z&.-]*){0,3})\s*\)"
    r"|,\s*(?:hereinafter|hereafter)\s+(?:(?:referred\s+to\s+as|called)\s+)?(?:the\s+)?[\"“'‘]"
    r"(?P<e>[A-Z][^\"“”'‘’()]{0,40}?)[\"”'’]"
    # unquoted: "ACME INC., a Delaware corporation, hereinafter called Licensor, and ..."
    r"|,\s*(?:hereinafter|hereafter)\s+(?:referred\s+to\s+as|called)\s+(?:the\s+)?"
    r"(?P<f>[A-Z][A-Za-z&-]*(?:\s+[A-Z][A-Za-z&-]*){0,2})(?=\s*[,.;)]|\s+and\b|\s*$)"
)
_ALIAS_SKIP = re.compile(
    r"^(?:this\s+)?(?:agreement|contract|effective\s+date|part(?:y|ies)|amendment|recitals?"
    r"|schedule|exhibit|addendum|commission|sec|act|plan)$",
    re.I,
)


def _alias_text(am: re.Match[str]) -> str:
    """The defined term an `_ALIAS` match holds, on one line."""
    found = next((g for g in am.group("a", "b", "c", "d", "e", "f") if g), None)
    return " ".join((found or "").split())


# Defined terms that name a thing, not a party ("Effective Date", "Initial Term", "Shares")
_NOT_PARTY_TERM = re.compile(
    r"\b(?:date|shares?|stock|act|products?|services|territory|term|fees?|price|notes?"
    r"|securities|property|premises|plan|program|statement|prospectus|offering|closing|agreement"
    r"|commission|rules?|law|system|software|documents?|content|platform|project|event)\b",
    re.I,
)


def _sentence_ends(text: str, start: int, end: int) -> list[re.Match[str]]:
    """Sentence ends in text[start:end], not the dots of abbreviations, addresses or list
    numbers."""
    out = []
    for m in _SENT_END.finditer(text, start, end):
        if _ABBREV.search(text, max(0, m.start() - 6), m.start() + 1):
            continue
        if re.search(r"(?:^|[\s,])[A-Za-z]{1,2}$", text[max(start, m.start() - 4) : m.start()]):
            continue  # "Ft.", "St." of an address
        if re.match(r"\s*(?:\d{1,2}|[a-h])\s*\.?\s*$", text[max(start, m.start() - 3) : m.start()]):
            continue  # "1." of a numbered list
        if re.match(r"(?:AND|And)\s*:|-+\s*(?:and|AND)\s*-", text[m.end() : m.end() + 12]):
            continue  # "... NJ 08054. AND: Beta Inc.": the list of parties goes on
        out.append(m)
    return out


# "Party A: Acme Co., Ltd.", "Company Name: Dune Robotics, Inc.", "SPONSOR:   Name: Cactus Inc."
_LABEL_LINE = re.compile(
    r"(?m)(?:^[ \t]*|[ \t]{2,}|(?<=\s)(?=Party\s+[A-D]\s*[:：]))"
    r"(?:(?i:the)[ \t]+)?(?P<label>Party\s+[A-D]|(?i:Buyer|Seller|Purchaser|Supplier|Vendor"
    r"|Customer|Client|Licensor|Licensee|Distributor|Manufacturer|Contractor|Consultant|Company|Lessor|Lessee|Franchisor"
    r"|Franchisee|Sponsor|Club|Provider|Reseller|Landlord|Tenant|Pledgor|Pledgee|Transferor"
    r"|Transferee|Assignor|Assignee|Lender|Borrower))(?:[ \t]+(?i:name))?"
    r"\s*(?:\((?P<paren>[^)\n]{0,30})\))?\s*[:：][ \t]*(?:\n[ \t]*){0,2}"
    r"(?:(?i:name)\s*[:：][ \t]*)?"
    r"(?P<name>(?:(?!\bParty\s+[A-D]\s*[:：])[^\n]){2,120})"
)


def _from_labels(text: str, least: int = 2) -> list[_Party]:
    """Header lines naming each party after its label: "Party A: Acme Co., Ltd."; fewer than
    ``least`` make none."""
    out: list[_Party] = []
    pipe = _pipeline()
    for m in _LABEL_LINE.finditer(text, 0, min(len(text), 3000)):
        s, e = m.start("name"), m.end("name")
        cut = _NAME_CUT.search(text, s, e)
        ne = cut.start() if cut and cut.start() > s + 1 else e
        gap = re.compile(
            r"[ \t]{2,}|\s+(?:Legal|Address|Add|Tel|Telephone|Phone|E-?mail|Registered|Domicile"
            r"|Fax)\b"
        ).search(text, s, ne)
        ne = gap.start() if gap else ne
        ns, ne = _trim(text, s, ne)
        while ne > ns and text[ne - 1] in ",;:":
            ne -= 1
        name = _clean_name(text[ns:ne])
        label = " ".join(m.group("label").split())
        strong = re.fullmatch(r"Party [A-D]", label) is not None  # "Party A:" names a party
        if not valid_name(name) or not (strong or _rules().has_suffix(name)):
            continue
        if all(name.lower() != q.name.lower() and label != q.alias for q in out):
            # "Party A (Licensor): ...": the role in brackets
            role = pipe.role_of(label) or pipe.role_of(m.group("paren") or "")
            out.append(_Party(ns, ne, name, label, role, 0.7))
    return out if len(out) >= least else []


_OPENING = 3000  # the defined parties of an opening without a "between" cue lie within it


def _alias_names(alias: str, name: str) -> bool:
    """Whether a defined term is a short form of the name: "Inktomi" of "INKTOMI CORPORATION",
    "NLS" of "NLS-1 Pharma AG", "SCIEN" of "Scientific Products ...", "GSMS" as initials."""
    a = re.sub(r"[^a-z0-9]", "", alias.lower())
    every = _plain_words(name)
    words = [w for w in every if w not in _ENTITY_SUFFIXES]
    if len(a) < 2 or not words:
        return False
    return (
        a in "".join(words)
        or a in {"".join(w[0] for w in words), "".join(w[0] for w in every)}
        or (len(a) >= 3 and words[0].startswith(a[:4]))
    )


# where a party is named elsewhere: "the customer identified on the Order Form", "listed in"
_DOCUMENT_REF = re.compile(
    r"\b(?:identified|listed|named|set\s+forth|specified|described|indicated|shown|designated)"
    r"\s+(?:on|in|under)\s+(?:the\s+|an?\s+|this\s+|each\s+)?$",
    re.I,
)


_REPRESENTED_BY = re.compile(
    r"\b(?:represented|acting|signed)\s+(?:herein\s+|hereby\s+)?(?:by|through)\s+"
    r"(?:(?:its|his|her|their)\s+(?:[\w-]+\s+){0,3})?$",
    re.I,
)


def _defined_name(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    """The legal name a defined term at ``end`` belongs to: the last entity name in
    text[start:end] that is not a description ("a Delaware corporation"), or failing that the
    name right before the term ("Jane Roe ("Consultant")")."""
    runs = [r for r in _NAME_RUN_WRAPPED.finditer(text, start, end) if r.group(0).strip()]
    adjacent = None
    for r in reversed(runs):
        s, e = r.start(), r.start() + len(r.group(0).rstrip(" ,"))
        # leading words that are no part of a name ("WHEREAS, Acme Inc.", "THAT ACME LLC")
        for _ in range(3):
            if valid_name(text[s:e].rstrip(".")):
                break
            nxt = re.search(r"[ \t]+(?=\S)", text[s:e])
            if not nxt:
                break
            s += nxt.end()
        cand = _clean_name(text[s:e])
        if cand.endswith(".") and not re.search(rf"\b{_SUFFIX_RE}$", cand):
            cand, e = cand[:-1], e - 1
        if re.search(r"\b(?:a|an|A|AN)\s+$|[\"“”]\s*$", text[max(0, s - 4) : s]):
            continue  # "a Delaware corporation": a description; "the "Operating Partnership""
        if _DOCUMENT_REF.search(text, max(0, s - 40), s):
            continue  # "the Customer identified on the Order Form ("Customer")": a document
        if _REPRESENTED_BY.search(text, max(0, s - 40), s):
            continue  # "Acme SA, represented by Jan Roe, Director ("Seller")": its signatory
        if re.match(r"[ \t]*:", text[r.end() : r.end() + 4]):
            continue  # a label ("Bank of America Project Manager:"), not a name
        if not valid_name(cand):
            continue
        if _rules().has_suffix(cand) or _DESCRIBED.fullmatch(text, r.end(), end):
            return cand, s, e
        if r is runs[-1] and not text[r.end() : end].strip(" ,\t\n"):
            adjacent = (cand, s, e)
    return adjacent


# A legal name's description right before its defined term: "RGA Capital Trust I, a Delaware
# statutory business trust (the "Trust")", "Greater Delaware Valley Holdings, A Mutual Company,
# a Pennsylvania-chartered mutual holding company (the "PA MHC")": how a preamble introduces a
# party; an entity the text only mentions is not described so
_DESCRIBED = re.compile(
    r",?\s+(?:a|an)\s+(?:[\w.-]+\s+){0,6}?(?i:corporation|company|partnership|trust|bank"
    r"|association|societ\w*|limited|organi[sz]ation|entity|institution|LLC)\b"
    r"[^()\"“”;.]{0,80}"
)


# "the deposit accounts of which are insured by the Federal Deposit Insurance Corporation
# ("FDIC")": an entity described as acting on a party (a regulator, an insurer), not a party
_BY_OTHER = re.compile(
    r"\b(?:insured|administered|regulated|supervised|licensed|guaranteed|owned|controlled|managed"
    r"|approved|issued|listed)\s+(?:by|with|on)\s+(?:the\s+)?$",
    re.I,
)


def _from_defined(text: str) -> list[_Party]:
    """Parties of an opening without a usable "between" cue: each legal name followed by its
    defined term ("INKTOMI CORPORATION ("Inktomi"), a California corporation, ... and
    MICROSOFT CORPORATION ("Microsoft")", "Acme Inc., a Nevada corporation having an address at
    ... ("RESELLER")"). A defined term counts only when it names a role (a party word such as
    "Company" or "Licensee") or is a short form of the name; other defined terms ("Effective
    Date", "Shares") never make a party. Two parties at least, else none."""
    limit = min(len(text), _OPENING)
    out: list[_Party] = []
    pipe = _pipeline()
    prev = 0
    for am in _ALIAS.finditer(text, 0, limit):
        alias = _alias_text(am)
        seg_start = max(prev, am.start() - 400)
        prev = am.end()
        if not alias or _ALIAS_SKIP.match(alias) or _NOT_PARTY_TERM.search(alias):
            continue
        if len(out) >= 2 and (
            _sentence_ends(text, out[-1].end, am.start())
            or _PREAMBLE_END.search(text, out[-1].end, am.start())
        ):
            break  # the sentence that names the parties has ended
        sent = [x.end() for x in _sentence_ends(text, seg_start, am.start())]
        seg_start = max([seg_start, *sent])
        found = _defined_name(text, seg_start, am.start())
        if found is None:
            continue
        name, ns, ne = found
        if _BY_OTHER.search(text, max(0, ns - 60), ns):
            continue
        role = pipe.role_of(alias)
        party_word = role or re.fullmatch(r"(?i:party\s+[a-d]|executive|employee|bank)", alias)
        described = _DESCRIBED.fullmatch(text, ne, am.start()) is not None
        if not (party_word or described or _alias_names(alias, name)):
            continue
        if (_rules().has_suffix(name) or party_word or described) and all(
            name.lower() != q.name.lower() for q in out
        ):
            out.append(_Party(ns, ne, name, alias, role, 0.6))
    return out[:12] if len(out) >= 2 else []
