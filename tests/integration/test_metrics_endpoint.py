"""GET /api/metrics as the operator's Prometheus and as a stranger see it: who gets the text, and what
it counts (bookings, lost races, the outbox, roster imports, throttles)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.exc import OperationalError
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from ogp_app.api.upload_guard import UploadGuard
from ogp_app.core.db import school_session, unscoped
from ogp_app.models import OutboxMessage, OutboxStatus
from ogp_app.models.base import utcnow
from ogp_app.services.errors import DomainError
from ogp_app.services.roster_import import ImportOptions, run_import
from ogp_app.services.rounds.booking import book
from tests.integration.test_roster_import import CORPUS
from tests.support.factories import Factory
from tests.support.metrics import TOKEN, client, grew, metrics_settings, scrape, value
from tests.support.rounds import build_world

PATH = "/api/metrics"
INSIDE, OUTSIDE, PROXY = "10.20.0.5", "203.0.113.9", "127.0.0.2"


def status(peer: str, headers: dict[str, str] | None = None) -> int:
    return client(peer).get(PATH, headers=headers or {}).status_code


# --- who may scrape -------------------------------------------------------------------------------


def test_off_when_neither_addresses_nor_token_are_set() -> None:
    for peer in ("127.0.0.1", INSIDE, OUTSIDE):
        assert status(peer) == 404
    assert status("127.0.0.1", {"Authorization": f"Bearer {TOKEN}"}) == 404
    assert status("127.0.0.1", {"Authorization": "Bearer "}) == 404


def test_token_right_wrong_and_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    with metrics_settings(monkeypatch, METRICS_TOKEN=TOKEN):
        anonymous = client(OUTSIDE).get(PATH)
        assert anonymous.status_code == 404 and anonymous.text == "Not Found"  # as if there were no route
        for wrong in (
            f"Bearer {TOKEN[:-1]}",
            f"Bearer {TOKEN}x",
            TOKEN,
            f"Basic {TOKEN}",
            f"bearer  {TOKEN}",
        ):
            refused = client(OUTSIDE).get(PATH, headers={"Authorization": wrong})
            assert refused.status_code == 404 and refused.text == "Not Found", wrong
        right = client(OUTSIDE).get(PATH, headers={"Authorization": f"Bearer {TOKEN}"})
        assert right.status_code == 200
        assert right.headers["content-type"].startswith("text/plain; version=")
        assert right.headers["cache-control"] == "no-store"
        assert right.headers["x-content-type-options"] == "nosniff"  # the security headers stay on
        names = {family.name for family in text_string_to_metric_families(right.text)}
        assert {"ogp_page_event_seconds", "ogp_bookings", "ogp_mail_queue_messages"} <= names


def test_a_token_shorter_than_32_characters_stops_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    with (
        pytest.raises(ValueError, match="OGP_METRICS_TOKEN"),
        metrics_settings(monkeypatch, METRICS_TOKEN="short"),
    ):
        from ogp_app.core.settings import get_settings

        get_settings()


def test_allowed_addresses_and_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    with metrics_settings(monkeypatch, METRICS_ALLOWED_ADDRESSES="10.20.0.0/16, 192.0.2.1"):
        assert status(INSIDE) == 200
        assert status("192.0.2.1") == 200
        assert status("192.0.2.2") == 404
        assert status(OUTSIDE) == 404
        assert status(OUTSIDE, {"Authorization": f"Bearer {TOKEN}"}) == 404  # no token configured


def test_a_forwarded_header_from_an_untrusted_peer_cannot_claim_an_allowed_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with metrics_settings(monkeypatch, METRICS_ALLOWED_ADDRESSES=INSIDE, TRUSTED_PROXIES=PROXY):
        spoofed = {"X-Forwarded-For": INSIDE}
        assert status(OUTSIDE, spoofed) == 404
        assert status(OUTSIDE, {"X-Forwarded-For": f"{INSIDE}, {INSIDE}"}) == 404
        # the same header from the trusted proxy is believed: the scraper behind it is let in ...
        assert status(PROXY, spoofed) == 200
        # ... and a stranger behind the proxy is not, whatever it put first in the header
        assert status(PROXY, {"X-Forwarded-For": f"{INSIDE}, {OUTSIDE}"}) == 404


def test_an_allowed_proxy_address_lets_no_one_through_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scraper on the proxy's host may be allowed; the visitors the proxy forwards are not."""
    with metrics_settings(monkeypatch, METRICS_ALLOWED_ADDRESSES=PROXY, TRUSTED_PROXIES=PROXY):
        assert status(PROXY) == 200
        assert status(PROXY, {"X-Forwarded-For": OUTSIDE}) == 404


# --- what it counts -------------------------------------------------------------------------------


def test_bookings_and_lost_races_are_counted(monkeypatch: pytest.MonkeyPatch, factory: Factory) -> None:
    w = build_world(factory)
    slot = w.slots(w.teacher_a)[0]
    with metrics_settings(monkeypatch, METRICS_TOKEN=TOKEN):
        before = scrape()
        with school_session(w.school_id) as db:
            book(db, actor=w.parent, slot_id=slot.id, pupil_id=w.kid_a.id)
        with school_session(w.school_id) as db, pytest.raises(DomainError):
            book(db, actor=w.other_parent, slot_id=slot.id, pupil_id=w.other_kid.id)  # "just taken"
        with school_session(w.school_id) as db, pytest.raises(DomainError):
            book(db, actor=w.admin, slot_id=slot.id, pupil_id=w.other_kid.id)  # the general path too
        with school_session(w.school_id) as db, pytest.raises(DomainError):
            book(db, actor=w.parent, slot_id=w.slots(w.teacher_a)[1].id, pupil_id=w.kid_a.id)
        after = scrape()

    assert grew(before, after, "ogp_bookings_total", kind="new") == 1
    assert grew(before, after, "ogp_booking_races_lost_total", rule="slot_taken") == 2
    assert grew(before, after, "ogp_booking_races_lost_total", rule="pupil_booked") == 1


