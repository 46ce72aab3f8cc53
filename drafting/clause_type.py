"""Which clause type a rep's question is about.

Two readings, each a vote: the library's hybrid search (meaning), and the words that name a
type (its name, its aliases in the library, and the short forms reps type: "FM", "T4C"),
matched with typos and word forms tolerated ("confidentail", "exclusive" for exclusivity).
A name is weighed by how specific its words are: "uptime" names one type, "notice" several.
When several types are named, the one whose parameter the question's value sets is the ask
("a 5-year initial term to lock in pricing" is about the term). A question that names no
type and that the search matches only weakly maps to none: the caller says so instead of
guessing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from drafting.understand import TERM_PHRASE
from playbook import TypeInfo, merged_parameters
from playbook.quantities import Mention, Quantity
from playbook.values import assign

# Reps' short forms and words for a type that its library aliases do not spell out. The
# library's aliases are the main vocabulary; this only adds what reps type in a hurry.
REP_WORDS: dict[str, tuple[str, ...]] = {
    "force_majeure": ("FM", "force majeur", "act of god"),
    "termination_for_convenience": (
        "TfC", "T4C", "convenience", "cancel any time", "cancel anytime", "walk away whenever",
        "whenever they like", "for any reason", "for no reason", "terminate at any time",
    ),
    "termination_for_cause": ("TfCause", "for cause", "cure period", "material breach"),
    "change_of_control": (
        "acquired", "acquisition", "acquires us", "buys us", "bought", "takeover", "taken over",
        "owned by",
    ),
    "limitation_of_liability": ("LoL", "liability", "uncapped", "unlimited liability"),
    "indemnification": (
        "indemnity", "indemnify", "indemnities", "hold harmless", "bodily injury",
        "property damage",
    ),
    "confidentiality": ("confidential", "NDA", "secret"),
    "data_protection": (
        # "region" alone is a market ("regional grocery chains"), not where data is kept
        "DPA", "GDPR", "personal data", "delete their data", "data deleted",
        "breach notice", "hosted in",
        "data hosted", "data region", "hosting region", "data stays",
    ),
    "service_levels": ("SLA", "uptime", "nines", "availability", "credit cap", "service credit"),
    "minimum_commitment": ("shortfall", "commit deal", "minimum spend", "unused commitment"),
    "most_favored_nation": ("MFN", "most favoured", "most favored"),
    "audit_rights": ("audit", "usage check", "check their usage", "check usage"),
    "license_grant": (
        "licence", "license", "own clients", "their clients", "white label", "white-labelled",
        "named user",
    ),
    "ip_ownership": ("IP", "owns", "belong to", "ownership", "improvements"),
    "non_compete": ("non compete", "noncompete", "compete", "competing product"),
    "non_solicitation": ("non solicit", "poach", "hire their", "hire our"),
    "exclusivity": (
        "exclusive", "exclusively", "only supplier", "only vendor", "sell to any other",
        "not sell to", "stop selling",
    ),
    "dispute_resolution": (
        "courts", "court", "arbitration", "venue", "disputes", "mediation", "mediate",
        "litigation",
    ),
    "governing_law": ("law", "governing law"),
    "payment_terms": ("net", "invoice", "invoices", "billing", "pay", "arrears", "upfront"),
    "price_escalation": (
        "uplift", "price increase", "increases", "CPI", "escalator", "raise fees",
        "raise prices", "freeze pricing", "price freeze", "price flat", "flat pricing",
    ),
    "fees_and_pricing": (
        "discount", "off list", "list price", "fees", "pricing", "drop seats", "reduce seats",
        "seat count",
    ),
    # What the customer does when it leaves ("migrate", "offboarding"). Not "after
    # termination": that says when other clauses run ("confidentiality for 6 years after
    # termination").
    "post_termination_services": (
        "post termination", "transition", "export window", "exit assistance",
        "export their data", "pull their data", "data out", "migrate", "migrate off",
        "offboarding",
    ),
    "source_code_escrow": ("escrow", "source code"),
    "liquidated_damages": ("LDs", "liquidated damages", "penalty", "penalties"),
    "warranties": ("warranty", "warrant", "as is", "bug free"),
    "publicity": ("logo", "press release", "case study"),
    "insurance": ("insurance", "insured", "COI", "cyber cover"),
    "third_party_beneficiaries": ("third party rights", "beneficiary", "beneficiaries", "3PB"),
    "notices": ("notices", "notice address"),
    "term_and_renewal": (
        "auto renew", "initial term", "evergreen", "renewal term", "renewal", "renewals",
        "month to month", "fixed term",
    ),
    "assignment": ("assign", "assignment", "novation"),
}  # fmt: skip

# Words that carry no type ("they want 30 days"): never a cue on their own.
_STOP = frozenset(
    re.findall(
        r"\S+",
        """
