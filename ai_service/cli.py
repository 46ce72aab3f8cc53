"""The `clausewise` command."""

from __future__ import annotations

import json
import logging
import sys
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
        f"Clausewise starting on {base}\n  API docs: {base}/docs\n  health:   {base}/healthz\n"
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


@bench_app.command("search")
def bench_search(
    vectors: Annotated[int, typer.Option(help="Archive size in vectors")] = 100_000,
    queries: Annotated[int, typer.Option(help="Queries to time")] = 200,
    cuad_dir: Annotated[Path | None, typer.Option(help="CUAD folder (contract text)")] = None,
    cache_dir: Annotated[Path | None, typer.Option(help="Where embeddings are cached")] = None,
) -> None:
    """Search latency/throughput: library, and an archive of real contract-text embeddings,
    against an exact numpy scan (latency ratio and recall@10)."""
    from evals.bench_search import run_bench_search

    settings = Settings()
    run_bench_search(
        n_vectors=vectors,
        n_queries=queries,
        cuad_dir=cuad_dir or settings.cuad_dir,
        cache_dir=cache_dir or settings.data_dir / "bench-cache",
    )


if __name__ == "__main__":
    app()