def _outbox_row(created_minutes_ago: int, status: OutboxStatus) -> OutboxMessage:
    return OutboxMessage(
        to_email="ouder@example.org",
        language="nl",
        template="booking_confirmed",
        subject="Bevestiging",
        text_body="-",
        html_body="-",
        status=status.value,
        created_at=utcnow() - timedelta(minutes=created_minutes_ago),
    )


def test_the_mail_queue_depth_and_the_age_of_the_oldest_unsent(
    monkeypatch: pytest.MonkeyPatch, factory: Factory
) -> None:
    with metrics_settings(monkeypatch, METRICS_TOKEN=TOKEN):
        empty = scrape()
        assert value(empty, "ogp_mail_queue_up") == 1
        assert value(empty, "ogp_mail_queue_messages", status="pending") == 0
        assert value(empty, "ogp_mail_queue_oldest_unsent_age_seconds") == 0
        with unscoped() as db:
            db.add(_outbox_row(25, OutboxStatus.PENDING))
            db.add(_outbox_row(3, OutboxStatus.PENDING))
            db.add(_outbox_row(12, OutboxStatus.SENDING))
            db.add(_outbox_row(600, OutboxStatus.FAILED))  # given up: counted, not "waiting"
            db.add(_outbox_row(900, OutboxStatus.SENT))
            db.commit()
        text = scrape()
    assert value(text, "ogp_mail_queue_messages", status="pending") == 2
    assert value(text, "ogp_mail_queue_messages", status="sending") == 1
    assert value(text, "ogp_mail_queue_messages", status="failed") == 1
    assert 25 * 60 <= value(text, "ogp_mail_queue_oldest_unsent_age_seconds") < 30 * 60


def test_roster_imports_are_timed_by_outcome_and_their_rows_counted(
    monkeypatch: pytest.MonkeyPatch, factory: Factory
) -> None:
    school = factory.school()
    assert school.id is not None
    data = (CORPUS / "magister_comma.csv").read_bytes()
    with metrics_settings(monkeypatch, METRICS_TOKEN=TOKEN):
        before = scrape()
        with school_session(school.id) as db:
            dry = run_import(db, school_id=school.id, data=data, options=ImportOptions(dry_run=True))
        with school_session(school.id) as db:
            written = run_import(db, school_id=school.id, data=data)
        with school_session(school.id) as db:
            refused = run_import(db, school_id=school.id, data=(CORPUS / "bad_rows.csv").read_bytes())
        after = scrape()
    assert not dry.written and written.written and not refused.written

    for outcome in ("dry_run", "written", "refused"):
        assert grew(before, after, "ogp_roster_import_seconds_count", outcome=outcome) == 1
    assert grew(before, after, "ogp_roster_import_seconds_sum", outcome="written") > 0
    assert grew(before, after, "ogp_roster_rows_imported_total") == written.valid_rows > 0


REFUSALS, THROTTLE = "ogp_limit_refusals_total", {"limiter": "throttle", "kind": "sign_in:email"}


def test_log_in_throttle_refusals_are_counted_by_the_limit_not_the_address(
    monkeypatch: pytest.MonkeyPatch, factory: Factory
) -> None:
    from ogp_app.core.db import session as db_session
    from ogp_app.services import accounts

    with metrics_settings(monkeypatch, METRICS_TOKEN=TOKEN):
        before = scrape()
        with db_session() as db:
            for _ in range(4):  # three sign-in links an hour per address; the fourth is refused
                with contextlib.suppress(DomainError):
                    accounts.request_sign_in_link(db, email="iemand@example.org", ip="198.51.100.4")
        after = scrape()
    assert grew(before, after, REFUSALS, **THROTTLE) == 1
    assert "iemand@example.org" not in after and "198.51.100.4" not in after


def test_a_scrape_still_answers_when_the_database_does_not(monkeypatch: pytest.MonkeyPatch) -> None:
    @contextmanager
    def unreachable() -> Iterator[None]:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))
        yield

    monkeypatch.setattr("ogp_app.api.metrics.db_session", unreachable)
    with metrics_settings(monkeypatch, METRICS_TOKEN=TOKEN):
        text = scrape()
    assert value(text, "ogp_mail_queue_up") == 0
    assert "ogp_page_event_seconds" in text  # the rest is there


def test_upload_guard_refusals_are_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    async def never(scope: Scope, receive: Receive, send: Send) -> None:
        raise AssertionError("the guard let it through")

    guarded = TestClient(UploadGuard(never), base_url="http://localhost:3000")
    multipart = {"Content-Type": "multipart/form-data; boundary=x"}
    with metrics_settings(monkeypatch, METRICS_TOKEN=TOKEN):
        before = scrape()
        assert guarded.post("/_upload", content=b"--x--", headers=multipart).status_code == 401
        big = {**multipart, "Content-Length": str(5 * 2**20)}
        assert guarded.post("/api/anything", content=b"x" * 5 * 2**20, headers=big).status_code == 413
        after = scrape()
    for kind in ("signed_out", "too_large"):
        labels = {"limiter": "upload", "kind": kind}
        assert (
            value(after, "ogp_limit_refusals_total", **labels)
            - value(before, "ogp_limit_refusals_total", **labels)
            == 1
        )
