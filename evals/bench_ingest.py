"""`clausewise bench ingest`: end-to-end ingest throughput beside its two unavoidable costs.

Measured in one run on the same files: (1) pypdf text extraction alone, (2) embedding the
extracted text alone (the same pieces the archive indexes), (3) upload to searchable through
the service's own stack. Prints figures; asserts nothing.
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_bench_ingest(pdf_dir: Path, limit: int | None, workers: int) -> None:
    from ai_service.app import build_services
    from ai_service.config import Settings
    from ai_service.workers import start_processing
    from extraction import extract_text
    from extraction.segment import segment
    from retrieval import Embedder

    console = Console(width=120)
    files = sorted(p for p in pdf_dir.iterdir() if p.suffix.lower() in (".pdf", ".docx", ".txt"))
    files = files[:limit] if limit else files
    if not files:
        raise SystemExit(f"no PDF, DOCX or text files in {pdf_dir}")
    blobs = [f.read_bytes() for f in files]
    embedder = Embedder()

    # -- end to end first, with a cold embedding cache.
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,
            data_dir=Path(tmp),
            database_url=None,  # type: ignore[call-arg]
            qdrant_url=None,
            workers=0,
            worker_mode="thread",
            bootstrap_admin_key="bench",
        )
        services = build_services(settings, embedder=embedder)
        archive = services.archive
        t0 = time.perf_counter()
        ids = [
            archive.upload(b, title=f.stem, filename=f.name, deal=None, actor="bench").id
            for f, b in zip(files, blobs, strict=True)
        ]
        processing = start_processing(services, workers)
        with Progress(console=console) as bar:
            task = bar.add_task("upload -> searchable", total=len(ids))
            while True:
                done = [archive.wait(i, 0) for i in ids]
                finished = [d for d in done if d.status in ("ready", "failed")]
                bar.update(task, completed=len(finished))
                if len(finished) == len(ids):
                    break
                time.sleep(0.2)
        e2e_s = time.perf_counter() - t0
        processing.stop()
        failed = [(d.title, d.error_code) for d in done if d.status == "failed"]
        pages = sum(d.page_count or 0 for d in done)
        services.store.close()
        services.db.dispose()

    # -- pypdf alone.
    t0 = time.perf_counter()
    texts = []
    for b in blobs:
        try:
            texts.append(extract_text(b, deadline_s=None).text)
        except Exception:
            texts.append("")
    extract_s = time.perf_counter() - t0

    # -- embedding alone: the segments, in the model's windows, as the archive embeds them.
    embedder.clear_cache()
    pieces = [p.text for t in texts for s in segment(t) for p in embedder.split(s.text)]
    t0 = time.perf_counter()
    for i in range(0, len(pieces), 256):
        embedder.embed(pieces[i : i + 256])
    embed_s = time.perf_counter() - t0

    table = Table(title=f"clausewise bench ingest: {len(files)} files, {pages} pages")
    for col in ("stage", "seconds", "pages/s", "contracts/s"):
        table.add_column(col)
    for name, sec in (
        ("pypdf text extraction alone", extract_s),
        ("embedding the extracted text alone", embed_s),
        ("sum of the two unavoidable costs", extract_s + embed_s),
        (f"end to end, upload to searchable ({workers} workers)", e2e_s),
    ):
        table.add_row(name, f"{sec:.1f}", f"{pages / sec:.1f}", f"{len(files) / sec:.2f}")
    console.print(table)
    console.print(
        f"end to end / unavoidable = {e2e_s / (extract_s + embed_s):.2f}x; "
        f"{len(pieces)} pieces embedded; peak memory {_peak_rss_mb():.0f} MB; "
        f"failures: {failed or 'none'}"
    )
