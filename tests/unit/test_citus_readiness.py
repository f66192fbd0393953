"""Could Citus distribute OGP's tables by ``school_id``? Measured from the models, with the reasons kept
here (deploy/scaling.md explains the plan).

Citus distributes a table by one column and checks constraints shard by shard, so a distributed table
needs the distribution column in its primary key and in every unique constraint and unique index, may
not hold NULL in it, and a foreign key to another distributed table must run through it (both tables
then sit on the same shard: co-located). Foreign keys to reference tables (copied to every node, for
global tables such as ``user`` and ``school``) are fine; a reference table may not point at a
distributed one.

Every table with a ``school_id`` column is either READY or in NOT_YET with its reason and the migration
that would make it ready (or why it should stay off the distributed set). A new table in neither list
fails, and so does an entry that went stale (its table is gone, or it became ready: move it).
No primary key is changed here: this measures and documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import (
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)
from sqlmodel import SQLModel

import ogp_app.models  # noqa: F401 - registers every table

COLUMN = "school_id"


class Role(StrEnum):
    DISTRIBUTE = "distribute by school_id after the migration"
    COORDINATOR = "stay on the coordinator (a Citus local table) or become a reference table"


@dataclass(frozen=True)
class NotYet:
    role: Role
    why: str


# A surrogate ``id`` alone as the primary key: the migration is PRIMARY KEY (school_id, id) and every
# foreign key that points here becomes (school_id, <table>_id) -> (school_id, id).
_ID_KEY = "primary key is the surrogate id alone; migration: PRIMARY KEY (school_id, id)"
# ... and unique constraints on ids without school_id: ids are unique installation-wide, so adding
# school_id in front changes no answer; the constraint only becomes checkable per shard.
_ID_KEY_AND_UNIQUES = _ID_KEY + ", and school_id added in front of its unique constraints"

READY: frozenset[str] = frozenset()  # none yet: every table keys on a surrogate id (measured 2026-12)

NOT_YET: dict[str, NotYet] = {
    # The roster: a school's own rows, reached by its staff and families within the school.
    "school_class": NotYet(Role.DISTRIBUTE, _ID_KEY + "; unique (school_id, name) is ready"),
    "teacher": NotYet(Role.DISTRIBUTE, _ID_KEY + "; unique (school_id, email) is ready"),
    "class_teacher": NotYet(Role.DISTRIBUTE, _ID_KEY_AND_UNIQUES + " (class_id, teacher_id, subject)"),
    "household": NotYet(Role.DISTRIBUTE, _ID_KEY),
    "guardian": NotYet(Role.DISTRIBUTE, _ID_KEY + "; unique (school_id, email) is ready"),
    "pupil": NotYet(Role.DISTRIBUTE, _ID_KEY + "; unique (school_id, pupil_number) is ready"),
    "pupil_guardian": NotYet(Role.DISTRIBUTE, _ID_KEY_AND_UNIQUES + " (pupil_id, guardian_id)"),
    "roster_mapping": NotYet(Role.DISTRIBUTE, _ID_KEY + "; unique (school_id, name) is ready"),
    "membership": NotYet(
        Role.DISTRIBUTE,
        _ID_KEY + "; unique (school_id, user_id, role) is ready. A person's schools at log-in are read "
        "by user_id across shards (a fan-out query, or a small per-user index table on the coordinator)",
    ),
    "school_identity_provider": NotYet(Role.DISTRIBUTE, _ID_KEY + "; unique (school_id) is ready"),
    # Rounds and bookings: the rush. These are the tables that make a second machine worth it.
    "conference_round": NotYet(Role.DISTRIBUTE, _ID_KEY),
    "round_class": NotYet(Role.DISTRIBUTE, _ID_KEY_AND_UNIQUES + " (round_id, class_id)"),
    "round_day": NotYet(Role.DISTRIBUTE, _ID_KEY_AND_UNIQUES + " (round_id, day)"),
    "round_teacher": NotYet(Role.DISTRIBUTE, _ID_KEY_AND_UNIQUES + " (round_id, teacher_id)"),
    "teacher_availability": NotYet(Role.DISTRIBUTE, _ID_KEY_AND_UNIQUES + " (day_id, teacher_id)"),
    "teacher_break": NotYet(Role.DISTRIBUTE, _ID_KEY),
    "slot": NotYet(
        Role.DISTRIBUTE,
        _ID_KEY_AND_UNIQUES + " (round_id, teacher_id, starts_at); unique (id, school_id, round_id, "
        "teacher_id), the target of booking's foreign key, is ready",
    ),
    "booking": NotYet(
        Role.DISTRIBUTE,
        _ID_KEY + "; the two partial unique indexes that stop double bookings (slot_id; round_id, "
        "teacher_id, pupil_id, household_key) get school_id in front; the foreign key to slot already "
        "runs through school_id",
    ),
    "family_reminder": NotYet(Role.DISTRIBUTE, _ID_KEY),
    # Online conversations: reached with the booking or the school, never across schools.
    "school_video_service": NotYet(Role.DISTRIBUTE, _ID_KEY + "; unique (school_id) is ready"),
    "teacher_video_link": NotYet(Role.DISTRIBUTE, _ID_KEY_AND_UNIQUES + " (teacher_id)"),
    "conversation_room": NotYet(
        Role.DISTRIBUTE,
        _ID_KEY_AND_UNIQUES + " (booking_id) and (room); a room name is unique installation-wide by "
        "its 160 random bits, so the unique index per school loses nothing",
    ),
    "conversation_join": NotYet(Role.DISTRIBUTE, _ID_KEY_AND_UNIQUES + " (booking_id, household_id)"),
    "conversation_outcome": NotYet(Role.DISTRIBUTE, _ID_KEY_AND_UNIQUES + " (booking_id)"),
    "review": NotYet(Role.DISTRIBUTE, _ID_KEY_AND_UNIQUES + " (author_user_id, round_id)"),
    "staff_access_log": NotYet(
        Role.DISTRIBUTE,
        _ID_KEY + "; a person's own view (/privacy/me) reads it by subject_user_id across schools: a "
        "fan-out query, rare and small",
    ),
    # Billing: a few rows per school a year, looked up by Stripe's ids, which name no school.
    "subscription": NotYet(
        Role.COORDINATOR,
        "webhooks find it by stripe_subscription_id (unique installation-wide, no school known yet); "
        "one row per school: small enough to stay on the coordinator",
    ),
    "invoice": NotYet(
        Role.COORDINATOR,
        "the invoice number is unique across the installation (one unbroken series per supplier, "
        "as Dutch invoices require) and webhooks find it by stripe_invoice_id: not checkable per shard",
    ),
    "processed_stripe_event": NotYet(
        Role.COORDINATOR,
        "Stripe's event_id is unique installation-wide and school_id is NULL for events about no "
        "school: it is the webhook's idempotency record, not a school's data",
    ),
    # Rows found by a token or a person, before any school is known; school_id is a pointer there
    # (NULL for a person's own rows), and these tables are not SchoolOwned (no tenant scope).
    "auth_session": NotYet(
        Role.COORDINATOR,
        "found by the hash of the cookie alone (unique token_hash, no school in the request) and "
        "school_id is NULL before a school is chosen; read on every request, so it stays on one node",
    ),
    "one_time_token": NotYet(
        Role.COORDINATOR,
        "found by the hash of an e-mailed link's token (unique token_hash); school_id is NULL for "
        "account links (password reset, e-mail change)",
    ),
    "export_download": NotYet(
        Role.COORDINATOR,
        "found by the hash of a download link's token (unique token_hash); school_id is NULL for a "
        "person's own export",
    ),
    "oidc_login_attempt": NotYet(
        Role.COORDINATOR,
        "the provider's callback is found by the hash of its state (unique state_hash) before the "
        "school is known; to distribute it, the callback path would have to carry the school",
    ),
    "outbox_message": NotYet(
        Role.COORDINATOR,
        "school_id is NULL for account mail (sign-in links, a person's deletion) and the mail worker "
        "takes due mail across all schools; to distribute it, split it into school and account outboxes",
    ),
    "audit_event": NotYet(
        Role.COORDINATOR,
        "school_id is NULL for a person's own events (log-ins, password changes); to distribute the "
        "school part, split it, as outbox_message",
    ),
    "policy_acceptance": NotYet(
        Role.COORDINATOR,
        "school_id is NULL for a person's acceptance of the privacy statement (set only for a "
        "school's processor agreement); small, read by user_id",
    ),
}


def _columns(item: UniqueConstraint | Index) -> list[str]:
    return [column.name for column in item.columns]


def blockers(table: Table) -> list[str]:
    """What stops Citus distributing ``table`` by school_id; empty when it is ready."""
    found = []
    key = [column.name for column in table.primary_key.columns]
    if COLUMN not in key:
        found.append(f"primary key ({', '.join(key)}) lacks {COLUMN}")
    if table.c[COLUMN].nullable:
        found.append(f"{COLUMN} may be NULL")
    uniques: list[UniqueConstraint | Index] = [
        c for c in table.constraints if isinstance(c, UniqueConstraint)
    ]
    uniques += [index for index in table.indexes if index.unique]
    for unique in uniques:
        if COLUMN not in _columns(unique):
            found.append(f"unique ({', '.join(_columns(unique))}) lacks {COLUMN}")
    for column in table.columns:
        if column.unique and not any(_columns(u) == [column.name] for u in uniques):
            found.append(f"unique ({column.name}) lacks {COLUMN}")
    for foreign in table.foreign_key_constraints:
        target = foreign.referred_table
        if COLUMN not in target.c:  # school, user: reference tables, any foreign key will do
            continue
        pairs = {element.parent.name: element.column.name for element in foreign.elements}
        if pairs.get(COLUMN) != COLUMN:
            found.append(f"foreign key ({', '.join(pairs)}) -> {target.name} does not run through {COLUMN}")
    return found


def _tables_with_school_id() -> dict[str, Table]:
    return {name: table for name, table in SQLModel.metadata.tables.items() if COLUMN in table.c}


def test_every_table_with_a_school_id_is_ready_or_has_a_reason() -> None:
    tables = _tables_with_school_id()
    assert {"booking", "pupil", "auth_session"} <= tables.keys()  # the scan sees real tables
    unlisted = sorted(tables.keys() - READY - NOT_YET.keys())
    assert unlisted == [], (
        f"new table(s) with {COLUMN}: {unlisted}. Put {COLUMN} in the primary key and every unique "
        "constraint (see deploy/scaling.md), or add them to NOT_YET here with the reason"
    )
    assert READY.isdisjoint(NOT_YET)


def test_ready_tables_are_ready() -> None:
    tables = _tables_with_school_id()
    assert {name: blockers(tables[name]) for name in READY} == {name: [] for name in READY}


def test_the_measure_tells_a_ready_table_from_one_that_is_not() -> None:
    """READY is empty today, so the measure itself is checked on two made-up tables."""
    meta = MetaData()
    Table("parent", meta, Column(COLUMN, Integer, primary_key=True), Column("id", Integer, primary_key=True))
    ready = Table(
        "child",
        meta,
        Column(COLUMN, Integer, primary_key=True),
        Column("id", Integer, primary_key=True),
        Column("parent_id", Integer, nullable=False),
        Column("code", String, nullable=False),
        UniqueConstraint(COLUMN, "code"),
        ForeignKeyConstraint([COLUMN, "parent_id"], ["parent.school_id", "parent.id"]),
    )
    legacy = Table(
        "legacy",
        meta,
        Column("id", Integer, primary_key=True),
        Column(COLUMN, Integer, nullable=True),
        Column("parent_id", Integer, ForeignKey("parent.id")),
        Column("token", String, unique=True),
        Index("ux_legacy_parent", "parent_id", unique=True),
    )
    assert blockers(ready) == []
    assert blockers(legacy) == [
        f"primary key (id) lacks {COLUMN}",
        f"{COLUMN} may be NULL",
        f"unique (token) lacks {COLUMN}",
        f"unique (parent_id) lacks {COLUMN}",
        f"foreign key (parent_id) -> parent does not run through {COLUMN}",
    ]


def test_no_reason_has_gone_stale() -> None:
    tables = _tables_with_school_id()
    gone = sorted(NOT_YET.keys() - tables.keys())
    assert gone == [], f"NOT_YET names tables that no longer exist (or lost {COLUMN}): {gone}"
    now_ready = sorted(name for name in NOT_YET if not blockers(tables[name]))
    assert now_ready == [], f"these became ready: move them from NOT_YET to READY: {now_ready}"


def test_no_global_table_points_at_a_school_table() -> None:
    """A table without school_id becomes a reference table, and Citus refuses a reference table's
    foreign key to a distributed one."""
    pointing = sorted(
        f"{table.name} -> {foreign.referred_table.name}"
        for table in SQLModel.metadata.tables.values()
        if COLUMN not in table.c
        for foreign in table.foreign_key_constraints
        if COLUMN in foreign.referred_table.c
    )
    assert pointing == []


def test_foreign_keys_fit_the_plan() -> None:
    """Citus refuses a foreign key from a table left on the coordinator to a distributed one, and the
    other way round: the two sets may meet only through reference tables (school, user)."""
    tables = _tables_with_school_id()
    crossing = sorted(
        f"{name} -> {foreign.referred_table.name}"
        for name, table in tables.items()
        for foreign in table.foreign_key_constraints
        if foreign.referred_table.name in tables and _role(name) != _role(foreign.referred_table.name)
    )
    assert crossing == []


def _role(name: str) -> Role:
    return NOT_YET[name].role if name in NOT_YET else Role.DISTRIBUTE
