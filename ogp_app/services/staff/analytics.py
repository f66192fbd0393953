"""Visit statistics without personal data: page loads counted per path and day on the server.

How a visit is counted: the public pages' ``on_load`` calls :func:`record_page_view` with the page's
path (Reflex pages are a single-page app, so the server sees every page shown, also client-side
navigation, through that event). No cookie is read or set. A unique visitor is recognised within one
day by ``sha256(day salt || address || browser || path)``; the salt is random per day and deleted with
the marks as soon as the day is over, so nothing links a visitor across days or back to an address.
Only the two counts per path and day are kept, for 12 months (:func:`purge_old_visits`).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session, col, delete, select, update

from ogp_app.core.db import session as plain_session
from ogp_app.models import PageView, VisitMark, VisitSalt
from ogp_app.models.analytics import PATH_MAX

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
RETENTION_DAYS = 365  # "12 months"
_HEADER_MAX = 512  # only as input to the hash; longer values are cut, never stored


def local_day(now: datetime) -> date:
    """The calendar day in the Netherlands: "today" for the counts and for the salt."""
    return now.astimezone(AMSTERDAM).date()


def _salt(db: Session, day: date) -> str:
    """The day's salt, created by whichever worker needs it first (the primary key decides races)."""
    found = db.get(VisitSalt, day)
    if found is not None:
        return found.salt
    try:
        with db.begin_nested():
            db.add(VisitSalt(day=day, salt=secrets.token_hex(32)))
    except IntegrityError:
        pass
    found = db.get(VisitSalt, day, populate_existing=True)
    assert found is not None
    return found.salt


def discard_old_marks(db: Session, *, today: date) -> None:
    """Forget the salts and "seen" marks of every day before ``today``; the caller commits."""
    db.exec(delete(VisitMark).where(col(VisitMark.day) < today))
    db.exec(delete(VisitSalt).where(col(VisitSalt.day) < today))


def _visitor_digest(salt: str, client: str, browser: str, path: str) -> str:
    material = "\x1f".join((salt, client[:_HEADER_MAX], browser[:_HEADER_MAX], path))
    return hashlib.sha256(material.encode("utf-8", "replace")).hexdigest()


def _ensure_row(db: Session, path: str, day: date) -> None:
    if db.exec(select(PageView.id).where(PageView.path == path, PageView.day == day)).first() is not None:
        return
    try:
        with db.begin_nested():
            db.add(PageView(path=path, day=day))
    except IntegrityError:  # another worker created it first
        pass


def record_page_view(db: Session, *, path: str, client: str, browser: str, now: datetime) -> None:
    """Count one load of ``path``; ``client``/``browser`` (address, user agent) only feed today's hash.

    ``db``: a plain ``session()``. Commits. Counts are bumped with UPDATE ... SET views = views + 1, so
    concurrent loads are not lost; the unique mark is insert-and-catch on its unique constraint.
    """
    if not path or len(path) > PATH_MAX:
        return
    day = local_day(now)
    discard_old_marks(db, today=day)
    digest = _visitor_digest(_salt(db, day), client or "", browser or "", path)
    first_today = True
    try:
        with db.begin_nested():
            db.add(VisitMark(day=day, path=path, digest=digest))
    except IntegrityError:
        first_today = False
    _ensure_row(db, path, day)
    db.exec(
        update(PageView)
        .where(col(PageView.path) == path, col(PageView.day) == day)
        .values(
            views=col(PageView.views) + 1,
            unique_visitors=col(PageView.unique_visitors) + (1 if first_today else 0),
        )
    )
    db.commit()


@dataclass(frozen=True)
class DayFigure:
    day: date
    views: int
    unique_visitors: int


@dataclass(frozen=True)
class PathFigure:
    path: str
    views: int
    unique_visitors: int


def daily_totals(db: Session, *, now: datetime, days: int = 30) -> list[DayFigure]:
    """Views and (summed per page) unique visitors for each of the last ``days`` days, oldest first."""
    today = local_day(now)
    first = today - timedelta(days=days - 1)
    rows = db.exec(
        select(col(PageView.day), func.sum(PageView.views), func.sum(PageView.unique_visitors))
        .where(col(PageView.day) >= first)
        .group_by(col(PageView.day))
    ).all()
    by_day = {day: (int(v or 0), int(u or 0)) for day, v, u in rows}
    return [
        DayFigure(day=d, views=by_day.get(d, (0, 0))[0], unique_visitors=by_day.get(d, (0, 0))[1])
        for d in (first + timedelta(days=i) for i in range(days))
    ]


def top_paths(db: Session, *, now: datetime, days: int = 30, limit: int = 20) -> list[PathFigure]:
    """The most viewed paths of the last ``days`` days."""
    first = local_day(now) - timedelta(days=days - 1)
    total = func.sum(PageView.views)
    rows = db.exec(
        select(PageView.path, total, func.sum(PageView.unique_visitors))
        .where(col(PageView.day) >= first)
        .group_by(col(PageView.path))
        .order_by(total.desc(), col(PageView.path))
        .limit(limit)
    ).all()
    return [PathFigure(path=p, views=int(v or 0), unique_visitors=int(u or 0)) for p, v, u in rows]


def purge_old_visits(session: Session, now: datetime) -> int:
    """Delete page-view counts older than 12 months (and any stale salts/marks); returns rows deleted.

    Called by the retention command. Commits.
    """
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    today = local_day(now)
    result = session.exec(delete(PageView).where(col(PageView.day) < today - timedelta(days=RETENTION_DAYS)))
    discard_old_marks(session, today=today)
    session.commit()
    return int(result.rowcount or 0)


def count_page_view(*, path: str, client: str, browser: str, now: datetime) -> None:
    """:func:`record_page_view` in a session of its own, for the public pages' ``on_load``: a database
    error is logged, never raised (statistics must never break a page)."""
    try:
        with plain_session() as db:
            record_page_view(db, path=path, client=client, browser=browser, now=now)
    except SQLAlchemyError:
        logging.getLogger(__name__).exception("counting a page view failed")
