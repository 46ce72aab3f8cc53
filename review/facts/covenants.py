"""Facts on who may do what: pricing and exclusivity covenants, assignment and change of control,
termination for convenience."""

from __future__ import annotations

import re
from collections.abc import Iterator

from review.facts.base import (
    Side,
    _absent,
    _cuad_flag,
    _days_in,
    _Doc,
    _mutual,
    _on,
    _unknown,
    fact,
)
from review.types import Fact

# ---------------------------------------------------------------------------------------------
# Competition and pricing
# ---------------------------------------------------------------------------------------------

_MFN_CUE = re.compile(
    r"\bmost\s+favou?red\b|\b(?:no|not)\s+(?:less|more)\s+favou?rable\b|\bas\s+favou?rable\b"
    r"|\bmore\s+favou?rable\b|\blowest\b|\bbest\s+(?:price|terms|pricing)\b|\bparity\b"
    r"|\b(?:equal\s+to\s+or\s+)?(?:better|lower)\s+than\b|\bno\s+(?:higher|greater)\s+than\b",
    re.I,
)
# a promise that our terms match the best given to others: a comparison of favourability or
# price ("no less favorable than", "no higher than the lowest price") against a class of
# others ("any other customer", "similarly situated", "third parties")
_MFN_COMPARE = (
    r"\b(?:no|not)\s+(?:\w+\s+)?less\s+favou?rabl[ey]|\b(?:at\s+least|equally)\s+as\s+"
    r"favou?rabl[ey]|\b(?:as|equal\s+to)\s+or\s+more\s+favou?rable|\bmore\s+favou?rable\s+"
    r"(?:terms|pric\w+|treatment|rates?)\b|\bmost\s+favou?rable\b"
    r"|\b(?:higher|greater)\s+(?:fees?|prices?|rates?|royalt\w+)\s+than\b"
    r"|\b(?:no|not)\s+(?:higher|greater)\s+than\s+(?:the\s+)?lowest\b|\blowest\s+(?:net\s+)?"
    r"(?:prices?|rates?|fees?)\b|\bbetter\s+than\s+(?:that|those)\s+(?:provided|offered|given)"
)
_MFN_OTHERS = (
    r"\bothers\b|\bother\s+(?:[\w-]+\s+){0,3}(?:customers?|clients?|licensees?|"
    r"distributors?|resellers?|purchasers?|buyers?|users?|sponsors?|compan(?:y|ies)|entit(?:y|ies)"
    r"|persons?|part(?:y|ies))\b|\bsimilarly[\s-]situated\b|\bthird[\s-]part(?:y|ies)\b"
    r"|\bany\s+member\s+of\b|\bin\s+the\s+market\b"
)
_MFN_STRONG = re.compile(
    rf"\bmost\s+favou?red\s+(?:nations?|customers?|licensees?|treatment|pric\w+|terms)\b"
    rf"|\bprice\s+parity\b|{_MFN_COMPARE}",
    re.I,
)
_MFN_WITH = re.compile(rf"\bmost\s+favou?red\b|\bprice\s+parity\b|{_MFN_OTHERS}", re.I)
# matching an offer made to a third party is a right of first refusal, not MFN; so are
# share sales and lock-ups
_MFN_VETO = re.compile(
    r"\bfirst\s+(?:refusal|negotiation|offer)\b|\b(?:last|previously|initially|first)\s+"
    r"offered\b|\boffer\w*\s+(?:[\w-]+\s+){0,4}to\s+(?:any\s+|a\s+)?third[\s-]part"
    r"|\bsell\b[^.]*\bshares\b|\block-?up\b|\bstockholders\b|\bwithholding\s+tax"
    # a denial of any parity ("nothing herein obliges Supplier to offer terms equal to or
    # more favourable than ..."): our own standard's wording on other paper
    r"|\bnothing\b[^.]{0,120}\b(?:oblig|requir|entitl)\w*|\bnot\s+(?:be\s+)?(?:obliged|obligated"
    r"|required|entitled)\s+to\b|\bno\s+(?:obligation|right)\s+to\b",
    re.I,
)


@fact("mfn")
def _mfn(doc: _Doc) -> Fact:
    return _cuad_flag(doc, "Most Favored Nation")


