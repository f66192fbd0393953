"""Separated households in practice: the import counts pupils whose parents live apart and sets their
meeting mode from the admin's choice; per household each parent sees, moves and cancels only their own
conversation and gets only their own mail; a joint meeting tells the other parent who booked.

Mail is checked as it arrives at a real SMTP server (aiosmtpd)."""

from __future__ import annotations

from datetime import time, timedelta
from email.message import EmailMessage

import pytest
from sqlmodel import select

from ogp_app.core.db import school_session, unscoped
from ogp_app.core.db import session as db_session
from ogp_app.integrations.mailer import SmtpMailer
from ogp_app.models import Guardian, Pupil
from ogp_app.models.base import utcnow
from ogp_app.services.mail.outbox import deliver_due
from ogp_app.services.roster_admin import PupilInput, Viewer, save_pupil
from ogp_app.services.roster_import import ImportOptions, run_import
from ogp_app.services.rounds import BookingNotFound
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.booking import book, cancel, rebook
from ogp_app.services.rounds.clock import local_instant
from ogp_app.services.rounds.confirmations import render_pending_confirmations
from ogp_app.services.rounds.reminders import send_day_before
from ogp_app.services.rounds.views import parent_rounds
from tests.support.factories import Factory
from tests.support.rounds import DAY, World, build_world
from tests.support.smtp import SmtpServer

HEADER = (
    "Leerlingnummer;Roepnaam;Achternaam;Groep;"
    "Naam ouder 1;E-mail ouder 1;Adres ouder 1;Naam ouder 2;E-mail ouder 2;Adres ouder 2"
)
ROWS = [
    "1;Julia;Visser;Groep 5;Anna Visser;anna@example.org;Kerkstraat 1;Bas Visser;bas@example.org;Dorpsweg 9",
    "2;Sem;Bakker;Groep 5;Eva Bakker;eva@example.org;Laan 3;Tom Bakker;tom@example.org;laan 3",
    "3;Mila;Smit;Groep 6;Petra Smit;petra@example.org;Hof 2;Rob Smit;rob@example.org;Brink 4",
]


def _csv(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows]).encode()


def _import(school_id: int, data: bytes, **options: object) -> object:
    with school_session(school_id) as db:
        return run_import(db, school_id=school_id, data=data, options=ImportOptions(**options))  # type: ignore[arg-type]


def _modes(school_id: int) -> dict[str, str]:
    with school_session(school_id) as db:
        return {p.first_name: p.meeting_mode for p in db.exec(select(Pupil)).all()}


def test_import_preview_counts_separated_pupils_and_the_choice_sets_their_meeting(factory: Factory) -> None:
    school = factory.school()
    assert school.id is not None
    preview = _import(school.id, _csv(*ROWS), dry_run=True)
    assert preview.plan.separated == 2 and not preview.written  # type: ignore[attr-defined]
    _import(school.id, _csv(*ROWS[:2]))  # default: a conversation per household
    assert _modes(school.id) == {"Julia": "per_household", "Sem": "joint"}

    # The admin chooses "joint" for this import: it goes to Mila (new), not to Julia (separated before,
    # her mode stays as the school set it).
    again = _import(school.id, _csv(*ROWS), separated_meeting_mode="joint")
    assert again.plan.separated == 2  # type: ignore[attr-defined]
    assert _modes(school.id) == {"Julia": "per_household", "Sem": "joint", "Mila": "joint"}

    # Sem gets a stepfather at another address: he had one household, so this import's choice reaches
    # him (existing guardians keep their household, as the import's rules say).
    moved = ROWS[1].replace("Tom Bakker;tom@example.org;laan 3", "Kees de Wit;kees@example.org;Weg 7")
    _import(school.id, _csv(ROWS[0], moved, ROWS[2]))
    assert _modes(school.id)["Sem"] == "per_household"
    with pytest.raises(ValueError):
        _import(school.id, _csv(*ROWS), separated_meeting_mode="both")


def test_pupil_page_changes_the_meeting_mode_and_a_reimport_keeps_it(factory: Factory) -> None:
    school = factory.school()
    assert school.id is not None
    _import(school.id, _csv(ROWS[0]))
    admin = Viewer(school_id=school.id, user_id=0, is_admin=True, class_ids=frozenset())
    with school_session(school.id) as db:
        julia = db.exec(select(Pupil)).one()
        guardians = tuple(g.id for g in db.exec(select(Guardian)).all() if g.id is not None)
        save_pupil(
            db,
            viewer=admin,
            pupil_id=julia.id,
            data=PupilInput(
                "Julia",
                "Visser",
                julia.class_id,
                pupil_number="1",
                meeting_mode="joint",
                guardian_ids=guardians,
            ),
        )
        db.commit()
    _import(school.id, _csv(ROWS[0]))
    assert _modes(school.id) == {"Julia": "joint"}


# --- booking, seeing and mail per meeting mode ---------------------------------------------------------