a an the to of in on for by or and at be is are was it its this that these those we
our us you your they them their he she i me my can could may might will would shall
should do does did want wants need needs ask asks asking customer client prospect
with without as if any all from into out up so not no yes ok okay fine please pls
what how who when where which about than then there here have has had get gets got
deal contract agreement clause language wording section standard over under
days day months month years year percent instead dont doesnt wont cant isnt arent""",
    )
)
# The word after a type's name that makes it a market, not a clause ("insurance industry").
_MARKET = frozenset(
    re.findall(
        r"\S+", "industry sector market vertical space companies customers clients business firms"
    )
)
# How much a name in the words counts against the search's score (cosine-like, 0..1): the
# idf of a one-type word is about log(32) = 3.5, so a specific name weighs about 0.25.
CUE_WEIGHT = 0.07
# A value the question names that sets a parameter of the type with a word naming it.
PARAM_WEIGHT = 0.08
PARAM_MIN = 1.0
FIRST_NAMED = 0.03  # assign()'s score: at least one of the parameter's own words next to it
# A word in the names of this many types is no type's name, whatever its forms name.
GENERIC_TYPES = 4
# Below this search score, a question that names no type is not mapped to one (off-topic
# questions on the dev sets reach 0.56, real ones without a type's name start at 0.65).
UNNAMED_BELOW = 0.6
# Below this, even a named type is not trusted unless its name is specific.
MIN_CUE = 2.0
# A type named only in the sentences before the one that asks ("Acme fears a rival buys us.
# can they terminate if we assign the contract to their competitor?") is the situation, not
# what is asked: its name counts this much, when the asking sentence names a type itself.
CONTEXT_WEIGHT = 0.5
# Question words whose word forms are remembered (a few hundred kB at most).
_FORMS_CACHE = 20_000


def _tokens(text: str) -> list[str]:
    low = re.sub(r"['’]s\b", "", text.lower()).replace("'", "").replace("’", "")
    return re.findall(r"[a-z0-9&]+", low)


_SUFFIXES = {
    "", "e", "s", "es", "ed", "d", "ing", "y", "ies", "ied", "al", "ally", "ly", "er", "ers",
    "or", "ors", "ive", "ives", "ion", "ions", "ation", "ations", "ication", "ications",
    "ition", "itions", "ity", "ities", "ility", "ment", "ments", "ness", "ance", "ances",
    "ence", "ences", "ant", "ants", "ent", "ents", "ship", "ships", "ize", "ized", "ise",
    "ised", "able", "ible", "ure", "ures",
}  # fmt: skip


def _same_word(a: str, b: str) -> bool:
    """Equal, one word form of the other ("exclusive", "exclusivity"), or one typo away."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 5:
        common = 0
        for x, y in zip(short, long_, strict=False):
            if x != y:
                break
            common += 1
        # A word form adds a suffix ("exclusive", "exclusivity"); a compound adds a word
        # ("short", "shortfall"), which names something else.
        if common >= len(short) - 1 and common >= 5 and long_[common:] in _SUFFIXES:
            return True
        if len(long_) - len(short) <= 1 and _one_edit(short, long_):
            return True
    return False