_EXCL_CUE = re.compile(
    r"\bexclusive(?:ly)?\b|\bsole\s+(?:and\s+exclusive\s+)?(?:source|supplier|provider|"
    r"distributor|reseller|right|licensee|agent)\b|\bsolely\s+from\b|\bonly\s+from\b"
    r"|\bnot\s+(?:appoint|purchase|sell|distribute|license|grant)\b|\brequirements\b",
    re.I,
)
# A denial: "non-exclusive", "does not create an exclusive relationship", "nothing in this
# Agreement makes either party the other's exclusive supplier".
_EXCL_VETO = re.compile(
    r"\bnon-?\s?exclusive\b(?![^.]*\bexclusive\s+(?:right|basis)\b)"
    r"|\b(?:not|nor|never)\s+(?:\w+\s+){0,3}?exclusive\b|\bnothing\b[^.]{0,80}\bexclusive\b",
    re.I,
)


# The exclusivity the playbook guards against, in words CUAD's classifier files under
# non-compete: the vendor promising not to supply the customer's competitors ("Vendor shall
# not license or provide the Service to any competitor of Customer").
_NOT_SUPPLY_COMPETITORS = re.compile(
    r"\b(?:shall|will|may|must)\s+not\b[^.;]{0,60}?\b(?:licen[cs]e|sell|provide|offer|supply|"
    r"make\s+(?:\w+\s+){0,4}available|market|distribute)\b[^.;]{0,120}?\bcompetitors?\b",
    re.I,
)


# A party keeping a right of its own ("retains its sole and exclusive right to ..."), a
# definition, or leave to compete ("each party may market competing products") binds no one.
_RESERVED = re.compile(r"\b(?:retains?|reserves?|retained|reserved)\b[^.;]{0,60}\bexclusive", re.I)
_DEFINITION = re.compile(
    r"[\"”]\s*(?:shall\s+)?means?\b|\bshall\s+mean\b|\bis\s+defined\s+as\b", re.I
)
_LEAVE_TO_COMPETE = re.compile(
    r"\bmay\b[^.;]{0,100}\bcompet\w*|\bfree\s+to\b|\bnothing\b[^.;]{0,150}\b(?:restrict|prevent"
    r"|preclude|limit|prohibit|bar)\w*",
    re.I,
)


# Where a clause of a sentence starts: its subject is the first party named after it.
_CLAUSE_START = re.compile(r";|,\s*(?:and|but|while|whereas|provided\s+that)\b|:", re.I)


def _binds_us(doc: _Doc, s: int, e: int, cue: re.Pattern[str]) -> bool:
    """Whether a sentence restricting a party may restrict us: not a definition, a
    reservation of one's own right or leave to compete; else some `cue` in it whose clause's
    subject (the first party named in the clause: the one bound, or the grantor of an
    exclusive right) is not the customer. Parties not known may be us: unsure is not
    cleared."""
    sent = doc.text[s:e]
    if _RESERVED.search(sent) or _DEFINITION.search(sent) or _LEAVE_TO_COMPETE.search(sent):
        return False
    found = False
    for m in cue.finditer(sent):
        found = True
        starts = [c.end() for c in _CLAUSE_START.finditer(sent, 0, m.start())]
        end = _CLAUSE_START.search(sent, m.end())
        clause = (s + (starts[-1] if starts else 0), s + (end.start() if end else len(sent)))
        if doc.first_party(*clause) != "customer":
            return True
    return not found


@fact("exclusivity")
def _exclusivity(doc: _Doc) -> Fact:
    found = _cuad_flag(doc, "Exclusivity", lambda s, e: _binds_us(doc, s, e, _EXCL_CUE))
    if found.value is True:
        return found
    for s, e, m in doc.sentences_with(_NOT_SUPPLY_COMPETITORS):
        if doc.subject(s, m.start() + 1) == "vendor":
            return _on(True, (s, e), 0.7, "regex:exclusivity")
    return found


_NONCOMPETE_CUE = re.compile(
    r"\bcompet\w*|\bnot\s+(?:\w+\s+){0,3}(?:engage|develop|market|sell|distribute|manufacture|"
    r"offer|provide|own|operate|invest)|\bsimilar\s+(?:products?|services?|business)\b"
    r"|\brestrict(?:ed|ive)?\s+(?:period|covenant|territory)",
    re.I,
)


