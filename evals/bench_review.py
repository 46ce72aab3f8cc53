"""Review latency beside extraction time, on real CUAD PDFs of about 5, 30 and 100 pages.

For each size the PDF whose page count is closest is taken from the CUAD folder; extraction
(pypdf text + segmentation, classification and terms) is timed once, then the review
(facts + matching + rules) is timed `repeats` times for p50/p95. Prints figures only.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from pypdf import PdfReader

TARGET_PAGES = (5, 30, 100)


def _pick(pdf_dir: Path, targets: tuple[int, ...]) -> list[tuple[int, Path, int]]:
    counts: list[tuple[Path, int]] = []
    for p in sorted(pdf_dir.glob("*.pdf")):
        try:
            counts.append((p, len(PdfReader(p).pages)))
        except Exception:
            continue
    out = []
    for t in targets:
        p, n = min(counts, key=lambda c: (abs(c[1] - t), c[0].name))
        out.append((t, p, n))
    return out


def run_bench_review(cuad_dir: Path, repeats: int = 20) -> str:
    from extraction import analyze, extract_text
    from review import LibrarySnapshot, Reviewer
    from review.facts import compute_facts
    from review.library import clauses_from_files

    clauses = clauses_from_files()
    type_map: dict[str, list[str]] = {}
    for c in clauses:
        for cat in c.cuad_categories:
            type_map.setdefault(cat, [])
            if c.clause_type not in type_map[cat]:
                type_map[cat].append(c.clause_type)
    reviewer = Reviewer(LibrarySnapshot.build(clauses))
    lines = [
        f"{'target':>6} {'pages':>5} {'chars':>8} {'extract s':>9} {'review p50 ms':>13} "
        f"{'review p95 ms':>13} {'flags':>5}  file"
    ]
    analyze("warm-up text. The laws of Delaware govern.")  # load the classifier once
    for target, path, pages in _pick(cuad_dir / "pdf", TARGET_PAGES):
        t0 = time.perf_counter()
        doc = extract_text(path.read_bytes())
        analysis = analyze(doc.text, type_map=type_map)
        extract_s = time.perf_counter() - t0
        times = []
        flags = 0
        for _ in range(repeats):
            t1 = time.perf_counter()
            facts = compute_facts(doc.text, analysis)
            out = reviewer.review(doc.text, analysis, facts, None, doc.page_at)
            times.append((time.perf_counter() - t1) * 1000)
            flags = len(out.flags)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        lines.append(
            f"{target:>6} {pages:>5} {len(doc.text):>8} {extract_s:>9.2f} "
            f"{statistics.median(times):>13.1f} {p95:>13.1f} {flags:>5}  {path.name[:50]}"
        )
    return "\n".join(lines)
