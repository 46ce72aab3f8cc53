"""Matching a contract clause against approved text: alignment, parameters, redline.

The approved templates keep their `{{placeholders}}`, so one word alignment between the
template and the contract's clause gives three things at once: the words that changed
(the redline and the deviation score), and the contract's words standing where each
parameter stands in the template (its value, compared as a value against the range).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from pydantic import BaseModel, Field

from clause_index import Clause, Parameter
from clause_index.schema import PLACEHOLDER
from playbook.params import describe_range, parse_value, within
from playbook.types import Classification, ParamValue, RedlineOp

_TOKEN = re.compile(
    r"\{\{\s*[a-z][a-z0-9_]*\s*\}\}|[A-Za-z0-9$€£%]+(?:[.,'’\-][A-Za-z0-9%]+)*|[^\sA-Za-z0-9]"
)
# Changes to these alone never make a deviation: punctuation, articles and the words a
# parameter's value carries with it ("sixty (60) days" for "60 days").
_TRIVIAL = {"a", "an", "the", ",", ".", ";", ":", "(", ")", '"', "'", "“", "”", "’", "-"}
_VALUE_WORDS = {
    "percent", "%", "per", "cent", "days", "day", "months", "month", "years", "year", "times",
    "x", "$", "usd", "eur", "gbp", "dollars", "dollar", "time", "us", "(", ")", "state", "of",
    "calendar",
}  # fmt: skip
_UNITS = {"day", "days", "week", "weeks", "month", "months", "year", "years"}


# Other companies' paper names the parties and spells common words its own way: "the Supplier
# shall provide the Services to the Client" says what "Vendor will provide the Service to
# Customer" says. Aligned as the same word, such changes neither count as changes nor mark
# the words around them as changed (a fact read there would be judged as a departure).
# "Company" is left alone: it names the vendor in some contracts and the customer in others.
_SAME_WORD = {
    "supplier": "vendor", "provider": "vendor", "licensor": "vendor", "contractor": "vendor",
    "seller": "vendor", "client": "customer", "licensee": "customer", "subscriber": "customer",
    "buyer": "customer", "purchaser": "customer", "shall": "will", "herein": "hereunder",
    "save": "except",
    "favourable": "favorable", "favour": "favor", "defence": "defense", "licence": "license",
    "organisation": "organization", "authorised": "authorized", "authorise": "authorize",
    "recognised": "recognized", "minimise": "minimize", "utilise": "utilize",
    "behaviour": "behavior", "honour": "honor", "programme": "program",
}  # fmt: skip


def same_word(word: str) -> str:
    """The word as our approved text would say it (`_SAME_WORD`), plurals as singulars."""
    base, poss = (word[:-2], word[-2:]) if word.endswith(("'s", "s'")) else (word, "")
    base = _SAME_WORD.get(base, base)
    if len(base) > 4 and base.endswith("s") and not base.endswith(("ss", "us", "is")):
        base = base[:-1]  # "Services" for "Service", "fees" stay (too short to tell)
    return base + ("'s" if poss else "")


@dataclass(frozen=True)
class _Tok:
    norm: str
    start: int
    end: int
    param: str | None = None


def _tokens(text: str, same: bool = True) -> list[_Tok]:
    """Tokens, as our text would say them (`same_word`) unless `same` is off (the redline shows
    the words as written)."""
    out: list[_Tok] = []
    for m in _TOKEN.finditer(text):
        raw = m.group(0)
        ph = PLACEHOLDER.fullmatch(raw)
        if ph:
            out.append(_Tok("\x00" + ph.group(1), m.start(), m.end(), ph.group(1)))
        else:
            low = raw.lower().replace("’", "'")
            out.append(_Tok(same_word(low) if same else low, m.start(), m.end()))
    return out


class Alignment(BaseModel):
    position_id: str
    similarity: float = Field(ge=0, le=1)  # wording only, parameters excluded
    changes: int  # substantive words inserted or deleted
    parameters: list[ParamValue]
    # Offsets in the clause of wording (not values) that differs from the approved text; a
    # deletion is a zero-width span where the words were removed.
    changed: list[tuple[int, int]] = Field(default_factory=list)


def align(template: str, params: dict[str, Parameter], text: str, position_id: str) -> Alignment:
    """Align one approved template with a contract clause."""
    tt, ct = _tokens(template), _tokens(text)
    sm = SequenceMatcher(None, [t.norm for t in tt], [t.norm for t in ct], autojunk=False)
    equal = changes = 0
    found: dict[str, list[ParamValue]] = {}  # one value per place the template names it
    changed: list[tuple[int, int]] = []
    value_tokens = 0
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            equal += i2 - i1
            continue
        block = tt[i1:i2]
        names = [t.param for t in block if t.param]
        if names:
            # The contract's words in this block stand for the parameter(s).
            value_tokens += j2 - j1
            span = text[ct[j1].start : ct[j2 - 1].end] if j2 > j1 else ""
            for name in names:
                spec = params.get(name)
                if spec is None:
                    continue
                # The unit the contract gives right after the words ("forty-five (45)" then
                # "days'") tells which of two parameters in one block they stand for.
                unit = ct[j2].norm if j2 < len(ct) and ct[j2].norm in _UNITS else ""
                value = parse_value(spec.kind, f"{span} {unit}".strip()) if span else None
                found.setdefault(name, []).append(
                    ParamValue(
                        name=name,
                        value=value,
                        text=span,
                        start=ct[j1].start if j2 > j1 else None,
                        end=ct[j2 - 1].end if j2 > j1 else None,
                        within=within(spec, value),
                        allowed=describe_range(spec),
                    )
                )
            changes += sum(
                1 for t in block if not t.param and t.norm not in _TRIVIAL | _VALUE_WORDS
            )
            continue
        n = sum(1 for t in block if t.norm not in _TRIVIAL)
        n += sum(1 for t in ct[j1:j2] if t.norm not in _TRIVIAL)
        if n:
            changes += n
            if j2 > j1:
                changed.append((ct[j1].start, ct[j2 - 1].end))
            else:
                at = ct[j1].start if j1 < len(ct) else len(text)
                changed.append((at, at))
    words_t = sum(1 for t in tt if not t.param)
    words_c = max(len(ct) - value_tokens, 0)
    similarity = 2 * equal / (words_t + words_c) if words_t + words_c else 0.0
    for name in PLACEHOLDER.findall(template):
        if name not in found and name in params:
            # The placeholder sat in an equal run only if the contract repeated "{{name}}".
            found[name] = [
                ParamValue(
                    name=name,
                    value=None,
                    text="",
                    within=None,
                    allowed=describe_range(params[name]),
                )
            ]
    return Alignment(
        position_id=position_id,
        similarity=round(min(similarity, 1.0), 4),
        changes=changes,
        parameters=[p for ps in found.values() for p in ps],
        changed=changed,
    )


def redline(approved: str, text: str) -> list[RedlineOp]:
    """Word-level insertions and deletions turning the approved text into the contract's."""
    at, ct = _tokens(approved, same=False), _tokens(text, same=False)
    sm = SequenceMatcher(None, [t.norm for t in at], [t.norm for t in ct], autojunk=False)
    ops: list[RedlineOp] = []

    def add(op: str, s: str) -> None:
        if not s:
            return
        if ops and ops[-1].op == op:
            ops[-1] = RedlineOp(op=ops[-1].op, text=ops[-1].text + " " + s)
        else:
            ops.append(RedlineOp.model_validate({"op": op, "text": s}))

    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            add("equal", text[ct[j1].start : ct[j2 - 1].end])
            continue
        if i2 > i1:
            add("delete", approved[at[i1].start : at[i2 - 1].end])
        if j2 > j1:
            add("insert", text[ct[j1].start : ct[j2 - 1].end])
    return ops


