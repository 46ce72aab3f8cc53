"""What a type's guidance rules out in words ("Never accept an indemnity for any breach",
"... is outside the playbook"), as statements a request can be matched against, and the
decision when a request is one of them.

Rules cover what a contract's words can be tested for; the guidance also names concessions
no rule tests (payment "on receipt of an approved invoice", the customer's own DPA in place
of ours). A request that is one of them is outside every approved position, like a request a
rule forbids: the answer is no, with the approved fallbacks and whom to escalate to.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from playbook.decision import Decision, Reason, position_out
from playbook.positions import TypeInfo
from playbook.routing import load_routing, route

# Sentences that rule something out. A sentence about a fallback ("obligations that never
# expire") is not one, nor the standard's own description ("payment is never excused" in
# "Our standard: ...").
# What the guidance sends up ("... go to legal") is outside every position too: no fallback
# covers it, so it needs an escalation, never a "yes".
_ESCALATED = r"go(?:es)?\s+to\s+(?:the\s+)?(?:legal|finance|security|executive)\b"
_RULES_OUT = re.compile(
    r"^never\b|\boutside the playbook\b|\bnever (?:acceptable|allowed)\b|\bis never\b"
    rf"|\b{_ESCALATED}",
    re.I,
)
_LEAD = re.compile(r"^(never\s+(?:accept|agree to|allow|give|grant|commit))\s+", re.I)
# "A, B or C is outside the playbook": a list of things ruled out before the verdict.
_VERDICT = re.compile(
    rf"\s+(?:(?:is|are)\s+(?:outside the playbook|never acceptable)\b|{_ESCALATED}).*$", re.I
)
_PREPOSITION = re.compile(r"^(?:for|with|on|of|in|to|at)\b", re.I)
# Who the guidance sends it to: "escalate to finance", "go to legal", "Legal approves".
_WHO = re.compile(
    r"\b(?:escalate(?:\s+\w+)?\s+to|go(?:es)?\s+to|needs?)\s+(?:the\s+)?"
    r"(legal|finance|security|executive|sales director)"
    r"|\b(legal|finance|security|the executive team|a sales director)\s+(?:must\s+)?approves?\b",
    re.I,
)
_APPROVERS = {
    "legal": "legal",
    "finance": "finance",
    "security": "security",
    "executive": "executive",
    "sales director": "sales_director",
}


class Statement(BaseModel):
    """One thing the guidance rules out, in its own words."""

    text: str
    sentence: str  # the whole sentence it comes from
    approvers: list[str]
    values: bool  # it names a number (a threshold the ranges and rules already test)


def _sentences(guidance: str) -> list[tuple[str, str]]:
    """(the bullet or paragraph, one of its sentences); markdown emphasis dropped."""
    blocks = re.split(r"\n\s*(?:-\s+|\n)", "\n" + guidance)
    out = []
    for b in blocks:
        b = " ".join(b.replace("**", "").split())
        if not b or b.lower().startswith(("fallback", "our standard")):
            continue
        out += [(b, s.strip()) for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", b) if s.strip()]
    return out


def _split(body: str) -> list[str]:
    """A list ("A, B, or C") at the top level of parentheses and quotes."""
    parts, depth, cur = [], 0, ""
    for i, ch in enumerate(body):
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0 and not body[i + 1 : i + 2].isdigit():  # not "10,000"
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [re.sub(r"^\s*(?:or|and)\s+", "", p).strip() for p in parts if p.strip()]


def _approvers(block: str) -> list[str]:
    found = []
    for m in _WHO.finditer(block):
        name = (m.group(1) or m.group(2)).lower().replace("the ", "").replace("a ", "")
        found.append(_APPROVERS[name.replace(" team", "")])
    return list(dict.fromkeys(found)) or ["legal"]


def _items(whole: str) -> list[str]:
    """Each thing a sentence rules out, in words that stand alone."""
    lead = _LEAD.match(whole)
    if lead:
        verb, body = lead.group(1), whole[lead.end() :]
        items = _split(body)
        head = re.split(r"\s+(?:for|with|on|of|in|to|at)\s+", items[0], maxsplit=1)[0]
        out = []
        for x in items:
            if x.lower().startswith("never"):
                out.append(x)
            elif verb.lower().endswith(" to") and x.lower().startswith("to "):
                out.append(f"{verb} {x[3:]}")
            elif _PREPOSITION.match(x):
                out.append(f"{verb} {head} {x}")  # "liquidated damages ... for data breaches"
            else:
                out.append(f"{verb} {x}")
        return out
    verdict = _VERDICT.search(whole)
    if verdict:
        tail = verdict.group(0).strip()
        return [f"{x} {tail}" for x in _split(whole[: verdict.start()]) if len(x.split()) >= 4]
    return []


@functools.lru_cache(maxsize=64)
def _statements(guidance: str) -> tuple[Statement, ...]:
    out: list[Statement] = []
    for block, s in _sentences(guidance):
        if not _RULES_OUT.search(s):
            continue
        whole = re.split(r"[:;]\s", s, maxsplit=1)[0].rstrip(".")
        approvers = _approvers(block)
        items = _items(whole)
        texts = [whole, *items] if len(items) > 1 else [whole]
        for t in dict.fromkeys(texts):
            out.append(
                Statement(text=t, sentence=s, approvers=approvers, values=bool(re.search(r"\d", t)))
            )
    return tuple(out)


def ruled_out(info: TypeInfo) -> list[Statement]:
    """The statements of the type's guidance that rule a concession out."""
    return list(_statements(info.positions[0].guidance or ""))


def guidance_decision(
    info: TypeInfo,
    statement: Statement,
    values: Mapping[str, Any] | None = None,
    deal: Mapping[str, Any] | None = None,
) -> Decision:
    """A request that is what the guidance rules out: outside, the standard the nearest
    approved position, every fallback on offer, escalated to whom the guidance names."""
    approvers = route(list(load_routing()), "high", statement.approvers, deal)
    return Decision(
        clause_type=info.type,
        clause_name=info.name,
        outcome="outside",
        severity="high",
        approvers=approvers,
        nearest=position_out(info.positions[0]),
        fallbacks=[position_out(p) for p in info.positions[1:]],
        reasons=[
            Reason(
                kind="guidance",
                severity="high",
                message=statement.sentence,
                description=statement.text,
                approvers=statement.approvers,
                propose="standard",
            )
        ],
        values=dict(values or {}),
    )
