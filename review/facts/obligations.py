"""Facts on running obligations: audit, confidentiality, data location, fees, commitments,
service credits, force majeure."""

from __future__ import annotations

import re

from review.facts.base import (
    _absent,
    _cuad_flag,
    _Doc,
    _lexical_flag,
    _mutual,
    _on,
    _unknown,
    fact,
)
from review.types import Fact

# ---------------------------------------------------------------------------------------------
# Audit, confidentiality, data
# ---------------------------------------------------------------------------------------------

_AUDIT_CUE = re.compile(r"\baudit\w*|\binspect\w*|\bexamin\w*|\bbooks\b|\brecords\b", re.I)


@fact("audit_rights")
def _audit_rights(doc: _Doc) -> Fact:
    return _cuad_flag(doc, "Audit Rights")


_AUDIT_LIMIT = re.compile(
    r"\bonce\s+(?:per|in\s+any|in\s+each|a|every)\b|\bnot\s+more\s+(?:often|frequently)\s+than\b"
    r"|\b(?:one|1)\s+\(?1?\)?\s*(?:time|audit)s?\s+(?:per|in|each)\b|\bnormal\s+business\s+hours"
    r"|\b(?:prior|advance)\s+(?:written\s+)?notice\b|\bdays['’]?\s+(?:prior\s+)?(?:written\s+)?"
    r"notice\b|\bat\s+(?:its|the\s+(?:auditing|requesting)\s+party['’]s|[A-Z]\w+['’]s)\s+(?:own\s+|"
    r"sole\s+)?(?:cost|expense)\b|\bindependent\s+(?:certified\s+)?(?:public\s+)?accountant",
    re.I,
)
_FINANCIAL_RECORDS = re.compile(
    r"\bfinancial\s+(?:records|statements|books)\b|\bbooks\s+of\s+account", re.I
)


_AUDIT_ANY_TIME = re.compile(
    r"\bas\s+often\s+as\b|\bat\s+any\s+time\b|\bwithout\s+limit\w*\s+(?:on|as\s+to)\s+"
    r"(?:the\s+)?(?:frequency|number)\b|\bunlimited\s+(?:number\s+of\s+)?audits\b",
    re.I,
)
_AUDIT_FREQ = re.compile(
    r"\bonce\s+(?:per|in\s+any|in\s+each|a|every)\b|\bnot\s+more\s+(?:often|frequently)\s+than\b"
    r"|\b(?:one|1)\s+\(?1?\)?\s*(?:time|audit)s?\s+(?:per|in|each)\b|\bper\s+(?:year|annum)\b"
    r"|\bannual(?:ly)?\b",
    re.I,
)


@fact("audit_unlimited")
def _audit_unlimited(doc: _Doc) -> Fact:
    """An audit right with no limit on frequency, notice or cost, or one reaching financial
    records. The limits are looked for across the audit sentences' whole section."""
    source = "classifier:Audit Rights+regex"
    hits = [
        h for h in doc.hits("Audit Rights", 0.5) if _AUDIT_CUE.search(doc.text[h.start : h.end])
    ]
    if not hits:
        return _absent(source, 1.0 - doc.best("Audit Rights"))
    for h in hits:
        if _FINANCIAL_RECORDS.search(doc.text, h.start, h.end):
            return _on(True, (h.start, h.end), 0.65, source)
    segs = {h.segment for h in hits}
    for k in segs:
        seg = doc.analysis.segments[k]
        if _AUDIT_ANY_TIME.search(doc.text, seg.start, seg.end) and not _AUDIT_FREQ.search(
            doc.text, seg.start, seg.end
        ):
            # "at any time and as often as the Client considers necessary": notice or cost
            # terms do not limit an audit right its frequency leaves open.
            return _on(True, (hits[0].start, hits[0].end), 0.6, source)
        if _AUDIT_LIMIT.search(doc.text, seg.start, seg.end):
            return _on(False, (hits[0].start, hits[0].end), 0.6, source)
    return _on(True, (hits[0].start, hits[0].end), 0.55, source)


_CONFIDENTIAL = re.compile(
    r"\bconfidential\s+information\b|\bconfidentiality\b"
    # "shall keep strictly confidential all information", "hold in strict confidence"
    r"|\b(?:keep|hold|treat|maintain)\s+(?:\w+\s+){0,2}?(?:in\s+)?(?:strict(?:ly|est)?\s+)?"
    r"confiden(?:ce|tial)\b",
    re.I,
)
_CONF_VERB = re.compile(
    r"\b(?:shall|will|agrees?\s+to|must)\s+(?:\w+\s+){0,3}?(?:not\s+)?(?:disclose|keep|hold|"
    r"maintain|protect|use)\b",
    re.I,
)
_CONF_MUTUAL = re.compile(
    r"\b(?:receiving|disclosing)\s+party\b|\beach\s+party\b|\bmutual(?:ly)?\b|\bboth\s+parties\b"
    r"|\beither\s+party\b",
    re.I,
)


