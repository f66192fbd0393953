"""A parent deleting their account: upcoming conversations are cancelled, each teacher is told, and the
school keeps its schedule without any trace of the parent."""

from __future__ import annotations

from sqlmodel import col, select

from ogp_app.core.db import school_session, unscoped
from ogp_app.models import Booking, Guardian, OutboxMessage
from ogp_app.services.privacy.erasure import erase_user
from ogp_app.services.rounds.booking import book
from ogp_app.services.rounds.confirmations import render_pending_confirmations
from tests.support.factories import Factory
from tests.support.privacy_scan import traces_of_person
from tests.support.rounds import build_world


def test_erasing_a_parent_cancels_their_bookings_and_tells_the_teacher(factory: Factory) -> None:
    w = build_world(factory)
    slot = w.slots(w.teacher_a)[0]
    with school_session(w.school_id) as db:
        booking_id = book(db, actor=w.parent, slot_id=slot.id, pupil_id=w.kid_a.id, note="over lezen")
        other_id = book(db, actor=w.other_parent, slot_id=w.slots(w.teacher_a)[1].id, pupil_id=w.other_kid.id)
    render_pending_confirmations()  # the confirmations reach the outbox (the scan below must find them)
    with unscoped() as db:
        parent_email = db.exec(
            select(OutboxMessage.to_email).where(OutboxMessage.user_id == w.parent.user_id)
        ).first()
        assert parent_email is not None
        erase_user(db, user_id=w.parent.user_id)
        db.commit()
        cancelled = db.get(Booking, booking_id)
        untouched = db.get(Booking, other_id)
        [told] = db.exec(
            select(OutboxMessage).where(OutboxMessage.template == "booking_cancelled_teacher")
        ).all()
    assert (
        cancelled is not None and cancelled.cancelled_at is not None and cancelled.booked_by_user_id is None
    )
    assert untouched is not None and untouched.cancelled_at is None  # another family's stays
    assert told.to_email == w.teacher_a.email and w.kid_a.first_name in told.subject
    assert traces_of_person(user_id=w.parent.user_id, email=parent_email) == []
    with school_session(w.school_id) as db:  # the slot is free for someone else again
        active = db.exec(
            select(Booking).where(col(Booking.slot_id) == slot.id, col(Booking.cancelled_at).is_(None))
        ).all()
    assert active == []


def test_a_parent_erased_before_their_confirmation_went_out_is_never_mailed(factory: Factory) -> None:
    w = build_world(factory)
    with school_session(w.school_id) as db:
        book(db, actor=w.parent, slot_id=w.slots(w.teacher_a)[0].id, pupil_id=w.kid_a.id)
    with unscoped() as db:  # erased within the seconds before the mail worker renders the confirmation
        email = db.exec(select(Guardian.email).where(Guardian.user_id == w.parent.user_id)).one()
        erase_user(db, user_id=w.parent.user_id)
        db.commit()
    render_pending_confirmations()
    with unscoped() as db:
        to_them = db.exec(select(OutboxMessage).where(OutboxMessage.to_email == email)).all()
    assert to_them == []  # neither a confirmation nor any other mail to the erased address
