"""staff access subject and booking retention

Revision ID: 8d1c9ca10ef9
Revises: 79e9fccc6e0d
Create Date: 2026-11-25 15:27:23.318313
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "8d1c9ca10ef9"
down_revision: str | None = "79e9fccc6e0d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("booking_retention_months", sa.Integer(), server_default="12", nullable=False)
        )
        batch_op.create_check_constraint(
            op.f("ck_school_booking_retention_months"), "booking_retention_months IN (3, 6, 12, 24)"
        )

    with op.batch_alter_table("staff_access_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject_user_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_staff_access_log_subject_user_id"), ["subject_user_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_staff_access_log_subject_user_id_user"),
            "user",
            ["subject_user_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_access_log", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_staff_access_log_subject_user_id_user"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_staff_access_log_subject_user_id"))
        batch_op.drop_column("subject_user_id")

    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_school_booking_retention_months"), type_="check")
        batch_op.drop_column("booking_retention_months")
