"""Facts on rights in the work and the deal around it: IP ownership, licences, publicity, escrow,
third-party beneficiaries, warranties."""

from __future__ import annotations

import re

from review.facts.base import (
    _absent,
    _Doc,
    _lexical_flag,
    _on,
    fact,
)
from review.types import Fact

# ---------------------------------------------------------------------------------------------
# Intellectual property and licences
# ---------------------------------------------------------------------------------------------

_WMFH = re.compile(
    r"\bworks?\s+(?:made\s+)?for\s+hire\b|\bworks?[\s-]made[\s-]for[\s-]hire\b", re.I
)


@fact("work_made_for_hire")
def _work_made_for_hire(doc: _Doc) -> Fact:
    return _lexical_flag(
        doc,
        _WMFH,
        "regex:work_made_for_hire",
        veto=re.compile(r"\bnot\s+(?:be\s+)?(?:\w+\s+){0,2}works?\s+(?:made\s+)?for\s+hire", re.I),
        confidence=0.85,
    )


_IP = (
    r"(?:intellectual\s+property|work\s+product|deliverables?|inventions?|improvements?"
    r"|right,\s+title\s+and\s+interest|copyrights?|patents?)"
)
_IP_TO = re.compile(
    rf"\bhereby\s+(?:irrevocably\s+)?assigns?\b[^.]{{0,200}}?\bto\s+(?P<to>(?:the\s+)?[A-Z][\w&-]*)"
    rf"|\b{_IP}\b[^.]{{0,200}}?\b(?:shall|will)\s+(?:\w+\s+){{0,2}}(?:vest\s+in|be\s+(?:the\s+)?"
    rf"(?:sole\s+and\s+exclusive\s+|exclusive\s+|sole\s+)?(?:property\s+of|owned\s+(?:\w+\s+)?by))"
    rf"\s+(?P<to2>(?:the\s+)?[A-Z][\w&-]*)",
)


@fact("ip_assigned_to_customer")
def _ip_assigned_to_customer(doc: _Doc) -> Fact:
    for s, e, _m in doc.sentences_with(re.compile(_IP, re.I)):
        for m in _IP_TO.finditer(doc.text, s, e):
            to = m.group("to") or m.group("to2")
            if doc.side_of(to) == "customer":
                return _on(True, (s, e), 0.7, "regex:ip_ownership")
    wm = _work_made_for_hire(doc)
    if wm.value:
        return wm.model_copy(update={"source": "regex:work_made_for_hire", "confidence": 0.6})
    return _absent("regex:ip_ownership")


_JOINT_IP = re.compile(
    r"\bjointly\s+(?:\w+\s+){0,2}owne?d?\b|\bjoint(?:ly)?\s+own(?:ership|ers?)?\b|\bco-?own\w*"
    r"|\bowned\s+jointly\b|\bjoint\s+(?:intellectual\s+)?property\b|\bundivided\s+(?:\w+\s+)?interest",
    re.I,
)


@fact("joint_ip_ownership")
def _joint_ip_ownership(doc: _Doc) -> Fact:
    return _lexical_flag(
        doc, _JOINT_IP, "regex:joint_ip_ownership", veto=re.compile(r"\bno\s+joint\b", re.I)
    )


_LICENSE = re.compile(r"\blicen[cs]\w*|\bright\s+to\s+use\b", re.I)


@fact("license_perpetual")
def _license_perpetual(doc: _Doc) -> Fact:
    cue = re.compile(r"(?<!non-)(?<!non)\b(?:perpetual|irrevocable)\b", re.I)
    for s, e, _m in doc.sentences_with(cue):
        # A licence the customer grants us (to its data, its feedback) costs us nothing.
        grant = re.search(r"\bgrant\w*", doc.text[s:e], re.I)
        if grant is not None and doc.subject(s, s + grant.start()) == "customer":
            continue
        if _LICENSE.search(doc.text, s, e) and not re.search(
            r"\b(?:revocable|non-?\s?perpetual|not\s+perpetual)\b", doc.text[s:e], re.I
        ):
            return _on(True, (s, e), 0.7, "regex:license")
    return _absent("regex:license")


