"""CUAD scorer on synthetic labels written to tmp_path (no dataset needed)."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from evals.cuad_metric import (
    THRESHOLDS,
    CuadReport,
    GoldCategory,
    Prediction,
    PRPoint,
    answers_match,
    interpolate_precision,
    jaccard,
    load_gold,
    load_predictions,
    normalize_jurisdictions,
    normalize_words,
    parse_date,
    parse_duration,
    render,
    score,
    spans_match,
)

CATEGORIES = [
    ("Parties", "value"),
    ("Agreement Date", "value"),
    ("Renewal Term", "value"),
    ("Governing Law", "value"),
    ("Non-Compete", "yes_no"),
    ("Audit Rights", "yes_no"),
]

Clauses = dict[str, tuple[str | None, list[str]]]


def write_cuad(root: Path, contracts: dict[str, Clauses]) -> Path:
    """labels.jsonl + categories.json in the converted CUAD format."""
    root.mkdir(parents=True, exist_ok=True)
    cats = [{"name": n, "answer_type": t} for n, t in CATEGORIES]
    (root / "categories.json").write_text(json.dumps({"categories": cats}), encoding="utf-8")
    lines = []
    for cid, given in contracts.items():
        categories: dict[str, Any] = {}
        for name, _ in CATEGORIES:
            answer, texts = given.get(name, (None if name != "Non-Compete" else "No", []))
            clauses = [{"text": t, "start": 0, "end": len(t), "match": "exact"} for t in texts]
            categories[name] = {"answer": answer, "clauses": clauses}
        lines.append(json.dumps({"id": cid, "title": cid, "categories": categories}))
    (root / "labels.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def pred(cid: str, category: str, spans: list[tuple[str, float]], answer: str | None = None):
    return Prediction.model_validate(
        {
            "id": cid,
            "category": category,
            "answer": answer,
            "spans": [{"start": 0, "end": len(t), "text": t, "score": s} for t, s in spans],
        }
    )


def point(report: CuadReport, threshold: float) -> PRPoint:
    return next(p for p in report.pr_curve if p.threshold == threshold)


NONCOMPETE_A1 = "The Distributor shall not sell competing products in the Territory."
NONCOMPETE_A2 = "Licensee shall not engage in any competing business for two years."
NONCOMPETE_B = "Neither party shall compete with the other during the Term."
WRONG_1 = "This Agreement shall be governed by the laws of the State of Delaware."
WRONG_2 = "All notices shall be in writing and delivered by hand or courier."


@pytest.fixture
def gold(tmp_path: Path) -> dict[str, dict[str, GoldCategory]]:
    root = write_cuad(
        tmp_path / "cuad",
        {
            "c-a": {
                "Non-Compete": ("Yes", [NONCOMPETE_A1, NONCOMPETE_A2]),
                "Governing Law": ("State of New York", [WRONG_1]),
                "Agreement Date": ("2/11/19", ["Dated February 11, 2019"]),
            },
            "c-b": {
                "Non-Compete": ("Yes", [NONCOMPETE_B]),
                "Renewal Term": ("successive 1 year", ["renews for successive one-year terms"]),
            },
            "c-c": {},
        },
    )
    return load_gold(root)


# --------------------------------------------------------------------------- matching


def test_normalize_words_drops_punctuation_and_splits_slashes() -> None:
    assert normalize_words("Section 2.1: The Term/Period; ends,\nHERE.") == [
        "section",
        "21",
        "the",
        "term",
        "period",
        "ends",
        "here",
    ]
    assert normalize_words(" ... ") == []


def test_jaccard_values_and_threshold() -> None:
    assert jaccard("a b c", "A, b; d.") == pytest.approx(2 / 4)
    assert jaccard("a b c", "a d e") == pytest.approx(1 / 5)
    assert jaccard("and/or", "and or") == 1.0
    assert jaccard("", "") == 0.0
    assert spans_match("a b c", "a b d", "Non-Compete")  # exactly 0.5 matches
    assert not spans_match("a b c", "a d e", "Non-Compete")


def test_parties_containment_matches_only_for_parties() -> None:
    gold = 'ACME Corporation, a Delaware corporation ("Acme")'
    assert jaccard("ACME Corporation", gold) < 0.5
    assert spans_match("ACME Corporation", gold, "Parties")
    assert spans_match(
        "acme corporation, a delaware corporation, and Beta LLC", "Beta LLC", "Parties"
    )
    assert not spans_match("ACME Corporation", gold, "Non-Compete")
    # word boundaries: "Acme" is not contained in "Acmeco Holdings Ltd and others here"
    assert not spans_match("Acme", "Acmeco Holdings Ltd and others here", "Parties")


# --------------------------------------------------------------------------- PR curve


def all_gold_predictions(gold: dict[str, dict[str, GoldCategory]], s: float) -> list[Prediction]:
    return [
        pred(cid, name, [(c.text, s) for c in cat.clauses], cat.answer)
        for cid, cats in gold.items()
        for name, cat in cats.items()
    ]


def test_perfect_predictions(gold: dict[str, dict[str, GoldCategory]]) -> None:
    report = score(gold, all_gold_predictions(gold, 0.9))
    assert report.aupr == pytest.approx(1.0)
    assert report.precision_at_80 == 1.0
    assert report.precision_at_90 == 1.0
    assert report.presence_macro_f1 == 1.0
    assert report.per_category["Non-Compete"].aupr == pytest.approx(1.0)
    assert report.per_category["Audit Rights"].aupr is None  # no gold anywhere
    assert report.per_category["Audit Rights"].presence_f1 is None
    assert all(a.accuracy in (None, 1.0) for a in report.answer_accuracy.values())
    assert len(report.pr_curve) == len(THRESHOLDS) + 1
    assert point(report, 0.95).precision is None  # nothing kept above the scores


def test_all_wrong_predictions(gold: dict[str, dict[str, GoldCategory]]) -> None:
    preds = [
        pred(cid, name, [(WRONG_2, 0.9)]) for cid in gold for name in ("Non-Compete", "Parties")
    ]
    report = score(gold, preds)
    assert report.aupr == 0.0
    assert report.precision_at_80 == 0.0
    assert report.precision_at_90 == 0.0
    assert point(report, 0.5).precision == 0.0


def test_no_predictions_at_all(gold: dict[str, dict[str, GoldCategory]]) -> None:
    report = score(gold, [])
    assert report.aupr == 0.0
    assert report.precision_at_80 == 0.0
    assert report.warnings.contracts_without_predictions == 3
    assert all(p.recall == 0.0 for p in report.pr_curve)
    assert report.per_category["Non-Compete"].presence_recall == 0.0


def test_hand_computed_small_case(gold: dict[str, dict[str, GoldCategory]]) -> None:
    nc = {n: cats["Non-Compete"] for n, cats in gold.items()}
    nc_gold = {cid: {"Non-Compete": cat} for cid, cat in nc.items()}
    preds = [
        pred("c-a", "Non-Compete", [(NONCOMPETE_A1, 0.9), (WRONG_1, 0.8), (NONCOMPETE_A2, 0.3)]),
        pred("c-b", "Non-Compete", [(NONCOMPETE_B, 0.6), (WRONG_2, 0.95)]),
    ]
    report = score(nc_gold, preds)
    # t=0.9: kept A1, WRONG_2 -> TP 1, FP 1, FN 2
    p90 = point(report, 0.9)
    assert (p90.tp, p90.fp, p90.fn) == (1, 1, 2)
    assert p90.precision == pytest.approx(0.5)
    assert p90.recall == pytest.approx(1 / 3)
    # t=0.5: + WRONG_1, B -> TP 2, FP 2, FN 1
    p50 = point(report, 0.5)
    assert (p50.tp, p50.fp, p50.fn) == (2, 2, 1)
    assert p50.precision == pytest.approx(0.5)
    assert p50.recall == pytest.approx(2 / 3)
    # t=0.3: everything -> P 3/5, R 1
    p30 = point(report, 0.3)
    assert p30.precision == pytest.approx(0.6)
    assert p30.recall == 1.0
    # above every score: precision undefined; at 0.95 only a false positive
    assert point(report, 0.99).precision is None
    assert point(report, 0.95).precision == 0.0
    # interpolation lifts every point to 0.6 (the best precision at higher recall)
    assert p90.interpolated_precision == pytest.approx(0.6)
    assert report.aupr == pytest.approx(0.6)
    assert report.precision_at_80 == pytest.approx(0.6)
    assert report.precision_at_90 == pytest.approx(0.6)
    # score >= threshold keeps a span scored exactly at the threshold
    assert point(report, 0.6).tp == 2


def test_interpolated_precision_is_monotone() -> None:
    assert interpolate_precision([1.0, None, 0.2, 0.5, 0.4, None]) == [1.0, 0.5, 0.5, 0.5, 0.4, 0.0]
    assert interpolate_precision([]) == []


def test_report_curve_is_monotone(gold: dict[str, dict[str, GoldCategory]]) -> None:
    preds = [
        pred("c-a", "Non-Compete", [(NONCOMPETE_A1, 0.2), (WRONG_1, 0.7), (NONCOMPETE_A2, 0.55)]),
        pred("c-b", "Non-Compete", [(NONCOMPETE_B, 0.91), (WRONG_2, 0.4)]),
        pred("c-c", "Audit Rights", [(WRONG_2, 0.33)]),
    ]
    curve = score(gold, preds).pr_curve
    assert curve[0].threshold is None and curve[0].interpolated_precision == 1.0
    recalls = [p.recall for p in curve]
    interp = [p.interpolated_precision for p in curve]
    assert recalls == sorted(recalls)
    assert all(a >= b for a, b in pairwise(interp))
    assert all(p.precision is None or p.interpolated_precision >= p.precision for p in curve)


# --------------------------------------------------------------------------- presence


def test_presence_f1_and_threshold(tmp_path: Path) -> None:
    gold = load_gold(
        write_cuad(
            tmp_path,
            {
                "a": {"Audit Rights": ("Yes", ["audit the books"])},
                "b": {"Audit Rights": ("Yes", ["inspect records"])},
                "c": {},
            },
        )
    )
    preds = [
        pred("a", "Audit Rights", [("audit the books", 0.7)]),
        pred("b", "Audit Rights", [("inspect records", 0.4)]),
        pred("c", "Audit Rights", [("something else", 0.9)]),
    ]
    cat = score(gold, preds).per_category["Audit Rights"]
    assert (cat.presence_precision, cat.presence_recall, cat.presence_f1) == (0.5, 0.5, 0.5)
    assert cat.n_gold_contracts == 2
    low = score(gold, preds, presence_threshold=0.3).per_category["Audit Rights"]
    assert low.presence_precision == pytest.approx(2 / 3)
    assert low.presence_recall == 1.0
    assert low.presence_f1 == pytest.approx(0.8)


def test_presence_macro_skips_undefined_categories(
    gold: dict[str, dict[str, GoldCategory]],
) -> None:
    preds = [pred("c-a", "Non-Compete", [(NONCOMPETE_A1, 0.9)])]
    report = score(gold, preds)
    defined = [c.presence_f1 for c in report.per_category.values() if c.presence_f1 is not None]
    assert report.per_category["Audit Rights"].presence_f1 is None
    assert report.presence_macro_f1 == pytest.approx(sum(defined) / len(defined))


# --------------------------------------------------------------------------- answers


def test_date_normalization() -> None:
    assert parse_date("2/11/19") == (2019, 2, 11)
    assert parse_date("7/1/97") == (1997, 7, 1)
    assert parse_date("31/01/2025") == (2025, 1, 31)
    assert parse_date("09/[]/2018") == (2018, 9, None)
    assert parse_date("[]/[]/[]") is None
    assert parse_date("Perpetual") == "perpetual"
    for same in ("2019-02-11", "February 11, 2019", "Feb. 11th, 2019", "11 February 2019"):
        assert answers_match("Agreement Date", same, "2/11/2019") is True
    assert answers_match("Effective Date", "2019-02-12", "2/11/2019") is False
    assert answers_match("Agreement Date", "2013-06-01", "[]/[]/2013") is True
    assert answers_match("Agreement Date", "2014-06-01", "[]/[]/2013") is False
    assert answers_match("Expiration Date", "perpetual", "Perpetual") is True
    assert answers_match("Expiration Date", "9/5/2019", "09/05/2019; perpetual") is True
    assert answers_match("Agreement Date", None, "2/11/2019") is False
    assert answers_match("Agreement Date", "2019-02-11", "[]/[]/[]") is None


def test_duration_normalization() -> None:
    one_year = parse_duration("successive 1 year")
    assert one_year is not None and not isinstance(one_year, str)
    assert one_year.days == 365.0 and one_year.months == 12.0
    assert parse_duration("six (6) months") == parse_duration("6 months")
    assert parse_duration("perpetual") == "perpetual"
    assert parse_duration("successive []") is None
    assert answers_match("Renewal Term", "12 months", "successive 1 year") is True
    assert answers_match("Renewal Term", "1 year", "Successive 1 year") is True
    assert answers_match("Renewal Term", "54 months", "4 years, 6 months") is True
    assert answers_match("Renewal Term", "2 years", "successive 1 year") is False
    assert answers_match("Notice Period To Terminate Renewal", "1 month", "30 days") is True
    assert answers_match("Notice Period To Terminate Renewal", "180 days", "6 months") is True
    assert answers_match("Notice Period To Terminate Renewal", "sixty days", "60) days") is True
    assert answers_match("Notice Period To Terminate Renewal", "60 days", "90 days") is False
    assert answers_match("Notice Period To Terminate Renewal", "6 months", "180 days / 6 months")


def test_governing_law_normalization() -> None:
    assert normalize_jurisdictions("the laws of the State of New York") == {"new york"}
    assert normalize_jurisdictions("Province of Ontario, Canada") == {"ontario"}
    assert normalize_jurisdictions("England and Wales, UK") == {"england", "wales"}
    assert normalize_jurisdictions("[* * *]") == frozenset()
    law = "Governing Law"
    assert answers_match(law, "State of Delaware", "Delaware") is True
    assert answers_match(law, "delaware", "DELAWARE") is True
    assert answers_match(law, "Commonwealth of Massachusetts", "Massachusetts") is True
    assert answers_match(law, "England; Wales", "England, United Kingdom; Wales, United Kingdom")
    assert answers_match(law, "PRC", "People's Republic of China") is True
    assert answers_match(law, "Ontario", "British Columbia, Canada") is False
    assert answers_match(law, "England", "England and Wales") is False
    assert answers_match(law, "New York", "[]") is None


def test_answer_accuracy_in_report(gold: dict[str, dict[str, GoldCategory]]) -> None:
    preds = [
        pred("c-a", "Agreement Date", [], "2019-02-11"),
        pred("c-a", "Governing Law", [], "Delaware"),  # gold New York
        pred("c-b", "Renewal Term", [], "12 months"),
        pred("c-b", "Governing Law", [], None),  # null gold, null prediction
        pred("c-c", "Governing Law", [], "Texas"),  # null gold, non-null prediction
    ]
    report = score(gold, preds)
    law = report.answer_accuracy["Governing Law"]
    assert (law.n_scored, law.n_correct, law.accuracy) == (1, 0, 0.0)
    assert (law.n_null_gold, law.n_null_agree, law.null_agreement) == (2, 1, 0.5)
    assert report.answer_accuracy["Agreement Date"].accuracy == 1.0
    assert report.answer_accuracy["Renewal Term"].accuracy == 1.0
    assert report.per_category["Renewal Term"].answer_accuracy == 1.0
    assert report.per_category["Non-Compete"].answer_accuracy is None
    assert "Effective Date" not in report.answer_accuracy  # not in this synthetic set
    assert report.answer_accuracy_mean == pytest.approx((1.0 + 1.0 + 0.0) / 3)


# --------------------------------------------------------------------------- robustness


def test_unknown_ids_ignored_and_counted(gold: dict[str, dict[str, GoldCategory]]) -> None:
    preds = all_gold_predictions(gold, 0.8)
    noisy = [
        *preds,
        pred("nope", "Non-Compete", [(WRONG_2, 0.99)]),
        pred("nope", "Parties", [(WRONG_2, 0.99)]),
        pred("c-a", "Not A Category", [(WRONG_2, 0.99)]),
    ]
    clean, dirty = score(gold, preds), score(gold, noisy)
    assert dirty.aupr == clean.aupr == pytest.approx(1.0)
    assert dirty.warnings.unknown_id_lines == 2
    assert dirty.warnings.unknown_ids == ["nope"]
    assert dirty.warnings.unknown_category_lines == 1
    assert clean.warnings.unknown_id_lines == 0


def test_contract_without_predictions_is_all_false_negatives(
    gold: dict[str, dict[str, GoldCategory]],
) -> None:
    preds = [p for p in all_gold_predictions(gold, 0.8) if p.id != "c-b"]
    report = score(gold, preds)
    lowest = report.pr_curve[-1]
    assert lowest.fp == 0
    assert lowest.fn == 2  # c-b: one Non-Compete clause and one Renewal Term clause
    assert report.warnings.contracts_without_predictions == 1
    assert report.per_category["Non-Compete"].presence_recall == pytest.approx(0.5)


def test_duplicate_spans_and_empty_text(gold: dict[str, dict[str, GoldCategory]]) -> None:
    preds = [
        pred("c-a", "Non-Compete", [(NONCOMPETE_A1, 0.2), (NONCOMPETE_A1, 0.9), ("  ", 0.9)]),
        pred("c-a", "Non-Compete", [(WRONG_1, 0.9)]),
    ]
    report = score(gold, preds)
    p = point(report, 0.5)
    assert (p.tp, p.fp) == (1, 1)
    assert report.warnings.duplicate_lines == 1
    assert report.warnings.empty_text_spans == 1


def test_false_positives_in_category_without_gold(
    gold: dict[str, dict[str, GoldCategory]],
) -> None:
    preds = [*all_gold_predictions(gold, 0.8), pred("c-c", "Audit Rights", [(WRONG_2, 0.9)])]
    report = score(gold, preds)
    assert point(report, 0.5).fp == 1
    assert report.per_category["Audit Rights"].aupr is None
    assert report.per_category["Audit Rights"].presence_f1 == 0.0


# --------------------------------------------------------------------------- io, render


def test_load_gold_and_predictions_roundtrip(tmp_path: Path) -> None:
    root = write_cuad(tmp_path / "cuad", {"x": {"Audit Rights": ("Yes", ["audit"])}, "y": {}})
    gold = load_gold(root, ids={"x"})
    assert list(gold) == ["x"]
    assert gold["x"]["Audit Rights"].answer_type == "yes_no"
    assert gold["x"]["Audit Rights"].clauses[0].text == "audit"
    with pytest.raises(ValueError, match="not in the labels"):
        load_gold(root, ids={"x", "missing"})
    path = tmp_path / "preds.jsonl"
    path.write_text(
        json.dumps({"id": "x", "category": "Audit Rights", "answer": None,
                    "spans": [{"start": 0, "end": 5, "text": "audit", "score": 0.7}]})
        + "\n\n",
        encoding="utf-8",
    )  # fmt: skip
    preds = load_predictions(path)
    assert len(preds) == 1 and preds[0].spans[0].score == 0.7
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "x", "category": "A", "spans": [{"text": "t", "score": 2}]}))
    with pytest.raises(ValueError, match=r"bad\.jsonl:1"):
        load_predictions(bad)


def test_render_lists_categories(gold: dict[str, dict[str, GoldCategory]]) -> None:
    text = render(score(gold, all_gold_predictions(gold, 0.9)))
    assert "AUPR 1.000" in text
    for name, _ in CATEGORIES:
        assert name in text


def test_value_category_ranks_the_extracted_terms_evidence_first() -> None:
    """In the CUAD export a value category's spans start with the term's evidence; the
    classifier's sentences follow in their own order, below it; without a term they stand."""
    from extraction.cuad import prediction_lines
    from extraction.pipeline import Analysis, ClauseHit
    from extraction.types import Term

    text = "This Agreement is dated March 1, 2020. It starts on signature. Governed by Ohio law."
    hits = [
        ClauseHit(category="Agreement Date", start=39, end=62, score=0.97, segment=0),
        ClauseHit(category="Agreement Date", start=0, end=38, score=0.6, segment=0),
        ClauseHit(category="Governing Law", start=63, end=len(text), score=0.9, segment=0),
    ]
    term = Term(name="agreement_date", value="2020-03-01", text="March 1, 2020", start=24, end=37,
                confidence=0.8)  # fmt: skip
    analysis = Analysis(segments=[], sentences=[], segment_types=[], clauses=hits, terms=[term])
    lines = {
        line["category"]: line
        for line in prediction_lines("c", text, analysis, ["Agreement Date", "Governing Law"])
    }
    spans = lines["Agreement Date"]["spans"]
    assert spans[0]["text"] == "March 1, 2020" and spans[0]["score"] == 0.8
    assert [s["start"] for s in spans[1:]] == [39, 0]
    assert all(s["score"] < 0.8 for s in spans[1:])
    assert lines["Agreement Date"]["answer"] == "2020-03-01"
    assert lines["Governing Law"]["spans"][0]["score"] == 0.9  # no term: the classifier's own
