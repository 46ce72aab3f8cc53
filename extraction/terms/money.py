"""Payment terms, fees, price escalation and the liability cap."""

from __future__ import annotations

import re
from typing import Any

from extraction.terms.context import _Ctx
from extraction.terms.numbers import DUR, NUM_WORDS, _days, _months, parse_duration, parse_number

# ---------------------------------------------------------------------------------------------
# Payment, fees, escalation, liability
# ---------------------------------------------------------------------------------------------

_NET = re.compile(
    rf"\b[Nn]et[\s-]+(?P<n>\d+)\b|\bwithin\s+(?P<dur>{DUR})\s+(?:(?:of|after|from|following)\s+"
    rf"(?:the\s+)?(?:(?:date\s+of\s+)?(?:receipt|the\s+date|date|issuance|submission)\s+"
    rf"(?:of\s+|by\s+\w+\s+of\s+)?)?(?:(?:the|an|each|such|any|a|its|such\s+)\s*)?(?:properly\s+"
    rf"submitted\s+|undisputed\s+|correct\s+)?invoice)"
    rf"|\bpa(?:y|id)\s+(?:each|all|any|the|such|every)\s+(?:\w+\s+)?invoices?\s+within\s+"
    rf"(?P<dur2>{DUR})",
    re.I,
)
_CURRENCY = {
    "$": "USD", "us$": "USD", "usd": "USD", "u.s.$": "USD", "€": "EUR", "eur": "EUR",
    "£": "GBP", "gbp": "GBP", "¥": "JPY", "jpy": "JPY", "cad": "CAD", "c$": "CAD",
    "rmb": "CNY", "cny": "CNY", "chf": "CHF", "aud": "AUD", "a$": "AUD", "inr": "INR",
    "euro": "EUR", "euros": "EUR", "dollars": "USD", "hk$": "HKD", "hkd": "HKD",
}  # fmt: skip
_MONEY = re.compile(
    r"(?P<cur>US\$|U\.S\.\$|HK\$|C\$|A\$|\$|€|£|¥|\b(?:USD|EUR|GBP|JPY|CAD|RMB|CNY|CHF|AUD|INR|HKD)"
    r"\b)\s?(?P<amt>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:['’]\d{3})+|\d+(?:\.\d+)?)"
    r"(?:\s*(?P<mult>million|billion|thousand|[MK]\b))?",
    re.I,
)
_FEE_SENT = re.compile(
    r"\b(?:fees?|subscription|price|royalt(?:y|ies)|compensation|charges?|retainer|pay\s+to"
    r"|(?:shall|will|must|agrees?\s+to|undertakes?\s+to)\s+pay)\b",
    re.I,
)
_PERIOD = re.compile(
    r"\b(?P<m>per\s+(?:calendar\s+)?month|monthly|each\s+month|a\s+month|/\s*month|/\s*mo\b)"
    r"|\b(?P<y>per\s+(?:calendar\s+|contract\s+)?year|per\s+annum|annual(?:ly)?|yearly|each\s+year"
    r"|/\s*(?:year|yr)\b)"
    r"|\b(?P<o>one[\s-]time|non-?recurring|lump[\s-]sum|upfront|up-front|signing\s+fee"
    r"|initial\s+fee)",
    re.I,
)


def _money(m: re.Match[str]) -> tuple[float, str]:
    amt = float(re.sub(r"[,'’]", "", m.group("amt")))
    mult = (m.group("mult") or "").lower()
    amt *= {"million": 1e6, "m": 1e6, "billion": 1e9, "thousand": 1e3, "k": 1e3}.get(mult, 1)
    return amt, _CURRENCY.get(m.group("cur").lower(), m.group("cur").upper())


