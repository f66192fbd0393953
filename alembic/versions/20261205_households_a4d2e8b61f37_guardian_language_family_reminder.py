"""guardian.language (from the roster import) and family_reminder ("please book" mails per pupil/household)

Revision ID: a4d2e8b61f37
Revises: c5a8e7f3b1d4
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel

import ogp_app.models.base
from alembic import op

revision: str = "a4d2e8b61f37"
down_revision: str | None = "c5a8e7f3b1d4"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("guardian") as batch:
        batch.add_column(sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True))
    op.create_table(
        "family_reminder",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("household_key", sa.Integer(), nullable=False),
        sa.Column("sent_at", ogp_app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_by_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["conference_round.id"],
            name=op.f("fk_family_reminder_round_id_conference_round"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupil.id"], name=op.f("fk_family_reminder_pupil_id_pupil"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_family_reminder_school_id_school")
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_user_id"],
            ["user.id"],
            name=op.f("fk_family_reminder_sent_by_user_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_reminder")),
    )
    with op.batch_alter_table("family_reminder") as batch:
        batch.create_index("ix_family_reminder_round_pupil", ["round_id", "pupil_id"], unique=False)
        batch.create_index(batch.f("ix_family_reminder_pupil_id"), ["pupil_id"], unique=False)
        batch.create_index(batch.f("ix_family_reminder_school_id"), ["school_id"], unique=False)
        batch.create_index(batch.f("ix_family_reminder_sent_by_user_id"), ["sent_by_user_id"], unique=False)


def downgrade() -> None:
    op.drop_table("family_reminder")
    with op.batch_alter_table("guardian") as batch:
        batch.drop_column("language")
