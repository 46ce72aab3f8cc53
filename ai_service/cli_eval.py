"""`clausewise eval ...`: the evaluations (each prints its figures)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, get_args

import typer

from ai_service.cli_paths import eval_file, require_cuad_dir
from ai_service.config import Settings

eval_app = typer.Typer(help="Evaluations (print figures).", no_args_is_help=True)

# Evaluations compare the embedding backends with this option (default: the configured one).
BackendOption = Annotated[
    str | None,
    typer.Option(help="torch, onnx-fp32 or onnx-int8 (default: the configured backend)"),
]


def _settings_for_backend(backend: str | None) -> Settings:
    settings = Settings()
    if backend is None:
        return settings
    allowed = get_args(Settings.model_fields["embedding_backend"].annotation)
    if backend not in allowed:
        raise typer.BadParameter(f"one of {', '.join(allowed)}", param_hint="--embedding-backend")
    return settings.model_copy(update={"embedding_backend": backend})


@eval_app.command("library-search")
def eval_library_search(
    questions: Annotated[
        Path | None, typer.Option(help="YAML question set", exists=True, dir_okay=False)
    ] = None,
    embedding_backend: BackendOption = None,
) -> None:
    """Top-1 clause-type accuracy of library search on reps' questions."""
    from ai_service.app import make_embedder
    from evals.library_search import run_library_search_eval

    embedder = make_embedder(_settings_for_backend(embedding_backend))
    typer.echo(f"embedding backend: {embedder.backend}")
    with eval_file("--questions"):
        report = run_library_search_eval(questions, embedder)
    typer.echo(report.render())


@eval_app.command("cuad")
def eval_cuad(
    cuad_dir: Annotated[Path | None, typer.Option(help="CUAD folder")] = None,
    folds: Annotated[int, typer.Option(min=2, max=20)] = 5,
    out: Annotated[Path, typer.Option(help="Where the fold predictions go")] = Path(
        "data/eval/cuad-cv.jsonl"
    ),
    with_types: Annotated[
        bool, typer.Option(help="Weigh sentences by the clause-type model's segment scores")
    ] = True,
    presence: Annotated[
        bool,
        typer.Option(
            help="Answer presence with the out-of-fold presence decision (--no-presence: a "
            "span scoring >= 0.5, as before)"
        ),
    ] = True,
) -> None:
    """CUAD metric (AUPR, precision at 80/90% recall, presence F1, answer accuracy) by
    k-fold cross-validation: never scores a contract the model was trained on."""
    from evals.cuad_eval import run_cross_validation

    typer.echo(run_cross_validation(require_cuad_dir(cuad_dir), out, folds, with_types, presence))