class ClauseMatch(BaseModel):
    """How one contract clause compares with the library's approved positions of its type."""

    clause_type: str
    classification: Classification
    position_id: str | None  # the closest approved position
    position_kind: str | None
    position_title: str | None
    clause_id: str | None  # the library clause (position) compared
    version: int | None
    similarity: float
    deviation_score: float = Field(ge=0, le=1)
    changes: int
    parameters: list[ParamValue]
    approved_text: str
    redline: list[RedlineOp]
    changed: list[tuple[int, int]] = Field(default_factory=list, exclude=True)


_HEAD = re.compile(
    r"^\s*(?:(?:section|article)\s+)?(?:\d+(?:\.\d+)*\.?|\([a-z0-9]+\)|[ivx]+\.)?\s*", re.I
)


_CAPS_LINE = re.compile(r"[^a-z\n]{3,120}\n\s*(?=\S)")
_RUN_IN = re.compile(r"([A-Z][A-Za-z'’&/,\- ]{0,60}?)[.:]\s+(?=[A-Z\"“(])")


def clause_body(text: str, heading: str | None) -> tuple[str, int]:
    """The clause without its number and heading, and the offset where the body starts."""
    m = _HEAD.match(text)
    i = m.end() if m else 0
    caps = _CAPS_LINE.match(text, i)
    if caps and not heading:
        # A heading in capitals on its own line ("99.5% AVAILABILITY WITH CAPPED SERVICE
        # CREDITS"): a title, not words added to the clause.
        return text[caps.end() :], caps.end()
    run_in = _RUN_IN.match(text, i)
    if not heading and run_in and len(run_in.group(1).split()) <= 6:
        # A run-in heading ("Audit rights. Vendor may ...") the segmenter did not name.
        return text[run_in.end() :], run_in.end()
    if heading:
        h = heading.strip().rstrip(".:")
        if text[i:].lower().startswith(h.lower()):
            i += len(h)
            while i < len(text) and text[i] in " .:-—–\t\n":
                i += 1
    return text[i:], i


def match_clause(text: str, positions: list[Clause], clause_type: str) -> ClauseMatch:
    """Compare `text` with every approved position of one type and classify it."""
    best: tuple[Alignment, Clause] | None = None
    for pos in sorted(positions, key=lambda c: c.rank):
        a = align(pos.template, pos.parameters, text, pos.id)
        if best is None or (a.changes, -a.similarity) < (best[0].changes, -best[0].similarity):
            best = (a, pos)
    if best is None:
        raise ValueError(f"no approved positions for {clause_type}")
    a, pos = best
    in_range = all(p.within for p in a.parameters)
    classification: Classification
    if a.changes == 0 and in_range:
        classification = "fallback" if pos.position.value == "fallback" else "standard"
    else:
        classification = "deviation"
    score = 1.0 - a.similarity
    if not in_range:
        score = max(score, 0.5)
    return ClauseMatch(
        clause_type=clause_type,
        classification=classification,
        position_id=pos.id.split(".", 1)[-1],
        position_kind=pos.position.value,
        position_title=pos.title,
        clause_id=pos.id,
        version=pos.version,
        similarity=a.similarity,
        deviation_score=round(min(max(score, 0.0), 1.0), 4),
        changes=a.changes,
        parameters=a.parameters,
        approved_text=pos.text,
        redline=redline(pos.text, text),
        changed=a.changed,
    )