@fact("confidentiality_mutual")
def _confidentiality_mutual(doc: _Doc) -> Fact:
    """Mutual when the clause speaks of a receiving/disclosing party or each party; else the
    sides bound by the confidentiality obligations decide."""
    for s, e, _m in doc.sentences_with(_CONFIDENTIAL):
        if _CONF_MUTUAL.search(doc.text, s, e):
            return _on(True, (s, e), 0.8, "regex:confidentiality")
    return _mutual(doc, _CONFIDENTIAL, _CONF_VERB, "regex:confidentiality")


_LOCALIZATION = re.compile(
    r"\b(?:stored?|host(?:ed)?|process(?:ed)?|resid(?:e|ent)|locat(?:ed)?|maintain(?:ed)?|kept)\b"
    r"[^.]{0,80}\b(?:only|solely|exclusively)\s+(?:in|within)\b"
    r"|\b(?:not|never)\s+(?:\w+\s+){0,3}(?:transfer(?:red)?|stored?|process(?:ed)?|host(?:ed)?|"
    r"mov(?:e|ed))\b[^.]{0,80}\boutside\s+(?:of\s+)?(?:the\s+)?[A-Z]"
    r"|\bdata\s+(?:residency|locali[sz]ation|sovereignty)\b",
    re.I,
)


@fact("data_localization")
def _data_localization(doc: _Doc) -> Fact:
    return _lexical_flag(
        doc,
        _LOCALIZATION,
        "regex:data_localization",
        veto=re.compile(r"\bmay\s+(?:\w+\s+){0,3}(?:transfer|process|store)\b[^.]*\boutside", re.I),
    )


# ---------------------------------------------------------------------------------------------
# Fees, commitments, services
# ---------------------------------------------------------------------------------------------

_REFUNDABLE = re.compile(
    r"\b(?:refund|reimburse)\w*\b[^.]{0,120}\b(?:prepaid|pre-paid|unused|unearned|pro[\s-]?rat\w*|"
    r"fees?)\b|\bfees?\b[^.]{0,60}\b(?:are|shall\s+be|will\s+be)\s+refundable\b"
    r"|\bpro[\s-]?rat\w*\s+refund",
    re.I,
)
_NON_REFUNDABLE = re.compile(
    r"\bnon-?\s?refundable\b|\bno\s+refunds?\b|\bnot\s+(?:be\s+)?refund\w*|\bwithout\s+refund",
    re.I,
)


@fact("fees_refundable")
def _fees_refundable(doc: _Doc) -> Fact:
    return _lexical_flag(doc, _REFUNDABLE, "regex:fees_refundable", veto=_NON_REFUNDABLE)


_REDUCE = re.compile(
    r"\bmay\s+(?:\w+\s+){0,3}(?:reduce|decrease|lower)\s+(?:the\s+)?(?:number|quantity|volume|"
    r"commitment|minimum|licen[cs]es|seats|users|subscriptions?|purchase)"
    r"|\b(?:reduce|decrease|lower)\s+(?:its|the)\s+(?:[\w-]+\s+){0,2}?(?:commit\w*|minimum|"
    r"purchase\s+obligation)",
    re.I,
)


@fact("commitment_reducible")
def _commitment_reducible(doc: _Doc) -> Fact:
    for s, e, m in doc.sentences_with(_REDUCE):
        if re.search(r"\bnot\s+(?:be\s+)?(?:reduc|decreas)|\bmay\s+not\b", doc.text[s:e], re.I):
            continue
        if doc.subject(s, m.start() + 1) in ("customer", "both", None):
            return _on(True, (s, e), 0.65, "regex:commitment_reducible")
    return _absent("regex:commitment_reducible")


_TRANSITION = re.compile(
    r"\btransition\w*\b|\bwind[\s-]?down\b|\b(?:after|following|upon)\s+(?:the\s+)?(?:expiration|"
    r"termination)\b[^.]{0,160}\b(?:continue|provide|support|access|export|retrieve)",
    re.I,
)
_FREE = re.compile(
    r"\b(?:at\s+no\s+(?:additional\s+|extra\s+)?(?:cost|charge|fee)|free\s+of\s+(?:charge|cost)|"
    r"without\s+(?:additional\s+)?(?:charge|cost|fee)|no\s+(?:additional\s+)?(?:charge|fee)s?)\b",
    re.I,
)