def _one_edit(a: str, b: str) -> bool:
    """One insertion, deletion, substitution or swap of neighbours."""
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    if len(a) > len(b):
        a, b = b, a
    return any(a == b[:i] + b[i + 1 :] for i in range(len(b)))


@dataclass(frozen=True)
class _Phrase:
    type: str
    words: tuple[str, ...]
    exact: bool  # a short form ("FM", "IP"): matched only as written, no typo tolerance


class Vocabulary:
    """The words that name each type, with how specific each word is."""

    def __init__(self, types: Mapping[str, TypeInfo]) -> None:
        phrases: list[_Phrase] = []
        for t, info in types.items():
            names = [info.name, *info.positions[0].aliases, *REP_WORDS.get(t, ())]
            for name in names:
                words = tuple(w for w in _tokens(name) if w not in _STOP)
                if words and len(words) <= 4:  # longer aliases are sentences, for the search
                    phrases.append(_Phrase(t, words, exact=len(name) <= 4))
        self.phrases = phrases
        df: dict[str, set[str]] = {}
        for p in phrases:
            for w in p.words:
                df.setdefault(w, set()).add(p.type)
        n = max(1, len(types))
        self.idf = {w: math.log((n + 1) / len(ts)) for w, ts in df.items()}
        # Words that, as written, are in the names of many types (four or more): "notice"
        # (notices, renewal notice, breach notice, price increase notice...) names no type,
        # whatever its form "notices" names.
        self._generic = {w: self.idf[w] for w, ts in df.items() if len(ts) >= GENERIC_TYPES}
        # The words matched with typos and word forms tolerated (see `_match`).
        self._long = frozenset(w for w in df if len(w) >= 5)
        # Question word -> the long vocabulary words it is the same word as. Computed once per
        # word, not once per phrase and question: comparing every word of a question with
        # every phrase was most of an ask's CPU time.
        self._forms: dict[str, frozenset[str]] = {}

    def _same_as(self, t: str) -> frozenset[str]:
        forms = self._forms.get(t)
        if forms is None:
            forms = frozenset(w for w in self._long if _same_word(w, t))
            if len(self._forms) >= _FORMS_CACHE:
                self._forms.clear()  # new words keep coming (typos): start afresh
            self._forms[t] = forms
        return forms

    def named(self, text: str) -> dict[str, tuple[float, int]]:
        """{type: (how specifically the words name it, where the first name starts)}."""
        # Names are matched on the words that carry meaning: "not to sell to any of their
        # competitors" names "sell ... competitors".
        toks = [w for w in _tokens(text) if w not in _STOP]
        forms = [self._same_as(t) for t in toks]
        # A phrase can match only if each of its words is a question word or one of their
        # forms; the others are skipped without a scan.
        present = set(toks).union(*forms)
        out: dict[str, tuple[float, int]] = {}
        for p in self.phrases:
            if not all(w in present for w in p.words):
                continue
            hit = _find(p, toks, forms)
            if hit is None:
                continue
            start, end, at = hit
            if end < len(toks) and toks[end] in _MARKET:
                continue
            # A word is as specific as the question wrote it: "notice" names many types
            # (breach notice, renewal notice), though its form "notices" names one.
            weight = sum(
                min(self.idf.get(w, 0.0), self._generic.get(toks[i], math.inf))
                for w, i in zip(p.words, at, strict=True)
            )
            old = out.get(p.type)
            if old is None or weight > old[0]:
                out[p.type] = (weight, start if old is None else min(start, old[1]))
        return out


def _find(
    p: _Phrase, toks: Sequence[str], forms: Sequence[frozenset[str]]
) -> tuple[int, int, list[int]] | None:
    """Where the phrase's words stand in the question, in order, at most one word apart:
    (start, end, the index of the question word matching each phrase word).
    `forms[i]`: the long vocabulary words that `toks[i]` is the same word as."""
    for i, t in enumerate(toks):
        if not _match(p, p.words[0], t, forms[i]):
            continue
        j, k, at = i + 1, 1, [i]
        while k < len(p.words) and j < len(toks) and j <= i + k + 1:
            if _match(p, p.words[k], toks[j], forms[j]):
                k += 1
                at.append(j)
            j += 1
        if k == len(p.words):
            return i, j, at
    return None


