"""Online conversations on the school's own video service: how links are made, and who joins online.

OGP never talks to the video service: it only writes links into pages, mails and calendar files.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field

from ogp_app.core.db import SchoolOwned
from ogp_app.models.base import timestamp_field

ON_SITE, ONLINE, FAMILY_CHOICE = "on_site", "online", "family_choice"  # a round's (or teacher's) mode
CONVERSATION_MODES = (ON_SITE, ONLINE, FAMILY_CHOICE)
JITSI, TEACHER_LINK = "jitsi", "teacher_link"  # how the school's links are made
VIDEO_KINDS = (JITSI, TEACHER_LINK)


class SchoolVideoService(SchoolOwned, table=True):
    """The school's choice: a self-hosted Jitsi Meet (a room per conversation) or each teacher's link."""

    __tablename__ = "school_video_service"
    __table_args__ = (
        UniqueConstraint("school_id", name="uq_school_video_service_school"),
        CheckConstraint("kind IN ('jitsi', 'teacher_link')", name="kind"),
        CheckConstraint("kind <> 'jitsi' OR jitsi_base_url IS NOT NULL", name="jitsi_url"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    jitsi_base_url: str | None = Field(default=None, max_length=300)
    updated_at: datetime = timestamp_field()


class TeacherVideoLink(SchoolOwned, table=True):
    """The fixed meeting link a teacher pasted (Teams, Meet, ...), for schools that chose teacher links."""

    __tablename__ = "teacher_video_link"
    __table_args__ = (UniqueConstraint("teacher_id", name="uq_teacher_video_link_teacher"),)

    id: int | None = Field(default=None, primary_key=True)
    teacher_id: int = Field(foreign_key="teacher.id", ondelete="CASCADE")
    url: str = Field(max_length=500)
    updated_at: datetime = timestamp_field()


class ConversationRoom(SchoolOwned, table=True):
    """The unguessable Jitsi room of one booked conversation; goes with the booking (cascade)."""

    __tablename__ = "conversation_room"
    __table_args__ = (
        UniqueConstraint("booking_id", name="uq_conversation_room_booking"),
        UniqueConstraint("room", name="uq_conversation_room_room"),
    )

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", ondelete="CASCADE")
    room: str = Field(max_length=64)
    created_at: datetime = timestamp_field()


class ConversationJoin(SchoolOwned, table=True):
    """How one household joins a booked conversation where the family chooses: online or at school.

    Per household, so a separated parent in a joint conversation can join online while the other comes.
    No row: at school.
    """

    __tablename__ = "conversation_join"
    __table_args__ = (UniqueConstraint("booking_id", "household_id", name="uq_conversation_join_household"),)

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", index=True, ondelete="CASCADE")
    household_id: int = Field(foreign_key="household.id", index=True, ondelete="CASCADE")
    online: bool = Field(default=False)
    chosen_by_user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    updated_at: datetime = timestamp_field()
