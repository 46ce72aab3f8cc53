"""The drafting assistant: a rep's question in, approved language and a decision out.

Grounded (always): parse the question (spaCy rule components), find the clause type (the
library's hybrid search, which knows how people name clauses), assign the question's values to
the type's parameters, judge them against the approved positions, and compose the answer from
library text only. With an LLM configured, the model rewords that answer (guarded: approved
text must stay verbatim, the decision must not change) and reads questions the rules cannot.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from archive import Archive, ArchiveSearch
from archive.service import get_row
from archive.service import summary as _row_summary
from clause_index import Clause, Library, SearchRequest, cuad_type_map, render
from clause_index.library import format_value
from clause_index.schema import PLACEHOLDER
from drafting.clause_type import Vocabulary, choose
from drafting.entities import (
    ApprovalOut,
    AskAnswer,
    AskRequest,
    Citation,
    DealContext,
    FallbackOut,
    ParameterOut,
    UsedClause,
)
from drafting.guard import NEVER_MIN, concession, guard, rule_facts
from drafting.llm import ApprovedClause, GroundedFacts, LlmClient, ParameterFact
from drafting.understand import (
    Parsed,
    asks_to_omit,
    cue_facts,
    named_places,
    parse,
    stated_term_months,
    without_deal_length,
)
from extraction import analyze
from playbook import (
    Decision,
    Fact,
    TypeInfo,
    decide,
    describe_range,
    merged_parameters,
    parse_value,
    rule_kind,
    within,
)
from playbook.guidance import ruled_out
from playbook.meaning import Meaning
from playbook.rules import holds
from playbook.values import assign, is_place
from retrieval import Embedder
from review import LibrarySnapshot, ReviewService

log = logging.getLogger(__name__)

# The library search's score for the best clause type: below it, the question names no
# clause we can tell (gibberish, small talk) and the answer says so instead of guessing.
UNMAPPED_BELOW = 0.4
# Below this search score the type is checked against the question's meaning: the closest
# position, rule or ruled-out concession of the type must be at least RELATED_ASK (cosine).
UNSURE_BELOW = 0.45
RELATED_ASK = 0.3
# A question that names no type and that the search matches only in the band where
# off-topic questions still reach (an expense claim reads like fees, 0.61) and real ones
# without a type's name start (0.65) must read as something the type's positions, rules or
# guidance say, as closely as the guard needs to read a request as one of them (NEVER_MIN).
UNNAMED_SURE = 0.65
# How much a type named in the rep's words, and in the pasted clause, counts towards the
# pasted clause's type (per unit of the name's specificity, see drafting.clause_type).
TOPIC_NAME_WEIGHT = 0.1
PASTED_NAME_WEIGHT = 0.06
# How much a type whose substance rules the pasted clause's own commitments trip counts
# towards its type (a search hit at the top counts 0.3).
RULE_VOTE = 0.25
_APPROVER_NAMES = {
    "legal": "Legal",
    "finance": "Finance",
    "sales_director": "a sales director",
    "security": "Security",
    "executive": "the executive team",
}


def who(approvers: Sequence[str]) -> str:
    names = [_APPROVER_NAMES.get(a, a) for a in approvers]
    return " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]


def _pid(c: Clause) -> str:
    return c.id.split(".", 1)[-1]


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in text.splitlines() if line.strip())


class Assistant:
    def __init__(
        self,
        library: Library,
        review: ReviewService,
        embedder: Embedder,
        archive: Archive | None = None,
        llm: LlmClient | None = None,
    ) -> None:
        self.library = library
        self.review = review
        self.embedder = embedder
        self.archive = archive
        self.llm = llm
        if getattr(review, "meaning", None) is None:
            review.meaning = Meaning(embedder)  # the review judges customer words alike
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], Any] = {}
        self._cache_key: tuple[tuple[str, int], ...] | None = None
        # The library snapshot of the question being answered, per request thread: one
        # answer reads one library version, and the database once rather than at every step.
        self._asking = threading.local()

    # -- the library as the assistant sees it

    def _snapshot(self) -> LibrarySnapshot:
        snap: LibrarySnapshot | None = getattr(self._asking, "snap", None)
        if snap is None:
            with self.library.db.session() as s:
                snap = self.review.snapshot(s)
        return snap

    def _types(self) -> dict[str, TypeInfo]:
        return self._snapshot().types

    def _memo(self, name: tuple[str, str], build: Callable[[], Any]) -> Any:
        """Computed once per library version, dropped when the library changes."""
        key = self._snapshot().key
        with self._lock:
            if self._cache_key != key:
                self._cache, self._cache_key = {}, key
            hit = self._cache.get(name)
        if hit is None:
            hit = build()
            with self._lock:
                if self._cache_key == key:
                    self._cache[name] = hit
        return hit

    def _cached(self, kind: str, info: TypeInfo, build: Callable[[TypeInfo], Any]) -> Any:
        """Per clause type and library version."""
        return self._memo((kind, info.type), lambda: build(info))

    def _concessions(self, info: TypeInfo) -> tuple[list[tuple[str, Any]], Any]:
        """Embeddings of what each position offers and what each rule forbids."""

        def build(info: TypeInfo) -> tuple[list[tuple[str, Any]], Any]:
            items: list[tuple[str, Any]] = []
            texts: list[str] = []
            for p in info.positions:
                items.append(("position", p))
                texts.append(f"{p.title}. {p.when_to_use or ''}")
            # Each position's own words too: a plain request for the clause reads closer to
            # them than to what the guidance rules out in the same terms.
            for p in info.positions:
                items.append(("text", p))
                texts.append(p.text)
            for r in info.rules:
                if any(c.field.startswith("term.") for c in r.when):
                    items.append(("rule", r))
                    texts.append(r.description)
            for st in ruled_out(info):
                items.append(("never", st))
                texts.append(st.text)
            return items, self.embedder.embed(texts)

        result: tuple[list[tuple[str, Any]], Any] = self._cached("concessions", info, build)
        return result

    def warm(self, stop: threading.Event | None = None) -> None:
        """Build the caches for every clause type before the first question pays for them;
        `stop` ends it early (the service is shutting down)."""
        for info in self._types().values():
            if stop is not None and stop.is_set():
                return
            self._concessions(info)

    # -- entry point

    def ask(self, req: AskRequest) -> AskAnswer:
        self._asking.snap = self._snapshot()
        try:
            return self._ask(req)
        finally:
            self._asking.snap = None

    def _ask(self, req: AskRequest) -> AskAnswer:
        deal = req.deal or DealContext()
        named = self.archive.named_contracts(req.question) if self.archive else []
        parsed = parse(req.question, names_contract=bool(named))
        types = self._types()
        ctype = self._clause_type(parsed, types)
        if self.llm is not None and not parsed.confident:
            # The rules recognised no request: the model reads it (validated JSON), else
            # the rules' best guess stands.
            u = self.llm.understand(req.question, [(t, i.name) for t, i in types.items()])
            if u is not None:
                if u.intent != "compare" or parsed.pasted:
                    parsed = parsed.model_copy(update={"intent": u.intent, "confident": True})
                ctype = u.clause_type or ctype
        if ctype is None:
            closest = self._closest(parsed.topic)
            names = ", ".join(f"*{types[t].name.lower()}*" for t in closest if t in types)
            return AskAnswer(
                answer_markdown=(
                    "I cannot tell which clause this question is about, so I have not guessed. "
                    + (f"The closest clause types are {names}. " if names else "")
                    + "Name the clause and, if you have them, the values you need."
                ),
                intent=parsed.intent,
                mode="grounded",
                clause_type=None,
                decision=None,
                closest_types=closest,
                warnings=["no clause type recognised"],
            )
        info = types[ctype]
        handler: Callable[[Parsed, TypeInfo, DealContext], AskAnswer] = {
            "find_language": self._find,
            "can_i": self._can_i,
            "draft": self._draft,
            "compare": self._compare,
            "contract_question": self._contract,
        }[parsed.intent]
        if parsed.intent == "contract_question":
            answer = self._contract(parsed, info, deal, named)
        else:
            answer = handler(parsed, info, deal)
        return self._phrase(req.question, answer)

    def _vocabulary(self) -> Vocabulary:
        """The words that name each type, rebuilt when the library changes."""
        types = self._types()
        vocab: Vocabulary = self._memo(("vocabulary", ""), lambda: Vocabulary(types))
        return vocab

    def _cuad_type_map(self) -> dict[str, list[str]]:
        """CUAD category -> library types, read from the database once per library version."""
        cuad: dict[str, list[str]] = self._memo(
            ("cuad_type_map", ""), lambda: self.library.read(cuad_type_map)
        )
        return cuad

    def _clause_type(self, parsed: Parsed, types: dict[str, TypeInfo]) -> str | None:
        if parsed.intent == "compare" and parsed.pasted:
            return self._pasted_type(parsed.pasted, parsed.topic)
        if not _has_words(parsed.topic):
            return None
        hits = self.library.search(SearchRequest(query=parsed.topic[:2000], top_k=10))
        chosen = choose(
            [(h.clause_type, h.score) for h in hits],
            self._vocabulary(),
            parsed.topic,
            types,
            parsed.quantities,
            parsed.jurisdictions,
        )
        ctype = chosen.clause_type
        if ctype is None or ctype not in types:
            return None
        top = hits[0].score if hits else 0.0
        if top < UNMAPPED_BELOW:
            return None  # nothing in the library is near it, whatever word it shares
        # A weak match that names no type stands only when the question is about something
        # the type's positions, rules or guidance say.
        if ctype not in chosen.named and top < UNNAMED_SURE:
            related = self._ranked(parsed.topic, types[ctype])[0][0]
            if related < (RELATED_ASK if top < UNSURE_BELOW else NEVER_MIN):
                return None
        return ctype

    def _closest(self, text: str) -> list[str]:
        if not text.strip():
            return []
        hits = self.library.search(SearchRequest(query=text[:2000], top_k=3))
        return list(dict.fromkeys(h.clause_type for h in hits))

    def _pasted_type(self, text: str, topic: str = "") -> str:
        """Customer wording's clause type: closeness to our approved texts (tf-idf), the
        library's hybrid search (which knows the words for each type), the clause
        classifier's labels, and the types the rep's words and the clause name, each a vote
        ("MFN in their draft: ..." is about MFN whatever the clause resembles)."""
        snap = self._snapshot()
        cuad = self._cuad_type_map()
        names = sorted(snap.types)
        lex = snap.lexical([text])[0]
        score = {t: float(lex[k]) for k, t in enumerate(names)}
        for r, h in enumerate(self.library.search(SearchRequest(query=text[:2000], top_k=5))):
            score[h.clause_type] = score.get(h.clause_type, 0.0) + 0.3 / (1 + r)
        analysis = analyze(text, type_map=cuad)
        for seg in analysis.segment_types:
            for st in seg:
                if st.type in score:
                    score[st.type] += 0.2 * st.confidence
        vocab = self._vocabulary()
        for words, weight in ((topic, TOPIC_NAME_WEIGHT), (text, PASTED_NAME_WEIGHT)):
            for t, (w, _) in vocab.named(words).items():
                if t in score:
                    score[t] += weight * w
        # The playbook's own reading: a type whose rules the clause's commitments trip
        # (a customer's right to terminate "for any reason" is a termination for
        # convenience, however like our termination for cause it is worded).
        facts = {k: f for k, f in self.review.facts(text, analysis).items() if f.value}
        for t, info in snap.types.items():
            if t in score and any(_trips(info, r, facts) for r in info.rules):
                score[t] += RULE_VOTE
        return max(score, key=lambda t: score[t])

    # -- intents

    def _values(
        self, parsed: Parsed, info: TypeInfo, deal: DealContext
    ) -> tuple[dict[str, Any], dict[str, str]]:
        std = info.positions[0]
        params = merged_parameters(info.positions)
        qty = parsed.quantities
        if not any(re.search(r"(?:^|_)term(?:_|$)", n) for n in params):
            # "2x cap, 3 yr term": the term is the deal's, not the clause's lookback.
            qty = without_deal_length(qty, parsed.topic)
        found = assign(
            qty,
            parsed.jurisdictions,
            params,
            parsed.topic,
            frozenset(PLACEHOLDER.findall(std.template)),
        )
        values = {n: v for n, (v, _) in found.items()}
        sources = {n: "question" for n in found}
        for n, years in _forever(parsed.topic, info).items():
            if n not in values:
                values[n], sources[n] = years, "question"
        places = named_places(parsed.topic)
        for n, spec in params.items():
            if n not in values and places and is_place(spec):
                # A venue no jurisdiction list knows ("the courts of Sao Paulo") is still
                # the venue asked for; judged, it is outside the approved places.
                values[n], sources[n] = places[0], "question"
        if deal.governing_law:
            for n, spec in std.parameters.items():
                if spec.kind.value == "jurisdiction" and n not in values:
                    v = parse_value(spec.kind, deal.governing_law)
                    if v is not None:
                        values[n], sources[n] = v, "deal"
        return values, sources

    def _params_out(
        self, info: TypeInfo, pos: Clause, values: dict[str, Any], sources: dict[str, str]
    ) -> list[ParameterOut]:
        std = info.positions[0]
        out = []
        for name in sorted(set(pos.parameters) | set(values)):
            if f"{{{{{name}}}}}" not in pos.template.replace(" ", "") and name not in values:
                continue
            v = values[name] if name in values else pos.parameters[name].default
            out.append(
                ParameterOut(
                    name=name,
                    clause_type=info.type,
                    value=v,
                    source=sources.get(name, "library_default"),  # type: ignore[arg-type]
                    within_standard=within(std.parameters[name], v)
                    if name in std.parameters
                    else None,
                    allowed=describe_range(std.parameters[name]) if name in std.parameters else "",
                )
            )
        return out

    def _used(self, info: TypeInfo, pos: Clause, values: dict[str, Any]) -> UsedClause:
        fill = {n: v for n, v in values.items() if n in pos.parameters}
        return UsedClause(
            clause_id=pos.id,
            version=pos.version,
            type=info.type,
            type_name=info.name,
            position_id=_pid(pos),
            position_kind=pos.position.value,
            title=pos.title,
            text=render(pos.template, pos.parameters, fill),
        )

    def _cite(self, pos: Clause) -> Citation:
        return Citation(
            kind="library",
            ref=f"{pos.id}@v{pos.version}",
            title=f"{pos.type_name}: {pos.title}",
            text=pos.text,
        )

    def _fallback_lines(self, info: TypeInfo) -> list[str]:
        lines = []
        for p in info.positions[1:]:
            approvers = who([a.value for a in p.approval.approvers]) if p.approval else "Legal"
            lines.append(f"- **{p.title}** ({_pid(p)}): needs approval by {approvers}.")
        return lines

    def _find(self, parsed: Parsed, info: TypeInfo, deal: DealContext) -> AskAnswer:
        std = info.positions[0]
        values, sources = self._values(parsed, info, deal)
        used = self._used(
            info,
            std,
            {n: v for n, v in values.items() if within(std.parameters[n], v)} if values else {},
        )
        md = [
            f"**{info.name}: our standard position** ({std.title})",
            "",
            _quote(used.text),
            "",
            f"*Guidance:* {std.guidance.strip().split(chr(10) + chr(10))[0]}",
        ]
        if len(info.positions) > 1:
            md += [
                "",
                "Approved fallbacks, if the customer pushes back:",
                *self._fallback_lines(info),
            ]
        return AskAnswer(
            answer_markdown="\n".join(md),
            intent="find_language",
            mode="grounded",
            clause_type=info.type,
            decision=None,
            clauses=[used],
            parameters=self._params_out(info, std, values, sources),
            citations=[self._cite(std)],
        )

    def _question_facts(
        self, parsed: Parsed, info: TypeInfo, deal: DealContext, asked_values: bool
    ) -> tuple[dict[str, Fact], dict[str, Any]]:
        """What the request commits to, read by the review's own fact detectors (so a
        concession is judged by the same rules as contract words), and the deal with a
        term the question states ("for 3 years")."""
        text = parsed.topic
        # Only what the request asks for: a detector's "false" on a question is the absence
        # of contract words ("exclusive remedy"), not a statement.
        facts = {
            k: f
            for k, f in self.review.facts(text, analyze(text)).items()
            if f.value not in (None, False)
        }
        facts |= cue_facts(text)
        deal_d = deal.model_dump(exclude_none=True)
        months = stated_term_months(text)
        if months and "term_months" not in deal_d:
            deal_d["term_months"] = months
        presence = _presence_rule(info)
        # Asking for a clause whose standard is its absence (MFN, exclusivity...) is asking
        # for the thing itself, unless the question says the opposite.
        if (
            presence is not None
            and not asked_values
            and parsed.intent in ("can_i", "draft")
            and not _NEGATED.search(text)
        ):
            for c in presence.when:
                if c.field.startswith("term.") and c.op.value == "eq":
                    facts[c.field] = Fact(value=c.value, source="question")
        return facts, deal_d

    def _decision(
        self,
        info: TypeInfo,
        values: dict[str, Any],
        facts: dict[str, Fact],
        deal: dict[str, Any],
        asked: str | None = None,
        text: str | None = None,
    ) -> tuple[Decision, list[Decision]]:
        """The playbook's decision for the type asked about, and decisions of other types
        whose rules the request trips (a discount "with no price increase for 3 years" is
        also a price-escalation question). `text`: the request's words, for the fallback
        they name (the playbook judges a rule they trip against that fallback's own words,
        read by the review's fact readers, as it judges a contract's words)."""
        d = decide(
            info,
            values=values,
            facts=facts,
            deal=deal,
            present=None,
            asked=asked,
            text=text,
            own_facts=self._own_facts,
        )
        others = []
        for t, other in self._types().items():
            if t == info.type:
                continue
            tripped = [
                r
                for r in other.rules
                if rule_kind(other, r) == "substance"
                and any(c.field.startswith("term.") for c in r.when)
                and all(
                    facts.get(c.field) is not None and facts[c.field].source in ("question", "cue")
                    for c in r.when
                    if c.field.startswith("term.")
                )
            ]
            if tripped:
                # Judged as the type asked about is: a rule the request trips that a fallback
                # it names allows is that fallback ("an exit if their rival buys us").
                od = decide(
                    other, facts=facts, deal=deal, present=None, text=text,
                    own_facts=self._own_facts,
                )  # fmt: skip
                if od.outcome in ("outside", "fallback"):
                    others.append(od)
        return d, others

    def _own_facts(self, position: Clause) -> dict[str, Fact]:
        """What the review's fact readers make of an approved position's own words (once
        per position version and library)."""
        result: dict[str, Fact] = self._memo(
            ("own_facts", f"{position.id}@{position.version}"),
            lambda: dict(self.review.facts(position.text, analyze(position.text))),
        )
        return result

    def _ranked(self, text: str, info: TypeInfo) -> list[tuple[float, str, Any]]:
        """What the request is closest to in meaning among the type's positions, the rules
        on what words commit to, and what its guidance rules out: (cosine, kind, item),
        closest first."""
        items, vecs = self._concessions(info)
        q = self.embedder.embed_query(text)
        sims = np.asarray(vecs) @ np.asarray(q)
        return [(float(sims[j]), *items[int(j)]) for j in np.argsort(-sims)]

    def _can_i(self, parsed: Parsed, info: TypeInfo, deal: DealContext) -> AskAnswer:
        values, sources = self._values(parsed, info, deal)
        asked = {n: v for n, v in values.items() if sources.get(n) == "question"}
        facts, deal_d = self._question_facts(parsed, info, deal, bool(asked))
        if not any(f.source == "cue" for f in facts.values()) and asks_to_omit(parsed.topic):
            # No clause of the type at all: the playbook's decision on an absent clause, as
            # the review makes it. Only its "no" is taken; where the playbook asks nothing of
            # an absent clause the request is judged as any other.
            gone = decide(info, deal=deal_d, present=False)
            if gone.answer != "yes":
                return self._decided(parsed, info, {}, sources, gone, [], "can_i")
        ranked = self._ranked(parsed.topic, info)
        position = None
        if not asked:
            kind, item = concession(ranked)
            tested = {c.field for r in info.rules for c in r.when}
            cued = any(f.source == "cue" and k in tested for k, f in facts.items())
            if kind == "rule":
                # The request is what this rule forbids: its conditions hold. Not where the
                # words already say which of the type's terms they ask for (a cue): the
                # nearest rule in meaning is then only a guess at the same request.
                if not cued:
                    facts |= rule_facts(item)
            else:
                position = item.id.split(".", 1)[-1]
        d, others = self._decision(info, values, facts, deal_d, position, parsed.topic)
        d, values = guard(
            self._decision, parsed, info, values, facts, deal_d, d, others, ranked, asked
        )
        return self._decided(parsed, info, values, sources, d, others, "can_i")

    def _draft(self, parsed: Parsed, info: TypeInfo, deal: DealContext) -> AskAnswer:
        values, sources = self._values(parsed, info, deal)
        if not values:
            # "Draft an IP clause where the customer owns our platform improvements": a
            # request without values is judged like the same request asked as a question;
            # only the standard comes back as plain approved language.
            judged = self._can_i(parsed, info, deal)
            if judged.decision in ("approval", "no"):
                judged.intent = "draft"
                return judged
            ans = self._find(parsed, info, deal)
            ans.intent = "draft"
            return ans
        facts, deal_d = self._question_facts(parsed, info, deal, True)
        d, others = self._decision(info, values, facts, deal_d)
        asked = {n: v for n, v in values.items() if sources.get(n) == "question"}
        ranked = self._ranked(parsed.topic, info)
        d, values = guard(
            self._decision, parsed, info, values, facts, deal_d, d, others, ranked, asked
        )
        return self._decided(parsed, info, values, sources, d, others, "draft")

    def _fallback_offer(self, d: Decision) -> tuple[list[str], list[FallbackOut]]:
        nearest = d.nearest.id if d.nearest else None
        fbs = sorted(d.fallbacks, key=lambda f: (f.id != nearest, f.rank))
        lines = [
            f"- **{f.title}** ({f.id}): needs approval by {who(f.approvers or ['legal'])}."
            for f in fbs
        ]
        out = [
            FallbackOut(
                clause_type=d.clause_type,
                position_id=f.id,
                title=f.title,
                approvers=f.approvers or ["legal"],
            )
            for f in fbs
        ]
        return lines, out

    def _decided(
        self,
        parsed: Parsed,
        info: TypeInfo,
        values: dict[str, Any],
        sources: dict[str, str],
        d: Decision,
        others: list[Decision],
        intent: str,
    ) -> AskAnswer:
        """The answer, rendered from the playbook's decision (and any other type's decision
        the request trips, which can only turn it into a no, or, for a "yes", into the
        approval of that type's fallback the request names)."""
        blocker = next((o for o in others if o.outcome == "outside"), None)
        moved = next((o for o in others if o.outcome == "fallback"), None)
        if blocker is None and moved is not None and d.answer == "yes":
            # The request is another type's fallback (a customer exit on our acquisition,
            # asked about as termination): never a "yes" on the type it was read as.
            info, d, values = self._types()[moved.clause_type], moved, {}
        std = info.positions[0]
        positions = {_pid(p): p for p in info.positions}
        parts = []
        for n, v in values.items():
            shown = format_value(std.parameters[n], v) if n in std.parameters else str(v)
            parts.append(f"{n.replace('_', ' ')} {shown}")
        asked = ", ".join(parts)
        asked = asked[:1].upper() + asked[1:]
        decision = d.answer if blocker is None else "no"
        approvals: list[ApprovalOut] = []
        fallbacks: list[FallbackOut] = []
        warnings: list[str] = []
        citations: list[Citation] = []
        if decision == "yes":
            pos = positions[d.position.id] if d.position else std
            what = f"{asked} is" if asked else "That is"
            head = (
                f"**Yes.** {what} within our standard position for {info.name.lower()}; "
                "no approval needed."
            )
        elif decision == "approval":
            assert d.position is not None
            pos = positions[d.position.id]
            reason = d.position.note or d.position.title
            what = f"{asked} is outside our standard position but" if asked else "That is"
            head = (
                f"**Yes, with approval by {who(d.approvers)}.** {what} within the approved "
                f"fallback '{pos.title}'. {reason}"
            )
            approvals = [ApprovalOut(approvers=d.approvers, reason=reason)]
        else:
            target = blocker or d
            tinfo = self._types()[target.clause_type]
            tpos = {_pid(p): p for p in tinfo.positions}
            rule_reasons = [r for r in target.reasons if r.kind == "rule"]
            range_reasons = [r for r in target.reasons if r.kind == "range"]
            guidance = [r for r in target.reasons if r.kind == "guidance"]
            missing = [r for r in target.reasons if r.kind == "missing"]
            if missing:
                why = missing[0].message
            elif guidance:
                why = f"our guidance says: {guidance[0].message}"
            elif rule_reasons:
                why = " ".join(f"{r.description} {r.message}".strip() for r in rule_reasons[:2])
            elif range_reasons:
                why = " ".join(r.message for r in range_reasons)
            else:
                why = "It is outside every approved position."
            topic = tinfo.name.lower()
            head = f"**No.** That is outside our approved positions for {topic}: {why}"
            if target.approvers:
                head += f" If the deal depends on it, escalate to {who(target.approvers)}."
            lines, fallbacks = self._fallback_offer(target)
            if lines:
                head += "\n\nApproved fallbacks you can offer instead:\n" + "\n".join(lines)
            nearest = target.nearest.id if target.nearest else "standard"
            pos = tpos.get(nearest, tinfo.positions[0]) if blocker else positions.get(nearest, std)
            if blocker is not None:
                info = tinfo
            warnings.append("the request is outside every approved position")
            citations = [
                Citation(kind="rule", ref=r.rule_id or "", title=r.description, text=r.message)
                for r in rule_reasons
            ]
        fill = values if decision != "no" else {}
        used = self._used(info, pos, fill)
        lead = (
            "Approved language with your values:"
            if decision != "no" and values
            else "Approved language:"
            if decision != "no"
            else "Nearest approved language (with its own values):"
        )
        md = [head, "", lead, "", _quote(used.text)]
        return AskAnswer(
            answer_markdown="\n".join(md),
            intent=intent,  # type: ignore[arg-type]
            mode="grounded",
            clause_type=d.clause_type,
            decision=decision,  # type: ignore[arg-type]
            approvals=approvals,
            fallbacks=fallbacks,
            clauses=[used],
            # The values asked for are reported even when no position allows them.
            parameters=self._params_out(self._types()[d.clause_type], pos, values, sources)
            if pos.clause_type == d.clause_type
            else [],
            citations=[self._cite(pos), *citations],
            warnings=warnings,
        )

    def _guard_pasted(
        self, parsed: Parsed, info: TypeInfo, deal: DealContext, d: Decision, m: Any
    ) -> Decision:
        """A "yes" on pasted wording passes the same guard as a rep's request: read as what
        the guidance rules out, it is not a yes. The clause is read whole (its values are
        the review's, so no other reading of them)."""
        text = parsed.pasted or ""
        values = {p.name: p.value for p in m.parameters if p.value is not None}
        facts = {
            k: f
            for k, f in self.review.facts(text, analyze(text)).items()
            if f.value not in (None, False)
        }
        deal_d = deal.model_dump(exclude_none=True)
        forever = {n: v for n, v in _forever(text, info).items() if n not in values}
        if forever:
            # A duration the clause leaves open-ended is read as the question's would be.
            values |= forever
            d, _ = self._decision(info, values, facts, deal_d)
            if d.answer != "yes":
                return d
        # Other types' rules are asked only of what the clause says in so many words (the
        # cue readings: "liability ... shall be unlimited"): a clause mentions other clauses'
        # matters in passing ("except for indemnification obligations"); the review judges
        # those where they are written.
        facts |= cue_facts(text)
        clause = parsed.model_copy(update={"topic": text, "quantities": []})
        ranked = self._ranked(text, info)
        guarded, _ = guard(self._decision, clause, info, values, facts, deal_d, d, [], ranked, {})
        if guarded.answer == "yes":
            _, others = self._decision(info, values, facts, deal_d)
            blocker = next((o for o in others if o.outcome == "outside"), None)
            if blocker is not None:
                return blocker
        return guarded

    def _compare(self, parsed: Parsed, info: TypeInfo, deal: DealContext) -> AskAnswer:
        """Customer wording: the review of that passage as a clause of the type, and the
        answer rendered from the same playbook decision the review's flags come from."""
        assert parsed.pasted is not None
        out = self.review.review_text(parsed.pasted, info.type)
        d, m = out.decision, out.match
        # reviewed as the type given, so never left untyped
        assert d is not None and m is not None
        positions = {_pid(p): p for p in info.positions}
        closest = positions.get(m.position_id or "standard", info.positions[0])
        if d.answer == "yes":
            d = self._guard_pasted(parsed, info, deal, d, m)
        decision = d.answer
        fallbacks: list[FallbackOut] = []
        approvers = d.approvers if decision == "approval" else []
        if decision == "yes":
            head = (
                "**Yes.** This is our standard language."
                if m.classification == "standard"
                else "**Yes.** The wording differs from ours but in substance it is our "
                "standard position; check the redline for anything you would rather not accept."
            )
            propose = closest
        elif decision == "approval":
            assert d.position is not None
            propose = positions.get(d.position.id, closest)
            head = (
                f"**Yes, with approval by {who(approvers)}.** It matches the approved fallback "
                f"'{propose.title}'. {d.position.note}"
            )
        else:
            why = [
                f"- {r.message}"
                for r in d.reasons
                if r.kind in ("rule", "range", "missing", "guidance")
            ]
            head = "\n".join(
                ["**No, not as written.**", "", "Why it is outside our approved positions:", *why]
            )
            if d.approvers:
                head += f"\n\nIf the deal depends on it, escalate to {who(d.approvers)}."
            lines, fallbacks = self._fallback_offer(d)
            if lines:
                head += "\n\nApproved fallbacks you can offer instead:\n" + "\n".join(lines)
            propose = (
                positions.get(d.nearest.id if d.nearest else "standard", closest)
                if d.clause_type == info.type
                else closest
            )
        used = self._used(info, propose, {})
        redline = " ".join(
            o.text
            if o.op == "equal"
            else (f"~~{o.text}~~" if o.op == "delete" else f"**{o.text}**")
            for o in m.redline
        )
        md = [head, "", f"Redline against '{closest.title}' (~~ours~~, **theirs**):", "", redline]
        if decision != "yes":
            md += ["", "Propose instead:", "", _quote(used.text)]
        return AskAnswer(
            answer_markdown="\n".join(md),
            intent="compare",
            mode="grounded",
            clause_type=info.type,
            decision=decision,
            approvals=[
                ApprovalOut(
                    approvers=approvers,
                    reason=(d.position.note or d.position.title) if d.position else closest.title,
                )
            ]
            if decision == "approval"
            else [],
            fallbacks=fallbacks,
            clauses=[used],
            parameters=[
                ParameterOut(
                    name=p.name,
                    clause_type=info.type,
                    value=p.value,
                    source="question",
                    within_standard=p.within,
                    allowed=p.allowed,
                )
                for p in m.parameters
                if p.value is not None
            ],
            citations=[self._cite(closest)],
        )

    def _contract(
        self, parsed: Parsed, info: TypeInfo, deal: DealContext, named: Sequence[str] = ()
    ) -> AskAnswer:
        base = AskAnswer(
            answer_markdown="",
            intent="contract_question",
            mode="grounded",
            clause_type=info.type,
            decision=None,
        )
        if self.archive is None or not named:
            base.answer_markdown = (
                "I could not find that contract in the archive. Upload it (or check the "
                "customer's name) and ask again."
            )
            base.warnings.append("no contract in the archive matches the question")
            return base
        res = self.archive.search(ArchiveSearch(query=parsed.question[:2000], top_k=3))
        hits = [h for h in res.hits if h.contract_id in named] or res.hits
        # The clause of the type asked about first ("renew" -> the renewal clause, not the
        # price increase that mentions renewals); the search's order otherwise.
        wanted = {info.type, *info.positions[0].cuad_categories}
        hits.sort(key=lambda h: not (wanted & set(h.clause_types)))
        if not hits:
            base.answer_markdown = (
                "The contract is in the archive but I found no clause about this."
            )
            return base
        top = hits[0]
        summary = (
            self.archive.summary(top.contract_id) if hasattr(self.archive, "summary") else None
        )
        facts = _summary_facts(summary, info.type) if summary is not None else []
        md = [
            f"From **{top.contract_title}**" + (f" (page {top.page})" if top.page else "") + ":",
            "",
        ]
        md += [f"- {f}" for f in facts]
        md += ["", _quote(top.text)]
        base.answer_markdown = "\n".join(md)
        base.contracts = [top.contract_id]
        base.citations = [
            Citation(
                kind="contract",
                ref=h.contract_id,
                title=h.contract_title,
                text=h.text,
                start=h.start,
                end=h.end,
                page=h.page,
            )
            for h in hits
        ]
        return base

    # -- the optional LLM

    def _phrase(self, question: str, answer: AskAnswer) -> AskAnswer:
        if self.llm is None or answer.clause_type is None:
            return answer
        facts = GroundedFacts(
            question=question,
            intent=answer.intent,
            decision=answer.decision,
            approvers=[a for ap in answer.approvals for a in ap.approvers],
            clauses=[
                ApprovedClause(
                    clause_type=c.type, position_id=c.position_id, title=c.title, text=c.text
                )
                for c in answer.clauses
            ],
            parameters=[
                ParameterFact(name=p.name, value=p.value, source=p.source)
                for p in answer.parameters
                if isinstance(p.value, str | int | float | bool)
            ],
            markdown=answer.answer_markdown,
        )
        result = self.llm.phrase(question, facts)
        if not result.ok:
            answer.warnings.append(f"LLM answer not used, grounded answer given ({result.error})")
            return answer
        answer.answer_markdown = result.markdown
        answer.mode = "llm"
        answer.warnings.extend(result.warnings)
        return answer