def _deliver(smtp: SmtpServer) -> list[EmailMessage]:
    """Render the confirmations, send everything due; the messages that arrived since the last call."""
    before = len(smtp.messages)
    render_pending_confirmations()
    deliver_due(db_session, SmtpMailer(host="127.0.0.1", port=smtp.port, starttls=False, timeout=5))
    return smtp.messages[before:]


def _to(messages: list[EmailMessage]) -> dict[str, str]:
    """Recipient -> plain text body."""
    out = {}
    for m in messages:
        body = m.get_body(preferencelist=("plain",))
        assert body is not None
        out[str(m["To"]).split("<")[-1].rstrip(">")] = body.get_content()
    return out


def _guardian(w: World, actor: Actor) -> Guardian:
    with school_session(w.school_id) as db:
        return db.exec(select(Guardian).where(Guardian.user_id == actor.user_id)).one()


def _slot(w: World, index: int) -> int:
    slot_id = w.slots(w.teacher_a)[index].id
    assert slot_id is not None
    return slot_id


def test_per_household_each_parent_sees_moves_cancels_and_hears_only_their_own(
    factory: Factory, smtp_server: SmtpServer
) -> None:
    w = build_world(factory)  # Julia: a meeting per household
    mum, dad = _guardian(w, w.mum), _guardian(w, w.dad)
    with school_session(w.school_id) as db:
        mums = book(db, actor=w.mum, slot_id=_slot(w, 0), pupil_id=w.split_kid.id, note="Over lezen")
        dads = book(db, actor=w.dad, slot_id=_slot(w, 3), pupil_id=w.split_kid.id)
    mail = _to(_deliver(smtp_server))
    assert set(mail) == {mum.email, dad.email}
    assert "Uw gesprek over Julia" in mail[mum.email] and "19:00" in mail[mum.email]
    assert "19:30" in mail[dad.email] and "19:00" not in mail[dad.email]

    with school_session(w.school_id) as db:
        dad_view = parent_rounds(db, actor=w.dad, now=utcnow())[0].children[0].meetings
        for refused in (
            lambda: cancel(db, actor=w.dad, booking_id=mums),
            lambda: rebook(db, actor=w.dad, booking_id=mums, slot_id=_slot(w, 5)),
        ):
            with pytest.raises(BookingNotFound):
                refused()
    assert dad_view[0].booking_id == dads and dad_view[0].note == "" and dad_view[0].booked_by == ""

    # The day before: each household is reminded of its own conversation only.
    send_day_before(unscoped, now=local_instant(DAY - timedelta(days=1), time(9, 0)))
    reminders = _to(_deliver(smtp_server))
    assert set(reminders) == {mum.email, dad.email}
    assert "19:00" in reminders[mum.email] and "19:30" in reminders[dad.email]

    with school_session(w.school_id) as db:
        moved = rebook(db, actor=w.mum, booking_id=mums, slot_id=_slot(w, 1))
        cancel(db, actor=w.mum, booking_id=moved)
    assert set(_to(_deliver(smtp_server))) == {mum.email}  # her move and her cancellation: hers only


def _make_joint(w: World) -> None:
    with school_session(w.school_id) as db:
        julia = db.get(Pupil, w.split_kid.id)
        assert julia is not None
        julia.meeting_mode = "joint"
        db.add(julia)
        db.commit()


def test_joint_meeting_tells_the_other_household_who_booked_moved_and_cancelled(
    factory: Factory, smtp_server: SmtpServer
) -> None:
    w = build_world(factory)
    _make_joint(w)
    mum, dad = _guardian(w, w.mum), _guardian(w, w.dad)
    with school_session(w.school_id) as db:
        booking = book(db, actor=w.mum, slot_id=_slot(w, 0), pupil_id=w.split_kid.id, note="Over lezen")
    mail = _to(_deliver(smtp_server))
    assert "Uw gesprek over Julia" in mail[mum.email] and "heeft een gesprek" not in mail[mum.email]
    assert f"{mum.display_name} heeft een gesprek over Julia" in mail[dad.email]
    assert "Uw gesprek" not in mail[dad.email]

    with school_session(w.school_id) as db:
        [dad_sees] = parent_rounds(db, actor=w.dad, now=utcnow())[0].children[0].meetings
        [mum_sees] = parent_rounds(db, actor=w.mum, now=utcnow())[0].children[0].meetings
    assert dad_sees.booking_id == booking and dad_sees.booked_by == mum.display_name
    assert mum_sees.booking_id == booking and mum_sees.booked_by == ""

    with school_session(w.school_id) as db:  # one conversation for both: dad may move it too
        moved = rebook(db, actor=w.dad, booking_id=booking, slot_id=_slot(w, 2))
    mail = _to(_deliver(smtp_server))
    assert f"{dad.display_name} heeft het gesprek over Julia Jansen verplaatst" in mail[mum.email]
    assert "is verplaatst" in mail[dad.email]

    with school_session(w.school_id) as db:
        cancel(db, actor=w.dad, booking_id=moved)
    mail = _to(_deliver(smtp_server))
    assert f"{dad.display_name} heeft het gesprek over Julia Jansen afgezegd" in mail[mum.email]
    assert "Het gesprek over Julia Jansen is afgezegd" in mail[dad.email]
