"""Understanding a rep's question without an LLM: intent, quantities, jurisdictions, pasted text.

Quantities and jurisdictions are read by the playbook's reader (`playbook.quantities`), the
same one that reads a counterparty's clause, so a value means the same on both paths.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel

from playbook.quantities import _NUM, Mention, Quantity, _num, jurisdictions, quantities

Intent = Literal["find_language", "can_i", "draft", "compare", "contract_question"]

__all__ = ["TERM_PHRASE", "Mention", "Parsed", "Quantity", "parse", "quantities"]


class Parsed(BaseModel):
    question: str
    intent: Intent
    confident: bool = True
    quantities: list[Quantity]
    jurisdictions: list[Mention]
    pasted: str | None  # customer language pasted into the question, if any
    topic: str  # the question without the pasted text


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
    r"can (?:i|we) do|would we|who (?:signs?|approves?)(?: off)?|sign[\s-]?off|approval path|"
    r"do-?able|fly\?)\b",
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


_CLAUSE_VERB = re.compile(
    r"\b(?:shall|will|may|must|grants?|warrants?|agrees?|represents?|acknowledges?)\b", re.I
)


def pasted_text(question: str) -> tuple[str | None, str]:
    """Customer language pasted into the question (quoted, or a long passage after a colon
    or on its own lines), and the rest of the question."""
    m = _QUOTED.search(question)
    if m:
        body = m.group(1) or m.group(2) or m.group(3)
        words = len(body.split())
        # A clause, even a short one, says what a party shall, will or may do, or grants,
        # warrants or agrees to.
        if words >= 12 or (words >= 5 and _CLAUSE_VERB.search(body)):
            return body.strip(), (question[: m.start()] + " " + question[m.end() :]).strip()
    lines = [ln for ln in question.splitlines() if ln.strip()]
    long = [ln for ln in lines if len(ln.split()) >= 20]
    if len(lines) > 1 and long:
        body = max(long, key=len)
        return body.strip(), question.replace(body, " ").strip()
    return None, question


# A rep quoting the other side and then proposing a value of their own ("they say 'twelve
# months' fees is not reasonable'; if I offer 1.5x, who signs off?"): the question is the
# offer, not the quote.
_COUNTER = re.compile(
    r"\b(?:(?:if|can|could|should|may)\s+(?:i|we)\s+(?:just\s+)?(?:offer|propose|counter|come\s+back"
    r"\s+with|go\s+(?:to|with)|give\s+them)|counter[\s-]?(?:offer|propos\w*)|instead\s+(?:offer|propose)"
    r"|(?:i|we)(?:'d|\s+would|\s+want\s+to|\s+plan\s+to)\s+(?:offer|propose|counter))\b",
    re.I,
)


def parse(question: str, names_contract: bool = False) -> Parsed:
    """`names_contract`: the question names a contract in the archive (the caller checks)."""
    pasted, topic = pasted_text(question)
    confident = True  # False when no rule recognised the request (the LLM may read it)
    qty = quantities(topic)
    juris = jurisdictions(topic)
    intent: Intent
    if pasted is not None and qty and _COUNTER.search(topic):
        # The offer is asked about; the quote stays as context for the clause type, blanked
        # (same length, so offsets still index the question) for the values.
        pasted, topic = None, question
        offer = _QUOTED.sub(lambda q: " " * len(q.group(0)), question)
        qty, juris = quantities(offer), jurisdictions(offer)
        intent = "can_i"
    elif pasted is not None:
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
        and not re.search(
            r"\b(?:ok|okay|instead|need (?:any )?approval|(?:fine|allowed)\s*(?:\?|under\b)|"
            r"do-?able|who (?:signs|approves))",
            topic,
            re.I,
        )
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
# A renewal the request rules out: "can't auto-renew", "no automatic renewals", "a fixed
# term", "renew by new order form". The term reader reads a contract's renewal sentence; a
# rep's words for a term that does not renew by itself are no such sentence.
_NO_AUTO_RENEW = re.compile(
    r"\b(?:no|not|never|cannot|can'?t|won'?t|without|barred\s+from|prohibit\w*)\s+"
    r"(?:\w+\s+){0,2}?(?:auto(?:matic(?:ally)?)?[\s-]*renew\w*|evergreen|roll\s*overs?)"
    r"|\bfixed[\s-]+terms?\b|\brenew\w*\s+(?:\w+\s+){0,2}?by\s+(?:signing\s+)?(?:a\s+)?"
    r"(?:new|signed|fresh|separate)\s+(?:order\s+form|contract|agreement|po)"
    r"|\b(?:simply\s+)?expires?\s+at\s+the\s+end\s+of\s+the\s+term\b",
    re.I,
)
# The customer's exit on our change of control, as a rep puts it: "if a rival buys us they
# want to leave", "an out should we be acquired". Our standard gives the customer no such
# right, whatever the days it names.
_EXIT = (
    r"(?:leave|exit|(?:an?|way|wants?|get)\s+out|terminate|cancel|walk(?:\s+away)?|"
    r"end\s+(?:it|the\s+(?:deal|contract|agreement)))"
)
_OUR_COC = (
    r"(?:\b(?:we|us|our\s+company|vendor)\b(?:\s+\w+){0,3}?\s+(?:bought|acquired|sold|"
    r"taken\s+over|merged|owned\s+by|controlled\s+by)"
    r"|\b(?:we|our\s+company|the\s+vendor)\s+(?:\w+\s+){0,2}?(?:comes?|falls?|passes?|goes?)\s+"
    r"(?:under|into)\s+(?:the\s+)?(?:control|ownership)\b"
    r"|\bwe(?:'ll|\s+will|\s+might|\s+may|\s+could)?\s+(?:\w+\s+){0,2}?sell\s+(?:the|our)\s+"
    r"(?:business|company)\b"
    r"|\b(?:buys?|acquires?|takes?\s+over|purchases?)\s+(?:us|our\s+(?:company|business))\b"
    r"|\bour\s+change\s+of\s+control"
    r"|\bchange\s+of\s+control\s+of\s+(?:us|our\s+company|the\s+vendor)"
    # any change of ownership whatever, unless it is the customer's own ("exit on any
    # change of control of a key supplier")
    r"|\b(?:any|every|each)\s+(?:\w+\s+)?change\s+(?:of|in)\s+(?:control|ownership)\b"
    r"(?!\s+(?:of|at|in)\s+(?:the\s+)?(?:customer|client|them|their|its\s+own)))"
)
# The exit and the event may sit in two sentences of one request ("they worry a rival buys
# us. they want to be able to terminate"), never across a question.
_CUSTOMER_COC_EXIT = re.compile(
    rf"\b{_EXIT}\b[^.;?]{{0,80}}?{_OUR_COC}|{_OUR_COC}[^.;?]{{0,80}}?\b{_EXIT}\b"
    rf"|{_OUR_COC}[^?]{{0,60}}?\b(?:they|customer|client)\b[^.;?]{{0,40}}?\b{_EXIT}\b",
    re.I,
)
# Free help after the contract ends: "migrate off us after termination, free of charge".
_FREE = re.compile(
    r"\b(?:for\s+free|free\s+of\s+(?:charge|cost)|at\s+no\s+(?:extra\s+|additional\s+)?"
    r"(?:cost|charge)|no\s+(?:extra\s+|additional\s+)?(?:charge|cost|fee)s?|free)\b",
    re.I,
)
# Help or use of the service, not the data export the standard already gives at no charge.
_HELP = re.compile(
    r"\b(?:help\w*|assist\w*|support\w*|migrat\w*|transition\w*|services?|access|use|"
    r"platform|mov(?:e|ing)|months?)\b",
    re.I,
)
_AFTER_END = re.compile(
    r"\b(?:after|once|when|following|post)[\s-]+(?:\w+\s+){0,3}?(?:terminat\w*|ends?|"
    r"expir\w*|leave|offboard\w*)\b|\bmigrat\w*\b",
    re.I,
)
TERM_PHRASE = re.compile(
    rf"\b(?:for|over)\s+({_NUM})\s*(?:-\s*)?(years?|yrs?|months?)\b"
    rf"|\b({_NUM})[\s-]+(years?|yrs?|months?)[\s-]+(?:deal|term|contract|agreement|commitment|"
    r"subscription|order\s+form)\b",
    re.I,
)


# The deal's own length, named as such: "320k/yr, 3 yr term", "a 24-month deal". It is the
# deal's term, never a value of the clause asked about (a liability cap's lookback).
_DEAL_LENGTH = re.compile(
    rf"\b{_NUM}[\s-]*(?:years?|yrs?|months?|mos?)[\s-]+(?:deal|term|contract|agreement|"
    r"commitment|subscription|order\s+form)\b",
    re.I,
)


def without_deal_length(qty: list[Quantity], text: str) -> list[Quantity]:
    """The quantities less those that state the deal's length."""
    spans = [(m.start(), m.end()) for m in _DEAL_LENGTH.finditer(text)]
    return [q for q in qty if not any(a <= q.start < b for a, b in spans)]


