"""Child processes of ``alteram serve``: the job workers, stopped before the server exits.

uvicorn answers SIGTERM by shutting down and then raising the signal again with the
handler that was there before it; with the default handler the process would die on the
spot and leave its children running. So the server installs its own handler first, which
ends the process by an exception, and the children are stopped on the way out: SIGTERM,
a wait, then SIGKILL for any that did not stop. A child also stops by itself when the
server dies (it watches its parent).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

log = logging.getLogger(__name__)
STOP_TIMEOUT = 10.0


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


@contextmanager
def job_workers(count: int, *, stop_timeout: float = STOP_TIMEOUT) -> Iterator[list[int]]:
    """Start ``count`` ``alteram worker`` children; stop them all on the way out."""
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    children: list[subprocess.Popen[bytes]] = []
    try:
        me = os.getpid()
        for n in range(1, count + 1):
            name = f"{socket.gethostname()}:{me}/job-worker-{n}"
            command = [sys.executable, "-m", "alteram", "worker", "--id", name]
            children.append(subprocess.Popen([*command, "--parent-pid", str(me)]))
        yield [c.pid for c in children]
    finally:
        # Stopping must not be cut short by a second signal.
        term = signal.signal(signal.SIGTERM, signal.SIG_IGN)
        intr = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            stop_children(children, timeout=stop_timeout)
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