@fact("license_unlimited")
def _license_unlimited(doc: _Doc) -> Fact:
    cue = re.compile(
        r"\bunlimited\s+(?:number\s+of\s+)?(?:users?|copies|installations?|use|access|seats?|"
        r"licen[cs]es?)\b|\ball[\s-]you[\s-]can[\s-]eat\b|\benterprise[\s-]wide\b"
        r"|\bwithout\s+(?:limitation\s+(?:as\s+to|on)|regard\s+to)\s+(?:the\s+)?number\s+of",
        re.I,
    )
    for s, e, _m in doc.sentences_with(cue):
        if _LICENSE.search(doc.text, s, e):
            return _on(True, (s, e), 0.7, "regex:license")
    return _absent("regex:license")


@fact("license_transferable")
def _license_transferable(doc: _Doc) -> Fact:
    cue = re.compile(
        r"(?<![-\w])(?:transferable|sublicensable|sub-licensable|assignable)\b|\bright\s+to\s+"
        r"(?:grant\s+)?sub-?licen[cs]e|\bmay\s+(?:\w+\s+){0,2}sub-?licen[cs]e",
        re.I,
    )
    neg = re.compile(r"\bnon-?\s?(?:transferable|sublicensable|sub-licensable|assignable)|"
                     r"\bwithout\s+the\s+right\s+to\s+(?:grant\s+)?sub", re.I)  # fmt: skip
    for s, e, _m in doc.sentences_with(cue):
        sent = doc.text[s:e]
        if not _LICENSE.search(sent):
            continue
        # "non-exclusive, transferable" counts; "non-transferable" does not
        if not neg.search(sent) or cue.search(neg.sub("", sent)):
            return _on(True, (s, e), 0.65, "regex:license")
    return _absent("regex:license")


# ---------------------------------------------------------------------------------------------
# Publicity, escrow, third parties, warranties
# ---------------------------------------------------------------------------------------------

_PUBLICITY = re.compile(
    r"\b(?:shall|will|may)\s+not\s+(?:\w+\s+){0,4}(?:use|issue|make|publish|disclose|refer|"
    r"identify|mention)\b[^.]{0,160}\b(?:name|logo|trademarks?|press\s+releases?|public\s+"
    r"(?:announcement|statement|reference)s?|publicity|advertis\w*|marketing)",
    re.I,
)


@fact("publicity_prohibited")
def _publicity_prohibited(doc: _Doc) -> Fact:
    """A bar on publicity with no consent route (a consent requirement is not a prohibition)."""
    for s, e, _m in doc.sentences_with(_PUBLICITY):
        sent = doc.text[s:e]
        if not re.search(r"\b(?:consent|approv\w*|permission|authoriz\w*)\b", sent, re.I):
            return _on(True, (s, e), 0.65, "regex:publicity")
    return _absent("regex:publicity")


_ESCROW = re.compile(r"\bescrow\b", re.I)


# "No source code escrow is provided", "does not place, and is not required to place, the
# source code in escrow": a denial of escrow, which is our standard.
_NO_ESCROW = re.compile(
    r"\bno\s+(?:[\w-]+\s+){0,2}escrow\b|\b(?:is|are|does|do|shall|will)\s+not\s+(?:be\s+)?"
    r"(?:[\w,]+\s+){0,4}?(?:place|deposit|provid|maintain|required|obliged)\w*\b[^.]{0,80}\bescrow\b",
    re.I,
)


def _escrow_sentences(doc: _Doc) -> list[tuple[int, int]]:
    return [
        (s, e)
        for s, e, _m in doc.sentences_with(_ESCROW)
        if re.search(r"\bsource\s+code\b|\bescrow\s+agent\b|\bdeposit", doc.text[s:e], re.I)
        and not _NO_ESCROW.search(doc.text, s, e)
    ]


