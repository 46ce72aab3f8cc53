"""The `clausewise` command."""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from ai_service.config import Settings

app = typer.Typer(help="Clausewise: contract drafting and review service.", no_args_is_help=True)
bench_app = typer.Typer(help="Benchmarks (print figures).", no_args_is_help=True)
eval_app = typer.Typer(help="Evaluations (print figures).", no_args_is_help=True)
library_app = typer.Typer(help="The clause library files.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")
app.add_typer(eval_app, name="eval")
app.add_typer(library_app, name="library")


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out)


def _logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JsonFormatter())
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    for noisy in ("httpx", "sentence_transformers", "transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Overrides CLAUSEWISE_HOST")] = None,
    port: Annotated[int | None, typer.Option(help="Overrides CLAUSEWISE_PORT")] = None,
) -> None:
    """Run the HTTP service (migrates the database and loads the library on start)."""
    import uvicorn

    from ai_service.app import create_app

    overrides = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    settings = Settings(**overrides)  # type: ignore[arg-type]
    _logging(settings.log_level)
    base = f"http://{settings.host}:{settings.port}"
    print(
        f"Clausewise starting on {base}\n  sign in:  {base}/login (with an API key)\n"
        f"  API docs: {base}/docs\n  health:   {base}/healthz\n"
        f"  data:     {settings.data_dir.resolve()}",
        flush=True,
    )
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
    )


@library_app.command("validate")
def library_validate(
    directory: Annotated[Path | None, typer.Argument(help="Library folder")] = None,
) -> None:
    """Validate the library files (schema, placeholders, rules) without starting anything."""
    from clause_index import load_library
    from clause_index.errors import InvalidClause

    try:
        files = load_library(directory)
    except InvalidClause as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    from review.checks import rule_problems

    problems = rule_problems(files)
    if problems:
        typer.echo("invalid playbook rules:\n" + "\n".join(problems), err=True)
        raise typer.Exit(1)
    positions = sum(len(f.clause_type.positions) for f in files)
    rules = sum(len(f.clause_type.rules) for f in files)
    typer.echo(f"{len(files)} clause types, {positions} positions, {rules} playbook rules: valid")


@eval_app.command("library-search")
def eval_library_search(
    questions: Annotated[Path | None, typer.Option(help="YAML question set")] = None,
) -> None:
    """Top-1 clause-type accuracy of library search on reps' questions."""
    from evals.library_search import run_library_search_eval

    report = run_library_search_eval(questions)
    typer.echo(report.render())


@eval_app.command("cuad")
def eval_cuad(
    cuad_dir: Annotated[Path | None, typer.Option(help="CUAD folder")] = None,
    folds: Annotated[int, typer.Option(min=2, max=20)] = 5,
    out: Annotated[Path, typer.Option(help="Where the fold predictions go")] = Path(
        "data/eval/cuad-cv.jsonl"
    ),
) -> None:
    """CUAD metric (AUPR, precision at 80/90% recall, presence F1, answer accuracy) by
    k-fold cross-validation: never scores a contract the model was trained on."""
    from evals.cuad_eval import run_cross_validation

    typer.echo(run_cross_validation(cuad_dir or Settings().cuad_dir, out, folds))


@eval_app.command("archive")
def eval_archive(
    cuad_dir: Annotated[Path | None, typer.Option(help="CUAD folder")] = None,
    questions: Annotated[Path | None, typer.Option(help="YAML question set")] = None,
    contracts: Annotated[int, typer.Option(help="Contracts to ingest")] = 100,
) -> None:
    """Archive search on questions in people's words: right clause in the first 10 hits,
    latency; ingests the first N CUAD contracts into a throw-away archive first."""
    from evals.archive_search import run_archive_search_eval

    report = run_archive_search_eval(cuad_dir or Settings().cuad_dir, questions, contracts)
    typer.echo(report.render())


