"""Rate limits hold under parallel requests: counting is atomic, and an attempt is counted before the
password or code is checked, so 40 parallel guesses evaluate at most the limit (issue 20, item 4).

Threads with their own database sessions, released together; run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import select

from ogp_app.core.db import session as db_session
from ogp_app.core.db import unscoped
from ogp_app.models import RateLimitHit, SessionStage
from ogp_app.models.base import utcnow
from ogp_app.services import accounts
from ogp_app.services.accounts import login
from ogp_app.services.auth import login_flow, rate_limit
from ogp_app.services.auth.passwords import hash_password
from ogp_app.services.auth.sessions import create_session
from tests.support.accounts import STRONG, mails
from tests.support.factories import Factory

PARALLEL = 40
EMAIL = "ouder@example.org"


def _in_parallel(call: Callable[[], object]) -> Counter[str]:
    """Run ``call`` in PARALLEL threads released at once; how often each outcome (or error) came out."""
    barrier = threading.Barrier(PARALLEL)

    def one() -> str:
        barrier.wait()
        try:
            return str(call())
        except Exception as error:  # the outcome is what a caller would see
            return type(error).__name__

    with ThreadPoolExecutor(PARALLEL) as pool:
        return Counter(pool.map(lambda _: one(), range(PARALLEL)))


class _Counting:
    """Wraps a check (password, code) and counts how often it was reached."""

    def __init__(self, check: Callable[..., object]) -> None:
        self.check, self.calls, self._lock = check, 0, threading.Lock()

    def __call__(self, *args: object, **kwargs: object) -> object:
        with self._lock:
            self.calls += 1
        return self.check(*args, **kwargs)


def test_forty_parallel_wrong_passwords_check_at_most_the_limit(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    factory.user(EMAIL, password_hash=hash_password(STRONG))
    checked = _Counting(login.verify_password)
    monkeypatch.setattr(login, "verify_password", checked)

    def guess() -> str:
        with db_session() as db:
            login.authenticate(db, email=EMAIL, password="verkeerd-wachtwoord-1", ip="198.51.100.4")
        return "in"

    outcomes = _in_parallel(guess)
    limit = rate_limit.LOGIN_PER_ACCOUNT.limit
    assert checked.calls <= limit
    refused = PARALLEL - checked.calls
    assert outcomes == Counter({"InvalidCredentials": checked.calls, "AccountLocked": refused})
    with pytest.raises(accounts.AccountLocked), db_session() as db:  # the right password too, now
        login.authenticate(db, email=EMAIL, password=STRONG, ip=None)


def test_a_right_password_gives_its_attempt_back(factory: Factory) -> None:
    factory.user(EMAIL, password_hash=hash_password(STRONG), email_verified_at=utcnow())
    for _ in range(rate_limit.LOGIN_PER_ACCOUNT.limit + 2):
        with db_session() as db:
            assert login.authenticate(db, email=EMAIL, password=STRONG, ip="198.51.100.4")
    with unscoped() as db:
        assert db.exec(select(RateLimitHit)).all() == []


def test_forty_parallel_wrong_second_factor_codes_check_at_most_the_limit(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = factory.user(EMAIL)
    assert user.id is not None
    with db_session() as db:
        pending = create_session(db, user_id=user.id, school_id=None, stage=SessionStage.SECOND_FACTOR)
    checked = _Counting(lambda db, *, user_id, code: False)  # every code wrong
    monkeypatch.setattr(login_flow, "verify_second_factor", checked)

    def guess() -> str:
        with db_session() as db:
            login_flow.complete_second_factor(db, token=pending, code="123456")
        return "in"

    outcomes = _in_parallel(guess)
    limit = login_flow.SECOND_FACTOR_PER_USER.limit
    assert checked.calls <= limit
    refused = PARALLEL - checked.calls
    assert outcomes == Counter({"TwoFactorCodeInvalid": checked.calls, "RateLimited": refused})


def test_forty_parallel_sign_in_link_requests_send_at_most_the_limit(factory: Factory) -> None:
    factory.user(EMAIL)

    def ask() -> str:
        with db_session() as db:
            login.request_sign_in_link(db, email=EMAIL, ip=None)
        return "sent"

    outcomes = _in_parallel(ask)
    limit = rate_limit.MAIL_PER_ADDRESS.limit
    assert len(mails(to=EMAIL, template="sign_in_link")) == outcomes["sent"] == limit
    assert outcomes["RateLimited"] == PARALLEL - limit


def test_parallel_hits_of_one_key_count_exactly_the_limit(clean_db: None) -> None:
    def one() -> int:
        with unscoped() as db:
            hit_id = rate_limit.hit(db, key="parallel:k", limit=7, window=timedelta(minutes=5))
            db.commit()
        return hit_id

    outcomes = _in_parallel(one)
    assert outcomes["RateLimited"] == PARALLEL - 7
    with unscoped() as db:
        assert len(db.exec(select(RateLimitHit).where(RateLimitHit.key == "parallel:k")).all()) == 7
