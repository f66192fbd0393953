"""The school's video service, each teacher's own link, and which rounds and teachers meet online."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlmodel import Session, select

from ogp_app.models import ConferenceRound, RoundTeacher, SchoolVideoService, Teacher, TeacherVideoLink
from ogp_app.models.base import utcnow
from ogp_app.models.video import CONVERSATION_MODES, JITSI, ON_SITE, VIDEO_KINDS
from ogp_app.services.errors import InvalidInput, PermissionDenied
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.lookup import own
from ogp_app.services.rounds.online.errors import TeacherNotFound, VideoServiceMissing, VideoUrlInvalid
from ogp_app.services.rounds.online.links import check_video_url
from ogp_app.services.rounds.people import teacher_id_of
from ogp_app.services.rounds.setup import get_round


@dataclass(frozen=True)
class VideoSettings:
    kind: str  # "" (none), "jitsi" or "teacher_link"
    jitsi_base_url: str


def video_settings(db: Session) -> VideoSettings:
    """The school's choice; ``db`` is the school's session."""
    row = db.exec(select(SchoolVideoService)).first()
    return VideoSettings(row.kind, row.jitsi_base_url or "") if row else VideoSettings("", "")


def configure_video(db: Session, *, actor: Actor, kind: str, jitsi_base_url: str = "") -> VideoSettings:
    """Set (or, with an empty kind, remove) how the school's video links are made. Admins only."""
    actor.require_admin()
    if kind not in ("", *VIDEO_KINDS):
        raise InvalidInput(f"kind {kind!r}")
    row = db.exec(select(SchoolVideoService)).first()
    if not kind:
        if _rounds_online(db):
            raise VideoServiceMissing("a round still meets online")
        if row is not None:
            db.delete(row)
            db.commit()
        return VideoSettings("", "")
    base = ""
    if kind == JITSI:
        base = check_video_url(jitsi_base_url)
        if urlsplit(base).query or urlsplit(base).fragment:
            raise VideoUrlInvalid("a Jitsi base URL has no query or fragment")
    row = row or SchoolVideoService(school_id=actor.school_id, kind=kind)
    row.kind, row.jitsi_base_url, row.updated_at = kind, base or None, utcnow()
    db.add(row)
    db.commit()
    return VideoSettings(kind, base)


def _rounds_online(db: Session) -> bool:
    """Whether a round that is not archived lets anyone meet online."""
    live = ConferenceRound.status != "archived"
    return (
        db.exec(select(ConferenceRound.id).where(live, ConferenceRound.conversation_mode != ON_SITE)).first()
        is not None
        or db.exec(
            select(RoundTeacher.id)
            .join(ConferenceRound, ConferenceRound.id == RoundTeacher.round_id)  # type: ignore[arg-type]
            .where(live, RoundTeacher.conversation_mode != ON_SITE)
        ).first()
        is not None
    )


def _teacher_for(db: Session, actor: Actor, teacher_id: object) -> Teacher:
    """The teacher whose link is read or set: any of the school's for an admin, one's own for a teacher."""
    teacher = own(db, Teacher, teacher_id)
    if teacher is None:
        raise TeacherNotFound()
    if not actor.is_admin and not (actor.is_teacher and teacher_id_of(db, actor) == teacher.id):
        raise PermissionDenied("only the teacher or an admin")
    return teacher


def teacher_link(db: Session, *, actor: Actor, teacher_id: object) -> str:
    teacher = _teacher_for(db, actor, teacher_id)
    row = db.exec(select(TeacherVideoLink).where(TeacherVideoLink.teacher_id == teacher.id)).first()
    return row.url if row else ""


def set_teacher_link(db: Session, *, actor: Actor, teacher_id: object, url: str) -> str:
    """Set (an empty URL: remove) the teacher's fixed meeting link."""
    teacher = _teacher_for(db, actor, teacher_id)
    assert teacher.id is not None
    row = db.exec(select(TeacherVideoLink).where(TeacherVideoLink.teacher_id == teacher.id)).first()
    if not url.strip():
        if row is not None:
            db.delete(row)
            db.commit()
        return ""
    url = check_video_url(url)
    row = row or TeacherVideoLink(school_id=actor.school_id, teacher_id=teacher.id, url=url)
    row.url, row.updated_at = url, utcnow()
    db.add(row)
    db.commit()
    return url


def set_round_mode(db: Session, *, actor: Actor, round_id: object, mode: str) -> None:
    """On site, online, or the family chooses: for the whole round. Admins only."""
    actor.require_admin()
    rnd = get_round(db, round_id)
    _check_mode(db, mode)
    rnd.conversation_mode = mode
    db.add(rnd)
    db.commit()


def set_teacher_mode(
    db: Session, *, actor: Actor, round_id: object, teacher_id: object, mode: str | None
) -> None:
    """One teacher's mode in a round (e.g. only online that evening); None: the round's. Admins only."""
    actor.require_admin()
    rnd = get_round(db, round_id)
    row = db.exec(
        select(RoundTeacher).where(RoundTeacher.round_id == rnd.id, RoundTeacher.teacher_id == teacher_id)
    ).first()
    if row is None:
        raise TeacherNotFound()
    if mode is not None:
        _check_mode(db, mode)
    row.conversation_mode = mode
    db.add(row)
    db.commit()


def _check_mode(db: Session, mode: str) -> None:
    if mode not in CONVERSATION_MODES:
        raise InvalidInput(f"mode {mode!r}")
    if mode != ON_SITE and not video_settings(db).kind:
        raise VideoServiceMissing("set the school's video service first")


@dataclass(frozen=True)
class TeacherMode:
    teacher_id: int
    name: str
    mode: str | None  # None: the round's


@dataclass(frozen=True)
class RoundModes:
    video_kind: str  # "" when the school has no video service: everything stays on site
    round_mode: str
    teachers: list[TeacherMode]


def round_modes(db: Session, *, actor: Actor, round_id: object) -> RoundModes:
    """A round's mode and each of its teachers' overrides, for the admin."""
    actor.require_admin()
    rnd = get_round(db, round_id)
    rows = db.exec(
        select(RoundTeacher.teacher_id, Teacher.display_name, RoundTeacher.conversation_mode)
        .join(Teacher, Teacher.id == RoundTeacher.teacher_id)  # type: ignore[arg-type]
        .where(RoundTeacher.round_id == rnd.id)
        .order_by(Teacher.display_name)
    ).all()
    teachers = [TeacherMode(teacher_id, name, mode) for teacher_id, name, mode in rows]
    return RoundModes(video_settings(db).kind, rnd.conversation_mode, teachers)
