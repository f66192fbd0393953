"""The back office refuses everyone but OGP staff who passed the second factor.

Every handler of the staff pages (found by introspection, so a new one is covered without editing this
file) is called by a staff member who has not enrolled an authenticator yet and by one whose log-in
still waits for the code. Neither may see a school's name or a contact message, change a row, or
change any public var (the gate's "no access" aside). A fully signed-in staff member does see the
inbox: the control that shows these checks can fail.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlmodel import delete

from ogp_app.core.db import session as db_session
from ogp_app.core.settings import get_settings
from ogp_app.models import OutboxMessage, SessionStage
from ogp_app.services.auth.sessions import create_session
from ogp_app.services.staff import contact
from tests.security.conftest import OpenClient
from tests.security.handlers import HandlerInfo, all_handlers
from tests.security.payloads import malformed_payloads, plausible_payloads
from tests.security.support import TwoSchools, app_var_changes, diff, excerpt, found_markers, snapshot
from tests.support.factories import Factory
from tests.support.two_factor import enrol_two_factor

STAFF_MODULES = {
    "ogp_app.state.staff",
    "ogp_app.pages.staff.schools.state",
    "ogp_app.pages.staff.inbox.state",
    "ogp_app.pages.staff.reviews.state",
    "ogp_app.pages.staff.stats.state",
    "ogp_app.pages.staff.faq.state",
    "ogp_app.pages.staff.disclosures.state",
}
HANDLERS = [h for h in all_handlers() if h.state.__module__ in STAFF_MODULES]
FRAMEWORK = {h.state.get_full_name() for h in all_handlers() if h.is_framework}
GATE = "ogp_app.state.staff.StaffGateState.check_access"


@dataclass(frozen=True)
class StaffCallers:
    unenrolled: str  # cookie header
    pending: str
    full: str
    markers: list[str]


def _cookie(token: str) -> str:
    return f"{get_settings().session_cookie_name}={token}"


def _enrolled_staff(factory: Factory, email: str) -> int:
    user = factory.user(email, "Staff Enrolled", is_staff=True)
    assert user.id is not None
    enrol_two_factor(user.id, label=email)
    return user.id


@pytest.fixture
def callers(factory: Factory, schools: TwoSchools) -> StaffCallers:
    tag = secrets.token_hex(4)
    unenrolled = factory.user(f"new.staff.{tag}@ogp.example", "Staff Unenrolled", is_staff=True)
    pending_id = _enrolled_staff(factory, f"pending.staff.{tag}@ogp.example")
    full_id = _enrolled_staff(factory, f"full.staff.{tag}@ogp.example")
    with db_session() as db:
        pending = create_session(db, user_id=pending_id, school_id=None, stage=SessionStage.SECOND_FACTOR)
        full = create_session(db, user_id=full_id, school_id=None)
        secret_text = f"Vertrouwelijk bericht {tag}"
        contact.submit_message(
            db,
            name="Petra Privé",
            email=f"petra.{tag}@example.org",
            topic="privacy_request",
            message=secret_text,
            honeypot="",
            language="nl",
            ip=None,
        )
        # Its mails are not under test: the app's mail worker would change their rows mid-test.
        db.exec(delete(OutboxMessage))
        db.commit()
    factory.session.commit()
    return StaffCallers(
        unenrolled=_cookie(factory.session_token(unenrolled)),
        pending=_cookie(pending),
        full=_cookie(full),
        markers=[schools.a.name, schools.b.name, secret_text, f"petra.{tag}@example.org"],
    )


def test_the_staff_pages_have_handlers_to_check() -> None:
    assert {h.attr for h in HANDLERS} >= {"check_access", "load", "open_school", "reply", "decide", "save"}


@pytest.mark.parametrize("caller", ["unenrolled", "pending"])
@pytest.mark.parametrize("handler", HANDLERS, ids=lambda h: h.short)
def test_staff_without_a_passed_second_factor_get_nothing(
    handler: HandlerInfo,
    caller: str,
    callers: StaffCallers,
    schools: TwoSchools,
    open_client: OpenClient,
    server_alive: Callable[[], None],
) -> None:
    client = open_client(cookie=getattr(callers, caller))
    payloads = [p for p in plausible_payloads(handler, schools)]
    payloads += [p for _, p in malformed_payloads(handler, schools)][:12]
    before = snapshot()
    results = [client.call(handler.wire_name, p, pathname="/staff") for p in payloads]
    client.drain(0.2)
    assert all(r.completed for r in results)
    text = client.transcript()
    found = found_markers(text, callers.markers)
    assert not found, f"{caller} {handler.short} saw {found}: …{excerpt(text, found[0])}…"
    changes = diff(before, snapshot())
    assert not changes, f"{caller} {handler.short} changed rows: " + "; ".join(map(str, changes))
    if handler.key != GATE:
        changed = [c for r in results for c in app_var_changes(r.changed_vars(), FRAMEWORK)]
        assert not changed, f"{caller} {handler.short} changed public vars: {changed}"
    server_alive()


def test_a_fully_signed_in_staff_member_sees_the_inbox(
    callers: StaffCallers, open_client: OpenClient
) -> None:
    [load] = [h for h in HANDLERS if h.short == "StaffInboxState.load"]
    client = open_client(cookie=callers.full)
    client.call(load.wire_name, {}, pathname="/staff/inbox")
    assert found_markers(client.transcript(), callers.markers[2:]) == sorted(callers.markers[2:])
