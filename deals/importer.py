"""Reading CSV exports into records: decoding, delimiter, format, value conversion, and a
per-row report. Pure: nothing here touches the database."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from deals.entities import DealIn, RowProblem
from deals.mapping import FormatMapping, MappingFile

MAX_ROWS = 50_000

_FREQUENCY = {
    "month": "monthly",
    "monthly": "monthly",
    "per month": "monthly",
    "mo": "monthly",
    "quarter": "quarterly",
    "quarterly": "quarterly",
    "per quarter": "quarterly",
    "semiannual": "semiannual",
    "semi-annual": "semiannual",
    "semi-annually": "semiannual",
    "half-yearly": "semiannual",
    "biannual": "semiannual",
    "year": "annual",
    "yearly": "annual",
    "annual": "annual",
    "annually": "annual",
    "per year": "annual",
    "one-time": "one_time",
    "one time": "one_time",
    "once": "one_time",
    "one_time": "one_time",
    "upfront": "one_time",
}
_COUNT_FREQUENCY = {1: "monthly", 3: "quarterly", 6: "semiannual", 12: "annual"}
_CURRENCY_SIGNS = {
    "$": "USD",
    "US$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "C$": "CAD",
    "A$": "AUD",
    "CHF": "CHF",
}
_TRUE = {"true", "yes", "y", "1", "checked", "x"}
_FALSE = {"false", "no", "n", "0", "unchecked", ""}


class CsvError(ValueError):
    """The file as a whole cannot be read (the report says why)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class ParsedRow:
    row: int
    record: DealIn | None
    problems: list[RowProblem] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)


@dataclass
class ParsedCsv:
    format: str
    source: str
    delimiter: str
    encoding: str
    rows: list[ParsedRow]
    unknown_columns: list[str]
    file_problems: list[RowProblem]


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding used: UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's
    "Unicode text"), else Windows-1252 (Excel's default CSV on Windows), which decodes any
    byte except five; those fall back to Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    head = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(head, delimiters=",;\t|").delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        counts = {d: first.count(d) for d in ",;\t|"}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def detect_format(headers: list[str], mapping: MappingFile, name: str | None) -> str:
    if name:
        if name not in mapping.formats:
            raise CsvError(
                "unknown_csv_format",
                f"No format {name!r} in the mapping file; formats: {sorted(mapping.formats)}.",
            )
        return name
    for fname, fmt in mapping.formats.items():
        if fmt.matches(headers):
            return fname
    expected = "; ".join(f"{n}: {', '.join(f.detect)}" for n, f in mapping.formats.items())
    raise CsvError(
        "unknown_csv_format",
        f"The header row ({', '.join(headers[:8])}) matches no format in the mapping file. "
        f"Formats and the headers that identify them: {expected}. Add a format to the "
        "mapping file, or name one with format=.",
    )


def parse_amount(s: str) -> float:
    t = s.strip().replace("\u00a0", " ")
    if t.startswith("(") and t.endswith(")"):
        t = "-" + t[1:-1]  # accounting notation for a negative amount
    t = re.sub(
        r"^[-+]?\s*(?:[A-Z]{3}|US\$|C\$|A\$|[$€£¥])\s*",
        lambda m: m.group(0)[:1] if m.group(0)[:1] in "-+" else "",
        t,
    )
    t = re.sub(r"\s*(?:[A-Z]{3})$", "", t).replace(" ", "")
    if re.fullmatch(r"[-+]?\d{1,3}(?:\.\d{3})+,\d{1,2}", t):  # 1.234,50 (European)
        t = t.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"[-+]?\d+,\d{1,2}", t):  # 1234,50
        t = t.replace(",", ".")
    else:
        t = t.replace(",", "")
    try:
        return float(t)
    except ValueError:
        raise ValueError(f"{s!r} is not an amount") from None


def parse_date(s: str, formats: list[str]) -> date:
    t = s.strip()
    for fmt in formats:
        try:
            return datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    try:
        return date.fromisoformat(t[:10])
    except ValueError:
        pass
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}.*|\d{1,2}/\d{1,2}/\d{2,4}", t):
        raise ValueError(f"{s!r} is not a real date")
    raise ValueError(f"{s!r} is not a date in a known format ({', '.join(formats) or 'ISO'})")


def parse_bool(s: str) -> bool:
    t = s.strip().lower()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    raise ValueError(f"{s!r} is not yes/no")


def parse_net_days(s: str) -> int:
    t = s.strip().lower()
    if t in {"due on receipt", "on receipt", "immediate", "immediately"}:
        return 0
    m = re.fullmatch(r"(?:net\s*)?(\d{1,3})(?:\s*days?)?", t)
    if not m:
        raise ValueError(f"{s!r} is not payment terms (e.g. 'Net 30' or 30)")
    return int(m.group(1))


def parse_percent(s: str) -> float:
    t = s.strip().rstrip("%").strip()
    return float(t.replace(",", "."))


def parse_currency(s: str) -> str:
    t = s.strip()
    if t in _CURRENCY_SIGNS:
        return _CURRENCY_SIGNS[t]
    if re.fullmatch(r"[A-Za-z]{3}", t):
        return t.upper()
    raise ValueError(f"{s!r} is not an ISO currency code")


