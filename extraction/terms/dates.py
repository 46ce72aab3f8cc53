"""Agreement and effective dates."""

from __future__ import annotations

import datetime as dt
import re

from extraction.terms.context import _Ctx
from extraction.terms.dateparse import _Date, _partial_dates

# ---------------------------------------------------------------------------------------------
# Agreement and effective dates
# ---------------------------------------------------------------------------------------------

_AGREEMENT_DATE_STRONG = re.compile(
    r"(?:dated|made|entered(?:\s+into)?|executed|concluded|signed|effective|as\s+of|\bdate\s*:)"
    r"(?:\s+(?:and\s+)?(?:effective|entered\s+into|executed))?\s*"
    r"(?:(?:on|as\s+of|of|this|the|day|and|with\s+effect\s+from|from)\W+){0,4}$",
    re.I,
)
_SKIP_DATE = re.compile(
    r"(?:Source\s*:[^\n]{0,80}|\b\d{1,2}-[A-Z](?:/A)?,?|amended|restated|revised|supersed\w*|filed|printed|Trade\s+Date\s*:)"
    r"(?:\W+(?:on|as\s+of|the|this|day|of)){0,3}\W*$",
    re.I,
)
_SIGN_DATE = re.compile(r"\b(?:Date\s*:|Dated\s*:?|Signed\s*:|Date\s+of\s+signing\s*:?)\s*", re.I)
_REF_OTHER = re.compile(
    r"(?:that\s+certain|pursuant\s+to|under\s+(?:the|that|a|an)|entered\s+into\s+(?:a|an)\s"
    r"|party\s+to|defined\s+in|in\s+connection\s+with)[^.;]{0,100}$",
    re.I,
)
_AGREEMENT_DATE_CUE = re.compile(
    r"(?:dated|dated\s+as\s+of|made|entered\s+into|executed|concluded|signed|as\s+of|effective"
    r"|this|date[d]?\s*:)\W*(?:(?:on|as\s+of|this|the|day|of|and)\W+){0,4}$",
    re.I,
)
_EFFECTIVE_LABEL = re.compile(
    r"^\W{0,4}(?:(?:the|this|hereinafter|referred\s+to\s+as|herein|such\s+date|being)\W+){0,4}"
    r"[\"“”']*\s*Effective\s+Date",
    re.I,
)
_EFFECTIVE_BEFORE = re.compile(
    r"(?:(?:Effective|Commencement|Start)\s+Dates?[\"”]?\s*\)?\s*(?:shall\s+)?(?:means?|is|be|:|-)?"
    r"|Contract\s+start\s*:"
    # "COMMENCEMENT DATE FOR MAINTENANCE UNDER THIS ADDENDUM:  MARCH 1, 2001"
    r"|(?:Effective|Commencement|Start)\s+Date\s+(?:for|of|under)\s+[^\n.:;\"“”]{1,50}:"
    # '"Effective Date" means 12:01 a.m. Eastern Time on March 3, 2003', "EFFECTIVE DATE shall
    # mean the date of installation, i.e. December 10, 1993": the first date of the definition,
    # unless it is counted from ("30 days after March 1")
    r"|Effective\s+Date[\"”]?\s*(?:shall\s+)?means?\s+(?:(?!\b(?:after|following|before|prior"
    r"|later|earlier|within)\b)[^.;\"“”]|\b(?:i\.e|a\.m|p\.m)\.){0,80}?"
    r")\W*(?:(?:on|as\s+of|the|this|day|of)\W+){0,3}$",
    re.I,
)
_EFFECTIVE_SOFT = re.compile(
    r"(?:\beffective\s+(?:as\s+(?:of|from)|on|from|date\s+(?:of|is|shall\s+be|means?))?"
    # "shall come into force as of January 1, 2013", "enters into effect on", "takes effect on"
    r"|\b(?:come|comes|came|enter|enters|entered)\s+into\s+(?:force|effect)\s+(?:as\s+(?:of|from)"
    r"|on|from)|\btakes?\s+effect\s+(?:as\s+(?:of|from)|on|from))"
    r"\W*(?:(?:on|as\s+of|the|this|day|of)\W+){0,3}$",
    re.I,
)
_TERM_START = re.compile(
    r"(?:\b(?:term|Agreement|Appointment|Contract|period|Venture|Services?)\b[^.;]{0,80}?"
    r"\b(?:commenc\w*|begin\w*|start\w*)|\bbeginning|\bcommencing)\s*(?:on|upon|as\s+of|from|with\s+effect\s+from)?"
    r"\W*(?:(?:on|as\s+of|the|this|day|of)\W+){0,3}$",
    re.I,
)
_EFFECTIVE_IS_SIGNING = re.compile(
    r"[\"“”]?Effective\s+Date[\"“”]?\s*(?:\)|\s)?\s*(?:shall\s+)?(?:means?|is|be|:)\s+(?:the\s+)?"
    r"(?:later\s+of\s+the\s+)?(?:date\s+(?:of\s+(?:execution|signing|this\s+Agreement)|hereof"
    r"|(?:first\s+)?(?:set\s+forth|written)\s+above|on\s+which\s+this\s+Agreement\s+is"
    r"\s+(?:signed|executed))|Execution\s+Date|date\s+(?:the|that)\s+(?:last|both|each|this))"
    r"|effective\s+(?:as\s+of|on|from)\s+the\s+date\s+(?:and\s+year\s+)?(?:hereof|(?:first\s+)?"
    r"(?:above\s+)?(?:written|set\s+forth)(?:\s+above)?|of\s+(?:its\s+)?(?:execution|signing))"
    # "has been executed as of the date first set forth above and shall be effective
    # simultaneously", "shall come into force on the Date of the Agreement", "shall become
    # effective upon execution"
    r"|\b(?:be(?:come)?\s+effective|come\s+into\s+(?:force|effect)|enter\s+into\s+force)\s+"
    r"(?:simultaneously|upon\s+(?:its\s+)?(?:execution|signing|signature)\b(?!\s+by\s+both)"
    r"|(?:on|as\s+of)\s+the\s+Date\s+of\s+(?:the|this)\s+(?:Agreement|Contract))",
    re.I,
)
# The effective date is the day the last party signs: "the date the last party hereto has
# executed this Agreement", "the later of the two signature dates below", "the date of last
# signature", "upon the completion of the execution by both Parties"
_EFFECTIVE_IS_LAST_SIGNATURE = re.compile(
    r"\bdate\s+(?:on\s+which\s+)?the\s+last\s+(?:party|of\s+the\s+parties)\s+(?:hereto\s+|to\s+sign\s+)?"
    r"(?:has\s+)?(?:signs?|signed|executes?|executed)\b"
    r"|\blater\s+of\s+the\s+(?:two\s+)?(?:signature|execution)\s+dates\b"
    r"|\bdate\s+of\s+(?:the\s+)?(?:last|final)\s+(?:signature|execution)\b"
    r"|\beffective\s+upon\s+(?:the\s+)?(?:completion\s+of\s+the\s+)?(?:execution|signing|signature)"
    r"\s+(?:hereof\s+|of\s+this\s+Agreement\s+)?by\s+(?:both|all|each\s+of\s+the)\s+Parties\b"
    # "the later of the dates that it is executed by A and B", "the later of the dates shown by
    # the signatures below", "effective as of the latest date set forth below"
    r"|\b(?:later|latest)\s+of\s+the\s+(?:two\s+)?dates\b[^.;]{0,60}?\b(?:execut|sign)\w*"
    r"|\b(?:later|latest)\s+(?:of\s+the\s+)?dates?\s+(?:set\s+forth|shown|written|indicated)"
    r"\s+below\b"
    # "shall enter into effect on the date it is signed by both parties"
    r"|\bdate\s+(?:on\s+which\s+)?(?:it|this\s+(?:Agreement|Contract))\s+(?:is|has\s+been)\s+"
    r"(?:signed|executed)\s+by\s+(?:both|all|each\s+of\s+the)\s+parties\b",
    re.I,
)
# "12:01 a.m. on the day after the date of last signature": the day after it
_DAY_AFTER = re.compile(r"\bday\s+(?:after|following)\s+(?:the\s+)?$", re.I)


