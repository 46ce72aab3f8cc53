"""The clause-type model: typing third-party wording, refusing to guess, presence, training."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from extraction import analyze, type_text
from extraction.clause_types import TypeModel, decide_type
from extraction.segment import segment
from extraction.type_labels import heading_labels, heading_types
from retrieval import Embedder

LIBRARY = Path(__file__).resolve().parents[1] / "clause_index" / "library"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Customer shall pay all invoices within ninety (90) days of receipt.", "payment_terms"),
        (
            "Each party shall indemnify, defend and hold harmless the other party from any third "
            "party claims arising out of its gross negligence.",
            "indemnification",
        ),
        (
            "This Agreement shall be construed in accordance with the laws of the State of Texas, "
            "excluding its conflict of laws rules.",
            "governing_law",
        ),
    ],
)
def test_third_party_wording_is_typed(text: str, expected: str, embedder: Embedder) -> None:
    # As the service types pasted text: with its MiniLM vector.
    guess = type_text(text, embedder=embedder)
    assert guess.status == "typed", guess
    assert guess.clause_type == expected
    assert guess.closest[0].clause_type == expected


def test_a_less_sure_reading_is_uncertain_never_wrong(embedder: Embedder) -> None:
    text = (
        "Each party shall hold the other party's Confidential Information in confidence and "
        "shall not disclose it to any third party except as required by law."
    )
    guess = type_text(text, embedder=embedder)
    assert guess.clause_type in (None, "confidentiality")
    assert guess.closest[0].clause_type == "confidentiality"
    if guess.clause_type is None:
        assert guess.status == "uncertain" and "confidentiality" in guess.message


def test_gibberish_is_not_typed(embedder: Embedder) -> None:
    for text in ("Lorem ipsum dolor sit amet, consectetur adipiscing elit.", "asdf qwer zxcv 1234"):
        guess = type_text(text, embedder=embedder)
        assert guess.status in ("no_clause", "uncertain")
        assert guess.clause_type is None
        assert len(guess.closest) == 3


def test_empty_text_is_refused() -> None:
    with pytest.raises(ValueError):
        type_text("  \n ")


def test_close_call_is_uncertain_with_the_closest_types() -> None:
    types = ["a", "b", "c"]
    guess = decide_type(np.array([0.55, 0.5, 0.1]), types)
    assert guess.status == "uncertain" and guess.clause_type is None
    assert [c.clause_type for c in guess.closest] == ["a", "b", "c"]
    assert decide_type(np.array([0.9, 0.2, 0.1]), types).clause_type == "a"
    assert decide_type(np.array([0.05, 0.02, 0.01]), types).status == "no_clause"
    assert decide_type(np.array([0.9, 0.2, 0.1]), types, known={"b", "c"}).status != "typed"


CONTRACT = """MASTER SERVICES AGREEMENT

This Master Services Agreement is made between Northwind Traders, Inc. ("Client") and Contoso
Consulting LLC ("Consultant").

1. Services. Consultant shall provide the consulting services described in each statement of
work.

2. Payment. Client shall pay each invoice within sixty (60) days of receipt. Late amounts bear
interest at one percent per month.

5. Termination
5.1 Term. This Agreement begins on the Effective Date and continues for two years.
5.2 Termination for Cause. Either party may terminate this Agreement if the other party
materially breaches it and does not cure the breach within thirty days after written notice.

8. Indemnification
8.1 Indemnification. Consultant shall indemnify, defend and hold harmless Client from any
third-party claims arising out of Consultant's negligence or wilful misconduct.

