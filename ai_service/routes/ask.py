"""The reps' drafting assistant."""

from __future__ import annotations

from fastapi import APIRouter

from ai_service.deps import Rep, ServicesDep
from drafting import AskAnswer, AskRequest

router = APIRouter(tags=["ask"])


@router.post("/v1/ask", response_model=AskAnswer)
def ask(body: AskRequest, services: ServicesDep, _: Rep) -> AskAnswer:
    """Ask in plain words: find approved language, "can I…?", draft with values, compare
    pasted customer language, or ask about an uploaded contract. Answers are grounded in the
    library (mode `grounded`); with an LLM configured it phrases them (mode `llm`)."""
    return services.assistant.ask(body)
