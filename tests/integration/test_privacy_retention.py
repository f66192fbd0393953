"""`ogp retention run` removes what outlived its purpose, keeps the rest, and is idempotent."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner
from sqlmodel import Session, col, select, update

from ogp_app.cli import main as cli
from ogp_app.core.db import unscoped
from ogp_app.models import (
    AuthSession,
    OneTimeToken,
    OutboxMessage,
    OutboxStatus,
    RateLimitHit,
    Role,
    TokenPurpose,
)
from ogp_app.models.base import utcnow
from ogp_app.services.auth.sessions import hash_token
from ogp_app.services.auth.tokens import issue_token
from ogp_app.services.mail import outbox
from ogp_app.services.privacy import erasure, retention
from ogp_app.services.privacy.registry import hooks
from tests.support.factories import Factory
from tests.support.privacy_scan import rows_of_school

LINK = "https://ogp.example/sign-in?token=live-secret"


def _mail(db: Session, *, template: str, sent_days_ago: float | None) -> int:
    context = {"name": "Sanne", "link": LINK}
    message = outbox.enqueue(db, to="sanne@example.org", template=template, language="nl", context=context)
    if sent_days_ago is not None:
        message.status = OutboxStatus.SENT.value
        message.sent_at = utcnow() - timedelta(days=sent_days_ago)
        db.add(message)
    db.commit()
    assert message.id is not None
    return message.id


def test_retention_removes_aged_rows_keeps_fresh_ones_and_a_second_run_removes_nothing(
    factory: Factory, raw_session: Session
) -> None:
    db = raw_session
    now = utcnow()
    school = factory.school(slug="old-school")
    user = factory.member(school, Role.PARENT)
    assert user.id is not None and school.id is not None
    fresh_session = factory.session_token(user)
    factory.session_token(user)
    db.exec(
        update(AuthSession)
        .where(col(AuthSession.token_hash) != hash_token(fresh_session))
        .values(expires_at=now - timedelta(seconds=1))
    )
    issue_token(db, purpose=TokenPurpose.SIGN_IN_LINK, user_id=user.id)
    issue_token(db, purpose=TokenPurpose.INVITATION, user_id=user.id, school_id=school.id, role="parent")
    db.exec(update(OneTimeToken).values(expires_at=now - timedelta(minutes=1)))
    db.add(RateLimitHit(key="login:ip:aa", created_at=now - timedelta(hours=2)))
    db.add(RateLimitHit(key="login:ip:bb", created_at=now - timedelta(minutes=5)))
    old_sent = _mail(db, template="sign_in_link", sent_days_ago=91)
    recent_link = _mail(db, template="sign_in_link", sent_days_ago=0.01)
    pending = _mail(db, template="sign_in_link", sent_days_ago=None)
    erasure.request_school_deletion(db, school_id=school.id, actor_user_id=None)
    db.exec(update(type(school)).values(deletion_requested_at=now - timedelta(days=31)))
    db.commit()
    extra: list[int] = []
    hooks.retention["test_visits"] = lambda _db, _now: len(extra)
    extra.append(1)
    try:
        first = retention.run(unscoped)
        extra.clear()
        second = retention.run(unscoped)
    finally:
        del hooks.retention["test_visits"]
    assert first["expired_sessions"] == 1 and first["expired_tokens"] >= 1
    assert first["old_rate_limit_hits"] == 1 and first["old_mail"] == 1
    assert first["link_bodies"] == 1 and first["schools_purged"] == 1 and first["test_visits"] == 1
    assert all(count == 0 for count in second.values()), second
    assert rows_of_school(school.id) == []
    with unscoped() as check:
        assert check.get(OutboxMessage, old_sent) is None
        sent = check.get(OutboxMessage, recent_link)
        assert sent is not None and LINK not in sent.text_body + sent.html_body and sent.subject
        waiting = check.get(OutboxMessage, pending)
        assert waiting is not None and LINK in waiting.text_body  # not sent yet: the link must go out
        assert [h.key for h in check.exec(select(RateLimitHit)).all()] == ["login:ip:bb"]


def test_invitations_stay_as_the_schools_record_until_the_person_or_school_goes(
    factory: Factory, raw_session: Session
) -> None:
    school = factory.school()
    user = factory.member(school, Role.TEACHER)
    assert user.id is not None
    issue_token(
        raw_session, purpose=TokenPurpose.INVITATION, user_id=user.id, school_id=school.id, role="teacher"
    )
    raw_session.exec(update(OneTimeToken).values(expires_at=utcnow() - timedelta(days=30)))
    raw_session.commit()
    retention.run(unscoped)
    assert len(raw_session.exec(select(OneTimeToken)).all()) == 1


def test_cli_prints_counts(clean_db: None) -> None:
    result = CliRunner().invoke(cli, ["retention", "run"])
    assert result.exit_code == 0, result.output
    assert "expired_sessions" in result.output and "old_mail" in result.output
