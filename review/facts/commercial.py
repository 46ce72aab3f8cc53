"""Facts on money and liability: extracted terms passed through, caps, indemnities,
liquidated damages."""

from __future__ import annotations

import re

from review.facts.base import (
    _absent,
    _cuad_flag,
    _Doc,
    _mutual,
    _on,
    _term_value,
    _unknown,
    fact,
)
from review.types import Fact

# ---------------------------------------------------------------------------------------------
# Pass-through of extracted terms
# ---------------------------------------------------------------------------------------------


@fact("payment_net_days")
def _payment_net_days(doc: _Doc) -> Fact:
    return _term_value(doc, "payment_net_days")


@fact("governing_law")
def _governing_law(doc: _Doc) -> Fact:
    return _term_value(doc, "governing_law")


@fact("renewal_term_months")
def _renewal_term_months(doc: _Doc) -> Fact:
    return _term_value(doc, "renewal_term_months")


@fact("renewal_notice_days")
def _renewal_notice_days(doc: _Doc) -> Fact:
    return _term_value(doc, "renewal_notice_days")


@fact("price_escalation_percent")
def _price_escalation_percent(doc: _Doc) -> Fact:
    return _term_value(doc, "price_escalation", "percent")


_AUTO_RENEW_CUE = re.compile(
    r"\bautomatic(?:ally)?\b|\bsuccessive\b|\bevergreen\b|\bunless\b[^.]{0,120}\bnotice\b"
    r"|\bshall\s+(?:be\s+)?(?:renew|extend)|\bwill\s+(?:be\s+)?(?:renew|extend)",
    re.I,
)


@fact("auto_renewal")
def _auto_renewal(doc: _Doc) -> Fact:
    """The extracted term when the renewal sentence says so; else a renewal clause the
    classifier is sure of that renews by itself ("successive", "unless notice")."""
    t = doc.term("auto_renewal")
    if t is not None and t.value:
        return _on(True, (t.start, t.end), t.confidence, "term:auto_renewal")
    flag = _cuad_flag(doc, "Renewal Term")
    if not flag.value and t is not None:  # a renewal the extractor read as manual
        return _on(False, (t.start, t.end), t.confidence, "term:auto_renewal")
    return flag


# ---------------------------------------------------------------------------------------------
# Liability
# ---------------------------------------------------------------------------------------------

_LIAB = r"(?:liab(?:ility|le)|damages|limitation|losses)"
_CAP_CUE = re.compile(
    rf"\b(?:exceed|limited\s+to|maximum|cap(?:ped)?|in\s+no\s+event|no\s+event|not\s+be\s+liable"
    rf"|shall\s+not\s+be\s+(?:responsible|liable)|under\s+no\s+circumstances|aggregate"
    rf"|(?:sole|exclusive)\s+(?:and\s+exclusive\s+)?(?:remedy|liability)|disclaim)\b[^.]*?{_LIAB}"
    rf"|\b{_LIAB}\b[^.]*?\b(?:exceed|limited\s+to|maximum|cap(?:ped)?|in\s+no\s+event)\b",
    re.I,
)


@fact("liability_capped")
def _liability_capped(doc: _Doc) -> Fact:
    t = doc.term("liability_cap")
    if t is not None and isinstance(t.value, dict) and not t.value.get("uncapped"):
        return _on(True, (t.start, t.end), t.confidence, "term:liability_cap")
    return _cuad_flag(doc, "Cap On Liability")


_UNCAPPED_CUE = re.compile(
    r"\b(?:shall|will|do(?:es)?)\s+not\s+apply\b|\bnot\s+(?:be\s+)?(?:subject\s+to|limited|apply)"
    r"|\bexcept\s+(?:for|with\s+respect\s+to|in\s+the\s+case\s+of|as)\b|\bexclud(?:ing|es?)\b"
    r"|\bother\s+than\b|\bunlimited\b|\buncapped\b|\bwithout\s+limit|\bnotwithstanding\b"
    r"|\bexceptions?\b|\bexcepting\b|\bsave\s+(?:for|in)\b",
    re.I,
)
_UNCAPPED_STRONG = re.compile(
    r"\bunlimited\s+liability\b|\bliability\s+(?:shall|will)\s+be\s+unlimited\b|\buncapped\b"
    r"|\b(?:limitations?|exclusions?)\s+(?:of\s+liability\s+)?(?:set\s+forth\s+)?[^.]{0,80}"
    r"(?:shall|will)\s+not\s+apply\s+to\b",
    re.I,
)


