"""One-time tokens: stored hashed, bound to a purpose, expiring, usable exactly once (also concurrently)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from ogp_app.core.db import session as db_session
from ogp_app.core.db import unscoped
from ogp_app.models import OneTimeToken, TokenPurpose
from ogp_app.models.base import utcnow
from ogp_app.services.auth.sessions import hash_token
from ogp_app.services.auth.tokens import (
    LIFETIMES,
    InvalidToken,
    consume_token,
    expire_tokens,
    issue_token,
    peek_token,
)
from tests.support.factories import Factory

RESET = TokenPurpose.PASSWORD_RESET


def _issue(factory: Factory, purpose: TokenPurpose = RESET, **values: object) -> tuple[str, int]:
    user = factory.user()
    assert user.id is not None
    raw = issue_token(factory.session, purpose=purpose, user_id=user.id, **values)  # type: ignore[arg-type]
    factory.session.commit()
    return raw, user.id


def _consume(raw: object, purpose: TokenPurpose = RESET) -> OneTimeToken:
    with db_session() as db:
        row = consume_token(db, raw=raw, purpose=purpose)  # type: ignore[arg-type]
        db.commit()
    return row


def _set_expiry(raw: str, when_delta: timedelta) -> None:
    with unscoped() as db:
        row = db.exec(select(OneTimeToken).where(OneTimeToken.token_hash == hash_token(raw))).one()
        row.expires_at = utcnow() + when_delta
        db.add(row)
        db.commit()


def test_raw_token_is_256_bit_and_only_its_hash_is_stored(factory: Factory) -> None:
    raw, _ = _issue(factory, TokenPurpose.EMAIL_CHANGE, new_email="nieuw@example.org")
    assert len(raw) >= 43
    with unscoped() as db:
        row = db.exec(select(OneTimeToken)).one()
    assert row.token_hash == hash_token(raw)
    assert raw not in " ".join(str(v) for v in row.model_dump().values())


@pytest.mark.parametrize("purpose", list(TokenPurpose))
def test_each_purpose_has_its_lifetime(factory: Factory, purpose: TokenPurpose) -> None:
    _issue(factory, purpose)
    with unscoped() as db:
        row = db.exec(select(OneTimeToken)).one()
    assert row.expires_at - row.created_at == LIFETIMES[purpose]


def test_lifetimes_are_those_of_the_issue() -> None:
    expected = {
        TokenPurpose.INVITATION: timedelta(days=7),
        TokenPurpose.SIGN_IN_LINK: timedelta(minutes=15),
        TokenPurpose.PASSWORD_RESET: timedelta(hours=1),
        TokenPurpose.VERIFY_EMAIL: timedelta(hours=48),
        TokenPurpose.EMAIL_CHANGE: timedelta(hours=24),
    }
    assert expected == LIFETIMES


def test_token_works_once_then_is_refused(factory: Factory) -> None:
    raw, user_id = _issue(factory)
    row = _consume(raw)
    assert row.user_id == user_id and row.used_at is not None
    with pytest.raises(InvalidToken):
        _consume(raw)


def test_peek_does_not_consume_and_fails_after_use(factory: Factory) -> None:
    raw, user_id = _issue(factory)
    with db_session() as db:
        assert peek_token(db, raw=raw, purpose=RESET).user_id == user_id
        assert peek_token(db, raw=raw, purpose=RESET).used_at is None
        row = consume_token(db, raw=raw, purpose=RESET)  # same session: must see its own update
        assert row.used_at is not None
        db.commit()
        with pytest.raises(InvalidToken):
            peek_token(db, raw=raw, purpose=RESET)


def test_expired_token_is_refused_by_peek_and_consume(factory: Factory) -> None:
    raw, _ = _issue(factory)
    _set_expiry(raw, -timedelta(seconds=1))
    with db_session() as db, pytest.raises(InvalidToken):
        peek_token(db, raw=raw, purpose=RESET)
    with pytest.raises(InvalidToken):
        _consume(raw)


def test_token_for_another_purpose_is_refused(factory: Factory) -> None:
    raw, _ = _issue(factory, TokenPurpose.SIGN_IN_LINK)
    with pytest.raises(InvalidToken):
        _consume(raw, TokenPurpose.INVITATION)
    assert _consume(raw, TokenPurpose.SIGN_IN_LINK).used_at is not None


@pytest.mark.parametrize(
    "raw", ["", "x", "a" * 43, "a" * 5000, None, 12345, ["list"], "'; DROP TABLE user; --"]
)
def test_unknown_or_malformed_tokens_get_the_same_error(factory: Factory, raw: object) -> None:
    _issue(factory)
    with pytest.raises(InvalidToken) as caught:
        _consume(raw)
    assert caught.value.message_key == "accounts.error.invalid_link"


def test_used_expired_and_unknown_are_indistinguishable(factory: Factory) -> None:
    used, _ = _issue(factory)
    _consume(used)
    expired, _ = _issue(factory)
    _set_expiry(expired, -timedelta(minutes=1))
    errors = []
    for raw in (used, expired, "unknown-token-unknown-token-unknown-token-12"):
        with pytest.raises(InvalidToken) as caught:
            _consume(raw)
        errors.append((type(caught.value), caught.value.message_key, str(caught.value)))
    assert len(set(errors)) == 1


def test_rolled_back_consumption_leaves_the_token_usable(factory: Factory) -> None:
    raw, _ = _issue(factory)
    with db_session() as db:
        consume_token(db, raw=raw, purpose=RESET)
        db.rollback()
    assert _consume(raw).used_at is not None


def test_expire_tokens_ends_outstanding_links_of_one_purpose_only(factory: Factory) -> None:
    user = factory.user()
    assert user.id is not None
    db = factory.session
    old_reset = issue_token(db, purpose=RESET, user_id=user.id)
    sign_in = issue_token(db, purpose=TokenPurpose.SIGN_IN_LINK, user_id=user.id)
    expire_tokens(db, user_id=user.id, purpose=RESET)
    new_reset = issue_token(db, purpose=RESET, user_id=user.id)
    db.commit()
    with pytest.raises(InvalidToken):
        _consume(old_reset)
    _consume(new_reset)
    _consume(sign_in, TokenPurpose.SIGN_IN_LINK)


def test_concurrent_consumers_have_exactly_one_winner(factory: Factory) -> None:
    """Eight threads, each with its own session and transaction, race for one token."""
    raw, _ = _issue(factory, TokenPurpose.INVITATION)
    threads_n = 8
    barrier = threading.Barrier(threads_n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt() -> None:
        with db_session() as db:
            barrier.wait()
            try:
                consume_token(db, raw=raw, purpose=TokenPurpose.INVITATION)
                time.sleep(0.05)  # hold the transaction open while the others try
                db.commit()
                outcome = "won"
            except InvalidToken:
                db.rollback()
                outcome = "refused"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt) for _ in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused"] * (threads_n - 1) + ["won"]


def test_token_rows_go_with_their_person(factory: Factory, raw_session: Session) -> None:
    _issue(factory)
    user = factory.user()
    assert user.id is not None
    issue_token(factory.session, purpose=RESET, user_id=user.id)
    factory.session.delete(user)
    factory.session.commit()
    assert len(raw_session.exec(select(OneTimeToken)).all()) == 1
