"""The web session: the API key a person signed in with, encrypted into an http-only cookie.

The cookie holds `{key, csrf}` encrypted and authenticated with Fernet under a server secret
kept in the data directory (created on first use, readable only by the service's user). It is
`Secure`, `HttpOnly` and `SameSite=Strict`; forms that change something also carry the
session's CSRF token. The key is checked against the database on every request, so a revoked
key signs its holder out at once.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from fastapi import Request
from fastapi.responses import Response

from ai_service.auth import Principal, Role, allows, authenticate
from ai_service.services import Services

COOKIE = "cw_session"
FLASH_COOKIE = "cw_flash"
SESSION_TTL_S = 12 * 3600
SECRET_FILE = "web_session.key"

_lock = threading.Lock()


def _fernet(services: Services) -> Fernet:
    cached = services.extras.get("web_fernet")
    if isinstance(cached, Fernet):
        return cached
    with _lock:
        cached = services.extras.get("web_fernet")
        if isinstance(cached, Fernet):
            return cached
        fernet = Fernet(_load_or_create_secret(services.settings.data_dir / SECRET_FILE))
        services.extras["web_fernet"] = fernet
        return fernet


def _load_or_create_secret(path: Path) -> bytes:
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    return key


@dataclass(frozen=True)
class WebUser:
    principal: Principal
    key: str
    csrf: str

    @property
    def role(self) -> Role:
        return self.principal.role

    @property
    def is_legal(self) -> bool:
        return allows(self.principal.role, Role.legal)

    @property
    def name(self) -> str:
        return self.principal.name


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def current_user(request: Request) -> WebUser | None:
    """The signed-in person, or None (no cookie, expired, tampered, or the key was revoked)."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    services = services_of(request)
    try:
        data = json.loads(_fernet(services).decrypt(raw.encode(), ttl=SESSION_TTL_S))
        key, csrf = str(data["k"]), str(data["c"])
    except (InvalidToken, ValueError, KeyError, TypeError):
        return None
    with services.db.session() as s:
        principal = authenticate(s, key)
    if principal is None:
        return None
    return WebUser(principal=principal, key=key, csrf=csrf)


def sign_in(request: Request, response: Response, key: str) -> None:
    token = _fernet(services_of(request)).encrypt(
        json.dumps({"k": key, "c": secrets.token_urlsafe(24)}).encode()
    )
    response.set_cookie(
        COOKIE,
        token.decode(),
        max_age=SESSION_TTL_S,
        path="/",
        secure=True,  # browsers accept Secure cookies from https and from localhost over http
        httponly=True,
        samesite="strict",
    )


def sign_out(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", secure=True, httponly=True, samesite="strict")


def csrf_ok(user: WebUser, token: str | None) -> bool:
    return bool(token) and secrets.compare_digest(user.csrf, str(token))


def same_origin(request: Request) -> bool:
    """A browser sends Origin on POST; one from another site is refused (login CSRF too)."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1].rstrip("/") == host


def insecure_transport(request: Request) -> bool:
    """True when a browser would drop the Secure cookie: plain http to a non-local host."""
    if request.url.scheme == "https":
        return False
    if request.headers.get("x-forwarded-proto", "").lower() == "https":
        return False
    return (request.url.hostname or "") not in ("localhost", "127.0.0.1", "::1", "testserver")


# -- one-time messages shown on the next page ("Saved as version 3")


def set_flash(request: Request, response: Response, kind: str, text: str) -> None:
    token = _fernet(services_of(request)).encrypt(json.dumps({"k": kind, "t": text}).encode())
    response.set_cookie(
        FLASH_COOKIE,
        token.decode(),
        max_age=120,
        path="/",
        secure=True,
        httponly=True,
        samesite="strict",
    )


def read_flash(request: Request) -> dict[str, str] | None:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    try:
        data = json.loads(_fernet(services_of(request)).decrypt(raw.encode(), ttl=300))
        return {"kind": str(data["k"]), "text": str(data["t"])}
    except (InvalidToken, ValueError, KeyError, TypeError):
        return None


def clear_flash(response: Response) -> None:
    response.delete_cookie(FLASH_COOKIE, path="/", secure=True, httponly=True, samesite="strict")
