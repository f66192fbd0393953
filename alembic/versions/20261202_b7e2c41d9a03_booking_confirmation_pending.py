"""booking.confirmation_pending (a parent's confirmation is rendered after the commit); no booking school index

Revision ID: b7e2c41d9a03
Revises: 8d1c9ca10ef9
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision: str = "b7e2c41d9a03"
down_revision: str | None = "8d1c9ca10ef9"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("booking") as batch:
        # a lookup by school alone misleads the planner at the start of a rush (see models/bookings.py)
        batch.drop_index("ix_booking_school_id")
        batch.add_column(
            sa.Column("confirmation_pending", sa.Boolean(), server_default=sa.text("false"), nullable=False)
        )
        batch.create_index(
            "ix_booking_confirmation_pending",
            ["id"],
            sqlite_where=sa.text("confirmation_pending"),
            postgresql_where=sa.text("confirmation_pending"),
        )


def downgrade() -> None:
    with op.batch_alter_table("booking") as batch:
        batch.create_index("ix_booking_school_id", ["school_id"])
        batch.drop_index("ix_booking_confirmation_pending")
        batch.drop_column("confirmation_pending")