@fact("non_compete")
def _non_compete(doc: _Doc) -> Fact:
    return _cuad_flag(doc, "Non-Compete", lambda s, e: _binds_us(doc, s, e, _NONCOMPETE_CUE))


_SOLICIT = re.compile(r"\bsolicit\w*|\bentice\w*|\bdivert\w*", re.I)
_SOLICIT_CUSTOMERS = re.compile(
    r"\b(?:solicit|entice|divert)\w*\b[^.]{0,200}\b(?:customers?|clients?|accounts?|"
    r"distributors?|suppliers?)\b",
    re.I,
)


@fact("non_solicit_customers")
def _non_solicit_customers(doc: _Doc) -> Fact:
    return _cuad_flag(doc, "No-Solicit Of Customers")


@fact("non_solicit_mutual")
def _non_solicit_mutual(doc: _Doc) -> Fact:
    verb = re.compile(r"\b(?:shall|will|may|agrees?)\s+not\b|\bagrees?\s+(?:that\s+it\s+)?", re.I)
    return _mutual(doc, _SOLICIT, verb, "regex:non_solicit")


# ---------------------------------------------------------------------------------------------
# Assignment and change of control
# ---------------------------------------------------------------------------------------------

_ASSIGN = re.compile(r"\bassign\w*|\btransfer\w*|\bdelegat\w*", re.I)
_ASSIGN_RESTRICT = re.compile(
    r"\b(?:consent|approval|permission|authoriz|prohibited|void|null|not\s+(?:\w+\s+){0,3}"
    r"(?:assign|transfer|delegate))|\bneither\s+party\b|\bnor\b",
    re.I,
)


@fact("anti_assignment")
def _anti_assignment(doc: _Doc) -> Fact:
    return _cuad_flag(doc, "Anti-Assignment")


_NEEDS_CONSENT = re.compile(
    r"\b(?:without\s+(?:[\w'’]+\s+){0,4}(?:consent|approval|permission|authoriz\w*)"
    r"|(?:subject\s+to|with|upon|requires?)\s+(?:[\w'’]+\s+){0,4}(?:consent|approval))",
    re.I,
)
_FREE_ASSIGN = re.compile(
    r"\bmay\s+(?:freely\s+)?(?:assign|transfer)\b[^.]{0,200}\bwithout\s+(?:[\w'’]+\s+){0,4}"
    r"(?:consent|approval)|\bfreely\s+(?:assign|transfer)|\bfreely\s+assignable\b"
    # "may assign it to any third party on notice": to anyone, no consent named after it
    r"|\bmay\s+(?:assign|transfer)\b[^.;]{0,80}?\bto\s+any\s+(?:third\s+part(?:y|ies)|person|"
    r"entity|one|party)\b(?![^.]{0,120}\b(?:consent|approval)\b)",
    re.I,
)


_FREE_ASSIGN_EACH = re.compile(
    r"\bmay\s+(?:freely\s+)?(?:assign|transfer)\b[^.]{0,200}?\bwithout\s+(?:[\w'’]+\s+){0,6}?"
    r"(?:consent|approval)|\bfreely\s+(?:assign|transfer)|\bfreely\s+assignable\b"
    # "may assign it to any third party on notice": to anyone, no consent named after it
    r"|\bmay\s+(?:assign|transfer)\b[^.;]{0,80}?\bto\s+any\s+(?:third\s+part(?:y|ies)|person|"
    r"entity|one|party)\b(?![^.]{0,120}\b(?:consent|approval)\b)",
    re.I,
)
# "... without consent to a successor in a merger, acquisition or sale of its assets", with
# no other assignee named.
_SUCCESSOR_ONLY = re.compile(
    r"[\s,]*to\s+(?:a|an|its|any|the)?\s*(?:successors?\b|(?:entity|person|company|party|"
    r"purchaser|acquirer|transferee)\s+(?:that|which|who)\s+(?:[\w'’]+\s+){0,3}?"
    r"(?:succeeds?|acquires?|merges?)\b)(?![^.;]{0,120}\baffiliate)",
    re.I,
)
_NEGATED_ACTOR = re.compile(r"\b(?:neither|no)\s+part(?:y|ies)\b(?:\s+[\w'’]+){0,3}\s*$", re.I)


