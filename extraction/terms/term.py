"""Term, expiration, renewal and termination for convenience."""

from __future__ import annotations

import datetime as dt
import re

from extraction.terms.context import ROLE_WORDS, _Ctx
from extraction.terms.dateparse import _MONTH_NAME, _MONTHS, _Date, _iso
from extraction.terms.numbers import (
    _DUR_RE,
    _ORDINAL_WORDS,
    _UNITS_WORDS,
    DUR,
    _add,
    _days,
    _months,
    parse_duration,
)
from extraction.terms.term_event import INDEFINITE, commencement_is_event, event_end

# ---------------------------------------------------------------------------------------------
# Term, expiration and renewal
# ---------------------------------------------------------------------------------------------

_TERM_SENT = re.compile(
    r"\b(?:term\s+of\s+this\s+(?:Agreement|Contract)|initial\s+term|(?:original|initial)\s+period"
    r"|\b(?:terminat\w*|expir\w*|ending|end|through)\s+(?:on\s+)?(?:the\s+)?(?=(?:Jan|Feb|Mar|Apr|May"
    r"|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w*\.?\s+\d|\d{1,2}(?:st|nd|rd|th)?\s+(?:day|[A-Z][a-z]+\s+\d)|\d{1,2}/)"
    r"|(?:Termination|Expiration|Expiry|End)\s+Date\s*:|(?:shall|will)\s+be\s+valid\s+for"
    r"|(?:effective|continues?|(?:continues?|remains?|be|is)\s+in\s+(?:full\s+)?(?:force|effect)"
    r"(?:\s+and\s+effect)?)\s+(?:until|through|for\s+(?:a\s+period\s+of\s+)?(?:[\w-]+\s+){0,2}\(?\d"
    # "shall be in effect for a period of three years"
    rf"|for\s+(?:an?\s+(?:initial\s+)?(?:period|term)\s+of\s+)?{DUR})"
    r"|this\s+(?:Agreement|Contract)\s+(?:shall\s+|will\s+)?(?:commences?|becomes?\s+effective|continues?"
    r"|remains?|be\s+(?:in\s+(?:full\s+)?(?:force|effect)|effective)|expire|terminate|end|ha(?:ve|s)\s+a\s+(?:term"
    r"|duration))|(?:the\s+)?Term\b[^.]{0,40}?\b(?:shall|will)\s+(?:be|commence|begin|continue"
    r"|remain|expire|end|run)|duration\s+of\s+this|(?:Agreement|Contract)\s+(?:is|shall\s+be|has\s+been)\s+(?:entered\s+into|concluded|made)\s+"
    r"for\s+an\s+(?:unlimited|indefinite)\s+period|(?:Agreement|Term)\s+(?:shall|will)\s+expire"
    r"|this\s+Agreement[^.;]{0,80}\b(?:shall|will|may)\s+not\s+be\s+terminable"
    r"|shall\s+expire\s+on|in\s+perpetuity|perpetual\s+term|\bTerm\s*:"
    r"|[\"“]Term[\"”]\s+(?:means|shall\s+mean)|anniversary\s+of\s+the\s+(?:Effective|Commencement)\s+Date"
    r"|(?:shall|will)\s+(?:expire|terminate|end)\s+(?:up)?on\s+the\s+(?:earlier|later)"
    r"|term\s+of\s+(?:the|this)\s+agreement|(?:Agreement|Contract)\s+(?:is|shall\s+be|will\s+be)\s+"
    r"for\s+(?:a|the)\s+(?:term|period)|(?<=[\"“])(?:(?:Initial|Original|Contract|Agreement|License|Licence|Service|CONTRACT)\s+)?(?:Term|Period|PERIOD)[\"”]\s+(?:shall\s+)?"
    r"means?|remain\s+(?:effective|valid)\s+for|this\s+(?:Agreement|Contract)\s+(?:shall\s+|will\s+)?"
    r"begins?\b|(?:continue|remain)\w*\s+(?:in\s+(?:full\s+)?(?:force|effect)\s+)?(?:indefinitely"
    r"|for\s+perpetuity|in\s+perpetuity|unless\s+and\s+until)"
    r"|(?:continue|remain)\w*\s+(?:in\s+(?:full\s+)?(?:force|effect)(?:\s+and\s+effect)?\s+)?for\s+"
    r"at\s+least)|(?:shall|will)\s+have\s+a\s+(?:term|duration)\s+of"
    r"|(?:continue|remain)\s+(?:in\s+(?:full\s+)?(?:force|effect)(?:\s+and\s+effect)?\s+)?for\s+the\s+"
    r"(?-i:(?:[A-Z][\w-]*\s+){1,2}(?:Period|Term))\b",
    re.I,
)
_BASE_REF = (
    r"(?:the\s+)?(?:date\s+of\s+(?:the\s+)?Effective\s+Date|date\s+of\s+this\s+document"
    r"|Effective\s+Date|date\s+(?:hereof|of\s+(?:this\s+Agreement|execution|signing|signature)"
    r"|(?:first\s+)?(?:written|set\s+forth)\s+above|on\s+which\s+this\s+(?:Agreement|Contract))|Execution\s+Date|signing\s+date"
    r"|Commencement\s+Date|execution\s+(?:date\s+)?(?:of|hereof)|(?:the\s+)?date\s+this"
    r"|date\s+of\s+(?:the|this)\s+(?:Agreement|Contract))"
)
_REL_EXPIRY = re.compile(
    rf"(?P<dur>{DUR})\s*(?:\([^)]{{0,40}}\)\s*)?(?:from|after|following|subsequent\s+to|commencing\s+(?:on|from|with)"
    rf"|beginning\s+(?:on|with)?|starting\s+(?:on|from)?|of|as\s+of)\s+(?:and\s+including\s+)?"
    rf"{_BASE_REF}",
    re.I,
)
# "shall begin on the Effective Date and shall end fifteen months therefrom"
_REL_THEREAFTER = re.compile(
    rf"\b(?:(?:begin|commence|start)\w*|(?:becomes?|be)\s+effective)\s+(?:on|as\s+of|upon)\s+"
    rf"{_BASE_REF}[^.;]{{0,80}}?"
    rf"(?P<dur>{DUR})\s+(?:therefrom|thereafter|after\s+such\s+date)",
    re.I,
)
_TERM_DUR = re.compile(
    rf"(?:(?:term|period|duration)\b[^.;]{{0,80}}?(?:of|for|be|is|until|through)"
    rf"|(?:continue|remain)\s+(?:in\s+(?:full\s+)?(?:force|effect)(?:\s+and\s+effect)?\s+"
    rf"|effective\s+|valid\s+)?(?:initially\s+)?for(?:\s+at\s+least)?"
    rf"|Term\s*:)\s+"
    rf"(?:a\s+(?:period|term)\s+of\s+|an?\s+(?:initial\s+)?(?:period|term)\s+of\s+|an?\s+"
    rf"|the\s+(?:(?:entire|full|whole)\s+)?(?=[^.;]{{0,30}}\bterm\b))?"
    rf"(?P<dur>{DUR})",
    re.I,
)
# Title-case words only (a section heading run into its first sentence), e.g. "4. Term and "
_HEADING_RUN = re.compile(
    r"\s*(?:(?:Section|Article)\s+)?(?:[\dIVX]+[.)]?[\d.]*\s*)?(?:[A-Z][a-z]*\.?\s+(?:(?:and|&)\s+)?)*$"
)
# an ordinal's suffix, also as text extracted from a PDF splits it ("5t h")
_ORD_SUFFIX = r"(?:s\s?t|n\s?d|r\s?d|t\s?h)"
_ANNIV_BASE = rf"(?:{_BASE_REF}|this\s+(?:Agreement|Contract)\b)"
# "the third anniversary thereof" in the term's sentence: of the date the term starts on
_ANNIV = re.compile(
    rf"(?P<ord>\w+(?:-\w+)?|\d+(?:st|nd|rd|th))\s*(?:\(\s*\d+{_ORD_SUFFIX}?\s*\)\s*)?"
    rf"anniversary\s+(?:of\s+{_ANNIV_BASE}|thereof\b)"
    rf"|(?P<dur>{DUR})\s+anniversary\s+(?:of\s+{_ANNIV_BASE}|thereof\b)",
    re.I,
)
_UNTIL_DATE = re.compile(
    r"(?:(?:Termination|Expiration|Expiry|End)\s+Date\s*:?|until|through(?:\s+to)?|conclud\w*(?:\s+on)?"
    r"|end(?:s|ing)?\s+as\s+of|(?:19|20)\d\d\s*(?:to|-|–)|expire[sd]?(?:\s+(?:on|at))?|terminat\w+(?:\s+on)?|end(?:s|ing)?\s+(?:on|at)|ending"
    r"|from\s+(?:and\s+including\s+)?(?:the\s+)?(?:Effective|Commencement|Start)\s+Date\s+(?:to|until)"
    r"|continue\s+(?:in\s+(?:full\s+)?(?:force\s+and\s+)?effect\s+)?(?:until|through)|to\s+and"
    r"|no\s+event\s+later\s+than|up\s+to|and\s+ending"
    r"|(?:until|end|expire|terminate)\s+(?:(?:on|upon|at)\s+)?the\s+(?:earlier|later|earliest|latest)\s+of(?:\s+the\s+following)?:?\s*"
    r"(?:\(?(?:[a-d1-4]|i{1,3})\)\s*)?(?:the\s+date\s+)?(?:on\s+)?)\W+(?:(?:and\s+)?(?:including|the\s+close\s+of\s+business"
    r"\s+on|midnight\s+on|\d+:\d+\s*[ap]\.?m\.?[^,]{0,30}on|on)\W+)?"
    r"(?:the\W+)?$",  # "until the 31st day of December, 2020"
    re.I,
)
# Perpetual only when the text says so: "in perpetuity", "indefinitely", "until terminated";
# "shall remain in effect until the earlier of (i) December 31, 2022, ..." has an end.
_PERPETUAL = re.compile(
    r"\b(?:in\s+perpetuity|perpetual(?:ly)?|indefinite(?:ly)?|(?:continue|remain)(?:\s+in\s+(?:full\s+)?"
    r"(?:force|effect)(?:\s+and\s+(?:effect|force))?)?\s+(?:indefinitely\s+)?until\s+(?:such\s+time\s+as\s+)?"
    r"(?:(?:it|this\s+(?:Agreement|Contract)|the\s+(?:Agreement|Contract))\s+is\s+)?terminated"
    r"|(?:continue|remain)(?:\s+in\s+(?:full\s+)?(?:force|effect)(?:\s+and\s+(?:effect|force))?)?\s+until\s+"
    r"(?:either|one|a|any)\s+(?:party|of\s+the\s+parties)\s+terminates"
    r"|(?:continue|remain)(?:\s+in\s+(?:full\s+)?(?:force|effect)(?:\s+and\s+(?:effect|force))?)?\s+until\s+"
    r"(?:its\s+)?termination\b(?!\s+or\s+expiration\s+of\s+(?:the|that|such)\b)"
    r"|(?:continue|remain)(?:\s+in\s+(?:full\s+)?(?:force|effect)(?:\s+and\s+(?:effect|force))?)?\s+until\s+"
    r"(?:either|one|any)\s+(?:party|of\s+the\s+parties)\s+(?:gives|informs|notifies|provides|serves)"
    r"|until\s+terminated|for\s+perpetuity|(?:continue|remain)\w*\s+unless\s+and\s+until"
    r"|(?:shall|will|may)\s+not\s+be\s+terminable"
    r"|for\s+an\s+(?:unlimited|indefinite)\s+period|(?:end|expire|terminate)\s+(?:only\s+)?when\s+"
    r"terminated|end\s+on\s+the\s+\w+\s+day\s+(?:following|after)\s+(?:a|the)\s+(?:written\s+)?notice)",
    re.I,
)
_RENEW_SENT = re.compile(
    r"\b(?:renew\w*|extend\w*|extension|successive|evergreen|year[\s-]+to[\s-]+year"
    r"|month[\s-]+to[\s-]+month)\b",
    re.I,
)
_RENEW_CUT = re.compile(
    r"\b(?:renew\w*|successive|evergreen|(?:be|automatically)\s+extended|extension)\b", re.I
)
_TERM_STRONG = re.compile(
    r"\b(?:(?:the\s+)?term\s+of\s+this\s+(?:Agreement|Contract)\s+(?:shall|will|is)|initial\s+term"
    r"|[\"“]Term[\"”]|Term\s*[.:]|duration|this\s+(?:Agreement|Contract)\s+(?:shall|will)\s+"
    r"(?:commence|become\s+effective|continue|remain|expire|be\s+(?:valid|effective|in\s+force)))",
    re.I,
)
_TERM_AVOID = re.compile(
    r"\b(?:during\s+the\s+(?:term|Term)|(?:after|following|survive\w*)\s+(?:the\s+|any\s+)?"
    r"(?:expiration|termination|expiry))",
    re.I,
)
_AUTO_RENEW = re.compile(
    r"\b(?:automatic(?:ally)?\s+(?:be\s+)?(?:renew|extend|continue)\w*|renew\w*\s+"
    r"(?:automatically|itself)|(?:auto|automatic)[\s-]+renew\w*|automatic\s+(?:annual\s+)?"
    r"(?:renewal|extension)s?|shall\s+(?:thereafter\s+)?(?:be\s+)?(?:renewed|extended|continue)"
    r"[^.;]{0,40}?(?:for\s+)?(?:successive|additional|subsequent|consecutive|further)"
    r"|(?:renewed|extended|extend|renew)\s+(?:tacitly|automatically)|tacit\w*\s+renew\w*"
    r"|continue\s+(?:thereafter\s+)?(?:on\s+a\s+)?(?:from\s+)?(?:year[\s-]+to[\s-]+year"
    r"|month[\s-]+to[\s-]+month)|evergreen)",
    re.I,
)
# a denial in the same clause, just before the renewal words
_DENIED = re.compile(r"\b(?:not|never|no|nor)\b|n['’]t\b", re.I)


