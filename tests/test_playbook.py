"""The playbook decision on the cases legal reported: third-party wording, values named twice,
fallbacks read by value, and a no that offers the approved fallbacks."""

from __future__ import annotations

from functools import cache

from extraction import analyze
from playbook import decide
from review import LibrarySnapshot, Reviewer
from review.facts import compute_facts
from review.library import clauses_from_files


@cache
def snapshot() -> LibrarySnapshot:
    return LibrarySnapshot.build(clauses_from_files())


def judge(clause_type: str, text: str, deal: dict[str, object] | None = None):  # type: ignore[no-untyped-def]
    _, d, flags = Reviewer(snapshot()).decide_clause(
        clause_type, text, compute_facts(text, analyze(text)), deal
    )
    return d, flags


def test_thirty_days_non_renewal_notice_is_the_approved_fallback() -> None:
    d, flags = judge(
        "term_and_renewal",
        "4.2 Renewal. This Agreement shall automatically renew for successive one-year periods "
        "unless either party gives written notice of non-renewal at least thirty (30) days "
        "before the end of the then-current term.",
    )
    assert d.outcome == "fallback" and d.position and d.position.id == "fallback-1"
    assert d.approvers == ["sales_director"]
    assert [f.rule_id for f in flags] == ["term_and_renewal.fallback"]
    assert "outside" not in flags[0].message


def test_german_law_is_the_home_law_fallback_for_review_and_values_alike() -> None:
    d, _ = judge("governing_law", "This Agreement is governed by the laws of Germany.")
    info = snapshot().types["governing_law"]
    asked = decide(info, values={"governing_law": "Germany"}, present=None)
    assert d.outcome == asked.outcome == "fallback"
    assert d.position and asked.position and d.position.id == asked.position.id == "fallback-3"
    assert sorted(d.approvers) == sorted(asked.approvers) == ["executive", "legal"]
    texas = decide(info, values={"governing_law": "Texas"}, present=None)
    assert texas.outcome == "outside" and texas.answer == "no"
    assert [f.id for f in texas.fallbacks] == ["fallback-1", "fallback-2", "fallback-3"]


def test_a_parameter_named_twice_is_checked_at_each_place() -> None:
    info = snapshot().types["audit_rights"]
    std = info.positions[0]
    marks = std.template.split("{{audit_frequency_months}}")
    assert len(marks) >= 3, "the standard names the audit frequency twice"
    text = marks[0] + "144" + "12".join(marks[1:])
    from clause_index import render

    text = render(text, std.parameters)
    d, flags = judge("audit_rights", text)
    assert d.outcome == "outside"
    assert flags and all(f.clause_type == "audit_rights" for f in flags)
    assert 144 in d.values["audit_frequency_months"]


def test_missing_only_when_the_model_is_sure() -> None:
    info = snapshot().types["indemnification"]
    unsure = decide(info, present=None, facts={})
    assert unsure.outcome != "missing"
    sure = decide(info, present=False, facts={})
    assert sure.outcome == "missing" and sure.severity == "high"
    optional = decide(snapshot().types["most_favored_nation"], present=False, facts={})
    assert optional.outcome == "standard" and not optional.reasons


def test_capitalised_heading_is_not_clause_words() -> None:
    info = snapshot().types["service_levels"]
    from clause_index import render

    std = info.positions[0]
    text = "26. 99.5% AVAILABILITY WITH CAPPED SERVICE CREDITS\n" + render(
        std.template, std.parameters
    )
    d, flags = judge("service_levels", text)
    assert d.outcome == "standard" and flags == []


def test_plain_performance_warranty_is_not_unlimited() -> None:
    d, flags = judge(
        "warranties",
        "Vendor warrants that the Service will perform materially in accordance with the "
        "Documentation. If it does not, Vendor will correct the non-conformity or, failing that "
        "within thirty (30) days, Customer may terminate and receive a refund of prepaid fees. "
        "These are Customer's exclusive remedies. Vendor disclaims all other warranties.",
    )
    assert "warranty.unlimited" not in [f.rule_id for f in flags]
    assert d.outcome != "outside"
