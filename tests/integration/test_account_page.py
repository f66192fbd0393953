"""/account's handlers, as the signed-in person's websocket would call them: each write runs in the
narrowest session that does the work (a plain one, which refuses school data), and the page shows the
account again afterwards (its memberships span schools)."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import Session, select

from ogp_app.core.db import TenantScopeMissing
from ogp_app.core.db import session as db_session
from ogp_app.models import Membership, Role, School, User
from ogp_app.pages.account.account import state as account_page
from ogp_app.pages.account.account.state import AccountState
from tests.support.factories import Factory
from tests.support.states import state_with_cookie


@pytest.fixture
def teacher(factory: Factory) -> tuple[School, User, School]:
    """A teacher at two schools, signed in at the first."""
    regenboog, klimop = factory.school("De Regenboog"), factory.school("De Klimop")
    user = factory.member(regenboog, Role.TEACHER, factory.user("juf@example.org", "Juf Anna"))
    factory.member(klimop, Role.TEACHER, user)
    return regenboog, user, klimop


def test_saving_the_name_writes_in_a_session_that_refuses_school_data(
    teacher: tuple[School, User, School], factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    regenboog, user, _ = teacher
    refused: list[bool] = []
    real = account_page.change_display_name

    def change_display_name(db: Session, **kwargs: object) -> None:
        try:
            db.exec(select(Membership)).all()
            refused.append(False)
        except TenantScopeMissing:
            refused.append(True)
            db.rollback()
        real(db, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(account_page, "change_display_name", change_display_name)
    state = state_with_cookie(AccountState, f"ogp_session={factory.session_token(user, regenboog)}")
    asyncio.run(AccountState.event_handlers["save_name"].fn(state, {"display_name": "Anna de Vries"}))
    assert refused == [True]  # the write could not have read another school's memberships
    assert state.display_name == "Anna de Vries"  # and the page shows the account again
    assert sorted(row.name for row in state.schools) == ["De Klimop", "De Regenboog"]
    assert [row.name for row in state.schools if row.current] == ["De Regenboog"]


def test_a_signed_out_caller_changes_nothing_and_sees_nothing(
    teacher: tuple[School, User, School], factory: Factory
) -> None:
    state = state_with_cookie(AccountState, "ogp_session=not-a-session")
    asyncio.run(AccountState.event_handlers["save_name"].fn(state, {"display_name": "Iemand Anders"}))
    assert not state.signed_in and not state.account_loaded and state.schools == []
    _, user, _ = teacher
    with db_session() as db:
        assert db.get(User, user.id).display_name == "Juf Anna"  # type: ignore[union-attr]
