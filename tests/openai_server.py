"""A real local HTTP server speaking the OpenAI chat-completions protocol, for tests.

It listens on a free port in a background thread, so the code under test does real HTTP with
the real openai/langchain clients. Each test scripts the replies (`server.script(Reply(...))`)
and reads back what the client sent (`server.requests`).

Served: `POST /v1/chat/completions` (JSON, or server-sent events when the request has
`"stream": true`, ending with `data: [DONE]`) and `GET /v1/models`.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One scripted answer to one chat-completions request."""

    # The assistant's text, or a function of the request body (to echo part of the prompt).
    content: str | Callable[[dict[str, Any]], str] = ""
    status: int = 200
    delay_s: float = 0.0  # before anything is sent, to outlast the client's timeout
    raw_body: str | None = None  # sent as is instead of a well-formed completion
    chunk_size: int = 12  # characters per streamed chunk
    chunk_delay_s: float = 0.0  # between streamed chunks
    break_after_chunks: int | None = None  # drop the connection mid-stream


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]  # names lowercased: clients differ in how they spell them
    body: dict[str, Any] = field(default_factory=dict)

    def message(self, role: str) -> str:
        """The content of the first message with this role."""
        for item in self.body.get("messages", []):
            if item.get("role") == role:
                return str(item.get("content"))
        raise AssertionError(f"no {role} message in the request")


class OpenAIServer:
    def __init__(self, models: tuple[str, ...] = ("test-model",)) -> None:
        self.models = models
        self.requests: list[Recorded] = []
        self._replies: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """The base URL an OpenAI client takes."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> OpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping in a slow reply
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> OpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def script(self, *replies: Reply) -> None:
        """Replies for the next chat-completions requests, in order."""
        with self._lock:
            self._replies.extend(replies)

    def reset(self) -> None:
        with self._lock:
            self._replies.clear()
            self.requests.clear()

    @property
    def chat_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def _record(self, recorded: Recorded) -> None:
        with self._lock:
            self.requests.append(recorded)

    def _next_reply(self) -> Reply | None:
        with self._lock:
            return self._replies.popleft() if self._replies else None

    def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)


def _handler_for(server: OpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive and chunked streaming, as real servers

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet

        def do_GET(self) -> None:
            server._record(Recorded("GET", self.path, _headers(self)))
            if self.path.rstrip("/") != "/v1/models":
                self._json(404, _error("not found", "invalid_request_error"))
                return
            data = [
                {"id": m, "object": "model", "created": 0, "owned_by": "test"}
                for m in server.models
            ]
            self._json(200, {"object": "list", "data": data})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {"_unparsed": raw.decode("utf-8", "replace")}
            server._record(Recorded("POST", self.path, _headers(self), body))
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._json(404, _error("not found", "invalid_request_error"))
                return
            reply = server._next_reply()
            if reply is None:  # an unscripted call is a test bug: make it loud
                self._json(500, _error("no reply scripted for this request", "server_error"))
                return
            # The client may give up first (its timeout): expected in timeout tests.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._answer(reply, body)

        def _answer(self, reply: Reply, body: dict[str, Any]) -> None:
            server._sleep(reply.delay_s)
            if reply.status != 200:
                kind = "rate_limit_error" if reply.status == 429 else "server_error"
                self._json(reply.status, _error(f"scripted HTTP {reply.status}", kind))
                return
            if reply.raw_body is not None:
                self._send(200, reply.raw_body.encode(), "application/json")
                return
            content = reply.content(body) if callable(reply.content) else reply.content
            model = str(body.get("model", "test-model"))
            if body.get("stream"):
                self._stream(reply, content, model)
            else:
                self._json(200, _completion(content, model))

        def _stream(self, reply: Reply, content: str, model: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            size = max(1, reply.chunk_size)
            pieces = [content[i : i + size] for i in range(0, len(content), size)]
            deltas: list[dict[str, Any]] = [{"role": "assistant", "content": ""}]
            deltas += [{"content": p} for p in pieces]
            for sent, delta in enumerate(deltas):
                if reply.break_after_chunks is not None and sent >= reply.break_after_chunks:
                    self.close_connection = True  # no final chunk: a truncated body
                    self.wfile.flush()
                    return
                if sent > 1:
                    server._sleep(reply.chunk_delay_s)
                self._event(json.dumps(_chunk(model, delta, None)))
            self._event(json.dumps(_chunk(model, {}, "stop")))
            self._event("[DONE]")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

        def _event(self, data: str) -> None:
            payload = f"data: {data}\n\n".encode()
            self.wfile.write(f"{len(payload):X}\r\n".encode() + payload + b"\r\n")
            self.wfile.flush()

        def _json(self, status: int, payload: dict[str, Any]) -> None:
            self._send(status, json.dumps(payload).encode(), "application/json")

        def _send(self, status: int, data: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()

    return Handler


def _headers(handler: BaseHTTPRequestHandler) -> dict[str, str]:
    return {name.lower(): value for name, value in handler.headers.items()}


def _error(message: str, kind: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


def _completion(content: str, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(model: str, delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