# What a cap usually leaves out: our own standard's carve-outs (indemnities, confidentiality,
# gross negligence, wilful misconduct), what no cap may cover by law (fraud, death, personal
# injury), infringement of the other's IP and the fees owed. A sentence that carves out only
# these states a cap with the usual exceptions, not uncapped liability.
_USUAL_CARVE_OUT = re.compile(
    r"\bindemni\w*|\bconfidential\w*|\bnon-?\s?disclosure\b|\bgross(?:ly)?\s+negligen\w*"
    r"|\bwil(?:l)?ful\w*|\bintentional\w*|\bfraud\w*|\bdeath\b|\b(?:personal|bodily)\s+injur\w*"
    r"|\bpayment\w*|\bfees\b|\bamounts?\s+(?:due|owed|owing|payable)|\binfring\w*"
    r"|\bmisappropriat\w*|\bproprietary\s+rights\b|\bintellectual\s+property\b",
    re.I,
)
_CARVE_FROM = re.compile(
    r"\bexcept\w*\b|\bother\s+than\b|\bexclud\w*|\bnot\s+(?:apply|be\s+available|be\s+subject"
    r"|limit)\w*|\bsave\s+(?:for|in)\b|\bbe\s+available\b",
    re.I,
)
# Where the carve-out ends and the cap or exclusion it qualifies begins.
_CARVE_END = re.compile(
    r"\b(?:in\s+no\s+event|neither\s+party|no\s+party|under\s+no\s+circumstances"
    r"|(?:shall|will)\s+(?:not\s+)?(?:be|exceed)|is\s+excluded|are\s+excluded)\b",
    re.I,
)
# A carve-out by reference ("claims under Section 6"); read through that section's heading.
_REFERENCE = re.compile(
    r"\b(?:sections?|articles?|paragraphs?|clauses?)\s+(\d+(?:\.\d+)*)(?:\s*\([a-z0-9]+\))*", re.I
)
# The subject a reference names in brackets after its number ("Clause 9 (Confidentiality)").
_REF_NAME = re.compile(r"(?:\s*\([a-z0-9]{1,4}\))*\s*\(([a-z][^()]{2,60})\)", re.I)
# Anything else a carve-out may name that reaches our exposure.
_OTHER_CARVE_OUT = re.compile(
    r"\bwarrant\w*|\bdata\b|\bsecurity\b|\bprivacy\b|\bany\s+breach\b|\bbreach\w*\s+of\s+"
    r"(?:this|the)\s+agreement\b|\bobligations\s+under\s+this\s+agreement\b"
    r"|\bservice\s+levels?\b|\bhow(?:so)?ever\s+(?:arising|caused)\b",
    re.I,
)


def _section_heading(doc: _Doc, number: str) -> str | None:
    """The heading of the section numbered `number` ("6" -> "Representations and Warranties")."""
    m = re.search(
        rf"(?im)^[ \t]*(?:section|article|paragraph|clause)?[ \t]*{re.escape(number)}\.?[ \t]+"
        r"([A-Za-z][^\n.]{1,80})",
        doc.text,
    )
    return m.group(1) if m else None


def _beyond_usual_carve_outs(doc: _Doc, s: int, e: int) -> bool:
    """Whether the sentence states liability without limit: in so many words ("unlimited",
    "uncapped"), or by carving out of the cap something beyond the usual carve-outs (a
    section it names is read through its heading; one without a heading is not known to be
    usual)."""
    sent = doc.text[s:e]
    if re.search(r"\bunlimited\b|\buncapped\b|\bwithout\s+limit\b", sent, re.I):
        return True
    carve = _CARVE_FROM.search(sent)
    if carve is None:
        return True  # the classifier's reading without a carve-out: not ours to overrule
    end = _CARVE_END.search(sent, carve.end())
    window = sent[carve.start() : end.start() if end else carve.start() + 300]
    for ref in _REFERENCE.finditer(window):
        # "breach of confidentiality (Article 12)": the reference restates a named item
        before = window[max(0, ref.start() - 40) : ref.start()]
        if re.search(r"\bth(?:is|e\s+foregoing)\s+$", before, re.I):
            continue  # the limitation's own section ("this Section 9 shall not apply to")
        if _USUAL_CARVE_OUT.search(before) and re.search(
            r"\(\s*$|\bin\s+$|\bunder\s+$|"
            r"\bforth\s+in\s+$",
            before,
            re.I,
        ):
            continue
        # "Section 8 (Indemnification)": the reference names its section's subject itself.
        named = _REF_NAME.match(window, ref.end(1))
        if named and _USUAL_CARVE_OUT.search(named.group(1)):
            continue
        heading = _section_heading(doc, ref.group(1))
        if heading is None or not _USUAL_CARVE_OUT.search(heading):
            return True
    return _OTHER_CARVE_OUT.search(_REFERENCE.sub(" ", window)) is not None


