"""Every service module that registers a job kind, imported here so a worker knows them all.

Add a module to this list when it starts to register a kind with
:func:`alteram.service.jobs.register`.
"""

from __future__ import annotations

from alteram.service import (
    analyses,  # noqa: F401  ("analysis")
    machine_translation,  # noqa: F401  ("translation")
    summary_drafts,  # noqa: F401  ("summary")
)
