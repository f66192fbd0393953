"""TOTP two-factor: enrolment, codes accepted once, recovery codes, secrets stored encrypted."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine
from sqlalchemy import text
from sqlmodel import Session

from ogp_app.core.db import session as db_session
from ogp_app.models import Role
from ogp_app.services.auth import two_factor
from ogp_app.services.auth.two_factor import (
    TwoFactorAlreadyEnabled,
    TwoFactorCodeInvalid,
    TwoFactorNotEnabled,
    TwoFactorNotStarted,
)
from tests.support.factories import Factory
from tests.support.two_factor import STEP_SECONDS, enrol_two_factor

# A step starts at every multiple of 30 s since the epoch: this is 10 s into one.
STEP_START = datetime(2026, 3, 10, 12, 0, 0, tzinfo=UTC)
assert STEP_START.timestamp() % STEP_SECONDS == 0


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    """A stopped clock, 10 s into a step: which step "now" is never depends on when the test runs."""
    with time_machine.travel(STEP_START + timedelta(seconds=10), tick=False) as traveller:
        yield traveller


@pytest.fixture
def db(clean_db: None) -> Iterator[Session]:
    with db_session() as session:
        yield session


def _user_id(factory: Factory) -> int:
    user = factory.user("juf@school.example")
    assert user.id is not None
    return user.id


def _enrolled(db: Session, user_id: int) -> tuple[pyotp.TOTP, list[str]]:
    enrolled = enrol_two_factor(user_id, label="juf@school.example", db=db)
    return enrolled.totp, enrolled.recovery_codes


def test_enrolment_gives_an_authenticator_uri_and_a_local_qr(db: Session, factory: Factory) -> None:
    user_id = _user_id(factory)
    enrolment = two_factor.begin_enrolment(db, user_id=user_id, account_label="juf@school.example")
    assert enrolment.provisioning_uri.startswith("otpauth://totp/Oudergesprekplanner:juf%40school.example?")
    assert f"secret={enrolment.secret}" in enrolment.provisioning_uri
    assert "issuer=Oudergesprekplanner" in enrolment.provisioning_uri
    svg = enrolment.qr_svg
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert not re.search(r"https?:", svg) and "href" not in svg and "<image" not in svg
    assert not two_factor.is_enrolled(db, user_id=user_id)  # not before the first code


def test_confirm_with_a_correct_code_enables_and_returns_ten_recovery_codes(
    db: Session, factory: Factory
) -> None:
    user_id = _user_id(factory)
    _, codes = _enrolled(db, user_id)
    assert two_factor.is_enrolled(db, user_id=user_id)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){3}", c) for c in codes)


def test_wrong_code_does_not_confirm(db: Session, factory: Factory) -> None:
    user_id = _user_id(factory)
    enrolment = two_factor.begin_enrolment(db, user_id=user_id, account_label="x")
    wrong = f"{(int(pyotp.TOTP(enrolment.secret).now()) + 1) % 1_000_000:06d}"
    with pytest.raises(TwoFactorCodeInvalid):
        two_factor.confirm_enrolment(db, user_id=user_id, code=wrong)
    assert not two_factor.is_enrolled(db, user_id=user_id)


def test_restarting_enrolment_replaces_the_unconfirmed_secret(db: Session, factory: Factory) -> None:
    user_id = _user_id(factory)
    first = two_factor.begin_enrolment(db, user_id=user_id, account_label="x")
    second = two_factor.begin_enrolment(db, user_id=user_id, account_label="x")
    assert first.secret != second.secret
    with pytest.raises(TwoFactorCodeInvalid):
        two_factor.confirm_enrolment(db, user_id=user_id, code=pyotp.TOTP(first.secret).now())
    assert two_factor.confirm_enrolment(db, user_id=user_id, code=pyotp.TOTP(second.secret).now())


def test_enrolment_cannot_be_restarted_or_confirmed_twice_once_enabled(db: Session, factory: Factory) -> None:
    user_id = _user_id(factory)
    totp, _ = _enrolled(db, user_id)
    with pytest.raises(TwoFactorAlreadyEnabled):
        two_factor.begin_enrolment(db, user_id=user_id, account_label="x")
    with pytest.raises(TwoFactorNotStarted):
        two_factor.confirm_enrolment(db, user_id=user_id, code=totp.now())


def test_a_code_is_accepted_once_within_its_window(db: Session, factory: Factory) -> None:
    user_id = _user_id(factory)
    totp, _ = _enrolled(db, user_id)
    t0 = time.time()
    now_code, previous_code = totp.at(t0), totp.at(t0 - 30)
    assert two_factor.verify_second_factor(db, user_id=user_id, code=now_code)
    assert not two_factor.verify_second_factor(db, user_id=user_id, code=now_code)  # replay
    assert not two_factor.verify_second_factor(db, user_id=user_id, code=previous_code)  # older step


def test_a_code_typed_as_the_step_ends_is_accepted_in_the_next_step(
    db: Session, factory: Factory, clock: time_machine.Traveller
) -> None:
    user_id = _user_id(factory)
    totp, _ = _enrolled(db, user_id)
    clock.move_to(STEP_START + timedelta(seconds=29.9))
    code = totp.now()
    clock.move_to(STEP_START + timedelta(seconds=30.1))
    assert two_factor.verify_second_factor(db, user_id=user_id, code=code)


def test_a_code_two_steps_old_is_refused(
    db: Session, factory: Factory, clock: time_machine.Traveller
) -> None:
    user_id = _user_id(factory)
    totp, _ = _enrolled(db, user_id)
    code = totp.now()
    clock.move_to(STEP_START + timedelta(seconds=2 * STEP_SECONDS))
    assert not two_factor.verify_second_factor(db, user_id=user_id, code=code)
    assert two_factor.verify_second_factor(db, user_id=user_id, code=totp.now())


def test_codes_outside_the_window_and_garbage_are_refused(db: Session, factory: Factory) -> None:
    user_id = _user_id(factory)
    totp, _ = _enrolled(db, user_id)
    for code in (totp.at(time.time() - 120), totp.at(time.time() + 120), "", "12345", "abcdef", "1" * 64):
        assert not two_factor.verify_second_factor(db, user_id=user_id, code=code)


def test_code_with_spaces_is_accepted(db: Session, factory: Factory) -> None:
    user_id = _user_id(factory)
    totp, _ = _enrolled(db, user_id)
    code = totp.now()
    assert two_factor.verify_second_factor(db, user_id=user_id, code=f" {code[:3]} {code[3:]} ")


def test_recovery_code_works_once_in_any_spelling(db: Session, factory: Factory) -> None:
    user_id = _user_id(factory)
    _, codes = _enrolled(db, user_id)
    sloppy = codes[0].replace("-", " ").lower()
    assert two_factor.verify_second_factor(db, user_id=user_id, code=sloppy)
    assert not two_factor.verify_second_factor(db, user_id=user_id, code=codes[0])
    assert two_factor.verify_second_factor(db, user_id=user_id, code=codes[1].replace("-", ""))


def test_recovery_codes_of_someone_else_do_not_work(db: Session, factory: Factory) -> None:
    alice, bob = _user_id(factory), factory.user().id
    assert bob is not None
    _, alice_codes = _enrolled(db, alice)
    _enrolled(db, bob)
    assert not two_factor.verify_second_factor(db, user_id=bob, code=alice_codes[0])


def test_regenerating_recovery_codes_voids_the_old_ones(db: Session, factory: Factory) -> None:
    user_id = _user_id(factory)
    _, old = _enrolled(db, user_id)
    new = two_factor.regenerate_recovery_codes(db, user_id=user_id)
    assert set(new).isdisjoint(old)
    assert not two_factor.verify_second_factor(db, user_id=user_id, code=old[0])
    assert two_factor.verify_second_factor(db, user_id=user_id, code=new[0])


def test_disable_removes_the_factor(db: Session, factory: Factory) -> None:
    user_id = _user_id(factory)
    totp, codes = _enrolled(db, user_id)
    two_factor.disable(db, user_id=user_id)
    assert not two_factor.is_enrolled(db, user_id=user_id)
    assert not two_factor.verify_second_factor(db, user_id=user_id, code=totp.now())
    assert not two_factor.verify_second_factor(db, user_id=user_id, code=codes[0])
    with pytest.raises(TwoFactorNotEnabled):
        two_factor.regenerate_recovery_codes(db, user_id=user_id)


def test_not_enrolled_person_has_no_second_factor(db: Session, factory: Factory) -> None:
    user_id = _user_id(factory)
    assert not two_factor.verify_second_factor(db, user_id=user_id, code="123456")


def test_secret_and_recovery_codes_are_not_stored_in_the_clear(db: Session, factory: Factory) -> None:
    user_id = _user_id(factory)
    enrolment = two_factor.begin_enrolment(db, user_id=user_id, account_label="x")
    codes = two_factor.confirm_enrolment(db, user_id=user_id, code=pyotp.TOTP(enrolment.secret).now())
    dump = " ".join(
        str(row)
        for table in ("totp_credential", "recovery_code")
        for row in db.connection().execute(text(f"SELECT * FROM {table}")).all()
    )
    assert enrolment.secret not in dump and enrolment.secret.lower() not in dump
    for code in codes:
        assert code not in dump and code.replace("-", "") not in dump


def test_who_must_use_a_second_factor() -> None:
    admin = frozenset({Role.SCHOOL_ADMIN.value})
    assert two_factor.second_factor_required(roles=admin, is_staff=False)
    assert two_factor.second_factor_required(roles=frozenset(), is_staff=True)
    assert two_factor.second_factor_required(roles=admin | {Role.TEACHER.value}, is_staff=False)
    assert not two_factor.second_factor_required(roles=frozenset({Role.TEACHER.value}), is_staff=False)
    assert not two_factor.second_factor_required(roles=frozenset({Role.PARENT.value}), is_staff=False)


def test_racing_requests_spend_a_recovery_code_once(factory: Factory) -> None:
    """Eight concurrent sessions submit the same code: the conditional UPDATE lets exactly one win."""
    user_id = _user_id(factory)
    with db_session() as db:
        _, codes = _enrolled(db, user_id)
    barrier = threading.Barrier(8)

    def attempt() -> bool:
        with db_session() as db:
            barrier.wait()
            return two_factor.verify_second_factor(db, user_id=user_id, code=codes[0])

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: attempt(), range(8)))
    assert results.count(True) == 1
