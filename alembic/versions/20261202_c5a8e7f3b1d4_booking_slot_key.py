"""booking: one foreign key to its slot (slot, school, round and teacher together)

A booking locks only its slot row while its transaction runs, instead of the school's, the round's and the
teacher's rows that every booking of a rush shares; and the database holds the booking's school, round and
teacher to its slot's. booking.round_id loses its own index (ix_booking_round_teacher starts with it).

Revision ID: c5a8e7f3b1d4
Revises: b7e2c41d9a03
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision: str = "c5a8e7f3b1d4"
down_revision: str | None = "b7e2c41d9a03"
branch_labels: str | None = None
depends_on: str | None = None

_SINGLE = (
    ("fk_booking_school_id_school", "school", "school_id", None),
    ("fk_booking_round_id_conference_round", "conference_round", "round_id", "CASCADE"),
    ("fk_booking_slot_id_slot", "slot", "slot_id", "CASCADE"),
    ("fk_booking_teacher_id_teacher", "teacher", "teacher_id", "CASCADE"),
)


def upgrade() -> None:
    with op.batch_alter_table("slot") as batch:
        batch.create_unique_constraint("uq_slot_booking_key", ["id", "school_id", "round_id", "teacher_id"])
    with op.batch_alter_table("booking") as batch:
        for name, _table, _column, _ondelete in _SINGLE:
            batch.drop_constraint(name, type_="foreignkey")
        batch.drop_index("ix_booking_round_id")
        batch.create_foreign_key(
            "fk_booking_slot_key",
            "slot",
            ["slot_id", "school_id", "round_id", "teacher_id"],
            ["id", "school_id", "round_id", "teacher_id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("booking") as batch:
        batch.drop_constraint("fk_booking_slot_key", type_="foreignkey")
        batch.create_index("ix_booking_round_id", ["round_id"])
        for name, table, column, ondelete in _SINGLE:
            batch.create_foreign_key(name, table, [column], ["id"], ondelete=ondelete)
    with op.batch_alter_table("slot") as batch:
        batch.drop_constraint("uq_slot_booking_key", type_="unique")
