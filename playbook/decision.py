"""The playbook decision: one function that every caller renders from.

Input: a clause type, what the counterparty's words commit to (facts read from them, and how
they compare with our approved texts), the values they set, and the deal. Output: standard,
an approved fallback (which one, who approves it) or outside (the nearest approved position,
whom to escalate to), or missing, with the reasons.

How a decision is reached:

1. Missing (the clause-type model is sure the contract has none): the type's rules on
   `clause.present == false` and, for a required type, a missing-clause reason. Severity is at
   most high: an absent clause is added, it does not block a contract by itself.
2. Rules on what the words commit to (a `term.*` fact that is not a value, or a deal field):
   a high or critical one puts the clause outside; a low or medium one that proposes a
   fallback routes the clause to that fallback.
3. Values (from the words, or asked for): the lowest-rank position whose ranges hold every
   value, a value named in several places checked at each; none -> outside. Words that are
   exactly an approved position's, values in range, are that position. Rules that only
   compare values mirror those ranges and add their reasons and approvers.
4. Rules on wording alone (`clause.match == deviation`) and words that differ from every
   approved text without any of the above are reasons, not a change of position.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from difflib import SequenceMatcher
from typing import Any, Literal

from pydantic import BaseModel, Field

from clause_index import Clause, Rule
from clause_index.schema import PLACEHOLDER, ParamKind
from playbook.matching import ClauseMatch, same_word
from playbook.params import describe_range, within
from playbook.positions import TypeInfo, holds_values, merged_parameters, position_for
from playbook.routing import RoutingRule, load_routing, route
from playbook.rules import evidence_of, fires
from playbook.types import Fact

Outcome = Literal["standard", "fallback", "outside", "missing"]
SeverityName = Literal["critical", "high", "medium", "low"]
SEVERITY_ORDER: dict[str, int] = {"critical": 0, "high": 1, "medium": 2, "low": 3}
# Cosine (all-MiniLM-L6-v2) of the words to the closest approved text: below it, the words
# restate none of our positions.
RELATED_MIN = 0.65
# A fallback reads closer in meaning than the standard by at least this much to count as it.
MEANING_MARGIN = 0.05
# Word alignment with our text at or above this similarity reads values where our
# placeholders stand; below it, the words are too far from ours to say which is which.
ALIGNED_MIN = 0.5
# A quantity's words name a parameter other than those of the position the words amount to
# only this clearly (a name word right next to it scores 2 to 3).
STRONG_CUE = 2.0
# Word alignment at or above this similarity: the words are our text with a few changes.
NEAR_COPY = 0.85

# Extracted contract terms that carry the value of one of a type's parameters: the review
# reads them from the whole contract, the assistant from the question; either way the value
# is judged against the ranges, and the rules on the term see it too.
TERM_PARAMS: dict[str, dict[str, str]] = {
    "payment_terms": {"net_days": "payment_net_days"},
    "governing_law": {"governing_law": "governing_law"},
    "term_and_renewal": {
        "non_renewal_notice_days": "renewal_notice_days",
        "renewal_term_months": "renewal_term_months",
    },
    "termination_for_convenience": {"notice_days": "termination_for_convenience_notice_days"},
    "price_escalation": {"uplift_percent": "price_escalation_percent"},
}


class PositionOut(BaseModel):
    id: str
    kind: str
    rank: int
    title: str
    approvers: list[str] = Field(default_factory=list)
    note: str = ""


class Reason(BaseModel):
    kind: Literal["rule", "range", "wording", "missing", "fallback", "meaning", "guidance"]
    severity: SeverityName
    message: str
    rule_id: str | None = None
    description: str = ""
    approvers: list[str] = Field(default_factory=list)
    propose: str | None = None  # the position id to propose instead
    parameter: str | None = None
    value: Any = None
    allowed: str = ""
    start: int | None = None  # evidence offsets, where a fact carries them
    end: int | None = None


class Decision(BaseModel):
    clause_type: str
    clause_name: str
    outcome: Outcome
    position: PositionOut | None = None  # the standard or the fallback that holds
    nearest: PositionOut | None = None  # outside / missing: what to propose instead
    approvers: list[str] = Field(default_factory=list)  # sign-off, or whom to escalate to
    severity: SeverityName | None = None  # None for the standard position
    reasons: list[Reason] = Field(default_factory=list)
    fallbacks: list[PositionOut] = Field(default_factory=list)  # to offer on a "no"
    values: dict[str, Any] = Field(default_factory=dict)

    @property
    def answer(self) -> Literal["yes", "approval", "no"]:
        """The assistant's word for it."""
        return {"standard": "yes", "fallback": "approval"}.get(self.outcome, "no")  # type: ignore[return-value]