@fact("escrow_required")
def _escrow_required(doc: _Doc) -> Fact:
    sents = _escrow_sentences(doc)
    if not sents:
        return _absent("regex:escrow", 1.0 - doc.best("Source Code Escrow"))
    return _on(True, sents[0], 0.75, "regex:escrow")


@fact("escrow_release_on_breach")
def _escrow_release_on_breach(doc: _Doc) -> Fact:
    breach = re.compile(
        r"\b(?:material\s+)?breach\b|\bfail\w*\s+to\s+(?:\w+\s+){0,3}(?:support|maintain|"
        r"provide|meet)|\bservice\s+levels?\b|\bdiscontinu\w+",
        re.I,
    )
    # release conditions often sit in the next sentence ("The source code shall be released
    # if ..."), so the escrow sentences' whole sections are read
    for lo, hi in {doc.section_of(s) for s, _e in _escrow_sentences(doc)}:
        for rm in re.finditer(r"\breleas\w*", doc.text[lo:hi], re.I):
            s, e = doc.sentence_at(lo + rm.start())
            if breach.search(doc.text, s, e):
                return _on(True, (s, e), 0.65, "regex:escrow")
    return _absent("regex:escrow")


@fact("escrow_fees_paid_by_vendor")
def _escrow_fees_paid_by_vendor(doc: _Doc) -> Fact:
    payer = re.compile(
        r"\bat\s+(?P<a>[A-Z][\w&-]*)['’]s\s+(?:sole\s+)?(?:cost|expense)"
        r"|(?P<b>[A-Z][\w&-]*)\s+(?:shall|will)\s+(?:\w+\s+){0,2}(?:pay|bear)",
    )
    for s, e in _escrow_sentences(doc):
        if not re.search(r"\b(?:fees?|costs?|expenses?|pay|bear)\b", doc.text[s:e], re.I):
            continue
        for m in payer.finditer(doc.text, s, e):
            if doc.side_of(m.group("a") or m.group("b")) == "vendor":
                return _on(True, (s, e), 0.65, "regex:escrow")
    return _absent("regex:escrow")


_TPB = re.compile(r"\bthird[\s-]+part(?:y|ies)\s+beneficiar\w*|\bintended\s+beneficiar\w*", re.I)
_TPB_DENIED = re.compile(
    r"\b(?:no|not|nothing|neither|nor|none|shall\s+not|without)\b[^.]{0,160}\b(?:beneficiar\w*|"
    r"confer|benefit)"
    r"|\bbeneficiar\w*[^.]{0,60}\b(?:hereto|hereunder|of\s+this\s+agreement)\b[^.]{0,40}\bno\b",
    re.I,
)


@fact("third_party_beneficiaries")
def _third_party_beneficiaries(doc: _Doc) -> Fact:
    """Third parties given rights to enforce: a beneficiary sentence that is not a denial
    ("there are no third-party beneficiaries"), or one naming who does benefit."""
    for s, e, _m in doc.sentences_with(_TPB):
        sent = doc.text[s:e]
        if not _TPB_DENIED.search(sent) or re.search(
            r"\b(?:except|other\s+than|save)\b[^.]{0,80}(?:affiliates?|indemnit|licensors?|"
            r"end\s+users?|clients?|Section)",
            sent,
            re.I,
        ):
            return _on(True, (s, e), 0.65, "regex:third_party_beneficiaries")
    return _absent("regex:third_party_beneficiaries", 1.0 - doc.best("Third Party Beneficiary"))


_DISCLAIMER = re.compile(
    r"\bas\s+is\b|\bdisclaim\w*|\bno\s+other\s+warrant|\bexclusive\s+of\s+all\s+other\s+warrant"
    r"|\bin\s+lieu\s+of\s+all\s+other\s+warrant|\bmakes?\s+no\s+(?:other\s+)?(?:\w+\s+){0,2}warrant",
    re.I,
)
_BROAD_WARRANTY = re.compile(
    r"\bwarrants?\b[^.]{0,200}\b(?:error[\s-]free|uninterrupted|fit(?:ness)?\s+for\s+"
    r"(?:a\s+|the\s+|its\s+|any\s+)?(?:\w+['’]s\s+)?(?:particular\s+|specific\s+|intended\s+)?"
    r"purpose|free\s+(?:from|of)\s+(?:all\s+)?(?:defects|errors|bugs)"
    r"|without\s+(?:any\s+)?(?:interruption|errors?)\b)",
    re.I,
)


