"""The `clausewise` command."""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from ai_service.cli_bench import bench_app
from ai_service.cli_eval import eval_app
from ai_service.cli_paths import require_cuad_dir
from ai_service.cli_train import train
from ai_service.config import Settings

# Input paths are checked by typer (`exists=True`: a missing one is a usage error, exit 2);
# outputs are not. Folders defaulting to Settings are checked once resolved (cli_paths).
app = typer.Typer(help="Clausewise: contract drafting and review service.", no_args_is_help=True)
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


# Defined in ai_service.cli_train; registered here so that it is listed right after serve.
app.command()(train)


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


# Registered last, kept in their own modules: audit chain tools and the API fuzzer.
from ai_service.cli_hardening import audit_app, fuzz  # noqa: E402

app.add_typer(audit_app, name="audit")
app.command("fuzz")(fuzz)


if __name__ == "__main__":
    app()