# the term or the agreement begins: "the Term shall commence on", "this Agreement will start"
_TERM_BEGINS = re.compile(
    r"\b(?:term|this\s+(?:Agreement|Contract)|(?:Agreement|Contract)\s+(?:shall|will))\b[^.;]{0,60}?"
    r"\b(?:commenc|begin|start)\w*",
    re.I,
)
_RECITAL = re.compile(r"\W*(?:WHEREAS|Whereas|\([A-Z]\)\s+)")

# "to the Supply Agreement dated", "a letter agreement dated", "the Agreement between the parties
# dated": the date of another document, not of this one
_OTHER_DOC_DATED = re.compile(
    r"(?:\b(?:to|under|with|of|and|the|a|an|that|such|said|certain|in|by)\s+(?:(?:the|an?)\s+)?"
    r"(?:[A-Z][\w&.'/-]*\s+|(?:of|and|for|to)\s+){0,8}"
    r"(?:Agreements?|Contracts?|Amendments?|Memorand(?:um|a)|Letters?|Plan|Lease|Notes?|Indenture"
    r"|Schedule\s+\S+)|\b(?:letter|memorandum|agreements|amendment)s?)\b"
    r"(?:[^.;()]|\b(?:ref|Ref|REF|No|no|NO|nr)\.){0,80}?"  # "... Agreement ref. DS-39 dated"
    r"\bdated\W+(?:as\s+of\W+)?$"
)
# the cue names when the agreement takes effect, not when it was made ("made effective as of")
_EFFECTIVE_CUE = re.compile(
    r"\beffective\W+(?:(?:as\s+of|on|from|this|the|day|of)\W+){0,4}$|\bas\s+of\W+$", re.I
)
_EXEC_CUE = re.compile(
    r"\b(?:dated|made|entered\s+into|executed|concluded|signed)\W+(?:(?:on|as\s+of|of|this|the"
    r"|day|and|effective|being)\W+){0,4}$",
    re.I,
)
# signature blocks: "Date: 1/19/07", "Date 13/07/05", "IN WITNESS WHEREOF ... on November 8, 2002",
# "SIGNED at Pretoria on this 31st day of March 2001", "Rome/Houston, 2 April 2020"
_SIGN_CUE = re.compile(
    r"\b(?:Date|Dated|DATE|DATED)\b\s*:?\s*$|\bSigned\s*:\s*$|\bDate\s+of\s+signing\s*:?\s*$"
    r"|\b(?:IN\s+WITNESS\s+WHEREOF|SIGNED|[Ss]igned|EXECUTED|[Ee]xecuted|[Ss]ignature\s+"
    r"(?:authenticated|verified|affixed|applied|completed))\b[^.]{0,200}?\b(?:on|as"
    r"\s+of|at\s+\w+)\W+(?:(?:this|the|day|of|on)\W+){0,3}$"
    r"|(?:^|\n)[ \t]*[A-Z][\w/ .-]{1,40},[ \t]*$|\b(?:SIGNED|[Ss]igned)\b[^.]{0,40}?\bthis\W+$"
    r"|(?i:\bthis\s+(?:agreement|contract)\s+(?:is|was|has\s+been)\s+(?:dated|signed|executed|made)"
    r"(?:\s+(?:on|as\s+of))?\s*$)"
)


