from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ai_service.auth import Principal, Role, allows, authenticate
from ai_service.errors import ApiError
from ai_service.services import Services

_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer <key>`")


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def require(role: Role) -> Callable[..., Principal]:
    def dependency(
        services: ServicesDep,
        creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Principal:
        if creds is None or not creds.credentials:
            raise ApiError(
                401, "missing_api_key", "Send your API key as 'Authorization: Bearer <key>'."
            )
        with services.db.session() as s:
            principal = authenticate(s, creds.credentials)
        if principal is None:
            raise ApiError(
                401,
                "invalid_api_key",
                "The API key is unknown or revoked. Ask an admin for a valid key.",
            )
        if not allows(principal.role, role):
            raise ApiError(
                403,
                "forbidden",
                f"This needs the '{role.value}' role; your key has '{principal.role.value}'.",
                required_role=role.value,
            )
        return principal

    return dependency


Rep = Annotated[Principal, Depends(require(Role.rep))]
Legal = Annotated[Principal, Depends(require(Role.legal))]
Admin = Annotated[Principal, Depends(require(Role.admin))]
