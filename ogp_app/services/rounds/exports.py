"""Printable and downloadable schedules of a round.

- For a teacher (or an admin looking at one teacher): the door list (every time, its pupil or "vrij", class;
  no notes and no guardians: it hangs on the classroom door) and the schedule (time, pupil, class, guardians,
  note); the room once in the heading.
- For the school admin: the whole round as CSV (one row per booking; UTF-8 with BOM and ``;`` so Dutch Excel
  opens it; every cell through :func:`safe_csv_cell`) and as PDF per teacher or per room.

Times are Europe/Amsterdam wall-clock times; texts in the reader's language.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlmodel import Session, col, select

from ogp_app.i18n import translate
from ogp_app.models import Booking, Pupil, RoundTeacher, SchoolClass, Slot, Teacher
from ogp_app.services.formats.csv_safety import safe_csv_cell
from ogp_app.services.formats.pdf_layout import heading, table, unicode_document
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.clock import format_when, hhmm
from ogp_app.services.rounds.people import full_name
from ogp_app.services.rounds.setup import get_round
from ogp_app.services.rounds.views import Evening, EveningRow, _guardian_names

AUTHOR = "Oudergesprekplanner"
TeacherKind = Literal["door", "schedule"]
Grouping = Literal["teacher", "room"]


def _tr(key: str, language: str, **values: object) -> str:
    return translate(f"export.{key}", language, **values)


def _day(instant: datetime, language: str) -> str:
    return format_when(instant, language, "EEEE d MMMM y")


def _time(start: datetime, end: datetime) -> str:
    return f"{hhmm(start)}-{hhmm(end)}"


# --- one teacher --------------------------------------------------------------------------------------


def teacher_pdf(evening: Evening, *, kind: TeacherKind, language: str) -> bytes:
    """The door list or the schedule of one teacher's conversations in a round, one day after another.

    Every time of the evening appears once, booked or not (the door shows when the teacher is free too);
    the room once, in the heading.
    """
    title = _tr("door_title" if kind == "door" else "schedule_title", language)
    pdf = unicode_document(title=f"{title} - {evening.teacher_name}", author=AUTHOR)
    pdf.add_page()
    heading(
        pdf, title, sub=" - ".join(p for p in (evening.round_name, evening.teacher_name, evening.room) if p)
    )
    for _day_value, rows in evening.days:
        if not rows:
            continue
        heading(pdf, _day(rows[0].starts_at, language), size=12)

        def who(r: EveningRow) -> str:
            return r.pupil if r.status == "booked" else _tr(r.status, language)

        if kind == "door":
            table(
                pdf,
                [_tr(k, language) for k in ("col.time", "col.pupil", "col.class")],
                [[_time(r.starts_at, r.ends_at), who(r), r.class_name] for r in rows],
                widths=(2, 6, 2),
                font_size=12,
                empty=_tr("none", language),
            )
        else:
            table(
                pdf,
                [_tr(f"col.{k}", language) for k in ("time", "pupil", "class", "guardians", "note")],
                [[_time(r.starts_at, r.ends_at), who(r), r.class_name, r.guardians, r.note] for r in rows],
                widths=(2.2, 3.8, 1.8, 3.9, 4.7),
                font_size=9,
                empty=_tr("none", language),
            )
        pdf.ln(4)
    if not evening.days:
        table(pdf, [], [], widths=(1,), empty=_tr("none", language))
    return bytes(pdf.output())


def teacher_filename(evening: Evening, kind: TeacherKind, language: str) -> str:
    return f"{_tr('door_file' if kind == 'door' else 'schedule_file', language)}-{evening.round_id}.pdf"


# --- the whole round (admin) --------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleRow:
    starts_at: datetime
    ends_at: datetime
    teacher: str
    room: str
    pupil: str
    class_name: str
    guardians: str
    note: str


@dataclass(frozen=True)
class RoundSchedule:
    round_id: int
    round_name: str
    teachers: list[tuple[str, str]]  # (name, room) of every teacher in the round
    rows: list[ScheduleRow]  # active bookings, by time then teacher


def round_schedule(db: Session, *, actor: Actor, round_id: object) -> RoundSchedule:
    """Every active booking of a round, for the school's admin only."""
    actor.require_admin()
    rnd = get_round(db, round_id)
    assert rnd.id is not None
    rooms = {
        rt.teacher_id: rt.room or ""
        for rt in db.exec(select(RoundTeacher).where(RoundTeacher.round_id == rnd.id))
    }
    teachers = {
        t.id: t.display_name for t in db.exec(select(Teacher).where(col(Teacher.id).in_(list(rooms))))
    }
    classes = {c.id: c.name for c in db.exec(select(SchoolClass))}
    found = db.exec(
        select(Booking, Slot, Pupil)
        .join(Slot, col(Slot.id) == col(Booking.slot_id))
        .join(Pupil, col(Pupil.id) == col(Booking.pupil_id))
        .where(Booking.round_id == rnd.id, col(Booking.cancelled_at).is_(None))
        .order_by(col(Slot.starts_at), col(Booking.teacher_id))
    ).all()
    rows = [
        ScheduleRow(
            slot.starts_at,
            slot.ends_at,
            teachers.get(booking.teacher_id, ""),
            rooms.get(booking.teacher_id, ""),
            full_name(pupil),
            classes.get(pupil.class_id, ""),
            _guardian_names(db, booking.pupil_id, booking.household_key),
            booking.note or "",
        )
        for booking, slot, pupil in found
    ]
    roster = sorted(((teachers.get(tid, ""), room) for tid, room in rooms.items()), key=lambda t: t[0])
    return RoundSchedule(rnd.id, rnd.name, roster, rows)