def _match(p: _Phrase, w: str, t: str, forms: frozenset[str]) -> bool:
    # A long word of a phrase is the same word as `t` exactly when `_same_word(w, t)`.
    return w == t if p.exact or len(w) < 5 else w in forms


@dataclass
class Mapping_:
    clause_type: str | None
    scores: dict[str, float]
    named: dict[str, tuple[float, int]]


# A clause named only to say when something happens ("deleted within 45 days after the
# export window closes", "once the initial term ends") dates the request; it is not what
# the request is about.
_WHEN = re.compile(
    r"\b(?:after|following|once|when|before|until|by the time)\s+(?:the\s+|their\s+|our\s+)?"
    r"(?:[\w-]+\s+){0,3}?(?:closes|closed|ends|ended|expires|expired|lapses|is over)\b",
    re.I,
)


def _without_when(text: str) -> str:
    return _WHEN.sub(" ", text)


# The end of a sentence: a full stop, "!" or "?" before a space and more words.
_SENTENCE_END = re.compile(r"[.!?]+\s+(?=\S)")


def context_named(vocab: Vocabulary, text: str) -> set[str]:
    """Types named only in statements before the sentence that asks (the first sentence
    with a question mark, or the last), when that sentence names a type itself."""
    parts = _SENTENCE_END.split(text.strip())
    if len(parts) < 2:
        return set()
    ask = next((i for i, p in enumerate(parts) if "?" in p), len(parts) - 1)
    if ask == 0:
        return set()
    asking = set(vocab.named(_without_when(" ".join(parts[ask:]))))
    if not asking:
        return set()
    before = set(vocab.named(_without_when(" ".join(parts[:ask]))))
    return before - asking


def choose(
    search: Sequence[tuple[str, float]],
    vocab: Vocabulary,
    text: str,
    types: Mapping[str, TypeInfo],
    quantities: Sequence[Quantity] = (),
    mentions: Sequence[Mention] = (),
) -> Mapping_:
    """The type asked about: the search's score per type (best hit), plus how specifically
    the question names it, plus whether the question's values set its parameters."""
    scores: dict[str, float] = {}
    for t, s in search:
        scores.setdefault(t, s)
    floor = min(scores.values(), default=0.0)
    named = {t: v for t, v in vocab.named(_without_when(text)).items() if t in types}
    for t in named:
        scores.setdefault(t, floor)
    if not scores:
        return Mapping_(None, {}, named)
    total = dict(scores)
    situation = context_named(vocab, text) if len(named) > 1 else set()
    for t, (w, _) in named.items():
        total[t] += CUE_WEIGHT * w * (CONTEXT_WEIGHT if t in situation else 1.0)
    if len(named) > 1:
        # Several types named: the first is usually what is asked about, the others its
        # details ("MFN ... and the right to audit our pricing").
        first = min(named, key=lambda t: named[t][1])
        total[first] += FIRST_NAMED
    # The deal's length stated as context ("3-year deal, they want ...") says which deal,
    # not which clause.
    context = [(m.start(), m.end()) for m in TERM_PHRASE.finditer(text)]
    quantities = [q for q in quantities if not any(a <= q.start < b for a, b in context)]
    if quantities:
        for t in list(total):
            params = merged_parameters(types[t].positions) if t in types else {}
            found = assign(quantities, (), params, text, min_score=PARAM_MIN)
            total[t] += PARAM_WEIGHT * len(found)
    best = max(total, key=lambda t: total[t])
    strong = max((w for w, _ in named.values()), default=0.0)
    if scores[max(scores, key=lambda t: scores[t])] < UNNAMED_BELOW and strong < MIN_CUE:
        return Mapping_(None, total, named)
    return Mapping_(best, total, named)