def contract_summary(session: Any, contract_id: str) -> Any:
    return _row_summary(get_row(session, contract_id))


def _summary_facts(summary: Any, clause_type: str) -> list[str]:
    """The extracted terms that answer questions about a clause type, in words."""
    wanted = {
        "term_and_renewal": [
            "expiration_date",
            "auto_renewal",
            "renewal_notice_days",
            "notice_deadline",
        ],
        "governing_law": ["governing_law"],
        "payment_terms": ["payment_net_days"],
        "price_escalation": ["expiration_date"],
    }.get(clause_type, [])
    out = []
    for name in wanted:
        v = getattr(summary, name, None)
        if v is not None:
            out.append(f"{name.replace('_', ' ')}: **{v}**")
    return out


_PERPETUAL = re.compile(
    r"\b(?:forever|indefinite(?:ly)?|perpetual(?:ly)?|in perpetuity|never (?:expire|end)s?|"
    r"no (?:end date|expiry|expiration|time limit))\b",
    re.I,
)
_LASTS = re.compile(r"\b(?:continue|survive|last|remain)s?\b", re.I)
# "Forever" as a duration: beyond any range a playbook approves.
FOREVER = {"years": 99, "months": 99 * 12}


def _forever(text: str, info: TypeInfo) -> dict[str, int]:
    """The type's how-long-it-lasts parameters, unbounded, where the words say "forever"
    or "no end date"."""
    if not _PERPETUAL.search(text):
        return {}
    return {
        n: FOREVER[spec.kind.value]
        for n, spec in merged_parameters(info.positions).items()
        if spec.kind.value in FOREVER and _LASTS.search(spec.description or "")
    }


_NEGATED = re.compile(r"\b(?:no|without|remove|strike|delete|drop|refuse|reject|won'?t)\b", re.I)


def _has_words(text: str) -> bool:
    """At least one word of the library's language: not only spaces, numbers or symbols."""
    return bool(re.search(r"[A-Za-z]{2,}", text))


def _trips(info: TypeInfo, rule: Any, facts: dict[str, Fact]) -> bool:
    """Whether the facts meet every condition a substance rule sets on what words commit to."""
    terms = [c for c in rule.when if c.field.startswith("term.")]
    return (
        bool(terms) and rule_kind(info, rule) == "substance" and all(holds(c, facts) for c in terms)
    )


def _presence_rule(info: TypeInfo) -> Any:
    """The rule that fires on the mere presence of what the type's standard leaves out
    (`mfn.present`, `exclusivity.present`...): its standard is the clause's absence."""
    for r in info.rules:
        terms = [c for c in r.when if c.field.startswith("term.")]
        if r.id.endswith(".present") and len(terms) == 1 and terms[0].value is True:
            return r
    return None
