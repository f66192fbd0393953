"""Sessions and the fail-closed tenant scope (the engine is built in ``db_engine``).

Every table that belongs to a school inherits :class:`SchoolOwned`. A session opened with
:func:`school_session` sees only that school's rows; a plain :func:`session` raises
:class:`TenantScopeMissing` on any ORM statement touching a school-owned table; :func:`unscoped`
is the one, greppable, way to work across schools (staff back office, retention jobs).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, TypeVar, cast

from sqlalchemy import Insert, Table, bindparam, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState, with_loader_criteria
from sqlalchemy.sql import ClauseElement, operators, visitors
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, ColumnClause, ColumnElement
from sqlalchemy.sql.selectable import Alias
from sqlmodel import Field, Session, SQLModel, col

from ogp_app.core.db_driver import read_alone, read_rows, write_alone
from ogp_app.core.db_engine import make_engine
from ogp_app.core.settings import get_settings

SCOPE_KEY = "ogp_school_id"
UNSCOPED_KEY = "ogp_unscoped"


class TenantScopeMissing(RuntimeError):
    """A school-owned table was queried or written without a school scope."""


class SchoolOwned(SQLModel):
    """Mixin for tables whose rows belong to exactly one school."""

    school_id: int = Field(foreign_key="school.id", index=True, nullable=False)


def _school_owned_tables() -> dict[str, type[SchoolOwned]]:
    """Table name -> model for every school-owned table (subclasses of SchoolOwned)."""
    found: dict[str, type[SchoolOwned]] = {}
    pending = list(SchoolOwned.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        table = getattr(cls, "__table__", None)
        if table is not None:
            found[table.name] = cls
    return found


# The scope hook runs on every ORM statement, so what it derives from the models is computed once:
# the owned tables (rebuilt when a table is added to the metadata, e.g. a model imported late), the
# owned models per set of table names, and the loader criterion per (model, school).
_owned_cache: tuple[int, dict[str, type[SchoolOwned]]] = (-1, {})
_owned_by_names: dict[frozenset[str], tuple[type[SchoolOwned], ...]] = {}
_criteria: dict[tuple[type[SchoolOwned], int], Any] = {}
_CRITERIA_MAX = 4096


def _owned_tables_cached() -> dict[str, type[SchoolOwned]]:
    global _owned_cache
    version = len(SQLModel.metadata.tables)
    if _owned_cache[0] != version:
        _owned_by_names.clear()
        _criteria.clear()
        _owned_cache = (version, _school_owned_tables())
    return _owned_cache[1]


def _statement_tables(state: ORMExecuteState) -> frozenset[str]:
    names = {
        el.name for el in visitors.iterate(cast(ClauseElement, state.statement)) if isinstance(el, Table)
    }
    names |= {m.local_table.name for m in state.all_mappers if hasattr(m.local_table, "name")}
    return frozenset(names)


def _school_owned_in(state: ORMExecuteState) -> tuple[type[SchoolOwned], ...]:
    """Models of every school-owned table the statement touches: selected, joined or in a subquery."""
    owned = _owned_tables_cached()
    names = _statement_tables(state)
    models = _owned_by_names.get(names)
    if models is None:
        models = tuple(owned[n] for n in sorted(names) if n in owned)
        _owned_by_names[names] = models
    return models


def _criterion(model: type[SchoolOwned], school_id: int) -> Any:
    key = (model, school_id)
    option = _criteria.get(key)
    if option is None:
        if len(_criteria) >= _CRITERIA_MAX:
            _criteria.clear()
        option = with_loader_criteria(model, col(model.school_id) == school_id, include_aliases=True)
        _criteria[key] = option
    return option


@event.listens_for(Session, "do_orm_execute")
def _apply_tenant_scope(state: ORMExecuteState) -> None:
    if state.session.info.get(UNSCOPED_KEY):
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    owned = _school_owned_in(state)
    if not owned:
        return
    school_id = state.session.info.get(SCOPE_KEY)
    if school_id is None:
        names = ", ".join(cls.__name__ for cls in owned)
        raise TenantScopeMissing(f"query on school-owned table(s) {names} without a school scope")
    state.statement = state.statement.options(*(_criterion(model, school_id) for model in owned))


@event.listens_for(Session, "before_flush")
def _check_writes_stay_in_scope(session: Session, _ctx: Any, _instances: Any) -> None:
    if session.info.get(UNSCOPED_KEY):
        return
    school_id = session.info.get(SCOPE_KEY)
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if not isinstance(obj, SchoolOwned):
            continue
        if school_id is None:
            raise TenantScopeMissing(f"write to {type(obj).__name__} without a school scope")
        if obj.school_id != school_id:
            raise TenantScopeMissing(
                f"write to {type(obj).__name__} of school {obj.school_id} inside scope of school {school_id}"
            )


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@contextmanager
def session() -> Iterator[Session]:
    """A session without school scope: fine for users, schools and sessions; raises on school data."""
    with Session(get_engine(), expire_on_commit=False) as db:
        yield db


@contextmanager
def school_session(school_id: int) -> Iterator[Session]:
    """A session that sees and writes only rows of ``school_id``."""
    if not isinstance(school_id, int) or isinstance(school_id, bool):
        raise TenantScopeMissing("school scope must be an integer id")
    with Session(get_engine(), expire_on_commit=False) as db:
        db.info[SCOPE_KEY] = school_id
        yield db


@contextmanager
def unscoped() -> Iterator[Session]:
    """The one escape hatch: a session that sees every school. Keep its uses few and reviewed."""
    with Session(get_engine(), expire_on_commit=False) as db:
        db.info[UNSCOPED_KEY] = True
        yield db


@contextmanager
def committing(db: Session) -> Iterator[None]:
    """All of the block or nothing: commit at the end, roll back on any error."""
    try:
        yield
        db.commit()
    except BaseException:
        db.rollback()
        raise


def reset_engine() -> None:
    """Drop the cached engine (tests switch databases through settings)."""
    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_engine.cache_clear()


# Hot paths (the booking rush) skip the ORM: a Core statement built once, run on the session's connection.
# The ORM hook above does not see those, so each such statement names the school itself, with this bound
# parameter, and :func:`school_statement` refuses at import time one that leaves a school-owned table out.
SCHOOL_PARAM = "school_id"
SCHOOL_ID: BindParameter[int] = bindparam(SCHOOL_PARAM)


def in_school(*sources: Any) -> list[ColumnElement[bool]]:
    """``source.school_id = :school_id`` for each table or alias: the filters a school statement needs."""
    return [source.c.school_id == SCHOOL_ID for source in sources]


Statement = TypeVar("Statement", bound=Executable)


def _filtered_by_school_param(statement: ClauseElement) -> set[Any]:
    """The FROM objects (tables and aliases) whose ``school_id`` is compared to :school_id somewhere."""
    found = set()
    for el in visitors.iterate(statement):
        if (
            isinstance(el, BinaryExpression)
            and el.operator is operators.eq
            and isinstance(el.right, BindParameter)
            and el.right.key == SCHOOL_PARAM
            and isinstance(el.left, ColumnClause)
            and el.left.name == "school_id"
        ):
            found.add(el.left.table)
    return found


# The statements school_statement passed (built once, at import: kept alive here). Only these run.
_CHECKED: dict[int, Executable] = {}


def school_statement(statement: Statement) -> Statement:
    """Check once that every school-owned table or alias in a Core SELECT is filtered by :school_id, and
    that an INSERT into one sets it from :school_id. Raises TenantScopeMissing at import otherwise."""
    _check_school_statement(statement)
    _CHECKED[id(statement)] = statement
    return statement


def _check_school_statement(statement: Executable) -> None:
    owned = set(_owned_tables_cached())
    if isinstance(statement, Insert):
        if statement.select is not None:  # INSERT ... SELECT: the select is checked like any other, and
            _check_school_statement(statement.select)  # school_id must come from one of its filtered tables
            targets = [getattr(c, "key", c) for c in statement._select_names or ()]
            if statement.table.name in owned:
                source = (
                    statement.select.selected_columns[targets.index("school_id")]
                    if "school_id" in targets
                    else None
                )
                if not (isinstance(source, ColumnClause) and source.name == "school_id"):
                    raise TenantScopeMissing(f"insert into {statement.table} without a filtered school_id")
            return
        value = statement._values.get("school_id") if statement._values else None
        if statement.table.name in owned and not (
            isinstance(value, BindParameter) and value.key == SCHOOL_PARAM
        ):
            raise TenantScopeMissing(f"insert into {statement.table} without :{SCHOOL_PARAM}")
        return
    filtered = _filtered_by_school_param(cast(ClauseElement, statement))
    for source in _sources(cast(ClauseElement, statement)):
        table = cast(Table, source.element if isinstance(source, Alias) else source)
        if table.name in owned and source not in filtered:
            raise TenantScopeMissing(f"{source.name} is not filtered by :{SCHOOL_PARAM}")
    # One table object can be rendered in several FROM clauses (a subquery that does not correlate):
    # count them in the SQL, each needs its own filter.
    sql = str(cast(ClauseElement, statement).compile())
    uses = Counter(alias or name for name, alias in _FROM_ITEM.findall(sql) if name in owned)
    for name, count in uses.items():
        if sql.count(f"{name}.school_id = :{SCHOOL_PARAM}") < count:
            raise TenantScopeMissing(f"{name} appears {count} times in FROM, not each filtered by :school_id")


_FROM_ITEM = re.compile(r"(?:\bFROM|\bJOIN|,)\s+(\w+)(?:\s+AS\s+(\w+))?(?![\w.(])")


def _sources(statement: ClauseElement) -> list[Any]:
    """Tables used directly and aliases of tables (a table seen only inside its alias is the alias's)."""
    found, stack, seen = [], [statement], set()
    while stack:
        el = stack.pop()
        if id(el) in seen:
            continue
        seen.add(id(el))
        if isinstance(el, Table) or (isinstance(el, Alias) and isinstance(el.element, Table)):
            found.append(el)
            continue
        stack.extend(el.get_children())
    return found


def execute_in_school(db: Session, statement: Executable, params: dict[str, Any]) -> Any:
    """Run a :func:`school_statement` on the session's connection with the session's school bound."""
    return db.connection().execute(statement, _with_school(db, statement, params))


def rows_in_school(db: Session, statement: Executable, params: dict[str, Any]) -> Sequence[Any]:
    """All rows of a :func:`school_statement` query with the session's school bound, straight through
    the driver on PostgreSQL (``ogp_app.core.db_driver``): in the session's transaction when it holds one,
    else on its own (autocommit: no BEGIN and ROLLBACK round trips for a read that stands alone)."""
    bound, engine = _with_school(db, statement, params), _engine_to_run_alone(db)
    return (
        read_rows(db.connection(), statement, bound)
        if engine is None
        else read_alone(engine, statement, bound)
    )


def write_alone_in_school(db: Session, statement: Executable, params: dict[str, Any]) -> Any:
    """Run a :func:`school_statement` that is a whole transaction by itself as its own transaction
    (autocommit): committed when it succeeds, nothing written when it fails, and no BEGIN and COMMIT
    round trips. Returns its first column of its first row. Inside a transaction the session already
    holds, it runs in that one instead (and the caller commits)."""
    bound, engine = _with_school(db, statement, params), _engine_to_run_alone(db)
    if engine is None:
        return db.connection().execute(statement, bound).scalar()
    return write_alone(engine, statement, bound)


def _engine_to_run_alone(db: Session) -> Engine | None:
    """The engine to run a statement on by itself, or None: the session holds a transaction (or is
    bound to a connection), and the statement belongs in it."""
    bind = db.get_bind()
    return None if db.in_transaction() or not isinstance(bind, Engine) else bind


def _with_school(db: Session, statement: Executable, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters with the session's school bound; refuses a statement school_statement did not pass."""
    if _CHECKED.get(id(statement)) is not statement:
        raise TenantScopeMissing("a Core statement must pass school_statement before it runs in a school")
    school_id = db.info.get(SCOPE_KEY)
    if school_id is None:
        raise TenantScopeMissing("school statement without a school scope")
    return {**params, SCHOOL_PARAM: school_id}
