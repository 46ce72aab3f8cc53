"""The guard every decision-bearing answer passes: a "yes" stands only when the request,
read every way it can be, is the standard position (the playbook decides; this reads the
question's other meanings and values)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from drafting.understand import TERM_PHRASE, Parsed
from playbook import Decision, Fact, TypeInfo, decide, merged_parameters
from playbook.decision import says_otherwise
from playbook.guidance import guidance_decision, ruled_out
from playbook.positions import holds_values
from playbook.values import stem

# (type, values, facts, deal) -> the type's decision and other types' "outside" decisions.
Decide = Callable[
    [TypeInfo, dict[str, Any], dict[str, Fact], dict[str, Any]], tuple[Decision, list[Decision]]
]

# A request without values reads as a rule's concern when that rule's description is
# nearly as close to it as the closest approved position: never "yes" on a near tie.
RULE_MARGIN = 0.1
# What the guidance rules out, read as the request when it is at least this close
# (all-MiniLM-L6-v2 cosine) and as close as the closest approved position, or within
# NEVER_MARGIN of it for a request without values.
NEVER_MIN = 0.45
NEVER_MARGIN = 0.05
# How far below the closest approved position a ruled-out statement may be and still be
# the request, when the request names it in words no approved position uses; and how close
# it must be at least then (the shared words are the evidence, the meaning only a check:
# "bill monthly in arrears" is 0.37 from "invoicing in arrears ... is outside the playbook").
WORDS_MARGIN = 0.08
WORDS_MIN = 0.33
# A request naming values inside the standard's ranges that is this much closer in meaning
# to a fallback than to the standard asks for that fallback.
FALLBACK_MARGIN = 0.05
VALUE_MARGIN = 0.1
# A question's quantity kind for each parameter kind, to read a value another way.
_KIND_OF = {"days": "days", "months": "months", "percent": "percent", "multiple": "multiple"}


# Words a bare request for values is made of: "can we agree to notice of 60 days?" says
# nothing beyond its values, so it is judged on them alone, as the review judges a clause.
_ASK_WORDS = frozenset(
    {
        "can", "could", "may", "might", "we", "you", "they", "them", "agree", "accept",
        "offer", "give", "allow", "okay", "fine", "with", "the", "for", "are", "its",
        "this", "that", "our", "their", "please", "does", "would", "will", "shall",
        "should", "what", "about", "how", "much", "many",
    }
)  # fmt: skip


def says_more(topic: str, info: TypeInfo, asked: dict[str, Any]) -> bool:
    """Whether the question says more than the values it names (in their parameters' own
    words): only then may its meaning read it as a rule or a fallback the values do not
    decide."""
    params = merged_parameters(info.positions)
    covered = set(_ASK_WORDS) | set(re.findall(r"[a-z]+", info.name.lower()))
    for n in asked:
        covered |= set(n.split("_"))
        spec = params.get(n)
        if spec is not None:
            covered |= set(re.findall(r"[a-z]+", spec.description.lower()))
    words = {w for w in re.findall(r"[a-z]+", topic.lower()) if len(w) > 2}
    return len(words - covered) >= 2


def _stems(text: str) -> set[str]:
    return {stem(w) for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3}


def ruled_out_words(topic: str, statement: str, info: TypeInfo) -> set[str]:
    """Words the request shares with what the guidance rules out and that no approved
    position of the type says (its title, when to use it, its wording)."""
    approved = _stems(info.name) | set(_ASK_WORDS)
    for p in info.positions:
        approved |= _stems(f"{p.title} {p.when_to_use or ''} {p.text}")
    return (_stems(topic) & _stems(statement)) - approved - _GENERIC_WORDS


# Words of any request or statement, which say nothing of what is ruled out.
_GENERIC_WORDS = frozenset(
    {"never", "accept", "agree", "want", "customer", "their", "them", "contract", "agreement",
     "service", "vendor", "party", "parti", "deal", "term", "time", "year", "month", "day"}
)  # fmt: skip


# Wording the guidance quotes as ruled out: payment on "receipt of a valid invoice approved
# by the customer". The guidance quotes the counterparty's own words, so a request or a
# clause carrying every one of its distinctive words is that wording, however close in
# meaning it also is to an approved position.
_QUOTE = re.compile(r"[\"“]([^\"”]{10,})[\"”]")


def quotes_ruled_out(topic: str, statement: str, info: TypeInfo) -> bool:
    """Whether the request carries every distinctive word (at least two) of a phrase the
    guidance quotes as ruled out; distinctive: no approved position of the type uses it."""
    words = _stems(topic)
    for m in _QUOTE.finditer(statement):
        own = ruled_out_words(m.group(1), m.group(1), info)
        if len(own) >= 2 and own <= words:
            return True
    return False


def rule_facts(rule: Any) -> dict[str, Fact]:
    """A request that is what a rule forbids: the rule's equality conditions hold."""
    out = {}
    for c in rule.when:
        if c.field.startswith("term.") and c.op.value in ("eq", "in"):
            v = c.value[0] if c.op.value == "in" else c.value
            out[c.field] = Fact(value=v, source="question")
    return out


