"""Missing-clause flags only when sure: the presence decision weighs the clause-type model
with what else the contract shows of the type (headings and phrases naming it, wording close
to its approved texts, facts its rules test), and the review raises a missing flag only
where that one decision says absent."""

from __future__ import annotations

from functools import cache

import pytest

from extraction.pipeline import Analysis, TypePresence, analyze, heading_names
from extraction.types import Segment
from review import LibrarySnapshot, Reviewer
from review.facts import compute_facts
from review.library import clauses_from_files


@cache
def snapshot() -> LibrarySnapshot:
    return LibrarySnapshot.build(clauses_from_files())


@pytest.mark.parametrize(
    ("heading", "name", "expected"),
    [
        ("Termination for Cause", "Termination for cause", True),
        ("7. Termination for Breach", "termination for breach", True),
        ("Representations and Warranties", "Warranties and disclaimer", True),
        ("Disclaimer of Warranties", "Warranties and disclaimer", True),
        ("Limitations of Liability", "Limitation of liability", True),
        # One generic word of the name is not the name.
        ("Termination", "Termination for cause", False),
        ("Term and Termination", "Termination for cause", False),
        ("Environmental Protection and Compliance", "Data protection and security", False),
        # A name is matched at a word start, never inside a word.
        ("Standards", "NDA", False),
        ("Overpayments", "Payment terms", False),
        ("Payment Terms", "Payment terms", True),
    ],
)
def test_a_heading_names_a_type(heading: str, name: str, expected: bool) -> None:
    assert heading_names(heading, name) is expected


def _analysis(heading: str | None, body: str, present: bool | None) -> Analysis:
    seg = Segment(index=0, start=0, end=len(body), kind="section", heading=heading, text=body)
    presence = {
        "termination_for_cause": TypePresence(
            clause_type="termination_for_cause", present=present, confidence=0.01
        )
    }
    return Analysis(
        segments=[seg], sentences=[], segment_types=[[]], clauses=[], terms=[], presence=presence
    )


def test_other_evidence_makes_a_sure_absent_unsure_never_present() -> None:
    names = ["Termination for cause", "material breach", "cure period"]
    body = "Either party may end this agreement on ninety days notice."
    plain = _analysis("Term", body, False)
    assert plain.presence_for("termination_for_cause", names=names).present is False
    # A heading naming the type.
    named = _analysis("Termination for Cause", body, False)
    assert named.presence_for("termination_for_cause", names=names).present is None
    # A phrase of two words or more naming it, under any heading.
    phrase = _analysis(
        "Default", "If a party commits a material breach, the other may end it.", False
    )
    assert phrase.presence_for("termination_for_cause", names=names).present is None
    # Segments another reader ties to the type.
    p = plain.presence_for("termination_for_cause", names=names, seen=[0])
    assert p.present is None and p.segments == [0]
    # Evidence never overrides a present or unsure decision, and no names, no change.
    assert (
        _analysis("Termination for Cause", body, True)
        .presence_for("termination_for_cause", names=names)
        .present
        is True
    )
    assert plain.presence_for("termination_for_cause").present is False


PARTIES = (
    'This Supply Agreement is made between Northwind Parts Ltd. ("Supplier") and Harbor '
    'Tools Inc. ("Buyer").\n\n'
)
TERM = "1. Term\nThis Agreement begins on the Effective Date and continues for three years.\n\n"
DEFAULT = (
    "2. Default\nIf either party fails to perform a material obligation and does not remedy "
    "that failure within thirty days after written notice, the other party may end this "
    "Agreement at once by written notice.\n\n"
)
LAW = "3. Governing Law\nThis Agreement is governed by the laws of the State of Delaware.\n"


def _missing(text: str, force_absent: str) -> list[str]:
    """The review's missing flags with the model forced to miss `force_absent` entirely:
    no segment typed with it, and a sure "absent" for the contract."""
    a = analyze(text)
    assert a.presence is not None
    a.segment_types = [[t for t in ts if t.type != force_absent] for ts in a.segment_types]
    a.presence[force_absent] = TypePresence(clause_type=force_absent, present=False, confidence=0.0)
    out = Reviewer(snapshot()).review(text, a, compute_facts(text, a))
    return [f.rule_id for f in out.flags if f.match == "missing"]


def test_for_cause_wording_under_another_heading_is_not_missing() -> None:
    # "Default" and other words than ours: were the model to miss it, the wording close to
    # our approved termination-for-cause texts says it may be there.
    assert "tfcause.missing" not in _missing(
        PARTIES + TERM + DEFAULT + LAW, "termination_for_cause"
    )


def test_without_that_evidence_the_same_contract_is_flagged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import review.engine

    monkeypatch.setattr(review.engine, "PRESENCE_LEXICAL_MIN", 2.0)
    assert "tfcause.missing" in _missing(PARTIES + TERM + DEFAULT + LAW, "termination_for_cause")


def test_a_sure_absence_is_still_flagged() -> None:
    flags = _missing(PARTIES + TERM + LAW, "termination_for_cause")
    assert "tfcause.missing" in flags


# A right to terminate on insolvency or default inside "Term", in words that name neither
# the type nor any alias ("defaults", "bankruptcy"): termination for cause as real paper
# often words it.
INSOLVENCY = (
    "2. Duration\nThis Agreement runs for three years. It may be terminated by either party "
    "forthwith by notice if the other party becomes bankrupt or goes into liquidation, or "
    "defaults in the performance of its obligations and does not put it right within sixty "
    "days.\n\n"
)


def test_a_right_to_terminate_on_default_or_insolvency_is_not_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import review.engine

    # Only the right itself may speak for the clause: no wording close to ours counts.
    monkeypatch.setattr(review.engine, "PRESENCE_LEXICAL_MIN", 2.0)
    text = PARTIES + TERM + INSOLVENCY + LAW
    assert "tfcause.missing" not in _missing(text, "termination_for_cause")
    monkeypatch.setattr(review.engine, "PRESENCE_FACTS", {})
    assert "tfcause.missing" in _missing(text, "termination_for_cause")