CSV_COLUMNS = ("day", "start", "end", "teacher", "room", "pupil", "class", "guardians", "note")


def schedule_csv(schedule: RoundSchedule, *, language: str) -> bytes:
    """One row per booking; UTF-8 with BOM and ``;`` (what Excel expects in the Netherlands)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([_tr(f"csv.{c}", language) for c in CSV_COLUMNS])
    for r in schedule.rows:
        values = (
            format_when(r.starts_at, language, "dd-MM-y"),
            hhmm(r.starts_at),
            hhmm(r.ends_at),
            r.teacher,
            r.room,
            r.pupil,
            r.class_name,
            r.guardians,
            r.note,
        )
        writer.writerow([safe_csv_cell(v) for v in values])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def round_pdf(schedule: RoundSchedule, *, group_by: Grouping, language: str) -> bytes:
    """The round's schedule with one page per teacher (every teacher of the round) or per room."""
    title = _tr("by_teacher_title" if group_by == "teacher" else "by_room_title", language)
    pdf = unicode_document(title=f"{title} - {schedule.round_name}", author=AUTHOR)
    if group_by == "teacher":
        groups = [(name, room) for name, room in schedule.teachers]
        pick = {g: [r for r in schedule.rows if (r.teacher, r.room) == g] for g in groups}
        sections = [(name, room, pick[(name, room)]) for name, room in groups]
    else:
        rooms = sorted({room for _name, room in schedule.teachers})
        sections = [
            (
                room or _tr("no_room", language),
                "",
                [r for r in schedule.rows if r.room == room],
            )
            for room in rooms
        ]
    if not sections:
        pdf.add_page()
        heading(pdf, title, sub=schedule.round_name)
        table(pdf, [], [], widths=(1,), empty=_tr("none", language))
    for name, sub, rows in sections:
        pdf.add_page()
        heading(pdf, name, sub=" - ".join(p for p in (schedule.round_name, sub) if p))
        columns = ["col.day", "col.time", "col.pupil", "col.class", "col.guardians", "col.note"]
        columns.insert(2, "col.teacher" if group_by == "room" else "col.room")
        table(
            pdf,
            [_tr(c, language) for c in columns],
            [
                [
                    format_when(r.starts_at, language, "EEE d MMM"),
                    _time(r.starts_at, r.ends_at),
                    r.teacher if group_by == "room" else r.room,
                    r.pupil,
                    r.class_name,
                    r.guardians,
                    r.note,
                ]
                for r in rows
            ],
            widths=(1.8, 2.5, 2, 3.2, 1.5, 3.4, 3.6),
            font_size=9,
            empty=_tr("none", language),
        )
    return bytes(pdf.output())


def round_filename(schedule: RoundSchedule, kind: str, language: str) -> str:
    return f"{_tr(f'{kind}_file', language)}-{schedule.round_id}"