def pid(c: Clause) -> str:
    return c.id.split(".", 1)[-1]


def position_out(p: Clause) -> PositionOut:
    return PositionOut(
        id=pid(p),
        kind=p.position.value,
        rank=p.rank,
        title=p.title,
        approvers=[a.value for a in p.approval.approvers] if p.approval else [],
        note=" ".join(p.approval.note.split()) if p.approval else "",
    )


@functools.lru_cache(maxsize=1)
def _default_routing() -> tuple[RoutingRule, ...]:
    return tuple(load_routing())


def _worst(severities: list[str], default: SeverityName) -> SeverityName:
    if not severities:
        return default
    return min(severities, key=lambda s: SEVERITY_ORDER[s])  # type: ignore[arg-type,return-value]


def _cap(severity: str, at: SeverityName) -> SeverityName:
    return at if SEVERITY_ORDER[severity] < SEVERITY_ORDER[at] else severity  # type: ignore[return-value]


def _rule_reason(rule: Rule, facts: Mapping[str, Fact], cap: SeverityName | None = None) -> Reason:
    ev = evidence_of(rule, facts)
    sev = rule.severity.value
    return Reason(
        kind="rule",
        severity=_cap(sev, cap) if cap else sev,  # type: ignore[arg-type]
        message=" ".join(rule.message.split()),
        rule_id=rule.id,
        description=rule.description,
        approvers=[rule.approver.value],
        propose=rule.propose,
        start=ev.start if ev else None,
        end=ev.end if ev else None,
    )


def rule_kind(info: TypeInfo, rule: Rule) -> Literal["missing", "wording", "value", "substance"]:
    """What a rule tests: absence, wording alone, values only (mirroring the positions'
    ranges), or what the words commit to."""
    fields = [c.field for c in rule.when]
    if "clause.present" in fields:
        return "missing"
    mapped = set(TERM_PARAMS.get(info.type, {}).values())
    other = [f for f in fields if f != "clause.match"]
    if not other:
        return "wording"
    if all(f.startswith("param.") or (f.startswith("term.") and f[5:] in mapped) for f in other):
        return "value"
    return "substance"


def _valid(info: TypeInfo, name: str, value: Any) -> bool:
    spec = info.positions[0].parameters.get(name)
    if spec is None or value is None:
        return False
    if spec.kind in (ParamKind.jurisdiction, ParamKind.text):
        return isinstance(value, str) and bool(value.strip())
    return isinstance(value, int | float) and not isinstance(value, bool)