def concession(ranked: list[tuple[float, str, Any]]) -> tuple[str, Any]:
    """A request without values: the approved position it reads as, or the rule it
    trips. ("rule", rule) also on a near tie with the standard position."""
    ranked = [x for x in ranked if x[1] in ("position", "rule")]
    top, kind, item = ranked[0]
    if kind == "position" and item.position.value == "standard":
        for sim, k2, it2 in ranked[1:]:
            if k2 == "rule" and top - sim <= RULE_MARGIN:
                return "rule", it2
    return kind, item


def guard(
    decision: Decide,
    parsed: Parsed,
    info: TypeInfo,
    values: dict[str, Any],
    facts: dict[str, Fact],
    deal: dict[str, Any],
    d: Decision,
    others: list[Decision],
    ranked: list[tuple[float, str, Any]],
    asked: dict[str, Any],
) -> tuple[Decision, dict[str, Any]]:
    """Every "yes" passes here: it stands only when the request, read every way it can
    be, is the standard. Not when it is what the guidance rules out, when another value
    the question names is the one asked for ("12 months is too long, can we do 6?"), or,
    when it names values inside the standard's ranges, when it asks in substance for a
    concession the standard leaves out (an annual opt-out "on 90 days' notice")."""
    if any(o.outcome == "outside" for o in others) or d.answer == "no":
        return d, values
    for st in ruled_out(info):
        if quotes_ruled_out(parsed.topic, st.text, info):
            return guidance_decision(info, st, values, deal), values
    best_position = max(s for s, k, _ in ranked if k in ("position", "text"))
    never = [(s, st) for s, k, st in ranked if k == "never" and not (asked and st.values)]
    if never and (d.answer == "yes" or not asked):
        sim, st = never[0]
        # What the guidance rules out, read as the request: for a "yes" without values,
        # when nearly as close as any approved position (NEVER_MARGIN); for one the
        # values decided, only when clearly closer (VALUE_MARGIN); for a request the
        # rules route to a fallback, when closer.
        margin = 0.0 if d.answer != "yes" else -VALUE_MARGIN if asked else NEVER_MARGIN
        if sim >= NEVER_MIN and sim + margin >= best_position:
            return guidance_decision(info, st, values, deal), values
        if not asked:
            # Nearly as close as an approved position, and naming what it rules out in
            # words no approved position uses ("bill in arrears", "release on a breach"):
            # the request is the thing ruled out, whatever else it shares with a fallback.
            for sim, st in never:
                if sim < WORDS_MIN or best_position - sim > WORDS_MARGIN:
                    break
                if ruled_out_words(parsed.topic, st.text, info):
                    return guidance_decision(info, st, values, deal), values
    std = info.positions[0]
    # By id, not identity: the ranked items come from a cache built from an earlier
    # TypeInfo of the same library version.
    std_sim = max(
        (s for s, k, x in ranked if k in ("position", "text") and x.id == std.id),
        default=best_position,
    )
    sim, kind, item = next(x for x in ranked if x[1] in ("position", "rule", "text"))
    # Values a fallback allows, for a concession a rule forbids ("6 months of free
    # transition help"): the rule, when it is clearly the closest reading.
    if (
        asked
        and kind == "rule"
        and d.answer == "approval"
        and sim - best_position >= FALLBACK_MARGIN
        and says_more(parsed.topic, info, asked)
    ):
        rd = decide(info, values=values, facts=facts | rule_facts(item), deal=deal, present=None)
        if rd.answer == "no":
            return rd, values
    if d.answer != "yes":
        return d, values
    for alt in readings(parsed, info, values, asked):
        ad, ao = decision(info, alt, facts, deal)
        if ad.answer != "yes" or any(o.outcome == "outside" for o in ao):
            return ad, alt
    if asked and says_more(parsed.topic, info, asked):
        if kind == "rule" and sim - std_sim >= VALUE_MARGIN:
            rd = decide(
                info, values=values, facts=facts | rule_facts(item), deal=deal, present=None
            )
            if rd.answer != "yes":
                return rd, values
        # A fallback's own description (not its wording, which restates the standard's)
        # clearly closer than the standard: the request is that fallback.
        fb = next((x for x in ranked if x[1] == "position"), None)
        if (
            fb is not None
            and fb[2].position.value == "fallback"
            and fb[0] - std_sim >= FALLBACK_MARGIN
            and (fb[2].parameters == std.parameters or says_otherwise(std, fb[2]))
            and holds_values(fb[2], values)
        ):
            fd = decide(
                info, values=values, facts=facts, deal=deal, present=None, asked=_pid(fb[2])
            )
            if fd.answer != "yes":
                return fd, values
    return d, values


