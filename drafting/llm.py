"""The optional LLM path of the drafting assistant, over any OpenAI-compatible endpoint.

The grounded engine always answers first; the model only (a) rewords that answer in markdown
and (b) classifies questions the rules could not parse. Whatever goes wrong (timeout, HTTP
error, refused connection, empty or malformed output, an answer that contradicts the grounded
decision), `phrase` returns the grounded answer, so a rep always gets one.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Sequence
from typing import Any, Literal

import openai
from langchain_core.messages import BaseMessage
from langchain_openai import ChatOpenAI
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from drafting.guardrails import AnswerGuard, Decision
from drafting.understand import Intent
from prompts import Prompt, load_prompt

log = logging.getLogger(__name__)

Scalar = str | int | float | bool


class ApprovedClause(BaseModel):
    clause_type: str
    position_id: str
    title: str
    text: str  # rendered with the deal's parameter values: what the model may quote


class ParameterFact(BaseModel):
    name: str
    value: Scalar
    source: str  # where the value came from: "question", "default", "contract", ...


class GroundedFacts(BaseModel):
    """What the grounded engine decided; the only facts the model may phrase."""

    question: str
    intent: str
    decision: Decision | None = None
    approvers: list[str] = Field(default_factory=list)
    clauses: list[ApprovedClause] = Field(default_factory=list)
    parameters: list[ParameterFact] = Field(default_factory=list)
    markdown: str  # the grounded answer, shown as it is whenever the model's is not


class LlmResult(BaseModel):
    ok: bool
    markdown: str
    mode: Literal["llm", "grounded"]
    error: str | None = None
    warnings: list[str] = Field(default_factory=list)
    prompt: str | None = None  # e.g. "answer.v1", to trace an answer to its template
    model: str | None = None


class PhraseDelta(BaseModel):
    """Checked markdown released while streaming. The final `LlmResult` is authoritative: when
    its mode is "grounded", it replaces whatever deltas were shown."""

    text: str


class Understanding(BaseModel):
    model_config = ConfigDict(extra="ignore")  # a model adding e.g. "confidence" is harmless

    intent: Intent
    clause_type: str | None = None
    parameters: dict[str, Scalar] = Field(default_factory=dict)

    @field_validator("clause_type")
    @classmethod
    def _known_clause_type(cls, value: str | None, info: ValidationInfo) -> str | None:
        known = (info.context or {}).get("clause_types")
        if value is not None and known is not None and value not in known:
            raise ValueError(f"unknown clause type {value!r}")
        return value

    @field_validator("parameters", mode="before")
    @classmethod
    def _snake_case_names(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        named: dict[str, Any] = {}
        for key, item in value.items():
            name = re.sub(r"[\s\-]+", "_", str(key).strip().lower())
            if not re.fullmatch(r"[a-z][a-z0-9_]{0,63}", name):
                raise ValueError(f"bad parameter name {key!r}")
            named[name] = item
        return named


def parse_understanding(text: str, clause_type_ids: Sequence[str]) -> Understanding | None:
    """The model's JSON reply as an `Understanding`, or None when it is not a valid one."""
    body = text.strip()
    # Models often wrap JSON in a code fence or a sentence despite the prompt.
    start, end = body.find("{"), body.rfind("}")
    if start < 0 or end < start:
        return None
    try:
        data = json.loads(body[start : end + 1])
        return Understanding.model_validate(data, context={"clause_types": set(clause_type_ids)})
    except (ValueError, ValidationError):
        return None