def gather_values(
    info: TypeInfo,
    values: Mapping[str, Any] | None,
    words: ClauseMatch | None,
    facts: Mapping[str, Fact],
    span: tuple[int, int] | None,
    text: str | None = None,
    like: Clause | None = None,
) -> dict[str, Any]:
    """Values asked for first, then those read where the words stand for a parameter (each
    place it appears), then extracted terms read inside `span` (the clause judged), then,
    for words that are not ours, the quantities in them assigned by the words around each
    (the reader a rep's question goes through). `like`: the approved position the words
    amount to in meaning, whose parameters those quantities are read for (the standard's
    when none is known)."""
    out: dict[str, Any] = dict(values or {})
    if words is not None and words.similarity >= ALIGNED_MIN:
        seen: dict[str, list[Any]] = {}
        spans: set[tuple[int | None, int | None]] = set()
        for p in words.parameters:
            if p.start is not None and (p.start, p.end) in spans:
                continue  # one phrase stands for one parameter
            spans.add((p.start, p.end))
            if p.name not in out and _valid(info, p.name, p.value):
                seen.setdefault(p.name, [])
                if p.value not in seen[p.name]:
                    seen[p.name].append(p.value)
        for n, vs in seen.items():
            out[n] = vs[0] if len(vs) == 1 else vs
    named = frozenset(PLACEHOLDER.findall(like.template)) if like is not None else None
    for param, term in TERM_PARAMS.get(info.type, {}).items():
        f = facts.get(f"term.{term}")
        if param in out or f is None or not _valid(info, param, f.value):
            continue
        if named is not None and param not in named:
            continue  # words like an index fallback: "no less than 3%" is its floor
        if span is not None and (f.start is None or not (span[0] <= f.start < span[1])):
            continue
        out[param] = f.value
    if text and words is not None and words.classification == "deviation":
        from playbook.quantities import jurisdictions, quantities
        from playbook.values import assign

        # Only the parameters of the position the words amount to (the standard's when
        # none is known): a fallback-only one ("index cap") would take a quantity that is
        # the standard's ("increase by up to 5%"), and the standard's would take one that
        # is a fallback's ("delay payments of 1% a week, capped at 10%").
        primary = frozenset(PLACEHOLDER.findall((like or info.positions[0]).template))
        params = {n: p for n, p in merged_parameters(info.positions).items() if n in primary}
        qs = quantities(text)
        found = assign(qs, jurisdictions(text), params, text, primary)
        for n, (v, _) in found.items():
            if n not in out and _valid(info, n, v) and v not in out.values():
                out[n] = v
        # A quantity left over that words right next to it name as another position's
        # parameter ("for no more than two business days" in an audit clause that reads
        # like our standard): judged too, so the position that allows it is found.
        used = {w for _, w in found.values()}
        rest = [q for q in qs if q.text not in used]
        others = {n: p for n, p in merged_parameters(info.positions).items() if n not in params}
        if rest and others:
            extra = assign(rest, [], others, text, min_score=STRONG_CUE)
            for n, (v, _) in extra.items():
                if n not in out and _valid(info, n, v):
                    out[n] = v
    return out


def _amounts_to(
    info: TypeInfo, words: ClauseMatch | None, meaning: Mapping[str, float] | None
) -> Clause | None:
    """The approved position words that are not ours amount to: the closest in meaning,
    when it is related (RELATED_MIN)."""
    if not meaning or words is None or words.classification != "deviation":
        return None
    best, score = max(meaning.items(), key=lambda kv: kv[1])
    if score < RELATED_MIN:
        return None
    return next((p for p in info.positions if pid(p) == best), None)


# Words this close in meaning to a fallback say what it says.
STRONG_MIN = 0.85
# Words this close in meaning to a position are judged against its own words: a rule that
# fires on both is the position's, not a departure (further away, the words may share the
# reading but not the substance: "no change of control without consent").
OWN_MIN = 0.75
# A fact read at or below this confidence is a guess (a detector's fallback reading).
GUESS_MAX = 0.5
# A fallback whose words share less than this (difflib ratio over words) with the standard's
# says something else; above it, it restates the standard and its ranges tell them apart.
DISTINCT_MAX = 0.5


@functools.lru_cache(maxsize=512)
def _word_ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a.lower().split(), b.lower().split(), autojunk=False).ratio()


# A fallback sharing this much of the standard's words (difflib ratio) changes one sentence.
RESTATES_MIN = 0.8


# Words that share this many of a fallback's own words (those its text has and the
# standard's has not), and this share of them, say what the fallback adds to the standard;
# in meaning they may still read a little closer to the standard (DISTINCT_SLACK).
DISTINCT_WORDS = 5
DISTINCT_SHARE = 0.25
DISTINCT_SLACK = 0.05
_FUNCTION_WORDS = frozenset(
    {
        "the", "a", "an", "of", "to", "in", "or", "and", "for", "by", "on", "with", "any",
        "its", "it", "this", "that", "is", "be", "will", "shall", "may", "as", "at", "from",
        "each", "all", "such", "other", "under", "which", "not", "no", "than", "more",
    }
)  # fmt: skip


@functools.lru_cache(maxsize=1024)
def _content_words(text: str) -> frozenset[str]:
    """Content words, cut to six letters so that "deliverables" meets "delivered"."""
    text = PLACEHOLDER.sub(" ", text.lower())
    return frozenset(
        w[:6] for w in re.findall(r"[a-z]+", text) if len(w) > 2 and w not in _FUNCTION_WORDS
    )


