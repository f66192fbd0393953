"""The export download route and a frozen school, as a browser and an attacker see them over HTTP."""

from __future__ import annotations

import io
import json
import zipfile

from sqlmodel import Session
from starlette.testclient import TestClient

from ogp_app.api import SecurityHeadersMiddleware, build_api
from ogp_app.core.settings import get_settings
from ogp_app.models import Role
from ogp_app.services.auth.sessions import resolve_session
from ogp_app.services.privacy import downloads, erasure
from tests.support.factories import Factory


def _client(cookie: str | None = None) -> TestClient:
    client = TestClient(
        SecurityHeadersMiddleware(build_api()), base_url="http://localhost:3000", follow_redirects=False
    )
    if cookie:
        client.cookies.set(get_settings().session_cookie_name, cookie)
    return client


def test_the_export_is_served_once_to_its_owner_as_an_uncached_attachment(
    factory: Factory, raw_session: Session
) -> None:
    school = factory.school()
    parent = factory.member(school, Role.PARENT, factory.user("mila@example.org", "Mila"))
    other = factory.member(school, Role.PARENT)
    assert parent.id is not None
    raw = downloads.create_ticket(raw_session, user_id=parent.id, scope="user")
    url = f"{downloads.PATH}?token={raw}"
    assert _client().get(url).headers["location"] == "/login"  # anonymous: nothing, ticket intact
    refused = _client(factory.session_token(other, school)).get(url)  # someone else's session
    assert refused.status_code == 303 and "zip" not in refused.headers.get("content-type", "")
    owner = _client(factory.session_token(parent, school))
    response = owner.get(f"{downloads.PATH}?token={raw}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))
    assert data["tables"]["user"]["rows"][0]["email"] == "mila@example.org"
    again = owner.get(f"{downloads.PATH}?token={raw}")
    assert again.status_code == 303 and again.headers["location"] == "/privacy/me?error=download"


def test_a_frozen_school_leaves_its_admins_only_their_admin_role(
    factory: Factory, raw_session: Session
) -> None:
    school = factory.school()
    admin = factory.member(school, Role.SCHOOL_ADMIN)
    teacher = factory.member(school, Role.TEACHER)
    assert school.id is not None
    admin_token, teacher_token = factory.session_token(admin, school), factory.session_token(teacher, school)
    erasure.request_school_deletion(raw_session, school_id=school.id, actor_user_id=admin.id)
    frozen_teacher = resolve_session(teacher_token)
    assert frozen_teacher is not None and frozen_teacher.school_frozen and frozen_teacher.roles == frozenset()
    frozen_admin = resolve_session(admin_token)
    assert frozen_admin is not None and frozen_admin.roles == {Role.SCHOOL_ADMIN.value}
    erasure.undo_school_deletion(raw_session, school_id=school.id, actor_user_id=admin.id)
    back = resolve_session(teacher_token)
    assert back is not None and not back.school_frozen and back.roles == {Role.TEACHER.value}