def _convert(fieldname: str, value: str, fmt: FormatMapping) -> Any:
    if fieldname == "amount":
        return parse_amount(value) * fmt.amount_scale
    if fieldname in ("start_date", "end_date", "discount_end_date"):
        return parse_date(value, fmt.date_formats)
    if fieldname in ("term_months", "interval_count"):
        n = float(value.strip())
        if n != int(n):
            raise ValueError(f"{value!r} is not a whole number")
        return int(n)
    if fieldname == "payment_net_days":
        return parse_net_days(value)
    if fieldname in ("discount_percent", "escalation_percent"):
        return parse_percent(value)
    if fieldname == "auto_renew":
        return parse_bool(value)
    if fieldname == "billing_frequency":
        key = value.strip().lower()
        if key not in _FREQUENCY:
            raise ValueError(f"{value!r} is not a billing frequency")
        return _FREQUENCY[key]
    if fieldname == "currency":
        return parse_currency(value)
    return value.strip()


def _row_record(
    rownum: int, cells: dict[str, str], fmt: FormatMapping, columns: dict[str, str]
) -> ParsedRow:
    problems: list[RowProblem] = []
    values: dict[str, Any] = {k: v for k, v in fmt.defaults.items()}
    where: dict[str, str] = {}
    value_maps = {f: {str(k).lower(): v for k, v in m.items()} for f, m in fmt.values.items()}
    for header, fieldname in columns.items():
        raw = cells.get(header, "")
        if raw is None or raw.strip() == "":
            continue
        mapped = value_maps.get(fieldname, {}).get(raw.strip().lower(), raw)
        try:
            values[fieldname] = _convert(fieldname, str(mapped), fmt)
            where[fieldname] = header
        except (ValueError, OverflowError) as exc:
            problems.append(RowProblem(row=rownum, column=header, reason=str(exc)))
    count = values.pop("interval_count", None)
    if count and values.get("billing_frequency") == "monthly":
        values["billing_frequency"] = _COUNT_FREQUENCY.get(count, "monthly")
    elif count and count != 1 and values.get("billing_frequency") == "annual":
        problems.append(
            RowProblem(
                row=rownum,
                column=where.get("billing_frequency"),
                reason=f"billing every {count} years is not supported",
            )
        )
    if problems:
        return ParsedRow(rownum, None, problems, cells)
    try:
        record = DealIn.model_validate({"source": fmt.source, **values})
    except ValidationError as exc:
        for e in exc.errors():
            name = str(e["loc"][0]) if e["loc"] else ""
            column = where.get(name) or next(
                (h for h, f in columns.items() if f == name), name or None
            )
            msg = e["msg"].removeprefix("Value error, ")
            if name == "amount" and e["type"] == "greater_than_equal":
                msg = "negative amount"
            problems.append(RowProblem(row=rownum, column=column, reason=msg))
        return ParsedRow(rownum, None, problems, cells)
    return ParsedRow(rownum, record, [], cells)


def parse_csv(data: bytes, mapping: MappingFile, format_name: str | None = None) -> ParsedCsv:
    if not data.strip():
        raise CsvError("empty_csv", "The file is empty.")
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise CsvError("unreadable_csv", f"The header row cannot be read: {exc}") from exc
    if len(headers) < 2:
        raise CsvError(
            "unreadable_csv",
            "The header row has one column: the file is not a CSV with ',', ';', tab or '|' "
            "between columns.",
        )
    fname = detect_format(headers, mapping, format_name)
    fmt = mapping.formats[fname]
    lower = {h.lower(): h for h in headers}
    columns = {lower[c.lower()]: f for c, f in fmt.columns.items() if c.lower() in lower}
    ignored = {c.lower() for c in fmt.ignore}
    unknown = [h for h in headers if h and h not in columns and h.lower() not in ignored]
    file_problems = [
        RowProblem(row=0, column=h, reason="unknown column: not in the mapping file; ignored")
        for h in unknown
    ]
    missing = [f for f in ("external_id", "customer") if f not in columns.values()]
    if missing:
        raise CsvError(
            "missing_columns",
            f"The file has no column for {', '.join(missing)} (format {fname}).",
        )
    rows: list[ParsedRow] = []
    seen: dict[str, int] = {}
    id_col = next(h for h, f in columns.items() if f == "external_id")
    rownum = 0
    while True:
        try:
            cells_list = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            rownum += 1
            rows.append(
                ParsedRow(
                    rownum, None, [RowProblem(row=rownum, column=None, reason=f"unreadable: {exc}")]
                )
            )
            continue
        rownum += 1
        if rownum > MAX_ROWS:
            raise CsvError("too_many_rows", f"More than {MAX_ROWS} rows; split the file.")
        if not any(c.strip() for c in cells_list):
            continue
        if len(cells_list) != len(headers):
            rows.append(
                ParsedRow(
                    rownum,
                    None,
                    [
                        RowProblem(
                            row=rownum,
                            column=None,
                            reason=f"{len(cells_list)} fields where the header has {len(headers)} "
                            f"(delimiter {delimiter!r})",
                        )
                    ],
                )
            )
            continue
        cells = dict(zip(headers, cells_list, strict=True))
        if "\ufffd" in "".join(cells_list):
            rows.append(
                ParsedRow(
                    rownum,
                    None,
                    [
                        RowProblem(
                            row=rownum,
                            column=None,
                            reason="undecodable characters (wrong encoding)",
                        )
                    ],
                )
            )
            continue
        parsed = _row_record(rownum, cells, fmt, columns)
        ext = (cells.get(id_col) or "").strip()
        if ext and ext in seen:
            parsed = ParsedRow(
                rownum,
                None,
                [
                    RowProblem(
                        row=rownum,
                        column=id_col,
                        reason=f"duplicate external id {ext!r} (first on row {seen[ext]})",
                    )
                ],
                cells,
            )
        elif ext:
            seen[ext] = rownum
        rows.append(parsed)
    return ParsedCsv(fname, fmt.source, delimiter, encoding, rows, unknown, file_problems)