# Liability without a limit, as reps ask for it: "unlimited liability for data breaches",
# "no cap at all on claims for data leaks", "our liability ... uncapped". A higher cap or a
# super-cap is a cap; none at all is what `lol.uncapped` rules out. Not the standard's own
# carve-outs (indemnities, confidentiality, gross negligence), which are uncapped by design.
_LIABILITY = r"(?:liabilit\w*|exposure|damages|claims?|losses)"
_NO_LIMIT = (
    r"(?:unlimited|uncapped|un-capped|no\s+(?:liability\s+)?(?:cap|limit|ceiling)s?|"
    r"without\s+(?:a\s+|any\s+)?(?:cap|limit|ceiling)s?|(?:remove|drop|strike|delete)\s+"
    r"(?:the\s+)?(?:liability\s+)?cap)"
)
_UNCAPPED = re.compile(
    rf"\b{_NO_LIMIT}\b[^.;?]{{0,40}}?\b{_LIABILITY}|\b{_LIABILITY}\b[^.;?]{{0,60}}?"
    rf"\b(?:is|be|are|being|to\s+be|stays?|remains?)\s+(?:\w+\s+){{0,2}}?(?:unlimited|uncapped)\b"
    rf"|\b(?:unlimited|uncapped)\s+{_LIABILITY}"
    r"|\b(?:remove|drop|strike|delete|scrap)\s+(?:the\s+|our\s+)?liability\s+caps?\b",
    re.I,
)
_CARVE_OUT = re.compile(
    r"\b(?:indemni\w*|confidential\w*|gross(?:ly)?\s+neglig\w*|wil?ful\s+misconduct|fraud)",
    re.I,
)