class LlmClient:
    """Talks to one OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, Ollama)."""

    def __init__(
        self,
        base_url: str,
        api_key: str | SecretStr | None,
        model: str,
        timeout_s: float,
        *,
        max_retries: int = 0,
        temperature: float = 0.0,
        max_tokens: int = 1024,
    ) -> None:
        if isinstance(api_key, SecretStr):
            api_key = api_key.get_secret_value()
        self.model = model
        self.timeout_s = timeout_s
        self._chat = ChatOpenAI(
            model=model,
            base_url=base_url,
            # Local servers (vLLM, Ollama) take no key, but the OpenAI SDK insists on one.
            api_key=SecretStr(api_key or "unused"),
            # Bounds each network wait (connect, every read), streaming included.
            timeout=timeout_s,
            # No retries by default: the grounded answer is ready, and a retry would double
            # the time a rep waits before getting it.
            max_retries=max_retries,
            temperature=temperature,
            max_tokens=max_tokens,
            # Compatible servers speak chat completions, not OpenAI's Responses API, and most
            # reject the streaming usage option.
            use_responses_api=False,
            stream_usage=False,
        )

    # -- phrasing ----------------------------------------------------------------------------

    def phrase(self, question: str, grounded: GroundedFacts) -> LlmResult:
        """The grounded answer reworded by the model, checked; the grounded one on any failure."""
        prompt = load_prompt("answer")
        guard = self._guard(question, grounded)
        try:
            reply = self._chat.invoke(self._answer_messages(prompt, question, grounded))
            text = _text(reply)
        except Exception as exc:  # whatever fails, the rep still gets the grounded answer
            return self._fallback(grounded, prompt, _describe(exc, self.timeout_s), [])
        if not text.strip():
            return self._fallback(grounded, prompt, "empty response from the model", [])
        markdown = guard.feed(text) + guard.finish()
        return self._result(grounded, prompt, guard, markdown)

    def phrase_stream(
        self, question: str, grounded: GroundedFacts
    ) -> Iterator[PhraseDelta | LlmResult]:
        """`PhraseDelta`s as checked lines arrive, then always one final `LlmResult`."""
        prompt = load_prompt("answer")
        guard = self._guard(question, grounded)
        shown: list[str] = []
        received = False
        stream = self._chat.stream(self._answer_messages(prompt, question, grounded))
        try:
            for chunk in stream:
                text = _text(chunk)
                received = received or bool(text.strip())
                released = guard.feed(text)
                if guard.contradiction:
                    break  # stop paying for tokens that will be thrown away
                if released:
                    shown.append(released)
                    yield PhraseDelta(text=released)
            else:
                tail = guard.finish()  # the last line, or a quote the stream ended in
                if tail and not guard.contradiction:
                    shown.append(tail)
                    yield PhraseDelta(text=tail)
        except Exception as exc:  # a stream can also fail halfway: fall back all the same
            yield self._fallback(grounded, prompt, _describe(exc, self.timeout_s), guard.warnings)
            return
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()  # releases the HTTP connection when we stop early
        if not received:
            yield self._fallback(grounded, prompt, "empty response from the model", [])
            return
        yield self._result(grounded, prompt, guard, "".join(shown))

    # -- understanding -----------------------------------------------------------------------

    def understand(
        self, question: str, clause_types: list[tuple[str, str]]
    ) -> Understanding | None:
        """Intent, clause type and stated parameters of a question; None if the model fails."""
        prompt = load_prompt("understand")
        listing = "\n".join(f"{type_id}: {label}" for type_id, label in clause_types)
        try:
            reply = self._chat.invoke(
                prompt.messages(question=question, clause_types=listing), max_tokens=300
            )
        except Exception as exc:  # the caller keeps its grounded "could not parse" answer
            log.warning("LLM understand failed: %s", _describe(exc, self.timeout_s))
            return None
        understanding = parse_understanding(_text(reply), [t for t, _ in clause_types])
        if understanding is None:
            log.warning("LLM understand: the reply is not a valid classification")
        return understanding

    def available(self) -> bool:
        """Whether the endpoint answers `GET /models`, for health checks."""
        try:
            self._chat.root_client.models.list()
        except Exception:  # unreachable or refusing: the service runs grounded-only
            return False
        return True

    # -- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _guard(question: str, grounded: GroundedFacts) -> AnswerGuard:
        return AnswerGuard(
            approved_texts=[c.text for c in grounded.clauses],
            decision=grounded.decision,
            approvers=grounded.approvers,
            quotable=[question, grounded.question, grounded.markdown]
            + [c.title for c in grounded.clauses],
        )

    @staticmethod
    def _answer_messages(
        prompt: Prompt, question: str, grounded: GroundedFacts
    ) -> list[tuple[str, str]]:
        facts = [
            f"intent: {grounded.intent}",
            f"decision: {grounded.decision or 'none'}",
            f"approvers: {', '.join(grounded.approvers) or 'none'}",
            "parameters:",
            *(f"- {p.name} = {p.value} (from {p.source})" for p in grounded.parameters),
        ]
        if not grounded.parameters:
            facts.append("- none")
        clauses = [
            prompt.block(
                "approved_clause",
                f"id: {c.clause_type}.{c.position_id}\ntitle: {c.title}\ntext:\n{c.text}",
            )
            for c in grounded.clauses
        ]
        return list(
            prompt.messages(
                question=question,
                facts="\n".join(facts),
                approved_clauses=clauses or "none",
                grounded_answer=grounded.markdown,
            )
        )

    def _result(
        self, grounded: GroundedFacts, prompt: Prompt, guard: AnswerGuard, markdown: str
    ) -> LlmResult:
        if guard.contradiction:
            return self._fallback(
                grounded,
                prompt,
                f"contradicts the grounded decision: {guard.contradiction}",
                guard.warnings,
            )
        if not markdown.strip():
            return self._fallback(grounded, prompt, "empty response from the model", [])
        return LlmResult(
            ok=True,
            markdown=markdown.strip(),
            mode="llm",
            warnings=guard.warnings,
            prompt=prompt.ref,
            model=self.model,
        )

    def _fallback(
        self, grounded: GroundedFacts, prompt: Prompt, error: str, warnings: list[str]
    ) -> LlmResult:
        log.warning("LLM phrasing fell back to the grounded answer: %s", error)
        return LlmResult(
            ok=False,
            markdown=grounded.markdown,
            mode="grounded",
            error=error,
            warnings=list(warnings),
            prompt=prompt.ref,
            model=self.model,
        )


def _text(message: BaseMessage) -> str:
    return str(message.text)


def _describe(exc: Exception, timeout_s: float) -> str:
    """A short, secret-free reason for the log and the API response."""
    if isinstance(exc, openai.APITimeoutError) or _is_timeout(exc):
        return f"timeout: no response within {timeout_s:g} s"
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code} from the LLM endpoint"
    if isinstance(exc, openai.APIConnectionError):
        return "connection to the LLM endpoint failed or broke off"
    return f"malformed response from the LLM endpoint ({type(exc).__name__})"


def _is_timeout(exc: BaseException) -> bool:
    # A read timeout in the middle of a stream comes straight from the HTTP library, unwrapped
    # by the SDK; match it by name so as not to depend on which HTTP library that is.
    seen: BaseException | None = exc
    for _ in range(8):  # a bounded walk: exception chains can be cyclic
        if seen is None:
            break
        if any("Timeout" in cls.__name__ for cls in type(seen).__mro__):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