# "pay ... within sixty (60) days of receipt", "due thirty (30) days after the date of invoice",
# "payable 45 days from receipt": a due date counted from receipt, in a sentence about paying
# (receipt alone is also how notices and deliveries are timed)
_DUE_AFTER_RECEIPT = re.compile(
    rf"\b(?:within|(?:no|not)\s+later\s+than|payment|(?:due|payable)(?:\s+and\s+(?:due|payable))?"
    rf"(?:\s+in\s+full)?(?:\s+(?:within|no\s+later\s+than))?)\s+(?P<dur>{DUR})\s+"
    rf"(?:of|after|from|following)\s+(?:the\s+)?(?:[A-Z]\w+['’]s\s+)?(?:receipt|date\s+of\s+"
    rf"(?:the\s+|its\s+)?invoice|invoice\s+date|billing\s+date)\b",
    re.I,
)
_PAY_SENT = re.compile(
    r"\b(?:pay|pays|paid|payment|payments|payable|invoices?|fees?|charges?)\b", re.I
)
# Amounts that measure something else than what the customer pays for the contract's subject:
# thresholds, assets, insurance cover, liability caps, damages, expenses repaid. Read in the
# amount's own clause, so that "a monthly fee of $2,000, but Vendor shall carry insurance of
# $1,000,000" keeps the fee.
_NOT_FEE = re.compile(
    r"\b(?:assets?|net\s+worth|threshold|market\s+capitali[sz]ation|capitali[sz]ation|turnover"
    r"|revenues?\s+(?:of|exceed\w*|in\s+excess)|coverage|insur\w+|policy\s+limits?|in\s+excess"
    r"\s+of|exceeds?|exceeding|aggregate\s+value|valuation|liabilit\w+|damages|penalt\w+"
    r"|indemn\w+|reimburs\w+|expenses|refunds?|refunded|credits?|deposits?"
    r"|minimum\s+(?:purchases?|orders?|sales|purchase\s+commitment))\b",
    re.I,
)
# the amount's own clause ends at a semicolon or a comma that starts another clause
_CLAUSE_START = re.compile(r"[;:]|,\s+(?:and|but|or|provided|except|unless|whereas|if)\b", re.I)
_NET_WORDS = re.compile(rf"\bnet\s+(?P<dur>{DUR})", re.I)

_FEE_WORD = re.compile(
    r"\b(?:fees?|subscription|price|royalt(?:y|ies)|compensation|charges?|retainer)\b", re.I
)
_FEE_NAMED = re.compile(
    r"\b(?:fees?|price|royalt(?:y|ies)|retainer|subscription|(?<!not\s)pay(?:able)?)\b", re.I
)
_OTHER_MONEY_SENT = re.compile(r"\b(?:insur\w+|liabilit\w+|damages|indemn\w+|penalt\w+)", re.I)


_NOT_FEE_AFTER = re.compile(
    r"\s*(?:(?:in|of)\s+(?:total\s+|net\s+|gross\s+)?(?:assets|revenues?|sales|coverage)"
    r"|or\s+more|and\s+above|per\s+(?:occurrence|claim)|of\s+(?:\w+\s+)?(?:costs|expenses))\b",
    re.I,
)


def _clause_before(text: str, s: int, mm: re.Match[str]) -> int:
    """Where the amount's own clause starts: after a clause break or an earlier amount
    ("revenues in excess of $10,000,000 pay a fee of $20,000"), not a range's first bound ("net
    assets from $25 million to $100 million")."""
    lo = max(s, mm.start() - 160)
    for cm in _CLAUSE_START.finditer(text, lo, mm.start()):
        lo = cm.end()
    for prev in _MONEY.finditer(text, lo, mm.start()):
        if not re.fullmatch(r"\s*(?:to|and|-|–|through)\s*", text[prev.end() : mm.start()]):
            lo = prev.end()
    return lo


def _is_fee(text: str, s: int, e: int, mm: re.Match[str]) -> bool:
    """Whether an amount in a fee sentence is what the customer pays: named a fee or paid
    ("shall pay Supplier USD 10,000") in its own clause, or in a sentence about fees; and not
    a threshold, cover, cap or expense in its own clause."""
    lo = _clause_before(text, s, mm)
    named = _FEE_NAMED.search(text, lo, mm.start())
    if not named and not _FEE_WORD.search(text, s, e):
        return False  # a sentence about paying, where this amount is not what is paid
    if not named and _OTHER_MONEY_SENT.search(text, s, e):
        return False  # a sentence about insurance or liability: only an amount named a fee
    after = text[mm.end() : min(e, mm.end() + 30)]
    after = after[: m.start()] if (m := _CLAUSE_START.search(after)) else after
    return not (_NOT_FEE.search(text, lo, mm.start()) or _NOT_FEE_AFTER.match(after))


# "Any dispute must be notified within 20 days of the invoice date": the time to raise a
# dispute, said in the words of a payment term, is not when payment is due.
_DISPUTE_WINDOW = re.compile(
    r"\b(?:disputes?|quer(?:y|ies)|contest|objections?|object|notify|notified|notification)\b",
    re.I,
)