@eval_app.command("typing")
def eval_typing(
    cuad_dir: Annotated[Path | None, typer.Option(help="CUAD folder")] = None,
    pasted: Annotated[
        Path | None,
        typer.Option(
            help="YAML list of {id, text, clause_type} to score instead",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    folds: Annotated[int, typer.Option(min=2, max=20)] = 5,
    cache_dir: Annotated[Path | None, typer.Option(help="Embedding cache")] = None,
    embedding_backend: BackendOption = None,
) -> None:
    """Clause typing: out-of-fold top-1 of pasted CUAD spans and heading-labelled sections,
    and the present/absent decisions; or, with --pasted, the shipped model on a file."""
    from evals.typing_eval import load_pasted, run_pasted_eval, run_typing_eval

    if pasted is not None:
        from ai_service.app import make_embedder

        with eval_file("--pasted"):
            load_pasted(pasted)  # a malformed file fails before the model loads
        embedder = make_embedder(_settings_for_backend(embedding_backend))
        typer.echo(f"embedding backend: {embedder.backend}")
        typer.echo(run_pasted_eval(pasted, embedder).render())
        return
    if embedding_backend is not None:
        # The cross-validated run trains on cached torch vectors of the whole dev split.
        raise typer.BadParameter("only with --pasted", param_hint="--embedding-backend")
    report = run_typing_eval(
        require_cuad_dir(cuad_dir),
        folds=folds,
        cache_dir=cache_dir,
        progress=lambda k, n: typer.echo(f"fold {k}/{n} fitted"),
    )
    typer.echo(report.render())


@eval_app.command("reconcile")
def eval_reconcile(
    cuad_dir: Annotated[Path | None, typer.Option(help="CUAD folder")] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N contracts")] = None,
    errors: Annotated[bool, typer.Option(help="List the pairs judged wrongly")] = False,
) -> None:
    """Mismatch precision and recall on CRM/billing records planted with documented
    mismatches against CUAD dev contracts, and clean pairs with a false mismatch."""
    from evals.reconcile_eval import run_reconcile_eval

    report = run_reconcile_eval(require_cuad_dir(cuad_dir), limit)
    typer.echo(report.render())
    if errors:
        typer.echo("\n".join(report.false_examples))


@eval_app.command("terms")
def eval_terms(
    cuad_dir: Annotated[Path | None, typer.Option(help="CUAD folder")] = None,
    split: Annotated[
        str, typer.Option(help="tune (default), holdout (measure only) or all")
    ] = "tune",
    show_misses: Annotated[int, typer.Option(help="Wrong answers listed per category")] = 0,
) -> None:
    """Answer accuracy of the term reader (parties, dates, renewal, notice, governing law) on
    a CUAD folder; rule-based, so no cross-validation is needed."""
    from evals.terms_eval import run_terms_eval

    result = run_terms_eval(require_cuad_dir(cuad_dir), split=split)
    typer.echo(result.render(show_misses=show_misses))


@eval_app.command("archive")
def eval_archive(
    cuad_dir: Annotated[Path | None, typer.Option(help="CUAD folder")] = None,
    questions: Annotated[
        list[Path] | None,
        typer.Option(
            help="YAML question set; repeat it to ask several sets over one ingest",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    contracts: Annotated[int, typer.Option(help="Contracts to ingest")] = 100,
    lowercase: Annotated[
        bool, typer.Option(help="Also ask every question typed all in lower case")
    ] = False,
    embedding_backend: BackendOption = None,
) -> None:
    """Archive search on questions in people's words: right clause in the first 10 hits,
    latency; ingests the first N CUAD contracts into a throw-away archive first."""
    from ai_service.app import make_embedder
    from evals.archive_search import run_archive_search_variants

    folder = require_cuad_dir(cuad_dir)
    embedder = make_embedder(_settings_for_backend(embedding_backend))
    typer.echo(f"embedding backend: {embedder.backend}")
    with eval_file("--questions"):
        reports = run_archive_search_variants(
            folder, questions or None, contracts, lowercase=lowercase, embedder=embedder
        )
    for name, report in reports.items():
        if len(reports) > 1:
            typer.echo(f"== questions {name}")
        typer.echo(report.render())


@eval_app.command("review")
def eval_review(
    cuad_dir: Annotated[Path | None, typer.Option(help="CUAD folder")] = None,
    cuad: Annotated[bool, typer.Option(help="Also measure CUAD rule agreement (5-fold CV)")] = True,
    limit: Annotated[int | None, typer.Option(help="CUAD contracts (default all)")] = None,
    offset: Annotated[
        int, typer.Option(min=0, help="--real: skip the first N dev contracts (a held-out slice)")
    ] = 0,
    real: Annotated[
        bool, typer.Option(help="Review real paper: CUAD dev contracts and real-style clauses")
    ] = False,
    clauses: Annotated[
        Path | None,
        typer.Option(
            help="Score the playbook decision on a YAML clause file", exists=True, dir_okay=False
        ),
    ] = None,
) -> None:
    """Review quality: standard-language contract (0 flags), fallback contracts (exactly the
    fallback's approval), a perturbation suite from the library (detection, false positives),
    and rule-level agreement with CUAD's expert labels. `--real`: missing-flag precision,
    statuses and flags per contract on the CUAD dev split, and decision accuracy on clauses
    worded the way third-party paper words them; `--clauses FILE` scores one such file."""
    # A folder given must be a CUAD folder; the default one may be absent (that part is skipped).
    folder = require_cuad_dir(cuad_dir) if cuad_dir is not None else Settings().cuad_dir
    if real or clauses is not None:
        _eval_review_real(folder, real, clauses, limit, offset)
        return
    from rich.progress import Progress

    from evals.review_eval import run_review_eval

    with Progress(transient=True) as bar:
        task = bar.add_task("review eval", total=None)
        report = run_review_eval(progress=lambda i, n: bar.update(task, completed=i, total=n))
    typer.echo(report.render())
    if cuad and (folder / "labels.jsonl").exists():
        from evals.review_cuad import run_review_cuad

        typer.echo("\nCUAD rule-level agreement (5-fold cross-validation):")
        typer.echo(run_review_cuad(folder, limit=limit).render_text())
    elif cuad:
        typer.echo(f"\n(no CUAD data at {folder}: rule agreement skipped)")


def _eval_review_real(
    folder: Path, real: bool, clauses: Path | None, limit: int | None, offset: int = 0
) -> None:
    from evals.review_real import load_clauses, run_clause_eval, run_contract_eval
    from playbook.meaning import Meaning
    from retrieval import Embedder

    with eval_file("--clauses"):
        load_clauses(clauses)  # a malformed file fails before the model loads
    meaning = Meaning(Embedder())
    report = run_clause_eval(clauses, meaning)
    typer.echo(f"clauses: {clauses or 'evals/data/review_real_clauses.yaml'}")
    typer.echo(report.render())
    if not real:
        return
    if not (folder / "labels.jsonl").exists():
        typer.echo(f"\n(no CUAD data at {folder}: contract review skipped)")
        return
    typer.echo(f"\nCUAD dev contracts ({folder}):")
    typer.echo(run_contract_eval(folder, limit, meaning, offset).render())


@eval_app.command("ask")
def eval_ask(
    questions: Annotated[
        Path | None, typer.Option(help="YAML question set", exists=True, dir_okay=False)
    ] = None,
) -> None:
    """The drafting assistant on reps' questions: clause type, decision, approvers, filled
    values per intent, and latency (grounded mode)."""
    from evals.ask_eval import run_ask_eval

    with eval_file("--questions"):
        report = run_ask_eval(questions)
    typer.echo(report.render())


@eval_app.command("crash")
def eval_crash(
    cuad_dir: Annotated[Path | None, typer.Option(help="CUAD folder (its contracts/)")] = None,
    contracts_dir: Annotated[
        Path | None,
        typer.Option(
            help="Folder of contracts (default: CUAD's contracts/)", exists=True, file_okay=False
        ),
    ] = None,
    backend: Annotated[
        list[str] | None, typer.Option(help="sqlite and/or postgres (default: both)")
    ] = None,
    trials: Annotated[int, typer.Option(min=1, max=500, help="kill -9 trials per backend")] = 20,
    per_trial: Annotated[int, typer.Option(min=1, max=50, help="New contracts per trial")] = 2,
    seed: Annotated[int, typer.Option(help="Seed of the kill points")] = 0,
    workers: Annotated[
        int, typer.Option(min=1, max=16, help="Worker processes per ingest run (1: cheap trials)")
    ] = 1,
    lease_s: Annotated[float, typer.Option(help="CLAUSEWISE_LEASE_S of the runs")] = 10.0,
    pg_admin_url: Annotated[
        str, typer.Option(help="PostgreSQL server (a database is created there and dropped)")
    ] = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    full_library: Annotated[
        bool, typer.Option(help="Index the whole clause library (slow first run)")
    ] = False,
    keep: Annotated[Path | None, typer.Option(help="Keep data and logs in this folder")] = None,
    timeout_s: Annotated[float, typer.Option(help="Give up on one ingest run after")] = 1800,
    budget_s: Annotated[
        float | None, typer.Option(help="Start no new trial after this many seconds")
    ] = None,
    parallel: Annotated[
        bool, typer.Option("--parallel/--serial", help="Run the backends side by side")
    ] = True,
) -> None:
    """kill -9 during bulk ingestion (`clausewise ingest`), restart, and count lost,
    duplicated, stuck and half-indexed contracts per trial; exits 1 if any."""
    from evals.crash_eval import run_crash_eval

    folder = contracts_dir or require_cuad_dir(cuad_dir, need=("contracts/",)) / "contracts"
    report = run_crash_eval(
        folder,
        backends=tuple(backend or ("sqlite", "postgres")),
        trials=trials,
        per_trial=per_trial,
        seed=seed,
        workers=workers,
        lease_s=lease_s,
        pg_admin_url=pg_admin_url,
        full_library=full_library,
        keep=keep,
        timeout_s=timeout_s,
        budget_s=budget_s,
        parallel=parallel,
        echo=lambda line: typer.echo(line),
    )
    typer.echo(report.render())
    if not report.ok:
        raise typer.Exit(1)


@eval_app.command("deadlines")
def eval_deadlines(
    cuad_dir: Annotated[Path | None, typer.Option(help="CUAD folder")] = None,
) -> None:
    """Notice-deadline date exactness on CUAD dev contracts whose gold renewal, notice and
    expiration answers determine the deadline (prints how many were scorable)."""
    from evals.deadlines_eval import run_deadline_eval

    typer.echo(run_deadline_eval(require_cuad_dir(cuad_dir)).render())
