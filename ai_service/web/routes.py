"""The web pages. Each page is rendered on the server in one request; the few scripts only add
drag-and-drop upload with progress, copy buttons and evidence highlighting.

Pages call the same domain services as the JSON API routes do (archive, library, review,
assistant), with the signed-in person's identity as the actor."""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from ai_service.auth import authenticate
from ai_service.downloads import attachment
from ai_service.routes.contracts import _safe_name
from ai_service.services import Services
from ai_service.text_guard import control_problem
from ai_service.web.render import (
    Mark,
    contract_html,
    diff_ops,
    display_title,
    is_file_id,
    markdown_html,
    redline_html,
    type_colors,
)
from ai_service.web.session import (
    FLASH_COOKIE,
    WebUser,
    clear_flash,
    csrf_ok,
    current_user,
    insecure_transport,
    read_flash,
    same_origin,
    services_of,
    set_flash,
    sign_in,
    sign_out,
)
from archive import ArchiveFilters, ArchiveSearch, ContractDetail, ContractNotFound, ContractSummary
from archive import service as archive_service
from archive.models import ContractRow, TermRow
from clause_index import (
    ClauseNotFound,
    ClauseUpdate,
    LibraryError,
    SearchFilters,
    SearchRequest,
)
from clause_index import service as library_service
from clause_index.models import ClauseTypeRow, ClauseTypeVersionRow
from clause_index.schema import Approver, PositionKind
from drafting import AskRequest
from drafting.entities import DealContext
from extraction import ExtractionError
from review import DecisionIn, ReviewError
from review.entities import ContractReviewOverview

UPLOAD_PATH = "/contracts/upload"
STATIC_DIR = Path(__file__).parent / "static"

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.filters["redline"] = redline_html
templates.env.filters["markdown"] = markdown_html

router = APIRouter(include_in_schema=False)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}

SEVERITIES = ("critical", "high", "medium", "low")
REVIEW_STATUSES = {
    "pending": "Review pending",
    "clean": "Clean",
    "needs_approval": "Needs approval",
    "blocked": "Blocked",
}
DECISIONS = {"accept": "accepted", "reject": "rejected", "escalate": "escalated"}
SIGNOFF_LABELS = {
    "pending": "Awaiting sign-off",
    "accepted": "Signed off",
    "rejected": "Rejected",
    "escalated": "Escalated to the executive team",
}


# ----------------------------------------------------------------------------- plumbing


class LoginRequired(Exception):
    def __init__(self, next_url: str, api: bool = False) -> None:
        self.next_url = next_url
        self.api = api


class WebProblem(Exception):
    """Shown to the person as a page with a message (not JSON)."""

    def __init__(self, status: int, title: str, message: str) -> None:
        self.status = status
        self.title = title
        self.message = message


def _need_user(request: Request) -> WebUser:
    user = current_user(request)
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target, api=request.url.path.startswith("/web/api/"))
    return user


User = Annotated[WebUser, Depends(_need_user)]


def _need_legal(user: User) -> WebUser:
    if not user.is_legal:
        raise WebProblem(
            403,
            "Legal only",
            f"This needs the legal role; you are signed in as {user.role.value}.",
        )
    return user


LegalUser = Annotated[WebUser, Depends(_need_legal)]


def _check_post(request: Request, user: WebUser | None, token: str | None) -> None:
    if not same_origin(request) or (user is not None and not csrf_ok(user, token)):
        raise WebProblem(
            403,
            "The form expired",
            "This form was not sent from this page's session. Go back, reload the page, "
            "and try again.",
        )


def _safe_next(url: str | None) -> str:
    if url and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return "/contracts"


def page(
    request: Request,
    name: str,
    user: WebUser | None,
    status: int = 200,
    **ctx: Any,
) -> HTMLResponse:
    flash = read_flash(request)
    resp = templates.TemplateResponse(
        request,
        name,
        {"user": user, "flash": flash, "csrf": user.csrf if user else "", **ctx},
        status_code=status,
    )
    if request.cookies.get(FLASH_COOKIE):
        clear_flash(resp)
    resp.headers.update(SECURITY_HEADERS)
    return resp


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def flash_redirect(request: Request, url: str, kind: str, text: str) -> RedirectResponse:
    resp = redirect(url)
    set_flash(request, resp, kind, text)
    return resp