9. Governing Law. This Agreement is governed by the laws of the State of Delaware.
"""


def test_presence_decides_with_confidence() -> None:
    analysis = analyze(CONTRACT)
    for t in ("indemnification", "termination_for_cause", "payment_terms", "governing_law"):
        p = analysis.presence_for(t)
        assert p.present is True, (t, p)
        assert p.segments, t
    # Never "absent" for what the contract has; an unknown type is never called absent.
    assert analysis.presence_for("no_such_type").present is None
    for t in ("indemnification", "payment_terms"):
        assert analysis.presence_for(t).confidence >= 0.5
    escrow = analysis.presence_for("source_code_escrow")
    assert escrow.present is not True and escrow.confidence < 0.5


def test_segment_vectors_are_used_when_given(embedder: Embedder) -> None:
    from extraction.type_vectors import embed_segments

    segs = segment(CONTRACT)
    sv = embed_segments(embedder, segs)
    assert sv.segment_matrix(len(segs)).shape == (len(segs), embedder.dim)
    analysis = analyze(CONTRACT, vectors=sv)
    assert analysis.vectors is sv
    assert analysis.presence_for("indemnification").present is True


def test_heading_weak_labels() -> None:
    assert heading_types("Indemnification") == ["indemnification"]
    assert heading_types("Termination for Cause") == ["termination_for_cause"]
    assert heading_types("Attorneys' Fees") == []
    assert heading_types(None) == []
    segs = segment(CONTRACT)
    labels = dict(zip((s.heading for s in segs), heading_labels(segs), strict=True))
    assert labels["Indemnification"] == ["indemnification"]
    assert labels["Termination for Cause"] == ["termination_for_cause"]
    assert labels["Payment"] == ["payment_terms"]
    assert labels["Master Services Agreement"] == []  # not a numbered section


def _tiny_cuad(root: Path) -> Path:
    """A CUAD-layout folder of four contracts written for this test."""
    (root / "contracts").mkdir(parents=True)
    cats = [
        {"name": "Governing Law", "answer_type": "value"},
        {"name": "Anti-Assignment", "answer_type": "yes_no"},
    ]
    (root / "categories.json").write_text(json.dumps({"categories": cats}))
    lines = []
    for k, state in enumerate(["Ohio", "Utah", "Iowa", "Texas"]):
        law = f"This Agreement is governed by the laws of the State of {state}."
        assign = "Neither party may assign this Agreement without the other party's consent."
        text = (
            f"SUPPLY AGREEMENT {k}\n\n1. Payment. Buyer shall pay invoices within {30 + k} days."
            f"\n\n2. Governing Law. {law}\n\n3. Assignment. {assign}\n\n4. Notices. Notices "
            "must be in writing.\n\n5. General. The parties agree to act in good faith. The "
            "parties agree to cooperate. The parties agree that this is the whole agreement.\n"
        )
        cid = f"tiny-{k}"
        (root / "contracts" / f"{cid}.txt").write_text(text)
        a, b = text.index(law), text.index(law) + len(law)
        c, d = text.index(assign), text.index(assign) + len(assign)
        lines.append(
            json.dumps(
                {
                    "id": cid,
                    "categories": {
                        "Governing Law": {
                            "answer": state,
                            "clauses": [{"text": law, "start": a, "end": b}],
                        },
                        "Anti-Assignment": {
                            "answer": "Yes",
                            "clauses": [{"text": assign, "start": c, "end": d}],
                        },
                    },
                }
            )
        )
    (root / "labels.jsonl").write_text("\n".join(lines) + "\n")
    return root


def test_train_command_on_a_tiny_fixture(tmp_path: Path) -> None:
    from ai_service.cli import app

    cuad = _tiny_cuad(tmp_path / "cuad")
    outs = []
    for name in ("a.npz", "b.npz"):
        out = tmp_path / name
        result = CliRunner().invoke(
            app,
            [
                "train", "--what", "types", "--cuad-dir", str(cuad), "--type-out", str(out),
                "--cache-dir", str(tmp_path / "cache"), "--no-embed", "--folds", "2",
                "--library-dir", str(LIBRARY),
            ],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        outs.append(TypeModel.load(out))
    a, b = outs
    assert a.labels[:32] == a.library_types and "Governing Law" in a.labels
    assert np.array_equal(a.head.w_text, b.head.w_text)  # deterministic
    assert np.array_equal(a.platt, b.platt)
    guess = type_text("The laws of the State of Nevada govern this Agreement.", model=a)
    assert guess.closest[0].clause_type == "governing_law"


def test_presence_is_decided_from_the_better_of_two_readings() -> None:
    from extraction.clause_types import SentencePresence, combine_presence

    # labels: a (a category speaks for it), b (none does)
    sentence = SentencePresence(
        sources=[["Cat A"], []],
        platt=np.array([[1.0, 0.0], [1.0, 0.0]]),
        present_at=np.array([0.5, 0.5]),
        absent_below=np.array([0.1, 0.1]),
    )
    present_at, absent_below = np.array([0.5, 0.5]), np.array([0.1, 0.1])
    # segment reading says absent, sentence reading says present: present
    q, present, absent = combine_presence(
        np.array([0.05, 0.05]), present_at, absent_below, sentence, np.array([0.9, 0.0])
    )
    assert present.tolist() == [True, False] and absent.tolist() == [False, True]
    assert q[0] == pytest.approx(0.9, abs=1e-3) and q[1] == pytest.approx(0.05)
    # absent only when both readings say so
    _, present, absent = combine_presence(
        np.array([0.05, 0.05]), present_at, absent_below, sentence, np.array([0.3, 0.3])
    )
    assert present.tolist() == [False, False] and absent.tolist() == [False, True]
    _, _, absent = combine_presence(
        np.array([0.05, 0.05]), present_at, absent_below, sentence, np.array([0.06, 0.3])
    )
    assert absent.tolist() == [True, True]
    # without sentence scores the segment reading decides alone
    _, present, absent = combine_presence(np.array([0.7, 0.05]), present_at, absent_below)
    assert present.tolist() == [True, False] and absent.tolist() == [False, True]


def test_sentence_reading_travels_with_the_model_file(tmp_path: Path) -> None:
    from extraction.clause_types import SentencePresence

    model = TypeModel.load()
    n = len(model.labels)
    model.sentence = SentencePresence(
        sources=[[lab] if lab not in model.library_types else [] for lab in model.labels],
        platt=np.tile(np.array([2.0, -1.0], dtype=np.float32), (n, 1)),
        present_at=np.full(n, 0.4, dtype=np.float32),
        absent_below=np.full(n, 0.05, dtype=np.float32),
    )
    model.present_at = np.full(n, 0.45, dtype=np.float32)
    model.save(tmp_path / "m.npz")
    again = TypeModel.load(tmp_path / "m.npz")
    assert again.sentence is not None and again.sentence.sources == model.sentence.sources
    assert np.allclose(again.sentence.platt, model.sentence.platt)
    assert again.present_at is not None and np.allclose(again.present_at, 0.45)
    best = np.zeros(n, dtype=np.float32)
    q, present, _ = again.presence(best, {"Governing Law": 0.99})
    j = again.labels.index("Governing Law")
    assert present[j] and q[j] > 0.9


def test_cuad_lines_say_what_the_presence_decision_says() -> None:
    from extraction.cuad import apply_presence

    def line(cat: str, *scores: float) -> dict:
        spans = [{"text": f"s{i}", "score": s, "segment": 0} for i, s in enumerate(scores)]
        return {"id": "c", "category": cat, "answer": None, "spans": spans}

    lines = [line("Audit Rights", 0.3, 0.1), line("Non-Compete", 0.8, 0.6), line("Parties", 0.2)]
    out = {x["category"]: x for x in apply_presence(lines, {"Audit Rights": True,
                                                            "Non-Compete": False,
                                                            "Parties": False})}  # fmt: skip
    audit = [s["score"] for s in out["Audit Rights"]["spans"]]
    assert audit[0] == pytest.approx(0.5) and audit[1] < audit[0]
    assert out["Audit Rights"]["answer"] == "Yes"
    compete = [s["score"] for s in out["Non-Compete"]["spans"]]
    assert max(compete) < 0.5 and compete[1] < compete[0] and out["Non-Compete"]["answer"] == "No"
    assert out["Parties"] == lines[2]  # a value category is answered by the term readers


def test_eval_cuad_answers_presence_out_of_fold(tmp_path: Path) -> None:
    from evals.cuad_eval import run_cross_validation

    cuad = _tiny_cuad(tmp_path / "cuad")
    out = tmp_path / "cv.jsonl"
    report = run_cross_validation(cuad, out, folds=2, with_types=False, cache_dir=tmp_path / "c")
    assert "presence decided out of fold" in report and "AUPR" in report
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert {x["category"] for x in lines} == {"Governing Law", "Anti-Assignment"}
    for x in lines:
        if x["category"] == "Anti-Assignment":
            top = max((s["score"] for s in x["spans"]), default=0.0)
            assert (x["answer"] == "Yes") == (top >= 0.5)
    # the second run reads the first pass from the cache
    assert list((tmp_path / "c").glob("cuad-lines.*.json.gz"))
    again = run_cross_validation(cuad, out, 2, False, cache_dir=tmp_path / "c")
    assert again.split("\n", 1)[1] == report.split("\n", 1)[1]


def test_pasted_text_reads_with_its_own_prior(embedder: Embedder) -> None:
    # A pasted clause is nearly always a clause: its probabilities are the segment
    # calibration shifted by the model's pasted-text shift, which turns this "not sure" into
    # a type, while a segment of a contract is read as before.
    from extraction.clause_types import text_vector

    text = (
        "Each party shall hold the other party's Confidential Information in confidence and "
        "shall not disclose it to any third party except as required by law."
    )
    vec = text_vector(embedder, text)[None, :]
    model = TypeModel.load()
    model.pasted_shift = None
    as_segment = model.predict([text], [None], vec)[0]
    assert np.allclose(model.predict_pasted([text], vec)[0], as_segment)
    before = type_text(text, model=model, embedder=embedder)
    assert before.status == "uncertain" and before.closest[0].clause_type == "confidentiality"
    model.pasted_shift = 1.5
    shifted = model.predict_pasted([text], vec)[0]
    j = model.labels.index("confidentiality")
    logit = np.log(shifted[j] / (1 - shifted[j])) - np.log(as_segment[j] / (1 - as_segment[j]))
    assert logit == pytest.approx(1.5, abs=1e-3)
    assert np.allclose(model.predict([text], [None], vec)[0], as_segment)  # segments unchanged
    after = type_text(text, model=model, embedder=embedder)
    assert after.status == "typed" and after.clause_type == "confidentiality"


def test_pasted_text_shift_is_fitted_on_pasted_like_spans(tmp_path: Path) -> None:
    from extraction.type_training import Dataset, Row, fit_pasted_shift

    # Two library types; every span is one clause of one of them, but the segment
    # calibration reads each at odds e^-2 too low: the fit gives that back as the shift.
    rng = np.random.default_rng(0)
    lib = ["a", "b"]
    rows = [Row(f"t{i}", None, {lib[i % 2]}, f"c{i}", "span") for i in range(200)]
    rows += [Row("x", "h", set(), "c0", "segment")]
    ds = Dataset(rows, [*lib, "Cat"], lib)
    y = ds.matrix_y()
    true = np.where(y[:, :2] > 0, 2.0, -3.0) + rng.normal(0, 1.0, (len(rows), 2))
    logits = np.zeros((len(rows), 3), dtype=np.float32)
    logits[:, :2] = true - 2.0
    platt = np.tile(np.array([1.0, 0.0], dtype=np.float32), (3, 1))
    use = np.ones(len(rows), dtype=bool)
    shift = fit_pasted_shift(ds, logits, platt, use)
    assert 1.5 <= shift <= 3.0
    assert fit_pasted_shift(ds, logits, platt, use) == shift  # deterministic
    # a calibration that already reads spans too high gets no shift (never a negative one)
    assert fit_pasted_shift(ds, logits + 4.0, platt, use) == 0.0
    few = np.zeros(len(rows), dtype=bool)
    few[:10] = True
    assert fit_pasted_shift(ds, logits, platt, few) == 0.0  # too few spans to tell
    # and it travels with the model file
    model = TypeModel.load()
    model.pasted_shift = shift
    model.save(tmp_path / "m.npz")
    assert TypeModel.load(tmp_path / "m.npz").pasted_shift == pytest.approx(shift)


def test_shipped_model_reads_pasted_text_as_a_clause() -> None:
    model = TypeModel.load()
    assert model.pasted_shift is not None and model.pasted_shift > 0


def test_train_refits_only_the_pasted_shift(tmp_path: Path) -> None:
    from ai_service.cli import app

    cuad = _tiny_cuad(tmp_path / "cuad")
    out = tmp_path / "m.npz"
    cache = str(tmp_path / "cache")
    common = ["--cuad-dir", str(cuad), "--type-out", str(out), "--cache-dir", cache,
              "--no-embed", "--folds", "2", "--library-dir", str(LIBRARY)]  # fmt: skip
    result = CliRunner().invoke(app, ["train", "--what", "types", *common])
    assert result.exit_code == 0, result.output
    before = TypeModel.load(out)
    result = CliRunner().invoke(app, ["train", "--what", "pasted", *common])
    assert result.exit_code == 0, result.output
    assert "pasted-text shift" in result.output
    after = TypeModel.load(out)
    # four contracts hold too few pasted-like clauses to fit a shift: none, but now recorded
    assert after.pasted_shift == 0.0
    assert np.array_equal(after.head.w_text, before.head.w_text)
    assert np.array_equal(after.platt, before.platt)
