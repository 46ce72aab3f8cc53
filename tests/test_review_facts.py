"""The review facts (`review.facts`) on hand-written contracts, and the CUAD facts eval."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from clause_index.library import load_library
from extraction.classify import default_classifier
from extraction.pipeline import analyze
from review.facts import FACTS, compute_facts, fact
from review.types import Fact

CUAD_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "cuad"

# Written for these tests: a vendor-friendly SaaS agreement with customer-side concessions.
ONE_SIDED = """MASTER SUBSCRIPTION AGREEMENT

This Master Subscription Agreement is entered into on March 3, 2024 between Northwind Software \
Inc., a Delaware corporation ("Vendor"), and Bluebird Retail LLC ("Customer").

1. Fees and Payment
1.1 Customer shall pay each invoice within sixty (60) days of receipt of the invoice.
1.2 Vendor shall not charge Customer prices higher than the lowest prices Vendor charges any \
other customer for the same services, and Vendor's pricing to Customer shall be no less \
favorable than its most favored customer pricing.

2. Term and Renewal
2.1 This Agreement begins on the Effective Date and continues for one (1) year. It will \
automatically renew for successive one (1) year periods unless either party gives written notice \
of non-renewal at least fifteen (15) days before the end of the then-current term.
2.2 Customer may terminate this Agreement for convenience at any time upon thirty (30) days \
prior written notice to Vendor.

3. Exclusivity
3.1 During the term, Vendor shall not provide similar services to any competitor of Customer in \
the retail grocery market, and Customer shall be Vendor's exclusive customer in that market.

4. Limitation of Liability
4.1 In no event shall either party's aggregate liability under this Agreement exceed the fees \
paid by Customer in the twelve (12) months preceding the claim.
4.2 The limitations in Section 4.1 shall not apply to Vendor's indemnification obligations or to \
breaches of confidentiality, for which liability shall be unlimited.

5. Indemnification
5.1 Vendor shall defend and indemnify Customer against any third-party claim alleging that the \
Service infringes a patent.

6. Assignment
6.1 Vendor may not assign this Agreement without Customer's prior written consent. Customer may \
assign this Agreement to any affiliate or successor without Vendor's consent.
6.2 Any change of control of Vendor shall be deemed an assignment requiring Customer's consent, \
and Customer may terminate this Agreement upon a change of control of Vendor.

7. Liquidated Damages
7.1 If Vendor fails to meet the go-live date, Vendor shall pay Customer liquidated damages of \
$1,000 per day of delay.

8. Intellectual Property
8.1 All deliverables shall be works made for hire and Vendor hereby assigns to Customer all \
right, title and interest in the deliverables.

9. Governing Law
9.1 This Agreement is governed by the laws of the State of Texas.
"""

# Written for these tests: a balanced agreement where the one-sided facts must stay False.
BALANCED = """SOFTWARE LICENSE AGREEMENT

This Software License Agreement is made on June 1, 2023 between Harbor Analytics Ltd. \
("Licensor") and Copperfield Foods Inc. ("Licensee").

1. License
1.1 Licensor grants Licensee a non-exclusive, non-transferable license to use the Software for \
its internal business purposes during the term.

2. Fees
2.1 Licensee shall pay all invoices net 30. All fees are non-refundable.

3. Indemnification
3.1 Each party shall indemnify and hold harmless the other party from third-party claims arising \
from its gross negligence or wilful misconduct.

4. Confidentiality
4.1 The receiving party shall hold the disclosing party's Confidential Information in confidence \
and shall not disclose it to any third party.

5. Force Majeure
5.1 Neither party shall be liable for any delay caused by events beyond its reasonable control, \
including acts of God, except that no such event shall excuse Licensee's obligation to pay fees \
when due.

6. Service Credits
6.1 If availability falls below 99.5% in a month, Licensee will receive a service credit of 5% of \
the monthly fees. Service credits are Licensee's sole and exclusive remedy for unavailability.

7. Term
7.1 This Agreement continues for two (2) years from the Effective Date and then expires.