def install_handlers(app: Any) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        if exc.api:
            return JSONResponse(
                {"error": {"code": "signed_out", "message": "Sign in again."}}, status_code=401
            )
        return redirect("/login?" + urlencode({"next": exc.next_url}))

    @app.exception_handler(WebProblem)
    async def _problem(request: Request, exc: WebProblem) -> Response:
        return page(
            request,
            "error.html",
            current_user(request),
            status=exc.status,
            title=exc.title,
            message=exc.message,
        )


_type_cache: dict[int, tuple[float, dict[str, str]]] = {}


def type_names(services: Services) -> dict[str, str]:
    """Library clause type id -> name (one query, cached for a few seconds)."""
    hit = _type_cache.get(id(services))
    if hit and time.monotonic() - hit[0] < 10:
        return hit[1]

    def read(s: Any) -> dict[str, str]:
        rows = s.execute(
            select(ClauseTypeRow.id, ClauseTypeVersionRow.data)
            .join(
                ClauseTypeVersionRow,
                (ClauseTypeVersionRow.type_id == ClauseTypeRow.id)
                & (ClauseTypeVersionRow.version == ClauseTypeRow.current_version),
            )
            .where(ClauseTypeRow.status == "active")
        ).all()
        return {tid: str(data.get("name", tid)) for tid, data in rows}

    names = dict(sorted(services.library.read(read).items(), key=lambda kv: kv[1].lower()))
    _type_cache[id(services)] = (time.monotonic(), names)
    return names


def term_label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def term_value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        if "name" in value:
            role = value.get("role")
            return f"{value['name']} ({role})" if role else str(value["name"])
        shown = [(k, v) for k, v in value.items() if v is not None]
        return ", ".join(f"{term_label(k).lower()}: {term_value(v)}" for k, v in shown) or "—"
    if isinstance(value, list):
        return ", ".join(term_value(v) for v in value)
    return str(value)


def approver_label(approver: str) -> str:
    return approver.replace("_", " ").capitalize()


_ACTOR = re.compile(r"^key:\w+ \((?P<name>.*), (?P<role>\w+)\)$")


def actor_label(actor: str) -> str:
    """`key:<id> (Dana, legal)` -> `Dana (legal)`; other actors as they are."""
    m = _ACTOR.match(actor or "")
    return f"{m['name']} ({m['role']})" if m else actor


def position_label(position_id: str) -> str:
    """`standard` -> `standard position`, `fallback-2` -> `approved fallback 2`."""
    if position_id == "standard":
        return "standard position"
    kind, _, rank = position_id.partition("-")
    return f"approved fallback {rank}" if kind == "fallback" and rank else position_id


templates.env.filters["term_value"] = term_value
templates.env.filters["term_label"] = term_label
templates.env.filters["approver_label"] = approver_label
templates.env.filters["actor_label"] = actor_label


# ----------------------------------------------------------------------------- sign-in


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    return redirect("/contracts" if current_user(request) else "/login")


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> Response:
    if current_user(request) is not None:
        return redirect(_safe_next(next))
    return page(
        request,
        "login.html",
        None,
        next=_safe_next(next),
        insecure=insecure_transport(request),
    )


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    form = await request.form()
    _check_post(request, None, None)
    key = str(form.get("key") or "").strip()
    next_url = _safe_next(str(form.get("next") or ""))
    services = services_of(request)
    principal = None
    if key:
        with services.db.session() as s:
            principal = authenticate(s, key)
    if principal is None:
        return page(
            request,
            "login.html",
            None,
            status=401,
            next=next_url,
            insecure=insecure_transport(request),
            error=(
                "Enter your API key."
                if not key
                else "That key is unknown or has been revoked. Check it, or ask an admin "
                "for a new one."
            ),
        )
    resp = redirect(next_url)
    sign_in(request, resp, key)
    set_flash(request, resp, "ok", f"Signed in as {principal.name} ({principal.role.value}).")
    return resp


