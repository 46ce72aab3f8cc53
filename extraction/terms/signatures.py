"""Parties read from signature blocks, for contracts whose opening names none: an entity's
name right above a "By:" line (two blocks side by side included), UK "for and on behalf of"
blocks, and signature pages run into one line (joint filing agreements)."""

from __future__ import annotations

import re
import unicodedata

from extraction.terms.context import _trim
from extraction.terms.names import (
    _CAP,
    _CAPS,
    _ENTITY_SUFFIXES,
    _NAME_CUT,
    _NAME_RUN,
    _SUFFIX_RE,
    _clean_name,
    _Party,
    _plain_words,
    _rules,
    valid_name,
)

# the "By" line under a name, a description's second line between them ("THE BANKERS BANK, a
# Georgia\n   banking corporation\n\nBy:")
_SIGN_BY = re.compile(
    r"[ \t]*(?:\n[ \t]*[a-z][^\n]{0,80})?(?:\n[ \t]*){0,3}(?:By|BY|Signature|SIGNATURE)\s*[:_/ ]"
)
_SIGN_LINE = re.compile(rf"(?m)^[ \t]*(?:{_CAP}[^\n]{{1,160}}?)[ \t]*$")  # 2 columns: long


def _from_signatures(text: str) -> list[_Party]:
    """Entities named right above a "By:" line (after IN WITNESS WHEREOF when there is one)."""
    start = max(text.rfind("IN WITNESS WHEREOF"), text.rfind("In Witness Whereof"), 0)
    out: list[_Party] = []
    for m in _SIGN_LINE.finditer(text, start):
        if not _SIGN_BY.match(text, m.end()):
            continue
        s, e = _trim(text, m.start(), m.end())
        if _signature_columns(out, text, s, e):
            continue
        line = text[s:e]
        # "Date: April 7, 2020 ACME CORPORATION", "... Chief Financial Officer ACME LP": the
        # name is the line's upper-case tail, or the whole line
        # ("(OFFSHORE)" and "(CAYMAN)" are words of the name)
        word = rf"\(?{_CAP}[{_CAPS}0-9&.,'/()-]*"
        tail = re.search(rf"(?:{word}[ \t]+)*{word}$", line)
        if tail and len(tail.group(0).split()) >= 2:
            s += tail.start()
        # "HERON SUPPLY CO., a Delaware corporation": the description cut off
        cut = _NAME_CUT.search(text, s, e)
        e = cut.start() if cut and cut.start() > s + 1 else e
        e = s + len(text[s:e].rstrip(" :,"))
        n = len(out)
        _add_signatory(out, text, s, e)
        if len(out) == n and not _signatory_name(text, s, e):
            _add_wrapped(out, text, s, e)
    out = out if len(out) >= 2 else []
    return out or _from_behalf(text, start)


_COLUMN_GAP = re.compile(r"[ \t]{3,}")


def _signature_columns(out: list[_Party], text: str, s: int, e: int) -> bool:
    """Two signature blocks side by side: "NETZEE, INC.          THE BANKERS BANK, a Georgia"
    above "By: ...      By: ...". Each column's name (its description cut off) is read on its
    own; False when the line has no columns or none holds an entity's name."""
    gaps = list(_COLUMN_GAP.finditer(text, s, e))
    if not gaps:
        return False
    bounds = [s, *(g.end() for g in gaps)]
    ends = [*(g.start() for g in gaps), e]
    added = False
    for a, b in zip(bounds, ends, strict=True):
        cut = _NAME_CUT.search(text, a, b)
        b = cut.start() if cut and cut.start() > a + 1 else b
        b = a + len(text[a:b].rstrip(" :,"))
        n = len(out)
        _add_signatory(out, text, a, b)
        added = added or len(out) > n
    return added


# UK signature blocks: "SIGNED by R. Betham ) duly authorised for and on behalf of ) /s/ R.
# Betham  DAIRY CREST LIMITED )"
_BEHALF = re.compile(r"\bfor\s+and\s+on\s+behalf\s+of\b", re.I)
_BEHALF_PIECE = re.compile(r"[^)\n]+?(?=[ \t]*\)|[ \t]{3,}|\n|$)")


