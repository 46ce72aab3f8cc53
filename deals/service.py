"""Records: upsert, CSV import (one transaction, a savepoint per row), links to contracts,
suggested links, and reconciliation over the archive."""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive.models import ContractRow, TermRow
from deals.contract_terms import ContractFacts, contract_facts
from deals.entities import (
    DealIn,
    DealOut,
    ImportReport,
    Mismatch,
    Reconciliation,
    RowProblem,
    Suggestion,
    UpsertOut,
)
from deals.errors import DealError
from deals.importer import CsvError, ParsedCsv, parse_csv
from deals.mapping import MappingError, load_mapping
from deals.matching import rank_contracts
from deals.models import DealRow
from deals.reconcile import Record, reconcile
from lifecycle import LifecycleService
from storage import Database, record_audit
from storage.db import utcnow

log = logging.getLogger("clausewise.deals")

# (session, event name, payload, event key): raised inside the writing transaction
Listener = Callable[[Session, str, dict[str, Any], str], object]

_FIELDS = tuple(f for f in DealIn.model_fields if f not in ("source", "external_id"))


def _out(row: DealRow, created: bool | None = None) -> Any:
    if created is None:
        return DealOut.model_validate(row)
    return UpsertOut.model_validate(
        {**DealOut.model_validate(row).model_dump(), "created": created}
    )