def _clause_before(text: str, start: int, at: int) -> str:
    """Up to 40 characters before `at` in its sentence, cut at the last clause break."""
    before = text[max(start, at - 40) : at]
    return re.split(r"[,;:()]", before)[-1]


_MANUAL_RENEW = re.compile(
    r"\b(?:may\s+be\s+(?:renewed|extended)|mutual(?:ly)?\s+(?:written\s+)?agree\w*"
    r"|upon\s+(?:the\s+)?mutual|option\s+to\s+(?:renew|extend)|may\s+(?:renew|extend))",
    re.I,
)
_RENEW_DUR = re.compile(
    rf"(?:(?:successive|additional|subsequent|consecutive|further|renewals?|extensions?|renewed|"
    rf"extended|renew|extend)\b[^.;]{{0,60}}?)(?:periods?\s+of\s+|terms?\s+of\s+)?"
    rf"(?P<dur>{DUR})",
    re.I,
)
_RENEW_UNIT = re.compile(
    r"\b(?P<u>year[\s-]+to[\s-]+year|month[\s-]+to[\s-]+month|(?:successive\s+)?"
    r"(?:annual|yearly|monthly)\s+(?:renewal|basis|period|term|extension)s?"
    r"|renew\w*\s+annually|(?:additional|successive)\s+(?:one[\s-]+)?years?\b(?!\s*\()"
    r"|(?:every|each|per)\s+(?:calendar\s+)?(?P<y>year)|monthly\s+periods?)",
    re.I,
)
_NOTICE_DUR = re.compile(
    rf"(?P<dur>{DUR})['’]?\s*(?:\([^)]{{0,30}}\)\s*)?(?:(?:prior|advance|written|advanced|"
    rf"or\s+more|or\s+longer)\s+)*(?:written\s+)?(?:notice|notification|before|prior|in\s+advance"
    rf"|preceding)|(?:notice|notif\w+)[^.;]{{0,80}}?(?:at\s+least|not\s+less\s+than|no\s+less"
    rf"\s+than|no\s+later\s+than|a\s+minimum\s+of|within|more\s+than)\s+(?P<dur2>{DUR})",
    re.I,
)