def _from_behalf(text: str, start: int) -> list[_Party]:
    """The entity each "for and on behalf of" of the signature blocks names (the first piece
    after it, bracket columns and "/s/ signature" pieces skipped, that reads as an entity)."""
    out: list[_Party] = []
    for m in _BEHALF.finditer(text, start):
        for piece in _BEHALF_PIECE.finditer(text, m.end(), min(len(text), m.end() + 200)):
            a, b = _trim(text, piece.start(), piece.end())
            if a >= b or text[a:b].startswith("/s/"):
                continue
            n = len(out)
            _add_signatory(out, text, a, b)
            if len(out) > n or valid_name(_clean_name(text[a:b])):
                break
    return out if len(out) >= 2 else []


def _signatory_name(text: str, s: int, e: int) -> bool:
    """Whether text[s:e] reads as an entity's name (a valid name ending in an entity suffix)."""
    name = _clean_name(text[s:e])
    return valid_name(name) and _rules().has_suffix(name)


def _add_signatory(out: list[_Party], text: str, s: int, e: int) -> None:
    """A company name found by a signature block, kept once, when it reads as an entity."""
    name = _clean_name(text[s:e])
    new = all(name.lower() != q.name.lower() for q in out)
    if new and _signatory_name(text, s, e):
        out.append(_Party(s, e, name, None, None, 0.5))


def _add_wrapped(out: list[_Party], text: str, s: int, e: int) -> None:
    """An entity name wrapped onto two lines of its block ("BURGER KING\nCORPORATION" above
    "By:"): the line right above joined to the last one when together they read as an entity
    and the line above alone does not."""
    br = text.rfind("\n", 0, s)
    if br <= 0 or text[br + 1 : s].strip():
        return
    hs, he = _trim(text, text.rfind("\n", 0, br) + 1, br)
    if not (0 < he - hs <= 50) or not re.match(_CAP, text[hs]):
        return  # a blank line, a sentence of the attestation clause
    if _COLUMN_GAP.search(text, hs, he) or _signatory_name(text, hs, he):
        return
    _add_signatory(out, text, hs, e)


# a Schedule 13D/G signature block's caption ("March 3, 2021 (Date) ... (Signature)"): where
# the blocks start when the text has no attestation clause
_FORM_DATE = re.compile(r"\(Date\)")
_SIGN_MARK = re.compile(r"\bBy\s*:|/s/")
_SIGN_START = re.compile(
    r"IN\s+WITNESS\s+WHEREOF|In\s+Witness\s+Whereof|\bDated\s*:|(?i:\bin\s+evidence\s+whereof)"
)
# two signature columns run into one line: "UBS FUND L.P. BETA FUND (CAYMAN) MANAGEMENT L.P."
# is two entities, cut after the first one's suffix when an upper-case name of three words
# or more that ends in a suffix of its own follows
_COLUMN_CUT = re.compile(
    rf"(?<=[A-Z0-9.)])[ \t]+(?=(?:[A-Z0-9(][\w&.'’()/-]*[ \t]+){{2,}}{_SUFFIX_RE}$)"
)
_SIGN_TITLE_WORD = re.compile(
    r"(?:Signatory|Officer|President|Director|Partner|Manager|Member|Esq\.?|Secretary"
    r"|Treasurer|Trustee|Title|Name|\d{4}\.?)$",
    re.I,
)


def _signatory_start(text: str, s: int, e: int) -> int:
    """Where an entity's name starts in a run of capitalised words that also holds the
    previous block's signer and title: the run's all-capitals tail ("... Authorized Signatory
    ATHENE LIFE RE LTD."), else the words after the last title word ("Troy Roe, Esq. Chief
    Compliance Officer Yorkville Advisors GP, LLC")."""
    toks = list(re.finditer(r"\S+", text[s:e]))
    k = len(toks)
    while k > 0 and re.fullmatch(r"[^a-z]*[A-Z][^a-z]*|&", toks[k - 1].group(0)):
        k -= 1
    tail = [t.group(0).strip(",.").lower() for t in toks[k:]]
    # a tail of its own ("ATHENE LIFE RE LTD."), not the end of a mixed-case name ("Global
    # II, LLC", "Advisors GP, LLC")
    own = any(len(w) >= 3 and w not in _ENTITY_SUFFIXES for w in tail)
    if own and _rules().has_suffix(text[s + toks[k].start() : e]):
        return s + toks[k].start()
    for i in range(len(toks) - 1, -1, -1):
        if _SIGN_TITLE_WORD.search(toks[i].group(0).rstrip(",")):
            return s + toks[i].end() + 1 if i + 1 < len(toks) else e
    return s


