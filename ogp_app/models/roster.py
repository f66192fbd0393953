"""A school's roster: classes, teachers, pupils, guardians and the households they live in.

Rows come from a roster import or the manual management pages. A guardian or teacher is a roster
entry first; ``user_id`` links it to an account once the person accepts an invitation.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field

from ogp_app.core.db import SchoolOwned
from ogp_app.models.base import timestamp_field

JOINT, PER_HOUSEHOLD = "joint", "per_household"  # a pupil's meeting mode (Pupil.meeting_mode)
MEETING_MODES = (PER_HOUSEHOLD, JOINT)


class SchoolClass(SchoolOwned, table=True):
    """A groep (primary) or klas (secondary)."""

    __tablename__ = "school_class"
    __table_args__ = (UniqueConstraint("school_id", "name", name="uq_school_class_school_name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=60)
    created_at: datetime = timestamp_field()
    archived_at: datetime | None = timestamp_field(nullable=True)


class Teacher(SchoolOwned, table=True):
    """A teacher on the roster; may or may not have accepted an invitation yet."""

    __table_args__ = (UniqueConstraint("school_id", "email", name="uq_teacher_school_email"),)

    id: int | None = Field(default=None, primary_key=True)
    display_name: str = Field(max_length=200)
    email: str = Field(max_length=254)  # lower-case
    default_room: str | None = Field(default=None, max_length=60)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="SET NULL")
    created_at: datetime = timestamp_field()
    archived_at: datetime | None = timestamp_field(nullable=True)


class ClassTeacher(SchoolOwned, table=True):
    """Who teaches a class: the mentor/groepsleerkracht (subject None) or a subject teacher."""

    __tablename__ = "class_teacher"
    __table_args__ = (
        UniqueConstraint("class_id", "teacher_id", "subject", name="uq_class_teacher_class_teacher_subject"),
    )

    id: int | None = Field(default=None, primary_key=True)
    class_id: int = Field(foreign_key="school_class.id", index=True, ondelete="CASCADE")
    teacher_id: int = Field(foreign_key="teacher.id", index=True, ondelete="CASCADE")
    subject: str | None = Field(default=None, max_length=60)


class Household(SchoolOwned, table=True):
    """Guardians who live together and book together. Separated parents are two households."""

    id: int | None = Field(default=None, primary_key=True)
    label: str = Field(max_length=200)  # e.g. the guardians' names; shown to school staff only
    created_at: datetime = timestamp_field()


class Guardian(SchoolOwned, table=True):
    """A parent or carer (ouder/verzorger); one row per e-mail address per school."""

    __table_args__ = (UniqueConstraint("school_id", "email", name="uq_guardian_school_email"),)

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="household.id", index=True)
    display_name: str = Field(max_length=200)
    email: str = Field(max_length=254)  # lower-case
    # The language the school's file gives (ISO 639 code, e.g. "nl", "tr"); None: not given. Mail goes
    # in it when the app speaks it, else in Dutch (services.roster_import.languages).
    language: str | None = Field(default=None, max_length=3)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="SET NULL")
    created_at: datetime = timestamp_field()
    archived_at: datetime | None = timestamp_field(nullable=True)


class Pupil(SchoolOwned, table=True):
    """A child. Only what a conversation needs: number, name and class."""

    __table_args__ = (
        UniqueConstraint("school_id", "pupil_number", name="uq_pupil_school_pupil_number"),
        CheckConstraint("meeting_mode IN ('joint', 'per_household')", name="meeting_mode"),
    )

    id: int | None = Field(default=None, primary_key=True)
    pupil_number: str | None = Field(default=None, max_length=40)  # leerlingnummer; NULLs may repeat
    first_name: str = Field(max_length=100)  # roepnaam
    name_prefix: str | None = Field(default=None, max_length=30)  # tussenvoegsel
    last_name: str = Field(max_length=150)
    class_id: int = Field(foreign_key="school_class.id", index=True)
    # Siblings share a family through shared guardian e-mails; recomputed on import.
    family_key: int | None = Field(default=None, index=True)
    meeting_mode: str = Field(default="joint", max_length=20)  # or one meeting per household
    created_at: datetime = timestamp_field()
    archived_at: datetime | None = timestamp_field(nullable=True)


class PupilGuardian(SchoolOwned, table=True):
    __tablename__ = "pupil_guardian"
    __table_args__ = (UniqueConstraint("pupil_id", "guardian_id", name="uq_pupil_guardian_pupil_guardian"),)

    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True, ondelete="CASCADE")
    guardian_id: int = Field(foreign_key="guardian.id", index=True, ondelete="CASCADE")


class RosterMapping(SchoolOwned, table=True):
    """A column mapping a school saved for its next import (JSON: source header -> field)."""

    __tablename__ = "roster_mapping"
    __table_args__ = (UniqueConstraint("school_id", "name", name="uq_roster_mapping_school_name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    mapping_json: str
    updated_at: datetime = timestamp_field()
