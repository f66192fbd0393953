"""Rough edges a family or teacher meets: the calendar entry says where the school is, the privacy export
speaks the person's language and opens in Dutch Excel, the door list has every time once and its room once."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from itertools import pairwise

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from ogp_app.core.db import school_session, unscoped
from ogp_app.i18n import catalog
from ogp_app.models import School, User
from ogp_app.models.base import utcnow
from ogp_app.services.privacy import export
from ogp_app.services.rounds.booking import book
from ogp_app.services.rounds.exports import teacher_pdf
from ogp_app.services.rounds.family_calendar import family_calendar
from ogp_app.services.rounds.views import teacher_evening
from tests.support.factories import Factory
from tests.support.rounds import World, build_world


def _booked(factory: Factory) -> World:
    w = build_world(factory)
    with school_session(w.school_id) as db:
        book(db, actor=w.parent, slot_id=w.slots(w.teacher_a)[2].id, pupil_id=w.kid_a.id, send_mail=False)
    return w


def test_the_calendar_entry_gives_room_school_and_address(factory: Factory) -> None:
    w = _booked(factory)
    with unscoped() as db:
        school = db.get(School, w.school_id)
        assert school is not None
        school.name, school.street_address, school.postal_code, school.city = (
            "De Regenboog",
            "Schoolstraat 1",
            "1234 AB",
            "Amsterdam",
        )
        db.add(school)
        db.commit()
    with school_session(w.school_id) as db:
        ics = family_calendar(db, actor=w.parent, language="nl", now=utcnow())
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["location"]) == "Lokaal 5, De Regenboog, Schoolstraat 1, 1234 AB Amsterdam"


def _language(user_id: int, language: str) -> None:
    with unscoped() as db:
        user = db.get(User, user_id)
        assert user is not None
        user.preferred_language, user.display_name = language, "Vries, Sanne de"  # a comma in a cell
        db.add(user)
        db.commit()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_privacy_export_speaks_the_persons_language_and_opens_in_dutch_excel(
    factory: Factory, language: str
) -> None:
    w = _booked(factory)
    _language(w.parent.user_id, language)
    with unscoped() as db:
        archive = zipfile.ZipFile(
            io.BytesIO(export.build_zip(export.collect_user(db, user_id=w.parent.user_id)))
        )
    data = json.loads(archive.read("data.json"))
    texts = catalog(language)
    for name in ("user", "booking", "pupil"):
        assert data["tables"][name]["description"] == texts[f"privacy.table.{name}"]
    readme = archive.read("README.txt").decode()
    assert readme.startswith(texts["privacy.readme.intro.user"])  # their language first
    raw = archive.read("user.csv")
    assert raw.startswith("\ufeff".encode())  # the BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, [row] = rows[0], rows[1:]
    assert header == data["tables"]["user"]["columns"] and len(row) == len(header)
    assert row[header.index("display_name")] == "Vries, Sanne de"


def test_the_door_list_has_every_time_once_and_the_room_once(factory: Factory) -> None:
    w = _booked(factory)
    with school_session(w.school_id) as db:
        evening = teacher_evening(db, actor=w.teacher_actor, round_id=w.round_id)
    pdf = PdfReader(io.BytesIO(teacher_pdf(evening, kind="door", language="nl")))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    starts = ["19:00", "19:10", "19:20", "19:30", "19:40", "19:50", "20:00"]  # the evening: 19:00-20:00
    times = [f"{a}-{b}" for a, b in pairwise(starts)]
    assert all(text.count(t) == 1 for t in times), text
    assert text.count("Lokaal 5") == 1 and text.count("vrij") == len(times) - 1
    assert "Noah Jansen" in text and "Graag" not in text
