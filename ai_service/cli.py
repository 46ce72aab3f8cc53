"""The `clausewise` command."""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, get_args

import typer

from ai_service.cli_paths import eval_file, require_cuad_dir
from ai_service.config import Settings

if TYPE_CHECKING:
    from extraction.type_labels import LibraryTypes
    from extraction.type_training import Dataset

# Input paths are checked by typer (`exists=True`: a missing one is a usage error, exit 2);
# outputs are not. Folders defaulting to Settings are checked once resolved (cli_paths).
app = typer.Typer(help="Clausewise: contract drafting and review service.", no_args_is_help=True)
bench_app = typer.Typer(help="Benchmarks (print figures).", no_args_is_help=True)
eval_app = typer.Typer(help="Evaluations (print figures).", no_args_is_help=True)
library_app = typer.Typer(help="The clause library files.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")
app.add_typer(eval_app, name="eval")
app.add_typer(library_app, name="library")

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
        f"  data:     {settings.data_dir.resolve()}\n"
        '  (the port answers now; /healthz says "starting" until the model and the library '
        "are loaded)",
        flush=True,
    )
    app = create_app(settings, background_start=True)

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            super().handle_exit(sig, frame)
            # The workers start to stop at once, not after the requests have drained.
            begin_stop = getattr(app.state, "begin_stop", None)
            if begin_stop is not None:
                begin_stop()

    Server(
        uvicorn.Config(
            app,
            host=settings.host,
            port=settings.port,
            log_config=None,
            access_log=False,
            # A request still open at a stop (a `?wait=true` upload) does not hold it up.
            timeout_graceful_shutdown=3,
        )
    ).run()