_STANDING_WARRANTY = re.compile(
    r"\bduly\s+(?:organi[sz]ed|incorporated|authori[sz]ed|registered|executed)|\bvalidly\s+"
    r"existing|\bgood\s+standing|\b(?:full|requisite|corporate)\s+(?:\w+\s+)?(?:power|authority)"
    r"|\bauthority\s+to\s+(?:enter|execute|sign)|\bnot\s+(?:be\s+)?in\s+(?:violation|breach|conflict)"
    r"|\b(?:conflict|contravene)\s+with|\bvalid\s+and\s+binding|\bbinding\s+obligations?"
    r"|\bno\s+(?:pending\s+)?(?:litigation|action|proceeding)",
    re.I,
)


# A warranty of compliance with the laws that apply to the warrantor promises its own conduct,
# not what the service does: it needs no disclaimer to be limited.
_LAW_WARRANTY = re.compile(
    r"\bwarrant\w*\b[^.]{0,80}\bcompl(?:y|ies|iance)\s+with\s+(?:all\s+)?(?:applicable\s+)?"
    r"laws?\b|\bwarrant\w*\b[^.]{0,80}\bnot\s*:?\s*(?:\(\w+\)\s*)?(?:infringe|violate"
    r"|misappropriate)\b",
    re.I,
)


@fact("warranty_unlimited")
def _warranty_unlimited(doc: _Doc) -> Fact:
    """Warranties given without a disclaimer, or promising error-free operation or fitness
    for the customer's purpose (not in a sentence that disclaims them)."""
    for s, e, m in doc.sentences_with(_BROAD_WARRANTY):
        if doc.subject(s, m.start() + 1) == "customer":
            continue  # the customer's promise is no exposure of ours
        # A negation up to the promise itself ("does not warrant that it will be error-free");
        # one after it ("this warranty shall not be subject to any disclaimer") widens it.
        said = doc.text[s : m.end()]
        if not re.search(r"\b(?:not|no|disclaim\w*|neither|nor|excluding)\b", said, re.I):
            return _on(True, (s, e), 0.6, "regex:warranty")
    # "warrants" as a verb ("Items: Warrants of Party A" heads a list of duties)
    warranty = re.compile(r"\b(?:represents\s+and\s+)?warrants\b(?!\s+of\b)", re.I)
    # Warranties of authority and standing (duly organised, authorised, not in breach of
    # other agreements; read with the list a lead-in "warrants as follows:" opens) promise
    # nothing about what is delivered: no disclaimer is needed to limit them.
    first = next(
        (
            w
            for w in doc.sentences_with(warranty)
            if not _STANDING_WARRANTY.search(doc.text, w[0], min(w[1] + 300, len(doc.text)))
            and not _LAW_WARRANTY.search(doc.text, w[0], w[1])
            and doc.subject(w[0], w[2].start() + 1) != "customer"
        ),
        None,
    )
    if first is None:
        return _absent("regex:warranty")
    if _DISCLAIMER.search(doc.text):
        return _on(False, first[:2], 0.6, "regex:warranty")
    return _on(True, first[:2], 0.5, "regex:warranty")


# ---------------------------------------------------------------------------------------------
# Termination for cause
# ---------------------------------------------------------------------------------------------