# A date followed by the defined term of another document or event ("dated as of February 8,
# 2001 (the "Trust Certificate")", "DATED MAY 8, 2009 ("PPA")") or by "as amended" dates
# something other than this agreement
_DATES_OTHER = re.compile(
    r"\s*,?\s*(?:\(\s*(?:hereinafter\s+(?:referred\s+to\s+as\s+|called\s+)?)?"
    r"(?:the\s+|this\s+|hereinafter\s+|collectively\s+)?[\"“”'](?![^\"“”']{0,40}\b(?:Effective|Execution"
    r"|Signing|Commencement|Agreement|Contract|Amendment|Start)\b)|,?\s*\(?as\s+(?:amended|supplemented))",
    re.I,
)
# An uncued date in the opening that starts or ends the term is not the date of signing
_TERM_EDGE_BEFORE = re.compile(
    r"\b(?:begin|commenc|start|terminat|expir|end|until|through)\w*\W+(?:(?:on|as\s+of|the|this"
    r"|day|of|and|including)\W+){0,3}$",
    re.I,
)


# A date on its own line right under the document's title ("AGENCY AGREEMENT\n\n, 2006",
# "SUPPLY AGREEMENT   March 3, 2021\n"): a letter agreement's or a cover page's date
_TITLE_DATE_BEFORE = re.compile(
    r"(?:^|\n)[ \t]*(?:[A-Z][\w&,'-]*[ \t]+){0,6}(?:AGREEMENT|Agreement|CONTRACT|Contract)"
    r"(?:[ \t]*\n[ \t]*|[ \t]{2,})(?:\n[ \t]*)*$"
)
_LINE_END_AFTER = re.compile(r"[ \t]*(?:\n|[ \t]{2,}|$)")


