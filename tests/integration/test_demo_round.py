"""`ogp demo` opens a round with bookings (a living product on `make run`), once."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from ogp_app.core.db import school_session
from ogp_app.models import Booking, ConferenceRound, Guardian, User
from ogp_app.models.base import utcnow
from ogp_app.services.development.demo import DEMO_ACCOUNTS, seed_demo
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.views import parent_rounds


def test_demo_round_is_open_with_bookings_and_the_demo_parent_can_still_book(raw_session: Session) -> None:
    result = seed_demo(raw_session)
    assert seed_demo(raw_session).created == 0
    [rnd] = raw_session.exec(select(ConferenceRound)).all()
    assert rnd.status == "open"
    assert (
        raw_session.exec(
            select(func.count()).select_from(Booking).where(col(Booking.cancelled_at).is_(None))
        ).one()
        == 4
    )
    parent = raw_session.exec(select(User).where(User.email == DEMO_ACCOUNTS["parent"])).one()
    assert raw_session.exec(select(Guardian).where(Guardian.user_id == parent.id)).one()
    assert parent.id is not None
    with school_session(result.school_id) as db:
        [view] = parent_rounds(
            db, actor=Actor(user_id=parent.id, school_id=result.school_id, is_parent=True), now=utcnow()
        )
    assert view.is_open and len(view.children) == 2
    assert all(m.booking_id is None for c in view.children for m in c.meetings)
