"""Start-up in the background: the port answers at once, `/healthz` says `starting` (503)
until the model and the library are loaded, and every other request gets 503 `starting`."""

from __future__ import annotations

import json
import time
from typing import Any

from ai_service.errors import error_body


class StartupState:
    def __init__(self) -> None:
        self.t0 = time.monotonic()
        self.ready = False
        self.step = "starting"
        self.error: str | None = None

    def say(self, step: str, echo: bool) -> None:
        self.step = step
        if echo:
            print(f"  [{time.monotonic() - self.t0:5.1f} s] {step}", flush=True)


class StartingMiddleware:
    def __init__(self, app: Any, state: StartupState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or self.state.ready:
            await self.app(scope, receive, send)
            return
        if scope.get("path") == "/healthz":
            body: dict[str, Any] = {
                "status": "failed" if self.state.error else "starting",
                "step": self.state.error or self.state.step,
                "elapsed_s": round(time.monotonic() - self.state.t0, 1),
            }
        else:
            body = error_body(
                "starting",
                "The service is starting (loading the model and the library); "
                "retry in a few seconds.",
                step=self.state.step,
            )
        raw = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(raw)).encode()),
                    (b"retry-after", b"5"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": raw})