class DealService:
    def __init__(self, db: Database, mapping_path: Path | None = None) -> None:
        self.db = db
        self.mapping_path = mapping_path
        self.listeners: list[Listener] = []

    # -- writes

    def _upsert(
        self,
        s: Session,
        deal: DealIn,
        actor: str,
        imported_from: str | None = None,
        raw: dict[str, Any] | None = None,
    ) -> tuple[DealRow, bool]:
        row = s.scalars(
            select(DealRow).where(
                DealRow.source == deal.source, DealRow.external_id == deal.external_id
            )
        ).first()
        now = utcnow()
        created = row is None
        before = DealOut.model_validate(row).model_dump(mode="json") if row else None
        if row is None:
            row = DealRow(
                id=uuid.uuid4().hex,
                source=deal.source,
                external_id=deal.external_id,
                created_at=now,
            )
            s.add(row)
        for name in _FIELDS:
            setattr(row, name, getattr(deal, name))
        row.imported_from, row.raw, row.updated_at = imported_from, raw, now
        s.flush()
        record_audit(
            s,
            actor=actor,
            action="deal.create" if created else "deal.update",
            entity_type="deal",
            entity_id=row.id,
            before=before,
            after=deal.model_dump(mode="json"),
        )
        return row, created

    def upsert(self, deal: DealIn, actor: str) -> UpsertOut:
        try:
            with self.db.session() as s:
                row, created = self._upsert(s, deal, actor)
                out: UpsertOut = _out(row, created)
        except IntegrityError:
            # another request inserted the same (source, external id) first: update it
            with self.db.session() as s:
                row, created = self._upsert(s, deal, actor)
                out = _out(row, created)
        if out.contract_id:
            self.notify_mismatches([out.contract_id])
        return out

    def import_csv(self, data: bytes, actor: str, format_name: str | None = None) -> ImportReport:
        try:
            mapping = load_mapping(self.mapping_path)
        except MappingError as exc:
            raise DealError(500, "mapping_invalid", str(exc)) from exc
        try:
            parsed = parse_csv(data, mapping, format_name)
        except CsvError as exc:
            raise DealError(422, exc.code, exc.message) from exc
        try:
            problems, kept, created, touched = self._store(parsed, actor)
        except IntegrityError:
            # another writer stored one of these records meanwhile: nothing of this import was
            # kept (one transaction), and the upserts now find them
            problems, kept, created, touched = self._store(parsed, actor)
        updated = len(kept) - created
        if touched:
            self.notify_mismatches(sorted(touched))
        rejected = len({p.row for p in problems if p.row > 0})
        return ImportReport(
            format=parsed.format,
            delimiter=parsed.delimiter,
            encoding=parsed.encoding,
            rows=len(parsed.rows),
            imported=len(kept),
            created=created,
            updated=updated,
            rejected=rejected,
            problems=sorted(problems, key=lambda p: (p.row, p.column or "")),
            unknown_columns=parsed.unknown_columns,
            records=kept,
        )

    def _store(
        self, parsed: ParsedCsv, actor: str
    ) -> tuple[list[RowProblem], list[str], int, set[str]]:
        """All rows in one transaction: a crash or an error leaves nothing stored. On
        PostgreSQL each row has its own savepoint, so a row the database refuses is reported
        and the others are kept. (SQLite's driver cannot nest a savepoint in a transaction
        reliably; rows are validated before this, so what is left is a whole-import retry.)"""
        problems: list[RowProblem] = list(parsed.file_problems)
        kept: list[str] = []
        created = 0
        touched: set[str] = set()
        with self.db.session() as s:
            savepoints = s.get_bind().dialect.name != "sqlite"
            for pr in parsed.rows:
                if pr.record is None:
                    problems.extend(pr.problems)
                    continue
                try:
                    with s.begin_nested() if savepoints else contextlib.nullcontext():
                        row, was_created = self._upsert(
                            s, pr.record, actor, imported_from=parsed.format, raw=pr.raw
                        )
                except IntegrityError as exc:
                    if not savepoints:
                        raise
                    problems.append(
                        RowProblem(row=pr.row, column=None, reason=f"not stored: {exc.orig}")
                    )
                    continue
                kept.append(row.id)
                created += was_created
                if row.contract_id:
                    touched.add(row.contract_id)
            record_audit(
                s,
                actor=actor,
                action="deal.import",
                entity_type="deal_import",
                entity_id=parsed.format,
                after={"rows": len(parsed.rows), "kept": len(kept)},
            )
        return problems, kept, created, touched

    def link(self, deal_id: str, contract_id: str | None, actor: str) -> DealOut:
        with self.db.session() as s:
            row = self._get(s, deal_id)
            if contract_id is not None and s.get(ContractRow, contract_id) is None:
                raise DealError(404, "contract_not_found", f"No contract with id {contract_id!r}.")
            before = row.contract_id
            row.contract_id = contract_id
            row.linked_by = actor if contract_id else None
            row.updated_at = utcnow()
            record_audit(
                s,
                actor=actor,
                action="deal.link" if contract_id else "deal.unlink",
                entity_type="deal",
                entity_id=deal_id,
                before={"contract_id": before},
                after={"contract_id": contract_id},
            )
            out: DealOut = _out(row)
        if contract_id:
            self.notify_mismatches([contract_id])
        return out

    # -- reads

    def _get(self, s: Session, deal_id: str) -> DealRow:
        row = s.get(DealRow, deal_id)
        if row is None:
            raise DealError(404, "deal_not_found", f"No record with id {deal_id!r}.")
        return row

    def get(self, deal_id: str) -> DealOut:
        with self.db.session() as s:
            out: DealOut = _out(self._get(s, deal_id))
            return out

    def records(
        self,
        source: str | None = None,
        contract_id: str | None = None,
        linked: bool | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[DealOut]:
        stmt = select(DealRow).order_by(DealRow.created_at, DealRow.id).limit(limit).offset(offset)
        if source:
            stmt = stmt.where(DealRow.source == source)
        if contract_id:
            stmt = stmt.where(DealRow.contract_id == contract_id)
        if linked is not None:
            stmt = stmt.where(
                DealRow.contract_id.is_not(None) if linked else DealRow.contract_id.is_(None)
            )
        with self.db.session() as s:
            return [_out(r) for r in s.scalars(stmt)]

    def suggestions(self, deal_id: str, limit: int = 5) -> list[Suggestion]:
        """Contracts whose parties name the record's customer (and whose dates fit), best
        first. Nothing is linked until a person confirms one (POST .../link)."""
        with self.db.session() as s:
            row = self._get(s, deal_id)
            rows = s.execute(
                select(
                    ContractRow.id,
                    ContractRow.title,
                    ContractRow.parties,
                    ContractRow.effective_date,
                    ContractRow.agreement_date,
                ).where(ContractRow.status == "ready")
            ).all()
            customer, start = row.customer, row.start_date
        candidates = [
            (
                cid,
                title,
                [str(p.get("name", "")) if isinstance(p, dict) else str(p) for p in parties or []],
                eff or agr,
            )
            for cid, title, parties, eff, agr in rows
        ]
        return [
            Suggestion(contract_id=c, title=t, score=sc, matched_party=p, reasons=r)
            for c, t, sc, p, r in rank_contracts(customer, start, candidates, limit)
        ]

    def facts(self, s: Session, contract_id: str, as_of: date | None = None) -> ContractFacts:
        c = s.get(ContractRow, contract_id)
        if c is None:
            raise DealError(404, "contract_not_found", f"No contract with id {contract_id!r}.")
        terms = [
            {
                "name": t.name,
                "value": t.value,
                "text": t.text,
                "start": t.start,
                "end": t.end,
                "page": t.page,
                "confidence": t.confidence,
            }
            for t in s.scalars(
                select(TermRow).where(TermRow.contract_id == contract_id).order_by(TermRow.id)
            )
        ]
        life = LifecycleService(self.db).compute(s, contract_id, today=as_of)
        return contract_facts(contract_id, c.title, c.text or "", terms, life)

    def _contract_mismatches(self, s: Session, contract_id: str, as_of: date) -> list[Mismatch]:
        records = [
            Record.of(r)
            for r in s.scalars(
                select(DealRow).where(DealRow.contract_id == contract_id).order_by(DealRow.id)
            )
        ]
        if not records:
            return []
        return reconcile(self.facts(s, contract_id, as_of), records, as_of)

    def reconciliation(
        self, contract_id: str | None = None, as_of: date | None = None, kind: str | None = None
    ) -> Reconciliation:
        as_of = as_of or date.today()
        with self.db.session() as s:
            if contract_id:
                self.facts(s, contract_id)  # 404 for an unknown contract
                ids = [contract_id]
            else:
                ids = list(
                    s.scalars(
                        select(DealRow.contract_id)
                        .where(DealRow.contract_id.is_not(None))
                        .distinct()
                    )
                )
            found: list[Mismatch] = []
            records = 0
            for cid in sorted(i for i in ids if i):
                found.extend(self._contract_mismatches(s, cid, as_of))
                records += len(
                    s.scalars(select(DealRow.id).where(DealRow.contract_id == cid)).all()
                )
        if kind:
            found = [m for m in found if m.kind == kind]
        found.sort(key=lambda m: (-abs(m.yearly_impact or 0), m.contract_id, m.kind))
        totals: dict[str, float] = {}
        for m in found:
            if m.yearly_impact is not None and m.currency:
                totals[m.currency] = round(totals.get(m.currency, 0.0) + m.yearly_impact, 2)
        return Reconciliation(
            as_of=as_of,
            contracts=len(ids),
            records=records,
            mismatches=found,
            total_yearly_impact=totals,
        )

    def notify_mismatches(self, contract_ids: list[str]) -> None:
        """Raise `reconciliation.mismatch` for each mismatch (its id is the event key, so one
        already sent is not sent again)."""
        if not self.listeners:
            return
        try:
            with self.db.session() as s:
                for cid in contract_ids:
                    for m in self._contract_mismatches(s, cid, date.today()):
                        for listen in self.listeners:
                            listen(
                                s,
                                "reconciliation.mismatch",
                                m.model_dump(mode="json"),
                                f"mismatch:{m.id}",
                            )
        except Exception:
            # the records are stored; the events are raised again on the next change
            log.exception("could not raise reconciliation events for %s", contract_ids)
