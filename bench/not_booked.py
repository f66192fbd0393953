"""Who has not booked, on the bench school (bench/rush_school.py): how long the admin's per-class list
(the round page's progress and families, one call), a teacher's own classes and a reminder to the
whole round take, and how many SQL statements each runs. Prints figures; asserts nothing.

    .venv/bin/python bench/not_booked.py --database-url postgresql://postgres@127.0.0.1/DB --families 1000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--families", type=int, default=1000)
    parser.add_argument("--class-size", type=int, default=28)
    parser.add_argument("--runs", type=int, default=5, help="timed reads of each list")
    return parser.parse_args()


ARGS = _args()
os.environ["OGP_DATABASE_URL"] = ARGS.database_url
os.environ.setdefault("OGP_ENV", "development")

from rush_school import scoped, seed  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlmodel import SQLModel, select  # noqa: E402

from ogp_app.core.db import make_engine  # noqa: E402
from ogp_app.models import Role, Teacher  # noqa: E402
from ogp_app.services.rounds.actor import Actor  # noqa: E402
from ogp_app.services.rounds.progress import families_not_booked  # noqa: E402
from ogp_app.services.rounds.reminders import remind_unbooked  # noqa: E402

ENGINE = make_engine(ARGS.database_url)
STATEMENTS = [0]


@event.listens_for(ENGINE, "before_cursor_execute")
def _count(*_args: object) -> None:
    STATEMENTS[0] += 1


def _timed(label: str, work: object) -> None:
    times, counts = [], []
    for _ in range(ARGS.runs):
        STATEMENTS[0] = 0
        start = time.perf_counter()
        result = work()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
        counts.append(STATEMENTS[0])
    print(
        f"{label}: median {statistics.median(times):.1f} ms, max {max(times):.1f} ms, "
        f"{counts[-1]} SQL statements; {result}"
    )


def main() -> None:
    SQLModel.metadata.create_all(ENGINE)
    round_id, admin, families = seed(ENGINE, ARGS.families, ARGS.class_size)
    school_id = admin.school_id
    with scoped(ENGINE, school_id) as db:
        teacher = db.exec(select(Teacher)).first()
    assert teacher is not None and teacher.id is not None
    teacher_actor = Actor(user_id=admin.user_id, school_id=school_id, is_teacher=True)
    with scoped(ENGINE, None) as db:  # the bench admin also teaches one class (their own roster row)
        teacher.user_id = admin.user_id
        db.add(teacher)
        db.commit()
    pupils = sum(len(p) for _parent, p in families)
    print(
        f"{len(families)} families, {pupils} pupils, nobody booked; {Role.SCHOOL_ADMIN.value} and a teacher"
    )

    def admin_list() -> str:
        with scoped(ENGINE, school_id) as db:
            groups = families_not_booked(db, actor=admin, round_id=round_id)
        return f"{len(groups)} classes, {sum(len(g.families) for g in groups)} families"

    def teacher_list() -> str:
        with scoped(ENGINE, school_id) as db:
            groups = families_not_booked(db, actor=teacher_actor, round_id=round_id)
        return f"{len(groups)} class(es), {sum(len(g.families) for g in groups)} families"

    _timed("admin: every class", admin_list)
    _timed("teacher: own classes", teacher_list)
    STATEMENTS[0] = 0
    start = time.perf_counter()
    with scoped(ENGINE, school_id) as db:
        mails = remind_unbooked(db, actor=admin, round_id=round_id)
    took = (time.perf_counter() - start) * 1000
    print(f"remind the whole round: {took:.0f} ms, {STATEMENTS[0]} SQL statements, {mails} mails queued")


if __name__ == "__main__":
    main()