def _raises_dispute(text: str, at: int) -> bool:
    lo = max(text.rfind(". ", 0, at), text.rfind(";", 0, at), at - 200, 0)
    return _DISPUTE_WINDOW.search(text, lo, at) is not None


def _extract_payment(ctx: _Ctx) -> None:
    text = ctx.text
    found = False
    for m in _NET.finditer(text):
        if _raises_dispute(text, m.start()):
            continue
        if m.group("n"):
            days = int(m.group("n"))
            if days > 180:
                continue
            ctx.add("payment_net_days", days, m.start(), m.end(), 0.9)
            found = True
            break
        pd = parse_duration(m.group("dur") or m.group("dur2"))
        if pd:
            ctx.add("payment_net_days", _days(*pd), m.start(), m.end(), 0.8)
            found = True
            break
    if not found:
        for s, _e, m in ctx.find_sents(_DUE_AFTER_RECEIPT):
            pd = parse_duration(m.group("dur"))
            if (
                pd
                and _PAY_SENT.search(text, s, m.start("dur"))
                and _days(*pd) <= 180
                and not _raises_dispute(text, m.start())
            ):
                ctx.add("payment_net_days", _days(*pd), m.start(), m.end(), 0.7)
                found = True
                break
    if not found:
        # "due net thirty (30) days": the net term written in words
        for m in _NET_WORDS.finditer(text):
            pd = parse_duration(m.group("dur"))
            if pd and pd[1] == "day" and 0 < pd[0] <= 180 and not _raises_dispute(text, m.start()):
                ctx.add("payment_net_days", _days(*pd), m.start(), m.end(), 0.8)
                found = True
                break
    # fees: first money amount in a fee sentence, preferring one with a period
    first: tuple[int, int, dict[str, Any], float] | None = None
    for s, e, _m in ctx.find_sents(_FEE_SENT):
        for mm in _MONEY.finditer(text, s, e):
            amt, cur = _money(mm)
            if amt <= 0 or not _is_fee(text, s, e, mm):
                continue  # "assets of at least $25,000,000" is a threshold, not a fee
            pm = _PERIOD.search(text, mm.end(), min(e, mm.end() + 60)) or _PERIOD.search(
                text, max(s, mm.start() - 60), mm.start()
            )
            period = None
            if pm:
                period = "month" if pm.group("m") else "year" if pm.group("y") else "one-time"
            value = {"amount": amt, "currency": cur, "period": period}
            if period:
                ctx.add("fees", value, mm.start(), mm.end(), 0.6)
                return
            if first is None:
                first = (mm.start(), mm.end(), value, 0.4)
            break
    if first:
        ctx.add("fees", first[2], first[0], first[1], first[3])


_ESCALATION = re.compile(
    r"\b(?:increase[sd]?|escalat\w+|adjust\w*)\b[^.;]{0,160}?"
    r"(?:(?P<pct>\d+(?:\.\d+)?)\s*(?:%|percent|per\s+cent)|(?P<cpi>Consumer\s+Price\s+Index|CPI"
    r"|RPI|Retail\s+Price\s+Index))",
    re.I,
)


def _extract_escalation(ctx: _Ctx) -> None:
    text = ctx.text
    for m in _ESCALATION.finditer(text):
        s = max(0, text.rfind(".", 0, m.start()) + 1)
        e = text.find(".", m.end())
        e = len(text) if e < 0 else e
        sent = text[s:e]
        if not re.search(r"\b(?:price|fee|rate|charge|royalt)", sent, re.I):
            continue
        index = None
        if re.search(r"Consumer\s+Price\s+Index|\bCPI\b", sent, re.I):
            index = "CPI"
        elif re.search(r"Retail\s+Price\s+Index|\bRPI\b", sent, re.I):
            index = "RPI"
        percent: float | None = None
        cap: float | None = None
        for pm in re.finditer(r"(\d+(?:\.\d+)?)\s*(?:%|percent|per\s+cent)", sent, re.I):
            val = float(pm.group(1))
            before = sent[max(0, pm.start() - 40) : pm.start()]
            if re.search(
                r"(?:not\s+(?:to\s+)?exceed|no\s+more\s+than|up\s+to|maximum|cap)", before, re.I
            ):
                cap = val
            elif percent is None:
                percent = val
        if percent is None and cap is None and index is None:
            continue
        freq = None
        if re.search(r"\b(?:annual(?:ly)?|each\s+year|per\s+year|yearly|every\s+year|anniversary)",
                     sent, re.I):  # fmt: skip
            freq = "annual"
        elif re.search(r"\b(?:quarter(?:ly)?)", sent, re.I):
            freq = "quarterly"
        elif re.search(r"\b(?:month(?:ly)?)\b", sent, re.I):
            freq = "monthly"
        ctx.add(
            "price_escalation",
            {"percent": percent, "index": index, "frequency": freq, "cap_percent": cap},
            m.start(),
            m.end(),
            0.7 if (percent or index) else 0.5,
        )
        return


