"""A term that ends on an event rather than on a date.

"This Agreement shall continue until the expiration of the last Royalty Term", "... shall remain
in effect until Beta ceases to market the Product", "... ending on the termination of all
Statements of Work", "the term will not end until the Publisher has delivered the Campaign":
the contract has no end date that can be known in advance. Its expiration is "indefinite", not
"perpetual" (which says the term never ends); CUAD's gold says "perpetual" for both, and its
metric reads "indefinite" as that. Read only when no term sentence gives a date, an anniversary or a
duration, and only in a sentence about this agreement's own term: the same words in a
termination clause ("either party may terminate upon the expiration of the Lease") say how the
agreement may end early, not how long it runs.
"""

from __future__ import annotations

import re

from extraction.terms.context import _Ctx

INDEFINITE = "indefinite"  # the expiration of a term that ends on an event, not on a date

_MONTHS = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d|\d{1,2}(?:st|nd|rd|th)?"
    r"\s+(?:day|[A-Z][a-z]+)|\d{1,2}/"
)
# the end of the agreement's own term or of its renewals is no outside event
_OWN_PERIOD = (
    r"(?:(?:the|this|such|its|any|each)\s+)?(?:(?:then[\s-]+)?current\s+|initial\s+|original\s+"
    r"|renewal\s+|extended\s+|extension\s+)?(?:term|period|agreement|contract|(?:contract\s+)?year)s?\b"
)
_END_NOUN = (
    r"(?:expiration|expiry|termination|completion|cessation|exhaustion)"
    r"(?:\s+(?:or|and|and/or)\s+(?:(?:earlier|later|other)\s+)?(?:expiration|expiry|termination))?"
)
_UNTIL_EVENT = re.compile(
    # "until the (last date of) expiration (or earlier termination) of the Development Agreement"
    rf"\b(?:until|till)\s+(?:the\s+)?(?:last\s+(?:date\s+of\s+|day\s+of\s+)?)?(?:(?:later|latest)\s+"
    rf"of\s*:?\s*(?:\(?(?:[a-d1-4]|i{{1,3}})\)\s*)?(?:the\s+)?)?{_END_NOUN}\s+of\s+(?!{_OWN_PERIOD})(?:the\s+|all\s+|any\s+|each\s+)?\S"
    # "until Beta ceases to ...", "until such time as the Licensee no longer ..."
    r"|\buntil\s+(?:such\s+time\s+as\s+)?(?:the\s+)?(?:[A-Z][\w&.'-]*\s+){1,4}"
    r"(?:ceases?|has\s+ceased|no\s+longer|stops?|discontinues?)\b"
    # "shall remain in effect for as long as the Licensee sells Products"
    r"|\bfor\s+(?:as|so)\s+long\s+as\b"
    # "ending on the expiration and/or termination of all Service Attachments"
    rf"|\b(?:end(?:s|ing)?|expir(?:e|es|ing)|terminat(?:e|es|ing))\s+(?:up)?on\s+the\s+{_END_NOUN}"
    rf"\s+of\s+(?!{_OWN_PERIOD})(?:all|each|the\s+last)\b"
    # "will not end until the Publisher has delivered ...": not a date
    rf"|\b(?:not|never)\s+(?:end|expire|terminate)\s+until\s+(?!(?:the\s+)?(?:{_MONTHS}))"
    rf"(?!(?:the\s+)?(?:end|expiration|expiry)\s+of\s+{_OWN_PERIOD})",
    re.I,
)
# the sentence is about this agreement's own term ("this IP Agreement shall extend", "the term
# of this Agreement shall continue")
_OWN_SUBJECT = re.compile(
    r"\b(?:[Tt]his|[Tt]he)\s+(?:[A-Z][\w-]*\s+){0,2}(?:Agreement|Contract)\b[^;]{0,300}?\b(?:shall|will)"
    r"\s+(?:not\s+)?(?:continue|remain|extend|be\s+(?:effective|valid|in\s+(?:full\s+)?(?:force|effect))"
    r"|end|expire|terminate|run)"
    r"|\b[Tt]erm\s+of\s+(?:this|the)\s+(?:[A-Z][\w-]*\s+){0,2}(?:Agreement|Contract)\b"
    r"|[\"“]Term[\"”]|\bTerm\b[^;]{0,60}\b(?:shall|will)\s+(?:not\s+)?(?:continue|remain|end|expire|run)"
    r"|\beffective\s+(?:beginning\s+)?(?:on|as\s+of)\b[^;]{0,200}?\bending\s+on\b"
)
# "for as long as" says how long the agreement lasts only right after its verb
_LASTS = re.compile(
    r"\b(?:continue|remain)s?(?:\s+in\s+(?:full\s+)?(?:force|effect)(?:\s+and\s+effect)?)?\s+$",
    re.I,
)
# clauses about something else that lasts until an event
_OTHER_SUBJECT = re.compile(
    r"\b(?:confidential\w*|warrant\w*|non-?compet\w*|surviv\w*|indemn\w*|licen[cs]e\s+grant"
    r"|obligations?\s+(?:of|under)\s+Section|exclusivity|restrict\w*)\b",
    re.I,
)


def event_end(ctx: _Ctx) -> re.Match[str] | None:
    """The wording of a term that runs until an event (see the module docstring), or None."""
    for s, _e, m in ctx.find_sents(_UNTIL_EVENT):
        head = ctx.text[s : m.start()]
        if _OTHER_SUBJECT.search(head) or re.match(r"\W*WHEREAS\b", head):
            continue
        if m.group(0).lower().startswith("for") and not _LASTS.search(head):
            continue  # "insured ... for so long as it customarily maintains insurance"
        if re.match(r"\W*(?:[\d.]+\s+)?Notwithstanding\b", head):
            continue  # "Notwithstanding Section 6.1, ... shall continue ...": an exception
        if not _OWN_SUBJECT.search(ctx.text, s, m.start() + 1):
            continue
        return m
    return None


# '"Commencement Date" shall mean the date on which Conversion has been completed': an event,
# not a date (which "means April 1, 2019" would give, and the effective date reads)
_COMMENCEMENT_IS_EVENT = re.compile(
    r"[\"“](?:Commencement|Start)\s+Date[\"”]\s*(?:shall\s+)?(?:means?|is)\s+(?:the\s+)?(?:first\s+)?"
    r"(?:date|day)\s+(?:on\s+which|of|that|when|upon\s+which)\b",
    re.I,
)


def commencement_is_event(ctx: _Ctx, counted_from: str) -> bool:
    """Whether a term counted from the "Commencement Date" is counted from an event the
    contract defines (see `_COMMENCEMENT_IS_EVENT`)."""
    if not re.search(r"\b(?:Commencement|Start)\s+Date\b", counted_from, re.I):
        return False
    return _COMMENCEMENT_IS_EVENT.search(ctx.text) is not None
