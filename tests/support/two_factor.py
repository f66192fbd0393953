"""The one way tests enrol an authenticator, wherever in a 30-second TOTP window they run.

Each accepted code claims its step, and later codes must be of a later step. Confirming with the code
of "now" would spend the step a test's next log-in needs; confirming with the previous step's code
fails when the window turns between computing and checking it (two steps old by then). So enrolment
happens under a clock set ten minutes back (time-machine, in this process): the step it claims lies far
behind every code a test gives afterwards, in this process or to the served app (which checks with its
own clock and accepts the previous, current and next step: a code computed now still passes when the
window turns before the check).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import pyotp
import time_machine
from sqlmodel import Session

from ogp_app.core.db import unscoped
from ogp_app.services.auth import two_factor

STEP_SECONDS = 30
ENROLLED_AGO = timedelta(minutes=10)


@dataclass(frozen=True)
class Authenticator:
    """The person's authenticator app and the recovery codes shown at enrolment."""

    totp: pyotp.TOTP
    recovery_codes: list[str]


def enrol_two_factor(
    user_id: int, *, label: str = "test@example.org", db: Session | None = None
) -> Authenticator:
    """Begin and confirm two-factor for ``user_id`` (in ``db``, or a session of its own)."""
    with _session(db) as session:
        enrolment = two_factor.begin_enrolment(session, user_id=user_id, account_label=label)
        totp = pyotp.TOTP(enrolment.secret)
        moment = time.time() - ENROLLED_AGO.total_seconds()
        with time_machine.travel(moment, tick=False):
            codes = two_factor.confirm_enrolment(session, user_id=user_id, code=totp.at(moment))
    return Authenticator(totp=totp, recovery_codes=codes)


def next_code(totp: pyotp.TOTP) -> str:
    """A code of the next step: accepted now and after the window turns, and never the step just used
    (for a second log-in right after one with ``totp.now()``)."""
    return totp.at(time.time() + STEP_SECONDS)


@contextmanager
def _session(db: Session | None) -> Iterator[Session]:
    if db is not None:
        yield db
        return
    with unscoped() as session:
        yield session
