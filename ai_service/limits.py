"""Body size limits enforced before the body is read: by Content-Length, and while streaming."""

from __future__ import annotations

import json
from typing import Any

from ai_service.errors import error_body


class BodyLimitMiddleware:
    def __init__(
        self,
        app: Any,
        default_limit: int,
        upload_limit: int,
        upload_paths: tuple[str, ...] = ("/v1/contracts",),
    ) -> None:
        self.app = app
        self.default_limit = default_limit
        self.upload_limit = upload_limit
        self.upload_paths = upload_paths

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        headers = dict(scope.get("headers") or [])
        # Only a file upload (multipart) may be large; a JSON body, even a contract's text
        # sent as JSON to an upload path, keeps the JSON limit.
        multipart = headers.get(b"content-type", b"").lower().startswith(b"multipart/form-data")
        upload = path in self.upload_paths and multipart
        limit = self.upload_limit if upload else self.default_limit
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await self._reject(send, limit)
            return
        seen = 0
        too_big = False

        async def limited_receive() -> Any:
            nonlocal seen, too_big
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    too_big = True
                    raise _TooLarge()
            return message

        async def guarded_send(message: Any) -> None:
            # Once the body ran over, whatever the app answers is replaced by the 413.
            if not too_big:
                await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not too_big:
                raise
        if too_big:
            await self._reject(send, limit)

    @staticmethod
    async def _reject(send: Any, limit: int) -> None:
        body = json.dumps(
            error_body(
                "payload_too_large",
                f"The request body is over the limit of {limit} bytes. Send a smaller body.",
                limit_bytes=limit,
            )
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass
