"""What the backend clients cost, and whether the test doubles can stand in for slow services.

    .venv/bin/python benchmarks/backends_doubles.py [--requests 300] [--clients 20] [--delay 2]

Prints three figures, each against its reference in the same run:

1. per-request time of ``LibreTranslateTranslator.translate`` and ``ChatTranslator.translate``
   (HTTP helper, JSON, checks) against a bare ``httpx.Client.post`` of the same body to the
   same double, timed alternately (the ratio is the layer's overhead);
2. wall time of ``--clients`` concurrent translations against a double in ``slow`` mode
   (``--delay`` s each), against the delay itself: near 1.0 means the double answers slow
   requests in parallel, as a real server with enough workers would, so a benchmark that
   puts a 2 s backend behind the vote path measures the vote path and not the double;
3. time until a ``hang`` double gives ``BackendTimeout`` with timeout T and R retries, against
   the documented bound ``(R + 1) * T`` plus backoff.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from alteram.backends.chat import ChatClient
from alteram.backends.doubles import ChatDouble, LibreTranslateDouble
from alteram.backends.errors import BackendTimeout
from alteram.backends.libretranslate import LibreTranslateTranslator
from alteram.backends.llm_translate import ChatTranslator, translation_prompt

TEXT = "The delegations met 3 times in 2011 and agreed that schools come first."


def _medians_ms(
    bare: Callable[[], object], ours: Callable[[], object], n: int
) -> tuple[float, float]:
    """Median ms per call of each, timed alternately so that load changes hit both alike."""
    bare(), ours()  # warm: connections, /languages
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(n):
        for call, into in ((bare, times[0]), (ours, times[1])):
            started = time.perf_counter()
            call()
            into.append(time.perf_counter() - started)
    return statistics.median(times[0]) * 1000, statistics.median(times[1]) * 1000


def overhead(n: int) -> None:
    with LibreTranslateDouble() as lt, ChatDouble() as llm, httpx.Client() as raw:
        lt_client = LibreTranslateTranslator(base_url=lt.url, retries=0)
        chat = ChatTranslator(ChatClient(base_url=llm.url, model="m", retries=0))
        body = {"q": TEXT, "source": "en", "target": "zh-Hans", "format": "text"}
        raw_lt, ours_lt = _medians_ms(
            lambda: raw.post(lt.url + "/translate", json=body).json(),
            lambda: lt_client.translate(TEXT, source="en", target="zh"),
            n,
        )
        prompt = translation_prompt(source="en", target="zh")
        messages = {
            "model": "m",
            "messages": [
                {"role": "system", "content": prompt},
                {"role": "user", "content": TEXT},
            ],
        }
        raw_chat, ours_chat = _medians_ms(
            lambda: raw.post(llm.url + "/chat/completions", json=messages).json(),
            lambda: chat.translate(TEXT, source="en", target="zh"),
            n,
        )
        lt_client.close()
        chat.close()
    print(f"1. median per request over {n} (ms): bare httpx / alteram client / ratio")
    print(f"   LibreTranslate  {raw_lt:6.2f} / {ours_lt:6.2f} / {ours_lt / raw_lt:4.2f}")
    print(f"   chat model      {raw_chat:6.2f} / {ours_chat:6.2f} / {ours_chat / raw_chat:4.2f}")


def concurrency(clients: int, delay: float) -> None:
    with LibreTranslateDouble() as lt:
        translators = [
            LibreTranslateTranslator(base_url=lt.url, timeout=delay * 5, retries=0)
            for _ in range(clients)
        ]
        for translator in translators:
            translator.languages()
        lt.set_mode("slow", delay=delay)
        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            done = list(
                pool.map(lambda t: t.translate(TEXT, source="en", target="zh"), translators)
            )
        wall = time.perf_counter() - started
        for translator in translators:
            translator.close()
    assert len(done) == clients
    print(f"2. {clients} concurrent translations, double slow by {delay:g} s each")
    print(f"   wall {wall:.2f} s / delay {delay:.2f} s = {wall / delay:.2f}")


def hang(timeout: float, retries: int, backoff: float) -> None:
    with ChatDouble() as llm:
        client = ChatClient(
            base_url=llm.url, model="m", timeout=timeout, retries=retries, backoff=backoff
        )
        llm.set_mode("hang")
        started = time.perf_counter()
        try:
            client.complete([{"role": "user", "content": "hi"}])
        except BackendTimeout:
            took = time.perf_counter() - started
        else:
            raise SystemExit("a hanging double must end in BackendTimeout")
        client.close()
    bound = (retries + 1) * timeout + sum(backoff * 2**i for i in range(retries))
    print(f"3. hang, timeout {timeout:g} s, {retries} retries, backoff {backoff:g} s")
    print(f"   BackendTimeout after {took:.2f} s / bound {bound:.2f} s = {took / bound:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--delay", type=float, default=2.0)
    args = parser.parse_args()
    overhead(args.requests)
    concurrency(args.clients, args.delay)
    hang(timeout=1.0, retries=3, backoff=0.5)


if __name__ == "__main__":
    main()