# Signature blocks laid out in columns: the dates sit on one line and their "Date" labels on a
# line or a rule below ("1/9/02     1/14/02\n-------  -------\nName   Date   Name   Date")
_SIGN_LABEL_AFTER = re.compile(
    r"[^\n]{0,80}?(?:\n|[-_]{5,})(?:[ \t_-]*\n){0,3}[^\n]{0,80}?(?:^|[ \t_-])Date\b"
    r"(?![ \t]*:?[ \t]*\d)",
    re.M,
)
# the next column's date right after a cued one ("Date:   Date:   3-29-2016   3-31-16")
_SIGN_COLUMN_GAP = re.compile(r"(?:[ \t_]|Date\s*:|Dated\s*:?)*")


def _signature_date(ctx: _Ctx) -> _Date | None:
    """The signing date from the signature blocks: the latest date of the last block (the
    contract is made when the last party signs)."""
    text = ctx.text
    sig: list[_Date] = []
    for d in ctx.dates:
        before = text[max(0, d.start - 250) : d.start]
        if _DATES_OTHER.match(text, d.end):
            continue
        column = bool(sig) and _SIGN_COLUMN_GAP.fullmatch(text, sig[-1].end, d.start) is not None
        if column or _SIGN_CUE.search(before) or _SIGN_LABEL_AFTER.match(text, d.end):
            sig.append(d)
    if not sig:
        return None
    last = [d for d in sig if sig[-1].start - d.start <= 1500]
    return max(last, key=lambda d: d.date)


# the opening sentence of a preamble after a cover page and a table of contents: "THIS SECOND
# AMENDED AND RESTATED ... AGREEMENT by and between ..., is entered into on August 31, 2017"
_PREAMBLE_BEFORE = re.compile(
    r"\b(?:THIS|This)\s+(?:[\w&,-]+\s+){0,10}?(?:AGREEMENT|Agreement|CONTRACT|Contract)\b"
    r"[^.]{0,300}?\b(?:between|among)\b[^.]*$"
)


# the effective date of another document: "the original Purchase Contract, made effective on
# 6 April 1998", "having previously entered into a Distributor Agreement with an Effective Date
# of March 1, 1996", "WHEREAS, A and B have entered into a Hosting Agreement dated March 7, 2018
# (the "Effective Date")"
_OTHER_DOC_EFFECTIVE = re.compile(
    r"(?:\bpreviously\s+entered\s+into|\b(?:original|prior|previous|existing|underlying)\s+"
    r"(?:[\w&/-]+\s+){0,6}?(?:agreement|contract)\b)[^.;]{0,120}$"
    r"|\bWHEREAS\b[^.;]{0,80}?\b(?:have|has|had)\s+(?:previously\s+)?entered\s+into\s+"
    r"(?:a|an|that|certain)\b[^.;]*$",
    re.I,
)


def _label_owns_next_date(ctx: _Ctx, at: int) -> bool:
    """A label right after a date that is followed by its own date on its line belongs to that
    date ("Trade Date:  27 April 2006\n\nEffective Date     01 April 2006"), a form's layout."""
    for d in ctx.dates_in(at, at + 60):
        return re.fullmatch(r"[\"”')]*[ \t]*[:\-]?[ \t]*", ctx.text[at : d.start]) is not None
    return False