@fact("transition_services_free")
def _transition_services_free(doc: _Doc) -> Fact:
    for s, e, _m in doc.sentences_with(_TRANSITION):
        if _FREE.search(doc.text, s, e):
            return _on(True, (s, e), 0.65, "regex:transition_services")
    return _absent("regex:transition_services")


_SLA_CREDIT = re.compile(
    r"\bservice\s+(?:level\s+)?credits?\b|\bcredits?\b[^.]{0,80}\b(?:service\s+level|availability|uptime|downtime)",
    re.I,
)
_EXCLUSIVE_REMEDY = re.compile(
    r"\b(?:sole|exclusive|only)\s+(?:and\s+exclusive\s+)?(?:remedy|remedies)\b", re.I
)


@fact("sla_credits_exclusive_remedy")
def _sla_credits_exclusive_remedy(doc: _Doc) -> Fact:
    """None without service credits; True when the credit clause calls them the sole or
    exclusive remedy (looked for in the credit sentence's section)."""
    first: tuple[int, int] | None = None
    for s, e, _m in doc.sentences_with(_SLA_CREDIT):
        first = first or (s, e)
        if _EXCLUSIVE_REMEDY.search(doc.text, s, e):
            return _on(True, (s, e), 0.8, "regex:sla_credits")
        em = _EXCLUSIVE_REMEDY.search(doc.text, *doc.section_of(s))
        if em:
            return _on(True, doc.sentence_at(em.start()), 0.7, "regex:sla_credits")
    if first is None:
        return _unknown("regex:sla_credits")
    # "Credits ... are Customer's sole and exclusive remedy for unavailability", in its own
    # numbered paragraph ("3. Claims") apart from the one that grants the credits.
    for s, e, _m in doc.sentences_with(_EXCLUSIVE_REMEDY):
        if re.search(r"\bcredits?\b", doc.text[s:e], re.I):
            return _on(True, (s, e), 0.7, "regex:sla_credits")
    return _on(False, first, 0.6, "regex:sla_credits")


# ---------------------------------------------------------------------------------------------
# Force majeure
# ---------------------------------------------------------------------------------------------

_FM = re.compile(
    r"\bforce\s+majeure\b|\bact\s+of\s+god\b|\bacts\s+of\s+god\b|\bbeyond\s+(?:its|their|the)\s+(?:reasonable\s+)?control\b",
    re.I,
)
_FM_EXCUSED = re.compile(
    # "neither party shall be liable": the actor decides who is excused
    r"\b(?:shall|will)\s+(?:not\s+)?be\s+(?:liable|responsible|deemed\s+in\s+(?:breach|default))"
    r"|\bexcused\b"
    r"|\bno\s+liability\b|\bnot\s+be\s+considered\s+a\s+breach",
    re.I,
)
_PAYMENT_CARVE_OUT = re.compile(
    r"\b(?:other\s+than|except(?:\s+for)?|excluding|excepting|save(?:\s+for)?|apart\s+from|"
    r"with\s+the\s+exception\s+of|does\s+not\s+(?:apply\s+to|excuse)|"
    r"shall\s+not\s+(?:apply\s+to|excuse|relieve))\b[^.]{0,100}\b(?:pay\w*|monies|money|amounts?\s+due)"
    # the same said the other way round: "payment obligations are not suspended", "fees
    # remain payable"
    r"|\b(?:pay\w*|monies|fees|amounts?\s+due)\b[^.]{0,60}?\b(?:(?:are|is|shall|will)\s+not\s+"
    r"(?:be\s+)?(?:suspended|excused|affected|relieved|delayed|deferred)|"
    r"remain\w*\s+(?:due|payable|in\s+(?:full\s+)?(?:force|effect)))",
    re.I,
)


@fact("force_majeure_mutual")
def _force_majeure_mutual(doc: _Doc) -> Fact:
    return _mutual(doc, _FM, _FM_EXCUSED, "regex:force_majeure")


@fact("force_majeure_excuses_payment")
def _force_majeure_excuses_payment(doc: _Doc) -> Fact:
    """A force majeure clause excuses payment unless it carves payment out (the clause
    excuses performance in general, and paying is performance)."""
    first: tuple[int, int] | None = None
    for s, e, _m in doc.sentences_with(_FM):
        cm = _PAYMENT_CARVE_OUT.search(doc.text, *doc.section_of(s))
        if cm:
            return _on(False, doc.sentence_at(cm.start()), 0.75, "regex:force_majeure")
        if first is None and _FM_EXCUSED.search(doc.text, s, e):
            first = (s, e)
    if first is None:
        return _absent("regex:force_majeure")
    return _on(True, first, 0.55, "regex:force_majeure")
