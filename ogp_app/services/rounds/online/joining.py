"""Who joins a booked conversation online, and which link each person sees.

A link reaches only the people of that conversation: the parents of the booking's household (both
households for a joint meeting) and the teacher. Where the family chooses, each household chooses for
itself, so one separated parent can join online while the other comes to school. Rooms are made when a
link is first needed, so booking stays as fast as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ogp_app.models import (
    Booking,
    ConferenceRound,
    ConversationJoin,
    ConversationRoom,
    Guardian,
    PupilGuardian,
    RoundTeacher,
    SchoolVideoService,
    Slot,
    TeacherVideoLink,
)
from ogp_app.models.base import utcnow
from ogp_app.models.bookings import JOINT_HOUSEHOLD_KEY
from ogp_app.models.video import FAMILY_CHOICE, JITSI, ON_SITE, ONLINE
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.errors import BookingNotFound
from ogp_app.services.rounds.online.errors import OnlineChoiceNotOffered
from ogp_app.services.rounds.online.links import jitsi_link, link_opens_at, link_shown, new_room_name
from ogp_app.services.rounds.people import teacher_id_of


@dataclass(frozen=True)
class OnlineJoin:
    """One conversation as one viewer sees it."""

    mode: str  # on_site, online or family_choice (the teacher's override, else the round's)
    online: bool  # the viewer joins online (a teacher: at least one household does)
    may_choose: bool  # a parent may still switch between online and at school
    url: str  # the link, only while it is shown (10 minutes before until an hour after)
    opens_at: datetime | None  # when the link is shown; None when nobody joins online
    no_link: bool = False  # online, but the school has no link for this teacher yet


def effective_mode(round_mode: str, teacher_mode: str | None) -> str:
    return teacher_mode or round_mode


def joins_online(mode: str, chosen: bool) -> bool:
    """Whether a household (a teacher: anyone) joins online: always in an online conversation, by its
    choice where the family chooses. The one rule for pages, mails and the teacher's view."""
    return mode == ONLINE or (mode == FAMILY_CHOICE and chosen)


def may_choose(mode: str, starts_at: datetime, now: datetime) -> bool:
    """Whether a household may still choose: where the family chooses, until the conversation starts.
    The one rule for what /book offers and what choose_online accepts."""
    return mode == FAMILY_CHOICE and now < starts_at


@dataclass(frozen=True)
class _Conversation:
    booking: Booking
    slot: Slot
    mode: str


def _conversations(db: Session, booking_ids: Iterable[int]) -> list[_Conversation]:
    """Active bookings with their slot and mode (the school's session keeps it to the school)."""
    ids = [i for i in booking_ids if isinstance(i, int) and not isinstance(i, bool)]
    if not ids:
        return []
    rows = db.exec(
        select(Booking, Slot, ConferenceRound.conversation_mode, RoundTeacher.conversation_mode)
        .join(Slot, col(Slot.id) == col(Booking.slot_id))
        .join(ConferenceRound, col(ConferenceRound.id) == col(Booking.round_id))
        .join(
            RoundTeacher,
            (col(RoundTeacher.round_id) == col(Booking.round_id))
            & (col(RoundTeacher.teacher_id) == col(Booking.teacher_id)),
            isouter=True,
        )
        .where(col(Booking.id).in_(ids), col(Booking.cancelled_at).is_(None))
    ).all()
    return [_Conversation(b, s, effective_mode(rm, tm)) for b, s, rm, tm in rows]


def _households_of(db: Session, user_id: int, pupil_ids: set[int]) -> dict[int, int]:
    """Per pupil the household through which this account is the pupil's guardian."""
    rows = db.execute(
        sa_select(col(PupilGuardian.pupil_id), col(Guardian.household_id))
        .join(Guardian, col(Guardian.id) == col(PupilGuardian.guardian_id))
        .where(
            col(Guardian.user_id) == user_id,
            col(Guardian.archived_at).is_(None),
            col(PupilGuardian.pupil_id).in_(pupil_ids),
        )
    ).all()
    return {pupil_id: household_id for pupil_id, household_id in rows}


def household_of(db: Session, *, user_id: int) -> int | None:
    """The household of the account's guardian entry at the session's school (one per address)."""
    return db.exec(
        select(Guardian.household_id).where(Guardian.user_id == user_id, col(Guardian.archived_at).is_(None))
    ).first()


def _party(booking: Booking, household_id: int | None) -> bool:
    """Whether this household is in the conversation: its own meeting, or the pupil's joint one."""
    if household_id is None:
        return False
    return booking.household_key == JOINT_HOUSEHOLD_KEY or booking.household_id == household_id


def _choices(db: Session, booking_ids: list[int]) -> dict[int, dict[int, bool]]:
    rows = db.exec(select(ConversationJoin).where(col(ConversationJoin.booking_id).in_(booking_ids))).all()
    found: dict[int, dict[int, bool]] = {}
    for row in rows:
        found.setdefault(row.booking_id, {})[row.household_id] = row.online
    return found


class _Links:
    """Makes each conversation's link once per request: a Jitsi room, or the teacher's own link.

    ``commit``: a new room is committed at once (a page's read), or left to the caller's transaction
    (a mail queued beside its booking)."""

    def __init__(self, db: Session, *, commit: bool = True) -> None:
        self.db, self.commit = db, commit
        self.service = db.exec(select(SchoolVideoService)).first()
        self._teacher_links: dict[int, str] | None = None

    def link(self, booking: Booking) -> str:
        if self.service is None:
            return ""
        if self.service.kind == JITSI and self.service.jitsi_base_url:
            assert booking.id is not None
            return jitsi_link(self.service.jitsi_base_url, room_of(self.db, booking, commit=self.commit))
        if self._teacher_links is None:
            rows = self.db.exec(select(TeacherVideoLink)).all()
            self._teacher_links = {row.teacher_id: row.url for row in rows}
        return self._teacher_links.get(booking.teacher_id, "")


