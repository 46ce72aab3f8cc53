"""`clausewise audit ...` (check the audit chain, restrict the service's PostgreSQL role) and
`clausewise fuzz` (the schema-driven API fuzzer against a real service)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ai_service.config import Settings

audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)


@audit_app.command("verify")
def verify(
    database_url: Annotated[
        str | None, typer.Option(help="Overrides CLAUSEWISE_DATABASE_URL")
    ] = None,
) -> None:
    """Recompute the audit log's hash chain; name the first broken row (exit 1 if any)."""
    from storage import Database, verify_chain

    db = Database(database_url or Settings().resolved_database_url)
    try:
        report = verify_chain(db.engine)
    finally:
        db.dispose()
    if not report.ok:
        typer.echo(
            f"audit chain BROKEN at row {report.broken_id}: {report.problem} "
            f"({report.rows - 1} rows before it verify)",
            err=True,
        )
        raise typer.Exit(1)
    typer.echo(
        f"audit chain verifies: {report.rows} rows, head {report.head_id} {report.head_hash}"
    )


@audit_app.command("grant-app-role")
def grant_app_role(
    role: Annotated[str, typer.Argument(help="An existing PostgreSQL role the service runs as")],
    database_url: Annotated[
        str | None, typer.Option(help="Owner's URL; overrides CLAUSEWISE_DATABASE_URL")
    ] = None,
) -> None:
    """PostgreSQL: grant ROLE what the service needs, but no UPDATE/DELETE/TRUNCATE on audit_log.

    Run it as the owner after migrating; then run the service as ROLE."""
    from storage import Database
    from storage import grant_app_role as grant

    db = Database(database_url or Settings().resolved_database_url)
    try:
        db.migrate()
        grant(db.engine, role)
    finally:
        db.dispose()
    typer.echo(f"{role}: may read and write the service's tables; audit_log is insert-only")


def fuzz(
    minutes: Annotated[
        float | None, typer.Option(help="Keep generating for this long (default: bounded CI run)")
    ] = None,
    database_url: Annotated[
        str | None, typer.Option(help="PostgreSQL URL (default: a fresh SQLite database)")
    ] = None,
    examples: Annotated[int, typer.Option(min=1, help="Examples per operation")] = 5,
    seed: Annotated[
        int, typer.Option(help="Hypothesis seed (fixed: runs are repeatable)")
    ] = 20261130,
    documents: Annotated[int, typer.Option(min=6, help="Mutated documents to upload")] = 10,
    cuad_dir: Annotated[
        Path | None,
        typer.Option(help="CUAD folder (its pdf/ is mutated)", exists=True, file_okay=False),
    ] = None,
    work_dir: Annotated[Path | None, typer.Option(help="Keep logs and reports here")] = None,
) -> None:
    """Start the service on a free port and fuzz it from its OpenAPI schema; exit 1 on any 5xx,
    undocumented response or error shape, or upload left unfinished."""
    from ai_service.fuzz import run_fuzz

    report = run_fuzz(
        database_url=database_url,
        max_examples=examples if minutes is None else max(examples, 1000),
        seed=seed,
        max_time_s=minutes * 60 if minutes else None,
        documents=documents,
        cuad_dir=cuad_dir or Settings().cuad_dir,
        work_dir=work_dir,
    )
    typer.echo(report.render())
    if not report.ok:
        typer.echo(report.api.output_tail, err=True)
        raise typer.Exit(1)