@eval_app.command("review")
def eval_review(
    cuad_dir: Annotated[Path | None, typer.Option(help="CUAD folder")] = None,
    cuad: Annotated[bool, typer.Option(help="Also measure CUAD rule agreement (5-fold CV)")] = True,
    limit: Annotated[int | None, typer.Option(help="CUAD contracts (default all)")] = None,
) -> None:
    """Review quality: standard-language contract (0 flags), fallback contracts (exactly the
    fallback's approval), a perturbation suite from the library (detection, false positives),
    and rule-level agreement with CUAD's expert labels."""
    from rich.progress import Progress

    from evals.review_eval import run_review_eval

    with Progress(transient=True) as bar:
        task = bar.add_task("review eval", total=None)
        report = run_review_eval(progress=lambda i, n: bar.update(task, completed=i, total=n))
    typer.echo(report.render())
    folder = cuad_dir or Settings().cuad_dir
    if cuad and (folder / "labels.jsonl").exists():
        from evals.review_cuad import run_review_cuad

        typer.echo("\nCUAD rule-level agreement (5-fold cross-validation):")
        typer.echo(run_review_cuad(folder, limit=limit).render_text())
    elif cuad:
        typer.echo(f"\n(no CUAD data at {folder}: rule agreement skipped)")


@eval_app.command("ask")
def eval_ask(
    questions: Annotated[Path | None, typer.Option(help="YAML question set")] = None,
) -> None:
    """The drafting assistant on reps' questions: clause type, decision, approvers, filled
    values per intent, and latency (grounded mode)."""
    from evals.ask_eval import run_ask_eval

    typer.echo(run_ask_eval(questions).render())


@app.command()
def train(
    cuad_dir: Annotated[Path | None, typer.Option(help="CUAD folder with labels.jsonl")] = None,
    out: Annotated[Path | None, typer.Option(help="Model file (default: the shipped one)")] = None,
) -> None:
    """Rebuild the clause classifier from CUAD (deterministic)."""
    from extraction.classify import DEFAULT_MODEL
    from extraction.cuad import train_classifier

    clf = train_classifier(cuad_dir or Settings().cuad_dir)
    target = out or DEFAULT_MODEL
    clf.save(target)
    typer.echo(f"clause classifier with {len(clf.categories)} categories written to {target}")


@app.command()
def extract(
    out: Annotated[Path, typer.Option(help="Output JSONL")],
    cuad_dir: Annotated[Path | None, typer.Option(help="Folder with contracts/*.txt")] = None,
    model: Annotated[Path | None, typer.Option(help="Classifier file")] = None,
) -> None:
    """Run the service's extraction pipeline over a CUAD-style folder: one line per contract
    and CUAD category with the answer and scored spans."""
    import json

    from rich.progress import track

    from extraction.classify import DEFAULT_MODEL, ClauseClassifier
    from extraction.cuad import categories, contract_ids, extract_contract

    folder = cuad_dir or Settings().cuad_dir
    clf = ClauseClassifier.load(model or DEFAULT_MODEL)
    cats = clf.categories if not (folder / "categories.json").exists() else categories(folder)
    ids = contract_ids(folder)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for cid in track(ids, description="extracting"):
            for line in extract_contract(folder, cid, clf, cats):
                f.write(json.dumps(line) + "\n")
    typer.echo(f"{len(ids)} contracts -> {out}")


@bench_app.command("ingest")
def bench_ingest(
    pdf_dir: Annotated[Path | None, typer.Option(help="Folder of PDFs")] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N files")] = None,
    workers: Annotated[int, typer.Option(min=1, max=16)] = 2,
) -> None:
    """Ingest throughput end to end beside pypdf alone and embedding alone."""
    from evals.bench_ingest import run_bench_ingest

    run_bench_ingest(pdf_dir or Settings().cuad_dir / "pdf", limit, workers)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders")],
    workers: Annotated[int, typer.Option(min=1, max=16, help="Parallel workers")] = 2,
) -> None:
    """Bulk-ingest contracts into the archive on this machine's data directory (stop the
    service first when it uses the embedded vector store). Files already in the archive are
    skipped by content hash, so an interrupted run just resumes."""
    import hashlib
    from functools import partial

    from rich.progress import Progress

    from ai_service.app import build_services
    from extraction import ExtractionError
    from extraction.service import find_by_hash

    settings = Settings(workers=0)  # type: ignore[call-arg]
    _logging("WARNING")
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith("."))
        elif p.is_file():
            files.append(p)
        else:
            typer.echo(f"not found: {p}", err=True)
    services = build_services(settings)
    archive = services.archive
    queued: dict[str, Path] = {}
    skipped = 0
    refused: list[tuple[Path, str]] = []
    for f in files:
        data = f.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        if services.archive.read(partial(find_by_hash, sha=sha)) is not None:
            skipped += 1
            continue
        try:
            out = archive.upload(data, title=None, filename=f.name, deal=None, actor="cli:ingest")
            queued[out.id] = f
        except ExtractionError as exc:
            refused.append((f, exc.code))
    archive.start_workers(workers)
    failed: list[tuple[Path, str]] = []
    try:
        with Progress() as bar:
            task = bar.add_task("processing", total=len(queued))
            pending = set(queued)
            while pending:
                for cid in list(pending):
                    st = archive.wait(cid, 0)
                    if st.status in ("ready", "failed"):
                        pending.discard(cid)
                        bar.advance(task)
                        if st.status == "failed":
                            failed.append((queued[cid], f"{st.error_code}: {st.error_message}"))
                time.sleep(0.2)
    finally:
        archive.stop_workers()
        services.store.close()
    typer.echo(
        f"{len(queued) - len(failed)} ingested, {skipped} already in the archive, "
        f"{len(refused) + len(failed)} failed"
    )
    for f, why in refused + failed:
        typer.echo(f"  FAILED {f}: {why}")
    if refused or failed:
        raise typer.Exit(1)