def _distinct_fallback(
    info: TypeInfo, text: str, meaning: Mapping[str, float], values: Mapping[str, Any]
) -> str | None:
    """The fallback whose own words (what it adds to the standard) the counterparty's words
    repeat (DISTINCT_WORDS, DISTINCT_SHARE), within DISTINCT_SLACK of the standard in
    meaning and holding the values: "bodily injury, death or damage to tangible property
    caused by negligence" is the fallback that adds them, however the rest is worded."""
    std_words = _content_words(info.positions[0].text)
    words = _content_words(text)
    best: tuple[int, str] | None = None
    for p in info.positions[1:]:
        own = _content_words(p.text) - std_words
        shared = len(words & own)
        if (
            own
            and shared >= DISTINCT_WORDS
            and shared / len(own) >= DISTINCT_SHARE
            and meaning.get(pid(p), 0.0) >= meaning.get("standard", 0.0) - DISTINCT_SLACK
            and holds_values(p, values)
            and (best is None or shared > best[0])
        ):
            best = (shared, pid(p))
    return best[1] if best else None


# Words of a fallback's own wording a request repeats to be asked as that fallback whatever
# its values fit (a title word or two words only excuse a rule the request trips).
FIRM_WORDS = 3
# Words any position or request of a type uses, which name no fallback in particular.
_PARTY_WORDS = frozenset(
    {"custom", "vendor", "party", "partie", "agreem", "contra", "servic", "provid", "either",
     "writte", "notice", "days", "date", "effect", "term", "includ", "applic", "relate"}
)  # fmt: skip
# A rep's words for what a position's own words say ("both ways" is "mutual").
_REQUEST_WORDS = (
    (
        re.compile(
            r"\b(?:both\s+ways|either\s+way|two[\s-]+ways?|reciprocal\w*|same\s+for\s+both"
            r"|both\s+(?:sides|parties))\b",
            re.I,
        ),
        "mutual",
    ),
    # The customer's own competitor, as a rep names it ("a rival of theirs", "their direct
    # competitor"): our positions say "a direct competitor of the other" only where the
    # protection against a competitor runs both ways.
    (
        re.compile(
            r"\b(?:their|its|the\s+customer'?s|the\s+client'?s)\s+(?:own\s+)?(?:\w+\s+)?"
            r"(?:competitors?|rivals?)\b|\b(?:competitors?|rivals?)\s+of\s+(?:theirs|the\s+customer"
            r"|the\s+client)\b",
            re.I,
        ),
        "direct competitor mutual",
    ),
)


def _request_words(text: str) -> frozenset[str]:
    for pattern, word in _REQUEST_WORDS:
        text = pattern.sub(f" {word} ", text)
    return _content_words(text)


def named_fallback(info: TypeInfo, text: str, firm: bool = False) -> Clause | None:
    """The fallback a request (a rep's words, not a clause) names by what only that fallback
    says: a word of its title, or two of its wording, that neither the standard, another
    fallback nor any of the type's rules' descriptions use ("assign to an affiliate" is the
    affiliate fallback, "assign to anyone" names none). None when it names none, or several
    alike. `firm`: only by three words of its own wording (a request whose values fit
    another position is asked to be this fallback only on such evidence)."""
    std = info.positions[0]
    common = _content_words(f"{std.title} {std.text}") | _PARTY_WORDS
    for r in info.rules:
        common |= _content_words(r.description)
    fallbacks = info.positions[1:]
    own = {
        pid(p): (_content_words(p.title), _content_words(f"{p.title} {p.text}")) for p in fallbacks
    }
    asked = _request_words(text)
    best: list[tuple[int, Clause]] = []
    for p in fallbacks:
        others: set[str] = set()
        for q in fallbacks:
            if q is not p:
                others |= own[pid(q)][1]
        title, words = (w - common - others for w in own[pid(p)])
        if len(asked & words) >= FIRM_WORDS if firm else (asked & title or len(asked & words) >= 2):
            best.append((len(asked & words), p))
    best.sort(key=lambda x: -x[0])
    if not best or (len(best) > 1 and best[0][0] == best[1][0]):
        return None
    return best[0][1]


def says_otherwise(std: Clause, fallback: Clause) -> bool:
    return _word_ratio(std.text, fallback.text) < DISTINCT_MAX


def _guess(rule: Rule, facts: Mapping[str, Fact]) -> bool:
    """Every term fact the rule tests was read at a guess's confidence (GUESS_MAX)."""
    terms = [facts.get(c.field) for c in rule.when if c.field.startswith("term.")]
    return bool(terms) and all(f is not None and f.confidence <= GUESS_MAX for f in terms)