@library_app.command("validate")
def library_validate(
    directory: Annotated[
        Path | None, typer.Argument(help="Library folder", exists=True, file_okay=False)
    ] = None,
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


@app.command()
def train(
    cuad_dir: Annotated[Path | None, typer.Option(help="CUAD folder with labels.jsonl")] = None,
    out: Annotated[Path | None, typer.Option(help="Model file (default: the shipped one)")] = None,
    type_out: Annotated[
        Path | None, typer.Option(help="Clause-type model file (default: the shipped one)")
    ] = None,
    what: Annotated[
        str,
        typer.Option(
            help="all, sentences, types, presence (refit only the clause-type model's "
            "sentence reading of presence, from cached out-of-fold sentence scores) or pasted "
            "(refit only its pasted-text shift, from out-of-fold logits)"
        ),
    ] = "all",
    library_dir: Annotated[
        Path | None, typer.Option(help="Clause library folder", exists=True, file_okay=False)
    ] = None,
    cache_dir: Annotated[
        Path | None, typer.Option(help="Embedding cache (default ~/.cache/clausewise)")
    ] = None,
    embed_contracts: Annotated[
        bool,
        typer.Option(help="Embed contracts whose segment vectors are not cached (slow on CPU)"),
    ] = False,
    embed: Annotated[
        bool, typer.Option(help="Use MiniLM vectors at all (--no-embed: words and headings only)")
    ] = True,
    folds: Annotated[int, typer.Option(min=2, max=20, help="Folds for calibration")] = 5,
) -> None:
    """Rebuild the CUAD sentence classifier and the clause-type model (deterministic)."""
    folder = require_cuad_dir(cuad_dir)
    if what in ("all", "sentences"):
        from extraction.classify import DEFAULT_MODEL
        from extraction.cuad import train_classifier

        clf = train_classifier(folder)
        target = out or DEFAULT_MODEL
        clf.save(target)
        typer.echo(f"clause classifier with {len(clf.categories)} categories written to {target}")
    if what == "presence":
        from extraction.clause_types import DEFAULT_TYPE_MODEL, TypeModel
        from extraction.type_labels import load_library_types
        from extraction.type_training import train_sentence_presence
        from extraction.type_vectors import default_cache_dir

        settings = Settings()
        target = type_out or DEFAULT_TYPE_MODEL
        model = TypeModel.load(target)
        model.sentence = train_sentence_presence(
            folder,
            model.labels,
            load_library_types(
                library_dir
                or settings.library_dir
                or Path(__file__).parents[1] / "clause_index/library"
            ),
            folds,
            cache_dir or default_cache_dir(),
            progress=lambda k, n: typer.echo(f"sentence classifier fold {k}/{n}"),
        )
        model.save(target)
        typer.echo(f"sentence reading of presence fitted; clause-type model written to {target}")
    if what == "pasted":
        from extraction.clause_types import DEFAULT_TYPE_MODEL, TypeModel
        from extraction.type_training import train_pasted_shift
        from extraction.type_vectors import default_cache_dir

        target = type_out or DEFAULT_TYPE_MODEL
        model = TypeModel.load(target)
        cache = cache_dir or default_cache_dir()
        ds, _ = _type_dataset(folder, library_dir, cache, embed, embed_contracts)
        model.pasted_shift = train_pasted_shift(
            ds, folds, lambda k, n: typer.echo(f"fold {k}/{n} fitted"), cache
        )
        model.save(target)
        typer.echo(
            f"pasted-text shift {model.pasted_shift:.2f} fitted; clause-type model written to "
            f"{target}"
        )
    if what in ("all", "types"):
        from extraction.clause_types import DEFAULT_TYPE_MODEL
        from extraction.type_training import train_sentence_presence, train_type_model
        from extraction.type_vectors import default_cache_dir

        cache = cache_dir or default_cache_dir()
        ds, library = _type_dataset(folder, library_dir, cache, embed, embed_contracts)
        sentence = train_sentence_presence(
            folder,
            ds.labels,
            library,
            folds,
            cache,
            progress=lambda k, n: typer.echo(f"sentence classifier fold {k}/{n}"),
        )
        model, _ = train_type_model(
            ds,
            folds,
            progress=lambda k, n: typer.echo(f"fold {k}/{n} fitted"),
            cache_dir=cache,
            sentence=sentence,
        )
        target = type_out or DEFAULT_TYPE_MODEL
        model.save(target)
        with_vec = len({r.group for r in ds.rows if r.kind == "segment" and r.vector is not None})
        typer.echo(
            f"clause-type model ({len(model.labels)} labels, {len(ds.rows)} examples, "
            f"{with_vec} of {len(ds.contracts)} contracts with segment vectors) written to {target}"
        )


def _type_dataset(
    folder: Path,
    library_dir: Path | None,
    cache_dir: Path | None,
    embed: bool,
    embed_contracts: bool,
) -> tuple[Dataset, LibraryTypes]:
    """The clause-type model's training rows (`type_training.examples`) and the library."""
    from ai_service.app import shared_embedder
    from extraction.type_labels import load_library_types
    from extraction.type_training import examples

    settings = Settings()
    library = load_library_types(
        library_dir or settings.library_dir or Path(__file__).parents[1] / "clause_index/library"
    )
    ds = examples(
        folder,
        library,
        embedder=shared_embedder(settings) if embed else None,
        cache_dir=cache_dir,
        embed_contracts=embed_contracts,
        use_vectors=embed,
    )
    return ds, library


@app.command()
def extract(
    out: Annotated[Path, typer.Option(help="Output JSONL")],
    cuad_dir: Annotated[Path | None, typer.Option(help="Folder with contracts/*.txt")] = None,
    model: Annotated[
        Path | None, typer.Option(help="Classifier file", exists=True, dir_okay=False)
    ] = None,
) -> None:
    """Run the service's extraction pipeline over a CUAD-style folder: one line per contract
    and CUAD category with the answer and scored spans."""
    import json

    from rich.progress import track

    from extraction.classify import DEFAULT_MODEL, ClauseClassifier
    from extraction.cuad import categories, contract_ids, extract_contract

    folder = require_cuad_dir(cuad_dir, need=("contracts/",))
    clf = ClauseClassifier.load(model or DEFAULT_MODEL)
    cats = clf.categories if not (folder / "categories.json").exists() else categories(folder)
    ids = contract_ids(folder)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for cid in track(ids, description="extracting"):
            for line in extract_contract(folder, cid, clf, cats):
                f.write(json.dumps(line) + "\n")
    typer.echo(f"{len(ids)} contracts -> {out}")


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


@app.command()
def worker(
    exit_with_parent: Annotated[
        bool, typer.Option(help="Stop when the process that started this one ends")
    ] = False,
    name: Annotated[
        str | None, typer.Option(help="What it claims jobs as (default: a random name)")
    ] = None,
) -> None:
    """Process contracts: claim uploads from the database, extract, analyse and embed them,
    and hand the vectors over to the service that owns the vector store. Run any number, on
    any machine that reaches the database and the blob folder. SIGTERM puts the job in hand
    back in the queue."""
    from ai_service.workers import run_worker_process

    settings = Settings()
    _logging(settings.log_level)
    run_worker_process(settings, exit_with_parent, name)


def _wait_for(services: object, ids: set[str], what: str) -> tuple[list[str], set[str]]:
    """Wait until every contract in `ids` is ready or failed (Ctrl-C stops waiting); returns
    the failed ones and those still left."""
    from rich.progress import Progress
    from sqlalchemy import select

    from archive.models import ContractRow

    archive = services.archive  # type: ignore[attr-defined]
    left = set(ids)
    failed: list[str] = []
    try:
        with Progress() as bar:
            task = bar.add_task(what, total=len(ids))
            while left:
                want = select(ContractRow).where(ContractRow.id.in_(sorted(left)))
                rows = archive.read(lambda s, q=want: s.scalars(q).all())
                left &= {r.id for r in rows}  # one deleted meanwhile is not waited for
                for r in rows:
                    if r.status in ("ready", "failed"):
                        left.discard(r.id)
                        bar.advance(task)
                        if r.status == "failed":
                            failed.append(r.id)
                time.sleep(0.5)
    except KeyboardInterrupt:
        typer.echo("interrupted: the contracts left are processed by the next run", err=True)
    return failed, left


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders", exists=True)],
    workers: Annotated[int, typer.Option(min=1, max=16, help="Worker processes")] = 2,
) -> None:
    """Bulk-ingest contracts into the archive on this machine's data directory (stop the
    service first when it uses the embedded vector store). Files already in the archive are
    skipped by content hash; a rerun finishes what an interrupted one left (pending,
    processing without a live worker, or failed by a crash). Waits for every contract, and
    exits non-zero if any failed or is left."""
    import hashlib
    from functools import partial

    from ai_service.app import build_services
    from ai_service.workers import start_processing
    from archive.service import find_by_hash, requeue
    from extraction import ExtractionError

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
    # The workers are processes with their own model: this one loads it only if the
    # library changed, so a rerun with nothing new starts in seconds.
    services = build_services(settings, load_model=False)
    archive = services.archive
    tracked: dict[str, Path] = {}
    skipped = resumed = 0
    refused: list[tuple[Path, str]] = []
    earlier: list[tuple[Path, str]] = []
    for f in files:
        data = f.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        row = archive.read(partial(find_by_hash, sha=sha))
        if row is not None and row.status == "ready":
            skipped += 1
        elif row is not None and row.status == "failed" and row.error_code != "processing_crashed":
            earlier.append((f, f"{row.error_code}: {row.error_message}"))
        elif row is not None:  # left by an interrupted run, or failed by a crash: finish it
            if row.status == "failed":
                archive.read(partial(requeue, cid=row.id, actor="cli:ingest"))
            tracked[row.id] = f
            resumed += 1
        else:
            try:
                out = archive.upload(
                    data, title=None, filename=f.name, deal=None, actor="cli:ingest"
                )
                tracked[out.id] = f
            except ExtractionError as exc:
                refused.append((f, exc.code))
    processing = start_processing(services, workers if tracked else 0)
    try:
        failed_ids, left = _wait_for(services, set(tracked), "processing")
    finally:
        processing.stop()
        services.store.close()
    failed = []
    for cid in failed_ids:
        st = archive.wait(cid, 0)
        failed.append((tracked[cid], f"{st.error_code}: {st.error_message}"))
    typer.echo(
        f"{len(tracked) - len(failed) - len(left)} ingested, {skipped} already in the archive, "
        f"{len(refused) + len(failed) + len(earlier)} failed"
        + (f", {len(left)} left unfinished" if left else "")
    )
    if resumed:
        typer.echo(f"  ({resumed} of them left by an earlier run and finished now)")
    for f, why in refused + failed + earlier:
        typer.echo(f"  FAILED {f}: {why}")
    for cid in sorted(left):
        typer.echo(f"  LEFT {tracked[cid]}: rerun the same command to finish it")
    if refused or failed or earlier or left:
        raise typer.Exit(1)