# Sentences that are not about this agreement's own term: recitals ("WHEREAS, the previous
# agreement expired on May 28, 2016"), definitions of other periods ('"Contract Year" means a
# period of one year starting on the Effective Date')
_NOT_OWN_TERM = re.compile(
    r"^\W*WHEREAS\b|\b(?:previous|prior|original|existing)\s+(?:\w+\s+){0,2}agreement\b[^.;]{0,60}"
    r"\bexpired\b|^\s*(?:[\w.]{1,6}[.)]?\s+)?[\"“](?!(?:Initial\s+|Original\s+)?Term\b)(?!(?:Contract|Agreement|License|Licence"
    r"|Service)\s+(?:Term|Period)\b)[A-Z][^\"”]{0,40}[\"”]\s+(?:shall\s+)?(?:means?|is\s+defined)",
    re.I,
)
# "the three-month period ending on September 30, 2019": another period's end
_OTHER_PERIOD_END = re.compile(
    r"\b(?:quarter|month|fiscal\s+year|calendar\s+year|(?<!initial\s)(?<!contract\s)period)"
    r"\s+(?:ending|ended|that\s+ends)\s+(?:on\s+)?\W*$",
    re.I,
)
# the sentence is about this agreement's own term
_OWN_TERM_WORD = re.compile(
    r"\bTerm\b|\bTERM\b|\b(?:term|duration)\s+of\s+this\s+(?:Agreement|Contract)\b"
    r"|\binitial\s+(?:term|period)\b|\b[Tt]his\s+(?:Agreement|Contract)\s+(?:shall|will)\s+"
    r"(?:expire|terminate|end|remain|continue)"
)
# a duration counted from an event other than the effective date or signing: "twenty-five
# (25) years following the RFS Date", "two (2) years from the date on which the channel is
# uploaded", "one year from first commercial sale"
_FROM_OTHER_EVENT = re.compile(
    rf"\s*(?:\([^)]{{0,40}}\)\s*)?(?:from|after|following|commencing|beginning|starting)\s+"
    rf"(?:on\s+|upon\s+|with\s+)?(?!{_BASE_REF})(?!(?:such|that|which|the\s+(?:date|day)\s+"
    rf"(?:hereof|first)))(?:the\s+)?(?!Effective|Commencement|Execution|date\s+(?:hereof|of\s+(?:this|execution|signing)))"
    rf"(?:[A-Z][\w-]*|first|date\s+(?:on\s+which|of\s+(?:the\s+)?(?:first|launch|completion|delivery|acceptance)))",
)
# termination at will by notice, the only end a contract without a term has
_AT_WILL = re.compile(
    r"\b(?:(?:either|any|each)\s+part(?:y|ies)\s+may(?:\s+at\s+any\s+time)?\s+terminate\s+this\s+"
    r"(?:Agreement|Contract|Appointment)|(?:this\s+)?(?:Agreement|Contract|Appointment)\s+may\s+be\s+"
    r"terminated\s+(?:at\s+any\s+time\s+)?by\s+(?:either|any|each)\s+party|(?:Agreement|Contract)\s+"
    r"shall\s+terminate\s+\W*(?:\(?[a-d1-4i]\)\s*)?at\s+the\s+option\s+of\s+(?:either|any|each)\s+"
    r"party)(?:\s+at\s+any\s+time)?(?:\s+for\s+any\s+reason)?,?\s+(?:by\s+giving|upon|on|by|with|"
    r"giving)\s+(?:the\s+other(?:\s+part(?:y|ies))?\s+)?(?:at\s+least\s+|not\s+less\s+than\s+)?"
    rf"(?:{DUR})['’]?\s*(?:\([^)]{{0,20}}\)\s*)?(?:prior\s+|advance\s+)?(?:written\s+)?notice"
    r"(?![^.;]{0,60}\b(?:if|in\s+the\s+event|in\s+case|should|where|upon\s+(?:a|any|the)\s+"
    r"(?:material\s+)?breach|for\s+(?:cause|breach))\b)",
    re.I,
)
# an anniversary is the expiration only where the term ends on it
_ANNIV_END = re.compile(
    r"\b(?:until|through|expir\w*|end\w*|terminat\w*|conclud\w*)\b[^.;]{0,40}$"
    r"|\b(?:until|expire\w*|end\w*)\s+(?:(?:on|upon|at)\s+)?the\s+(?:earlier|later|earliest|latest)\s+of\b[^.;]{0,70}$"
    r"|\b(?:on|upon|before)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.I,
)
# relative terms counted from the signing rather than the effective date
_OF_SIGNING = re.compile(
    r"\b(?:hereof|execution|signing|signature|date\s+of\s+(?:this|the)\s+(?:Agreement|Contract))\b"
    r"|anniversary\s+of\s+this\s+(?:Agreement|Contract)\b",
    re.I,
)


