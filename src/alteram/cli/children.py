"""Child processes of ``alteram serve``: the job workers, kept running, stopped before exit.

uvicorn answers SIGTERM by shutting down and then raising the signal again with the
handler that was there before it; with the default handler the process would die on the
spot and leave its children running. So the server installs its own handler first, which
ends the process by an exception, and the children are stopped on the way out: SIGTERM,
a wait, then SIGKILL for any that did not stop. While the server runs, a worker that
exits (a crash, the kernel's out-of-memory killer) is started again, after a delay that
grows while it keeps failing. A worker also stops by itself when the server dies.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

log = logging.getLogger("alteram.serve")
STOP_TIMEOUT = 10.0
RESTART_DELAY_MAX = 60.0


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


class JobWorkers:
    """``count`` ``alteram worker`` children of this process, restarted when one exits."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.children: list[subprocess.Popen[bytes]] = []
        self._started: list[float] = []
        self._delay: list[float] = []
        self._stopping = threading.Event()
        # The watcher starts the replacements; Linux stops a child whose starting thread
        # ends (PR_SET_PDEATHSIG), which is when the children are being stopped anyway.
        self._watcher = threading.Thread(target=self._watch, name="job-workers", daemon=True)

    def _spawn(self, n: int) -> subprocess.Popen[bytes]:
        me = os.getpid()
        name = f"{socket.gethostname()}:{me}/job-worker-{n}"
        return subprocess.Popen(
            [sys.executable, "-m", "alteram", "worker", "--id", name, "--parent-pid", str(me)]
        )

    def start(self) -> None:
        for n in range(1, self.count + 1):
            self.children.append(self._spawn(n))
            self._started.append(time.monotonic())
            self._delay.append(1.0)
        if self.children:
            self._watcher.start()

    def _watch(self) -> None:
        died: dict[int, float] = {}
        while not self._stopping.wait(0.5):
            for i, child in enumerate(self.children):
                if child.poll() is None:
                    continue
                now = time.monotonic()
                if i not in died:
                    died[i] = now
                    ran = now - self._started[i]
                    self._delay[i] = 1.0 if ran > 60 else min(self._delay[i] * 2, RESTART_DELAY_MAX)
                    log.warning(
                        "job worker %s exited with %s after %.0f s; starting another in %.0f s",
                        child.pid,
                        child.returncode,
                        ran,
                        self._delay[i],
                    )
                if now - died[i] >= self._delay[i] and not self._stopping.is_set():
                    self.children[i] = self._spawn(i + 1)
                    self._started[i] = time.monotonic()
                    del died[i]

    def stop(self, *, timeout: float = STOP_TIMEOUT) -> None:
        """Stop restarting, then stop every child (SIGTERM, wait, SIGKILL)."""
        self._stopping.set()
        if self._watcher.is_alive():
            self._watcher.join()
        stop_children(self.children, timeout=timeout)


@contextmanager
def job_workers(count: int, *, stop_timeout: float = STOP_TIMEOUT) -> Iterator[JobWorkers]:
    """Run ``count`` job workers for the duration of the block; stop them all on the way out."""
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    crew = JobWorkers(count)
    try:
        crew.start()
        yield crew
    finally:
        # Stopping must not be cut short by a second signal.
        term = signal.signal(signal.SIGTERM, signal.SIG_IGN)
        intr = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            crew.stop(timeout=stop_timeout)
        finally:
            signal.signal(signal.SIGINT, intr)
            signal.signal(signal.SIGTERM, previous if term is _exit_on_sigterm else term)


def stop_children(children: list[subprocess.Popen[bytes]], *, timeout: float) -> None:
    """Terminate, wait up to ``timeout`` seconds in all, then kill whatever is left."""
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + timeout
    for child in children:
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0.01))
        except subprocess.TimeoutExpired:
            log.warning("job worker %s did not stop in %.0f s: killing it", child.pid, timeout)
            child.kill()
            child.wait()
