"""The doubles themselves: real servers whose modes, counts and logs tests rely on."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from alteram.backends.doubles import (
    DICTIONARY,
    ZH_MARK,
    ChatDouble,
    LibreTranslateDouble,
    fake_translate,
)
from alteram.backends.validate import check_translation, numbers_in
from alteram.moves.language import detect_language


def test_listens_on_a_free_local_port_and_stops() -> None:
    with LibreTranslateDouble() as one, LibreTranslateDouble() as two:
        assert one.url.startswith("http://127.0.0.1:") and one.url != two.url
        assert httpx.get(one.url + "/languages").json()[1]["code"] == "zh-Hans"
        url = one.url
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/languages", timeout=1)


def test_times_then_back_to_ok_and_the_log(lt: LibreTranslateDouble) -> None:
    lt.set_mode("fail", status=503, times=2)
    body = {"q": "Hello, world.", "source": "en", "target": "zh-Hans"}
    statuses = [httpx.post(lt.url + "/translate", json=body).status_code for _ in range(3)]
    assert statuses == [503, 503, 200] and lt.mode == "ok"
    assert [r.mode for r in lt.main_requests()] == ["fail", "fail", "ok"]
    assert lt.requests[0].json == body
    lt.clear()
    assert lt.requests == []


def test_other_endpoints_ignore_the_mode(lt: LibreTranslateDouble) -> None:
    lt.set_mode("fail")
    assert httpx.get(lt.url + "/languages").status_code == 200


def test_bad_modes_are_refused(lt: LibreTranslateDouble) -> None:
    with pytest.raises(ValueError, match="mode must be one of"):
        lt.set_mode("explode")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="garbage must be one of"):
        lt.set_mode("garbage", garbage="poetry")


def test_slow_answers_after_the_delay(llm: ChatDouble) -> None:
    llm.set_mode("slow", delay=0.3)
    started = time.monotonic()
    answer = httpx.post(
        llm.url + "/chat/completions",
        json={"model": "m", "messages": [{"role": "user", "content": "hi"}]},
    )
    assert time.monotonic() - started >= 0.3
    assert answer.json()["choices"][0]["message"]["content"] == "(simulated reply) hi"


def test_stopping_lets_a_hanging_request_go() -> None:
    double = LibreTranslateDouble().start()
    double.set_mode("hang")
    errors: list[BaseException] = []

    def call() -> None:
        try:
            httpx.post(double.url + "/translate", json={}, timeout=30)
        except httpx.HTTPError as exc:
            errors.append(exc)

    thread = threading.Thread(target=call)
    thread.start()
    while not double.main_requests():
        time.sleep(0.01)
    started = time.monotonic()
    double.stop()
    thread.join(timeout=5)
    assert not thread.is_alive() and time.monotonic() - started < 2
    assert errors  # the client saw the connection close without an answer


def test_die_sends_half_the_body(lt: LibreTranslateDouble) -> None:
    lt.set_mode("die")
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.post(lt.url + "/translate", json={"q": "x", "source": "en", "target": "zh-Hans"})


def test_languages_errors_like_libretranslate() -> None:
    with LibreTranslateDouble(zh_code="zh", api_key="k") as lt:
        wrong = httpx.post(lt.url + "/translate", json={"q": "x", "source": "en", "target": "zh"})
        assert wrong.status_code == 403 and "API key" in wrong.json()["error"]
        body = {"q": "x", "source": "en", "target": "zh-Hans", "api_key": "k"}
        unknown = httpx.post(lt.url + "/translate", json=body)
        assert unknown.status_code == 400 and unknown.json() == {
            "error": "zh-Hans is not supported"
        }


@pytest.mark.parametrize(
    "text",
    [
        "The WTO said 3.5% of 1,000 people agree, since 1990.",
        "Rights are, first of all, about dignity?",
        "我们认为，1990年以来WTO规则有3.5%的变化。",
    ],
)
def test_pseudo_translations_pass_the_checks(text: str) -> None:
    target = "en" if detect_language(text) == "zh" else "zh"
    result = fake_translate(text, target)
    assert detect_language(result) == target
    assert numbers_in(result) == numbers_in(text)
    assert result.startswith(ZH_MARK if target == "zh" else "[en] ")
    source = "zh" if target == "en" else "en"
    check_translation(text, result, source=source, target=target, backend="d", url="u")


def test_dictionary_both_ways() -> None:
    for en, zh in DICTIONARY:
        assert fake_translate(en, "zh") == zh and fake_translate(zh, "en") == en
        assert numbers_in(en) == numbers_in(zh)
