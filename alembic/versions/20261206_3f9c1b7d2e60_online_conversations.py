"""online conversations: the school's video service, a round's (or teacher's) mode, rooms, join choices

Revision ID: 3f9c1b7d2e60
Revises: a1d0c7e5f2b9
Create Date: 2026-12-06 05:10:01.672386
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import ogp_app.models.base
from alembic import op

revision: str = "3f9c1b7d2e60"
down_revision: str | None = "a1d0c7e5f2b9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "school_video_service",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("jitsi_base_url", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("updated_at", ogp_app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind <> 'jitsi' OR jitsi_base_url IS NOT NULL", name=op.f("ck_school_video_service_jitsi_url")
        ),
        sa.CheckConstraint("kind IN ('jitsi', 'teacher_link')", name=op.f("ck_school_video_service_kind")),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_school_video_service_school_id_school")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_video_service")),
        sa.UniqueConstraint("school_id", name="uq_school_video_service_school"),
    )
    with op.batch_alter_table("school_video_service", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_school_video_service_school_id"), ["school_id"], unique=False)

    op.create_table(
        "teacher_video_link",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("teacher_id", sa.Integer(), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("updated_at", ogp_app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_teacher_video_link_school_id_school")
        ),
        sa.ForeignKeyConstraint(
            ["teacher_id"],
            ["teacher.id"],
            name=op.f("fk_teacher_video_link_teacher_id_teacher"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teacher_video_link")),
        sa.UniqueConstraint("teacher_id", name="uq_teacher_video_link_teacher"),
    )
    with op.batch_alter_table("teacher_video_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_teacher_video_link_school_id"), ["school_id"], unique=False)

    op.create_table(
        "conversation_join",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("chosen_by_user_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", ogp_app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
            name=op.f("fk_conversation_join_booking_id_booking"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["chosen_by_user_id"],
            ["user.id"],
            name=op.f("fk_conversation_join_chosen_by_user_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_conversation_join_household_id_household"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_conversation_join_school_id_school")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_join")),
        sa.UniqueConstraint("booking_id", "household_id", name="uq_conversation_join_household"),
    )
    with op.batch_alter_table("conversation_join", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversation_join_booking_id"), ["booking_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_conversation_join_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_conversation_join_school_id"), ["school_id"], unique=False)

    op.create_table(
        "conversation_room",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("room", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", ogp_app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
            name=op.f("fk_conversation_room_booking_id_booking"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_conversation_room_school_id_school")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_room")),
        sa.UniqueConstraint("booking_id", name="uq_conversation_room_booking"),
        sa.UniqueConstraint("room", name="uq_conversation_room_room"),
    )
    with op.batch_alter_table("conversation_room", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversation_room_school_id"), ["school_id"], unique=False)

    with op.batch_alter_table("conference_round", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "conversation_mode",
                sqlmodel.sql.sqltypes.AutoString(length=20),
                server_default="on_site",
                nullable=False,
            )
        )
        batch_op.create_check_constraint(
            op.f("ck_conference_round_conversation_mode"),
            "conversation_mode IN ('on_site', 'online', 'family_choice')",
        )

    with op.batch_alter_table("round_teacher", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("conversation_mode", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        )
        batch_op.create_check_constraint(
            op.f("ck_round_teacher_conversation_mode"),
            "conversation_mode IS NULL OR conversation_mode IN ('on_site', 'online', 'family_choice')",
        )



def downgrade() -> None:
    with op.batch_alter_table("round_teacher", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_round_teacher_conversation_mode"), type_="check")
        batch_op.drop_column("conversation_mode")

    with op.batch_alter_table("conference_round", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_conference_round_conversation_mode"), type_="check")
        batch_op.drop_column("conversation_mode")

    with op.batch_alter_table("conversation_room", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_room_school_id"))

    op.drop_table("conversation_room")
    with op.batch_alter_table("conversation_join", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_join_school_id"))
        batch_op.drop_index(batch_op.f("ix_conversation_join_household_id"))
        batch_op.drop_index(batch_op.f("ix_conversation_join_booking_id"))

    op.drop_table("conversation_join")
    with op.batch_alter_table("teacher_video_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_teacher_video_link_school_id"))

    op.drop_table("teacher_video_link")
    with op.batch_alter_table("school_video_service", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_school_video_service_school_id"))

    op.drop_table("school_video_service")