@fact("liability_uncapped")
def _liability_uncapped(doc: _Doc) -> Fact:
    t = doc.term("liability_cap")
    if t is not None and isinstance(t.value, dict) and t.value.get("uncapped"):
        return _on(True, (t.start, t.end), t.confidence, "term:liability_cap")
    # CUAD files every carve-out from a cap under "Uncapped Liability"; the playbook asks
    # whether our exposure is unlimited beyond the carve-outs our own standard makes.
    found = _cuad_flag(doc, "Uncapped Liability", lambda s, e: _beyond_usual_carve_outs(doc, s, e))
    if found.value:
        return found
    # Third-party paper says it outright, in sentences the classifier scores low ("liability
    # for breaches of data security shall be unlimited", "nothing in this Agreement limits
    # Supplier's liability for any loss ... howsoever arising"): the words are enough, unless
    # only the customer's liability is left open (our exposure is what the playbook caps).
    for s, e, _m in doc.sentences_with(_UNLIMITED_SAID):
        if (
            re.search(rf"\b{_LIAB}", doc.text[s:e], re.I)
            and _beyond_usual_carve_outs(doc, s, e)
            and {side for _a, _b, side in doc.parties_in(s, e)} != {"customer"}
        ):
            return _on(True, (s, e), 0.7, "wording:Uncapped Liability")
    return found


# Liability left without a cap in so many words, or kept whole by "nothing limits".
_UNLIMITED_SAID = re.compile(
    r"\bunlimited\b|\buncapped\b|\bwithout\s+(?:any\s+)?(?:limit|cap)\b"
    r"|\bnot\s+(?:be\s+)?(?:capped|subject\s+to\s+(?:any|the)\s+(?:cap|limit))"
    r"|\bnothing\s+in\s+this\s+(?:agreement|section|clause)\s+(?:shall\s+|will\s+)?"
    r"(?:limits?|excludes?|restricts?)\b"
    r"|\b(?:limitations?|exclusions?)\b[^.]{0,80}\b(?:shall|will|do(?:es)?)\s+not\s+apply\b",
    re.I,
)


# "Vendor will defend Customer against any third-party claim" is an indemnity without the word
_INDEMN = re.compile(
    r"\bindemnif\w*|\bhold\s+(?:\w+\s+){0,3}harmless\b|\bdefend\b[^.]{0,120}\bclaims?\b"
    # "if a third party alleges ..., the Licensor will conduct the Licensee's defence"
    r"|\bthird[- ]part(?:y|ies)\b[^.]{0,250}\bdefen[cd]e\b",
    re.I,
)
_INDEMNIFY_VERB = re.compile(
    r"\b(?:shall|will|agrees?\s+to|hereby|must|undertakes?\s+to)\s+(?:\w+\s+){0,3}?"
    r"(?:indemnify|defend|(?:conduct|assume|take\s+(?:over|on)|control)\s+(?:[\w'’]+\s+){0,3}?"
    r"defen[cd]e)\b",
    re.I,
)
_INDEMNITY_UNCAPPED = re.compile(
    r"(?:(?:shall|will|do(?:es)?)\s+not\s+apply|not\s+(?:be\s+)?(?:subject\s+to|limited)"
    r"|except\s+(?:for|with\s+respect\s+to)|exclud(?:ing|es?)|other\s+than|unlimited|uncapped)"
    r"[^.]{0,200}\bindemni\w*"
    r"|\bindemni\w*[^.]{0,120}(?:(?:shall|will)\s+not\s+be\s+(?:subject\s+to|limited)|unlimited"
    r"|uncapped|without\s+limit)",
    re.I,
)


@fact("indemnity_mutual")
def _indemnity_mutual(doc: _Doc) -> Fact:
    found = _mutual(doc, _INDEMN, _INDEMNIFY_VERB, "regex:indemnity")
    if found.value is not False:
        return found
    # One side's promise, next to words keeping the other side's ("Customer's reciprocal
    # obligations ... remain unchanged"): mutual. One said to come "in addition" to other
    # indemnities does not show whether the whole is one-sided.
    for s, e, _m in doc.sentences_with(_INDEMNITY_KEPT):
        if _INDEMN.search(doc.text, s, e) or re.search(r"\bdefen[cd]\w*", doc.text[s:e], re.I):
            return _on(True, (s, e), 0.65, "regex:indemnity")
    if _INDEMNITY_ADDED.search(doc.text):
        return _unknown("regex:indemnity")
    return found


