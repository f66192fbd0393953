"""A parent's booking page invites a review only once the round has ended, and not after reviewing it."""

from __future__ import annotations

from datetime import timedelta

from ogp_app.core.db import school_session
from ogp_app.models.base import utcnow
from ogp_app.services.rounds import reviews
from ogp_app.services.rounds.review_invite import review_invitation
from ogp_app.services.rounds.setup import set_status
from tests.support.factories import Factory
from tests.support.rounds import build_world


def test_no_invitation_while_the_round_runs_then_one_until_reviewed(factory: Factory) -> None:
    w = build_world(factory)
    now = utcnow()
    with school_session(w.school_id) as db:
        assert review_invitation(db, actor=w.parent, now=now) == ""  # open, conversations still ahead
        last = w.slots(w.teacher_b)[-1].ends_at
        assert review_invitation(db, actor=w.parent, now=last + timedelta(minutes=1)) == "Rapportgesprekken"
        set_status(db, actor=w.admin, round_id=w.round_id, status="closed")
        assert review_invitation(db, actor=w.parent, now=now) == "Rapportgesprekken"
        reviews.submit_review(
            db,
            user_id=w.parent.user_id,
            school_id=w.school_id,
            rating=5,
            comment="Fijn geregeld",
            may_publish=False,
            school_may_be_named=False,
        )
        assert review_invitation(db, actor=w.parent, now=now) == ""
        assert review_invitation(db, actor=w.other_parent, now=now) == "Rapportgesprekken"


def test_a_draft_round_invites_nobody(factory: Factory) -> None:
    w = build_world(factory)
    with school_session(w.school_id) as db:
        set_status(db, actor=w.admin, round_id=w.round_id, status="draft")
        assert review_invitation(db, actor=w.parent, now=utcnow() + timedelta(days=60)) == ""
