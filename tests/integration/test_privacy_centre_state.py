"""/privacy/me's state, as the signed-in person's websocket would hold it: once the account is deleted, the
page's state keeps nothing that was shown about the person (it goes to the browser with every update)."""

from __future__ import annotations

import asyncio
from datetime import date

from ogp_app.core.db import unscoped
from ogp_app.models import Role
from ogp_app.pages.account.privacy_me.state import PrivacyCentreState
from ogp_app.services.auth.passwords import hash_password
from ogp_app.services.privacy.disclosures import record_disclosure
from tests.support.accounts import STRONG
from tests.support.factories import Factory
from tests.support.states import state_with_cookie


def test_deleting_the_account_leaves_nothing_of_the_person_in_the_page_state(factory: Factory) -> None:
    school = factory.school("De Regenboog")
    person = factory.user("ouder@example.org", "Ouder Een", password_hash=hash_password(STRONG))
    parent = factory.member(school, Role.PARENT, person)
    staff = factory.user("staff@ogp.example", "Staf", is_staff=True)
    assert staff.id is not None
    with unscoped() as db:
        record_disclosure(
            db,
            staff_user_id=staff.id,
            authority="Politie Eenheid Utrecht",
            disclosed_on=date(2026, 1, 5),
            scope="Naam en e-mailadres",
            subject_emails=[parent.email],
        )
    state = state_with_cookie(PrivacyCentreState, f"ogp_session={factory.session_token(parent, school)}")
    handlers = PrivacyCentreState.event_handlers
    asyncio.run(handlers["load_privacy"].fn(state))
    assert (
        state.loaded
        and state.has_password
        and [d.second for d in state.disclosures] == ["Politie Eenheid Utrecht"]
    )

    asyncio.run(handlers["delete_account"].fn(state, {"delete_password": STRONG, "delete_code": ""}))

    assert state.account_deleted and not state.loaded
    own = {name: getattr(state, name) for name in PrivacyCentreState.base_vars if name != "account_deleted"}
    shown = str(own)
    for trace in ("ouder@example.org", "Ouder Een", "Politie Eenheid Utrecht", "De Regenboog"):
        assert trace not in shown
    assert not state.has_password and not state.disclosures