_LIAB_SENT = re.compile(r"\bliab(?:ility|le)\b", re.I)
_CAP_CUE = re.compile(
    r"\b(?:shall|will|may)\s+not\s+exceed|\bin\s+no\s+event\s+exceed|\blimited\s+to\b|\bnot\s+to"
    r"\s+exceed\b|\bmaximum\b|\bcap(?:ped)?\b|\bin\s+excess\s+of\b|\bexceed\b",
    re.I,
)
_UNCAPPED = re.compile(
    r"\b(?:unlimited\s+liability|liability\s+(?:shall|will)\s+be\s+unlimited|without\s+limit(?:ation)?"
    r"\s+(?:as\s+to|of)\s+amount|no\s+(?:limit|cap)\s+(?:on|to)\s+(?:its|the|either)\s+liability"
    r"|uncapped)\b",
    re.I,
)
_MULTIPLE = re.compile(
    rf"(?:(?P<x>{NUM_WORDS}|\d+(?:\.\d+)?)\s*(?:\(\s*\d+(?:\.\d+)?\s*\)\s*)?(?:times|x)\s+)?"
    r"(?:the\s+)?(?:total\s+|aggregate\s+|amount\s+of\s+(?:the\s+)?|sum\s+of\s+(?:the\s+)?)*"
    r"(?:fees|amounts?|charges|compensation|consideration|sums?|payments?)"
    r"\s+(?:actually\s+)?(?:paid|payable|received|due)",
    re.I,
)
_PERIOD_MONTHS = re.compile(
    rf"(?:preceding|prior\s+to|before|during|in|within|over)\s+(?:the\s+)?(?:(?:immediately\s+)?"
    rf"(?:preceding|prior)\s+)?(?P<dur>{DUR})",
    re.I,
)


def _extract_liability(ctx: _Ctx) -> None:
    text = ctx.text
    for s, e, _m in ctx.find_sents(_LIAB_SENT):
        sent = text[s:e]
        cm = _CAP_CUE.search(sent)
        if not cm or not re.search(r"\b(?:aggregate|total|cumulative|entire|maximum|liability\s+"
                                   r"(?:of|under|hereunder|for)|exceed)", sent, re.I):  # fmt: skip
            continue
        money = _MONEY.search(text, s + cm.start(), e)
        mult = _MULTIPLE.search(text, s + cm.start(), e)
        if not money and not mult:
            continue
        value: dict[str, Any] = {
            "uncapped": False,
            "amount": None,
            "currency": None,
            "multiple": None,
            "period_months": None,
        }
        ev_s, ev_e = s + cm.start(), s + cm.end()
        if money and (not mult or money.start() < mult.start()):
            value["amount"], value["currency"] = _money(money)
            ev_e = money.end()
        if mult:
            x = mult.group("x")
            value["multiple"] = parse_number(x) if x else 1.0
            ev_e = max(ev_e, mult.end())
            pm = _PERIOD_MONTHS.search(text, mult.end(), min(e, mult.end() + 150))
            if pm:
                pd = parse_duration(pm.group("dur"))
                if pd:
                    value["period_months"] = _months(*pd)
                    ev_e = max(ev_e, pm.end())
        ctx.add("liability_cap", value, ev_s, ev_e, 0.75)
        return
    m = _UNCAPPED.search(text)
    if m:
        value = {
            "uncapped": True,
            "amount": None,
            "currency": None,
            "multiple": None,
            "period_months": None,
        }
        ctx.add("liability_cap", value, m.start(), m.end(), 0.6)