def _assignment_restricted(doc: _Doc) -> dict[Side, tuple[int, int]]:
    """Sides whose assignment needs the other's consent (or is barred), with evidence."""
    found: dict[Side, tuple[int, int]] = {}
    bar = re.compile(
        r"\b(?:shall|will|may|can)\s+not\b[^.;]{0,80}?\b(?:assign|transfer|delegate)"
        r"|\bno\s+(?:assignment|transfer)\b|\bneither\s+party\s+(?:\w+\s+){0,3}(?:assign|transfer)",
        re.I,
    )
    for s, e, _m in doc.sentences_with(_ASSIGN):
        sent = doc.text[s:e]
        if _FREE_ASSIGN.search(sent) and not re.search(r"\bneither\b|\bnot\b", sent, re.I):
            continue
        for bm in bar.finditer(doc.text, s, e):
            side = doc.subject(s, bm.start() + 1)
            if "neither" in bm.group(0).lower() or (side is None and _NEEDS_CONSENT.search(sent)):
                side = "both"  # "neither party may assign"; a passive bar binds everyone
            if side is not None:
                found.setdefault(side, (s, e))
    return found


@fact("assignment_without_consent")
def _assignment_without_consent(doc: _Doc) -> Fact:
    """The customer may assign without our consent: an explicit free-assignment sentence
    whose actor is the customer (or either party)."""
    for s, e, _m in doc.sentences_with(_FREE_ASSIGN):
        # Each permission in the sentence on its own: "Neither party may assign without
        # consent, except that either party may assign without consent to ..." bars first.
        for m in _FREE_ASSIGN_EACH.finditer(doc.text, s, e):
            if _NEGATED_ACTOR.search(doc.text, s, m.start()):
                continue  # "neither party may assign ... without consent" is the bar itself
            if _SUCCESSOR_ONLY.match(doc.text, m.end()):
                continue  # the merger exception of our own standard, not assignment to anyone
            side = doc.subject(s, m.start() + 1)
            if side in ("customer", "both"):
                return _on(True, (s, e), 0.75, "regex:assignment")
    restricted = _assignment_restricted(doc)
    for side in ("customer", "both"):
        if side in restricted:
            return _on(False, restricted[side], 0.7, "regex:assignment")
    # no clause restricts the customer: by default contracts are freely assignable, but a
    # rule about our consent must not fire on a silence it cannot read
    return _absent("regex:assignment", 0.4)


@fact("vendor_assignment_requires_consent")
def _vendor_assignment_requires_consent(doc: _Doc) -> Fact:
    restricted = _assignment_restricted(doc)
    for side in ("vendor", "both"):
        if side in restricted:
            return _on(True, restricted[side], 0.7, "regex:assignment")
    return _absent("regex:assignment")


