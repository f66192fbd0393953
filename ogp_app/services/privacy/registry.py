"""The registry of personal data: every table says what it holds about whom and how it is erased.

Each domain module (``ogp_app.services.privacy.domains.*``) declares its own tables with
:func:`declare` or :func:`no_personal_data`; :func:`load` imports them all. A schema-driven test fails
when a table of ``SQLModel.metadata`` is missing here, or a declared column no longer exists, so a new
table cannot be forgotten. Other modules plug into erasure, purge and retention through the hook lists.

Rows are found with Core expressions over ``table.c``; the callers run them in an ``unscoped()``
session and always filter by user or school themselves.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Table, or_, update
from sqlmodel import Session, SQLModel


class Subject(StrEnum):
    """Whose data a table holds."""

    USER = "user"  # the account holder
    PUPIL = "pupil"  # a child, as the school entered it
    HOUSEHOLD = "household"  # a parent/guardian or a family, as the school entered it
    SCHOOL = "school"  # the school itself or its staff roster


class Erase(StrEnum):
    """What happens to the rows of a person who deletes their account."""

    DELETE = "delete"  # the rows go
    ANONYMISE = "anonymise"  # the row stays (the school needs it) without anything that points to them
    PSEUDONYMISE = "pseudonymise"  # the row stays with a pseudonymous id instead of the account id
    KEEP = "keep"  # not the person's to delete (the school's record); untouched by an account deletion


@dataclass(frozen=True)
class Person:
    """The person being exported or erased."""

    user_id: int
    email: str
    pseudonym: str


RowFilter = Callable[[Table, Person], ColumnElement[bool]]
SchoolFilter = Callable[[Table, int], ColumnElement[bool]]
Eraser = Callable[[Session, Table, Person], int]


@dataclass(frozen=True)
class Declaration:
    table: str
    reason: str  # why the table is erased this way, or why it holds nothing personal
    subject: Subject | None = None  # None: no personal data
    personal: tuple[str, ...] = ()
    secret: tuple[str, ...] = ()  # never exported, not even to the person (hashes, encrypted keys)
    erase: Erase = Erase.KEEP
    user_rows: RowFilter | None = None  # the rows that belong to (or are about) a person
    school_rows: SchoolFilter | None = None  # the rows of a tenant; default: school_id == id
    eraser: Eraser | None = None  # required for ANONYMISE and PSEUDONYMISE

    @property
    def holds_personal_data(self) -> bool:
        return self.subject is not None


_DECLARATIONS: dict[str, Declaration] = {}


def by_user_id(column: str = "user_id", *more: str) -> RowFilter:
    """Rows whose ``column`` (or any of ``more``) is the person's account id."""
    if not more:
        return lambda table, person: table.c[column] == person.user_id
    return lambda table, person: or_(*(table.c[name] == person.user_id for name in (column, *more)))


def unlink_user(db: Session, table: Table, person: Person, *columns: str) -> int:
    """Keep the rows; each of ``columns`` that holds the person's account id becomes NULL. Rows changed."""
    return sum(
        rowcount(db.execute(update(table).where(table.c[name] == person.user_id).values({name: None})))
        for name in columns
    )


def unlinking(*columns: str) -> Eraser:
    """An eraser that keeps the rows and drops the person's account id from ``columns``."""
    return lambda db, table, person: unlink_user(db, table, person, *columns)


def declare(
    table: str,
    *,
    subject: Subject,
    personal: tuple[str, ...] | list[str],
    reason: str,
    erase: Erase,
    user_rows: RowFilter | None = None,
    secret: tuple[str, ...] | list[str] = (),
    school_rows: SchoolFilter | None = None,
    eraser: Eraser | None = None,
) -> Declaration:
    """Declare a table that holds personal data."""
    if erase in (Erase.ANONYMISE, Erase.PSEUDONYMISE) and eraser is None:
        raise ValueError(f"{table}: {erase} needs an eraser")
    if erase is Erase.DELETE and user_rows is None:
        raise ValueError(f"{table}: delete needs user_rows")
    return _add(
        Declaration(
            table=table,
            reason=reason,
            subject=subject,
            personal=tuple(personal),
            secret=tuple(secret),
            erase=erase,
            user_rows=user_rows,
            school_rows=school_rows,
            eraser=eraser,
        )
    )


