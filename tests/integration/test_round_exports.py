"""Schedules as PDF and CSV: what is on them, and who may download them (/api/rounds/<id>/...)."""

from __future__ import annotations

import csv
import io

import httpx
from pypdf import PdfReader
from starlette.testclient import TestClient

from ogp_app.api import build_api
from ogp_app.core.db import school_session, unscoped
from ogp_app.models import Pupil, School, User
from ogp_app.services.rounds import Actor
from ogp_app.services.rounds.booking import book
from tests.support.factories import Factory
from tests.support.rounds import World, build_world
from tests.support.two_factor import enrol_two_factor

COOKIE = "ogp_session"


def get(path: str, token: str | None = None) -> httpx.Response:
    client = TestClient(build_api(), base_url="http://localhost:3000", follow_redirects=False)
    if token:
        client.cookies.set(COOKIE, token)
    return client.get(path)


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def token_of(factory: Factory, actor: Actor, school: School) -> str:
    with unscoped() as db:
        user = db.get(User, actor.user_id)
        assert user is not None
        db.expunge(user)
    return factory.session_token(user, school)


def enrolled_admin_token(factory: Factory, w: World) -> str:
    with unscoped() as db:
        user = db.get(User, w.admin.user_id)
        assert user is not None
        enrol_two_factor(w.admin.user_id, label=user.email, db=db)
    return token_of(factory, w.admin, w.school)


def booked_world(factory: Factory) -> World:
    """Noah Jansen (with a note and a formula-like note), Łukasz Dąbrowski and Julia's mum's household."""
    w = build_world(factory)
    with school_session(w.school_id) as db:
        pupil = db.get(Pupil, w.other_kid.id)
        assert pupil is not None
        pupil.first_name, pupil.last_name = "Łukasz", "Dąbrowski"
        db.add(pupil)
        db.commit()
    slots_a, slots_b = w.slots(w.teacher_a), w.slots(w.teacher_b)
    with school_session(w.school_id) as db:
        book(db, actor=w.parent, slot_id=slots_a[0].id, pupil_id=w.kid_a.id, note="Graag over rekenen")
        book(db, actor=w.parent, slot_id=slots_b[1].id, pupil_id=w.kid_b.id, note='=HYPERLINK("x")')
        book(db, actor=w.other_parent, slot_id=slots_a[2].id, pupil_id=w.other_kid.id)
        book(db, actor=w.mum, slot_id=slots_a[3].id, pupil_id=w.split_kid.id)
    return w


def test_teacher_downloads_door_list_and_schedule_of_own_evening(factory: Factory) -> None:
    w = booked_world(factory)
    teacher = token_of(factory, w.teacher_actor, w.school)

    door = get(f"/api/rounds/{w.round_id}/door-list.pdf", teacher)
    assert door.status_code == 200
    assert door.headers["content-type"] == "application/pdf"
    assert door.headers["cache-control"] == "no-store"
    assert door.headers["content-disposition"] == f'attachment; filename="deurlijst-{w.round_id}.pdf"'
    text = pdf_text(door.content)
    assert "Deurlijst" in text and "Lokaal 5" in text
    assert "19:00-19:10" in text and "Noah Jansen" in text and "Groep 5" in text
    assert "Łukasz Dąbrowski" in text  # diacritics outside latin-1 survive
    assert "Julia" in text
    assert "rekenen" not in text  # no notes on the door
    assert "Emma" not in text  # another teacher's conversation
    for guardian in ("Ouders", "@"):  # no guardians or contact details on the door
        assert guardian not in text

    schedule = get(f"/api/rounds/{w.round_id}/schedule.pdf", teacher)
    assert schedule.status_code == 200 and schedule.headers["cache-control"] == "no-store"
    text = pdf_text(schedule.content)
    assert "Gespreksrooster" in text and "Graag over rekenen" in text and "Ouders/verzorgers" in text
    assert "vrij" in text  # free times show on the teacher's own schedule


def test_schedule_pdf_speaks_the_readers_language(factory: Factory) -> None:
    w = booked_world(factory)
    with unscoped() as db:
        user = db.get(User, w.teacher_actor.user_id)
        assert user is not None
        user.preferred_language = "en"
        db.add(user)
        db.commit()
    response = get(f"/api/rounds/{w.round_id}/schedule.pdf", token_of(factory, w.teacher_actor, w.school))
    assert response.status_code == 200
    assert 'filename="schedule-' in response.headers["content-disposition"]
    text = pdf_text(response.content)
    assert "Conversation schedule" in text and "Parents/guardians" in text and "Gespreksrooster" not in text