# A request to leave a whole clause out ("can we leave governing law out of the contract?",
# "omit the audit clause", "sign without a warranty section"). Only the clause itself, named
# as such: "drop the liability cap" or "no price increase" are values, read elsewhere.
_OMIT = re.compile(
    r"\b(?:leav(?:e|ing)|left|keep(?:ing)?|kept)\s+(?:[\w/-]+\s+){1,5}?out\s+of\s+(?:the\s+|our\s+|their\s+|this\s+)?"
    r"(?:contract|agreement|msa|order\s+form|paper|deal|document)\b"
    r"|\b(?:leav(?:e|ing)|left|keep(?:ing)?|kept)\s+(?:[\w/-]+\s+){0,5}?(?:clause|section|provision|article)\s+out\b"
    r"|\b(?:leav(?:e|ing)\s+out|omit(?:ting)?|drop(?:ping)?|delet(?:e|ing)|remov(?:e|ing)|strik(?:e|ing)"
    r"|skip(?:ping)?|scrap(?:ping)?)\s+(?:the\s+|our\s+|their\s+|any\s+)?"
    r"(?:[\w/-]+\s+){0,4}?(?:clause|section|provision|article)\b"
    r"|\b(?:clause|section|provision|article)\s+(?:be\s+|is\s+|to\s+be\s+)?(?:removed|deleted|dropped|"
    r"struck|omitted|taken\s+out|left\s+out)\b"
    r"|\bwithout\s+(?:a|an|any)\s+(?:[\w/-]+\s+){0,4}?(?:clause|section|provision)\b",
    re.I,
)


def asks_to_omit(text: str) -> bool:
    """Whether the request is to have no clause of its type at all."""
    return bool(_OMIT.search(text))


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
    m = _UNCAPPED.search(text)
    if m and not _CARVE_OUT.search(text):
        out["term.liability_uncapped"] = Fact(
            value=True, start=m.start(), end=m.end(), source="cue"
        )
    m = _NO_AUTO_RENEW.search(text)
    if m:
        out["term.auto_renewal"] = Fact(value=False, start=m.start(), end=m.end(), source="cue")
    m = _CUSTOMER_COC_EXIT.search(text)
    if m:
        out["term.customer_coc_termination_right"] = Fact(
            value=True, start=m.start(), end=m.end(), source="cue"
        )
    m = _FREE.search(text)
    if m and _AFTER_END.search(text) and _HELP.search(text):
        out["term.transition_services_free"] = Fact(
            value=True, start=m.start(), end=m.end(), source="cue"
        )
    return out


# A place named as where disputes go ("the courts of Sao Paulo", "seated in Lagos"): a
# venue the question asks for even when it is no jurisdiction the reader knows, so it is
# judged (outside the approved places) instead of dropped.
_PLACE_NAMED = re.compile(
    r"\b(?:courts?|venue|seat(?:ed)?|forum|tribunals?|arbitrat\w*|litigat\w*|heard|sued?)"
    r"\s+(?:\w+\s+){0,2}?(?:of|in|at)\s+(?:the\s+)?([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2})"
)


def named_places(text: str) -> list[str]:
    """Places the question names as where disputes are heard, as written."""
    return [m.group(1) for m in _PLACE_NAMED.finditer(text)]


def stated_term_months(text: str) -> int | None:
    """The deal's length when the question states one ("for 3 years", "a 24-month deal")."""
    m = TERM_PHRASE.search(text)
    if not m:
        return None
    n = _num(m.group(1) or m.group(3))
    unit = (m.group(2) or m.group(4)).lower()
    if n is None:
        return None
    return int(n * 12) if unit.startswith("y") else int(n)
