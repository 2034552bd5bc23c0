"""Published reports, frozen: each version of a round's report as it was shown (#12).

A version is written when the round is published (and again only when the team publishes
a new one deliberately); later rounds' answers, restatements, definitions or translations
change none of them. The snapshot holds what was shown, in every language of the interface.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from alteram.errors import N_, Conflict, NotFound
from alteram.service.lookup import get
from alteram.store.database import Store
from alteram.store.schema import ReportVersion, Round


@dataclass(frozen=True)
class VersionInfo:
    version: int
    created_at: datetime


@dataclass(frozen=True)
class FrozenReport:
    round_id: int
    version: int
    created_at: datetime
    snapshot: dict[str, Any]
    versions: list[VersionInfo]

    def page(self, lang: str) -> dict[str, Any]:
        """The snapshot's page in ``lang`` (English when that language was not rendered)."""
        pages: dict[str, Any] = self.snapshot.get("pages", {})
        found: dict[str, Any] = pages.get(lang) or pages.get("en") or next(iter(pages.values()))
        return found


def versions_of(store: Store, *, round_id: int) -> list[VersionInfo]:
    """Every published version of the round's report, oldest first."""
    with store.read() as session:
        return [
            VersionInfo(v, at)
            for v, at in session.execute(
                select(ReportVersion.version, ReportVersion.created_at)
                .where(ReportVersion.round_id == round_id)
                .order_by(ReportVersion.version)
            )
        ]


def frozen_report(
    store: Store, *, round_id: int, version: int | None = None
) -> FrozenReport | None:
    """Version ``version`` of the round's report (the latest when None); None if none yet."""
    with store.read() as session:
        query = select(ReportVersion).where(ReportVersion.round_id == round_id)
        if version is not None:
            query = query.where(ReportVersion.version == version)
        row = session.scalars(query.order_by(ReportVersion.version.desc()).limit(1)).first()
        if row is None:
            if version is not None:
                raise NotFound(
                    N_("this round's report has no version %(version)s."),
                    params={"version": version},
                    hint=N_("Open the report without a version to see the latest."),
                )
            return None
        found = (row.round_id, row.version, row.created_at, dict(row.snapshot))
    return FrozenReport(*found, versions_of(store, round_id=round_id))


def require_published(store: Store, *, round_id: int) -> None:
    """Refuse (409) a report version for a round that is not published."""
    with store.read() as session:
        _published(get(session, Round, round_id))


def _published(rnd: Round) -> None:
    if rnd.published_at is None:
        raise Conflict(
            N_("round %(number)s is not published: its report has no version yet."),
            params={"number": rnd.number},
            hint=N_("Publish the round first; its report is frozen then."),
        )


def store_version(
    store: Store,
    *,
    round_id: int,
    snapshot: dict[str, Any],
    account_id: int | None = None,
    only_if_none: bool = False,
) -> int:
    """Store ``snapshot`` as the round's next report version; returns its number.

    With ``only_if_none`` nothing is stored when a version exists already (the first view
    of a round published before versions were kept); its number is returned.
    """
    try:
        with store.write() as session:
            _published(get(session, Round, round_id, lock=True))
            latest = session.scalar(
                select(func.max(ReportVersion.version)).where(ReportVersion.round_id == round_id)
            )
            if only_if_none and latest:
                return int(latest)
            number = int(latest or 0) + 1
            session.add(
                ReportVersion(
                    round_id=round_id,
                    version=number,
                    snapshot=snapshot,
                    published_by_account_id=account_id,
                )
            )
            session.flush()
            return number
    except IntegrityError:  # the same version stored at the same moment by another request
        if not only_if_none:
            raise Conflict(
                N_("another version of this report was published at the same moment."),
                hint=N_("Reload the report to see it."),
            ) from None
        info = versions_of(store, round_id=round_id)
        return info[-1].version