_COC_STRONG = re.compile(r"\bchange\s+(?:of|in)\s+control\b", re.I)
# A change-of-control clause attaches a consequence (termination, consent, deemed assignment)
# to a change in who controls a party. Permissions ("either party may assign without consent
# to a successor by merger"), denials ("a change of control shall not be deemed an
# assignment") and definitions are not such clauses.
_COC_EVENT = re.compile(
    r"\bchange\s+(?:of|in)\s+(?:the\s+)?(?:\w+\s+)?(?:control|ownership)|\bcontrolling\s+interest"
    r"|\bownership\s+change|\b(?:is|be|been|becomes?)\s+acquired\s+by\b"
    r"|\bmerge[sd]?\s+(?:with|into)\b|\bsale\s+of\s+(?:all\s+or\s+)?substantially\s+all",
    re.I,
)
_COC_BROAD = re.compile(
    rf"{_COC_EVENT.pattern}|\bmajority\s+of\s+(?:the\s+|its\s+)?(?:\w+\s+)?(?:voting|outstanding|"
    r"equity|shares|stock)|\bmergers?\b|\bconsolidat\w+|\breorgani[sz]ation|\bsubstantially\s+all\b"
    r"|\bby\s+operation\s+of\s+law|\bcontrol\s+of\b",
    re.I,
)
_COC_CONSEQUENCE = re.compile(
    r"\bterminat\w*|\bconsent\b|\bapprov\w*|\bnotif\w*|\bdeemed\b|\bvoid\b|\bcease", re.I
)
_COC_PERMITTED = re.compile(
    r"\bmay\b[^.;]{0,60}\b(?:assign|transfer)\w*\b[^.]{0,150}\bwithout\b[^.]{0,80}\bconsent"
    r"|\bno\s+(?:such\s+)?consent\s+(?:shall|will)\s+be\s+required"
    r"|\bwithout\s+(?:\w+\s+){0,4}consent\b[^.]{0,100}\b(?:to\s+an?\s+)?(?:affiliate|successor)",
    re.I,
)
_COC_DENIED = re.compile(
    r"\bnor\s+shall\s+(?:any\s+)?change\b|\b(?:not|no)\s+(?:be\s+)?(?:deemed|considered|constitute)"
    r"\w*\s+(?:to\s+be\s+)?(?:an?\s+)?(?:assignment|transfer)|\bmeans\b|\bshall\s+mean\b"
    r"|\b\d+\.\d+\s+[^.]{0,60}\b\d+\s+\d+\.\d+\b",  # a table of contents
    re.I,
)
# classifier floors, fixed constants from CUAD CV: a sentence with a broad event word and a
# consequence counts from 0.2, any other from 0.7
_COC_CUED, _COC_ALONE = 0.2, 0.7


@fact("change_of_control")
def _change_of_control(doc: _Doc) -> Fact:
    """A change of control of a party has a consequence: termination, consent or notice."""
    source = "regex+classifier:Change Of Control"
    text = doc.text
    for s, e, _m in doc.sentences_with(_COC_EVENT):
        if (
            _COC_CONSEQUENCE.search(text, s, e)
            and not _COC_DENIED.search(text, s, e)
            and not _COC_PERMITTED.search(text, s, e)
        ):
            return _on(True, (s, e), max(doc.best("Change Of Control"), 0.7), source)
    for h in doc.hits("Change Of Control", min(_COC_CUED, _COC_ALONE)):
        if _COC_PERMITTED.search(text, h.start, h.end) or _COC_DENIED.search(text, h.start, h.end):
            continue
        if h.score >= _COC_ALONE or (
            _COC_BROAD.search(text, h.start, h.end)
            and _COC_CONSEQUENCE.search(text, h.start, h.end)
        ):
            return _on(True, (h.start, h.end), h.score, source)
    return _absent(source, 1.0 - doc.best("Change Of Control"))


def _coc_sentences(doc: _Doc) -> Iterator[tuple[int, int]]:
    seen = set()
    for h in doc.hits("Change Of Control", 0.3):
        seen.add(h.start)
        yield h.start, h.end
    for s, e, _m in doc.sentences_with(_COC_STRONG):
        if s not in seen:
            yield s, e


_TERMINATE = re.compile(r"\b(?:may|can|shall\s+have\s+the\s+right\s+to|right\s+to)\s+(?:\w+\s+)"
                        r"{0,4}?terminate\b", re.I)  # fmt: skip


def _coc_termination(doc: _Doc, who: tuple[Side, ...]) -> Fact:
    for s, e in _coc_sentences(doc):
        for m in _TERMINATE.finditer(doc.text, s, e):
            if doc.subject(s, m.start() + 1) in who:
                return _on(True, (s, e), 0.7, "regex:change_of_control")
    return _absent("regex:change_of_control")


@fact("customer_coc_termination_right")
def _customer_coc_termination_right(doc: _Doc) -> Fact:
    return _coc_termination(doc, ("customer", "both"))


@fact("vendor_coc_termination_right")
def _vendor_coc_termination_right(doc: _Doc) -> Fact:
    return _coc_termination(doc, ("vendor", "both"))


@fact("vendor_change_of_control_consent")
def _vendor_change_of_control_consent(doc: _Doc) -> Fact:
    """A change of control of the vendor (or of either party) needs the other's consent."""
    for s, e in _coc_sentences(doc):
        sent = doc.text[s:e]
        if not re.search(r"\b(?:consent|approval)\b", sent, re.I):
            continue
        sides = {p[2] for p in doc.parties_in(s, e)}
        if sides & {"vendor", "both"}:
            return _on(True, (s, e), 0.65, "regex:change_of_control")
    return _absent("regex:change_of_control")


