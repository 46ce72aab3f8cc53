"""Checks on what the model wrote before a rep sees it.

Two promises the LLM path must keep, whatever the model (or a prompt injection) produces:

- Text presented as clause language (a markdown blockquote, a fenced block, a long quotation)
  is verbatim, up to whitespace and typography, one of the approved texts supplied. Anything
  else is labelled **Not approved language** in place and reported as a warning.
- The answer does not contradict the grounded decision: when the grounded answer says "no" or
  "only with approval", an answer that says yes (or that no approval is needed) is refused, and
  the caller falls back to the grounded answer.

`AnswerGuard` works line by line so the same checks run on a token stream: prose is released a
line at a time, a quote or fenced block only once it is closed and checked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel

Decision = Literal["yes", "approval", "no"]

NOT_APPROVED = "**Not approved language**"
NOT_APPROVED_NOTE = (
    f"{NOT_APPROVED} (not verbatim from the approved clause library; "
    "do not use it without Legal's review):"
)

_QUOTE_LINE = re.compile(r"^ {0,3}>")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A quotation long enough to be offered as wording (short ones are terms like "Net 30").
_INLINE_QUOTE = re.compile(r"([\"“])([^\"“”\n]{20,}?)([\"”])")
_MIN_QUOTED_WORDS = 8

_TYPOGRAPHY = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-", "\u00a0": " "}
)

_AFFIRMATIVE = re.compile(
    r"^(?:yes|yep|yeah|sure|absolutely|certainly|of course|correct|definitely|go ahead"
    r"|you (?:can|may|are (?:free|allowed|able) to)(?!['’]?t\b|not\b| not\b))\b",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(
    r"\b(?:no|not|cannot|can['’]?t|won['’]?t|isn['’]?t|aren['’]?t|don['’]?t|doesn['’]?t|never"
    r"|outside|exceeds?|beyond|prohibited|disallowed|unavailable)\b",
    re.IGNORECASE,
)
_APPROVAL = re.compile(r"approv|sign[- ]?off|escalat|\bconsent\b|\bauthori[sz]", re.IGNORECASE)
# Claims that no approval is needed, which contradict both "no" and "approval".
_NO_APPROVAL_NEEDED = re.compile(
    r"\bno (?:\w+ )?(?:approvals?|sign[- ]?offs?|escalations?) (?:is |are )?"
    r"(?:needed|required|necessary)\b"
    r"|\b(?:do(?:es)?n['’]?t|do(?:es)? not|won['’]?t|will not|never) (?:need|require)s? "
    r"(?:any |an |further |\w+['’]s )?(?:approvals?|sign[- ]?offs?|escalations?)\b"
    r"|\bno need (?:to|for) (?:\w+ ){0,2}(?:approvals?|sign[- ]?offs?|escalat)"
    r"|\b(?:you|we|reps?) (?:can|may)(?!['’]?t\b|not\b| not\b)[^.;]*\bwithout (?:any |\w+['’]s )?"
    r"(?:approvals?|sign[- ]?offs?|escalations?)\b",
    re.IGNORECASE,
)
_MARKDOWN_LEAD = re.compile(
    r"^(?:[#*_\-+\s]|\d+[.)]\s)*(?:(?:short )?answer|verdict|decision)?\s*[:\-–—]?\s*[*_\s]*",
    re.IGNORECASE,
)


def normalise(text: str) -> str:
    """Whitespace collapsed, typographic quotes and dashes made plain, for verbatim checks."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    return " ".join(text.split())


class GuardReport(BaseModel):
    markdown: str
    warnings: list[str]
    # Why the answer contradicts the grounded decision; None when it does not.
    contradiction: str | None = None


