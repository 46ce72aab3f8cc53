"""The shipped library: complete, consistent, and the schema rejects what it should."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from clause_index import DEFAULT_LIBRARY_DIR, ClauseType, load_library, render
from clause_index.errors import InvalidClause
from clause_index.schema import CUAD_CATEGORIES

REQUIRED_TYPES = {
    "limitation_of_liability",
    "indemnification",
    "payment_terms",
    "fees_and_pricing",
    "price_escalation",
    "term_and_renewal",
    "termination_for_convenience",
    "termination_for_cause",
    "governing_law",
    "dispute_resolution",
    "confidentiality",
    "data_protection",
    "warranties",
    "service_levels",
    "ip_ownership",
    "license_grant",
    "assignment",
    "change_of_control",
    "most_favored_nation",
    "exclusivity",
    "non_solicitation",
    "audit_rights",
    "insurance",
    "force_majeure",
    "publicity",
    "notices",
    "non_compete",
    "liquidated_damages",
    "minimum_commitment",
    "third_party_beneficiaries",
}


def test_library_covers_the_required_types() -> None:
    types = {f.clause_type.type for f in load_library()}
    assert types >= REQUIRED_TYPES
    assert len(types) >= 30


def test_every_position_renders_completely() -> None:
    for f in load_library():
        ct = f.clause_type
        for p in ct.positions:
            text = render(p.text, ct.effective_parameters(p.id))
            assert "{{" not in text and "}}" not in text, (ct.type, p.id)


def test_cuad_mapping_and_rules() -> None:
    files = load_library()
    mapped = {c for f in files for c in f.clause_type.cuad_categories}
    assert mapped <= set(CUAD_CATEGORIES)
    assert len(mapped) >= 20
    assert sum(len(f.clause_type.rules) for f in files) >= 40
    for f in files:
        if f.clause_type.required:
            assert any(c.field == "clause.present" for r in f.clause_type.rules for c in r.when), (
                f.clause_type.type
            )


def _lol() -> dict[str, Any]:
    return yaml.safe_load((DEFAULT_LIBRARY_DIR / "limitation_of_liability.yaml").read_text())


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["positions"][0].update(text=d["positions"][0]["text"] + " {{undeclared}}"),
        lambda d: d["parameters"]["cap_multiple"].update(default=9),
        lambda d: d["rules"][0]["when"][0].update(field="contract.anything"),
        lambda d: d["rules"][0]["when"][0].update(op="in", value=3),
        lambda d: d.update(cuad_categories=["Not A Category"]),
        lambda d: d.update(surprise="x"),
        lambda d: d.update(positions=d["positions"][:1]),
        lambda d: d["positions"][1].update(rank=5),
        lambda d: d["rules"][0].update(propose="fallback-99"),
        lambda d: d["rules"][2]["when"][0].update(field="param.not_a_param"),
    ],
)
def test_schema_rejects_bad_files(mutate: Any) -> None:
    ClauseType.model_validate(_lol())
    data = copy.deepcopy(_lol())
    mutate(data)
    with pytest.raises(ValidationError):
        ClauseType.model_validate(data)


def test_a_bad_file_fails_the_load_with_its_name(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("type: broken\nname: x\n")
    with pytest.raises(InvalidClause, match=r"broken\.yaml"):
        load_library(tmp_path)
    (tmp_path / "broken.yaml").unlink()
    data = _lol()
    (tmp_path / "other_name.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(InvalidClause, match="file name"):
        load_library(tmp_path)


def test_validate_command(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ai_service.cli import app

    ok = CliRunner().invoke(app, ["library", "validate"])
    assert ok.exit_code == 0 and "32 clause types" in ok.output
    (tmp_path / "broken.yaml").write_text("type: broken\nname: x\n")
    bad = CliRunner().invoke(app, ["library", "validate", str(tmp_path)])
    assert bad.exit_code == 1 and "broken.yaml" in bad.output


def test_a_malformed_rule_is_reported_with_its_line(tmp_path: Path) -> None:
    src = (DEFAULT_LIBRARY_DIR / "limitation_of_liability.yaml").read_text()
    bad = src.replace("op: gt, value: 2}", "op: greater, value: 2}", 1)
    assert bad != src
    (tmp_path / "limitation_of_liability.yaml").write_text(bad)
    line = 1 + bad.splitlines().index(next(ln for ln in bad.splitlines() if "op: greater" in ln))
    with pytest.raises(InvalidClause) as err:
        load_library(tmp_path)
    assert f"limitation_of_liability.yaml:{line}: rules." in str(err.value)
    assert "when.0.op" in str(err.value)


def test_validate_refuses_a_rule_on_an_unknown_fact(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ai_service.cli import app

    src = (DEFAULT_LIBRARY_DIR / "limitation_of_liability.yaml").read_text()
    bad = src.replace("term.liability_uncapped", "term.liability_uncaped", 1)
    assert bad != src
    (tmp_path / "limitation_of_liability.yaml").write_text(bad)
    out = CliRunner().invoke(app, ["library", "validate", str(tmp_path)])
    assert out.exit_code == 1
    assert "unknown fact 'term.liability_uncaped'" in out.output
