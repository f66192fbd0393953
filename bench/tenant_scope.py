"""How much the fail-closed tenant scope costs per query, and session resolution per request.

Run: .venv/bin/python bench/tenant_scope.py [--schools 50 --members 40 --queries 2000]
Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OGP_ENV", "development")
if "OGP_DATABASE_URL" not in os.environ:
    os.environ["OGP_DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"

from sqlmodel import SQLModel, select

import ogp_app.models  # noqa: F401
from ogp_app.core.db import get_engine, school_session, unscoped
from ogp_app.models import Membership, Role, School, User
from ogp_app.services.auth.sessions import create_session, resolve_session


def seed(schools: int, members: int) -> list[int]:
    SQLModel.metadata.create_all(get_engine())
    ids = []
    with unscoped() as db:
        for s in range(schools):
            school = School(name=f"School {s}", slug=f"bench-{s}", status="active")
            db.add(school)
            db.flush()
            assert school.id is not None
            ids.append(school.id)
            for m in range(members):
                user = User(email=f"p{s}-{m}@bench.example", display_name=f"P {s} {m}")
                db.add(user)
                db.flush()
                assert user.id is not None
                db.add(Membership(school_id=school.id, user_id=user.id, role=Role.PARENT.value))
        db.commit()
    return ids


def timed(label: str, runs: int, fn) -> None:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e6)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"{label:42} median {statistics.median(samples):8.1f} µs   p95 {p95:8.1f} µs   (n={runs})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--members", type=int, default=40)
    parser.add_argument("--queries", type=int, default=2000)
    args = parser.parse_args()
    ids = seed(args.schools, args.members)
    target = ids[len(ids) // 2]
    print(f"database: {get_engine().url.render_as_string()}  rows: {args.schools * args.members} memberships")

    def scoped() -> None:
        with school_session(target) as db:
            assert len(db.exec(select(Membership)).all()) == args.members

    def manual_filter() -> None:
        with unscoped() as db:
            rows = db.exec(select(Membership).where(Membership.school_id == target)).all()
            assert len(rows) == args.members

    timed("scoped query (tenant scope hook)", args.queries, scoped)
    timed("unscoped query with hand-written filter", args.queries, manual_filter)

    with unscoped() as db:
        user_id = db.exec(select(User.id)).first()
        assert user_id is not None
        token = create_session(db, user_id=user_id, school_id=target)
    timed("resolve_session (cookie -> identity)", args.queries, lambda: resolve_session(token))


if __name__ == "__main__":
    main()
