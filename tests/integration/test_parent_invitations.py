"""A parent's invitation: the mail names school, children, round and deadline; the link lives until booking
closes; the expired page mails a fresh link with one click; a parent with a round to book lands on /book."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import time_machine
from sqlmodel import update
from starlette.testclient import TestClient

from ogp_app.api import build_api
from ogp_app.core.db import school_session, unscoped
from ogp_app.core.db import session as db_session
from ogp_app.integrations.mailer import SmtpMailer
from ogp_app.models import ConferenceRound, Guardian, OneTimeToken, Role, TokenPurpose, User
from ogp_app.models.base import utcnow
from ogp_app.services.auth.passwords import hash_password
from ogp_app.services.auth.sessions import resolve_session
from ogp_app.services.auth.tokens import InvalidToken, peek_token
from ogp_app.services.mail.outbox import deliver_due
from ogp_app.services.roster_admin.roster_accounts import invite_person
from tests.support.accounts import STRONG, last_token, mails
from tests.support.factories import Factory
from tests.support.rounds import World, build_world
from tests.support.smtp import SmtpServer

ORIGIN = "http://localhost:3000"
MUM = "sanne.de.vries@example.org"
CLOSES = datetime(2030, 3, 12, 16, 0, tzinfo=UTC)  # 17:00 in Amsterdam (winter time)


def client() -> TestClient:
    return TestClient(build_api(), base_url=ORIGIN, follow_redirects=False)


def location(response: httpx.Response) -> tuple[str, dict[str, list[str]]]:
    assert response.status_code == 303, response.status_code
    parts = urlsplit(response.headers["location"])
    return parts.path, parse_qs(parts.query)


def _close_round(w: World, at: datetime) -> None:
    with school_session(w.school_id) as db:
        db.exec(update(ConferenceRound).values(booking_closes_at=at))
        db.commit()


def _family(factory: Factory, w: World, email: str = MUM) -> Guardian:
    """A mother on the roster without an account yet: Sara in Groep 5, Daan in Groep 7."""
    mum = factory.guardian(w.school, email=email)
    factory.pupil(w.school, w.class_a, mum, first_name="Sara", name_prefix="de", last_name="Vries")
    factory.pupil(w.school, w.class_b, mum, first_name="Daan", name_prefix="de", last_name="Vries")
    return mum


def _invite(w: World, guardian: Guardian, language: str = "nl") -> str:
    assert guardian.id is not None
    with school_session(w.school_id) as db:
        invite_person(
            db,
            school_id=w.school_id,
            admin_user_id=w.admin.user_id,
            kind="guardian",
            person_id=guardian.id,
            language=language,
        )
    return last_token(guardian.email, "invitation", "/invitation")


def _delivered(smtp_server: SmtpServer, to: str) -> str:
    deliver_due(
        db_session, SmtpMailer(host=smtp_server.host, port=smtp_server.port, starttls=False, timeout=5)
    )
    found = [m for m in smtp_server.messages if m["To"].addresses[0].addr_spec == to]
    assert found, f"no mail to {to}"
    body = found[-1].get_body(preferencelist=("plain",))
    assert body is not None
    return f"{found[-1]['Subject']}\n{body.get_content()}"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nl",
            [
                "Daan de Vries (Groep 7) en Sara de Vries (Groep 5)",
                '"Rapportgesprekken": u kiest een tijd tot dinsdag 12 maart 2030, 17:00.',
                "Wat u doet: open de link, neem de uitnodiging aan en kies voor elk kind een tijd.",
                "Deze link werkt tot dinsdag 12 maart 2030, 17:00.",
            ],
        ),
        (
            "en",
            [
                "Daan de Vries (Groep 7) and Sara de Vries (Groep 5)",
                '"Rapportgesprekken": choose a time before Tuesday 12 March 2030, 17:00.',
                "What to do: open the link, accept the invitation and choose a time for each child.",
                "This link works until Tuesday 12 March 2030, 17:00.",
            ],
        ),
    ],
)
def test_the_mail_a_parent_receives_names_school_children_round_and_deadline(
    factory: Factory, smtp_server: SmtpServer, language: str, expected: list[str]
) -> None:
    w = build_world(factory)
    _close_round(w, CLOSES)
    _invite(w, _family(factory, w), language)
    received = " ".join(_delivered(smtp_server, MUM).split())  # the text wraps nowhere, but be sure
    assert w.school.name in received
    for line in expected:
        assert line in received, f"{line!r} not in {received!r}"


def test_a_round_still_to_open_is_named_with_its_opening(factory: Factory) -> None:
    w = build_world(factory, open_now=False)
    _invite(w, _family(factory, w))
    [mail] = mails(to=MUM, template="invitation")
    assert "Rapportgesprekken" in mail.text_body and "u kiest een tijd vanaf" in mail.text_body


def test_the_link_works_until_booking_closes(factory: Factory) -> None:
    w = build_world(factory)
    _close_round(w, CLOSES)
    raw = _invite(w, _family(factory, w))
    with db_session() as db:
        assert peek_token(db, raw=raw, purpose=TokenPurpose.INVITATION).expires_at == CLOSES
    with time_machine.travel(CLOSES - timedelta(minutes=1), tick=False):
        response = client().post("/api/auth/accept-invitation", data={"token": raw})
        assert location(response)[0] == "/book"  # the round is still open for booking: straight to it
    late = _invite(w, _family(factory, w, "tom.late@example.org"))
    with time_machine.travel(CLOSES + timedelta(minutes=1), tick=False):
        refused = client().post("/api/auth/accept-invitation", data={"token": late})
        assert location(refused) == ("/invitation", {"error": ["invalid_link"]})


def test_a_round_closing_soon_still_leaves_a_week_and_a_teacher_gets_a_week(factory: Factory) -> None:
    w = build_world(factory)
    _close_round(w, utcnow() + timedelta(days=2))
    raw = _invite(w, _family(factory, w))
    with time_machine.travel(utcnow() + timedelta(days=6, hours=23), tick=False), db_session() as db:
        peek_token(db, raw=raw, purpose=TokenPurpose.INVITATION)  # still good after the round closed
    teacher = factory.teacher(w.school, w.class_a, room="Lokaal 9")
    with school_session(w.school_id) as db:
        invite_person(
            db,
            school_id=w.school_id,
            admin_user_id=w.admin.user_id,
            kind="teacher",
            person_id=teacher.id,  # type: ignore[arg-type]
            language="nl",
        )
    teacher_raw = last_token(teacher.email, "invitation", "/invitation")
    later = time_machine.travel(utcnow() + timedelta(days=7, minutes=1), tick=False)
    with later, db_session() as db, pytest.raises(InvalidToken):
        peek_token(db, raw=teacher_raw, purpose=TokenPurpose.INVITATION)


def _expire() -> None:
    """Time passed: every outstanding invitation is past its end."""
    with unscoped() as db:
        db.exec(update(OneTimeToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.commit()


def test_the_expired_page_mails_a_fresh_working_link_with_one_click(factory: Factory) -> None:
    w = build_world(factory)
    old = _invite(w, _family(factory, w))
    _expire()
    refused = client().post("/api/auth/accept-invitation", data={"token": old})
    assert location(refused) == ("/invitation", {"error": ["invalid_link"]})

    response = client().post("/api/auth/refresh-invitation", data={"token": old})
    assert location(response) == ("/invitation", {"notice": ["invitation_refreshed"]})
    fresh = last_token(MUM, "invitation", "/invitation")
    assert fresh != old and len(mails(to=MUM, template="invitation")) == 2
    accepted = client().post("/api/auth/accept-invitation", data={"token": fresh})
    assert location(accepted)[0] == "/book"
    identity = resolve_session(accepted.cookies.get("ogp_session"))
    assert identity is not None and identity.roles == {"parent"} and identity.school_id == w.school_id

    # Clicked again on the old mail after accepting: a sign-in link, not a second invitation.
    again = client().post("/api/auth/refresh-invitation", data={"token": old})
    assert location(again) == ("/invitation", {"notice": ["invitation_refreshed"]})
    assert len(mails(to=MUM, template="invitation")) == 2 and len(mails(to=MUM, template="sign_in_link")) == 1


def test_the_refresh_says_the_same_for_a_token_that_was_never_ours_and_is_rate_limited(
    factory: Factory,
) -> None:
    w = build_world(factory)
    old = _invite(w, _family(factory, w))
    _expire()
    before = len(mails())
    unknown = client().post("/api/auth/refresh-invitation", data={"token": "x" * 43})
    assert location(unknown) == ("/invitation", {"notice": ["invitation_refreshed"]})
    assert len(mails()) == before
    evil = {"Origin": "https://evil.example"}  # another site cannot make a visitor's browser ask for mail
    assert client().post("/api/auth/refresh-invitation", data={"token": old}, headers=evil).status_code == 403
    for _ in range(3):
        ok = client().post("/api/auth/refresh-invitation", data={"token": old})
        assert location(ok) == ("/invitation", {"notice": ["invitation_refreshed"]})
    limited = client().post("/api/auth/refresh-invitation", data={"token": old})
    path, query = location(limited)
    assert (path, query["error"], query["token"]) == ("/invitation", ["rate_limited"], [old])
    assert len(mails(to=MUM, template="invitation")) == 4  # the first and three fresh ones


def test_a_parent_lands_on_book_while_a_round_is_open_or_coming_and_on_app_otherwise(
    factory: Factory,
) -> None:
    w = build_world(factory, open_now=False)  # booking opens tomorrow: coming
    emails: dict[int, str] = {}
    with unscoped() as db:
        for actor in (w.parent, w.teacher_actor):
            user = db.get(User, actor.user_id)
            assert user is not None
            user.password_hash, user.email_verified_at = hash_password(STRONG), utcnow()
            emails[actor.user_id] = user.email
            db.add(user)
        db.commit()

    def lands(actor_user_id: int) -> str:
        response = client().post("/api/auth/login", data={"email": emails[actor_user_id], "password": STRONG})
        return location(response)[0]

    assert lands(w.parent.user_id) == "/book"
    assert lands(w.teacher_actor.user_id) == "/app"
    _close_round(w, utcnow() - timedelta(minutes=1))
    assert lands(w.parent.user_id) == "/app"  # booking has closed: nothing to plan


def test_choosing_a_school_lands_on_book_there_only_when_that_school_has_a_round_to_book(
    factory: Factory,
) -> None:
    w = build_world(factory)
    other = factory.school("De Klimop")
    with unscoped() as db:
        parent = db.get(User, w.parent.user_id)
        assert parent is not None
        db.expunge(parent)
    factory.member(other, Role.PARENT, parent)

    def switch(to: int) -> str:
        c = client()
        c.cookies.set("ogp_session", factory.session_token(parent, other))
        return location(c.post("/api/auth/switch-school", data={"school_id": str(to)}))[0]

    assert switch(w.school_id) == "/book"
    assert switch(other.id) == "/app"  # type: ignore[arg-type]
