"""Write a plan in bulk: a few multi-row INSERT/UPDATE/DELETE statements, no per-row ORM objects.

The caller owns the transaction (one commit for the whole import, or a rollback of all of it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, insert, update
from sqlmodel import Session, col

from ogp_app.models import ClassTeacher, Guardian, Household, Pupil, PupilGuardian, SchoolClass, Teacher
from ogp_app.models.base import utcnow
from ogp_app.models.roster import JOINT, MEETING_MODES, PER_HOUSEHOLD
from ogp_app.services.roster_import.existing import Existing
from ogp_app.services.roster_import.families import family_keys
from ogp_app.services.roster_import.plan import Plan

_CHUNK = 900  # stays below SQLite's bound-parameter limit for IN lists


def _insert_ids(db: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` and return their new ids in the same order.

    PostgreSQL: a multi-row INSERT ... RETURNING that SQLAlchemy orders by a sentinel. SQLite has no
    such form (SQLAlchemy would fall back to one INSERT per row), but it numbers new rows max(id) + 1,
    + 2, ... in the order they arrive, under the one write lock this transaction holds; so one DBAPI
    executemany and a check that exactly ids before+1 .. before+n appeared gives the same answer.
    """
    if not rows:
        return []
    table = model.__table__  # Core: plain column dicts, no ORM bookkeeping per row
    conn = db.connection()
    if conn.dialect.name != "sqlite":
        result = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
        return [row[0] for row in result.all()]
    columns = list(rows[0])
    processors = [table.c[name].type._cached_bind_processor(conn.dialect) for name in columns]
    values = [
        tuple(
            value if proc is None else proc(value)
            for value, proc in zip(row.values(), processors, strict=True)
        )
        for row in rows
    ]
    name = table.name  # our own table names in the SQL below, never input
    before = conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {name}").scalar_one()  # noqa: S608
    _executemany(db, model, tuple(columns), values)
    new_rows = f"SELECT max(id), count(*) FROM {name} WHERE id > ?"  # noqa: S608 - only the new rows
    after, count = conn.exec_driver_sql(new_rows, (before,)).one()
    if after != before + len(rows) or count != len(rows):
        raise RuntimeError(f"{model.__name__}: new ids are not one run after {before}")
    return list(range(before + 1, before + 1 + len(rows)))


