"""CRM and billing records: upsert, CSV import through an editable mapping file, links to
contracts (explicit or a confirmed suggestion), and reconciliation against contract terms."""

from deals.contract_terms import ContractFacts, contract_facts
from deals.entities import (
    DealIn,
    DealOut,
    Evidence,
    ImportReport,
    LinkIn,
    Mismatch,
    Reconciliation,
    RowProblem,
    Suggestion,
    UpsertOut,
)
from deals.errors import DealError
from deals.importer import parse_csv
from deals.mapping import DEFAULT_MAPPING, load_mapping
from deals.reconcile import KINDS, Record, reconcile
from deals.service import DealService

__all__ = [
    "DEFAULT_MAPPING",
    "KINDS",
    "ContractFacts",
    "DealError",
    "DealIn",
    "DealOut",
    "DealService",
    "Evidence",
    "ImportReport",
    "LinkIn",
    "Mismatch",
    "Reconciliation",
    "Record",
    "RowProblem",
    "Suggestion",
    "UpsertOut",
    "contract_facts",
    "load_mapping",
    "parse_csv",
    "reconcile",
]
