"""Which contract a question names, without the search: `archive.naming.decide` on CUAD.

Builds each contract's name entry as the archive does (parties read by `extract_terms`, the
title, the preamble) for the first N contracts, then for every question of a question file
(as written and typed in lower case) counts whether the decision narrowed to the named
contract, narrowed to a wrong one (the failure that must never happen), boosted the named
contract, or named none. No embeddings, so it runs in a minute on a laptop.

    python -m evals.naming_eval ../shared/cuad [--questions FILE] [--contracts 100]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from archive.naming import PREAMBLE_CHARS, NameEntry, decide
from evals.archive_search import DEFAULT_QUESTIONS, load_labels, load_questions, lowercased
from extraction.terms import extract_terms


def entries_for(cuad_dir: Path, n_contracts: int) -> list[NameEntry]:
    out = []
    for label in load_labels(cuad_dir)[:n_contracts]:
        cid = str(label["id"])
        text = (cuad_dir / "contracts" / f"{cid}.txt").read_text(encoding="utf-8")
        names: list[str] = []
        for t in extract_terms(text):
            if t.name == "parties" and isinstance(t.value, dict):
                names += [str(t.value[k]) for k in ("name", "alias") if t.value.get(k)]
        out.append(NameEntry(cid, tuple(names), label.get("title") or "", text[:PREAMBLE_CHARS]))
    return out


def verdicts(questions: Path | None, entries: list[NameEntry]) -> dict[str, Counter[str]]:
    qs = load_questions(questions)
    out: dict[str, Counter[str]] = {}
    for name, variant in (("as written", qs), ("lower case", lowercased(qs))):
        c: Counter[str] = Counter()
        for q in variant:
            d = decide(q.question, entries)
            if q.contract_id is None:  # asks across the archive: must not be narrowed
                c["unnamed, narrowed" if d.narrow_to else "unnamed, not narrowed"] += 1
                continue
            if d.narrow_to:
                c["narrowed, right" if q.contract_id in d.narrow_to else "narrowed, WRONG"] += 1
            elif q.contract_id in d.boost:
                c["boosted, right"] += 1
            elif d.boost:
                c["boosted others only"] += 1
            else:
                c["no name read"] += 1
        out[name] = c
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("cuad_dir", type=Path)
    parser.add_argument("--questions", type=Path, action="append", default=None)
    parser.add_argument("--contracts", type=int, default=100)
    args = parser.parse_args(argv)
    entries = entries_for(args.cuad_dir, args.contracts)
    for path in args.questions or [DEFAULT_QUESTIONS]:
        for variant, c in verdicts(path, entries).items():
            total = sum(c.values())
            shown = ", ".join(f"{k} {v}" for k, v in sorted(c.items()))
            print(f"{path.name} ({variant}, {total} questions): {shown}")


if __name__ == "__main__":
    main()