def _executemany(db: Session, model: Any, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Link rows (no ids needed back, no typed columns): one DBAPI executemany inside the transaction."""
    if not rows:
        return
    conn = db.connection()
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    table = model.__table__.name
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"  # noqa: S608 - names are ours
    conn.exec_driver_sql(sql, rows)


def _update(db: Session, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    """ORM bulk UPDATE by primary key; it wants the same keys in every row, so group rows by keys."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    for group in groups.values():
        db.execute(update(model), group)


def _delete_ids(db: Session, model: Any, ids: Iterable[int]) -> None:
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        db.execute(delete(model).where(col(model.id).in_(ordered[start : start + _CHUNK])))


def apply_plan(
    db: Session, plan: Plan, existing: Existing, *, school_id: int, separated_mode: str = PER_HOUSEHOLD
) -> None:
    """``separated_mode``: the meeting mode of pupils whose guardians come to live in two households."""
    if separated_mode not in MEETING_MODES:
        raise ValueError("unknown meeting mode")
    now = utcnow()
    classes = {name: cid for name, (cid, _archived) in existing.classes.items()}
    new_class_ids = _insert_ids(
        db, SchoolClass, [{"school_id": school_id, "name": n, "created_at": now} for n in plan.new_classes]
    )
    classes.update(zip((n.casefold() for n in plan.new_classes), new_class_ids, strict=True))
    _update(db, SchoolClass, plan.class_updates)

    teachers = {email: t.id for email, t in existing.teachers.items()}
    new_teacher_ids = _insert_ids(
        db,
        Teacher,
        [
            {
                "school_id": school_id,
                "display_name": p.name or p.email,
                "email": p.email,
                "user_id": plan.user_ids.get(p.email),
                "created_at": now,
            }
            for p in plan.new_teachers
        ],
    )
    teachers.update(zip((p.email for p in plan.new_teachers), new_teacher_ids, strict=True))
    _update(db, Teacher, plan.teacher_updates)
    _delete_ids(db, ClassTeacher, plan.mentor_removes)
    _executemany(
        db,
        ClassTeacher,
        ("school_id", "class_id", "teacher_id"),
        [(school_id, classes[c], teachers[e]) for c, e in plan.mentor_adds],
    )

    guardians = _write_guardians(db, plan, existing, school_id=school_id, now=now)
    _write_pupils(db, plan, existing, classes, guardians, school_id=school_id, now=now, mode=separated_mode)


def _write_guardians(
    db: Session, plan: Plan, existing: Existing, *, school_id: int, now: Any
) -> dict[str, int]:
    roots = list(plan.new_households)
    household_ids = dict(
        zip(
            roots,
            _insert_ids(
                db,
                Household,
                [{"school_id": school_id, "label": plan.new_households[r], "created_at": now} for r in roots],
            ),
            strict=True,
        )
    )
    rows = [
        {
            "school_id": school_id,
            "household_id": household if isinstance(household, int) else household_ids[household],
            "display_name": person.name or person.email,
            "email": person.email,
            "language": person.language,
            "user_id": plan.user_ids.get(person.email),
            "created_at": now,
        }
        for person, household in plan.new_guardians
    ]
    guardians = {email: g.id for email, g in existing.guardians.items()}
    guardians.update(
        zip((p.email for p, _ in plan.new_guardians), _insert_ids(db, Guardian, rows), strict=True)
    )
    _update(db, Guardian, plan.guardian_updates)
    if plan.archive_guardians:
        _update(db, Guardian, [{"id": gid, "archived_at": now} for gid in plan.archive_guardians])
    return guardians


def _write_pupils(
    db: Session,
    plan: Plan,
    existing: Existing,
    classes: dict[str, int],
    guardians: dict[str, int],
    *,
    school_id: int,
    now: Any,
    mode: str,
) -> None:
    separated = set(plan.newly_separated)
    # Final guardian links of every pupil that stays, to give siblings one family key before inserting.
    links: dict[int | tuple[str, int], set[int]] = {
        p.id: set(existing.links.get(p.id, {})) for p in existing.pupils if not p.archived
    }
    removed = set(plan.link_removes)
    for pupil_id, by_guardian in existing.links.items():
        for gid, link_id in by_guardian.items():
            if link_id in removed and pupil_id in links:
                links[pupil_id].discard(gid)
    for ref, email in plan.link_adds:
        links.setdefault(ref, set()).add(guardians[email])
    for index in range(len(plan.new_pupils)):
        links.setdefault(("new", index), set())
    for update_row in plan.pupil_updates:
        links.setdefault(int(str(update_row["id"])), set())  # a pupil back from the archive
    for pupil_id in plan.archive_pupils:
        links.pop(pupil_id, None)
    keyed = {i: ref for i, ref in enumerate(links)}
    families = family_keys({i: sorted(links[ref]) for i, ref in keyed.items()})
    family_of = {ref: families[i] for i, ref in keyed.items()}

    new_ids = _insert_ids(
        db,
        Pupil,
        [
            {
                "school_id": school_id,
                "pupil_number": r.pupil_number,
                "first_name": r.first_name,
                "name_prefix": r.name_prefix,
                "last_name": r.last_name,
                "class_id": classes[r.class_name.casefold()],
                "family_key": family_of[("new", i)],
                "meeting_mode": mode if ("new", i) in separated else JOINT,
                "created_at": now,
            }
            for i, r in enumerate(plan.new_pupils)
        ],
    )
    updates: dict[int, dict[str, Any]] = {}
    for row in plan.pupil_updates:
        change: dict[str, Any] = dict(row)
        if "class_name" in change:
            change["class_id"] = classes[str(change.pop("class_name")).casefold()]
        updates[int(change["id"])] = change
    old_keys = {p.id: p.family_key for p in existing.pupils}
    for ref, key in family_of.items():
        if isinstance(ref, int) and old_keys.get(ref) != key:
            updates.setdefault(ref, {"id": ref})["family_key"] = key
    for ref in separated:
        if isinstance(ref, int):
            updates.setdefault(ref, {"id": ref})["meeting_mode"] = mode
    for pupil_id in plan.archive_pupils:
        updates.setdefault(pupil_id, {"id": pupil_id})["archived_at"] = now
    _update(db, Pupil, list(updates.values()))
    _delete_ids(db, PupilGuardian, plan.link_removes)
    _executemany(
        db,
        PupilGuardian,
        ("school_id", "pupil_id", "guardian_id"),
        [
            (school_id, new_ids[ref[1]] if isinstance(ref, tuple) else ref, guardians[email])
            for ref, email in plan.link_adds
        ],
    )