@app.command()
def reprocess(
    contract_id: Annotated[str | None, typer.Argument(help="One contract (default: all)")] = None,
    workers: Annotated[int, typer.Option(min=1, max=16)] = 2,
) -> None:
    """Run the current pipeline again on stored originals (after an upgrade)."""
    from ai_service.app import build_services
    from ai_service.workers import start_processing
    from archive import service as archive_service

    services = build_services(Settings(workers=0), load_model=False)  # type: ignore[call-arg]
    archive = services.archive
    ids = {contract_id} if contract_id else {r.id for r in archive.read(archive_service.all_ready)}
    n = archive.reprocess(contract_id, "cli:reprocess")
    processing = start_processing(services, workers)
    try:
        failed, left = _wait_for(services, ids, "reprocessing")
    finally:
        processing.stop()
        services.store.close()
    typer.echo(f"{n} contracts reprocessed, {len(failed)} failed, {len(left)} left")
    if failed or left:
        raise typer.Exit(1)


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


@eval_app.command("deadlines")
def eval_deadlines(
    cuad_dir: Annotated[Path | None, typer.Option(help="CUAD folder")] = None,
) -> None:
    """Notice-deadline date exactness on CUAD dev contracts whose gold renewal, notice and
    expiration answers determine the deadline (prints how many were scorable)."""
    from evals.deadlines_eval import run_deadline_eval

    typer.echo(run_deadline_eval(require_cuad_dir(cuad_dir)).render())


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


# Registered last, kept in their own modules: audit chain tools and the API fuzzer.
from ai_service.cli_hardening import audit_app, fuzz  # noqa: E402

app.add_typer(audit_app, name="audit")
app.command("fuzz")(fuzz)


if __name__ == "__main__":
    app()