_DATE_BEFORE_MARK = re.compile(
    r"[ \t]*\b(?:Date|Dated)\s*:\s*(?:[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|[\d/.-]{6,10})[ \t]*$"
)


def _from_signature_runs(text: str) -> list[_Party]:
    """Signature pages run into one line (joint filing agreements): each entity name right
    before a "By:" or "/s/" of its own ("... Authorized Signatory ATHENE LIFE RE LTD. By:"),
    not an agent signing for another ("By: Apollo Group LP, its general partner")."""
    starts = list(_SIGN_START.finditer(text)) or list(_FORM_DATE.finditer(text))[:1]
    if not starts:
        return []
    start_m = starts[-1]
    out: list[_Party] = []
    for mark in _SIGN_MARK.finditer(text, start_m.end()):
        lo = max(start_m.end(), mark.start() - 160)
        # "PEEK Investments LLC  Date: July 16, 2012 By: ...": the block's date sits between
        dated = _DATE_BEFORE_MARK.search(text, lo, mark.start())
        stop = dated.start() if dated else mark.start()
        runs = [r for r in _NAME_RUN.finditer(text, lo, stop) if r.group(0).strip()]
        if not runs or text[runs[-1].end() : stop].strip():
            continue
        s, e = runs[-1].start(), runs[-1].start() + len(runs[-1].group(0).rstrip(" ,"))
        s = _signatory_start(text, s, e)
        if re.search(r"(?:By|BY)\s*:\s*$", text[max(0, s - 8) : s]):
            continue  # an agent signing for the entity above
        for a, b in _columns(text, s, e):
            _add_signatory(out, text, a, b)
        if mark.group(0) == "/s/" and _signs_for_self(text, s, e, mark.end()):
            out.append(_Party(s, e, _clean_name(text[s:e]), None, None, 0.5))
    if not any(_rules().has_suffix(q.name) for q in out):
        return []  # persons alone: the officers of an entity the reader missed
    return out if len(out) >= 2 else []


def _folded(name: str) -> list[str]:
    """A person's name as plain lower-case words, accents dropped ("KŘETÍNSKÝ" ~ "Kretinsky")."""
    plain = unicodedata.normalize("NFKD", name)
    return _plain_words("".join(c for c in plain if not unicodedata.combining(c)))


def _signs_for_self(text: str, s: int, e: int, after: int) -> bool:
    """A person who signs as a party of his own (a reporting person of a joint filing): the
    name in capitals right before "/s/" and the same name written after it ("JANE Q. ROE /s/
    Jane Q. Roe"), not an entity's name."""
    name = _clean_name(text[s:e])
    if name != name.upper() or not valid_name(name) or _rules().has_suffix(name):
        return False
    words = _folded(name)
    signed = _folded(text[after : after + len(name) + 8])
    return len(words) >= 2 and signed[: len(words)] == words


def _columns(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """One signatory name, or two when two columns ran together (see `_COLUMN_CUT`)."""
    name = text[s:e]
    if name != name.upper():
        return [(s, e)]
    for m in _COLUMN_CUT.finditer(name):
        head = name[: m.start()]
        if re.search(rf"\b{_SUFFIX_RE}$", head) and len(head.split()) >= 2:
            return [(s, s + m.start()), (s + m.end(), e)]
    return [(s, e)]


def signatories(text: str) -> list[_Party]:
    """The entities of the signature blocks: the names above "By:" lines, or the names before
    each "By:"/"/s/" mark when those hold every one of them and more (an entity that signs
    through its general partner writes its name on the "By:" line: "ACME FUND LP By: Acme GP
    LLC, its general partner"), a name above cut to its last words included."""
    lines = _from_signatures(text)
    runs = _from_signature_runs(text)
    if not lines or len(runs) <= len(lines):
        return lines or runs
    longer = [" " + " ".join(_plain_words(q.name)) for q in runs]
    if all(any(r.endswith(" " + " ".join(_plain_words(q.name))) for r in longer) for q in lines):
        return runs
    return lines
