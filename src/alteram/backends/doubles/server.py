"""The real local HTTP server under every test double, with modes switched at run time.

A :class:`DoubleServer` listens on ``127.0.0.1`` on a free port (a threaded
``http.server``), is started and stopped as a context manager, and logs every request.
Its *main* endpoint (``POST /translate``, ``POST /v1/chat/completions``) behaves by mode:

``ok``
    the proper answer (see the subclass);
``slow``
    the proper answer after ``delay`` seconds (default 2);
``hang``
    no answer for ``delay`` seconds (default 60; stopping the server ends it sooner), then
    the connection is closed;
``fail``
    HTTP ``status`` (default 500; 503 comes as an HTML page, as proxies send it);
``garbage``
    a bad answer of the kind named by ``garbage`` (see the subclass's ``GARBAGE``);
``die``
    the status line, the headers and half of the proper body, then the connection closes.

``set_mode(mode, times=N)`` applies the mode to the next ``N`` main requests only, then
goes back to ``ok``: that is how a test shows that a retry succeeds. Other endpoints
(``GET /languages``) always answer properly.
"""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal

Mode = Literal["ok", "slow", "hang", "fail", "garbage", "die"]
MODES: tuple[Mode, ...] = ("ok", "slow", "hang", "fail", "garbage", "die")


@dataclass(frozen=True)
class RecordedRequest:
    """One request the double received, as it arrived."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    mode: str

    @property
    def json(self) -> Any:
        """The body parsed as JSON (None when it is not JSON)."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None


@dataclass(frozen=True)
class Response:
    """What the double sends back."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of_json(cls, value: Any, status: int = 200) -> Response:
        """A JSON answer."""
        return cls(status, json.dumps(value, ensure_ascii=False).encode("utf-8"))

    @classmethod
    def of_text(cls, text: str, status: int = 200, content_type: str = "text/plain") -> Response:
        """A text answer."""
        return cls(status, text.encode("utf-8"), f"{content_type}; charset=utf-8")


@dataclass
class _Behaviour:
    mode: Mode = "ok"
    delay: float | None = None
    status: int = 500
    garbage: str | None = None
    times: int | None = None


class DoubleServer:
    """Base of the test doubles: subclasses give ``answer`` and ``garbage_answer``."""

    MAIN: tuple[str, str] = ("POST", "/")
    GARBAGE: tuple[str, ...] = ()

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._behaviour = _Behaviour()
        self._log: list[RecordedRequest] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- life ---------------------------------------------------------------------------

    def start(self) -> DoubleServer:
        """Listen on a free port of 127.0.0.1 and serve in a background thread."""
        self._stopping.clear()
        self._server = _Server(("127.0.0.1", 0), _Handler, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; requests still hanging are let go."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> DoubleServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:PORT``."""
        if self._server is None:
            raise RuntimeError("the double is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- what the test switches and reads -------------------------------------------------

    def set_mode(
        self,
        mode: Mode,
        *,
        times: int | None = None,
        delay: float | None = None,
        status: int = 500,
        garbage: str | None = None,
    ) -> None:
        """Behave as ``mode`` from now on (for the next ``times`` main requests only)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        if mode == "garbage" and garbage not in self.GARBAGE:
            raise ValueError(f"garbage must be one of {self.GARBAGE}, got {garbage!r}")
        with self._lock:
            self._behaviour = _Behaviour(mode, delay, status, garbage, times)

    @property
    def mode(self) -> str:
        """The mode in force."""
        with self._lock:
            return self._behaviour.mode

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first."""
        with self._lock:
            return list(self._log)

    def main_requests(self) -> list[RecordedRequest]:
        """The requests to the main endpoint."""
        return [r for r in self.requests if (r.method, r.path) == self.MAIN]

    def clear(self) -> None:
        """Forget the requests received so far."""
        with self._lock:
            self._log.clear()

    # -- for subclasses -------------------------------------------------------------------

    def answer(self, method: str, path: str, body: Any, headers: dict[str, str]) -> Response:
        """The proper answer to a request (``body`` is the parsed JSON or None)."""
        raise NotImplementedError

    def garbage_answer(self, kind: str, body: Any, headers: dict[str, str]) -> Response:
        """A bad answer of kind ``kind`` to a main request."""
        raise NotImplementedError

    # -- serving --------------------------------------------------------------------------

    def _take(self, request: RecordedRequest) -> _Behaviour:
        """Record the request and the behaviour it gets (counting down ``times``)."""
        with self._lock:
            main = (request.method, request.path) == self.MAIN
            behaviour = self._behaviour if main else _Behaviour()
            if main and behaviour.times is not None:
                behaviour.times -= 1
                if behaviour.times <= 0:
                    self._behaviour = _Behaviour()
            self._log.append(
                RecordedRequest(
                    request.method, request.path, request.headers, request.body, behaviour.mode
                )
            )
            return _Behaviour(behaviour.mode, behaviour.delay, behaviour.status, behaviour.garbage)

    def _serve(self, handler: _Handler, request: RecordedRequest) -> None:
        behaviour = self._take(request)
        body, headers = request.json, request.headers
        if behaviour.mode == "hang":
            self._stopping.wait(60.0 if behaviour.delay is None else behaviour.delay)
            handler.close_connection = True
            return
        if behaviour.mode == "slow" and self._stopping.wait(
            2.0 if behaviour.delay is None else behaviour.delay
        ):
            return
        if behaviour.mode == "fail":
            response = _failure(behaviour.status)
        elif behaviour.mode == "garbage":
            assert behaviour.garbage is not None
            response = self.garbage_answer(behaviour.garbage, body, headers)
        else:
            response = self.answer(request.method, request.path, body, headers)
        handler.send(response, cut=behaviour.mode == "die")


def _failure(status: int) -> Response:
    if status == 503:
        page = "<html><head><title>503 Service Unavailable</title></head><body>busy</body></html>"
        return Response.of_text(page, 503, "text/html")
    return Response.of_json({"error": f"simulated failure {status}"}, status)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self, address: tuple[str, int], handler: type[_Handler], double: DoubleServer
    ) -> None:
        self.double = double
        super().__init__(address, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away is no error worth printing."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm and the
        # client's delayed ACK add about 40 ms to every answer on a kept-alive connection.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the double keeps its own log."""

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        request = RecordedRequest(method, self.path.split("?")[0], headers, body, "")
        try:
            self.server.double._serve(self, request)
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.close_connection = True

    def send(self, response: Response, *, cut: bool = False) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if not cut:
            self.wfile.write(response.body)
            return
        self.wfile.write(response.body[: len(response.body) // 2])
        self.wfile.flush()
        self.close_connection = True
        self.connection.shutdown(socket.SHUT_RDWR)


__all__ = ["MODES", "DoubleServer", "Mode", "RecordedRequest", "Response"]
