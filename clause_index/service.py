"""Library use cases against the database. Each function works in the caller's transaction and
records its own audit rows, so a write and its audit entry commit (or roll back) together."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clause_index.entities import (
    Clause,
    ClauseCreate,
    ClauseUpdate,
    ClauseVersion,
    SyncReport,
    dump,
)
from clause_index.errors import ClauseConflict, ClauseNotFound, InvalidClause
from clause_index.library import LibraryFile, content_hash, render
from clause_index.models import ClauseRow, ClauseTypeRow, ClauseTypeVersionRow, ClauseVersionRow
from clause_index.schema import (
    Approval,
    ClauseType,
    Parameter,
    ParameterOverride,
    Position,
    PositionKind,
)
from storage import record_audit
from storage.db import utcnow

LIBRARY_ACTOR = "system:library-files"


def _type_data(ct: ClauseType) -> dict[str, Any]:
    return ct.model_dump(mode="json", exclude={"type", "positions"})


def _position_data(p: Position) -> dict[str, Any]:
    return {
        "when_to_use": p.when_to_use,
        "parameters": {k: v.model_dump(mode="json") for k, v in p.parameters.items()},
        "approval": p.approval.model_dump(mode="json") if p.approval else None,
    }


def _position_hash(p: Position, type_version: int) -> str:
    return content_hash(
        {
            "pos": p.position.value,
            "rank": p.rank,
            "title": p.title,
            "text": p.text,
            "data": _position_data(p),
            "type_version": type_version,
        }
    )


def _effective(
    type_params: dict[str, Parameter], overrides: dict[str, Any]
) -> dict[str, Parameter]:
    out: dict[str, Parameter] = {}
    for name, spec in type_params.items():
        ov = overrides.get(name)
        if ov:
            changes = {k: v for k, v in ov.items() if v is not None}
            out[name] = Parameter.model_validate({**spec.model_dump(), **changes})
        else:
            out[name] = spec
    return out


def _type_version(session: Session, type_id: str, version: int) -> ClauseTypeVersionRow:
    row = session.scalars(
        select(ClauseTypeVersionRow).where(
            ClauseTypeVersionRow.type_id == type_id, ClauseTypeVersionRow.version == version
        )
    ).one()
    return row


def _clause_version(session: Session, clause_id: str, version: int) -> ClauseVersionRow:
    return session.scalars(
        select(ClauseVersionRow).where(
            ClauseVersionRow.clause_id == clause_id, ClauseVersionRow.version == version
        )
    ).one()


def _view(session: Session, row: ClauseRow) -> Clause:
    cv = _clause_version(session, row.id, row.current_version)
    tv = _type_version(session, row.type_id, cv.type_version)
    td = tv.data
    type_params = {k: Parameter.model_validate(v) for k, v in td["parameters"].items()}
    params = _effective(type_params, cv.data.get("parameters") or {})
    approval = cv.data.get("approval")
    return Clause(
        id=row.id,
        clause_type=row.type_id,
        type_name=td["name"],
        position=PositionKind(cv.position),
        rank=cv.rank,
        title=cv.title,
        version=cv.version,
        status=row.status,
        text=render(cv.template, params),
        template=cv.template,
        parameters=params,
        when_to_use=cv.data.get("when_to_use"),
        approval=Approval.model_validate(approval) if approval else None,
        guidance=td["guidance"],
        cuad_categories=td.get("cuad_categories", []),
        aliases=td.get("aliases", []),
        type_description=td["description"],
        required=td.get("required", False),
        rules=td.get("rules", []),
        type_version=cv.type_version,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _get_row(session: Session, clause_id: str, *, for_update: bool = False) -> ClauseRow:
    stmt = select(ClauseRow).where(ClauseRow.id == clause_id)
    if for_update:
        stmt = stmt.with_for_update()
    row = session.scalars(stmt).one_or_none()
    if row is None:
        raise ClauseNotFound(f"no clause with id {clause_id!r}")
    return row


# ----------------------------------------------------------------------------- reads


def list_clauses(
    session: Session,
    clause_type: str | None = None,
    position: PositionKind | None = None,
    include_retired: bool = False,
) -> list[Clause]:
    stmt = select(ClauseRow).order_by(ClauseRow.type_id, ClauseRow.id)
    if clause_type:
        stmt = stmt.where(ClauseRow.type_id == clause_type)
    if not include_retired:
        stmt = stmt.where(ClauseRow.status == "active")
    views = [_view(session, r) for r in session.scalars(stmt)]
    if position is not None:
        views = [v for v in views if v.position == position]
    return sorted(views, key=lambda v: (v.clause_type, v.rank))


def get_clause(session: Session, clause_id: str) -> Clause:
    return _view(session, _get_row(session, clause_id))


def list_versions(session: Session, clause_id: str) -> list[ClauseVersion]:
    row = _get_row(session, clause_id)
    out = []
    for cv in session.scalars(
        select(ClauseVersionRow)
        .where(ClauseVersionRow.clause_id == row.id)
        .order_by(ClauseVersionRow.version)
    ):
        tv = _type_version(session, row.type_id, cv.type_version)
        type_params = {k: Parameter.model_validate(v) for k, v in tv.data["parameters"].items()}
        overrides = cv.data.get("parameters") or {}
        approval = cv.data.get("approval")
        out.append(
            ClauseVersion(
                clause_id=row.id,
                version=cv.version,
                type_version=cv.type_version,
                position=PositionKind(cv.position),
                rank=cv.rank,
                title=cv.title,
                template=cv.template,
                text=render(cv.template, _effective(type_params, overrides)),
                when_to_use=cv.data.get("when_to_use"),
                parameters={k: ParameterOverride.model_validate(v) for k, v in overrides.items()},
                approval=Approval.model_validate(approval) if approval else None,
                source=cv.source,
                created_by=cv.created_by,
                created_at=cv.created_at,
            )
        )
    return out


def clause_types(session: Session) -> list[str]:
    return list(session.scalars(select(ClauseTypeRow.id).where(ClauseTypeRow.status == "active")))


# ----------------------------------------------------------------------------- writes


def _check_position(type_params: dict[str, Any], pos: Position) -> None:
    unknown = pos.placeholders() - set(type_params)
    if unknown:
        raise InvalidClause(
            f"the text uses parameters the clause type does not declare: {sorted(unknown)}; "
            f"declared: {sorted(type_params)}"
        )
    bad = set(pos.parameters) - set(type_params)
    if bad:
        raise InvalidClause(f"overrides of undeclared parameters: {sorted(bad)}")
    try:
        _effective(
            {k: Parameter.model_validate(v) for k, v in type_params.items()},
            {k: v.model_dump() for k, v in pos.parameters.items()},
        )
    except ValidationError as exc:
        raise InvalidClause(
            f"parameter overrides are inconsistent: {exc.errors()[0]['msg']}"
        ) from exc


def _add_version(
    session: Session,
    row: ClauseRow,
    pos: Position,
    type_version: int,
    source: str,
    actor: str,
) -> None:
    session.add(
        ClauseVersionRow(
            clause_id=row.id,
            version=row.current_version,
            type_version=type_version,
            position=pos.position.value,
            rank=pos.rank,
            title=pos.title,
            template=pos.text,
            data=_position_data(pos),
            content_hash=_position_hash(pos, type_version),
            source=source,
            created_by=actor,
            created_at=utcnow(),
        )
    )


def _has_standard(session: Session, type_id: str, exclude: str | None = None) -> bool:
    for r in session.scalars(
        select(ClauseRow).where(ClauseRow.type_id == type_id, ClauseRow.status == "active")
    ):
        if r.id == exclude:
            continue
        if _clause_version(session, r.id, r.current_version).position == "standard":
            return True
    return False


def create_clause(session: Session, data: ClauseCreate, actor: str) -> Clause:
    trow = session.get(ClauseTypeRow, data.clause_type)
    if trow is None:
        if data.type_definition is None:
            raise InvalidClause(
                f"unknown clause type {data.clause_type!r}: give `type_definition` to create it"
            )
        td = data.type_definition.model_dump(mode="json")
        trow = ClauseTypeRow(id=data.clause_type, current_version=1, status="active")
        session.add(trow)
        session.add(
            ClauseTypeVersionRow(
                type_id=trow.id,
                version=1,
                data=td,
                content_hash=content_hash(td),
                source="api",
                created_by=actor,
                created_at=utcnow(),
            )
        )
        session.flush()
        record_audit(
            session,
            actor=actor,
            action="clause_type.create",
            entity_type="clause_type",
            entity_id=trow.id,
            after=td,
        )
    elif data.type_definition is not None:
        raise ClauseConflict(f"clause type {data.clause_type!r} exists; omit `type_definition`")
    tv = _type_version(session, trow.id, trow.current_version)

    if data.position is PositionKind.standard and _has_standard(session, trow.id):
        raise ClauseConflict(
            f"clause type {trow.id!r} already has a standard position; edit it with PUT instead"
        )
    if data.rank is not None:
        rank = data.rank
    elif data.position is PositionKind.standard:
        rank = 0
    else:
        ranks = [
            _view(session, r).rank
            for r in session.scalars(select(ClauseRow).where(ClauseRow.type_id == trow.id))
        ]
        rank = max(ranks, default=0) + 1
    position_id = data.position_id or (
        "standard" if data.position is PositionKind.standard else f"fallback-{rank}"
    )
    clause_id = f"{trow.id}.{position_id}"
    if session.get(ClauseRow, clause_id) is not None:
        raise ClauseConflict(f"clause {clause_id!r} already exists (retired clauses keep their id)")
    if data.position is PositionKind.fallback and data.approval is None:
        raise InvalidClause("a fallback position needs an `approval` (who approves, and why)")
    try:
        pos = Position(
            id=position_id,
            position=data.position,
            rank=rank,
            title=data.title,
            text=data.text,
            when_to_use=data.when_to_use,
            parameters=data.parameters,
            approval=data.approval,
        )
    except ValidationError as exc:
        raise InvalidClause(str(exc.errors()[0]["msg"])) from exc
    _check_position(tv.data["parameters"], pos)
    now = utcnow()
    row = ClauseRow(
        id=clause_id,
        type_id=trow.id,
        current_version=1,
        status="active",
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    _add_version(session, row, pos, trow.current_version, "api", actor)
    session.flush()
    view = _view(session, row)
    record_audit(
        session,
        actor=actor,
        action="clause.create",
        entity_type="clause",
        entity_id=clause_id,
        after=dump(view),
    )
    return view


def update_clause(
    session: Session, clause_id: str, data: ClauseUpdate, actor: str, source: str = "api"
) -> Clause:
    """A new version of the clause; `source` says where the edit came from ("api", "web")."""
    row = _get_row(session, clause_id, for_update=True)
    if row.status != "active":
        raise ClauseConflict(f"clause {clause_id!r} is retired; create a new clause instead")
    before = _view(session, row)
    cv = _clause_version(session, row.id, row.current_version)
    trow = session.get(ClauseTypeRow, row.type_id)
    assert trow is not None
    tv = _type_version(session, trow.id, trow.current_version)
    changes = data.model_dump(exclude_unset=True)
    old = {
        "title": cv.title,
        "text": cv.template,
        "when_to_use": cv.data.get("when_to_use"),
        "rank": cv.rank,
        "parameters": cv.data.get("parameters") or {},
        "approval": cv.data.get("approval"),
    }
    merged = {**old, **{k: v for k, v in changes.items()}}
    if cv.position == "fallback" and merged.get("approval") is None:
        raise InvalidClause("a fallback position needs an `approval`")
    try:
        pos = Position(
            id=clause_id.split(".", 1)[1],
            position=PositionKind(cv.position),
            rank=merged["rank"],
            title=merged["title"],
            text=merged["text"],
            when_to_use=merged["when_to_use"],
            parameters=merged["parameters"] or {},
            approval=merged["approval"],
        )
    except ValidationError as exc:
        raise InvalidClause(str(exc.errors()[0]["msg"])) from exc
    _check_position(tv.data["parameters"], pos)
    if _position_hash(pos, trow.current_version) == cv.content_hash:
        raise InvalidClause("the update changes nothing; no new version was made")
    row.current_version += 1
    row.updated_at = utcnow()
    _add_version(session, row, pos, trow.current_version, source, actor)
    session.flush()
    after = _view(session, row)
    record_audit(
        session,
        actor=actor,
        action="clause.update",
        entity_type="clause",
        entity_id=clause_id,
        before=dump(before),
        after=dump(after),
    )
    return after


def retire_clause(session: Session, clause_id: str, actor: str) -> Clause:
    row = _get_row(session, clause_id, for_update=True)
    if row.status != "active":
        raise ClauseConflict(f"clause {clause_id!r} is already retired")
    before = _view(session, row)
    row.status = "retired"
    row.updated_at = utcnow()
    session.flush()
    after = _view(session, row)
    record_audit(
        session,
        actor=actor,
        action="clause.retire",
        entity_type="clause",
        entity_id=clause_id,
        before=dump(before),
        after=dump(after),
    )
    return after


def sync_library(
    session: Session, files: list[LibraryFile], actor: str = LIBRARY_ACTOR
) -> SyncReport:
    """Load the library files: new types and positions are created, edited ones get a new
    version, positions removed from a file are retired. Files unchanged since their last
    import are skipped, so API edits stand until the file itself changes."""
    report = SyncReport()
    for lf in files:
        ct = lf.clause_type
        trow = session.get(ClauseTypeRow, ct.type)
        if trow is not None and trow.file_hash == lf.file_hash:
            report.unchanged += 1
            continue
        td = _type_data(ct)
        thash = content_hash(td)
        now = utcnow()
        if trow is None:
            trow = ClauseTypeRow(
                id=ct.type,
                current_version=1,
                status="active",
                file_hash=lf.file_hash,
                created_at=now,
                updated_at=now,
            )
            session.add(trow)
            session.add(
                ClauseTypeVersionRow(
                    type_id=ct.type,
                    version=1,
                    data=td,
                    content_hash=thash,
                    source="library-file",
                    created_by=actor,
                    created_at=now,
                )
            )
            session.flush()
            record_audit(
                session,
                actor=actor,
                action="clause_type.create",
                entity_type="clause_type",
                entity_id=ct.type,
                after=td,
            )
        else:
            trow.file_hash = lf.file_hash
            trow.status = "active"
            current = _type_version(session, ct.type, trow.current_version)
            if current.content_hash != thash:
                trow.current_version += 1
                trow.updated_at = now
                session.add(
                    ClauseTypeVersionRow(
                        type_id=ct.type,
                        version=trow.current_version,
                        data=td,
                        content_hash=thash,
                        source="library-file",
                        created_by=actor,
                        created_at=now,
                    )
                )
                session.flush()
                record_audit(
                    session,
                    actor=actor,
                    action="clause_type.update",
                    entity_type="clause_type",
                    entity_id=ct.type,
                    before=current.data,
                    after=td,
                )
        seen: set[str] = set()
        for pos in ct.positions:
            cid = f"{ct.type}.{pos.id}"
            seen.add(cid)
            row = session.get(ClauseRow, cid)
            if row is None:
                row = ClauseRow(
                    id=cid,
                    type_id=ct.type,
                    current_version=1,
                    status="active",
                    created_at=now,
                    updated_at=now,
                )
                session.add(row)
                session.flush()
                _add_version(session, row, pos, trow.current_version, "library-file", actor)
                session.flush()
                record_audit(
                    session,
                    actor=actor,
                    action="clause.create",
                    entity_type="clause",
                    entity_id=cid,
                    after=dump(_view(session, row)),
                )
                report.created.append(cid)
                continue
            cv = _clause_version(session, cid, row.current_version)
            if (
                cv.content_hash == _position_hash(pos, trow.current_version)
                and row.status == "active"
            ):
                report.unchanged += 1
                continue
            before = _view(session, row)
            row.current_version += 1
            row.status = "active"
            row.updated_at = now
            _add_version(session, row, pos, trow.current_version, "library-file", actor)
            session.flush()
            record_audit(
                session,
                actor=actor,
                action="clause.update",
                entity_type="clause",
                entity_id=cid,
                before=dump(before),
                after=dump(_view(session, row)),
            )
            report.updated.append(cid)
        for row in session.scalars(select(ClauseRow).where(ClauseRow.type_id == ct.type)):
            if row.id in seen or row.status != "active":
                continue
            # Clauses legal added through the API are not the file's to retire.
            if _clause_version(session, row.id, row.current_version).source == "library-file":
                before = _view(session, row)
                row.status = "retired"
                row.updated_at = now
                session.flush()
                record_audit(
                    session,
                    actor=actor,
                    action="clause.retire",
                    entity_type="clause",
                    entity_id=row.id,
                    before=dump(before),
                )
                report.retired.append(row.id)
    session.flush()
    return report


def count_clauses(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(ClauseRow)) or 0)


def cuad_type_map(session: Session) -> dict[str, list[str]]:
    """CUAD category -> the library's clause types that correspond to it."""
    out: dict[str, list[str]] = {}
    for v in list_clauses(session):
        for cat in v.cuad_categories:
            if v.clause_type not in out.setdefault(cat, []):
                out[cat].append(v.clause_type)
    return out