class AnswerGuard:
    """Checks a model's markdown as it arrives; `feed` and `finish` return what may be shown."""

    def __init__(
        self,
        approved_texts: Iterable[str],
        decision: Decision | None,
        approvers: Sequence[str] = (),
        quotable: Iterable[str] = (),
    ) -> None:
        approved_texts = list(approved_texts)  # iterated twice
        self._approved = {normalise(t) for t in approved_texts if t.strip()}
        # Inline quotations may also come from these (the question, clause titles): quoting
        # them is not offering new wording.
        # Case is ignored here: a rep's question is quoted back with its first letter lowered.
        self._quotable = [
            normalise(t).casefold() for t in [*approved_texts, *quotable] if t.strip()
        ]
        self._decision = decision
        self._approvers = [a for a in approvers if a.strip()]
        self.warnings: list[str] = []
        self.contradiction: str | None = None
        self._pending = ""
        self._quote: list[str] = []
        self._fence: list[str] | None = None
        self._fence_marker = ""
        self._verdict_seen = False

    def feed(self, chunk: str) -> str:
        # "\r" is dropped, not mapped: a "\r\n" split across two chunks must stay one break.
        self._pending += chunk.replace("\r", "")
        out: list[str] = []
        while "\n" in self._pending:
            line, self._pending = self._pending.split("\n", 1)
            out.append(self._line(line, "\n"))
        return "".join(out)

    def finish(self) -> str:
        out = ""
        if self._pending:
            line, self._pending = self._pending, ""
            out += self._line(line, "")
        out += self._close_quote()
        if self._fence is not None:  # an unclosed fence is still presented language
            out += self._close_fence()
        return out

    # -- line handling ---------------------------------------------------------------------

    def _line(self, line: str, end: str) -> str:
        if self._fence is not None:
            self._fence.append(line + end)
            closing = line.strip()
            if closing.startswith(self._fence_marker) and not closing.strip(closing[0]):
                return self._close_fence()
            return ""
        fence = _FENCE.match(line)
        if fence:
            out = self._close_quote()
            self._fence, self._fence_marker = [line + end], fence.group(1)
            return out
        if _QUOTE_LINE.match(line):
            self._quote.append(line + end)
            return ""
        return self._close_quote() + self._prose(line) + end

    def _close_quote(self) -> str:
        if not self._quote:
            return ""
        lines, self._quote = self._quote, []
        block = "".join(lines)
        paragraphs: list[list[str]] = [[]]
        for raw in lines:
            content = _QUOTE_LINE.sub("", raw, count=1).strip()
            if content:
                paragraphs[-1].append(content)
            elif paragraphs[-1]:
                paragraphs.append([])
        whole = normalise(" ".join(" ".join(p) for p in paragraphs))
        parts = [normalise(" ".join(p)) for p in paragraphs if p]
        if whole in self._approved or (parts and all(p in self._approved for p in parts)):
            return block
        return self._label(block, whole)

    def _close_fence(self) -> str:
        assert self._fence is not None
        lines, self._fence = self._fence, None
        block = "".join(lines)
        body = lines[1:]
        if body and _FENCE.match(body[-1]):
            body = body[:-1]
        content = normalise("".join(body))
        if content in self._approved:
            return block
        return self._label(block, content)

    def _label(self, block: str, content: str) -> str:
        if not content:
            return block  # an empty quote offers no wording
        self.warnings.append(f"Not approved language: {_snippet(content)}")
        return f"{NOT_APPROVED_NOTE}\n\n{block}"

    def _prose(self, line: str) -> str:
        plain = _MARKDOWN_LEAD.sub("", line).strip()
        if plain:
            self._check_decision(line, plain)
        return self._label_inline_quotes(line)

    def _check_decision(self, line: str, plain: str) -> None:
        # Only the verdict (the first prose line, which the prompt reserves for the decision)
        # and any heading above it are judged: later lines may rightly say "you can offer the
        # standard position" or "the standard cap needs no approval".
        if self._decision not in ("no", "approval") or self._verdict_seen or self.contradiction:
            return
        wants = "no" if self._decision == "no" else "only with approval"
        mentions_approval = bool(_APPROVAL.search(plain)) or any(
            re.search(rf"\b{re.escape(a)}\b", plain, re.IGNORECASE) for a in self._approvers
        )
        if _NO_APPROVAL_NEEDED.search(plain):
            self._contradict(f"the answer says no approval is needed; grounded: {wants}")
        elif _AFFIRMATIVE.match(plain) and (self._decision == "no" or not mentions_approval):
            self._contradict(f"the answer says yes; grounded: {wants}")
        if self.contradiction or line.lstrip().startswith("#"):
            return
        self._verdict_seen = True
        # An answer that does not open with the decision is not trusted to carry it (fail
        # closed: the grounded answer is always there to fall back to).
        if self._decision == "no" and not _NEGATIVE.search(plain):
            self._contradict("the answer does not open with the grounded decision: no")
        elif self._decision == "approval" and not mentions_approval:
            self._contradict("the answer does not open with the approval the grounded answer needs")

    def _contradict(self, reason: str) -> None:
        self.contradiction = reason
        self.warnings.append(f"Contradicts the grounded decision: {reason}")

    def _label_inline_quotes(self, line: str) -> str:
        def check(match: re.Match[str]) -> str:
            content = normalise(match.group(2))
            if len(content.split()) < _MIN_QUOTED_WORDS:
                return match.group(0)
            if any(content.casefold() in allowed for allowed in self._quotable):
                return match.group(0)
            self.warnings.append(f"Not approved language: {_snippet(content)}")
            return f"{NOT_APPROVED}: {match.group(0)}"

        return _INLINE_QUOTE.sub(check, line)


def check_answer(
    text: str,
    approved_texts: Iterable[str],
    decision: Decision | None,
    approvers: Sequence[str] = (),
    quotable: Iterable[str] = (),
) -> GuardReport:
    """All the checks on a complete answer."""
    guard = AnswerGuard(approved_texts, decision, approvers, quotable)
    markdown = guard.feed(text) + guard.finish()
    return GuardReport(
        markdown=markdown.strip(), warnings=guard.warnings, contradiction=guard.contradiction
    )


def _snippet(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
