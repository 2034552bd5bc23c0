"""The HTTP helper over real HTTP: timeouts, retries with backoff, clear errors, no secrets."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from alteram.backends.doubles import DoubleServer, Response
from alteram.backends.errors import (
    BackendAnswerInvalid,
    BackendRejected,
    BackendTimeout,
    BackendUnavailable,
)
from alteram.backends.http import HttpBackend
from tests.backends.conftest import BACKOFF, TIMEOUT

KEY = "sk-very-secret-4242"


class EchoDouble(DoubleServer):
    """Answers ``POST /echo`` with the body it got; an error quoting the body on /quote."""

    MAIN = ("POST", "/echo")
    GARBAGE = ("html", "not_json")

    def answer(self, method: str, path: str, body: Any, headers: dict[str, str]) -> Response:
        if path == "/quote":
            return Response.of_json({"error": f"cannot use {body}"}, 400)
        if path == "/big":
            return Response.of_text("x" * 5000)
        return Response.of_json({"got": body, "auth": headers.get("authorization")})

    def garbage_answer(self, kind: str, body: Any, headers: dict[str, str]) -> Response:
        if kind == "html":
            return Response.of_text("<html>oops</html>", content_type="text/html")
        return Response.of_text("not json at all")


@pytest.fixture
def echo() -> Iterator[EchoDouble]:
    with EchoDouble() as double:
        yield double


def _client(echo: EchoDouble, **options: Any) -> HttpBackend:
    settings: dict[str, Any] = {
        "name": "Echo",
        "base_url": echo.origin + "/",
        "url_setting": "ALTERAM_ECHO_URL",
        "key_setting": "ALTERAM_ECHO_API_KEY",
        "timeout": TIMEOUT,
        "retries": 2,
        "backoff": BACKOFF,
    }
    return HttpBackend(**{**settings, **options})


def test_post_and_get_json(echo: EchoDouble) -> None:
    with _client(echo, headers={"Authorization": f"Bearer {KEY}"}) as http:
        assert http.post_json("/echo", {"q": "你好", "n": 2}) == {
            "got": {"q": "你好", "n": 2},
            "auth": f"Bearer {KEY}",
        }
        assert http.get_json("/anything")["got"] is None
    assert [(r.method, r.path) for r in echo.requests] == [("POST", "/echo"), ("GET", "/anything")]
    assert echo.requests[0].headers["content-type"] == "application/json"


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_transient_status_is_retried_then_answers(echo: EchoDouble, status: int) -> None:
    echo.set_mode("fail", status=status, times=2)
    with _client(echo) as http:
        assert http.post_json("/echo", {"q": 1})["got"] == {"q": 1}
    assert [r.mode for r in echo.main_requests()] == ["fail", "fail", "ok"]


@pytest.mark.parametrize("status", [500, 503])
def test_failing_every_time_is_a_clear_error_after_the_retries(
    echo: EchoDouble, status: int
) -> None:
    echo.set_mode("fail", status=status)
    with _client(echo, retries=3) as http, pytest.raises(BackendUnavailable) as caught:
        http.post_json("/echo", {})
    assert len(echo.main_requests()) == 4
    message = str(caught.value)
    assert f"Echo at {echo.origin}/echo answered HTTP {status} (4 attempts)" in message
    assert "see its log" in message


def test_rate_limited_every_time(echo: EchoDouble) -> None:
    echo.set_mode("fail", status=429)
    with _client(echo, retries=1) as http, pytest.raises(BackendUnavailable) as caught:
        http.post_json("/echo", {})
    assert "rate-limiting" in str(caught.value) and len(echo.main_requests()) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_other_4xx_are_not_retried(echo: EchoDouble, status: int) -> None:
    echo.set_mode("fail", status=status)
    with _client(echo) as http, pytest.raises(BackendRejected) as caught:
        http.post_json("/echo", {})
    assert len(echo.main_requests()) == 1
    message = str(caught.value)
    assert f"HTTP {status}" in message and "simulated failure" in message
    expected = "ALTERAM_ECHO_API_KEY" if status in (401, 403) else "ALTERAM_ECHO_URL"
    assert expected in message


def test_hang_times_out_within_the_configured_time(echo: EchoDouble) -> None:
    echo.set_mode("hang")
    started = time.monotonic()
    with _client(echo, retries=1) as http, pytest.raises(BackendTimeout) as caught:
        http.post_json("/echo", {})
    took = time.monotonic() - started
    assert 2 * TIMEOUT <= took < 2 * TIMEOUT + 1.0
    assert len(echo.main_requests()) == 2
    message = str(caught.value)
    assert f"did not answer within {TIMEOUT:g} s (2 attempts)" in message
    assert "ALTERAM_BACKEND_TIMEOUT" in message


def test_slow_but_within_the_timeout_answers(echo: EchoDouble) -> None:
    echo.set_mode("slow", delay=TIMEOUT / 5)
    with _client(echo, retries=0) as http:
        assert http.post_json("/echo", {"a": 1})["got"] == {"a": 1}


def test_slower_than_the_timeout_is_a_timeout(echo: EchoDouble) -> None:
    echo.set_mode("slow", delay=TIMEOUT * 3)
    with _client(echo, retries=0) as http, pytest.raises(BackendTimeout):
        http.post_json("/echo", {})


def test_connection_dropped_mid_answer_is_retried(echo: EchoDouble) -> None:
    echo.set_mode("die", times=1)
    with _client(echo) as http:
        assert http.post_json("/echo", {"x": "y"})["got"] == {"x": "y"}
    assert [r.mode for r in echo.main_requests()] == ["die", "ok"]


def test_connection_dropped_every_time(echo: EchoDouble) -> None:
    echo.set_mode("die")
    with _client(echo) as http, pytest.raises(BackendUnavailable) as caught:
        http.post_json("/echo", {})
    assert len(echo.main_requests()) == 3
    assert "broke off the connection" in str(caught.value)


def test_nothing_listening() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    http = HttpBackend(
        name="Echo",
        base_url=f"http://127.0.0.1:{port}",
        url_setting="ALTERAM_ECHO_URL",
        timeout=TIMEOUT,
        retries=1,
        backoff=BACKOFF,
    )
    with http, pytest.raises(BackendUnavailable) as caught:
        http.post_json("/echo", {})
    message = str(caught.value)
    assert f"127.0.0.1:{port}/echo cannot be reached" in message
    assert "(2 attempts)" in message and "ALTERAM_ECHO_URL" in message


@pytest.mark.parametrize(("kind", "what"), [("html", "an HTML page"), ("not_json", "not JSON")])
def test_answers_that_are_not_json(echo: EchoDouble, kind: str, what: str) -> None:
    echo.set_mode("garbage", garbage=kind)
    with _client(echo) as http, pytest.raises(BackendAnswerInvalid) as caught:
        http.post_json("/echo", {})
    assert what in str(caught.value)
    assert len(echo.main_requests()) == 1  # an answer that is not JSON is not retried


def test_answer_over_the_size_limit(echo: EchoDouble) -> None:
    with _client(echo, max_bytes=1000) as http, pytest.raises(BackendAnswerInvalid) as caught:
        http.get_json("/big")
    assert "larger than 1,000 bytes" in str(caught.value)


def test_secrets_never_appear_in_messages(
    echo: EchoDouble, caplog: pytest.LogCaptureFixture
) -> None:
    with _client(echo, secrets=[KEY]) as http, pytest.raises(BackendRejected) as caught:
        http.post_json("/quote", {"api_key": KEY})
    assert "cannot use" in str(caught.value)
    assert KEY not in str(caught.value) and "***" in str(caught.value)
    echo.set_mode("fail", status=500)
    with _client(echo, secrets=[KEY], retries=1) as http, pytest.raises(BackendUnavailable):
        http.post_json("/echo", {"api_key": KEY})
    assert "retrying" in caplog.text and KEY not in caplog.text


def test_backoff_grows(echo: EchoDouble) -> None:
    echo.set_mode("fail", status=503)
    started = time.monotonic()
    with _client(echo, retries=3, backoff=0.1) as http, pytest.raises(BackendUnavailable):
        http.post_json("/echo", {})
    # waits of at least 0.05 + 0.1 + 0.2 s (the jitter scales each by 0.5 to 1)
    assert time.monotonic() - started >= 0.35


class Limited(EchoDouble):
    """Answers 429 with ``Retry-After: wait`` once, then properly."""

    wait = "0.3"

    def answer(self, method: str, path: str, body: Any, headers: dict[str, str]) -> Response:
        if len(self.main_requests()) == 1:
            return Response(429, b"{}", headers=(("Retry-After", self.wait),))
        return super().answer(method, path, body, headers)


@pytest.mark.parametrize(("wait", "at_least", "below"), [("0.3", 0.3, 1.0), ("3600", TIMEOUT, 1.5)])
def test_retry_after_is_honoured_up_to_the_timeout(
    wait: str, at_least: float, below: float
) -> None:
    with Limited() as limited:
        limited.wait = wait
        started = time.monotonic()
        with _client(limited) as http:
            assert http.post_json("/echo", {})["got"] == {}
        took = time.monotonic() - started
    assert at_least <= took < below
    assert len(limited.main_requests()) == 2
