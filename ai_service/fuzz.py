"""`clausewise fuzz`: a real service on a free port, fuzzed from its own OpenAPI schema.

Two parts, on the database given (SQLite by default, or a PostgreSQL URL):
- uploads of mutated documents built here (byte flips, truncation, huge XML, many pages,
  encryption), each of which must end `ready` or `failed` with a documented code in its budget;
- Schemathesis (on Hypothesis) generating requests for every operation in /openapi.json, with
  the checks: no 5xx, status codes, content types and bodies as documented, and every error in
  the documented shape with a code the README lists.

CI runs it bounded (a fixed number of examples per operation, a fixed seed); the command can run
for as long as asked. Needs the dev extra (schemathesis).
"""

from __future__ import annotations

import io
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

FUZZ_ADMIN_KEY = "cw_fuzz_admin_key_0123456789abcdef"
REPO = Path(__file__).resolve().parent.parent
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "error_shape",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def known_codes(readme: Path = REPO / "README.md") -> set[str]:
    """Every `code`-looking token the README mentions: the list of documented error codes."""
    return set(re.findall(r"`([a-z][a-z0-9_]*)`", readme.read_text(encoding="utf-8")))


@contextmanager
def running_service(
    data_dir: Path, database_url: str | None, port: int, budget_s: float = 60.0
) -> Iterator[str]:
    """`clausewise serve` in a subprocess; yields its base URL once /healthz answers."""
    env = {
        **os.environ,
        "CLAUSEWISE_DATA_DIR": str(data_dir),
        "CLAUSEWISE_BOOTSTRAP_ADMIN_KEY": FUZZ_ADMIN_KEY,
        "CLAUSEWISE_HOST": "127.0.0.1",
        "CLAUSEWISE_PORT": str(port),
        "CLAUSEWISE_WORKERS": "1",
        "CLAUSEWISE_DOCUMENT_TIME_BUDGET_S": str(budget_s),
        "CLAUSEWISE_LLM_BASE_URL": "",
        "CLAUSEWISE_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(REPO),
    }
    env.pop("CLAUSEWISE_DATABASE_URL", None)
    if database_url:
        env["CLAUSEWISE_DATABASE_URL"] = database_url
    data_dir.mkdir(parents=True, exist_ok=True)
    log = open(data_dir / "service.log", "wb")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ai_service.cli", "serve"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 900  # a first start indexes the library; CI is slow
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the service exited; see {data_dir / 'service.log'}")
            try:
                if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the service did not become healthy in 900 s")
            time.sleep(1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


# --------------------------------------------------------------------------- documents


def _pdf(pages: list[str], compress: bool = True) -> bytes:
    """A small valid PDF, one Helvetica text line per page."""
    objs: list[bytes] = [b"", b""]
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids = []
    for text in pages:
        safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = f"BT /F1 11 Tf 72 720 Td ({safe}) Tj ET".encode("latin-1", "replace")
        extra = b""
        if compress:
            stream, extra = zlib.compress(stream), b" /Filter /FlateDecode"
        objs.append(b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(stream), extra, stream))
        content = len(objs)
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content
        )
        kids.append(len(objs))
    objs[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    refs = b" ".join(b"%d 0 R" % k for k in kids)
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (refs, len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _rezip(source: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = replace.get(info.filename, zin.read(info.filename))
            zout.writestr(info.filename, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _encrypt(pdf: bytes, user: str, owner: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        writer.add_page(page)
    writer.encrypt(user, owner, algorithm="AES-256")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


_LINES = [
    "MASTER SERVICES AGREEMENT between Northwind Ltd and Contoso Inc.",
    "1. Term. This Agreement begins on 1 March 2025 and lasts two years.",
    "2. Payment. Invoices are payable within 45 days of receipt.",
    "3. Governing Law. This Agreement is governed by the laws of Delaware.",
    "4. Liability. Neither party's liability exceeds the fees paid in 12 months.",
]


def mutated_documents(
    seed: int, cuad_dir: Path | None = None, count: int = 24
) -> list[tuple[str, bytes]]:
    """Hostile documents, deterministic for a seed; real CUAD PDFs are mutated too if present."""
    rng = random.Random(seed)
    pdf = _pdf(_LINES)
    docx_bytes = _docx(_LINES)
    bases: list[tuple[str, bytes]] = [("gen.pdf", pdf), ("gen.docx", docx_bytes)]
    if cuad_dir and (cuad_dir / "pdf").is_dir():
        real = sorted((cuad_dir / "pdf").glob("*.pdf"), key=lambda p: p.stat().st_size)[:2]
        bases += [(p.name, p.read_bytes()) for p in real]
    docs: list[tuple[str, bytes]] = [
        ("encrypted-user-password.pdf", _encrypt(pdf, "secret", "owner")),
        ("encrypted-owner-only.pdf", _encrypt(pdf, "", "owner")),
        ("many-pages.pdf", _pdf([f"Page {i}. {_LINES[i % 5]}" for i in range(520)])),
        ("hundred-pages.pdf", _pdf([f"Clause {i}. {_LINES[i % 5]}" for i in range(100)], False)),
        (
            "huge-xml.docx",
            _rezip(
                docx_bytes,
                {
                    "word/document.xml": b'<?xml version="1.0"?><w:document xmlns:w="http://'
                    b'schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                    + b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 400_000
                    + b"</w:body></w:document>"
                },
            ),
        ),
        (
            "deep-xml.docx",
            _rezip(
                docx_bytes,
                {
                    "word/document.xml": b'<?xml version="1.0"?><w:document xmlns:w="http://'
                    b'schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                    + b"<w:sdt>" * 50_000
                    + b"</w:sdt>" * 50_000
                    + b"</w:body></w:document>"
                },
            ),
        ),
    ]
    while len(docs) < count:
        name, data = bases[len(docs) % len(bases)]
        b = bytearray(data)
        how = rng.choice(("flip", "truncate", "splice"))
        if how == "flip":
            for _ in range(rng.choice((1, 5, 50))):
                b[rng.randrange(len(b))] = rng.randrange(256)
        elif how == "truncate":
            b = b[: rng.randrange(1, len(b))]
        else:
            at = rng.randrange(len(b))
            b[at : at + 512] = rng.randbytes(512)
        docs.append((f"{how}-{len(docs)}-{name}", bytes(b)))
    return docs


@dataclass
class UploadReport:
    documents: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    left_unfinished: list[str] = field(default_factory=list)
    undocumented: list[str] = field(default_factory=list)
    server_errors: int = 0


def fuzz_uploads(
    base: str, docs: list[tuple[str, bytes]], codes: set[str], budget_s: float
) -> UploadReport:
    """Upload every document; each must be refused with a documented code, or end `ready` or
    `failed` (with a documented code) within its time budget."""
    auth = {"Authorization": f"Bearer {FUZZ_ADMIN_KEY}"}
    report = UploadReport(documents=len(docs))
    pending: dict[str, str] = {}
    with httpx.Client(base_url=base, headers=auth, timeout=120) as client:
        for name, data in docs:
            r = client.post("/v1/contracts", files={"file": (name, data)})
            if r.status_code >= 500:
                report.server_errors += 1
            if r.status_code >= 400:
                code = r.json().get("error", {}).get("code", "?")
                report.outcomes[f"refused:{code}"] += 1
                if code not in codes:
                    report.undocumented.append(f"{name}: {code}")
                continue
            out = r.json()
            if out.get("duplicate"):
                report.outcomes["duplicate"] += 1
                continue
            pending[out["id"]] = name
        # One worker processes them in turn: each gets its budget, plus slack for the queue.
        deadline = time.monotonic() + budget_s * 1.5 + 20 * len(pending)
        while pending and time.monotonic() < deadline:
            for cid in list(pending):
                r = client.get(f"/v1/contracts/{cid}")
                if r.status_code >= 500:
                    report.server_errors += 1
                    continue
                out = r.json()
                if out["status"] in ("ready", "failed"):
                    name = pending.pop(cid)
                    code = out.get("error_code")
                    report.outcomes[out["status"] + (f":{code}" if code else "")] += 1
                    if out["status"] == "failed" and code not in codes:
                        report.undocumented.append(f"{name}: {code}")
            time.sleep(1)
    report.left_unfinished = sorted(pending.values())
    return report


@dataclass
class ApiReport:
    exit_code: int
    server_errors: int
    output_tail: str


def fuzz_api(
    base: str,
    codes_file: Path,
    *,
    max_examples: int,
    seed: int,
    max_time_s: float | None,
    work_dir: Path,
) -> ApiReport:
    """Schemathesis against the running service, from its /openapi.json."""
    tally = work_dir / "5xx.txt"
    tally.write_text("")
    cmd = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{base}/openapi.json",
        "--header",
        f"Authorization: Bearer {FUZZ_ADMIN_KEY}",
        "--checks",
        ",".join(CHECKS),
        "--max-examples",
        str(max_examples),
        "--seed",
        str(seed),
        "--phases",
        "examples,coverage,fuzzing",
        "--workers",
        "1",
        "--request-timeout",
        "120",
        "--no-color",
        "--suppress-health-check",
        "all",
    ]
    if max_time_s:
        cmd += ["--max-time", str(int(max_time_s))]
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "ai_service.fuzz_hooks",
        "CLAUSEWISE_FUZZ_CODES": str(codes_file),
        "CLAUSEWISE_FUZZ_TALLY": str(tally),
        "PYTHONPATH": str(REPO),
    }
    proc = subprocess.run(cmd, cwd=work_dir, env=env, capture_output=True, text=True)
    output = proc.stdout + proc.stderr
    (work_dir / "schemathesis.log").write_text(output)
    server_errors = len(tally.read_text().splitlines())
    return ApiReport(proc.returncode, server_errors, output[-6000:])


@dataclass
class FuzzReport:
    database: str
    api: ApiReport
    uploads: UploadReport
    seconds: float

    @property
    def ok(self) -> bool:
        u = self.uploads
        return (
            self.api.exit_code == 0
            and self.api.server_errors == 0
            and u.server_errors == 0
            and not u.left_unfinished
            and not u.undocumented
        )

    def render(self) -> str:
        u = self.uploads
        return "\n".join(
            [
                f"fuzz on {self.database} ({self.seconds:.0f} s): {'PASS' if self.ok else 'FAIL'}",
                f"  schema-driven API fuzzing: schemathesis exit {self.api.exit_code}, "
                f"5xx responses {self.api.server_errors}",
                f"  uploads: {u.documents} mutated documents, 5xx {u.server_errors}, "
                f"left pending/processing {len(u.left_unfinished)}, "
                f"undocumented codes {len(u.undocumented)}",
                "  outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(u.outcomes.items())),
                *(f"  unfinished: {n}" for n in u.left_unfinished),
                *(f"  undocumented: {n}" for n in u.undocumented),
            ]
        )


def run_fuzz(
    *,
    database_url: str | None = None,
    max_examples: int = 5,
    seed: int = 20261130,
    max_time_s: float | None = None,
    documents: int = 10,
    budget_s: float = 60.0,
    cuad_dir: Path | None = None,
    work_dir: Path | None = None,
) -> FuzzReport:
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="clausewise-fuzz-") as tmp:
        work = work_dir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        codes = known_codes()
        codes_file = work / "codes.txt"
        codes_file.write_text("\n".join(sorted(codes)))
        with running_service(work / "data", database_url, free_port(), budget_s) as base:
            uploads = fuzz_uploads(
                base, mutated_documents(seed, cuad_dir, documents), codes, budget_s
            )
            api = fuzz_api(
                base,
                codes_file,
                max_examples=max_examples,
                seed=seed,
                max_time_s=max_time_s,
                work_dir=work,
            )
    database = "postgresql" if database_url and database_url.startswith("postgresql") else "sqlite"
    return FuzzReport(database, api, uploads, time.monotonic() - start)
