"""The school's dashboard figures: bookings summed up per day, share booked and attendance per class,
and families not seen; the admin's only."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from ogp_app.core.db import school_session
from ogp_app.models.base import utcnow
from ogp_app.models.outcomes import HELD, NO_SHOW
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.rounds.booking import book
from ogp_app.services.rounds.dashboard import school_dashboard
from ogp_app.services.rounds.outcomes import mark_attendance
from tests.support.factories import Factory
from tests.support.rounds import build_world


def test_the_dashboard_counts_what_happened_per_day_and_class(factory: Factory) -> None:
    w = build_world(factory)
    slots_a, slots_b = w.slots(w.teacher_a), w.slots(w.teacher_b)
    day_one = utcnow() + timedelta(days=1)  # booking is open for a week
    with time_machine.travel(day_one, tick=False), school_session(w.school_id) as db:
        noah = book(db, actor=w.parent, slot_id=slots_a[0].id, pupil_id=w.kid_a.id)
        liam = book(db, actor=w.other_parent, slot_id=slots_a[1].id, pupil_id=w.other_kid.id)
    with time_machine.travel(day_one + timedelta(days=2), tick=False), school_session(w.school_id) as db:
        book(db, actor=w.parent, slot_id=slots_b[3].id, pupil_id=w.kid_b.id)
    after = slots_a[0].starts_at + timedelta(hours=2)
    with school_session(w.school_id) as db:
        mark_attendance(db, actor=w.teacher_actor, booking_id=noah, attendance=HELD, now=after)
        mark_attendance(db, actor=w.teacher_actor, booking_id=liam, attendance=NO_SHOW, now=after)
        board = school_dashboard(db, actor=w.admin, now=after)
        with pytest.raises(PermissionDenied):
            school_dashboard(db, actor=w.teacher_actor, now=after)
    assert [d.bookings for d in board.bookings_by_day] == [2, 3]  # summed up day by day
    assert board.bookings_by_day[1].day - board.bookings_by_day[0].day == timedelta(days=2)
    booked = {c.class_name: (c.booked, c.pupils) for c in board.booked_per_class}
    assert booked == {"Groep 5": (2, 3), "Groep 7": (1, 1)}  # Julia's households have not booked
    attendance = {a.class_name: (a.held, a.no_show, a.unmarked) for a in board.attendance}
    assert attendance == {"Groep 5": (1, 1, 0), "Groep 7": (0, 0, 1)}
    unseen = {c.class_name: len(c.families) for c in board.unseen}
    assert unseen == {"Groep 5": 3, "Groep 7": 0}  # Liam (no-show) and Julia's two households
    assert board.rounds == [(w.round_id, "Rapportgesprekken")]
