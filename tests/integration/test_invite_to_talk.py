"""Invite to talk: a teacher books one of their own free times for a pupil they meet; the family is mailed."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import col, select

from ogp_app.core.db import school_session, unscoped
from ogp_app.models import Booking, OutboxMessage
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.rounds import RoundNotFound, SlotNotFound, SlotTaken
from ogp_app.services.rounds.booking import book
from ogp_app.services.rounds.confirmations import render_pending_confirmations
from ogp_app.services.rounds.invite import invite_candidates, invite_times, invite_to_talk
from tests.support.factories import Factory
from tests.support.rounds import World, build_world


def _active(w: World) -> list[Booking]:
    with school_session(w.school_id) as db:
        return list(db.exec(select(Booking).where(col(Booking.cancelled_at).is_(None))).all())


def _mails() -> list[OutboxMessage]:
    with unscoped() as db:
        return list(db.exec(select(OutboxMessage).where(OutboxMessage.template == "booking_confirmed")).all())


def test_teacher_invites_a_pupil_of_their_class_and_the_family_is_mailed(factory: Factory) -> None:
    w = build_world(factory)
    with school_session(w.school_id) as db:
        labels = [c.label for c in invite_candidates(db, actor=w.teacher_actor, round_id=w.round_id)]
        times = invite_times(db, actor=w.teacher_actor, round_id=w.round_id)
    # class A (Groep 5): Noah, Liam and Julia, who has a meeting per household (one option each)
    assert [label.split(" (")[0] for label in labels] == [
        "Julia Jansen",
        "Julia Jansen",
        "Liam Jansen",
        "Noah Jansen",
    ]
    assert not any("Emma" in label for label in labels)  # class B: another teacher's pupil
    assert len(times) == 6 and times[0].starts_at < times[1].starts_at

    with school_session(w.school_id) as db:
        booking_id = invite_to_talk(
            db,
            actor=w.teacher_actor,
            round_id=w.round_id,
            slot_id=times[2].slot_id,
            pupil_id=w.kid_a.id,
            message="Ik wil graag even bijpraten over de rekentoets.",
        )
    [booking] = _active(w)
    assert booking.id == booking_id and booking.pupil_id == w.kid_a.id and booking.slot_id == times[2].slot_id
    assert booking.booked_by_user_id == w.teacher_actor.user_id and booking.note is None
    [mail] = _mails()
    assert "Noah" in mail.subject
    assert "heeft een gesprek over Noah Jansen voor u ingepland" in mail.text_body
    assert "Ik wil graag even bijpraten over de rekentoets." in mail.text_body
    assert "bijpraten" in mail.html_body and mail.attachments  # with the .ics

    with school_session(w.school_id) as db:  # Noah is booked now, and that time is gone
        left = invite_candidates(db, actor=w.teacher_actor, round_id=w.round_id)
        assert w.kid_a.id not in [c.pupil_id for c in left]
        assert times[2].slot_id not in [
            t.slot_id for t in invite_times(db, actor=w.teacher_actor, round_id=w.round_id)
        ]


def test_a_separated_household_is_invited_on_its_own(factory: Factory) -> None:
    w = build_world(factory)
    with school_session(w.school_id) as db:
        options = [
            c for c in invite_candidates(db, actor=w.teacher_actor, round_id=w.round_id) if c.household_id
        ]
        times = invite_times(db, actor=w.teacher_actor, round_id=w.round_id)
    mum_option = next(c for c in options if c.household_id == w.mum_household.id)
    with school_session(w.school_id) as db:
        invite_to_talk(
            db,
            actor=w.teacher_actor,
            round_id=w.round_id,
            slot_id=times[0].slot_id,
            pupil_id=mum_option.pupil_id,
            household_id=mum_option.household_id,
        )
    [mail] = _mails()  # only the mum's household hears of it
    with unscoped() as db:
        assert len({m.to_email for m in db.exec(select(OutboxMessage)).all()}) == 1
    assert mail.text_body.count("Bericht van") == 0  # no message given, no empty message block
    with school_session(w.school_id) as db:
        left = invite_candidates(db, actor=w.teacher_actor, round_id=w.round_id)
    assert [c.household_id for c in left if c.pupil_id == w.split_kid.id] == [w.dad_household.id]


def test_invite_to_talk_refuses_what_is_not_the_teachers(factory: Factory) -> None:
    w = build_world(factory)
    other = build_world(factory)
    own, colleague = w.slots(w.teacher_a), w.slots(w.teacher_b)

    def invite(slot_id: object, pupil_id: object, actor=None, round_id: object = None, **kw: Any) -> int:
        with school_session(w.school_id) as db:
            return invite_to_talk(
                db,
                actor=actor or w.teacher_actor,
                round_id=round_id or w.round_id,
                slot_id=slot_id,
                pupil_id=pupil_id,
                **kw,
            )

    with pytest.raises(SlotNotFound):  # a colleague's time
        invite(colleague[0].id, w.kid_b.id)
    with pytest.raises(PermissionDenied):  # a pupil of another class
        invite(own[0].id, w.kid_b.id)
    with pytest.raises(PermissionDenied):  # another school's pupil
        invite(own[0].id, other.kid_a.id)
    with pytest.raises(SlotNotFound):  # another school's time
        invite(other.slots(other.teacher_a)[0].id, w.kid_a.id)
    with pytest.raises(RoundNotFound):  # another school's round
        invite(own[0].id, w.kid_a.id, round_id=other.round_id)
    with pytest.raises(PermissionDenied):  # parents and admins do not invite
        invite(own[0].id, w.kid_a.id, actor=w.parent)
    with pytest.raises(PermissionDenied):
        invite(own[0].id, w.kid_a.id, actor=w.admin)
    with pytest.raises(PermissionDenied):  # per-household pupil without the household
        invite(own[0].id, w.split_kid.id)
    with pytest.raises(PermissionDenied):  # a message that is not text
        invite(own[0].id, w.kid_a.id, message={"x": 1})
    with school_session(w.school_id) as db:  # the time is taken by a parent first
        book(db, actor=w.other_parent, slot_id=own[1].id, pupil_id=w.other_kid.id)
    with pytest.raises(SlotTaken):
        invite(own[1].id, w.kid_a.id)
    assert [b.pupil_id for b in _active(w)] == [w.other_kid.id]
    render_pending_confirmations()
    assert len(_mails()) == 1  # the parent's own confirmation only