# Words whose insertion or removal turns what a clause commits to around.
_POLARITY = re.compile(
    r"\b(?:not|no|never|none|nothing|neither|nor|without|unless|except|save|excluding|only|solely"
    r"|may|must|need|cannot|free|unlimited|uncapped|waive\w*|sole|exclusive\w*)\b|n['’]t\b",
    re.I,
)


def _flips(words: ClauseMatch | None) -> bool:
    """The words added to our text and those removed from it differ in a `_POLARITY` word
    (as our text would say it: "save as follows" for "except as follows" flips nothing)."""
    if words is None:
        return False
    seen: dict[str, list[str]] = {"insert": [], "delete": []}
    for op in words.redline:
        if op.op in seen:
            seen[op.op] += sorted(
                same_word(m.group(0).lower()) for m in _POLARITY.finditer(op.text)
            )
    return sorted(seen["insert"]) != sorted(seen["delete"])


def _unless_fallback(rule: Rule) -> bool:
    """A rule its author wrote not to fire on the fallback (`clause.match ne fallback`)."""
    return any(
        c.field == "clause.match" and c.op.value == "ne" and c.value == "fallback"
        for c in rule.when
    )


def _position_facts(
    info: TypeInfo, p: Clause, facts: Mapping[str, Fact], judged: Mapping[str, Fact]
) -> dict[str, Fact]:
    """The facts of an approved position's own words, with its default values, as the
    words judged are read: the same deal, presence and match (a rule "unless it is the
    fallback" asks whether the fallback's substance fires, not whether it is ours)."""
    base = dict(facts)
    for k, f in judged.items():
        if k.startswith("deal.") or k in ("clause.present", "clause.match"):
            base[k] = f
    defaults = {n: spec.default for n, spec in p.parameters.items() if spec.default is not None}
    return _with_values(info, base, defaults)