def test_admin_exports_the_whole_round_as_csv_with_formulas_neutralised(factory: Factory) -> None:
    w = booked_world(factory)
    response = get(f"/api/rounds/{w.round_id}/schedule.csv", enrolled_admin_token(factory, w))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"] == f'attachment; filename="rooster-{w.round_id}.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header = "Datum Begin Einde Leerkracht Lokaal Leerling Klas Ouders/verzorgers Opmerking"
    assert rows[0] == header.split()
    body = rows[1:]
    assert len(body) == 4  # one row per active booking
    noah = next(r for r in body if r[5] == "Noah Jansen")
    assert noah[1:3] == ["19:00", "19:10"] and noah[4] == "Lokaal 5" and noah[6] == "Groep 5"
    assert noah[8] == "Graag over rekenen" and noah[7] != ""
    emma = next(r for r in body if r[5].startswith("Emma"))
    assert emma[8] == '\'=HYPERLINK("x")'  # neutralised: a spreadsheet shows it as text
    assert any(r[5] == "Łukasz Dąbrowski" for r in body)


def test_admin_exports_pdf_per_teacher_and_per_room(factory: Factory) -> None:
    w = booked_world(factory)
    admin = enrolled_admin_token(factory, w)
    per_teacher = get(f"/api/rounds/{w.round_id}/by-teacher.pdf", admin)
    assert per_teacher.status_code == 200 and per_teacher.headers["cache-control"] == "no-store"
    pages = pdf_pages(per_teacher.content)
    assert len(pages) == 2  # one page for each teacher of the round
    [page_a] = [p for p in pages if "Noah Jansen" in p]
    assert "Łukasz Dąbrowski" in page_a and "Emma" not in page_a
    [page_b] = [p for p in pages if "Emma" in p]
    assert "Lokaal 7" in page_b and "Noah" not in page_b

    per_room = get(f"/api/rounds/{w.round_id}/by-room.pdf", admin)
    assert per_room.status_code == 200
    pages = pdf_pages(per_room.content)
    assert len(pages) == 2 and any("Lokaal 5" in p and "Noah Jansen" in p for p in pages)

    teacher_b = get(f"/api/rounds/{w.round_id}/door-list.pdf?teacher={w.teacher_b.id}", admin)
    assert teacher_b.status_code == 200 and "Emma" in pdf_text(teacher_b.content)


def test_only_the_schools_own_people_download_schedules(factory: Factory) -> None:
    w = booked_world(factory)
    other = build_world(factory)
    rid = w.round_id
    admin = enrolled_admin_token(factory, w)
    teacher = token_of(factory, w.teacher_actor, w.school)
    parent = token_of(factory, w.parent, w.school)
    other_teacher = token_of(factory, other.teacher_actor, other.school)
    other_admin = enrolled_admin_token(factory, other)
    results = {
        "anonymous door list": get(f"/api/rounds/{rid}/door-list.pdf").status_code,
        "anonymous csv": get(f"/api/rounds/{rid}/schedule.csv").status_code,
        "parent door list": get(f"/api/rounds/{rid}/door-list.pdf", parent).status_code,
        "parent csv": get(f"/api/rounds/{rid}/schedule.csv", parent).status_code,
        "teacher csv": get(f"/api/rounds/{rid}/schedule.csv", teacher).status_code,
        "teacher per room": get(f"/api/rounds/{rid}/by-room.pdf", teacher).status_code,
        "teacher asks colleague's": get(
            f"/api/rounds/{rid}/schedule.pdf?teacher={w.teacher_b.id}", teacher
        ).status_code,
        "other school's teacher": get(f"/api/rounds/{rid}/door-list.pdf", other_teacher).status_code,
        "other school's admin csv": get(f"/api/rounds/{rid}/schedule.csv", other_admin).status_code,
        "other school's admin, their teacher id": get(
            f"/api/rounds/{rid}/schedule.pdf?teacher={other.teacher_a.id}", other_admin
        ).status_code,
        "admin, other school's teacher": get(
            f"/api/rounds/{rid}/schedule.pdf?teacher={other.teacher_a.id}", admin
        ).status_code,
        "no such round": get("/api/rounds/99999999/schedule.csv", admin).status_code,
        "not a number": get("/api/rounds/1%20OR%201/schedule.csv", admin).status_code,
        "bad teacher id": get(f"/api/rounds/{rid}/schedule.pdf?teacher=x", admin).status_code,
    }
    assert results == {
        "anonymous door list": 401,
        "anonymous csv": 401,
        "parent door list": 404,
        "parent csv": 404,
        "teacher csv": 404,
        "teacher per room": 404,
        "teacher asks colleague's": 404,
        "other school's teacher": 404,
        "other school's admin csv": 404,
        "other school's admin, their teacher id": 404,
        "admin, other school's teacher": 404,
        "no such round": 404,
        "not a number": 404,
        "bad teacher id": 404,
    }
    refused = get(f"/api/rounds/{rid}/schedule.csv", parent)
    assert refused.headers["cache-control"] == "no-store" and b"Noah" not in refused.content


def test_admin_without_second_factor_gets_nothing(factory: Factory) -> None:
    w = booked_world(factory)
    response = get(f"/api/rounds/{w.round_id}/schedule.csv", token_of(factory, w.admin, w.school))
    assert response.status_code == 404 and b"Noah" not in response.content
