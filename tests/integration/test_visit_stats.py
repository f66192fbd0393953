"""Visit statistics: counts per path and day, unique visitors within a day only, nothing personal kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select as sa_select
from sqlmodel import SQLModel, select

from ogp_app.core.db import session as db_session
from ogp_app.models import PageView, VisitMark, VisitSalt
from ogp_app.services.staff import analytics
from tests.support.factories import Factory

NOON = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)  # 12:00 in Amsterdam
IP, OTHER_IP = "203.0.113.77", "198.51.100.23"
UA = "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/123.4"
VISIT_TABLES = ("page_view", "visit_mark", "visit_salt")


def _view(path: str = "/", *, client: str = IP, browser: str = UA, now: datetime = NOON) -> None:
    with db_session() as db:
        analytics.record_page_view(db, path=path, client=client, browser=browser, now=now)


def _counts() -> dict[tuple[str, str], tuple[int, int]]:
    with db_session() as db:
        rows = db.exec(select(PageView)).all()
    return {(r.path, r.day.isoformat()): (r.views, r.unique_visitors) for r in rows}


def test_views_and_unique_visitors_per_path_and_day(clean_db: None) -> None:
    _view("/")
    _view("/")  # a reload: one more view, the same visitor
    _view("/", client=OTHER_IP)
    _view("/contact")
    _view("/", now=NOON + timedelta(days=1))  # the next day the same visitor counts as new
    assert _counts() == {
        ("/", "2026-03-10"): (3, 2),
        ("/contact", "2026-03-10"): (1, 1),
        ("/", "2026-03-11"): (1, 1),
    }


def test_the_day_follows_amsterdam_time(clean_db: None) -> None:
    _view("/", now=datetime(2026, 3, 10, 23, 30, tzinfo=UTC))  # 00:30 on 11 March in Amsterdam
    assert set(_counts()) == {("/", "2026-03-11")}


def test_salts_and_marks_of_past_days_are_discarded(clean_db: None) -> None:
    _view("/")
    with db_session() as db:
        assert [s.day.isoformat() for s in db.exec(select(VisitSalt)).all()] == ["2026-03-10"]
        assert len(db.exec(select(VisitMark)).all()) == 1
    _view("/", now=NOON + timedelta(days=1))
    with db_session() as db:
        assert [s.day.isoformat() for s in db.exec(select(VisitSalt)).all()] == ["2026-03-11"]
        assert [m.day.isoformat() for m in db.exec(select(VisitMark)).all()] == ["2026-03-11"]


def test_no_visit_row_holds_an_ip_address_user_agent_or_user_id(factory: Factory) -> None:
    user = factory.user("visitor@example.org", "Vera Visitor")
    for path in ("/", "/contact", "/faq"):
        _view(path)
        _view(path, client=OTHER_IP)
    # Schema: no column that could hold who the visitor is.
    forbidden = ("ip", "addr", "agent", "user", "cookie", "session", "email", "client")
    for name in VISIT_TABLES:
        columns = [c.name for c in SQLModel.metadata.tables[name].columns]
        assert not [c for c in columns if any(word in c.lower() for word in forbidden)], (name, columns)
    # Values: no IP, no part of the user agent, no account id or e-mail in any stored value.
    markers = [IP, OTHER_IP, "203.0.113", "Mozilla", "TestBrowser", UA, user.email]
    with db_session() as db:
        for name in VISIT_TABLES:
            table = SQLModel.metadata.tables[name]
            for row in db.execute(sa_select(table)).mappings().all():
                values = [str(v) for k, v in row.items() if k not in ("id", "views", "unique_visitors")]
                assert not [m for m in markers if any(m in v for v in values)], (name, dict(row))
                assert str(user.id) not in values, (name, dict(row))


def test_odd_paths_are_not_counted(clean_db: None) -> None:
    _view("")
    _view("/" + "x" * 300)
    assert _counts() == {}


def test_purge_removes_counts_older_than_twelve_months(clean_db: None) -> None:
    old, kept = NOON - timedelta(days=400), NOON - timedelta(days=300)
    _view("/", now=old)
    _view("/", now=kept)
    _view("/", now=NOON)
    with db_session() as db:
        deleted = analytics.purge_old_visits(db, NOON)
    assert deleted == 1
    assert sorted(day for _, day in _counts()) == [kept.date().isoformat(), NOON.date().isoformat()]


def test_figures_for_the_staff_page(clean_db: None) -> None:
    _view("/")
    _view("/", client=OTHER_IP)
    _view("/faq", now=NOON - timedelta(days=2))
    with db_session() as db:
        days = analytics.daily_totals(db, now=NOON, days=7)
        paths = analytics.top_paths(db, now=NOON, days=7)
    assert len(days) == 7 and days[-1].day.isoformat() == "2026-03-10"
    assert (days[-1].views, days[-1].unique_visitors) == (2, 2)
    assert days[-3].views == 1 and sum(d.views for d in days) == 3
    assert [(p.path, p.views) for p in paths] == [("/", 2), ("/faq", 1)]


def test_concurrent_loads_are_all_counted(clean_db: None) -> None:
    """Separate transactions at once (real concurrency on PostgreSQL): no view and no visitor lost."""
    from concurrent.futures import ThreadPoolExecutor

    clients = [f"198.51.100.{n}" for n in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda c: _view("/faq", client=c), clients * 2))
    assert _counts() == {("/faq", "2026-03-10"): (16, 8)}
