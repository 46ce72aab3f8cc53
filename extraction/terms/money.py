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
    r"\b)\s?(?P<amt>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s*(?P<mult>million|billion"
    r"|thousand|[MK]\b))?",
    re.I,
)
_FEE_SENT = re.compile(
    r"\b(?:fees?|subscription|price|royalt(?:y|ies)|compensation|charges?|pay\s+to)\b", re.I
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
    amt = float(m.group("amt").replace(",", ""))
    mult = (m.group("mult") or "").lower()
    amt *= {"million": 1e6, "m": 1e6, "billion": 1e9, "thousand": 1e3, "k": 1e3}.get(mult, 1)
    return amt, _CURRENCY.get(m.group("cur").lower(), m.group("cur").upper())


# "pay ... within sixty (60) days of receipt": a due date counted from receipt, in a sentence
# about paying (receipt alone is also how notices and deliveries are timed)
_DUE_AFTER_RECEIPT = re.compile(
    rf"\bwithin\s+(?P<dur>{DUR})\s+(?:of|after|from|following)\s+(?:the\s+)?(?:receipt|date\s+of"
    rf"\s+(?:the\s+)?invoice|invoice\s+date|billing\s+date)\b",
    re.I,
)
_PAY_SENT = re.compile(
    r"\b(?:pay|pays|paid|payment|payments|payable|invoices?|fees?|charges?)\b", re.I
)
# Amounts that measure something else than what the customer pays: thresholds, assets, cover
_NOT_FEE = re.compile(
    r"\b(?:assets?|net\s+worth|threshold|market\s+capitali[sz]ation|capitali[sz]ation|turnover"
    r"|revenues?\s+(?:of|exceed\w*|in\s+excess)|coverage|insured|policy\s+limits?|in\s+excess\s+of"
    r"|exceeds?|exceeding|aggregate\s+value|valuation)\b",
    re.I,
)


def _extract_payment(ctx: _Ctx) -> None:
    text = ctx.text
    found = False
    for m in _NET.finditer(text):
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
            if pd and _PAY_SENT.search(text, s, m.start()) and _days(*pd) <= 180:
                ctx.add("payment_net_days", _days(*pd), m.start(), m.end(), 0.7)
                break
    # fees: first money amount in a fee sentence, preferring one with a period
    first: tuple[int, int, dict[str, Any], float] | None = None
    for s, e, _m in ctx.find_sents(_FEE_SENT):
        sent = text[s:e]
        if re.search(r"\b(?:liabilit|insurance|damages|penalt|indemn)", sent, re.I):
            continue
        if _NOT_FEE.search(sent):
            continue  # "assets of at least $25,000,000" is a threshold, not a fee
        for mm in _MONEY.finditer(text, s, e):
            amt, cur = _money(mm)
            if amt <= 0:
                continue
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
