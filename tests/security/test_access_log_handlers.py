"""/school/access-log over the websocket: only the admin of the session's school reads that school's log.

School A's admin sees A's entry and never B's; A's teacher and parent, and B's admin, see nothing of A's.
(The generic hostile-client harness covers anonymous and malformed calls of this state too.)
"""

from __future__ import annotations

import secrets

import pytest

from ogp_app.core.db import unscoped
from ogp_app.models import StaffAccessLog
from tests.security.conftest import OpenClient
from tests.security.handlers import all_handlers
from tests.security.support import TwoSchools, found_markers
from tests.support.factories import Factory

[LOAD] = [h for h in all_handlers() if h.short == "SchoolAccessLogState.load_log"]


@pytest.fixture
def reasons(factory: Factory, schools: TwoSchools) -> dict[str, str]:
    staff = factory.user(f"sam.{secrets.token_hex(3)}@ogp.example", "Sam Staff", is_staff=True)
    marks = {"a": f"Reason for A {secrets.token_hex(6)}", "b": f"Reason for B {secrets.token_hex(6)}"}
    with unscoped() as db:
        for key, tenant in (("a", schools.a), ("b", schools.b)):
            db.add(
                StaffAccessLog(
                    school_id=tenant.school_id,
                    staff_user_id=staff.id,
                    staff_name="Sam Staff",
                    reason=marks[key],
                    opened="school_overview",
                )
            )
        db.commit()
    return marks


@pytest.mark.parametrize(
    ("school", "person", "sees"),
    [("a", "admin", "a"), ("b", "admin", "b"), ("a", "teacher", None), ("a", "parent", None)],
)
def test_only_the_schools_admin_reads_the_schools_access_log(
    school: str,
    person: str,
    sees: str | None,
    schools: TwoSchools,
    reasons: dict[str, str],
    open_client: OpenClient,
) -> None:
    tenant = schools.a if school == "a" else schools.b
    client = open_client(cookie=tenant.people[person].cookie)
    assert client.call(LOAD.wire_name, {}, pathname="/school/access-log").completed
    client.drain(0.2)
    found = found_markers(client.transcript(), list(reasons.values()))
    assert found == ([reasons[sees]] if sees else [])
