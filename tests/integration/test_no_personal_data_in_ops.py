"""No personal data in the operator's logs or metrics: a real flow through the services and routes
(roster import, password log-in, a sign-in link, bookings with a lost race, mail delivery with a refusing
mail server, throttles) with every log record captured, then the /api/metrics text; neither may hold an
e-mail address, a pupil's or guardian's name, a session token or a sign-in link's token."""

from __future__ import annotations

import logging
import re
import smtplib
from email.message import EmailMessage

import pytest
from sqlmodel import select

from ogp_app.core.db import school_session, unscoped
from ogp_app.core.db import session as db_session
from ogp_app.core.log_format import JsonLines
from ogp_app.models import Guardian, Pupil, Role, User
from ogp_app.models.base import utcnow
from ogp_app.services import accounts
from ogp_app.services.auth.passwords import hash_password
from ogp_app.services.errors import DomainError
from ogp_app.services.mail.outbox import deliver_due
from ogp_app.services.roster_import import run_import
from ogp_app.services.rounds.booking import book, cancel
from ogp_app.services.rounds.confirmations import render_pending_confirmations
from tests.support.accounts import STRONG, last_token
from tests.support.factories import Factory
from tests.support.metrics import TOKEN, client, metrics_settings, scrape
from tests.support.rounds import build_world

PARENT_EMAIL = "wendelmoet.ouder@voorbeeld.example"
ROSTER = (
    b"Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Groep;Naam ouder/verzorger 1;"
    b"E-mail ouder/verzorger 1;Groepsleerkracht;E-mail groepsleerkracht\n"
    b"9001;Wendelmoet;van;Zwanenburg;Groep 4;Gijsbrecht Zwanenburg;gijsbrecht.zwanenburg@voorbeeld.example;"
    b"Juf Ermintrude;ermintrude@school.example\n"
    b"9002;Bartholomeus;;Quakernaat;Groep 4;Hildegonde Quakernaat;hildegonde@voorbeeld.example;"
    b"Juf Ermintrude;ermintrude@school.example\n"
)
NAMES = ["Wendelmoet", "Zwanenburg", "Gijsbrecht", "Bartholomeus", "Quakernaat", "Hildegonde", "Ermintrude"]
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


class RefusingMailServer:
    """An SMTP server that refuses the recipient, saying who (as real ones do)."""

    def send(self, message: EmailMessage) -> None:
        to = str(message["To"])
        raise smtplib.SMTPRecipientsRefused({to: (550, f"5.1.1 <{to}>: Recipient address rejected".encode())})


def test_a_whole_flow_leaves_no_personal_data_in_logs_or_metrics(
    factory: Factory, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)  # everything any logger would write, whatever the operator's level
    secrets: list[str] = []

    # a roster import, and a school around it
    school = factory.school("Basisschool De Wilgenhoek")
    assert school.id is not None
    with school_session(school.id) as db:
        assert run_import(db, school_id=school.id, data=ROSTER).written

    # log-in with a password (a wrong one first), over the route
    parent = factory.user(PARENT_EMAIL, name="Wendelmoet Ouder", password_hash=hash_password(STRONG))
    parent.email_verified_at = utcnow()
    factory.member(school, Role.PARENT, parent)
    http = client("198.51.100.23")
    wrong = http.post("/api/auth/login", data={"email": PARENT_EMAIL, "password": "not-the-password"})
    assert wrong.status_code == 303
    right = http.post("/api/auth/login", data={"email": PARENT_EMAIL, "password": STRONG})
    session_token = right.cookies.get("ogp_session")
    assert session_token
    secrets.append(session_token)

    # a sign-in link, used; then the link throttle refuses the fourth request of the hour
    with db_session() as db:
        accounts.request_sign_in_link(db, email=PARENT_EMAIL, ip="198.51.100.23")
    link_token = last_token(PARENT_EMAIL, "sign_in_link", "/sign-in")
    secrets.append(link_token)
    signed_in = client("198.51.100.23").post("/api/auth/sign-in", data={"token": link_token})
    assert signed_in.cookies.get("ogp_session")
    secrets.append(signed_in.cookies["ogp_session"])
    with db_session() as db, pytest.raises(DomainError):
        for _ in range(3):
            accounts.request_sign_in_link(db, email=PARENT_EMAIL, ip="198.51.100.23")

    # bookings: one made, one lost race, one cancelled
    w = build_world(factory)
    slot = w.slots(w.teacher_a)[0]
    with school_session(w.school_id) as db:
        booking_id = book(db, actor=w.parent, slot_id=slot.id, pupil_id=w.kid_a.id, note="Over Noah")
    with school_session(w.school_id) as db, pytest.raises(DomainError):
        book(db, actor=w.other_parent, slot_id=slot.id, pupil_id=w.other_kid.id)
    with school_session(w.school_id) as db:
        cancel(db, actor=w.parent, booking_id=booking_id)

    # mail: confirmations rendered, then a mail server that refuses every recipient
    render_pending_confirmations()
    report = deliver_due(db_session, RefusingMailServer())
    assert report.retrying > 0

    with metrics_settings(monkeypatch, METRICS_TOKEN=TOKEN):
        metrics_text = scrape()

    with unscoped() as db:
        users, guardians = db.exec(select(User)).all(), db.exec(select(Guardian)).all()
        pupils = db.exec(select(Pupil)).all()
    names = {*NAMES, "Noah", "Liam", *(p.first_name for p in pupils)}
    names |= {p.display_name for p in users} | {g.display_name for g in guardians}
    emails = {u.email for u in users} | {g.email for g in guardians}
    assert PARENT_EMAIL in emails and "gijsbrecht.zwanenburg@voorbeeld.example" in emails

    assert caplog.records, "the flow logged nothing: the test would prove nothing"
    formatter = JsonLines()
    logged = "\n".join(
        part for record in caplog.records for part in (record.getMessage(), formatter.format(record))
    )
    for text, where in ((logged, "the log"), (metrics_text, "/api/metrics")):
        found_emails = set(EMAIL.findall(text))
        assert not found_emails, f"e-mail addresses in {where}: {found_emails}"
        for word in sorted(names | emails | set(secrets)):
            assert word not in text, f"{word!r} in {where}"
    # and the flow did reach the metrics it should have
    assert 'ogp_booking_races_lost_total{rule="slot_taken"}' in metrics_text
    assert 'ogp_limit_refusals_total{kind="sign_in:email",limiter="throttle"}' in metrics_text
    assert 'ogp_mail_deliveries_total{outcome="retrying"}' in metrics_text
    assert any(
        r.name == "ogp_app.services.mail.outbox" and "SMTPRecipientsRefused 550" in r.getMessage()
        for r in caplog.records
    )  # the refusal is logged, without whom it was for
