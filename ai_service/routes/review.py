"""Risk review routes: flags per contract, decisions, deal data, pasted-text review."""

from __future__ import annotations

from fastapi import APIRouter

from ai_service.deps import Legal, Rep, ServicesDep
from archive import Deal
from review import DecisionIn, FlagOut, ReviewSummary, TextReviewIn, TextReviewOut

router = APIRouter(tags=["review"])


@router.get("/v1/contracts/{contract_id}/flags", response_model=ReviewSummary)
def get_flags(contract_id: str, services: ServicesDep, _: Rep) -> ReviewSummary:
    """The contract's review: status (pending, clean, needs_approval, blocked), who must
    approve, and every flag with evidence, redline, proposal and decision."""
    return services.review.flags(contract_id)


@router.post("/v1/contracts/{contract_id}/review", response_model=ReviewSummary)
def run_review(contract_id: str, services: ServicesDep, who: Legal) -> ReviewSummary:
    """Review again now (after a library change). Decisions on unchanged text stand."""
    return services.review.review_contract(contract_id, actor=who.actor)


@router.put("/v1/contracts/{contract_id}/deal", response_model=ReviewSummary)
def set_deal(contract_id: str, deal: Deal, services: ServicesDep, who: Rep) -> ReviewSummary:
    """Set the deal data (value, currency, type, tier, term); routing uses it at once."""
    return services.review.set_deal(
        contract_id, deal.model_dump(exclude_none=True), actor=who.actor
    )


@router.post("/v1/flags/{flag_id}/decision", response_model=FlagOut)
def decide(flag_id: str, body: DecisionIn, services: ServicesDep, who: Legal) -> FlagOut:
    """Legal accepts (approves the deviation), rejects (requires the fallback) or escalates."""
    return services.review.decide(flag_id, body, actor=who.actor)


@router.post("/v1/review/text", response_model=TextReviewOut)
def review_text(body: TextReviewIn, services: ServicesDep, _: Rep) -> TextReviewOut:
    """Review a pasted clause or passage against approved language without storing it."""
    return services.review.review_text(body.text, body.clause_type)