# A right to terminate on a breach that need not be material ("breaches any provision", "any
# breach or default"), or with no chance to cure it ("without any opportunity to cure").
_ANY_BREACH = re.compile(
    r"\bany\s+(?:breach|default|violation)\b"
    r"|\b(?:breach\w*|violat\w*|default\w*)\s+(?:of\s+|under\s+)?any\s+(?:\w+\s+)?"
    r"(?:provisions?|terms?|obligations?|covenants?|conditions?|representations?|warrant\w*)\b"
    r"|\bwithout\s+(?:any\s+|an\s+)?(?:opportunity|right|chance|period)\s+(?:to|for|of)\s+"
    r"(?:cure|remedy|rectif)",
    re.I,
)
# A right to end the agreement ("may terminate", "shall have the right to terminate", "may be
# terminated", "shall automatically terminate") ...
_RIGHT_TO_END = re.compile(
    r"\b(?:may|can|(?:is|are|shall\s+be)\s+entitled\s+to|(?:shall\s+)?(?:have|has)\s+the\s+"
    r"(?:right|option)\s+to|right\s+to)\s+(?:[\w,'’]+\s+){0,5}?(?:terminat|cancel|rescind)\w*"
    r"|\bmay\s+be\s+(?:immediately\s+)?(?:terminated|cancell?ed)\b|\bterminable\b"
    r"|\b(?:shall|will)\s+(?:automatically\s+)?terminate\b",
    re.I,
)
_TRIGGER = re.compile(r"\b(?:if|upon|on|in\s+the\s+event\s+of|following|for|after)\b", re.I)
# "any material breach", "any breach ... that is material": the breach must still be material.
_MATERIAL = re.compile(r"\bmaterial(?:ly)?\b|\bsubstantial(?:ly)?\b|\bfundamental\b", re.I)


@fact("termination_on_any_breach")
def _termination_on_any_breach(doc: _Doc) -> Fact:
    """A right of the customer (alone or as either party) to terminate on any breach,
    material or not, or without a chance to cure: what our termination for cause never gives.
    Our own right to end it on the customer's breach is no exposure."""
    for s, e, m in doc.sentences_with(_ANY_BREACH):
        sent = doc.text[s:e]
        end = _RIGHT_TO_END.search(sent)
        at = m.start() - s
        # The breach is the right's trigger: the right comes first ("may terminate ... if it
        # breaches any provision"), or a condition opens it ("upon any breach, ... may
        # terminate"); "must report any breach of this warranty" sets no trigger.
        if end is None or (end.start() > at and not _TRIGGER.search(sent[max(0, at - 40) : at])):
            continue
        cure_denied = re.search(r"\bwithout\b", m.group(0), re.I) is not None
        if not cure_denied and _MATERIAL.search(sent, max(0, m.start() - s - 40), m.end() - s + 60):
            continue
        actor = doc.subject(s, s + end.start())
        if actor == "vendor":
            continue
        return _on(True, (s, e), 0.7, "regex:termination_on_any_breach")
    return _absent("regex:termination_on_any_breach")


# ... on the other's breach, default or insolvency: termination for cause, however headed.
_CAUSE = re.compile(
    r"\b(?:breach\w*|default\w*|insolven\w*|bankrupt\w*|receivers?(?:hip)?|liquidat\w*"
    r"|winding[\s-]+up|benefit\s+of\s+(?:its\s+)?creditors|violat\w*"
    r"|fail\w*\s+(?:\w+\s+){0,2}(?:to\s+)?(?:perform|comply|pay|observe|fulfil))",
    re.I,
)


@fact("termination_for_cause_right")
def _termination_for_cause_right(doc: _Doc) -> Fact:
    """A right to terminate on breach, default or insolvency, under any heading or none
    ("If either party defaults in the performance of any material obligation ..., the other
    may terminate"). A list the sentence opens ("may terminate ... if:") is read with it."""
    for s, e, m in doc.sentences_with(_RIGHT_TO_END):
        end = e
        if ":" in doc.text[m.end() : e] or doc.text[s:e].rstrip().endswith((":", ";")):
            end = min(len(doc.text), e + 400)
        if _CAUSE.search(doc.text, s, end):
            return _on(True, (s, e), 0.7, "regex:termination_for_cause_right")
    return _absent("regex:termination_for_cause_right")
