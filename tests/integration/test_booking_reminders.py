"""Reminders: the day before, once per booking however often the job runs; "please book" to families."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from click.testing import CliRunner
from sqlmodel import col, select

from ogp_app.cli import main
from ogp_app.core.db import school_session, unscoped
from ogp_app.models import OutboxMessage, User
from ogp_app.services.rounds.booking import book, cancel
from ogp_app.services.rounds.clock import local_instant
from ogp_app.services.rounds.progress import round_progress
from ogp_app.services.rounds.reminders import remind_unbooked, send_day_before
from ogp_app.services.rounds.setup import get_round
from ogp_app.services.rounds.views import teacher_evening
from tests.support.factories import Factory
from tests.support.rounds import DAY, build_world


def _mails(template: str) -> list[OutboxMessage]:
    with unscoped() as db:
        return list(
            db.exec(
                select(OutboxMessage)
                .where(OutboxMessage.template == template)
                .order_by(col(OutboxMessage.id))
            ).all()
        )


def test_day_before_reminder_goes_once_in_the_recipients_language(factory: Factory) -> None:
    w = build_world(factory)
    with unscoped() as db:
        user = db.get(User, w.parent.user_id)
        assert user is not None
        user.preferred_language = "en"
        db.add(user)
        db.commit()
    with school_session(w.school_id) as db:
        book(db, actor=w.parent, slot_id=w.slots(w.teacher_a)[0].id, pupil_id=w.kid_a.id)
        gone = book(db, actor=w.other_parent, slot_id=w.slots(w.teacher_a)[1].id, pupil_id=w.other_kid.id)
        cancel(db, actor=w.other_parent, booking_id=gone)
    two_days_before = local_instant(DAY - timedelta(days=2), time(12, 0))
    assert send_day_before(unscoped, now=two_days_before) == 0
    day_before = local_instant(DAY - timedelta(days=1), time(9, 0))
    assert send_day_before(unscoped, now=day_before) == 1
    assert send_day_before(unscoped, now=day_before + timedelta(hours=3)) == 0
    [mail] = _mails("booking_reminder")
    assert mail.language == "en" and mail.subject.startswith("Tomorrow") and "19:00" in mail.text_body


def test_cli_reminders_send_runs(factory: Factory) -> None:
    result = CliRunner().invoke(main, ["reminders", "send"])
    assert result.exit_code == 0 and "reminder(s) queued" in result.output


def test_progress_per_class_and_reminder_to_families_not_yet_booked(factory: Factory) -> None:
    w = build_world(factory)
    with school_session(w.school_id) as db:
        book(db, actor=w.parent, slot_id=w.slots(w.teacher_a)[0].id, pupil_id=w.kid_a.id)
        progress = round_progress(db, rnd=get_round(db, w.round_id))
        assert [(p.class_name, p.pupils, p.booked) for p in progress] == [
            ("Groep 5", 3, 1),
            ("Groep 7", 1, 0),
        ]
        sent = remind_unbooked(db, actor=w.admin, round_id=w.round_id)
    # Emma (the parent's second child), Liam's parent, and both separated parents of Julia
    assert sent == 4 and len(_mails("round_invite")) == 4


def test_teacher_sees_own_evening_with_pupil_guardians_note_and_room(factory: Factory) -> None:
    w = build_world(factory)
    with school_session(w.school_id) as db:
        book(db, actor=w.parent, slot_id=w.slots(w.teacher_a)[1].id, pupil_id=w.kid_a.id, note="Rekenen")
        evening = teacher_evening(db, actor=w.teacher_actor, round_id=w.round_id)
    [(day, rows)] = evening.days
    assert day == DAY and evening.room == "Lokaal 5" and len(rows) == 6
    booked = [r for r in rows if r.status == "booked"]
    assert [(r.pupil, r.class_name, r.note) for r in booked] == [("Noah Jansen", "Groep 5", "Rekenen")]
    assert booked[0].guardians
    assert datetime.now(UTC) < rows[0].starts_at
