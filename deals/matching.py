"""Suggested links: a record's customer name against a contract's parties, and dates."""

from __future__ import annotations

import re
from datetime import date
from difflib import SequenceMatcher

_SUFFIXES = {
    "inc",
    "incorporated",
    "llc",
    "l.l.c",
    "ltd",
    "limited",
    "corp",
    "corporation",
    "co",
    "company",
    "plc",
    "gmbh",
    "ag",
    "sa",
    "s.a",
    "bv",
    "b.v",
    "nv",
    "lp",
    "llp",
    "pty",
    "srl",
    "sarl",
    "oy",
    "ab",
    "as",
    "kk",
    "the",
    "holdings",
    "group",
}

SUGGEST_THRESHOLD = 0.6


def normalize_name(name: str) -> str:
    t = name.lower().replace("&", " and ")
    t = re.sub(r"\([^)]*\)", " ", t)  # ("Customer"), (the "Company")
    words = [w for w in re.split(r"[^a-z0-9]+", t) if w]
    while words and words[-1] in _SUFFIXES:
        words.pop()
    return " ".join(w for w in words if w != "the")


def name_score(a: str, b: str) -> float:
    """1.0 for the same company name written differently ("ACME, Inc." / "Acme Inc"); lower
    as the names drift apart. Token overlap and character similarity, the larger."""
    na, nb = normalize_name(a), normalize_name(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    ta, tb = set(na.split()), set(nb.split())
    jaccard = len(ta & tb) / len(ta | tb)
    contained = 0.9 if (ta <= tb or tb <= ta) and min(len(ta), len(tb)) >= 1 else 0.0
    ratio = SequenceMatcher(None, na, nb).ratio()
    return max(jaccard, ratio * 0.95, contained * min(1.0, min(len(na), len(nb)) / 4))


def date_bonus(record_start: date | None, contract_start: date | None) -> float:
    if record_start is None or contract_start is None:
        return 0.0
    gap = abs((record_start - contract_start).days)
    if gap <= 3:
        return 0.2  # the same start: tells apart two contracts with the same customer
    return 0.15 if gap <= 31 else 0.05 if gap <= 366 else -0.1


def rank_contracts(
    customer: str,
    start: date | None,
    candidates: list[tuple[str, str, list[str], date | None]],
    limit: int = 5,
) -> list[tuple[str, str, float, str | None, list[str]]]:
    """Suggested contracts for a record: (contract id, title, score, matched party, reasons),
    best first, from (id, title, party names, start date) candidates."""
    out: list[tuple[str, str, float, str | None, list[str]]] = []
    for cid, title, parties, c_start in candidates:
        best, party = 0.0, None
        for name in parties:
            sc = name_score(customer, name)
            if sc > best:
                best, party = sc, name
        if best < 0.5:
            continue
        bonus = date_bonus(start, c_start)
        score = min(1.0, best + bonus)
        if score < SUGGEST_THRESHOLD:
            continue
        reasons = [f"customer {customer!r} ~ party {party!r} ({best:.2f})"]
        if bonus > 0:
            reasons.append(f"start date {start} near the contract's {c_start}")
        elif bonus < 0:
            reasons.append(f"start date {start} far from the contract's {c_start}")
        out.append((cid, title, round(score, 3), party, reasons))
    out.sort(key=lambda x: (-x[2], x[0]))
    return out[:limit]
