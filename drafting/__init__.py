"""The reps' drafting assistant: plain-language questions in, approved language out."""

from drafting.engine import Assistant
from drafting.entities import AskAnswer, AskRequest, DealContext
from drafting.llm import LlmClient

__all__ = ["AskAnswer", "AskRequest", "Assistant", "DealContext", "LlmClient"]