def _extract_dates(ctx: _Ctx) -> tuple[_Date | None, _Date | None]:
    text = ctx.text
    limit = min(len(text), 8000)
    full = ctx.dates_in(0, limit)
    dates = sorted(full + _partial_dates(text, 0, limit, full), key=lambda d: d.start)
    agreement: _Date | None = None
    conf = 0.0
    uncued: _Date | None = None
    effective_cued: _Date | None = None
    for d in dates:
        # blanks of a template ("entered into on this ____ day of") are spaces to the cues
        before = text[max(0, d.start - 60) : d.start].replace("_", " ")
        if (
            _SKIP_DATE.search(before)
            or _REF_OTHER.search(text, max(0, d.start - 150), d.start)
            or _OTHER_DOC_DATED.search(text, max(0, d.start - 200), d.start)
            or _DATES_OTHER.match(text, d.end)
        ):
            continue
        if _TITLE_DATE_BEFORE.search(before) and _LINE_END_AFTER.match(text, d.end):
            agreement, conf = d, 0.8  # a date line right under the title
            break
        if _AGREEMENT_DATE_STRONG.search(before):
            if re.search(r"\bdate\s*:\s*$", before, re.I) and d.start > 600:
                if effective_cued is not None:
                    break  # the preamble's "effective as of" date is better than a signature's
                # a signature block's "Date:": the latest signature of that block
                sig = _signature_date(ctx)
                ok = sig is not None and abs(sig.start - d.start) < 1500
                agreement, conf = (sig if ok and sig is not None else d), 0.9
                break
            if _EFFECTIVE_CUE.search(before) and not _EXEC_CUE.search(before):
                # "effective as of <date>": keep looking for the date it was made or signed
                effective_cued = effective_cued or d
                continue
            if (
                effective_cued is not None
                and d.start - effective_cued.start > 2000
                and not _PREAMBLE_BEFORE.search(text, max(0, d.start - 400), d.start)
            ):
                break  # too far from the "effective as of" date, and not in a preamble
            agreement, conf = d, 0.9
            break
        if d.precision != "day":
            continue  # a template date counts only with a cue
        if d.start < 3000 and agreement is None and uncued is None:
            if _AGREEMENT_DATE_CUE.search(before):
                agreement, conf = d, 0.7
            elif not _TERM_EDGE_BEFORE.search(before):
                uncued = d
    if agreement is None and effective_cued is not None:
        agreement, conf = effective_cued, 0.8
    # a signature block's date only when the opening pages name no date at all
    if agreement is None and uncued is not None and uncued.start < 1500:
        agreement, conf = uncued, 0.55
    if agreement is None:
        sig = _signature_date(ctx)
        if sig is not None:
            agreement, conf = sig, 0.5
    if agreement is None and uncued is not None:
        agreement, conf = uncued, 0.45
    if agreement is not None:
        ctx.add("agreement_date", agreement.iso, agreement.start, agreement.end, conf)

    effective: _Date | None = None
    eff_conf = 0.0
    best_tier = 9
    candidates = sorted(ctx.dates + _partial_dates(text, 0, limit, full), key=lambda d: d.start)
    for d in candidates:
        after = text[d.end : d.end + 60]
        before = text[max(0, d.start - 100) : d.start]
        if _DATES_OTHER.match(text, d.end):
            continue  # "effective from 16th June 1999 (hereinafter the "MOU")": another document
        label = _EFFECTIVE_LABEL.search(after)
        if label and _label_owns_next_date(ctx, d.end + label.end()):
            label = None
        sent_s = ctx.sents[ctx.sent_at(d.start)][0]
        if label or _EFFECTIVE_BEFORE.search(before):
            tier, conf = 1, 0.9
        elif _EFFECTIVE_SOFT.search(before):
            tier, conf = 2, 0.8
        elif (
            _TERM_START.search(before)
            and d.precision == "day"
            and (d.start < limit or _TERM_BEGINS.search(text, sent_s, d.start))
        ):
            # past the opening, a date something else begins on ("redeemable beginning October
            # 21, 2022") starts the term only in a sentence about the term or the agreement
            tier, conf = 3, 0.7
        else:
            continue
        if tier > 1 and _RECITAL.match(text, sent_s):
            continue  # "WHEREAS, the MOU was effective from October 5, 1999": another document
        if _OTHER_DOC_EFFECTIVE.search(text, max(sent_s, d.start - 250), d.start):
            continue
        if tier < best_tier:
            effective, eff_conf, best_tier = d, conf, tier
            if tier == 1:
                break
    last = _EFFECTIVE_IS_LAST_SIGNATURE.search(text)
    if last is not None and best_tier > 1:
        signed = _signature_date(ctx)
        if signed is not None and _DAY_AFTER.search(text, max(0, last.start() - 30), last.start()):
            day = signed.date + dt.timedelta(days=1)
            signed = _Date(signed.start, signed.end, day, signed.precision)
        if signed is not None:
            ctx.add("effective_date", signed.iso, signed.start, signed.end, 0.7)
            return agreement, signed
    sm = _EFFECTIVE_IS_SIGNING.search(text)
    if effective is not None and (best_tier == 1 or sm is None or agreement is None):
        ctx.add("effective_date", effective.iso, effective.start, effective.end, eff_conf)
        return agreement, effective
    # "This Agreement shall become effective on the date first above written" outweighs a
    # date found only by a soft cue ("commencing on", "effective from")
    if agreement is not None:
        if sm:
            ctx.add("effective_date", agreement.iso, sm.start(), sm.end(), 0.75)
            return agreement, agreement
        # "made and entered into as of <date>" with no separate effective date: the agreement
        # date is the effective date (strong when the preamble says "as of"/"effective")
        before = text[max(0, agreement.start - 60) : agreement.start]
        as_of = re.search(r"(?:as\s+of|effective)\W+(?:(?:the|this|day|of)\W+){0,3}$", before, re.I)
        if as_of or conf >= 0.9:
            ctx.add(
                "effective_date",
                agreement.iso,
                agreement.start,
                agreement.end,
                0.6 if as_of else 0.45,
            )
            return agreement, agreement
    return agreement, None