@router.post("/logout")
async def logout(request: Request) -> Response:
    form = await request.form()
    user = current_user(request)
    if user is not None:
        _check_post(request, user, str(form.get("csrf") or ""))
    resp = redirect("/login")
    sign_out(resp)
    set_flash(request, resp, "ok", "Signed out.")
    return resp


# ----------------------------------------------------------------------------- contracts


def _date(value: str | None, label: str, problems: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(f"{label}: use a date like 2026-06-30.")
        return None


def review_overviews(services: Services, ids: list[str]) -> dict[str, ContractReviewOverview]:
    """Review status and flag counts per contract, rolled up by the review service itself
    (the same sign-off rules as a contract's own page)."""
    return services.review.overviews(ids) if ids else {}


def document_names(services: Services, ids: list[str]) -> dict[str, str]:
    """The extracted document name per contract (for titles that are only file ids)."""
    if not ids:
        return {}

    def read(s: Any) -> dict[str, str]:
        rows = s.execute(
            select(TermRow.contract_id, TermRow.value).where(
                TermRow.contract_id.in_(ids), TermRow.name == "document_name"
            )
        ).all()
        return {cid: str(v) for cid, v in rows if isinstance(v, str) and v.strip()}

    out: dict[str, str] = services.archive.read(read)
    return out


SORTS = {
    "title": lambda c: (c.title or "").lower(),
    "counterparty": lambda c: (c.counterparty or "").lower(),
    "governing_law": lambda c: (c.governing_law or "").lower(),
    "effective_date": lambda c: c.effective_date or date.min,
    "expiration_date": lambda c: c.expiration_date or date.min,
    "notice_deadline": lambda c: c.notice_deadline or date.min,
    "payment_net_days": lambda c: c.payment_net_days if c.payment_net_days is not None else -1,
    "status": lambda c: c.status,
    "created_at": lambda c: c.created_at,
}


@router.get("/contracts", response_class=HTMLResponse)
def contracts_page(request: Request, user: User) -> Response:
    services = services_of(request)
    q = request.query_params
    problems: list[str] = []
    fields = {
        k: q.get(k, "").strip()
        for k in (
            "status",
            "counterparty",
            "governing_law",
            "clause_type",
            "clause_type_absent",
            "renewal_from",
            "renewal_to",
            "notice_from",
            "notice_to",
            "review",
            "sort",
            "dir",
        )
    }
    status = (
        fields["status"]
        if fields["status"] in ("pending", "processing", "ready", "failed")
        else None
    )
    filters = ArchiveFilters(
        status=status,  # type: ignore[arg-type]
        counterparty=fields["counterparty"][:200] or None,
        governing_law=fields["governing_law"][:100] or None,
        clause_type=fields["clause_type"][:100] or None,
        clause_type_absent=fields["clause_type_absent"][:100] or None,
        expiration_from=_date(fields["renewal_from"], "Renewal from", problems),
        expiration_to=_date(fields["renewal_to"], "Renewal to", problems),
        notice_deadline_from=_date(fields["notice_from"], "Notice deadline from", problems),
        notice_deadline_to=_date(fields["notice_to"], "Notice deadline to", problems),
    )

    def read(s: Any) -> tuple[list[ContractSummary], list[str], int]:
        rows = archive_service.list_contracts(s, filters, limit=1000)
        laws = sorted(
            {
                v
                for v in s.scalars(select(ContractRow.governing_law).distinct())
                if isinstance(v, str) and v
            }
        )
        total = len(s.scalars(select(ContractRow.id)).all())
        return rows, laws, total

    rows, laws, total = services.archive.read(read)
    ready = [c.id for c in rows if c.status == "ready"]
    overviews = review_overviews(services, ready)
    reviews = {cid: o.status for cid, o in overviews.items()}
    doc_names = document_names(services, [c.id for c in rows if is_file_id(c.title)])
    titles = {c.id: display_title(c.title, doc_names.get(c.id)) for c in rows}
    if fields["review"]:
        rows = [c for c in rows if reviews.get(c.id) == fields["review"]]
    extra_sorts = ("review", "flags")
    sort = (
        fields["sort"] if fields["sort"] in SORTS or fields["sort"] in extra_sorts else "created_at"
    )
    desc = fields["dir"] == "desc" if fields["sort"] == sort else True
    order = list(REVIEW_STATUSES)
    key: Any = (
        (lambda c: order.index(reviews[c.id]) if c.id in reviews else -1)
        if sort == "review"
        else (
            lambda c: (
                (overviews[c.id].open, overviews[c.id].flags) if c.id in overviews else (-1, -1)
            )
        )
        if sort == "flags"
        else (lambda c: titles[c.id].lower())
        if sort == "title"
        else SORTS[sort]
    )
    rows = sorted(rows, key=key, reverse=desc)
    names = type_names(services)
    base = {k: v for k, v in fields.items() if v and k not in ("sort", "dir")}

    def sort_url(col: str) -> str:
        nxt = "desc" if sort == col and not desc else "asc"
        return "/contracts?" + urlencode({**base, "sort": col, "dir": nxt})

    return page(
        request,
        "contracts.html",
        user,
        rows=rows,
        total=total,
        f=fields,
        laws=laws,
        type_names=names,
        review_statuses=REVIEW_STATUSES,
        reviews=reviews,
        overviews=overviews,
        titles=titles,
        severities=SEVERITIES,
        sort=sort,
        desc=desc,
        sort_url=sort_url,
        problems=problems,
        filtered=bool(base),
        upload_path=UPLOAD_PATH,
    )


@router.post(UPLOAD_PATH)
async def upload(request: Request, user: User) -> Response:
    """Upload one or more files. The page's script sends one file per request and asks for
    JSON (to show per-file progress); a plain form post gets a redirect with a message."""
    services = services_of(request)
    form = await request.form()
    token = request.headers.get("x-csrf-token") or str(form.get("csrf") or "")
    wants_json = "application/json" in request.headers.get("accept", "")
    if not same_origin(request) or not csrf_ok(user, token):
        if wants_json:
            return JSONResponse(
                {"error": {"code": "csrf", "message": "Reload the page and try again."}},
                status_code=403,
            )
        _check_post(request, user, token)
    files = [f for f in form.getlist("file") if not isinstance(f, str)]
    title = str(form.get("title") or "").strip() or None
    title_problem = control_problem(title or "")
    if title_problem:
        message = f"The title contains a control character ({title_problem}); remove it and retry."
        if wants_json:
            return JSONResponse(
                {"error": {"code": "control_character", "message": message}}, status_code=422
            )
        return flash_redirect(request, "/contracts", "error", message)
    results: list[dict[str, Any]] = []
    for f in files:
        data = await f.read()
        name = _safe_name(f.filename) or "upload"
        if not data:
            results.append(
                {"file": name, "ok": False, "status": 422, "message": "The file is empty."}
            )
            continue
        try:
            out: ContractSummary = await run_in_threadpool(
                services.archive.upload,
                data,
                title=title if len(files) == 1 else None,
                filename=name,
                deal=None,
                actor=user.principal.actor,
            )
        except ExtractionError as exc:
            results.append(
                {"file": name, "ok": False, "status": exc.status, "message": exc.message}
            )
            continue
        results.append({"file": name, "ok": True, "contract": out.model_dump(mode="json")})
    if wants_json:
        if not files:
            return JSONResponse(
                {"error": {"code": "missing_file", "message": "Choose a file to upload."}},
                status_code=422,
            )
        first = results[0]
        if not first["ok"]:
            return JSONResponse(
                {"error": {"code": "upload_failed", "message": first["message"]}},
                status_code=int(first["status"]),
            )
        return JSONResponse(
            first["contract"], status_code=200 if first["contract"]["duplicate"] else 202
        )
    if not files:
        return flash_redirect(request, "/contracts", "error", "Choose a file to upload.")
    ok = [r for r in results if r["ok"]]
    bad = [r for r in results if not r["ok"]]
    parts = []
    if ok:
        parts.append(f"{len(ok)} file(s) uploaded; they appear below once processed.")
    parts.extend(f"{r['file']}: {r['message']}" for r in bad)
    return flash_redirect(request, "/contracts", "error" if bad else "ok", " ".join(parts))


@router.get("/web/api/contracts/{contract_id}")
def contract_status(contract_id: str, request: Request, user: User) -> Response:
    services = services_of(request)
    try:
        out: ContractSummary = services.archive.read(
            lambda s: archive_service.summary(archive_service.get_row(s, contract_id))
        )
    except ContractNotFound:
        return JSONResponse(
            {"error": {"code": "contract_not_found", "message": "No such contract."}},
            status_code=404,
        )
    return JSONResponse(out.model_dump(mode="json"))


@router.get("/contracts/{contract_id}/file")
def contract_file(contract_id: str, request: Request, user: User) -> Response:
    services = services_of(request)
    try:
        row: Any = services.archive.read(lambda s: archive_service.get_row(s, contract_id))
    except ContractNotFound as exc:
        raise WebProblem(404, "Contract not found", "There is no contract with this id.") from exc
    return Response(
        services.archive.blobs.get(row.sha256),
        media_type=row.media_type,
        headers={"Content-Disposition": attachment(row.filename or contract_id)},
    )


def _sev_rank(flag: dict[str, Any]) -> tuple[int, int]:
    sev = str(flag.get("severity", "low"))
    open_first = 0 if flag.get("status", "open") == "open" else 1
    return (SEVERITIES.index(sev) if sev in SEVERITIES else 9, open_first)


@router.get("/contracts/{contract_id}", response_class=HTMLResponse)
async def contract_page(contract_id: str, request: Request, user: User) -> Response:
    services = services_of(request)

    def read(s: Any) -> tuple[ContractDetail, list[Any]]:
        d = archive_service.detail(s, contract_id)
        return d, list(archive_service.get_row(s, contract_id).pages or [])

    try:
        detail, pages = await run_in_threadpool(services.archive.read, read)
    except ContractNotFound as exc:
        raise WebProblem(
            404,
            "Contract not found",
            "There is no contract with this id; it may have been deleted.",
        ) from exc
    names = await run_in_threadpool(type_names, services)
    review: dict[str, Any] | None = None
    review_error: str | None = None
    if detail.status == "ready":
        try:
            summary = await run_in_threadpool(services.review.flags, contract_id)
            review = summary.model_dump(mode="json")
        except ReviewError as exc:
            review_error = exc.message
        except ContractNotFound as exc:
            raise WebProblem(404, "Contract not found", "The contract was just deleted.") from exc
    flags = sorted((review or {}).get("flags") or [], key=_sev_rank)
    dates = None
    if detail.status == "ready" and services.lifecycle is not None:
        from ai_service.web.upcoming import key_dates

        dates = await run_in_threadpool(key_dates, services.lifecycle, contract_id)

    marks: list[Mark] = []
    for i, t in enumerate(detail.terms):
        marks.append(Mark(f"term-{i}", t.start, t.end, "ev-term"))
    for fl in flags:
        ev = fl.get("evidence") or None
        if ev and isinstance(ev.get("start"), int) and isinstance(ev.get("end"), int):
            marks.append(
                Mark(f"flag-{fl['id']}", ev["start"], ev["end"], f"ev-flag sev-{fl['severity']}")
            )
    hl = request.query_params.get("hl", "")
    if "-" in hl:
        a, _, b = hl.partition("-")
        if a.isdigit() and b.isdigit():
            marks.append(Mark("hit", int(a), int(b), "ev-hit"))
    text = detail.text or ""
    present = sorted(
        {t["type"] for seg in detail.segments for t in seg.types if t.get("type") in names},
        key=lambda t: names[t].lower(),
    )
    colors = type_colors(names)
    first_seg: dict[str, int] = {}
    for seg in detail.segments:
        for t in seg.types:
            first_seg.setdefault(str(t.get("type")), seg.index)
    body = contract_html(text, detail.segments, pages, marks, names, colors) if text else None
    return page(
        request,
        "contract.html",
        user,
        c=detail,
        body=body,
        review=review,
        review_error=review_error,
        flags=flags,
        severities=SEVERITIES,
        review_statuses=REVIEW_STATUSES,
        present_types=present,
        type_names=names,
        colors=colors,
        first_seg=first_seg,
        has_hit=any(m.key == "hit" for m in marks),
        title=display_title(
            detail.title,
            next((str(t.value) for t in detail.terms if t.name == "document_name"), None),
        ),
        open_flag=request.query_params.get("open", ""),
        position_label=position_label,
        signoff_labels=SIGNOFF_LABELS,
        dates=dates,
    )


@router.post("/contracts/{contract_id}/flags/{flag_id}/decision")
async def decide(contract_id: str, flag_id: str, request: Request, user: LegalUser) -> Response:
    """Legal records one approver's decision on a flag (the approver chosen in the form)."""
    form = await request.form()
    _check_post(request, user, str(form.get("csrf") or ""))
    decision = str(form.get("decision") or "")
    comment = str(form.get("comment") or "").strip()
    approver = str(form.get("approver") or "").strip() or None
    version = str(form.get("flag_version") or "").strip() or None
    back = f"/contracts/{contract_id}?open={flag_id}#flag-{flag_id}"
    if decision not in DECISIONS:
        return flash_redirect(request, back, "error", "Choose accept, reject or escalate.")
    if not comment:
        return flash_redirect(
            request, back, "error", "Add a comment saying why; the decision was not saved."
        )
    services = services_of(request)
    try:
        body = DecisionIn(
            decision=decision,  # type: ignore[arg-type]
            comment=comment[:5000],
            approver=approver[:50] if approver else None,
            flag_version=version[:64] if version else None,
        )
        out = await run_in_threadpool(services.review.decide, flag_id, body, user.principal.actor)
    except ReviewError as exc:
        return flash_redirect(request, back, "error", f"The decision was not saved: {exc.message}")
    back = f"/contracts/{out.contract_id}?open={flag_id}#flag-{flag_id}"
    who = approver_label(out.history[-1].approver) if out.history[-1].approver else "The flag"
    text = f"{who}: {DECISIONS[decision]}."
    if out.status == "accepted":
        text += " Every approver has signed off; the flag is accepted."
    elif out.pending_approvers:
        text += " Still waiting for: " + ", ".join(map(approver_label, out.pending_approvers)) + "."
    return flash_redirect(request, back, "ok", text)


# ----------------------------------------------------------------------------- library


def _library_types(services: Services) -> list[dict[str, Any]]:
    clauses = services.library.read(lambda s: library_service.list_clauses(s))
    by_type: dict[str, dict[str, Any]] = {}
    for c in clauses:
        t = by_type.setdefault(
            c.clause_type,
            {
                "id": c.clause_type,
                "name": c.type_name,
                "description": c.type_description,
                "required": c.required,
                "aliases": c.aliases,
                "positions": [],
                "rules": len(c.rules),
            },
        )
        t["positions"].append(c)
    return sorted(by_type.values(), key=lambda t: t["name"].lower())


@router.get("/library", response_class=HTMLResponse)
def library_page(request: Request, user: User, q: str = "") -> Response:
    types = _library_types(services_of(request))
    needle = q.strip().lower()
    if needle:
        types = [
            t
            for t in types
            if needle in t["name"].lower()
            or needle in t["description"].lower()
            or any(needle in a.lower() for a in t["aliases"])
            or needle in t["id"]
        ]
    return page(request, "library.html", user, types=types, q=q)


@router.get("/library/clauses/{clause_id}", response_class=HTMLResponse)
def clause_page(request: Request, clause_id: str, user: User) -> Response:
    return _clause_view(request, user, clause_id)


def _clause_view(
    request: Request,
    user: WebUser,
    clause_id: str,
    status: int = 200,
    error: str | None = None,
    form: dict[str, Any] | None = None,
) -> Response:
    services = services_of(request)
    try:
        clause, versions = services.library.read(
            lambda s: (
                library_service.get_clause(s, clause_id),
                library_service.list_versions(s, clause_id),
            )
        )
    except ClauseNotFound as exc:
        raise WebProblem(
            404, "Clause not found", f"The library has no clause {clause_id!r}."
        ) from exc
    q = request.query_params
    by_version = {v.version: v for v in versions}
    to_v = int(q["to"]) if q.get("to", "").isdigit() and int(q["to"]) in by_version else None
    from_v = (
        int(q["from"]) if q.get("from", "").isdigit() and int(q["from"]) in by_version else None
    )
    to_v = to_v or versions[-1].version
    if from_v is None:
        earlier = [v.version for v in versions if v.version < to_v]
        from_v = earlier[-1] if earlier else to_v
    a, b = by_version[from_v], by_version[to_v]
    diff = {
        "title": diff_ops(a.title, b.title),
        "text": diff_ops(a.template, b.template),
        "when_to_use": diff_ops(a.when_to_use or "", b.when_to_use or ""),
        "approval": diff_ops(_approval_text(a.approval), _approval_text(b.approval)),
    }
    values = form or {
        "title": clause.title,
        "text": clause.template,
        "when_to_use": clause.when_to_use or "",
        "approvers": [a.value for a in clause.approval.approvers] if clause.approval else [],
        "note": clause.approval.note if clause.approval else "",
    }
    return page(
        request,
        "clause.html",
        user,
        status=status,
        clause=clause,
        versions=list(reversed(versions)),
        from_v=from_v,
        to_v=to_v,
        diff=diff,
        changed=from_v != to_v,
        error=error,
        values=values,
        approvers=[a.value for a in Approver],
    )


def _approval_text(approval: Any) -> str:
    if approval is None:
        return ""
    who = ", ".join(a.value for a in approval.approvers)
    return f"Approvers: {who}. {approval.note}"


@router.post("/library/clauses/{clause_id}", response_class=HTMLResponse)
async def clause_edit(request: Request, clause_id: str, user: LegalUser) -> Response:
    form = await request.form()
    _check_post(request, user, str(form.get("csrf") or ""))
    services = services_of(request)
    values = {
        "title": str(form.get("title") or "").strip(),
        "text": str(form.get("text") or "").replace("\r\n", "\n").strip(),
        "when_to_use": str(form.get("when_to_use") or "").replace("\r\n", "\n").strip(),
        "approvers": [str(v) for v in form.getlist("approvers")],
        "note": str(form.get("note") or "").strip(),
    }
    try:
        current = await run_in_threadpool(
            services.library.read, lambda s: library_service.get_clause(s, clause_id)
        )
    except ClauseNotFound as exc:
        raise WebProblem(
            404, "Clause not found", f"The library has no clause {clause_id!r}."
        ) from exc
    changes: dict[str, Any] = {}
    if values["title"] != current.title:
        changes["title"] = values["title"]
    if values["text"] != current.template:
        changes["text"] = values["text"]
    if values["when_to_use"] != (current.when_to_use or ""):
        changes["when_to_use"] = values["when_to_use"] or None
    if current.position is PositionKind.fallback:
        old_approvers = [a.value for a in current.approval.approvers] if current.approval else []
        old_note = current.approval.note if current.approval else ""
        if values["approvers"] != old_approvers or values["note"] != old_note:
            changes["approval"] = {"approvers": values["approvers"], "note": values["note"]}
    if not changes:
        return _clause_view(
            request, user, clause_id, 422, "Nothing changed, so no new version was made.", values
        )
    try:
        update = ClauseUpdate.model_validate(changes)
        saved = await run_in_threadpool(
            services.library.update, clause_id, update, user.principal.actor, "web"
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return _clause_view(
            request, user, clause_id, 422, f"Not saved: {where}: {first['msg']}.", values
        )
    except LibraryError as exc:
        return _clause_view(request, user, clause_id, 422, f"Not saved: {exc}", values)
    _type_cache.clear()
    return flash_redirect(
        request,
        f"/library/clauses/{clause_id}?from={saved.version - 1}&to={saved.version}#diff",
        "ok",
        f"Saved as version {saved.version}.",
    )


@router.get("/library/{type_id}", response_class=HTMLResponse)
def clause_type_page(request: Request, type_id: str, user: User) -> Response:
    services = services_of(request)
    clauses = services.library.read(lambda s: library_service.list_clauses(s, type_id))
    if not clauses:
        raise WebProblem(404, "Clause type not found", f"The library has no type {type_id!r}.")
    first = next((c for c in clauses if c.position is PositionKind.standard), clauses[0])
    return page(request, "clause_type.html", user, t=first, positions=clauses)


# ----------------------------------------------------------------------------- search, ask


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, user: User) -> Response:
    services = services_of(request)
    q = request.query_params
    f = {
        k: q.get(k, "").strip()
        for k in ("q", "scope", "clause_type", "position", "counterparty", "governing_law")
    }
    scope = f["scope"] if f["scope"] in ("all", "library", "archive") else "all"
    names = type_names(services)
    library_hits: list[Any] = []
    archive: Any = None
    error = None
    if f["q"]:
        try:
            if scope in ("all", "library"):
                library_hits = services.library.search(
                    SearchRequest(
                        query=f["q"][:2000],
                        top_k=8,
                        filters=SearchFilters(
                            clause_type=f["clause_type"] or None,
                            position=PositionKind(f["position"])
                            if f["position"] in ("standard", "fallback")
                            else None,
                        ),
                    )
                )
            if scope in ("all", "archive"):
                archive = services.archive.search(
                    ArchiveSearch(
                        query=f["q"][:2000],
                        top_k=10,
                        filters=ArchiveFilters(
                            counterparty=f["counterparty"][:200] or None,
                            governing_law=f["governing_law"][:100] or None,
                            clause_type=f["clause_type"][:100] or None,
                        ),
                    )
                )
        except (ValidationError, LibraryError) as exc:
            error = f"The search could not run: {exc}"
    hit_ids = sorted(
        {h.contract_id for h in getattr(archive, "hits", []) or [] if is_file_id(h.contract_title)}
    )
    doc_names = document_names(services, hit_ids)
    hit_titles = {
        h.contract_id: display_title(h.contract_title, doc_names.get(h.contract_id))
        for h in getattr(archive, "hits", []) or []
    }
    return page(
        request,
        "search.html",
        user,
        hit_titles=hit_titles,
        f=f,
        scope=scope,
        type_names=names,
        library_hits=library_hits,
        archive=archive,
        error=error,
        searched=bool(f["q"]),
    )


DEAL_FIELDS = ("customer", "value", "currency", "term_months", "governing_law", "customer_tier")


@router.get("/ask", response_class=HTMLResponse)
async def ask_page(request: Request, user: User) -> Response:
    q = request.query_params
    question = q.get("question", "").strip()
    deal_in = {k: q.get(k, "").strip() for k in DEAL_FIELDS}
    answer: dict[str, Any] | None = None
    error = None
    if question:
        deal: dict[str, Any] = {}
        for k, v in deal_in.items():
            if not v:
                continue
            if k == "value":
                try:
                    deal[k] = float(v.replace(",", ""))
                except ValueError:
                    error = "Deal value: enter a number, like 250000."
            elif k == "term_months":
                if v.isdigit():
                    deal[k] = int(v)
                else:
                    error = "Term: enter a whole number of months, like 24."
            else:
                deal[k] = v.upper() if k == "currency" else v
        if error is None:
            try:
                req = AskRequest(
                    question=question[:4000], deal=DealContext(**deal) if deal else None
                )
                result = await run_in_threadpool(services_of(request).assistant.ask, req)
                answer = result.model_dump(mode="json")
            except ValidationError as exc:
                first = exc.errors()[0]
                where = term_label(str(first["loc"][-1])) if first["loc"] else "Question"
                error = f"{where}: {first['msg']}."
    filled = "\n\n".join(
        str(c.get("text", "")) for c in (answer or {}).get("clauses") or [] if c.get("text")
    )
    return page(
        request,
        "ask.html",
        user,
        question=question,
        deal=deal_in,
        deal_open=any(deal_in.values()),
        answer=answer,
        filled=filled,
        error=error,
    )
