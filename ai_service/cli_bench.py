"""`clausewise bench ...`: the benchmarks (each prints its figures)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ai_service.cli_paths import require_cuad_dir
from ai_service.config import Settings

bench_app = typer.Typer(help="Benchmarks (print figures).", no_args_is_help=True)


def _cuad_pdf() -> Path:
    """The default PDF folder of the benchmarks: CUAD's pdf/."""
    return require_cuad_dir(None, need=("pdf/",), option="--pdf-dir") / "pdf"


@bench_app.command("ingest")
def bench_ingest(
    pdf_dir: Annotated[
        Path | None, typer.Option(help="Folder of PDFs", exists=True, file_okay=False)
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N files")] = None,
    workers: Annotated[int, typer.Option(min=1, max=16)] = 2,
) -> None:
    """Ingest throughput end to end beside pypdf alone and embedding alone."""
    from evals.bench_ingest import run_bench_ingest

    run_bench_ingest(pdf_dir or _cuad_pdf(), limit, workers)


@bench_app.command("load")
def bench_load(
    pdf_dir: Annotated[
        Path | None,
        typer.Option(help="Folder of PDFs (largest are used)", exists=True, file_okay=False),
    ] = None,
    largest: Annotated[int, typer.Option(min=1, max=100, help="How many PDFs")] = 10,
    clients: Annotated[int, typer.Option(min=1, max=64)] = 4,
    idle_s: Annotated[float, typer.Option(help="Seconds of the idle phase")] = 60.0,
    workers: Annotated[int, typer.Option(min=0, max=16, help="Worker processes")] = 2,
    port: Annotated[int, typer.Option(help="Port of the service it starts")] = 8109,
    max_ingest_s: Annotated[float, typer.Option(help="Stop waiting for ingestion after")] = 900,
    keep_log: Annotated[Path | None, typer.Option(help="Copy the service's log here")] = None,
    sustained_clients: Annotated[
        int, typer.Option(min=0, max=200, help="Then this many clients at once (0: skip)")
    ] = 0,
    sustained_s: Annotated[float, typer.Option(help="Seconds of the many-clients phase")] = 180,
    stop_trials: Annotated[
        int, typer.Option(min=0, max=20, help="SIGTERM with a document in flight, N times")
    ] = 1,
    from_data_dir: Annotated[
        Path | None,
        typer.Option(
            help="Start from a copy of this data directory (library already indexed)",
            exists=True,
            file_okay=False,
        ),
    ] = None,
) -> None:
    """Latency p50/p95 per endpoint, idle and while the largest real contracts are
    ingested, memory per process, and the stop with a document in flight: starts the
    service itself (a throw-away data directory)."""
    from evals.bench_load import run_bench_load

    typer.echo(
        run_bench_load(
            pdf_dir or _cuad_pdf(),
            largest=largest,
            clients=clients,
            idle_s=idle_s,
            workers=workers,
            port=port,
            max_ingest_s=max_ingest_s,
            keep_log=keep_log,
            sustained_clients=sustained_clients,
            sustained_s=sustained_s,
            stop_trials=stop_trials,
            from_data_dir=from_data_dir,
            echo=lambda line: typer.echo(line, err=True),
        )
    )


@bench_app.command("embed")
def bench_embed(
    cuad_dir: Annotated[Path | None, typer.Option(help="CUAD folder (contract text)")] = None,
    windows: Annotated[int, typer.Option(min=32)] = 512,
    threads: Annotated[int, typer.Option(min=1, max=64)] = 2,
    rounds: Annotated[int, typer.Option(min=1, help="Interleaved timing rounds")] = 3,
) -> None:
    """Embedding speed and agreement: torch fp32 against ONNX Runtime fp32 and int8, timed
    in interleaved rounds (the median round is reported)."""
    from evals.bench_embed import run_bench_embed

    settings = Settings()
    typer.echo(
        run_bench_embed(
            require_cuad_dir(cuad_dir, need=("contracts/",)),
            settings.data_dir / "models",
            windows,
            threads,
            rounds=rounds,
        )
    )


@bench_app.command("review")
def bench_review(
    cuad_dir: Annotated[Path | None, typer.Option(help="CUAD folder (its pdf/ is used)")] = None,
    repeats: Annotated[int, typer.Option(min=1, max=1000)] = 20,
) -> None:
    """Review latency p50/p95 for ~5, 30 and 100-page contracts beside their extraction time."""
    from evals.bench_review import run_bench_review

    typer.echo(run_bench_review(require_cuad_dir(cuad_dir, need=("pdf/",)), repeats))


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
    candidates: Annotated[
        bool,
        typer.Option(
            help="Also time the settings screened against the defaults (Qdrant's defaults "
            "among them), interleaved with them; each builds an index of its own"
        ),
    ] = False,
    segment_cache: Annotated[
        Path | None,
        typer.Option(
            help="Build the archive from this segment-vector cache (window vectors of every "
            "CUAD contract, ~/.cache/clausewise/segment-vectors) instead of embedding sentences",
            exists=True,
            file_okay=False,
        ),
    ] = None,
    top_up: Annotated[
        bool, typer.Option(help="With --segment-cache: embed sentences for any shortfall")
    ] = True,
) -> None:
    """Search latency/throughput: library, and an archive of real contract-text embeddings,
    against an exact numpy scan (p95 ratio and recall@10, each against its target)."""
    from evals.bench_search import run_bench_search

    settings = Settings()
    run_bench_search(
        n_vectors=vectors,
        n_queries=queries,
        cuad_dir=require_cuad_dir(cuad_dir, need=("contracts/",)),
        cache_dir=cache_dir or settings.data_dir / "bench-cache",
        compare_untuned=compare_untuned,
        candidates=candidates,
        library=library,
        segment_cache=segment_cache,
        top_up=top_up,
    )


@bench_app.command("calendar")
def bench_calendar(
    contracts: Annotated[int, typer.Option(help="Archive size in contracts")] = 1000,
    queries: Annotated[int, typer.Option(help="Requests per query shape")] = 100,
    database_url: Annotated[
        str | None, typer.Option(help="Throw-away database (default: SQLite in a temp folder)")
    ] = None,
) -> None:
    """GET /v1/calendar latency p50/p95 over an archive of N contracts with stored events."""
    from evals.bench_calendar import run_bench_calendar

    typer.echo(run_bench_calendar(contracts, queries, database_url))