8. General
8.1 There are no third-party beneficiaries of this Agreement. This Agreement is governed by the \
laws of the State of New York.
"""


def _facts(text: str) -> dict[str, Fact]:
    return compute_facts(text, analyze(text))


def _evidence(text: str, f: Fact) -> str:
    assert f.start is not None and f.end is not None, f
    assert 0 <= f.start < f.end <= len(text)
    return text[f.start : f.end]


@pytest.fixture(scope="module")
def one_sided() -> dict[str, Fact]:
    return _facts(ONE_SIDED)


@pytest.fixture(scope="module")
def balanced() -> dict[str, Fact]:
    return _facts(BALANCED)


def test_every_library_term_has_a_detector(one_sided: dict[str, Fact]) -> None:
    used = {
        c.field
        for lf in load_library()
        for r in lf.clause_type.rules
        for c in r.when
        if c.field.startswith("term.")
    }
    assert used, "the library has term rules"
    assert used <= set(one_sided)
    extra = {
        "term.liability_capped",
        "term.change_of_control",
        "term.anti_assignment",
        "term.termination_for_convenience",
        "term.auto_renewal",
    }
    assert extra <= set(one_sided)
    assert all(isinstance(v, Fact) for v in one_sided.values())


def test_registry_refuses_a_duplicate_name() -> None:
    with pytest.raises(ValueError, match="twice"):
        fact("mfn")(lambda doc: Fact(value=None))
    assert "mfn" in FACTS


def test_extracted_terms_pass_through(one_sided: dict[str, Fact]) -> None:
    f = one_sided
    assert f["term.payment_net_days"].value == 60
    assert "sixty (60) days" in _evidence(ONE_SIDED, f["term.payment_net_days"])
    assert f["term.governing_law"].value == "Texas"
    assert "Texas" in _evidence(ONE_SIDED, f["term.governing_law"])
    assert f["term.auto_renewal"].value is True
    assert "automatically renew" in _evidence(ONE_SIDED, f["term.auto_renewal"])
    assert f["term.renewal_notice_days"].value == 15
    assert f["term.renewal_term_months"].value == 12
    assert f["term.price_escalation_percent"].value is None


@pytest.mark.parametrize(
    ("name", "cue"),
    [
        ("mfn", "most favored customer"),
        ("exclusivity", "exclusive customer"),
        ("non_compete", "competitor"),
        ("liquidated_damages", "liquidated damages"),
        ("liability_capped", "exceed the fees paid"),
        ("liability_uncapped", "shall not apply"),
        ("indemnity_uncapped", "indemnification obligations"),
        ("anti_assignment", "may not assign"),
        ("vendor_assignment_requires_consent", "Vendor may not assign"),
        ("assignment_without_consent", "Customer may assign"),
        ("change_of_control", "change of control"),
        ("vendor_change_of_control_consent", "requiring Customer's consent"),
        ("customer_coc_termination_right", "Customer may terminate"),
        ("termination_for_convenience", "for convenience"),
        ("work_made_for_hire", "works made for hire"),
        ("ip_assigned_to_customer", "assigns to Customer"),
    ],
)
def test_one_sided_flags_true_with_evidence(
    one_sided: dict[str, Fact], name: str, cue: str
) -> None:
    f = one_sided[f"term.{name}"]
    assert f.value is True, f
    assert cue in _evidence(ONE_SIDED, f)
    assert 0 < f.confidence <= 1


def test_termination_for_convenience_party_and_notice(one_sided: dict[str, Fact]) -> None:
    party = one_sided["term.termination_for_convenience_party"]
    assert party.value == "customer"
    assert "Customer may terminate" in _evidence(ONE_SIDED, party)
    assert one_sided["term.termination_for_convenience_notice_days"].value == 30


def test_either_party_may_terminate_is_both() -> None:
    text = (
        'This Services Agreement is made between Apex Labs Inc. ("Vendor") and Zenith Corp. '
        '("Customer").\n\n1. Termination\n1.1 Either party may terminate this Agreement for '
        "convenience upon ninety (90) days written notice to the other party.\n"
    )
    f = _facts(text)
    assert f["term.termination_for_convenience"].value is True
    assert f["term.termination_for_convenience_party"].value == "both"
    assert f["term.termination_for_convenience_notice_days"].value == 90


def test_one_sided_indemnity_is_not_mutual(one_sided: dict[str, Fact]) -> None:
    f = one_sided["term.indemnity_mutual"]
    assert f.value is False
    assert "Vendor shall defend and indemnify" in _evidence(ONE_SIDED, f)


def test_balanced_contract(balanced: dict[str, Fact]) -> None:
    f = balanced
    assert f["term.indemnity_mutual"].value is True
    assert "Each party shall indemnify" in _evidence(BALANCED, f["term.indemnity_mutual"])
    assert f["term.confidentiality_mutual"].value is True
    assert "receiving party" in _evidence(BALANCED, f["term.confidentiality_mutual"])
    assert f["term.force_majeure_mutual"].value is True
    assert f["term.force_majeure_excuses_payment"].value is False
    assert "obligation to pay" in _evidence(BALANCED, f["term.force_majeure_excuses_payment"])
    assert f["term.sla_credits_exclusive_remedy"].value is True
    assert "sole and exclusive remedy" in _evidence(
        BALANCED, f["term.sla_credits_exclusive_remedy"]
    )
    assert f["term.payment_net_days"].value == 30
    assert f["term.governing_law"].value == "New York"
    # absent or negated clauses: False, with no evidence
    for name in (
        "mfn",
        "exclusivity",
        "liquidated_damages",
        "license_transferable",
        "license_perpetual",
        "fees_refundable",
        "third_party_beneficiaries",
        "work_made_for_hire",
        "termination_for_convenience",
        "liability_uncapped",
    ):
        assert f[f"term.{name}"].value is False, name
        assert f[f"term.{name}"].start is None, name


def test_clause_shape_facts_are_unknown_without_the_clause(one_sided: dict[str, Fact]) -> None:
    # no confidentiality, force majeure or service credits in ONE_SIDED: the rules on their
    # shape must not fire
    for name in ("confidentiality_mutual", "force_majeure_mutual", "sla_credits_exclusive_remedy"):
        assert one_sided[f"term.{name}"].value is None, name


def test_licence_and_escrow_cues() -> None:
    text = (
        'This License Agreement is made between Orbit Code Inc. ("Licensor") and Delta Bank '
        '("Licensee").\n\n1. Grant\n1.1 Licensor grants Licensee a perpetual, irrevocable, '
        "transferable license to use the Software for an unlimited number of users.\n\n"
        "2. Escrow\n2.1 Licensor shall deposit the source code of the Software with an escrow "
        "agent, and Licensor shall pay all escrow fees. The source code shall be released to "
        "Licensee if Licensor commits a material breach of its support obligations.\n\n"
        "3. Ownership\n3.1 The parties shall jointly own all improvements developed together.\n"
    )
    f = _facts(text)
    for name, cue in (
        ("license_perpetual", "perpetual"),
        ("license_transferable", "transferable"),
        ("license_unlimited", "unlimited number of users"),
        ("escrow_required", "escrow"),
        ("escrow_fees_paid_by_vendor", "pay all escrow fees"),
        ("escrow_release_on_breach", "material breach"),
        ("joint_ip_ownership", "jointly own"),
    ):
        assert f[f"term.{name}"].value is True, name
        assert cue in _evidence(text, f[f"term.{name}"]), name


def test_review_cuad_smoke() -> None:
    if not (CUAD_DIR / "labels.jsonl").exists():
        pytest.skip(f"CUAD dataset not found at {CUAD_DIR}")
    from evals.review_cuad import CHECKS, run_review_cuad

    t0 = time.perf_counter()
    # the shipped classifier, no CV: a smoke test of the plumbing, not a measurement
    report = run_review_cuad(CUAD_DIR, limit=3, classifier=default_classifier(), cache_dir=None)
    assert time.perf_counter() - t0 < 30
    assert report.contracts == 3 and report.folds == 0
    assert [c.category for c in report.categories] == list(CHECKS)
    for c in report.categories:
        assert c.tp + c.fp + c.fn + c.tn == 3
    gov = next(c for c in report.categories if c.category == "Governing Law")
    assert gov.tp >= 1
    assert "Governing Law" in report.render_text()


# Written for these tests: sentences for the cue patterns of the CUAD-backed flags.
_PREAMBLE = (
    'This Supply Agreement is made between Acme Parts Inc. ("Supplier") and Beta Motors LLC '
    '("Buyer").\n\n'
)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a price comparison against a class of other buyers is most-favoured pricing
        (
            "Supplier shall not charge Buyer a higher price than the price Supplier charges "
            "any other customer for similar quantities.",
            True,
        ),
        (
            "The prices charged to Buyer shall be no less favorable than those offered to "
            "similarly situated purchasers.",
            True,
        ),
        # matching an earlier offer to a third party is a right of first refusal, not MFN
        (
            "If Buyer declines, Supplier may offer the products to any third party on terms no "
            "less favorable than those last offered to Buyer.",
            False,
        ),
        ("Supplier shall deliver the products on time and in good condition.", False),
    ],
)
def test_mfn_cues(sentence: str, expected: bool) -> None:
    text = _PREAMBLE + "1. Pricing\n1.1 " + sentence + "\n"
    assert _facts(text)["term.mfn"].value is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Buyer may terminate this Agreement at any time, with or without cause, by written "
            "notice to Supplier.",
            True,
        ),
        (
            "Either party may terminate this Agreement for any or no reason upon sixty (60) days "
            "written notice.",
            True,
        ),
        (
            "Buyer may, in its sole discretion, terminate this Agreement by written notice to "
            "Supplier.",
            True,
        ),
        # a right on a trigger is termination for cause
        (
            "Either party may terminate this Agreement upon thirty (30) days written notice if the "
            "other party materially breaches this Agreement.",
            False,
        ),
        ("This Agreement may not be terminated by either party for convenience.", False),
        ("Buyer may terminate this Agreement for cause upon written notice to Supplier.", False),
    ],
)
def test_termination_for_convenience_cues(sentence: str, expected: bool) -> None:
    text = _PREAMBLE + "1. Termination\n1.1 " + sentence + "\n"
    f = _facts(text)
    assert f["term.termination_for_convenience"].value is expected
    if expected:
        assert "terminate" in _evidence(text, f["term.termination_for_convenience"])
    else:
        assert f["term.termination_for_convenience_notice_days"].value is None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Buyer may terminate this Agreement upon a change of control of Supplier.", True),
        (
            "Any merger of Supplier with or into another entity shall be deemed an assignment "
            "requiring Buyer's prior written consent; Supplier is not merged with or into any "
            "entity until Buyer approves it.",
            True,
        ),
        # permissions and denials are not change-of-control restrictions
        (
            "A change of control of either party shall not be deemed an assignment of this "
            "Agreement.",
            False,
        ),
        (
            "Either party may assign this Agreement without the other party's consent to a "
            "successor in a merger or a sale of substantially all of its assets.",
            False,
        ),
    ],
)
def test_change_of_control_cues(sentence: str, expected: bool) -> None:
    text = _PREAMBLE + "1. Assignment\n1.1 " + sentence + "\n"
    assert _facts(text)["term.change_of_control"].value is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # Warranties of authority and standing promise nothing about what is delivered.
        (
            "Each Member represents and warrants that this Agreement is not in violation of any "
            "other agreement to which it is a party.",
            None,
        ),
        (
            "Licensor represents and warrants that it is duly organized, validly existing and in "
            "good standing, and has full corporate power to enter into this Agreement.",
            None,
        ),
        (
            "Each party represents and warrants as follows: (a) it is duly incorporated under the "
            "laws of its state; (b) it has the authority to enter into this Agreement.",
            None,
        ),
        # A promise about the service, with no disclaimer anywhere: unlimited.
        (
            "Supplier warrants that the Products will conform to the Specifications for two years "
            "after delivery.",
            True,
        ),
    ],
)
def test_warranty_unlimited_reads_what_is_warranted(sentence: str, expected: bool | None) -> None:
    text = (
        'This Agreement is made between Apex Labs Inc. ("Supplier") and Zenith Corp. '
        f'("Customer").\n\n1. Warranties\n{sentence}\n'
    )
    f = _facts(text)["term.warranty_unlimited"]
    assert (f.value or None) is expected


# --- who a restriction binds, and what a cap leaves out (false critical flags on real paper) --

_PARTIES = (
    'This Services Agreement is made between Larkspur Systems Inc. ("Provider") and Fenwick '
    'Foods Ltd. ("Client").\n\n'
)


def _paper(body: str) -> dict[str, Fact]:
    text = _PARTIES + body
    return compute_facts(text, analyze(text))


def test_a_cap_with_the_usual_carve_outs_is_not_uncapped() -> None:
    f = _paper(
        "9. Limitation of Liability\n9.1 Save for breach of confidentiality, a party's "
        "indemnities, fraud or wilful misconduct, in no event shall either party's total "
        "liability exceed the charges paid in the prior twelve (12) months.\n9.2 The limits "
        "in this Section 9 shall not apply to either party's gross negligence or to amounts "
        "due for payment under Section 4.\n\n4. Charges\nClient pays within thirty days."
    )
    assert f["term.liability_uncapped"].value is not True


def test_a_carve_out_beyond_the_usual_is_uncapped() -> None:
    f = _paper(
        "9. Limitation of Liability\n9.1 In no event shall either party's total liability "
        "exceed the charges paid in the prior twelve (12) months.\n9.2 The limits in this "
        "Section 9 shall not apply to Provider's breach of Section 6 or of its data security "
        "obligations.\n\n6. Service Warranties\nProvider warrants the service will perform."
    )
    assert f["term.liability_uncapped"].value is True


def test_a_restriction_on_the_customer_is_not_our_exclusivity_or_non_compete() -> None:
    f = _paper(
        "5. Exclusive Purchasing\n5.1 Client shall buy its requirements of the services "
        "exclusively from Provider and shall not appoint any other supplier during the term.\n"
        "5.2 Client shall not market or sell competing products in the territory during the "
        "term.\n5.3 Provider retains its sole and exclusive right to sell to the public."
    )
    assert f["term.exclusivity"].value is not True
    assert f["term.non_compete"].value is not True


def test_leave_to_compete_and_definitions_are_not_a_non_compete() -> None:
    f = _paper(
        '1.4 "Competing Product" means any product that competes with the services.\n'
        "12.3 Each party may develop, sell or market competitive products and services and "
        "run its business as it sees fit."
    )
    assert f["term.non_compete"].value is not True


def test_a_licence_granted_to_us_or_a_customer_warranty_is_no_risk_of_ours() -> None:
    f = _paper(
        "7. Client Materials\n7.1 Client hereby grants to Provider a perpetual, irrevocable "
        "licence to use the feedback Client gives.\n8. Client Warranties\n8.1 Client warrants "
        "that its premises are fit for the particular purpose of installing the equipment."
    )
    assert f["term.license_perpetual"].value is not True
    assert f["term.warranty_unlimited"].value is not True


def test_a_perpetual_licence_we_grant_is_still_flagged() -> None:
    f = _paper(
        "7. Licence\n7.1 Provider hereby grants to Client a perpetual and irrevocable licence "
        "to use the platform."
    )
    assert f["term.license_perpetual"].value is True


def test_a_carve_out_named_by_its_section_and_the_limits_own_section() -> None:
    f = _paper(
        "9. Limitation of Liability\n9.1 In no event shall either party's total liability "
        "exceed the charges paid in the prior twelve (12) months. None of the limits in this "
        "Section 9 shall be available to a party for a breach of Section 4, or for its fraud "
        "or gross negligence.\n\n4. Confidential Information\nEach party keeps the other's "
        "information secret."
    )
    assert f["term.liability_uncapped"].value is not True


def test_our_exclusive_grant_in_a_sentence_that_also_binds_the_customer() -> None:
    f = _paper(
        "5. Exclusivity\n5.1 Client shall take the services only from Provider during the "
        "term, and Provider appoints Client as its exclusive distributor in the territory."
    )
    assert f["term.exclusivity"].value is True


@pytest.mark.parametrize(
    "carve_outs",
    [
        "(a) either party's obligations under Clause 11 (Indemnities), (b) a breach of Clause 9 "
        "(Confidentiality), or (c) gross negligence or wilful misconduct",
        "A PARTY'S OBLIGATIONS UNDER SECTION 8 (INDEMNIFICATION), ITS BREACH OF SECTION 6 "
        "(CONFIDENTIALITY), OR ITS GROSS NEGLIGENCE",
    ],
)
def test_carve_outs_named_by_reference_and_subject_are_the_usual_ones(carve_outs: str) -> None:
    # Third-party paper names the section it carves out and its subject in brackets; the
    # sections themselves are elsewhere in the contract (not in the passage read).
    f = _paper(
        f"12. Limitation of Liability\n12.1 Save in respect of {carve_outs}, the total "
        "aggregate liability of each party shall not exceed the charges paid in the twelve "
        "(12) months preceding the claim."
    )
    assert f["term.liability_uncapped"].value is not True


def test_a_bracketed_subject_beyond_the_usual_is_still_uncapped() -> None:
    f = _paper(
        "12. Limitation of Liability\n12.1 The total aggregate liability of each party shall "
        "not exceed the charges paid in the twelve (12) months preceding the claim. 12.2 The "
        "limitations in this Clause shall not apply to a breach of Clause 7 (Service Levels)."
    )
    assert f["term.liability_uncapped"].value is True


@pytest.mark.parametrize(
    "sentence",
    [
        "Provider's liability for breaches of data security shall be unlimited.",
        "Nothing in this Agreement limits or excludes Provider's liability for any loss or "
        "damage suffered by Client, howsoever arising.",
        "The limitations in this Section shall not apply to Provider's liability for breach of "
        "its data protection obligations, which shall be unlimited.",
    ],
)
def test_liability_left_unlimited_in_so_many_words(sentence: str) -> None:
    # Words the clause classifier scores low on a short passage: they are enough.
    f = _paper(
        "10. Liability\n10.1 Client's total liability shall not exceed the fees paid in the "
        f"preceding twelve months. 10.2 {sentence}"
    )
    assert f["term.liability_uncapped"].value is True


@pytest.mark.parametrize(
    "sentence",
    [
        "Nothing in this Agreement limits or excludes either party's liability for death or "
        "personal injury caused by its negligence, or for fraud.",
        "Client's liability for its payment obligations shall be unlimited.",
    ],
)
def test_the_usual_or_the_customers_unlimited_liability_is_not_ours(sentence: str) -> None:
    f = _paper(
        "10. Liability\n10.1 Provider's total liability shall not exceed the fees paid in the "
        f"preceding twelve months. 10.2 {sentence}"
    )
    assert f["term.liability_uncapped"].value is not True


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Client may terminate this Agreement immediately upon written notice if Provider "
         "breaches any provision of this Agreement.", True),
        ("Either party may terminate this Agreement on notice if the other party commits any "
         "breach, without any opportunity to cure.", True),
        ("Either party may terminate this Agreement if the other party commits a material "
         "breach and fails to cure it within thirty (30) days of notice.", False),
        ("Either party may terminate this Agreement if the other party breaches any material "
         "provision and fails to cure it within thirty (30) days.", False),
        # Our own right on the customer's breach is no exposure.
        ("Provider may terminate this Agreement if Client breaches any provision of it.", False),
        # A duty to report a breach, in a sentence that also ends something, sets no trigger.
        ("Client must report any breach of this warranty within 30 days, failing which the "
         "warranty will terminate.", False),
    ],
)  # fmt: skip
def test_termination_on_any_breach(sentence: str, expected: bool) -> None:
    f = _paper(f"11. Termination\n11.1 {sentence}")
    assert (f["term.termination_on_any_breach"].value is True) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("If either party defaults in the performance of any material obligation hereunder, "
         "the other party may terminate this Agreement by notice.", True),
        ("This Agreement may be terminated by Client if Provider becomes insolvent or makes "
         "an assignment for the benefit of creditors.", True),
        ("Either party shall have the right to terminate this Agreement upon the occurrence "
         "of any of the following:\n(a) the other party files a petition in bankruptcy;", True),
        ("Termination of this Agreement shall not relieve either party of liability for any "
         "breach occurring before termination.", False),
        ("Either party may terminate this Agreement on ninety days' written notice.", False),
    ],
)  # fmt: skip
def test_a_right_to_terminate_for_cause_under_any_heading(sentence: str, expected: bool) -> None:
    f = _paper(f"2. Term\n2.1 {sentence}")
    assert (f["term.termination_for_cause_right"].value is True) is expected


def test_credits_called_the_sole_remedy_in_their_own_paragraph() -> None:
    f = _paper(
        "Schedule 3 - Service Levels. 1. Uptime. Provider will keep the platform available "
        "99.9% of each month. 2. Service Credits. For each 0.1% below that, Client will "
        "receive a credit of 2% of the monthly fees. 3. Claims. Client must claim within "
        "thirty days; credits are set off against later invoices and are Client's sole and "
        "exclusive remedy for any downtime."
    )
    assert f["term.sla_credits_exclusive_remedy"].value is True


@pytest.mark.parametrize(
    "sentence",
    [
        "This Agreement does not create an exclusive relationship between the parties.",
        "Nothing in this Agreement makes Provider the exclusive supplier of Client.",
    ],
)
def test_a_denial_of_exclusivity_is_not_exclusivity(sentence: str) -> None:
    f = _paper(
        f"14. Non-Exclusivity\n14.1 {sentence} Provider may supply the services to any third "
        "party, including Client's competitors."
    )
    assert f["term.exclusivity"].value is not True


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("No source code escrow is provided; Client may export its data at any time.", False),
        ("Provider does not deposit, and is not obliged to deposit, the source code in "
         "escrow.", False),
        ("Provider shall deposit the source code of the platform with an escrow agent.", True),
    ],
)  # fmt: skip
def test_a_denial_of_escrow_is_not_escrow(sentence: str, expected: bool) -> None:
    f = _paper(f"15. Continuity\n15.1 {sentence}")
    assert (f["term.escrow_required"].value is True) is expected