def room_of(db: Session, booking: Booking, *, commit: bool = True) -> str:
    """The booking's room, made on first use; two requests at once agree on one (unique booking_id)."""
    found = db.exec(select(ConversationRoom.room).where(ConversationRoom.booking_id == booking.id)).first()
    if found:
        return found
    assert booking.id is not None
    try:
        with db.begin_nested():
            db.add(ConversationRoom(school_id=booking.school_id, booking_id=booking.id, room=new_room_name()))
        if commit:
            db.commit()
    except IntegrityError:
        pass  # the other request's room stands; only the savepoint was rolled back
    room = db.exec(select(ConversationRoom.room).where(ConversationRoom.booking_id == booking.id)).one()
    return room


def _join(
    conversation: _Conversation, online: bool, may_choose: bool, links: _Links, now: datetime
) -> OnlineJoin:
    slot = conversation.slot
    if not online:
        return OnlineJoin(conversation.mode, False, may_choose, "", None)
    shown = link_shown(slot.starts_at, slot.ends_at, now)
    url = links.link(conversation.booking)
    return OnlineJoin(
        conversation.mode, True, may_choose, url if shown else "", link_opens_at(slot.starts_at), not url
    )


def parent_joins(
    db: Session, *, actor: Actor, booking_ids: Iterable[int], now: datetime
) -> dict[int, OnlineJoin]:
    """Per booking of the parent's own household (or their child's joint meeting): how they join."""
    conversations = _conversations(db, booking_ids)
    households = _households_of(db, actor.user_id, {c.booking.pupil_id for c in conversations})
    mine = [c for c in conversations if _party(c.booking, households.get(c.booking.pupil_id))]
    choices = _choices(db, [c.booking.id for c in mine if c.booking.id is not None])
    links = _Links(db)
    out: dict[int, OnlineJoin] = {}
    for conversation in mine:
        booking = conversation.booking
        assert booking.id is not None
        household = households[booking.pupil_id]
        chosen = choices.get(booking.id, {}).get(household, False)
        online = joins_online(conversation.mode, chosen)
        choosing = may_choose(conversation.mode, conversation.slot.starts_at, now)
        out[booking.id] = _join(conversation, online, choosing, links, now)
    return out


def teacher_joins(
    db: Session, *, actor: Actor, booking_ids: Iterable[int], now: datetime
) -> dict[int, OnlineJoin]:
    """Per booking with the actor as the teacher: whether anyone joins online, and the link to join."""
    teacher_id = teacher_id_of(db, actor)
    if teacher_id is None:
        return {}
    conversations = [c for c in _conversations(db, booking_ids) if c.booking.teacher_id == teacher_id]
    choices = _choices(db, [c.booking.id for c in conversations if c.booking.id is not None])
    links = _Links(db)
    out: dict[int, OnlineJoin] = {}
    for conversation in conversations:
        booking_id = conversation.booking.id
        assert booking_id is not None
        online = joins_online(conversation.mode, any(choices.get(booking_id, {}).values()))
        out[booking_id] = _join(conversation, online, False, links, now)
    return out


@dataclass(frozen=True)
class MailLink:
    url: str  # "" when the school has no link for this teacher yet
    opens_at: datetime


def link_for_household(db: Session, *, booking: Booking, household_id: int | None) -> MailLink | None:
    """For a mail or calendar file to one household: the link, if that household joins online.

    ``household_id`` None: the recipient is not in a household of the pupil (then only an online-only
    conversation has a link). A new room stays in the caller's transaction."""
    conversations = _conversations(db, [booking.id] if booking.id is not None else [])
    if not conversations:
        return None
    conversation = conversations[0]
    chosen = False
    if conversation.mode == FAMILY_CHOICE and household_id is not None and booking.id is not None:
        chosen = _choices(db, [booking.id]).get(booking.id, {}).get(household_id, False)
    if not joins_online(conversation.mode, chosen):
        return None
    return MailLink(_Links(db, commit=False).link(booking), link_opens_at(conversation.slot.starts_at))


def choose_online(
    db: Session, *, actor: Actor, booking_id: object, online: bool, now: datetime
) -> OnlineJoin:
    """A parent's choice for their own household: online or at school, until the conversation starts."""
    if not isinstance(online, bool):
        raise OnlineChoiceNotOffered("online must be true or false")
    conversations = _conversations(db, [booking_id] if isinstance(booking_id, int) else [])
    conversation = conversations[0] if conversations else None
    household = (
        _households_of(db, actor.user_id, {conversation.booking.pupil_id}).get(conversation.booking.pupil_id)
        if conversation
        else None
    )
    if conversation is None or household is None or not _party(conversation.booking, household):
        raise BookingNotFound()
    if not may_choose(conversation.mode, conversation.slot.starts_at, now):
        raise OnlineChoiceNotOffered(f"mode {conversation.mode}")
    booking = conversation.booking
    row = db.exec(
        select(ConversationJoin).where(
            ConversationJoin.booking_id == booking.id, ConversationJoin.household_id == household
        )
    ).first()
    assert booking.id is not None
    row = row or ConversationJoin(school_id=booking.school_id, booking_id=booking.id, household_id=household)
    row.online, row.chosen_by_user_id, row.updated_at = online, actor.user_id, utcnow()
    db.add(row)
    db.commit()
    return parent_joins(db, actor=actor, booking_ids=[booking.id], now=now)[booking.id]


__all__ = [
    "ON_SITE",
    "OnlineJoin",
    "choose_online",
    "effective_mode",
    "parent_joins",
    "room_of",
    "teacher_joins",
]