def own_rows(
    table: str,
    *,
    personal: tuple[str, ...] | list[str],
    reason: str,
    secret: tuple[str, ...] | list[str] = (),
) -> Declaration:
    """Declare a table of the person's own rows (``user_id``), deleted with their account."""
    return declare(
        table,
        subject=Subject.USER,
        personal=personal,
        secret=secret,
        reason=reason,
        erase=Erase.DELETE,
        user_rows=by_user_id(),
    )


def no_personal_data(
    table: str,
    *,
    reason: str,
    secret: tuple[str, ...] | list[str] = (),
    school_rows: SchoolFilter | None = None,
    context_rows: RowFilter | None = None,
) -> Declaration:
    """Declare a table that holds nothing about a person (say why); ``secret`` columns stay out of exports.

    ``context_rows``: rows that make a person's export readable (e.g. the names of their children's
    classes); never erased with the person.
    """
    if not reason.strip():
        raise ValueError(f"{table}: give the reason it holds no personal data")
    return _add(
        Declaration(
            table=table, reason=reason, secret=tuple(secret), school_rows=school_rows, user_rows=context_rows
        )
    )


def _add(declaration: Declaration) -> Declaration:
    if declaration.table in _DECLARATIONS:
        raise ValueError(f"table {declaration.table} declared twice")
    _DECLARATIONS[declaration.table] = declaration
    return declaration


# --- hooks other modules plug into ------------------------------------------------------------------

UserHook = Callable[[Session, Person], None]
SchoolHook = Callable[[Session, int], None]
RetentionTask = Callable[[Session, Any], int]  # (db, now) -> rows removed


@dataclass
class Hooks:
    # Before a person's rows go: e.g. bookings cancels their bookings and notifies the teachers.
    on_user_erased: list[UserHook] = field(default_factory=list)
    # Before a school's rows go: e.g. billing deletes the Stripe customer.
    on_school_purged: list[SchoolHook] = field(default_factory=list)
    # Named retention jobs run by `ogp retention run`: e.g. visits older than 12 months.
    retention: dict[str, RetentionTask] = field(default_factory=dict)


hooks = Hooks()


def on_user_erased(hook: UserHook) -> UserHook:
    hooks.on_user_erased.append(hook)
    return hook


def on_school_purged(hook: SchoolHook) -> SchoolHook:
    hooks.on_school_purged.append(hook)
    return hook


def retention_task(name: str) -> Callable[[RetentionTask], RetentionTask]:
    def register(task: RetentionTask) -> RetentionTask:
        if name in hooks.retention:
            raise ValueError(f"retention task {name} registered twice")
        hooks.retention[name] = task
        return task

    return register


# --- reading the registry ---------------------------------------------------------------------------


def load() -> dict[str, Declaration]:
    """Import every domain module once (they declare on import) and return the declarations."""
    from ogp_app.services.privacy import domains

    for module in pkgutil.iter_modules(domains.__path__):
        importlib.import_module(f"{domains.__name__}.{module.name}")
    return dict(_DECLARATIONS)


def tables() -> list[tuple[Table, Declaration | None]]:
    """Every table in dependency order (parents first) with its declaration, if any."""
    declared = load()
    return [(table, declared.get(table.name)) for table in SQLModel.metadata.sorted_tables]


def school_filter(
    table: Table, declaration: Declaration | None, school_id: int
) -> ColumnElement[bool] | None:
    """The rows of one school in ``table``, or None when the table has no tenant rows."""
    if declaration is not None and declaration.school_rows is not None:
        return declaration.school_rows(table, school_id)
    if "school_id" in table.c:
        return table.c.school_id == school_id
    return None


def rowcount(result: object) -> int:
    """Rows a DML statement touched (the typed Result hides ``rowcount``)."""
    return int(getattr(result, "rowcount", 0) or 0)


def exported_columns(table: Table, declaration: Declaration | None) -> list[str]:
    secret = set(declaration.secret) if declaration else set()
    return [column.name for column in table.columns if column.name not in secret]
