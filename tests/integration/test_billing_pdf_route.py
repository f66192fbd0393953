"""GET /api/billing/invoices/<id>/pdf: the invoice PDF for the admin of its school only, never cached."""

from __future__ import annotations

import httpx
from sqlmodel import select
from starlette.testclient import TestClient

from ogp_app.api import build_api
from ogp_app.core.db import school_session
from ogp_app.integrations.stripe_gateway import LocalGateway
from ogp_app.models import Invoice, Role, School
from ogp_app.models.base import utcnow
from ogp_app.services.billing import subscribe
from tests.support.billing import billed_school
from tests.support.factories import Factory
from tests.support.two_factor import enrol_two_factor

COOKIE = "ogp_session"


def get(path: str, token: str | None = None) -> httpx.Response:
    client = TestClient(build_api(), base_url="http://localhost:3000", follow_redirects=False)
    if token:
        client.cookies.set(COOKIE, token)
    return client.get(path)


def enrolled_admin(factory: Factory, school: School) -> str:
    admin = factory.member(school, Role.SCHOOL_ADMIN)
    assert admin.id is not None
    enrol_two_factor(admin.id, label=admin.email)
    return factory.session_token(admin, school)


def invoiced(school: School) -> Invoice:
    assert school.id is not None
    with school_session(school.id) as db:
        subscribe(db, school_id=school.id, method="invoice", gateway=LocalGateway(), now=utcnow())
        return db.exec(select(Invoice)).one()


def test_only_the_schools_admin_downloads_the_pdf_and_it_is_not_cached(factory: Factory) -> None:
    school, other = billed_school(factory), billed_school(factory, name="De Eik")
    invoice = invoiced(school)
    path = f"/api/billing/invoices/{invoice.id}/pdf"
    admin = enrolled_admin(factory, school)
    response = get(path, admin)
    assert response.status_code == 200
    headers = response.headers
    assert headers["content-type"] == "application/pdf"
    assert headers["cache-control"] == "no-store"
    assert f'filename="factuur-{invoice.number}.pdf"' in headers["content-disposition"]
    assert response.content.startswith(b"%PDF-")

    parent = factory.session_token(factory.member(school, Role.PARENT), school)
    teacher = factory.session_token(factory.member(school, Role.TEACHER), school)
    other_admin = enrolled_admin(factory, other)
    unenrolled = factory.session_token(factory.member(school, Role.SCHOOL_ADMIN, factory.user()), school)
    refusals = {
        "anonymous": get(path).status_code,
        "parent": get(path, parent).status_code,
        "teacher": get(path, teacher).status_code,
        "admin without 2FA": get(path, unenrolled).status_code,
        "other school's admin": get(path, other_admin).status_code,
        "no such invoice": get("/api/billing/invoices/99999999/pdf", admin).status_code,
        "not a number": get("/api/billing/invoices/1%20OR%201/pdf", admin).status_code,
    }
    assert refusals == {
        "anonymous": 401,
        "parent": 403,
        "teacher": 403,
        "admin without 2FA": 403,
        "other school's admin": 404,
        "no such invoice": 404,
        "not a number": 404,
    }
