"""The drafting assistant: a rep's question in, approved language and a decision out.

Grounded (always): parse the question (spaCy rule components), find the clause type (the
library's hybrid search, which knows how people name clauses), assign the question's values to
the type's parameters, judge them against the approved positions, and compose the answer from
library text only. With an LLM configured, the model rewords that answer (guarded: approved
text must stay verbatim, the decision must not change) and reads questions the rules cannot.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from clause_index import Clause, Library, SearchRequest, cuad_type_map, render
from clause_index.library import format_value
from clause_index.schema import PLACEHOLDER
from drafting.entities import (
    ApprovalOut,
    AskAnswer,
    AskRequest,
    Citation,
    DealContext,
    ParameterOut,
    UsedClause,
)
from drafting.llm import ApprovedClause, GroundedFacts, LlmClient, ParameterFact
from drafting.understand import Parsed, jurisdictions, parse, quantities
from drafting.values import assign, merged_parameters, position_for
from extraction import Archive, ArchiveSearch, analyze
from extraction.service import get_row
from extraction.service import summary as _row_summary
from retrieval import Embedder
from review import ReviewService, fires
from review.engine import TypeInfo
from review.params import describe_range, within

log = logging.getLogger(__name__)

# Cosine (all-MiniLM-L6-v2) between customer wording and our approved texts: at or above
# PARAPHRASE_MIN it restates one of them; below RELATED_MIN it matches none.
PARAPHRASE_MIN = 0.85
RELATED_MIN = 0.65

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
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], Any] = {}
        self._cache_key: tuple[tuple[str, int], ...] | None = None

    # -- the library as the assistant sees it

    def _types(self) -> dict[str, TypeInfo]:
        return self.library.read(lambda s: self.review.snapshot(s).types)

    def _cached(self, kind: str, info: TypeInfo, build: Callable[[TypeInfo], Any]) -> Any:
        """Per clause type and library version: computed once, dropped when the library
        changes."""
        with self.library.db.session() as s:
            key = self.review.snapshot(s).key
        with self._lock:
            if self._cache_key != key:
                self._cache, self._cache_key = {}, key
            hit = self._cache.get((kind, info.type))
        if hit is None:
            hit = build(info)
            with self._lock:
                if self._cache_key == key:
                    self._cache[(kind, info.type)] = hit
        return hit

    def _approved_texts(self, info: TypeInfo) -> tuple[list[Clause], Any, set[str]]:
        """Embeddings of each approved position's text, and the rules that fire on approved
        text itself (a detector reading our own carve-outs as "uncapped" cannot be used to
        reject a paraphrase of them)."""

        def build(info: TypeInfo) -> tuple[list[Clause], Any, set[str]]:
            texts = [p.text for p in info.positions]
            on_ours: set[str] = set()
            for text in texts:
                facts = self.review.facts(text, analyze(text))
                on_ours |= {r.id for r in info.rules if fires(r, facts)}
            return info.positions, self.embedder.embed(texts), on_ours

        result: tuple[list[Clause], Any, set[str]] = self._cached("approved", info, build)
        return result

    def _concessions(self, info: TypeInfo) -> tuple[list[tuple[str, Any]], Any]:
        """Embeddings of what each position offers and what each rule forbids."""

        def build(info: TypeInfo) -> tuple[list[tuple[str, Any]], Any]:
            items: list[tuple[str, Any]] = []
            texts: list[str] = []
            for p in info.positions:
                items.append(("position", p))
                texts.append(f"{p.title}. {p.when_to_use or ''}")
            for r in info.rules:
                if any(c.field.startswith("term.") for c in r.when):
                    items.append(("rule", r))
                    texts.append(r.description)
            return items, self.embedder.embed(texts)

        result: tuple[list[tuple[str, Any]], Any] = self._cached("concessions", info, build)
        return result

    def warm(self, stop: threading.Event | None = None) -> None:
        """Build the caches for every clause type before the first question pays for them;
        `stop` ends it early (the service is shutting down)."""
        for info in self._types().values():
            if stop is not None and stop.is_set():
                return
            self._approved_texts(info)
            self._concessions(info)

    # -- entry point

    def ask(self, req: AskRequest) -> AskAnswer:
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
            return AskAnswer(
                answer_markdown=(
                    "I could not tell which clause this is about. Name the clause (for example "
                    "*limitation of liability*, *payment terms*, *auto-renewal*) and, if you "
                    "have them, the values you need."
                ),
                intent=parsed.intent,
                mode="grounded",
                clause_type=None,
                decision=None,
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

    def _clause_type(self, parsed: Parsed, types: dict[str, TypeInfo]) -> str | None:
        if parsed.intent == "compare" and parsed.pasted:
            return self._pasted_type(parsed.pasted)
        hits = self.library.search(SearchRequest(query=parsed.topic, top_k=3))
        return hits[0].clause_type if hits else None

    def _pasted_type(self, text: str) -> str:
        """Customer wording's clause type: closeness to our approved texts (tf-idf), the
        library's hybrid search (which knows the words for each type), and the clause
        classifier's labels, each a vote."""
        with self.library.db.session() as s:
            snap = self.review.snapshot(s)
            cuad = cuad_type_map(s)
        names = sorted(snap.types)
        lex = snap.lexical([text])[0]
        score = {t: float(lex[k]) for k, t in enumerate(names)}
        for r, h in enumerate(self.library.search(SearchRequest(query=text[:2000], top_k=5))):
            score[h.clause_type] = score.get(h.clause_type, 0.0) + 0.3 / (1 + r)
        for seg in analyze(text, type_map=cuad).segment_types:
            for st in seg:
                if st.type in score:
                    score[st.type] += 0.2 * st.confidence
        return max(score, key=lambda t: score[t])

    # -- intents

    def _values(
        self, parsed: Parsed, info: TypeInfo, deal: DealContext
    ) -> tuple[dict[str, Any], dict[str, str]]:
        std = info.positions[0]
        found = assign(
            parsed.quantities,
            parsed.jurisdictions,
            merged_parameters(info.positions),
            parsed.topic,
            frozenset(PLACEHOLDER.findall(std.template)),
        )
        values = {n: v for n, (v, _) in found.items()}
        sources = {n: "question" for n in found}
        if deal.governing_law:
            for n, spec in std.parameters.items():
                if spec.kind.value == "jurisdiction" and n not in values:
                    from review.params import parse_value

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

    def _judge(
        self, info: TypeInfo, values: dict[str, Any]
    ) -> tuple[str, Clause, Clause | None, list[str], str]:
        """(decision, position to use, the fitting position or None, approvers, reason)."""
        fit, nearest = position_for(info.positions, values)
        if fit is not None and fit.position.value == "standard":
            return "yes", fit, fit, [], "within our standard position"
        if fit is not None:
            approvers = [a.value for a in fit.approval.approvers] if fit.approval else ["legal"]
            note = " ".join(fit.approval.note.split()) if fit.approval else ""
            return "approval", fit, fit, approvers, note or f"the approved fallback '{fit.title}'"
        return "no", nearest, None, [], "outside every approved position"

    def _concession(self, text: str, info: TypeInfo) -> tuple[str, Clause | None, Any]:
        """For a request without values: the position (or the rule against it) it is closest
        to: standard -> yes, a fallback -> approval, only a rule -> no."""
        items, vecs = self._concessions(info)
        q = self.embedder.embed_query(text)
        sims = np.asarray(vecs) @ np.asarray(q)
        kind, item = items[int(np.argmax(sims))]
        if kind == "rule":
            return "no", None, item
        pos: Clause = item
        return ("yes" if pos.position.value == "standard" else "approval"), pos, None

    def _can_i(self, parsed: Parsed, info: TypeInfo, deal: DealContext) -> AskAnswer:
        values, sources = self._values(parsed, info, deal)
        asked = {n: v for n, v in values.items() if sources.get(n) == "question"}
        if not asked:
            return self._concession_answer(parsed, info, deal, values, sources)
        decision, pos, fit, approvers, reason = self._judge(info, values)
        return self._decided(
            parsed, info, values, sources, decision, pos, fit, approvers, reason, "can_i"
        )

    def _draft(self, parsed: Parsed, info: TypeInfo, deal: DealContext) -> AskAnswer:
        values, sources = self._values(parsed, info, deal)
        if not values:
            ans = self._find(parsed, info, deal)
            ans.intent = "draft"
            return ans
        decision, pos, fit, approvers, reason = self._judge(info, values)
        return self._decided(
            parsed, info, values, sources, decision, pos, fit, approvers, reason, "draft"
        )

    def _decided(
        self,
        parsed: Parsed,
        info: TypeInfo,
        values: dict[str, Any],
        sources: dict[str, str],
        decision: str,
        pos: Clause,
        fit: Clause | None,
        approvers: list[str],
        reason: str,
        intent: str,
    ) -> AskAnswer:
        std = info.positions[0]
        parts = []
        for n, v in values.items():
            shown = format_value(std.parameters[n], v) if n in std.parameters else str(v)
            parts.append(f"{n.replace('_', ' ')} {shown}")
        asked = ", ".join(parts)
        if decision == "yes":
            head = (
                f"**Yes.** {asked[:1].upper() + asked[1:]} is within our standard position for "
                f"{info.name.lower()}; no approval needed."
            )
        elif decision == "approval":
            head = (
                f"**Yes, with approval by {who(approvers)}.** {asked[:1].upper() + asked[1:]} is "
                f"outside our standard position but within the approved fallback "
                f"'{pos.title}'. {reason}"
            )
        else:
            ranges = "; ".join(
                f"{n.replace('_', ' ')}: standard {describe_range(std.parameters[n])}"
                for n in values
                if n in std.parameters
            )
            head = (
                f"**No.** {asked[:1].upper() + asked[1:]} is outside every approved position for "
                f"{info.name.lower()} ({ranges}). The nearest approved position is "
                f"'{pos.title}'"
                + (
                    f", which needs approval by {who([a.value for a in pos.approval.approvers])}."
                    if pos.approval
                    else "."
                )
            )
        fill = values if fit is not None else {}
        used = self._used(info, pos, fill)
        lead = (
            "Approved language with your values:"
            if fit is not None
            else "Nearest approved language (with its own values):"
        )
        md = [head, "", lead, "", _quote(used.text)]
        approvals = (
            [ApprovalOut(approvers=approvers, reason=reason)] if decision == "approval" else []
        )
        if decision == "no" and pos.approval:
            approvals = []
        warnings = []
        if decision == "no":
            warnings.append("requested values are outside every approved position")
        return AskAnswer(
            answer_markdown="\n".join(md),
            intent=intent,  # type: ignore[arg-type]
            mode="grounded",
            clause_type=info.type,
            decision=decision,  # type: ignore[arg-type]
            approvals=approvals,
            clauses=[used],
            # The values asked for are reported even when no position allows them.
            parameters=self._params_out(info, pos, values, sources),
            citations=[self._cite(pos)],
            warnings=warnings,
        )

    def _concession_answer(
        self,
        parsed: Parsed,
        info: TypeInfo,
        deal: DealContext,
        values: dict[str, Any],
        sources: dict[str, str],
    ) -> AskAnswer:
        decision, pos, rule = self._concession(parsed.topic, info)
        std = info.positions[0]
        if rule is not None:
            md = [
                f"**No.** That is outside our approved positions for {info.name.lower()}: "
                f"{rule.description} {' '.join(rule.message.split())} "
                f"If the deal depends on it, escalate to {who([rule.approver.value])}.",
                "",
                "Our standard language:",
                "",
                _quote(self._used(info, std, {}).text),
            ]
            return AskAnswer(
                answer_markdown="\n".join(md),
                intent="can_i",
                mode="grounded",
                clause_type=info.type,
                decision="no",
                clauses=[self._used(info, std, {})],
                citations=[
                    self._cite(std),
                    Citation(kind="rule", ref=rule.id, title=rule.description, text=rule.message),
                ],
                parameters=self._params_out(info, std, values, sources),
            )
        assert pos is not None
        if decision == "yes":
            head = (
                f"**Yes.** That is our standard position for {info.name.lower()}; "
                "no approval needed."
            )
            approvals: list[ApprovalOut] = []
        else:
            approvers = [a.value for a in pos.approval.approvers] if pos.approval else ["legal"]
            note = " ".join(pos.approval.note.split()) if pos.approval else ""
            head = (
                f"**Yes, with approval by {who(approvers)}.** That is the approved fallback "
                f"'{pos.title}'. {note}"
            )
            approvals = [ApprovalOut(approvers=approvers, reason=note or pos.title)]
        used = self._used(info, pos, {})
        return AskAnswer(
            answer_markdown="\n".join([head, "", "Approved language:", "", _quote(used.text)]),
            intent="can_i",
            mode="grounded",
            clause_type=info.type,
            decision=decision,  # type: ignore[arg-type]
            approvals=approvals,
            clauses=[used],
            parameters=self._params_out(info, pos, values, sources),
            citations=[self._cite(pos)],
        )

    def _compare(self, parsed: Parsed, info: TypeInfo, deal: DealContext) -> AskAnswer:
        assert parsed.pasted is not None
        out = self.review.review_text(parsed.pasted, info.type)
        m = out.match
        assert m is not None  # reviewed as the type given, never left untyped
        positions = {_pid(p): p for p in info.positions}
        closest = positions.get(m.position_id or "standard", info.positions[0])
        if out.verdict == "standard":
            decision, approvers, head = "yes", [], "**Yes.** This is our standard language."
        elif out.verdict == "approved_fallback":
            approvers = out.approvers
            decision = "approval"
            head = (
                f"**Yes, with approval by {who(approvers)}.** This matches the approved fallback "
                f"'{closest.title}'."
            )
        else:
            decision, approvers, head = self._substance(parsed.pasted, info, m, out.flags)
            reasons = [f"- {f.message}" for f in out.flags]
            head = "\n".join([head, "", "What differs from our approved language:", *reasons])
        proposal = next((f.proposed for f in out.flags if f.proposed), None)
        propose_pos = positions.get(proposal.position_id) if proposal else closest
        used = self._used(info, propose_pos or closest, {})
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
            decision=decision,  # type: ignore[arg-type]
            approvals=[
                ApprovalOut(
                    approvers=approvers,
                    reason="; ".join(f.rule_id for f in out.flags) or closest.title,
                )
            ]
            if decision == "approval"
            else [],
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

    def _substance(
        self, text: str, info: TypeInfo, m: Any, flags: Sequence[Any]
    ) -> tuple[str, list[str], str]:
        """Customer wording that is not ours word for word, judged on substance: a playbook
        rule on what it says (one-sided, uncapped, perpetual...) -> no; its values outside
        every approved position -> no; values that need a fallback -> that fallback's
        approval; otherwise the approved position (or forbidden concession) it reads closest to.
        """
        rules = {r.id: r for r in info.rules}
        positions, vecs, on_ours = self._approved_texts(info)
        sims = np.asarray(vecs) @ np.asarray(self.embedder.embed_query(text))
        # Only a close paraphrase of approved text is excused the rules that misread ours.
        excused = on_ours if float(sims.max()) >= PARAPHRASE_MIN else set()
        # Rules on what the wording commits to (one-sided, perpetual, uncapped...) decide
        # here; rules comparing numbers mirror the positions' ranges, which the values judge.
        on_terms = [
            f
            for f in flags
            if f.rule_id in rules
            and f.rule_id not in excused
            and any(c.field.startswith("term.") for c in rules[f.rule_id].when)
            and not any(c.op.value in ("lt", "lte", "gt", "gte") for c in rules[f.rule_id].when)
        ]
        if on_terms:
            return "no", [], "**No, not as written.** " + on_terms[0].message
        std = info.positions[0]
        if m.similarity >= 0.9:  # our own wording: the alignment reads the values exactly
            values = {p.name: p.value for p in m.parameters if p.value is not None}
        else:
            found = assign(
                quantities(text),
                jurisdictions(text),
                merged_parameters(info.positions),
                text,
                frozenset(PLACEHOLDER.findall(std.template)),
            )
            values = {n: v for n, (v, _) in found.items()}
        if values:
            fit, nearest = position_for(info.positions, values)
            if fit is None:
                return (
                    "no",
                    [],
                    f"**No, not as written.** Its values are outside every approved position; "
                    f"the nearest is '{nearest.title}'.",
                )
            if fit.position.value == "fallback":
                approvers = [a.value for a in fit.approval.approvers] if fit.approval else ["legal"]
                return (
                    "approval",
                    approvers,
                    f"**Only with approval by {who(approvers)}.** Its values match the approved "
                    f"fallback '{fit.title}'.",
                )
            return (
                "yes",
                [],
                "**Yes.** The wording differs from ours but its values are within our standard "
                "position; check the redline for anything you would rather not accept.",
            )
        if float(sims.max()) < RELATED_MIN:
            return (
                "no",
                [],
                "**No, not as written.** It is not close to any approved position for this "
                "clause; propose our standard language.",
            )
        pos = positions[int(np.argmax(sims))]
        if pos.position.value == "standard":
            return (
                "yes",
                [],
                "**Yes.** The wording differs from ours but the substance matches our standard "
                "position; check the redline for anything you would rather not accept.",
            )
        approvers = [a.value for a in pos.approval.approvers] if pos.approval else ["legal"]
        return (
            "approval",
            approvers,
            f"**Only with approval by {who(approvers)}.** It reads like the approved fallback "
            f"'{pos.title}'.",
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
        res = self.archive.search(ArchiveSearch(query=parsed.question, top_k=3))
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