@app.command()
def reprocess(
    contract_id: Annotated[str | None, typer.Argument(help="One contract (default: all)")] = None,
    workers: Annotated[int, typer.Option(min=1, max=16)] = 2,
) -> None:
    """Run the current pipeline again on stored originals (after an upgrade)."""
    from rich.progress import Progress

    from ai_service.app import build_services
    from extraction import service as archive_service

    services = build_services(Settings(workers=0))  # type: ignore[call-arg]
    archive = services.archive
    n = archive.reprocess(contract_id, "cli:reprocess")
    archive.start_workers(workers)
    try:
        with Progress() as bar:
            task = bar.add_task("reprocessing", total=n)
            while True:
                left = len(
                    archive.read(
                        lambda s: archive_service.list_contracts(
                            s, archive_service.ArchiveFilters(status="pending"), limit=100000
                        )
                    )
                )
                busy = len(
                    archive.read(
                        lambda s: archive_service.list_contracts(
                            s, archive_service.ArchiveFilters(status="processing"), limit=100000
                        )
                    )
                )
                bar.update(task, completed=n - left - busy)
                if not left and not busy:
                    break
                time.sleep(0.5)
    finally:
        archive.stop_workers()
        services.store.close()
    typer.echo(f"{n} contracts reprocessed")


@bench_app.command("review")
def bench_review(
    cuad_dir: Annotated[Path | None, typer.Option(help="CUAD folder (its pdf/ is used)")] = None,
    repeats: Annotated[int, typer.Option(min=1, max=1000)] = 20,
) -> None:
    """Review latency p50/p95 for ~5, 30 and 100-page contracts beside their extraction time."""
    from evals.bench_review import run_bench_review

    typer.echo(run_bench_review(cuad_dir or Settings().cuad_dir, repeats))


@bench_app.command("search")
def bench_search(
    vectors: Annotated[int, typer.Option(help="Archive size in vectors")] = 100_000,
    queries: Annotated[int, typer.Option(help="Queries to time")] = 200,
    cuad_dir: Annotated[Path | None, typer.Option(help="CUAD folder (contract text)")] = None,
    cache_dir: Annotated[Path | None, typer.Option(help="Where embeddings are cached")] = None,
    compare_untuned: Annotated[
        bool, typer.Option(help="Also time an archive indexed with Qdrant's default settings")
    ] = False,
    library: Annotated[bool, typer.Option(help="Time library search end to end")] = True,
) -> None:
    """Search latency/throughput: library, and an archive of real contract-text embeddings,
    against an exact numpy scan (p95 ratio and recall@10, each against its target)."""
    from evals.bench_search import run_bench_search

    settings = Settings()
    run_bench_search(
        n_vectors=vectors,
        n_queries=queries,
        cuad_dir=cuad_dir or settings.cuad_dir,
        cache_dir=cache_dir or settings.data_dir / "bench-cache",
        compare_untuned=compare_untuned,
        library=library,
    )


if __name__ == "__main__":
    app()