def readings(
    parsed: Parsed, info: TypeInfo, values: dict[str, Any], asked: dict[str, Any]
) -> list[dict[str, Any]]:
    """The question's values read another way: each quantity of the same kind that set
    none of them, in place of one it could also be ("30 days instead of 60")."""
    if not asked:
        return []
    params = merged_parameters(info.positions)
    taken = set(values.values())
    term = [(m.start(), m.end()) for m in TERM_PHRASE.finditer(parsed.topic)]
    out = []
    for q in parsed.quantities:
        if q.value in taken or q.period or any(a <= q.start < b for a, b in term):
            continue
        for n in asked:
            spec = params.get(n)
            if spec is not None and _KIND_OF.get(spec.kind.value) == q.kind:
                out.append(values | {n: q.value})
    # A number the question gives without its unit ("they won't take 72 hours, they'd
    # take 48"): the unit is the one the question already named.
    spans = [(q.start, q.end) for q in parsed.quantities]
    for m in _BARE.finditer(parsed.topic):
        v = float(m.group(0))
        if v in taken or any(a <= m.start() < b for a, b in spans):
            continue
        for n in asked:
            spec = params.get(n)
            if spec is not None and spec.kind.value in _NUMERIC and spec.kind.value != "money":
                out.append(values | {n: v})
    for n in asked:
        spec = params.get(n)
        if spec is not None and spec.kind.value in ("jurisdiction", "text"):
            out += [values | {n: v} for v in places(parsed, spec) if v != values[n]]
    return out


# A number on its own at the end of a phrase ("they'd take 48."): not a count of something
# ("50 seats"), money ("$250,000", "90k"), a section ("12.3"), nor part of a word ("Q3").
_BARE = re.compile(
    r"(?<![\w$€£.,/:-])(?<!section )(?<!clause )(?<!article )\d+(?:\.\d+)?"
    r"(?=\s*(?:$|[?!;)]|[.,](?!\d)))",
    re.I,
)
_NUMERIC = frozenset({"percent", "days", "months", "years", "multiple", "integer"})


def places(parsed: Parsed, spec: Any) -> list[Any]:
    """Every place the question names that a place parameter could take: "move the venue
    to San Francisco, they hate Delaware" names two, and the one asked for may be either."""
    allowed = list(spec.allowed or [])
    out: list[Any] = []
    for m in parsed.jurisdictions:
        hit = next((a for a in allowed if m.value.lower() in a.lower()), None)
        if spec.kind.value == "jurisdiction" or hit is not None:
            out.append(hit or m.value)
    low = parsed.topic.lower()
    for a in allowed:
        head = str(a).split(",")[0].strip().lower()
        if len(head) > 3 and re.search(rf"\b{re.escape(head)}\b", low):
            out.append(a)
    return list(dict.fromkeys(out))


def _pid(c: Any) -> str:
    return str(c.id).split(".", 1)[-1]
