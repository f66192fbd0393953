"""TOTP two-factor authentication (RFC 6238) with single-use recovery codes.

Codes are checked against the database, not in memory: accepting a code moves ``last_used_step``
forward with one conditional UPDATE, and a recovery code is spent the same way, so two requests
racing with the same code cannot both win. Callers decide *when* a second factor is asked
(:func:`second_factor_required`) and must re-authenticate a person before :func:`disable`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

import pyotp
import segno
from sqlalchemy import or_
from sqlmodel import Session, col, delete, select, update

from ogp_app.models import RecoveryCode, Role, TotpCredential
from ogp_app.models.base import utcnow
from ogp_app.services.auth.crypto import PURPOSE_TOTP, SecretUnreadable, decrypt_secret, encrypt_secret
from ogp_app.services.errors import DomainError

ISSUER = "Oudergesprekplanner"
RECOVERY_CODE_COUNT = 10
# An unconfirmed secret is shown again on the enrolment page for this long (reloads, language switch).
PENDING_SECRET_KEPT = timedelta(hours=1)
VALID_WINDOW = 1  # accept the previous and next 30-second step too (clock drift, slow typing)
_TOTP_CODE = re.compile(r"\d{6}")
_RECOVERY_CODE = re.compile(r"[A-Z2-7]{16}")


class TwoFactorCodeInvalid(DomainError):
    message_key = "two_factor.error.invalid_code"


class TwoFactorNotStarted(DomainError):
    message_key = "two_factor.error.not_started"


class TwoFactorAlreadyEnabled(DomainError):
    message_key = "two_factor.error.already_enabled"


class TwoFactorNotEnabled(DomainError):
    message_key = "two_factor.error.not_enabled"


@dataclass(frozen=True)
class Enrolment:
    """What the person needs to add the account to an authenticator app; shown once."""

    secret: str  # base32, for typing in by hand
    provisioning_uri: str  # otpauth://...
    qr_svg: str  # inline <svg>, rendered here: the secret never leaves for a QR service


def second_factor_required(*, roles: frozenset[str], is_staff: bool) -> bool:
    """School administrators and OGP staff must use a second factor."""
    return is_staff or Role.SCHOOL_ADMIN.value in roles


def begin_enrolment(db: Session, *, user_id: int, account_label: str) -> Enrolment:
    """Start (or restart) enrolment with a fresh secret; refused when a confirmed one exists."""
    credential = _credential(db, user_id)
    if credential is not None and credential.confirmed_at is not None:
        raise TwoFactorAlreadyEnabled()
    secret = pyotp.random_base32()  # 160 bits
    if credential is None:
        credential = TotpCredential(user_id=user_id, secret_encrypted="")
    credential.secret_encrypted = encrypt_secret(secret, purpose=PURPOSE_TOTP)
    credential.last_used_step = None
    credential.created_at = utcnow()
    db.add(credential)
    db.commit()
    return _enrolment(secret, account_label)


def _enrolment(secret: str, account_label: str) -> Enrolment:
    uri = pyotp.TOTP(secret).provisioning_uri(name=account_label, issuer_name=ISSUER)
    qr_svg = segno.make(uri, error="m").svg_inline(scale=4, omitsize=True)
    return Enrolment(secret=secret, provisioning_uri=uri, qr_svg=qr_svg)


def current_enrolment(db: Session, *, user_id: int, account_label: str) -> Enrolment:
    """The enrolment page's secret: the one still waiting for its first code when it is recent, so a
    reload or a language switch shows the QR code the person may already have scanned; else a new one."""
    credential = _credential(db, user_id)
    if (
        credential is not None
        and credential.confirmed_at is None
        and credential.secret_encrypted
        and utcnow() - credential.created_at < PENDING_SECRET_KEPT
    ):
        try:
            secret = decrypt_secret(credential.secret_encrypted, purpose=PURPOSE_TOTP)
        except SecretUnreadable:
            secret = ""  # the installation's key changed since: start over
        if secret:
            return _enrolment(secret, account_label)
    return begin_enrolment(db, user_id=user_id, account_label=account_label)


def confirm_enrolment(db: Session, *, user_id: int, code: str) -> list[str]:
    """Switch two-factor on after a correct code; returns the recovery codes (shown once)."""
    credential = _credential(db, user_id)
    if credential is None or credential.confirmed_at is not None:
        raise TwoFactorNotStarted()
    if not _accept_totp(db, credential, _normalise(code)):
        raise TwoFactorCodeInvalid()
    credential.confirmed_at = utcnow()
    db.add(credential)
    return _replace_recovery_codes(db, user_id)  # commits


def is_enrolled(db: Session, *, user_id: int) -> bool:
    credential = _credential(db, user_id)
    return credential is not None and credential.confirmed_at is not None


def verify_second_factor(db: Session, *, user_id: int, code: str) -> bool:
    """True for a fresh authenticator code or an unused recovery code (which is then spent)."""
    credential = _credential(db, user_id)
    if credential is None or credential.confirmed_at is None:
        return False
    normalised = _normalise(code)
    if _TOTP_CODE.fullmatch(normalised):
        accepted = _accept_totp(db, credential, normalised)
    elif _RECOVERY_CODE.fullmatch(normalised):
        accepted = _spend_recovery_code(db, user_id, normalised)
    else:
        accepted = False
    db.commit()
    return accepted


def disable(db: Session, *, user_id: int) -> None:
    """Remove the authenticator and all recovery codes. The caller must have re-authenticated."""
    db.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    db.exec(delete(TotpCredential).where(col(TotpCredential.user_id) == user_id))
    db.commit()


def regenerate_recovery_codes(db: Session, *, user_id: int) -> list[str]:
    """New recovery codes; every earlier one stops working."""
    if not is_enrolled(db, user_id=user_id):
        raise TwoFactorNotEnabled()
    return _replace_recovery_codes(db, user_id)


def _credential(db: Session, user_id: int) -> TotpCredential | None:
    return db.exec(select(TotpCredential).where(TotpCredential.user_id == user_id)).first()


def _normalise(code: str) -> str:
    return re.sub(r"[\s\-]", "", code or "").upper()[:64]


def _accept_totp(db: Session, credential: TotpCredential, code: str) -> bool:
    """Match ``code`` within the window, then claim its step atomically (no reuse, no going back)."""
    if not _TOTP_CODE.fullmatch(code):
        return False
    totp = pyotp.TOTP(decrypt_secret(credential.secret_encrypted, purpose=PURPOSE_TOTP))
    current = totp.timecode(time.time())
    steps = [
        current + offset
        for offset in range(-VALID_WINDOW, VALID_WINDOW + 1)
        if hmac.compare_digest(totp.generate_otp(current + offset), code)
    ]
    if not steps:
        return False
    step = max(steps)
    claimed = db.exec(
        update(TotpCredential)
        .where(col(TotpCredential.id) == credential.id)
        .where(or_(col(TotpCredential.last_used_step).is_(None), col(TotpCredential.last_used_step) < step))
        .values(last_used_step=step)
    )
    if claimed.rowcount != 1:
        return False
    credential.last_used_step = step
    return True


def _hash_recovery_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _spend_recovery_code(db: Session, user_id: int, code: str) -> bool:
    spent = db.exec(
        update(RecoveryCode)
        .where(col(RecoveryCode.user_id) == user_id)
        .where(col(RecoveryCode.code_hash) == _hash_recovery_code(code))
        .where(col(RecoveryCode.used_at).is_(None))
        .values(used_at=utcnow())
    )
    return spent.rowcount == 1


def _replace_recovery_codes(db: Session, user_id: int) -> list[str]:
    db.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = base64.b32encode(secrets.token_bytes(10)).decode()  # 80 bits, 16 characters
        db.add(RecoveryCode(user_id=user_id, code_hash=_hash_recovery_code(raw)))
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
    db.commit()
    return codes
