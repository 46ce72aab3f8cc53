"""Checks the library's rules need beyond their schema: every `term.*` a rule tests must be
a fact the review computes (a misspelt fact would make its rule silently never fire), and
the routing file must load."""

from __future__ import annotations

from pathlib import Path

from clause_index import LibraryFile
from review.facts import FACTS
from review.routing import load_routing


def rule_problems(files: list[LibraryFile], routing: Path | None = None) -> list[str]:
    problems = []
    for lf in files:
        for rule in lf.clause_type.rules:
            for c in rule.when:
                if c.field.startswith("term.") and c.field[5:] not in FACTS:
                    problems.append(
                        f"{lf.path.name}: rule {rule.id}: unknown fact {c.field!r} "
                        f"(known: term.<{', '.join(sorted(FACTS)[:5])}, ...>)"
                    )
    try:
        load_routing(routing)
    except Exception as exc:  # any failure to load is reported the same way
        problems.append(f"routing.yaml: {exc}")
    return problems
