"""Library search on reps' questions: the right clause type must come first.

Two question sets, both written in reps' words without looking at the library text: the
first was used while improving the library's aliases, the held-out one never was.
Figures are printed by `clausewise eval library-search`; these floors catch regressions.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.library_search import DEFAULT_QUESTIONS, evaluate, load_questions
from tests.conftest import Api

HELDOUT = DEFAULT_QUESTIONS.parent / "library_search_heldout.yaml"


@pytest.mark.parametrize(("path", "floor"), [(DEFAULT_QUESTIONS, 0.75), (HELDOUT, 0.9)])
def test_right_clause_type_first(api: Api, path: Path, floor: float) -> None:
    questions = load_questions(path)
    assert len(questions) >= 40
    assert len({q.expected_type for q in questions}) >= 28
    report = evaluate(api.services.library, questions)
    assert report.top1_accuracy >= floor, report.render()
    assert report.top3_accuracy >= 0.8, report.render()