_LAST_DAY_OF_MONTH = re.compile(
    r"\blast\s+day\s+of\s+the\s+(?:calendar\s+)?month\W+(?:(?:in|during)\s+which\s+)?(?:the\s+)?$",
    re.I,
)


def _month_end_if(text: str, s: int, at: int, d: dt.date) -> dt.date:
    """The last day of d's month where the term ends on "the last day of the month (in which)"
    the counted date falls."""
    if not _LAST_DAY_OF_MONTH.search(text, max(s, at - 60), at):
        return d
    nxt = (d.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return nxt - dt.timedelta(days=1)


# "unless terminated earlier or extended by mutual agreement, shall continue ... for 36
# months": a renewal word in an "unless" aside does not start the renewal part of the sentence
_UNLESS_ASIDE = re.compile(r"\bunless\b[^,;()]{0,100}$", re.I)


def _renew_cut(text: str, s: int, e: int) -> re.Match[str] | None:
    """Where a term sentence starts talking about renewal, if it does."""
    for m in _RENEW_CUT.finditer(text, s, e):
        if not _UNLESS_ASIDE.search(text, s, m.start()):
            return m
    return None


_LIST_OF_ENDS = re.compile(
    r"\b(?:until|earlier|later|earliest|latest|first\s+to\s+occur)\b[^.;:]{0,50}:$", re.I
)
_LIST_ITEM = re.compile(r"\s*\(?(?:[a-e]|i{1,3}|iv|v|[1-5])[.)]\s")


def _with_list(ctx: _Ctx, s: int, e: int) -> tuple[int, int]:
    """A sentence that ends in a colon, with the list items after it ("shall remain in effect
    until the earlier of: (a) the fifth anniversary ...; and (b) ..."), which the sentence
    splitter cut off."""
    if not _LIST_OF_ENDS.search(ctx.text[s:e].rstrip()):
        return s, e
    i = ctx.sent_at(s)
    for j in range(i + 1, min(i + 4, len(ctx.sents))):
        ns, ne = ctx.sents[j]
        if not _LIST_ITEM.match(ctx.text, ns):
            break
        e = ne
    return s, e


# a sentence about one part of the term: "Phase I will commence on August 1, 2010 and end on
# July 31, 2011", "The pilot stage shall end on ...": its end is not the agreement's
_PART_SUBJECT = re.compile(
    r"\b(?:Phase|Stage|Pilot|Season|Trial|Evaluation\s+Period)(?:\s+[\w-]+)?\s+(?:will|shall)\b"
    r"[^.;]*$",
    re.I,
)


def _avoided(text: str, s: int, e: int) -> bool:
    """A sentence about what happens during or after the term, unless it states the term
    before that ("an initial term of one year ... notice to expire on or after the expiry
    date of the initial term")."""
    avoid = _TERM_AVOID.search(text, s, e)
    if avoid is None:
        return False
    strong = _TERM_STRONG.search(text, s, avoid.start())
    return strong is None or _DUR_RE.search(text, strong.end(), avoid.start()) is None


def _explicit_end(ctx: _Ctx, s: int, e: int) -> _Date | None:
    """The date a term sentence says the term ends on ("expire on July 22, 2016", "until the
    earlier of (i) December 31, 2022"), not the end of another period ("for the period from
    the Effective Date through September 30, 2010", "the quarter ending on ...")."""
    text = ctx.text
    if re.search(
        r"\b(?:for\s+the|interim|fiscal|reporting|measurement)\s+period\b", text[s:e], re.I
    ):
        return None
    for d in ctx.dates_in(s, e):
        before = text[max(s, d.start - 80) : d.start]
        if _UNTIL_DATE.search(before) and not _OTHER_PERIOD_END.search(before):
            return d
    return None


# "shall expire on the last day of March, 2021", "until the last day in February 2023"
_LAST_DAY_IN = re.compile(
    rf"\b(?:until|through|expir\w*|end\w*|terminat\w*|conclud\w*)\b[^.;]{{0,80}}?\blast\s+"
    rf"(?:calendar\s+)?day\s+(?:in|of)\s+(?P<m>{_MONTH_NAME})\s*,?\s*(?P<y>(?:19|20)\d\d)\b",
    re.I,
)


def _last_day_of_month(ctx: _Ctx, s: int, e: int) -> _Date | None:
    m = _LAST_DAY_IN.search(ctx.text, s, e)
    if m is None:
        return None
    first = dt.date(int(m.group("y")), _MONTHS[m.group("m").lower()], 1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return _Date(m.start("m"), m.end("y"), last)


# '"Expiration Date" means March 31, 2020': the end of the term, defined once
_EXPIRY_DEFINED = re.compile(
    r"[\"“](?:Expiration|Expiry|Termination|End)\s+Date[\"”]\s*(?:shall\s+)?(?:means?|is|:)\s*"
    r"(?:the\s+)?",
    re.I,
)


def _defined_expiration(ctx: _Ctx) -> _Date | None:
    for m in _EXPIRY_DEFINED.finditer(ctx.text):
        for d in ctx.dates_in(m.end(), m.end() + 40):
            if d.start - m.end() <= 3:
                return d
    return None


# the term's own start in its sentence: "It shall be effective on 6 October 2000 and shall have
# a duration of two years"
_OWN_START = re.compile(
    r"\b(?:effective|commenc\w*|begin\w*|start\w*)\s+(?:on|as\s+of|from)\s+(?:the\s+)?\W*$",
    re.I,
)


# the term's start right after its duration: "for a period of two years commencing on April 1,
# 2010", "for three years beginning January 1, 2000"
_STARTS_ON = re.compile(
    r"\s*(?:\([^)]{0,40}\)\s*)?,?\s*(?:commencing|beginning|starting|effective|from)\s+"
    r"(?:on\s+|as\s+of\s+|from\s+|with\s+)?(?:the\s+)?$",
    re.I,
)


def _dated_start(ctx: _Ctx, at: int, e: int) -> dt.date | None:
    for d in ctx.dates_in(at, min(e, at + 80)):
        if d.precision == "day" and _STARTS_ON.match(ctx.text, at, d.start):
            return d.date
        break
    return None


def _own_start(ctx: _Ctx, s: int, e: int) -> dt.date | None:
    for d in ctx.dates_in(s, e):
        if d.precision == "day" and _OWN_START.search(ctx.text, max(s, d.start - 40), d.start):
            return d.date
    return None


# "in effect until the end of 2006", "until the end of the current calendar year"
_END_OF_YEAR = re.compile(
    r"\b(?:until|through|expire\w*\s+(?:on|at))\s+the\s+end\s+of\s+(?:(?:the\s+)?(?:calendar\s+)?"
    r"year\s+)?(?P<y>(?:19|20)\d\d)\b|\b(?:until|through|expire\w*\s+(?:on|at))\s+the\s+end\s+of"
    r"\s+the\s+(?:current|then[\s-]current)\s+calendar\s+year\b",
    re.I,
)


def _end_of_year(ctx: _Ctx, s: int, e: int, base: dt.date | None) -> tuple[str, int, int] | None:
    m = _END_OF_YEAR.search(ctx.text, s, e)
    if not m:
        return None
    year = int(m.group("y")) if m.group("y") else (base.year if base else None)
    return (f"{year}-12-31", m.start(), m.end()) if year else None


# "shall continue in effect for the Service Period" with '"Service Period" means April 1, 2019
# through March 30, 2020': the end date of the defined period
_FOR_DEFINED = re.compile(
    r"\b(?:for|during|until\s+the\s+end\s+of)\s+the\s+(?P<p>(?:[A-Z][\w-]*\s+){0,2}(?:Period|Term))\b"
)


def _defined_period_end(ctx: _Ctx, s: int, e: int) -> tuple[str, int, int] | None:
    text = ctx.text
    fm = _FOR_DEFINED.search(text, s, e)
    if not fm:
        return None
    dm = re.search(
        rf"[\"“]{re.escape(fm.group('p'))}[\"”]\s+(?:shall\s+)?(?:means?|is\s+defined\s+as)\b", text
    )
    if not dm:
        return None
    stop = re.compile(r";|\.(?=\s+[\"“A-Z(])|\n\s*\n").search(text, dm.end(), dm.end() + 400)
    d = _explicit_end(ctx, dm.start(), stop.start() + 1 if stop else dm.end() + 400)
    return (d.iso, d.start, d.end) if d is not None else None


def _ordinal(s: str) -> int | None:
    s = s.lower()
    if s in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[s]
    m = re.match(r"(\d+)", s)
    if m:
        return int(m.group(1))
    parts = s.split("-")
    if len(parts) == 2 and parts[0] in _UNITS_WORDS and parts[1] in _ORDINAL_WORDS:
        return _UNITS_WORDS[parts[0]] + _ORDINAL_WORDS[parts[1]]
    return None


def _extract_term(ctx: _Ctx, agreement_d: _Date | None, effective_d: _Date | None) -> None:
    text = ctx.text
    agreement = agreement_d.date if agreement_d else None
    base_d = effective_d or agreement_d
    base = base_d.date if base_d else None

    def precision_of(b: dt.date) -> str:
        """A date computed from a partial base date is as partial as the base."""
        for d in (effective_d, agreement_d):
            if d is not None and d.date == b:
                return d.precision
        return "day"

    term_sents = [_with_list(ctx, s, e) for s, e, _ in ctx.find_sents(_TERM_SENT)]
    strong_term = any(_TERM_STRONG.search(text, max(0, s - 30), e) for s, e in term_sents)
    # sentences that talk about the agreement's term come first (stable by position)
    term_sents = [se for se in term_sents if not _avoided(text, se[0], se[1])]
    term_sents.sort(key=lambda se: 0 if _TERM_STRONG.search(text, max(0, se[0] - 30), se[1]) else 1)
    expiration_done = False
    initial_done = False
    perpetual: re.Match[str] | None = None
    defined = _defined_expiration(ctx)
    if defined is not None:
        ctx.add("expiration_date", defined.iso, defined.start, defined.end, 0.85)
        expiration_done = True
    term_sents = [
        (s, e)
        for s, e in term_sents
        if not re.search(
            r"\b(?:confidential|warrant|non-?compet|survive|indemn|payment)", text[s:e], re.I
        )
        and not _NOT_OWN_TERM.search(text[s:e])  # a recital, another period's definition
    ]
    # a date the term itself ends on ("The Term shall commence on July 23, 2013 and shall
    # expire on July 22, 2016") outweighs a duration counted from the effective date
    for s, e in term_sents[:12]:
        if not _OWN_TERM_WORD.search(text, s, e):
            continue
        renew = _renew_cut(text, s, e)
        d = _explicit_end(ctx, s, renew.start() if renew else e)
        if d is None:
            d = _last_day_of_month(ctx, s, renew.start() if renew else e)
        if d is not None:
            ctx.add("expiration_date", d.iso, d.start, d.end, 0.85)
            expiration_done = True
            break
    for s, e in term_sents[:12]:
        renew_pos = _renew_cut(text, s, e)
        if renew_pos and _HEADING_RUN.match(text, s, renew_pos.start()):
            renew_pos = _RENEW_CUT.search(text, renew_pos.end(), e)  # "Term and Renewal" heading
        main_end = renew_pos.start() if renew_pos else e
        # explicit expiration date
        if not expiration_done:
            d = _explicit_end(ctx, s, e)
            if d is not None and _PART_SUBJECT.search(text, max(s, d.start - 120), d.start):
                d = None
            if d is not None:
                ctx.add("expiration_date", d.iso, d.start, d.end, 0.85)
                expiration_done = True
        if not expiration_done:
            am = _ANNIV.search(text, s, main_end)
            if am and not _ANNIV_END.search(text, max(s, am.start() - 90), am.start()):
                am = None  # "as of the third anniversary ..., EFS provide": not when it ends
            n: float | None = None
            if am and am.group("ord"):
                n = _ordinal(am.group("ord"))
                if n is None:  # "four-year anniversary"
                    pdo = parse_duration(am.group("ord"))
                    n = pdo[0] if pdo and pdo[1] == "year" else None
            elif am:
                pd0 = parse_duration(am.group("dur"))
                n = pd0[0] if pd0 and pd0[1] == "year" else None
            if am and n and commencement_is_event(ctx, am.group(0)):
                expiration_done = True  # counted from an event: unknown, not a guess
            elif am and n:
                b = agreement if _OF_SIGNING.search(am.group(0)) and agreement else base
                if b:
                    ctx.add(
                        "expiration_date",
                        _iso(
                            _month_end_if(text, s, am.start(), _add(b, n, "year")), precision_of(b)
                        ),
                        am.start(),
                        am.end(),
                        0.8,
                    )
                    expiration_done = True
                    if not initial_done:
                        ctx.add("initial_term_months", round(n * 12), am.start(), am.end(), 0.75)
                        initial_done = True
        dur_m = (
            _REL_EXPIRY.search(text, s, main_end)
            or _REL_THEREAFTER.search(text, s, main_end)
            or _TERM_DUR.search(text, s, main_end)
        )
        if dur_m and re.search(
            r"\bwithin\s+(?:an?\s+(?:further\s+)?(?:period|term)\s+of\s+)?$",
            text[max(s, dur_m.start() - 12) : dur_m.start()]
            + text[dur_m.start() : dur_m.start("dur")],
        ):
            dur_m = None  # "within forty-five (45) days of the Execution Date": a deadline
        if dur_m:
            after = text[dur_m.end("dur") : dur_m.end("dur") + 40]
            if re.match(
                r"['’]?\s*(?:\([^)]*\)\s*)?(?:prior\s+)?(?:written\s+)?notice", after, re.I
            ):
                dur_m = None
        if dur_m:
            pd = parse_duration(dur_m.group("dur"))
            if pd and pd[0] > 0:
                amount, unit = pd
                if not initial_done and unit in ("year", "month"):
                    ctx.add(
                        "initial_term_months",
                        _months(amount, unit),
                        dur_m.start("dur"),
                        dur_m.end("dur"),
                        0.8,
                    )
                    initial_done = True
                dated_start = _dated_start(ctx, dur_m.end("dur"), e)
                other_start = _FROM_OTHER_EVENT.match(text, dur_m.end("dur"))
                own = _own_start(ctx, s, dur_m.start()) if dur_m.re is _TERM_DUR else None
                if not (expiration_done or dated_start or own) and commencement_is_event(
                    ctx, dur_m.group(0)
                ):
                    expiration_done = True  # counted from an event: unknown, not a guess
                if not expiration_done and (dated_start or not other_start):
                    b = agreement if _OF_SIGNING.search(dur_m.group(0)) and agreement else base
                    b = dated_start or own or b
                    if b and unit in ("year", "month", "day"):
                        end_d = _month_end_if(text, s, dur_m.start(), _add(b, amount, unit))
                        exp = _iso(end_d, precision_of(b) if unit != "day" else "day")
                        conf = 0.65 if dur_m.re is _TERM_DUR else 0.8
                        ctx.add("expiration_date", exp, dur_m.start(), dur_m.end(), conf)
                        expiration_done = True
        if not expiration_done:
            end = _end_of_year(ctx, s, main_end, base) or _defined_period_end(ctx, s, main_end)
            if end is not None:
                ctx.add("expiration_date", end[0], end[1], end[2], 0.8)
                expiration_done = True
        if not expiration_done and perpetual is None:
            pm = _PERPETUAL.search(text, s, e)
            if (
                pm
                and pm.group(0).lower().startswith("until")
                and re.search(r"\bthereafter\W+$", text[max(s, pm.start() - 20) : pm.start()])
            ):
                pm = None  # "until the end of the 15th Contract Year, and thereafter until ..."
            if (
                pm
                and pm.group(0).lower().startswith("until")
                and re.search(r"\bor\s+$", text[max(s, pm.start() - 6) : pm.start()])
                and re.search(r"(?:19|20)\d\d", text[s : pm.start()])
            ):
                pm = None  # "1 January 2013 to 31 December 2013 or until terminated": an end
            if pm and not _DUR_RE.search(text, s, pm.start()):
                perpetual = pm
                if _TERM_STRONG.search(text, max(0, s - 30), e) or not _DUR_RE.search(text, s, e):
                    # the term's own sentence, with no duration at all: nothing overrides it
                    ctx.add("expiration_date", "perpetual", pm.start(), pm.end(), 0.6)
                    expiration_done = True
        if expiration_done and initial_done:
            break
    # "until terminated" is the expiration only when no term sentence gives a duration or a
    # date: a one-year term that then runs "until terminated" by notice is not perpetual
    if not expiration_done and perpetual is not None:  # a weak sentence's "until terminated"
        ctx.add("expiration_date", "perpetual", perpetual.start(), perpetual.end(), 0.6)
        expiration_done = True
    if not (expiration_done or initial_done):
        # no date, anniversary or duration anywhere: a term that runs until an event has no
        # end date, which is not "perpetual" either (CUAD's gold says "perpetual" for both)
        em = event_end(ctx)
        if em is not None:
            ctx.add("expiration_date", INDEFINITE, em.start(), em.end(), 0.55)
            expiration_done = True
    if not (expiration_done or initial_done or strong_term):
        # no term at all, and either party may end the contract by notice at any time: it runs
        # until one does ("may be terminated by either party giving 12 months' notice")
        at_will = _AT_WILL.search(text)
        if at_will:
            ctx.add("expiration_date", "perpetual", at_will.start(), at_will.end(), 0.5)
    _extract_renewal(ctx, term_sents)


_NONRENEW = re.compile(
    r"\b(?:non-?\s?renew\w*|not\s+(?:to\s+)?(?:renew|extend)|intention\s+not|elect\w*\s+not"
    r"|(?:prior\s+to|before)\s+the\s+(?:end|expiration|expiry)\s+of\s+(?:the|any|such|each)\s+"
    r"(?:then[\s-]+)?(?:current|initial|renewal|applicable|Term|existing)|desire\w*\s+(?:that\s+)?"
    r"(?:this\s+Agreement\s+)?(?:to\s+)?terminate"
    # "terminated ... at the expiration of its term or any renewal term upon thirty days notice"
    r"|terminat\w*\b[^.;]{0,40}\b(?:at|upon|as\s+of)\s+the\s+(?:end|expiration|expiry)\s+of\s+"
    r"(?:its|the|any|such|each|this)\s+(?:then[\s-]+current\s+|initial\s+|renewal\s+)?(?:term|period))",
    re.I,
)


def _renewal_duration(ctx: _Ctx, s: int, e: int) -> tuple[int, int, int, float] | None:
    text = ctx.text
    rm = _RENEW_DUR.search(text, s, e)
    while rm:
        after = text[rm.end("dur") : rm.end("dur") + 30]
        if not re.match(
            r"['’]?\s*(?:\([^)]*\)\s*)?(?:prior|advance|written|notice|before|after|following)",
            after,
        ):
            pd = parse_duration(rm.group("dur"))
            if pd and pd[1] in ("year", "month") and pd[0] > 0:
                return _months(*pd), rm.start("dur"), rm.end("dur"), 0.8
        rm = _RENEW_DUR.search(text, rm.end(), e)
    um = _RENEW_UNIT.search(text, s, e)
    if um:
        months = 1 if "month" in um.group("u").lower() else 12
        return months, um.start(), um.end(), 0.7
    sm = _SAME_AS_INITIAL.search(text, s, e)
    initial = [t.value for t in ctx.terms if t.name == "initial_term_months"]
    if sm and initial:
        return initial[0], sm.start(), sm.end(), 0.7
    return None


# "renew for successive terms of the same duration": each renewal as long as the initial term
_SAME_AS_INITIAL = re.compile(
    r"\b(?:(?:of|for)\s+(?:the\s+)?(?:same|like|equal|identical)\s+(?:duration|period|length|term)s?"
    r"|(?:equal|identical)\s+(?:in\s+(?:length|duration)\s+)?to\s+the\s+(?:Initial|Original)\s+"
    r"(?:Term|Period))\b",
    re.I,
)


def _extract_renewal(ctx: _Ctx, term_sents: list[tuple[int, int]]) -> None:
    text = ctx.text
    cands: list[tuple[int, int]] = []
    for s, e, _m in ctx.find_sents(_RENEW_SENT):
        sent = text[s:e]
        if re.search(r"\b(?:term|agreement|period|contract|renew)", sent, re.I) and not re.search(
            r"\b(?:license\s+key|patent\s+term|warranty|statute|insurance|lease\s+term|"
            r"confidential\w*|extend(?:ed)?\s+(?:the\s+)?(?:time|deadline|due\s+date))\b",
            sent,
            re.I,
        ):
            cands.append((s, e))
    if not cands:
        return
    auto: tuple[int, int, bool, float] | None = None
    for s, e in cands:
        m = _AUTO_RENEW.search(text, s, e)
        if m:
            # "shall not automatically renew", "no automatic renewal": the words of an
            # automatic renewal, denied, say the contract does not renew by itself
            denied = _DENIED.search(_clause_before(text, s, m.start()))
            auto = (m.start(), m.end(), not denied, 0.8 if denied else 0.85)
            break
    if auto is None:
        for s, e in cands:
            m = _MANUAL_RENEW.search(text, s, e)
            if m and re.search(r"renew|extend", text[s:e], re.I):
                auto = (m.start(), m.end(), False, 0.6)
                break
    if auto is not None:
        ctx.add("auto_renewal", auto[2], auto[0], auto[1], auto[3])
        idx = ctx.sent_at(auto[0])
        ordered = [ctx.sents[idx]] + [c for c in cands if c != ctx.sents[idx]]
    else:
        ordered = cands
    for s, e in ordered[:6]:
        rd = _renewal_duration(ctx, s, e)
        if rd:
            ctx.add("renewal_term_months", rd[0], rd[1], rd[2], rd[3] if auto else rd[3] - 0.2)
            break
    # notice to prevent renewal: in the renewal sentence, its neighbours, or a non-renewal clause
    windows: list[tuple[int, int, float]] = []
    if auto is not None:
        idx = ctx.sent_at(auto[0])
        ren_s, ren_e = ctx.sents[idx]
        nxt_e = ctx.sents[idx + 1][1] if idx + 1 < len(ctx.sents) else ren_e
        prev_s = ctx.sents[idx - 1][0] if idx > 0 else ren_s
        windows += [(ren_s, ren_e, 0.8), (prev_s, nxt_e, 0.6)]
    windows += [(s, e, 0.7) for s, e in cands if _NONRENEW.search(text, s, e)]
    for lo, hi, conf in windows:
        if auto is None and not _NONRENEW.search(text, lo, hi):
            continue
        nm = _NOTICE_DUR.search(text, lo, hi)
        if nm:
            g = "dur" if nm.group("dur") else "dur2"
            pd = parse_duration(nm.group(g))
            if pd and pd[0] > 0:
                ctx.add("renewal_notice_days", _days(*pd), nm.start(g), nm.end(g), conf)
                break


# ---------------------------------------------------------------------------------------------
# Termination for convenience
# ---------------------------------------------------------------------------------------------

_TFC = re.compile(
    r"(?P<who>[Ee]ither\s+[Pp]arty|[Ee]ach\s+[Pp]arty|[Aa]ny\s+[Pp]arty|(?:the\s+)?[A-Z][\w&\-]*"
    r"(?:[ \t]+[A-Z][\w&\-]*){0,3}|[Ii]t)\s+(?:shall\s+have\s+the\s+right\s+to"
    r"|may(?:,\s+[^,]{0,60},)?|(?:will|shall)\s+(?:be\s+entitled|have\s+the\s+(?:right|option))\s+to|can)\s+"
    r"(?:at\s+any\s+time\s+)?(?:and\s+)?terminate\s+this\s+(?:Agreement|Contract)"
    r"(?P<rest>[^.;]{0,200}?)(?:[.;]|$)",
)
_CONVENIENCE = re.compile(
    r"\b(?:for\s+(?:its\s+|their\s+)?convenience|without\s+(?:any\s+)?(?:cause|reason)|with\s+or"
    r"\s+without\s+cause|for\s+any\s+(?:or\s+no\s+)?reason|at\s+any\s+time\s+(?:and\s+)?for\s+any"
    r"|at\s+(?:its\s+)?(?:sole\s+)?discretion|for\s+no\s+reason)",
    re.I,
)


def _party_role(who: str) -> str:
    w = who.lower()
    if re.match(r"(?:either|each|any)\s+party", w):
        return "either"
    w = re.sub(r"^the\s+", "", w)
    role = ROLE_WORDS.get(w)
    if role in ("customer",):
        return "customer"
    if role in ("vendor", "supplier", "licensor", "consultant", "developer"):
        return "vendor" if role != "licensor" else "licensor"
    return re.sub(r"^the\s+", "", who, flags=re.I)


def _extract_tfc(ctx: _Ctx) -> None:
    text = ctx.text
    for anchor in re.finditer(r"terminate\s+this\s+(?:Agreement|Contract)", text):
        m = _TFC.search(text, max(0, anchor.start() - 150), anchor.end() + 200)
        if not m or m.start() > anchor.start():
            continue
        window = text[m.start() : min(len(text), m.end() + 120)]
        sent_start = text.rfind(".", max(0, m.start() - 200), m.start())
        pre = text[sent_start + 1 : m.start()] if sent_start >= 0 else ""
        if not (_CONVENIENCE.search(window) or _CONVENIENCE.search(pre)):
            continue
        who = m.group("who")
        generic = who.lower() == "it" or who.split()[0] in (
            "This",
            "The",
            "Agreement",
            "Notwithstanding",
        )
        if generic and who.lower() not in (
            "the customer",
            "the client",
            "the company",
            "the licensee",
        ):
            continue
        notice = None
        nm = re.search(rf"(?P<dur>{DUR})", window, re.I)
        if nm:
            pd = parse_duration(nm.group("dur"))
            if pd:
                notice = _days(*pd)
        ctx.add(
            "termination_for_convenience",
            {"party": _party_role(who), "notice_days": notice},
            m.start(),
            m.end(),
            0.8 if notice is not None else 0.65,
        )
        return