_INDEMNITY_KEPT = re.compile(
    r"\breciprocal\s+(?:obligations?|indemnit\w*)\b|\bobligations?\b(?:[^.]|\.(?=\d)){0,160}\b(?:remain\s+"
    r"unchanged|(?:are|is|remain)\s+(?:unaffected|unchanged|not\s+affected)|continue\s+to\s+apply)",
    re.I,
)
_INDEMNITY_ADDED = re.compile(
    r"(?:^|[.;]\s+|\n)\s*(?:[\w ]{0,30}[.:]\s+)?in\s+addition\b(?:,|\s+to\s+(?:its|their|the|any)"
    r"\s+(?:[\w-]+\s+){0,3}?(?:obligations?|indemnit\w*))",
    re.I,
)


@fact("indemnity_uncapped")
def _indemnity_uncapped(doc: _Doc) -> Fact:
    """An indemnity carved out of the liability cap (or said to be unlimited)."""
    for s, e, _m in doc.sentences_with(_INDEMNITY_UNCAPPED):
        if re.search(rf"\b{_LIAB}|\bcap\b|\bindemni\w*\b[^.]*\bunlimited", doc.text[s:e], re.I):
            return _on(True, (s, e), 0.7, "regex:indemnity_uncapped")
    return _absent("regex:indemnity_uncapped")


_LD_CUE = re.compile(
    r"\bliquidated\b|\bpenalt(?:y|ies)\b|\bas\s+damages\b|\bpay\b[^.]*\b(?:fee|amount|sum|"
    r"damages)\b|\bforfeit|\bagreed\s+(?:upon\s+)?damages|\bper\s+(?:day|week|month)\b",
    re.I,
)


@fact("liquidated_damages")
def _liquidated_damages(doc: _Doc) -> Fact:
    return _cuad_flag(doc, "Liquidated Damages")


# ---------------------------------------------------------------------------------------------
# What the guidance rules out in so many words
# ---------------------------------------------------------------------------------------------

# Payment due only once the customer approves, accepts or certifies the invoice: the customer
# then decides when the clock starts ("following receipt and written approval of a correct
# invoice", "invoices approved by Client shall be paid").
_PAY_ON_APPROVAL = re.compile(
    r"\b(?:pay\w*|due|payable)\b[^.;]{0,120}?\b(?:approv\w*|accept\w*|certif\w*|verif\w*|"
    r"sign[\s-]?off)\b[^.;]{0,60}?\binvoices?\b"
    r"|\binvoices?\b[^.;]{0,40}?\b(?:approved|accepted|certified|verified|signed\s+off)"
    r"(?:\s+in\s+writing)?\s+by\s+"
    r"(?:the\s+)?(?:customer|client|buyer|purchaser|licensee|subscriber)\b[^.;]{0,80}?"
    r"\b(?:pa(?:y|id)\w*|due|payable)\b",
    re.I,
)


@fact("payment_on_customer_approval")
def _payment_on_customer_approval(doc: _Doc) -> Fact:
    for s, e, m in doc.sentences_with(_PAY_ON_APPROVAL):
        if doc.subject(s, m.start() + 1) != "vendor":
            return _on(True, (s, e), 0.7, "regex:payment")
    return _absent("regex:payment")


# Our insurance limits made a floor under our liability: "liability shall in no event be less
# than the limits of the insurance", "the policy limits shall be the minimum liability".
_INSURANCE_FLOOR = re.compile(
    r"\bliab\w*\b[^.;]{0,80}?\b(?:(?:not|never)\s+(?:be\s+)?(?:less|lower)\s+than|no\s+event\s+be\s+"
    r"(?:less|lower)\s+than|(?:at\s+least|no\s+less\s+than|not\s+less\s+than)\b)[^.;]{0,60}?"
    r"\b(?:insur\w*|policy|policies|coverage|cover)\b"
    r"|\b(?:no\s+event|never|not)\b[^.;]{0,60}?\bliab\w*\b[^.;]{0,20}?\bbe\s+(?:less|lower)\s+than\b"
    r"[^.;]{0,60}?\b(?:insur\w*|policy|policies|coverage|cover)\b"
    r"|\b(?:insur\w*|policy|policies|coverage)\b[^.;]{0,60}?\blimits?\b[^.;]{0,40}?\b(?:shall|will)\s+"
    r"(?:be|constitute|serve\s+as|act\s+as)\s+(?:a|the)\s+(?:minimum|floor)\b",
    re.I,
)


@fact("insurance_floor_on_liability")
def _insurance_floor_on_liability(doc: _Doc) -> Fact:
    for s, e, _m in doc.sentences_with(_INSURANCE_FLOOR):
        return _on(True, (s, e), 0.7, "regex:insurance")
    return _absent("regex:insurance")