# ---------------------------------------------------------------------------------------------
# Termination for convenience
# ---------------------------------------------------------------------------------------------

# Termination for convenience is a right to end the contract that needs no ground. A sentence
# about ending it ("terminate", "cancel", "withdraw") counts when it grants that right and
# either says it needs no cause ("for convenience", "without cause", "for any or no reason"),
# or gives it on discretion or on notice alone with no triggering event (breach, insolvency,
# change of control, the end of a term). Rights on a trigger are termination for cause.
_TFC_END = re.compile(r"\bterminat\w*|\bcancel\w*|\bwithdraw\w*|\brevoke\b", re.I)
_TFC_RIGHT = re.compile(
    r"\b(?:may|can|shall\s+(?:have|be\s+entitled)|has\s+the\s+right|right\s+to|entitled\s+to"
    r"|reserves\s+the\s+right|ability\s+to)\b[^.;]{0,80}\b(?:terminat|cancel)"
    r"|\b(?:terminable|cancell?able)\b|\bmay\s+be\s+(?:terminated|cancell?ed)\b"
    r"|\b(?:terminated|cancell?ed)\s+(?:\w+\s+)?by\s+(?:either|any|each|both)\b"
    r"|\buntil\s+(?:\w+\s+)?terminated\b|^\W*\(?\w{1,3}[.)]\s*by\s+|\bwishing\s+to\s+terminate"
    r"|\bright\s+to\s+(?:voluntarily\s+)?(?:cancel|withdraw|revoke)"
    r"|\bmay\s+(?:\w+\s+){0,3}(?:cancel|withdraw|revoke)",
    re.I,
)
_TFC_NO_CAUSE = re.compile(
    r"\bfor\s+(?:its|their|any\s+party['’]s|[\w'’]+\s+)?(?:own\s+)?convenience\b"
    r"|\bwithout\s+(?:any\s+)?(?:cause|reason)\b|\bwith\s+or\s+without\s+(?:cause|reason)"
    r"|\bfor\s+any\s+or\s+no\s+reason\b|\bfor\s+no\s+reason\b",
    re.I,
)
_TFC_DISCRETION = re.compile(
    r"\bfor\s+any\s+reason\b|\bfor\s+whatever\s+reason|\bin\s+its\s+(?:sole\s+|absolute\s+|"
    r"sole\s+and\s+absolute\s+|unfettered\s+)?discretion\b|\bat\s+(?:its|their)\s+(?:sole\s+)?"
    r"(?:option|discretion|election)\b",
    re.I,
)
_TFC_NOTICE = re.compile(r"\bnotice|\bnotif", re.I)
_TFC_TRIGGER = re.compile(
    r"\bbreach|\bdefault|\bfail\w*|\binsolven|\bbankrupt|\bif\b|\bin\s+the\s+event\b|\bshould\b"
    r"|\bupon\s+the\s+occurrence|\bfollowing\s+events|\bas\s+follows|:\s*$|\bwhereupon\b"
    r"|\bchange\s+(?:of|in)\s+control|\bdeath|\bmutual|\bsuspend|\brenew"
    r"|\bend\s+of\s+(?:the\s+|each\s+|any\s+)?(?:then[\s-])?(?:current\s+)?(?:initial\s+|renewal\s+)?"
    r"term|\bexpiration\s+of\s+(?:its|the|this|each|any)\b|\bprior\s+to\s+the\s+(?:end|expiration)"
    r"|\bupon\s+(?:receipt|the\s+(?:dissolution|termination|expiration))",
    re.I,
)
_TFC_DENIED = re.compile(
    r"\b(?:not|no)\s+(?:\w+\s+){0,4}(?:be\s+)?terminat\w*\s+(?:\w+\s+){0,6}(?:for\s+(?:its\s+)?"
    r"(?:own\s+)?convenience|without\s+cause)|\bmay\s+not\s+terminate|\bwith\s+cause\b"
    r"|\bfor\s+[\"“]?cause\b|\bterminat\w*\s+or\s+suspend|\bsuspend\w*\s+or\s+terminat",
    re.I,
)
# a notice-only right counts where the classifier agrees it is about termination for
# convenience (fixed constant from CUAD CV: 0.2-0.5 give the same F1 within 0.01)
_TFC_NOTICE_ONLY = 0.3


