"""Roster import of a realistic school: 2,000 pupils, 3,500 guardians, 80 classes, 90 teachers.

Run: .venv/bin/python bench/roster_import.py [--database-url URL] [--rounds 3]
(default: a temporary SQLite file). The school is generated as a ";"-separated CSV in memory and
imported through the same service as the page and the CLI. Then the very rows the import wrote are
inserted again, for a second school, with a plain DBAPI executemany per table, into the same database
in the same run. Figures are medians over the rounds; both schools are removed after each round.
Last line: pupils=N seconds=S rows_per_s=R raw_rows_per_s=Q ratio=R/Q. Asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

os.environ.setdefault("OGP_ENV", "development")
parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
parser.add_argument("--pupils", type=int, default=2000)
parser.add_argument("--memory", action="store_true", help="also measure peak memory (tracemalloc)")
parser.add_argument("--rounds", type=int, default=3, help="medians over this many rounds")
ARGS = parser.parse_args()
os.environ["OGP_DATABASE_URL"] = (
    ARGS.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'roster.sqlite3'}"
)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Table, delete, func, select  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

import ogp_app.models  # noqa: E402,F401
from ogp_app.core.db import get_engine, school_session, unscoped  # noqa: E402
from ogp_app.models import (  # noqa: E402
    ClassTeacher,
    Guardian,
    Household,
    Pupil,
    PupilGuardian,
    RosterMapping,
    School,
    SchoolClass,
    Teacher,
)
from ogp_app.services.roster_import import run_import  # noqa: E402

FIRST = ["Daan", "Sem", "Noah", "Lucas", "Levi", "Finn", "Emma", "Julia", "Mila", "Sophie", "Zoë", "Noor"]
LAST = [
    "Jansen",
    "de Vries",
    "van Dijk",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Bos",
    "van der Berg",
]
HEADER = (
    "Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Groep;Naam ouder/verzorger 1;E-mail ouder/verzorger 1;"
    "Adres ouder/verzorger 1;Naam ouder/verzorger 2;E-mail ouder/verzorger 2;Adres ouder/verzorger 2;"
    "Groepsleerkracht;E-mail groepsleerkracht;Tweede leerkracht;E-mail tweede leerkracht"
)
# Parents first, children after, so ids exist before rows that point at them.
TABLES: list[type[SQLModel]] = [SchoolClass, Teacher, ClassTeacher, Household, Guardian, Pupil, PupilGuardian]


def school_csv(pupils: int) -> bytes:
    """``pupils`` children in families of two guardians (15% separated), 80 classes, 90 teachers."""
    rng = random.Random(4)
    families = pupils * 7 // 8  # 2,000 pupils -> 1,750 families -> 3,500 guardians
    children = [1] * families
    for index in range(pupils - families):  # siblings: 2 or 3 children in the first families
        children[index % (families // 7)] += 1
    lines = [HEADER]
    number = 100_000
    for family, count in enumerate(children):
        last = rng.choice(LAST)
        prefix, _, surname = last.rpartition(" ")
        separated = rng.random() < 0.15
        home = f"Straat {family}, Utrecht"
        parents = [
            (f"{rng.choice(FIRST)} {last}", f"ouder{family}a@example.org", home),
            (
                f"{rng.choice(FIRST)} {last}",
                f"Ouder{family}B@example.org",
                f"Laan {family}, Zeist" if separated else home,
            ),
        ]
        for _ in range(count):
            number += 1
            group = number % 80
            teacher2 = (f"Duo {group}", f"duo{group}@school.example") if group < 10 else ("", "")
            cells = [str(number), rng.choice(FIRST), prefix, surname or last, f"Groep {group + 1}"]
            for name, email, address in parents:
                cells += [name, email, address]
            cells += [f"Leerkracht {group}", f"leerkracht{group}@school.example", *teacher2]
            lines.append(";".join(cells))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def make_school(slug: str) -> int:
    with unscoped() as db:
        school = School(name=slug, slug=slug, status="active")
        db.add(school)
        db.commit()
        assert school.id is not None
        return school.id


def copy_rows(source_school: int, target_school: int) -> tuple[int, float]:
    """Insert the rows the import wrote again, for another school, with one executemany per table."""
    engine = get_engine()
    mark = "?" if engine.dialect.name == "sqlite" else "%s"
    with engine.connect() as conn:
        offsets = {}
        batches: list[tuple[str, list[tuple[object, ...]]]] = []
        for model in TABLES:
            table: Table = model.__table__  # type: ignore[attr-defined]
            offsets[table.name] = (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1_000_000
            rows = conn.execute(select(table).where(table.c.school_id == source_school)).mappings().all()
            names = [c.name for c in table.columns]
            fks = {
                c.name: next(iter(c.foreign_keys)).column.table.name for c in table.columns if c.foreign_keys
            }
            values = []
            for row in rows:
                out = []
                for name in names:
                    value = row[name]
                    if name == "id":
                        value += offsets[table.name]
                    elif name == "school_id":
                        value = target_school
                    elif name in fks and value is not None and fks[name] in offsets:
                        value += offsets[fks[name]]
                    out.append(value)
                values.append(tuple(out))
            sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})"
            batches.append((sql, values))
        cursor_owner = conn.connection.driver_connection
        assert cursor_owner is not None
        started = time.perf_counter()
        cursor = cursor_owner.cursor()
        for sql, values in batches:
            cursor.executemany(sql, values)
        cursor_owner.commit()
        seconds = time.perf_counter() - started
        cursor.close()
    return sum(len(v) for _, v in batches), seconds


def cleanup(*school_ids: int) -> None:
    with unscoped() as db:
        models: list[Any] = [*reversed(TABLES), RosterMapping]
        for model in models:
            db.execute(delete(model).where(model.school_id.in_(school_ids)))
        db.execute(delete(School).where(School.id.in_(school_ids)))  # type: ignore[union-attr]
        db.commit()


def one_round(data: bytes, tag: str) -> tuple[float, float, int, dict[str, int], dict[str, float]]:
    """Import into a fresh school, then executemany the same rows for another; both removed after."""
    school_id, raw_school = make_school(f"bench-{tag}"), make_school(f"bench-raw-{tag}")
    try:
        stages: dict[str, float] = {}
        started = time.perf_counter()
        with school_session(school_id) as db:
            result = run_import(
                db,
                school_id=school_id,
                data=data,
                progress=lambda _pct, stage: stages.update({stage: time.perf_counter() - started}),
            )
        seconds = time.perf_counter() - started
        assert result.written and not result.issues, result.issues[:3]
        rows = result.plan.rows_written()
        raw_rows, raw_seconds = copy_rows(school_id, raw_school)
        assert raw_rows == rows, (raw_rows, rows)
    finally:
        cleanup(school_id, raw_school)
    return seconds, raw_seconds, rows, result.plan.create.as_dict(), stages


def memory_peak(data: bytes, tag: str) -> float:
    """Peak Python memory (MiB) of one import, measured apart from the timed rounds (tracing is slow)."""
    school_id = make_school(f"bench-mem-{tag}")
    try:
        tracemalloc.start()
        with school_session(school_id) as db:
            run_import(db, school_id=school_id, data=data)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    finally:
        cleanup(school_id)
    return peak / 2**20


def main() -> None:
    SQLModel.metadata.create_all(get_engine())
    data = school_csv(ARGS.pupils)
    rounds = [one_round(data, f"{os.getpid()}-{n}") for n in range(ARGS.rounds)]
    seconds = statistics.median(r[0] for r in rounds)
    raw_seconds = statistics.median(r[1] for r in rounds)
    rows, created, stages = rounds[0][2], rounds[0][3], rounds[0][4]
    rate, raw_rate = rows / seconds, rows / raw_seconds
    print(f"database={get_engine().dialect.name} bytes={len(data)} rows_written={rows} created={created}")
    print("first round, stages (s from start): " + ", ".join(f"{k} {v:.3f}" for k, v in stages.items()))
    for n, (sec, raw, *_rest) in enumerate(rounds, start=1):
        print(f"round {n}: import {sec:.3f} s, raw executemany {raw:.3f} s")
    if ARGS.memory:
        half = school_csv(ARGS.pupils // 2)
        print(
            f"memory peak: {memory_peak(half, 'half'):.1f} MiB for {len(half)} bytes, "
            f"{memory_peak(data, 'full'):.1f} MiB for {len(data)} bytes"
        )
    print(
        f"pupils={created['pupils']} seconds={seconds:.3f} rows_per_s={rate:.0f} "
        f"raw_rows_per_s={raw_rate:.0f} ratio={rate / raw_rate:.2f}"
    )


if __name__ == "__main__":
    main()
