"""Which contracts a question names, and how sure that is.

People name a contract by a party ("the CityNet deal"), a defined alias ("VIP"), an
abbreviation, or words of its title, typed in any case. `decide` reads the question's words
(all lower-cased: case never decides what counts as a name) against each contract's name
words: its parties' names and aliases, its title, and the capitalised words of its preamble
(where names live even when the parties were not read).

* A contract is named *strongly* when the question holds every distinctive word of one of its
  party names or aliases, and those words belong to no other contract.
* Any other overlap with distinctive name words (a word shared by few contracts) is *weak*.

The search narrows to a contract only when exactly one contract is named strongly; weak
matches only boost their contracts, so a wrong guess can never hide the right contract.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.models import ContractRow

PREAMBLE_CHARS = 2000
MAX_BOOSTED = 5

# Words that are every contract's (kinds, roles, legal vocabulary), never a name.
_COMMON = frozenset(
    {
        *ENGLISH_STOP_WORDS,
        "agreement", "agreements", "contract", "contracts", "deal", "deals", "inc", "llc", "ltd",
        "corp", "corporation", "company", "co", "limited", "group", "holdings", "international",
        "services", "service", "technologies", "technology", "partners", "plc", "gmbh", "sa",
        "ag", "lp", "llp", "incorporated", "customer", "customers", "vendor", "supplier",
        "provider", "licensor", "licensee", "party", "parties", "client", "distributor",
        "reseller", "manufacturer", "consultant", "agent", "sponsor", "franchisee",
        "franchisor", "company's", "exhibit", "schedule", "section", "article", "amendment",
        "effective", "date", "dated", "between", "among", "whereas", "recitals", "state",
        "states", "laws", "law", "delaware", "california", "new", "york", "nevada", "texas",
        "florida", "united", "america", "corporate", "office", "offices", "street", "suite",
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "the", "this", "terms", "term", "payment", "fees",
        "fee", "notice", "renewal", "termination", "license", "licence", "liability", "cap",
        "governing", "confidential", "confidentiality", "exclusive", "exclusivity", "rights",
        "right", "assignment", "insurance", "audit", "warranty", "indemnification", "what",
        "does", "can", "who", "when", "how", "which", "under", "with", "our", "their", "they",
        "marketing", "development", "distribution", "supply", "sponsorship", "hosting",
        "maintenance", "collaboration", "strategic", "alliance", "joint", "venture",
        "cooperation", "consulting", "endorsement", "promotion", "outsourcing", "manufacturing",
        "franchise", "transportation", "administration", "purchase", "sale",
        "master", "products", "product", "software", "data", "system", "systems", "ex",
        "material", "dev", "form", "filed", "commission", "securities",
        "exchange", "portions", "omitted", "treatment", "request", "herein", "hereto", "shall",
    }
)  # fmt: skip
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9&'.-]*[A-Za-z0-9]|[A-Za-z0-9]")
_CAP_WORD = re.compile(r"(?<![.!?]\s)(?<!\n)\b[A-Z][A-Za-z0-9&-]*[A-Za-z0-9]")


def words(text: str) -> set[str]:
    """Lower-cased distinctive words of a text (no common or legal vocabulary)."""
    out = set()
    for w in _WORD.findall(text):
        for part in [*re.split(r"[.'&-]", w.lower()), re.sub(r"[.'&-]", "", w.lower())]:
            if len(part) >= 2 and part not in _COMMON and not part.isdigit():
                out.add(part)
    return out


@dataclass(frozen=True)
class NameEntry:
    """What a contract is called: its parties (names and aliases), title and preamble."""

    contract_id: str
    party_names: tuple[str, ...]
    title: str = ""
    preamble: str = ""


def _head(name: str) -> str | None:
    """The first distinctive word of a name, the one people shorten it to."""
    for w in _WORD.findall(name):
        ws = words(w)
        if ws:
            return re.sub(r"[.'&-]", "", w.lower()) if len(ws) > 1 else next(iter(ws))
    return None


@dataclass(frozen=True)
class _Vocab:
    names: tuple[frozenset[str], ...]  # distinctive words of each party name or alias
    party_names: tuple[str, ...]
    all_words: frozenset[str]  # names, title and preamble's capitalised words


@functools.lru_cache(maxsize=4096)
def _vocab(party_names: tuple[str, ...], title: str, preamble: str) -> _Vocab:
    names = tuple(w for w in (frozenset(words(n)) for n in party_names) if w)
    # a title such as "ACMECORP_03_30_2007-EX-10.8-RESELLER AGREEMENT": its words count too
    title_words = words(re.sub(r"[_\d]+", " ", title))
    pre = words(" ".join(_CAP_WORD.findall(preamble)))
    return _Vocab(
        names=names,
        party_names=party_names,
        all_words=frozenset(set().union(*names) | title_words | pre),
    )


@dataclass
class NameDecision:
    """Contracts to narrow to (at most one, when named strongly) and to boost."""

    narrow_to: list[str] = field(default_factory=list)
    boost: dict[str, float] = field(default_factory=dict)
    name_words: set[str] = field(default_factory=set)


def decide(query: str, entries: Sequence[NameEntry]) -> NameDecision:
    """Which contracts the question names; see the module docstring for the rule."""
    q = words(query)
    if not q or not entries:
        return NameDecision()
    vocabs = {e.contract_id: _vocab(e.party_names, e.title, e.preamble) for e in entries}
    df: dict[str, int] = {}
    for v in vocabs.values():
        for w in v.all_words & q:
            df[w] = df.get(w, 0) + 1
    limit = max(1, len(entries) // 50)
    strong: list[tuple[int, str, set[str]]] = []
    weak: list[tuple[float, str, set[str]]] = []
    for cid, v in vocabs.items():
        hit = {w for w in v.all_words & q if df[w] <= limit}
        if not hit:
            continue
        # the whole distinctive part of a name, or its head word ("CityNet" for "CityNet
        # Telecommunications"), that no other contract's names share
        full = [n for n in v.names if n <= q and all(df.get(w, 0) == 1 for w in n)]
        full += [
            frozenset({h})
            for h in (_head(n) for n in v.party_names)
            if h and h in q and df.get(h, 0) == 1 and len(h) >= 4
        ]
        if full and sum(len(w) for w in max(full, key=len)) >= 3:
            strong.append((len(max(full, key=len)), cid, set().union(*full)))
        weak.append((sum(1.0 / df[w] for w in hit), cid, hit))
    if len(strong) == 1:
        _, cid, ws = strong[0]
        return NameDecision(narrow_to=[cid], boost={cid: 1.0}, name_words=ws)
    weak.sort(key=lambda x: -x[0])
    weak = weak[:MAX_BOOSTED]
    if not weak:
        return NameDecision()
    top = weak[0][0]
    return NameDecision(
        boost={cid: round(score / top, 3) for score, cid, _ in weak},
        name_words=set().union(*(ws for _, _, ws in weak)),
    )


def load_entries(session: Session, allowed: Sequence[str] | None = None) -> list[NameEntry]:
    """Name entries of ready contracts (the preamble is read in SQL, not the whole text)."""
    stmt = select(
        ContractRow.id,
        ContractRow.parties,
        ContractRow.title,
        func.substr(ContractRow.text, 1, PREAMBLE_CHARS),
    ).where(ContractRow.status == "ready")
    keep = set(allowed) if allowed is not None else None
    out = []
    for cid, parties, title, preamble in session.execute(stmt).all():
        if keep is not None and cid not in keep:
            continue
        names: list[str] = []
        for p in parties or []:
            if isinstance(p, dict):
                names += [str(p.get(k)) for k in ("name", "alias") if p.get(k)]
        out.append(NameEntry(cid, tuple(names), title or "", preamble or ""))
    return out