def _tfc_hit(doc: _Doc) -> tuple[int, int, float] | None:
    """The first sentence granting a right to terminate without cause: (start, end, conf)."""
    if "tfc" not in doc.memo:
        doc.memo["tfc"] = _find_tfc(doc)
    hit: tuple[int, int, float] | None = doc.memo["tfc"]
    return hit


def _find_tfc(doc: _Doc) -> tuple[int, int, float] | None:
    scores = {h.start: h.score for h in doc.hits("Termination For Convenience")}
    for s, e, _m in doc.sentences_with(_TFC_END):
        if _TFC_DENIED.search(doc.text, s, e) or not _TFC_RIGHT.search(doc.text[s:e]):
            continue
        score = scores.get(s, 0.0)
        if _TFC_NO_CAUSE.search(doc.text, s, e):
            return s, e, max(score, 0.8)
        if _TFC_TRIGGER.search(doc.text[s:e]):
            continue
        if _TFC_DISCRETION.search(doc.text, s, e):
            return s, e, max(score, 0.6)
        if score >= _TFC_NOTICE_ONLY and _TFC_NOTICE.search(doc.text, s, e):
            return s, e, score
    return None


@fact("termination_for_convenience")
def _termination_for_convenience(doc: _Doc) -> Fact:
    hit = _tfc_hit(doc)
    if hit is None:
        return _absent("regex+classifier:termination_for_convenience")
    return _on(True, hit[:2], hit[2], "regex+classifier:termination_for_convenience")


@fact("termination_for_convenience_party")
def _termination_for_convenience_party(doc: _Doc) -> Fact:
    """Who may terminate for convenience: "customer", "vendor" or "both" (None: nobody)."""
    t = doc.term("termination_for_convenience")
    source = "term:termination_for_convenience"
    if _tfc_hit(doc) is not None and t is not None and isinstance(t.value, dict):
        party = str(t.value.get("party") or "")
        side: Side | None = "both" if party == "either" else doc.side_of(party)
        if side is not None:
            return _on(side, (t.start, t.end), t.confidence, source)
    hit = _tfc_hit(doc)
    if hit is None:
        return _unknown(source)
    s, e = doc.sentence_at(hit[0])
    m = re.search(r"\bterminat", doc.text[s:e], re.I)
    side = doc.subject(s, s + (m.start() if m else e - s))
    if side is None:
        return _unknown(source)
    return _on(side, (s, e), hit[2] * 0.8, "classifier:termination_for_convenience")


@fact("termination_for_convenience_notice_days")
def _termination_for_convenience_notice_days(doc: _Doc) -> Fact:
    t = doc.term("termination_for_convenience")
    hit = _tfc_hit(doc)
    if hit is None:
        return _unknown("regex:termination_for_convenience")
    if t is not None and isinstance(t.value, dict) and t.value.get("notice_days") is not None:
        return _on(
            t.value["notice_days"],
            (t.start, t.end),
            t.confidence,
            "term:termination_for_convenience",
        )
    s, e = doc.sentence_at(hit[0])
    d = _notice_in(doc, s, e)
    if d is None:
        return _unknown("regex:termination_for_convenience")
    return _on(d[0], (d[1], d[2]), 0.6, "regex:termination_for_convenience")


# "with effect from the end of any twelve-month contract year by giving at least ninety (90)
# days' written notice": the notice is the duration that words next to it call notice.
_CALLED_NOTICE = re.compile(
    r"[’']?s?\s+(?:(?:prior|advance|written|express)\s+){0,3}notice\b", re.I
)


def _notice_in(doc: _Doc, start: int, end: int) -> tuple[int, int, int] | None:
    """The sentence's duration called notice, else its first one."""
    at = start
    while (d := _days_in(doc, at, end)) is not None:
        if _CALLED_NOTICE.match(doc.text, d[2]) or re.search(
            r"\bnotice\s+(?:period\s+)?of\s*$", doc.text[max(start, d[1] - 20) : d[1]], re.I
        ):
            return d
        at = d[2]
    return _days_in(doc, start, end)
