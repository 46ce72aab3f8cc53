"""A path option that points to nothing, a folder that is no CUAD folder, or a malformed
question/clause file: `clausewise` answers with a usage error (exit 2) naming the option and
the file, not a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ai_service.cli import app
from ai_service.cli_paths import require_cuad_dir

runner = CliRunner()


def run(*args: str) -> tuple[int, str, BaseException | None]:
    result = runner.invoke(app, list(args))
    # The error panel wraps and boxes the message: compare its words only.
    text = " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())
    return result.exit_code, text, result.exception


def assert_usage_error(code: int, text: str, exc: BaseException | None, *words: str) -> None:
    assert code == 2, text
    assert isinstance(exc, SystemExit)  # an uncaught exception would be kept here instead
    assert "Traceback" not in text
    for w in words:
        assert w in text, text


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Relative paths keep the messages short enough not to be wrapped mid-path.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLAUSEWISE_CUAD_DIR", "no-cuad-here")


def _cuad_without_labels() -> Path:
    folder = Path("almost-cuad")
    (folder / "contracts").mkdir(parents=True)
    return folder


@pytest.mark.parametrize(
    "command", [["eval", "typing"], ["eval", "terms"], ["eval", "cuad"], ["train"]]
)
def test_missing_cuad_folder(command: list[str]) -> None:
    code, text, exc = run(*command, "--cuad-dir", "missing-cuad")
    assert_usage_error(
        code, text, exc, "Invalid value for '--cuad-dir'", "'missing-cuad'", "does not exist"
    )


def test_default_cuad_folder_missing_names_the_setting() -> None:
    code, text, exc = run("eval", "deadlines")
    assert_usage_error(code, text, exc, "'--cuad-dir'", "no-cuad-here", "CLAUSEWISE_CUAD_DIR")


def test_folder_without_labels_is_no_cuad_folder() -> None:
    folder = _cuad_without_labels()
    code, text, exc = run("eval", "reconcile", "--cuad-dir", str(folder))
    assert_usage_error(code, text, exc, "'--cuad-dir'", "no CUAD folder", "labels.jsonl")
    assert "contracts/" not in text  # it has that one


def test_missing_pdf_folder_of_cuad() -> None:
    folder = _cuad_without_labels()
    code, text, exc = run("bench", "review", "--cuad-dir", str(folder))
    assert_usage_error(code, text, exc, "'--cuad-dir'", "pdf/")


def test_missing_input_file_and_folder_options() -> None:
    code, text, exc = run("eval", "ask", "--questions", "nowhere.yaml")
    assert_usage_error(code, text, exc, "'--questions'", "nowhere.yaml", "does not exist")
    code, text, exc = run("bench", "ingest", "--pdf-dir", "no-pdfs")
    assert_usage_error(code, text, exc, "'--pdf-dir'", "no-pdfs", "does not exist")
    code, text, exc = run("ingest", "gone.pdf")
    assert_usage_error(code, text, exc, "gone.pdf", "does not exist")


def test_questions_file_that_is_no_list() -> None:
    Path("qs.yaml").write_text("question: what is our liability cap?\n", encoding="utf-8")
    code, text, exc = run("eval", "ask", "--questions", "qs.yaml")
    assert_usage_error(code, text, exc, "'--questions'", "qs.yaml", "expected a list")


def test_pasted_file_item_missing_a_field() -> None:
    Path("pasted.yaml").write_text(
        "- id: a1\n  clause_type: payment_terms\n  text: Invoices are due in 30 days.\n"
        "- id: a2\n  clause_type: term\n",
        encoding="utf-8",
    )
    code, text, exc = run("eval", "typing", "--pasted", "pasted.yaml")
    assert_usage_error(code, text, exc, "'--pasted'", "pasted.yaml", "item 2 (a2)", "text")


def test_clause_file_with_bad_yaml() -> None:
    Path("clauses.yaml").write_text("- id: c1\n  text: [unclosed\n", encoding="utf-8")
    code, text, exc = run("eval", "review", "--clauses", "clauses.yaml")
    assert_usage_error(code, text, exc, "'--clauses'", "clauses.yaml", "not valid YAML")


def test_a_cuad_folder_passes() -> None:
    folder = _cuad_without_labels()
    (folder / "labels.jsonl").write_text("", encoding="utf-8")
    assert require_cuad_dir(folder) == folder
