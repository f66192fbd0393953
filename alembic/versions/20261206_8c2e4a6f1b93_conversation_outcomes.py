"""conversation outcomes: attendance and the teacher's note per booking; school.share_summaries

Revision ID: 8c2e4a6f1b93
Revises: 3f9c1b7d2e60
Create Date: 2026-12-06 05:37:31.810499
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import ogp_app.models.base
from alembic import op

revision: str = "8c2e4a6f1b93"
down_revision: str | None = "3f9c1b7d2e60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conversation_outcome",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("attendance", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("family_summary", sa.Text(), server_default="", nullable=False),
        sa.Column("written_by_user_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", ogp_app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "attendance IS NULL OR attendance IN ('held', 'no_show', 'moved')",
            name=op.f("ck_conversation_outcome_attendance"),
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
            name=op.f("fk_conversation_outcome_booking_id_booking"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_conversation_outcome_school_id_school")
        ),
        sa.ForeignKeyConstraint(
            ["written_by_user_id"],
            ["user.id"],
            name=op.f("fk_conversation_outcome_written_by_user_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_outcome")),
        sa.UniqueConstraint("booking_id", name="uq_conversation_outcome_booking"),
    )
    with op.batch_alter_table("conversation_outcome", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversation_outcome_school_id"), ["school_id"], unique=False)

    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("share_summaries", sa.Boolean(), server_default=sa.text("false"), nullable=False)
        )



def downgrade() -> None:
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.drop_column("share_summaries")

    with op.batch_alter_table("conversation_outcome", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_outcome_school_id"))

    op.drop_table("conversation_outcome")
