"""Rate limits count per key within a sliding window and store no raw IP; audit rows hold no secrets."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

import pytest
from sqlmodel import Session, col, select, update

from ogp_app.core.settings import get_settings
from ogp_app.models import AuditEvent, RateLimitHit
from ogp_app.models.base import utcnow
from ogp_app.services.auth import audit, rate_limit
from ogp_app.services.auth.rate_limit import RateLimited, limit_key
from tests.support.factories import Factory

WINDOW = timedelta(minutes=15)


def _hits(db: Session, key: str, n: int, limit: int = 3) -> None:
    for _ in range(n):
        rate_limit.hit(db, key=key, limit=limit, window=WINDOW)
    db.commit()


def test_limit_is_reached_then_refused_with_retry_after(raw_session: Session) -> None:
    _hits(raw_session, "login:x", 3)
    with pytest.raises(RateLimited) as caught:
        rate_limit.hit(raw_session, key="login:x", limit=3, window=WINDOW)
    assert 0 < caught.value.retry_after_seconds <= WINDOW.total_seconds()
    assert caught.value.message_values == {"minutes": 15}
    assert caught.value.message_key == "accounts.error.rate_limited"
    # A refused attempt is not counted, and check() counts nothing either.
    rate_limit.check(raw_session, key="login:y", limit=3, window=WINDOW)
    assert len(raw_session.exec(select(RateLimitHit)).all()) == 3


def test_keys_are_independent_and_clear_resets_one(raw_session: Session) -> None:
    _hits(raw_session, "a", 3)
    _hits(raw_session, "b", 2)
    with pytest.raises(RateLimited):
        rate_limit.check(raw_session, key="a", limit=3, window=WINDOW)
    rate_limit.clear(raw_session, key="a")
    raw_session.commit()
    _hits(raw_session, "a", 3)
    with pytest.raises(RateLimited):
        rate_limit.hit(raw_session, key="b", limit=2, window=WINDOW)


def test_window_slides_and_old_hits_are_dropped(raw_session: Session) -> None:
    _hits(raw_session, "k", 3)
    raw_session.exec(update(RateLimitHit).values(created_at=utcnow() - WINDOW - timedelta(seconds=1)))
    raw_session.commit()
    _hits(raw_session, "k", 1)  # the old three no longer count, and are removed
    keys = raw_session.exec(select(RateLimitHit.created_at)).all()
    assert len(keys) == 1


def test_retry_after_follows_the_oldest_hit_in_the_window(raw_session: Session) -> None:
    _hits(raw_session, "k", 3)
    oldest = raw_session.exec(select(RateLimitHit).order_by(col(RateLimitHit.id))).first()
    assert oldest is not None
    oldest.created_at = utcnow() - timedelta(minutes=14)
    raw_session.add(oldest)
    raw_session.commit()
    with pytest.raises(RateLimited) as caught:
        rate_limit.check(raw_session, key="k", limit=3, window=WINDOW)
    assert 1 <= caught.value.retry_after_seconds <= 60
    assert caught.value.message_values == {"minutes": 1}


def test_ip_and_email_are_stored_only_as_keyed_hash(raw_session: Session) -> None:
    ip = "203.0.113.7"
    key = limit_key("login:ip", ip)
    _hits(raw_session, key, 1)
    stored = raw_session.exec(select(RateLimitHit.key)).one()
    assert ip not in stored
    secret = get_settings().secret_key.get_secret_value().encode()
    assert stored == "login:ip:" + hmac.new(secret, ip.encode(), hashlib.sha256).hexdigest()
    assert stored != "login:ip:" + hashlib.sha256(ip.encode()).hexdigest()  # not guessable without the key
    assert limit_key("login:ip", " 203.0.113.7 ") == key  # normalised
    assert limit_key("login:account", "Anna@Example.org") == limit_key("login:account", "anna@example.org")


def test_audit_row_is_written_with_actor_subject_and_school(factory: Factory) -> None:
    school, admin, parent = factory.school(), factory.user(), factory.user()
    db = factory.session
    audit.record(
        db,
        event=audit.Event.ROLE_GRANTED,
        actor_user_id=admin.id,
        subject_user_id=parent.id,
        school_id=school.id,
        detail={"role": "parent"},
    )
    db.commit()
    row = db.exec(select(AuditEvent)).one()
    assert (row.event, row.actor_user_id, row.subject_user_id, row.school_id) == (
        "role_granted",
        admin.id,
        parent.id,
        school.id,
    )
    assert row.detail == {"role": "parent"} and row.created_at <= utcnow()


@pytest.mark.parametrize(
    "detail",
    [
        {"password": "geheim-wachtwoord"},
        {"new_password_hash": "$argon2id$..."},
        {"token": "abc"},
        {"reset_link": "https://x/reset?token=abc"},
        {"nested": {"a": 1}},
        {"note": "x" * 101},
    ],
)
def test_audit_refuses_secrets_and_bulky_detail(raw_session: Session, detail: dict) -> None:
    with pytest.raises(ValueError):
        audit.record(raw_session, event=audit.Event.LOGIN_FAILED, detail=detail)


def test_audit_refuses_unknown_events(raw_session: Session) -> None:
    with pytest.raises(ValueError):
        audit.record(raw_session, event="made_up")  # type: ignore[arg-type]


def test_audit_goes_with_its_subject_and_survives_its_actor(factory: Factory) -> None:
    actor, subject, other = factory.user(), factory.user(), factory.user()
    db = factory.session
    audit.record(db, event=audit.Event.ROLE_GRANTED, actor_user_id=actor.id, subject_user_id=other.id)
    audit.record(db, event=audit.Event.PASSWORD_CHANGED, subject_user_id=subject.id)
    db.commit()
    db.delete(subject)
    db.delete(actor)
    db.commit()
    db.expire_all()
    rows = db.exec(select(AuditEvent)).all()
    assert [(r.event, r.actor_user_id, r.subject_user_id) for r in rows] == [("role_granted", None, other.id)]