def _variants(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One set of values per place a parameter is named (rules compare single values)."""
    lists = {n: v for n, v in values.items() if isinstance(v, list)}
    base = {n: v for n, v in values.items() if not isinstance(v, list)}
    if not lists:
        return [base]
    out = []
    for n, vs in lists.items():
        for v in vs:
            out.append(base | {k: x[0] for k, x in lists.items()} | {n: v})
    return out


def _with_values(
    info: TypeInfo, facts: Mapping[str, Fact], values: Mapping[str, Any]
) -> dict[str, Fact]:
    out = dict(facts)
    mapping = TERM_PARAMS.get(info.type, {})
    for n, v in values.items():
        out[f"param.{n}"] = Fact(value=v, source="value")
        term = mapping.get(n)
        if term and (out.get(f"term.{term}") is None or out[f"term.{term}"].value is None):
            out[f"term.{term}"] = Fact(value=v, source="value")
    return out


def _range_reasons(info: TypeInfo, values: Mapping[str, Any]) -> list[Reason]:
    """Each value outside every approved position's range."""
    out = []
    for n, vs in values.items():
        for v in vs if isinstance(vs, list) else [vs]:
            specs = [p.parameters[n] for p in info.positions if n in p.parameters]
            if specs and all(within(s, v) is False for s in specs):
                std = info.positions[0].parameters.get(n) or specs[0]
                allowed = "; ".join(
                    dict.fromkeys(
                        describe_range(p.parameters[n])
                        + ("" if p.position.value == "standard" else f" ('{p.title}')")
                        for p in info.positions
                        if n in p.parameters
                        and (p.position.value == "standard" or p.parameters[n] != std)
                    )
                )
                out.append(
                    Reason(
                        kind="range",
                        severity="high",
                        message=(
                            f"{n.replace('_', ' ')} is {_fmt(v)}, outside every approved "
                            f"position (standard {describe_range(std)}; approved: {allowed})."
                        ),
                        parameter=n,
                        value=v,
                        allowed=describe_range(std),
                    )
                )
    return out


def _fmt(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def decide(
    info: TypeInfo,
    *,
    values: Mapping[str, Any] | None = None,
    facts: Mapping[str, Fact] | None = None,
    words: ClauseMatch | None = None,
    deal: Mapping[str, Any] | None = None,
    present: bool | None = True,
    span: tuple[int, int] | None = None,
    asked: str | None = None,
    meaning: Mapping[str, float] | None = None,
    text: str | None = None,
    routing: tuple[RoutingRule, ...] | list[RoutingRule] | None = None,
    own_facts: Callable[[Clause], Mapping[str, Fact]] | None = None,
) -> Decision:
    """The playbook's decision on one clause (see the module docstring). `asked`: the
    approved position a request without values amounts to (a rep asking for "an annual
    opt-out"), judged like words that are that position's, but with every rule applied.
    `meaning`: how close the words are in meaning to each position (`playbook.meaning`);
    `text`: the words themselves, to read values the alignment could not place; for a
    request (no `words`), the rep's words, read for the fallback they name
    (`named_fallback`), whose own words are then judged as below.
    `own_facts`: what the fact readers make of an approved position's own words; a rule
    that fires on the words and on the position they amount to is that position's, not a
    departure from it (read only when such a rule fires)."""
    base: dict[str, Fact] = dict(facts or {})
    base |= {f"deal.{k}": Fact(value=v, source="deal") for k, v in (deal or {}).items()}
    routing = _default_routing() if routing is None else routing
    std = info.positions[0]
    by_id = {pid(p): p for p in info.positions}
    fallbacks = [position_out(p) for p in info.positions[1:]]

    def done(outcome: Outcome, severity: SeverityName | None, approvers: list[str], **kw: Any):  # type: ignore[no-untyped-def]
        if severity is not None:
            approvers = route(list(routing), severity, approvers, deal)
        return Decision(
            clause_type=info.type,
            clause_name=info.name,
            outcome=outcome,
            severity=severity,
            approvers=approvers,
            fallbacks=fallbacks,
            **kw,
        )

    if present is False:
        base["clause.present"] = Fact(value=False, source="presence")
        base["clause.match"] = Fact(value="missing", source="presence")
        fired = [r for r in info.rules if fires(r, base)]
        reasons = [_rule_reason(r, base, cap="high") for r in fired]
        if info.required and not any(rule_kind(info, r) == "missing" for r in fired):
            reasons.append(
                Reason(
                    kind="missing",
                    severity="high",
                    message=(
                        f"The agreement has no {info.name.lower()} clause, which every sales "
                        "agreement must have. Add the standard language."
                    ),
                    approvers=["legal"],
                    propose="standard",
                )
            )
        if not reasons:  # an optional clause that is absent: our standard asks for nothing
            return done("standard", None, [], position=position_out(std))
        approvers = list(dict.fromkeys(a for r in reasons for a in r.approvers))
        sev = _worst([r.severity for r in reasons], "high")
        return done("missing", sev, approvers, nearest=position_out(std), reasons=reasons)

    like = _amounts_to(info, words, meaning)
    if like is None and meaning and text and words is not None:
        # Words further in meaning that repeat what a fallback adds still amount to it.
        like = by_id.get(_distinct_fallback(info, text, meaning, {}) or "")
    vals = gather_values(info, values, words, base, span, text, like)
    if words is not None and words.classification in ("standard", "fallback") and not values:
        # Our own approved words, values in range: that position, whatever a detector
        # makes of the wording (our carve-outs read as "uncapped" to a classifier).
        exact = by_id.get(words.position_id or "standard", std)
        out = position_out(exact)
        if exact.position.value == "standard":
            return done("standard", None, [], position=out, values=vals)
        reason = Reason(
            kind="fallback",
            severity="low",
            message=f"Approved fallback '{exact.title}': {out.note or 'an approved fallback.'}",
            approvers=out.approvers or ["legal"],
            propose=out.id,
        )
        return done(
            "fallback",
            "low",
            out.approvers or ["legal"],
            position=out,
            reasons=[reason],
            values=vals,
        )
    base["clause.present"] = Fact(value=True, source="review")
    if words is not None:
        base["clause.match"] = Fact(value=words.classification, source="match")
    else:
        # A request without words: what it asks for is not our wording, unless it asks
        # for one of our positions (a rule "unless it is the fallback" then sees it is).
        kind = by_id[asked].position.value if asked in by_id else "deviation"
        base["clause.match"] = Fact(value=kind, source="request")
    fired_v: list[Rule] = []
    for variant in _variants(vals):
        f = _with_values(info, base, variant)
        fired_v += [r for r in info.rules if r not in fired_v and fires(r, f)]
    facts_v = _with_values(info, base, _variants(vals)[0])
    kinds = {r.id: rule_kind(info, r) for r in fired_v}
    substance = [r for r in fired_v if kinds[r.id] == "substance"]
    value_rules = [r for r in fired_v if kinds[r.id] == "value"]
    wording = [r for r in fired_v if kinds[r.id] == "wording"]
    # A rule is judged against the position the words amount to: one that fires on that
    # position's own approved words too ("the customer may terminate for convenience" in
    # our convenience fallback) is what the position allows, not a departure from it.
    # Not for a near copy of our text: there the alignment pinpoints the words that changed
    # (the review keeps only facts read from them, `_clause_facts`), and a rule firing on
    # them is a real change ("an obligation flipped"), whatever our own words read as.
    unaligned = words is None or words.similarity < NEAR_COPY
    # A near copy whose changes flip nothing (party names, a definition spelled out, a
    # clause reference) is judged against the position's own words too: a detector that
    # reads our own text as the departure reads the copy so as well.
    own_like = unaligned or not _flips(words)
    own_target = like if like is not None else by_id.get(asked or "")
    if words is None:
        # A request (no contract words) is judged against a fallback's own words only when
        # it names what only that fallback says: a rule it trips that the fallback's own
        # words trip too is what that fallback allows. Not a rule on the deal: the deal is
        # the same whichever words are judged, so a fallback's own words "trip" it too.
        own_target = named_fallback(info, text) if substance and text else None
    if substance and own_facts is not None and own_target is not None and own_like:
        own = _position_facts(info, own_target, own_facts(own_target), base)
        # A rule written not to fire on the fallback, on words that say what the fallback
        # says (STRONG_MIN in meaning), is that fallback too.
        unless = (
            own_target.position.value == "fallback"
            and like is not None
            and (meaning or {}).get(pid(like), 0.0) >= STRONG_MIN
        )
        close = like is None or (meaning or {}).get(pid(like), 0.0) >= OWN_MIN
        # Only as firmly as on the words: a rule our own words set off only as a guess
        # (GUESS_MAX) does not excuse words that set it off clearly.
        allowed = [
            r
            for r in substance
            if (close and fires(r, own) and (_guess(r, facts_v) or not _guess(r, own)))
            or (unless and _unless_fallback(r))
        ]
        if words is None:
            allowed = [r for r in allowed if not any(c.field.startswith("deal.") for c in r.when)]
        if allowed:
            substance = [r for r in substance if r not in allowed]
            # The rule excused as that fallback's makes the request that fallback, also when
            # it read nearest the standard in meaning.
            if (asked is None or asked == "standard") and own_target.position.value == "fallback":
                asked = pid(own_target)
    if like is not None and unaligned:
        # A reading that is only a guess (say "no disclaimer in these words", when the
        # disclaimer is elsewhere) does not put words that amount to an approved position
        # outside: it is a reason to check, not a block.
        guessed = [r for r in substance if _guess(r, facts_v)]
        substance = [r for r in substance if r not in guessed]
        wording += guessed
    # A minor departure a rule itself routes to an approved fallback is that fallback.
    routed = [
        r
        for r in substance
        if r.severity.value in ("low", "medium")
        and not any(c.field == "clause.match" and c.op.value == "ne" for c in r.when)
        and r.propose in by_id
        and by_id[r.propose].position.value == "fallback"
    ]
    blocking = [r for r in substance if r not in routed]
    if blocking:
        reasons = [_rule_reason(r, facts_v) for r in blocking]
        reasons += _range_reasons(info, vals)
        worst = min(blocking, key=lambda r: SEVERITY_ORDER[r.severity.value])
        nearest = by_id.get(worst.propose or "standard", std)
        approvers = list(dict.fromkeys(r.approver.value for r in blocking))
        return done(
            "outside",
            _worst([r.severity.value for r in blocking], "high"),
            approvers,
            nearest=position_out(nearest),
            reasons=reasons,
            values=vals,
        )
    fit, nearest_pos = position_for(info.positions, vals)
    if words is not None and words.classification in ("standard", "fallback"):
        fit = by_id.get(words.position_id or "standard", fit)
    if meaning and words is not None and words.classification == "deviation":
        closest = max(meaning, key=lambda k: meaning[k])
        if meaning[closest] < RELATED_MIN and not vals and like is None:
            # Words that restate none of our positions: outside, whatever values they hold.
            reason = Reason(
                kind="meaning",
                severity="medium",
                message=(
                    f"The {info.name.lower()} clause is not close to any approved position "
                    f"(closest: '{by_id[closest].title}'); propose our standard language."
                ),
                approvers=["legal"],
                propose="standard",
            )
            reasons = [reason, *_range_reasons(info, vals)]
            reasons += [_rule_reason(r, facts_v) for r in value_rules]
            return done(
                "outside",
                _worst([r.severity for r in reasons], "medium"),
                ["legal"],
                nearest=position_out(std),
                reasons=reasons,
                values=vals,
            )
        target = by_id[closest]
        # A fallback the words are clearly closer to in meaning than to the standard and
        # to the position the values alone point to, with every value in its ranges: the
        # words say what that fallback says ("binding arbitration seated in New York" is
        # the arbitration fallback, though New York courts are fallback 1). Only one that
        # says something else than the standard, or the same with the same ranges: one
        # that restates the standard with wider ranges is decided by the values.
        rival = meaning.get(pid(fit), 0.0) if fit is not None and fit is not target else 0.0
        lead = meaning[closest] - max(meaning.get("standard", 0.0), rival)
        # A fallback that is the standard with one sentence changed and the same ranges ("no
        # acceleration of the remaining fees") is never far from it in meaning: where the
        # word alignment picks it too, being closer in meaning at all is enough.
        agreed = (
            words.position_id == closest
            and lead > 0
            and target.parameters == std.parameters
            and _word_ratio(std.text, target.text) >= RESTATES_MIN
        )
        if (
            target.position.value == "fallback"
            and asked is None
            and (target.parameters == std.parameters or says_otherwise(std, target))
            and (lead >= MEANING_MARGIN or agreed)
            and holds_values(target, vals)
        ):
            asked = closest
        if asked is None and text:
            asked = _distinct_fallback(info, text, meaning, vals)
    if words is None and asked is None and text:
        # A request that names what only one fallback says asks for that fallback ("an exit
        # if we assign to their competitor"), whatever position its values alone fit.
        named = named_fallback(info, text, firm=True)
        asked = pid(named) if named is not None else None
    if asked in by_id and fit is not None and by_id[asked].rank > fit.rank:
        target = by_id[asked]
        fit, nearest_pos = (target, target) if holds_values(target, vals) else (None, target)
    for r in routed:
        target = by_id[r.propose or "standard"]
        if not holds_values(target, vals):
            fit = None
            nearest_pos = target
            break
        if fit is not None and target.rank > fit.rank:
            fit = target
    value_reasons = [_rule_reason(r, facts_v) for r in value_rules]
    if fit is None:
        reasons = _range_reasons(info, vals) + value_reasons
        approvers = list(dict.fromkeys(a for r in value_reasons for a in r.approvers)) or ["legal"]
        return done(
            "outside",
            _worst([r.severity for r in reasons], "high"),
            approvers,
            nearest=position_out(nearest_pos),
            reasons=reasons,
            values=vals,
        )
    reasons = value_reasons + [_rule_reason(r, facts_v) for r in routed]
    reasons += [_rule_reason(r, facts_v) for r in wording]
    if words is not None and words.classification == "deviation" and not wording:
        reasons.append(
            Reason(
                kind="wording",
                severity="medium" if words.changes > 3 else "low",
                message=(
                    f"The wording departs from our approved language ({words.changes} words "
                    f"added or removed compared with '{words.position_title}'). Check the "
                    "redline; if the change matters, propose the approved text."
                ),
                approvers=["legal"],
                propose=pid(fit),
            )
        )
    if fit.position.value == "standard":
        sev_std = _worst([r.severity for r in reasons], "low") if reasons else None
        approvers = list(dict.fromkeys(a for r in reasons for a in r.approvers))
        return done(
            "standard", sev_std, approvers, position=position_out(fit), reasons=reasons, values=vals
        )
    pos = position_out(fit)
    approvers = list(
        dict.fromkeys([*(pos.approvers or ["legal"]), *(r.approver.value for r in routed)])
    )
    reasons.insert(
        0,
        Reason(
            kind="fallback",
            severity="low",
            message=f"Approved fallback '{fit.title}': {pos.note or 'an approved fallback.'}",
            approvers=approvers,
            propose=pos.id,
        ),
    )
    sev = _worst([r.severity for r in reasons if r.kind != "wording"], "low")
    return done("fallback", sev, approvers, position=pos, reasons=reasons, values=vals)
