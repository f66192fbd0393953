"""A guardian's language from the roster file: recognised by code or name (Dutch or English), an unknown
value is refused with the row, the field and the fix; stored as given; the invitation (and later mail)
goes in it when the app speaks it, else in Dutch."""

from __future__ import annotations

import pytest
from sqlmodel import select

from ogp_app.core.db import school_session
from ogp_app.models import Guardian, Role, School, User
from ogp_app.services import roster_admin as ra
from ogp_app.services.errors import InvalidInput
from ogp_app.services.roster_admin import roster_accounts
from ogp_app.services.roster_import import ImportResult, run_import, suggest_mapping
from tests.support.accounts import mails
from tests.support.factories import Factory

HEADER = (
    "Roepnaam;Achternaam;Groep;"
    "Naam ouder 1;E-mail ouder 1;Taal ouder 1;Naam ouder 2;E-mail ouder 2;Taal ouder 2"
)


def _import(school: School, *rows: str) -> ImportResult:
    assert school.id is not None
    with school_session(school.id) as db:
        return run_import(db, school_id=school.id, data="\n".join([HEADER, *rows]).encode())


def _languages(school: School) -> dict[str, str | None]:
    assert school.id is not None
    with school_session(school.id) as db:
        return {g.email: g.language for g in db.exec(select(Guardian)).all()}


def test_language_columns_are_recognised_by_their_dutch_and_english_headers() -> None:
    headers = ["E-mail ouder 1", "Taal ouder 1", "Moedertaal ouder/verzorger 2", "Language parent 2"]
    mapping = suggest_mapping(headers)
    assert mapping["Taal ouder 1"] == "guardian1_language"
    assert "guardian2_language" in {mapping.get(headers[2]), mapping.get(headers[3])}


def test_codes_and_names_are_stored_as_codes_and_an_unknown_value_names_row_and_fix(
    factory: Factory,
) -> None:
    school = factory.school()
    bad = _import(
        school,
        "Julia;Visser;Groep 5;Anna;anna@example.org;Engels;Bas;bas@example.org;tr",
        "Sem;Bakker;Groep 5;Eva;eva@example.org;Elfs;Tom;tom@example.org;",
    )
    assert not bad.written
    [issue] = bad.issues
    assert (issue.row, issue.field) == (3, "guardian1_language")
    assert "'Elfs'" in issue.message("nl") and "Nederlands" in issue.message("nl")
    assert "language code" in issue.message("en")

    done = _import(
        school,
        "Julia;Visser;Groep 5;Anna;anna@example.org;Engels;Bas;bas@example.org;tr",
        "Sem;Bakker;Groep 5;Eva;eva@example.org;nederlands;Tom;tom@example.org;",
        "Mila;Smit;Groep 6;Petra;petra@example.org;ENGLISH;;;",
    )
    assert done.written and done.issues == []
    assert _languages(school) == {
        "anna@example.org": "en",
        "bas@example.org": "tr",  # kept: the app speaks no Turkish yet, the school's record stays true
        "eva@example.org": "nl",
        "tom@example.org": None,
        "petra@example.org": "en",
    }
    _import(school, "Sem;Bakker;Groep 5;Eva;eva@example.org;Engels;Tom;tom@example.org;")  # re-import
    assert _languages(school)["eva@example.org"] == "en"


def test_the_invitation_goes_in_the_guardians_language_or_dutch(factory: Factory) -> None:
    school = factory.school()
    admin = factory.member(school, Role.SCHOOL_ADMIN, factory.user("beheer@example.org"))
    _import(
        school,
        "Julia;Visser;Groep 5;Anna;anna@example.org;Engels;Bas;bas@example.org;Turks",
        "Sem;Bakker;Groep 5;Eva;eva@example.org;;;;",
    )
    assert school.id is not None and admin.id is not None
    with school_session(school.id) as db:
        guardians = {g.email: g.id for g in db.exec(select(Guardian)).all() if g.id is not None}
        for email in guardians:  # the admin's page is in English
            roster_accounts.invite_person(
                db,
                school_id=school.id,
                admin_user_id=admin.id,
                kind="guardian",
                person_id=guardians[email],
                language="en",
            )
        accounts = {u.email: u.preferred_language for u in db.exec(select(User)).all()}
    sent = {m.to_email: m for m in mails(template="invitation")}
    assert (sent["anna@example.org"].language, accounts["anna@example.org"]) == ("en", "en")
    assert (sent["bas@example.org"].language, accounts["bas@example.org"]) == ("nl", "nl")  # Turkish: nl
    assert "Beste" in sent["bas@example.org"].text_body
    assert sent["eva@example.org"].language == "en"  # no language in the file: the admin's, as before


def test_the_guardian_page_shows_and_changes_the_language(factory: Factory) -> None:
    school = factory.school()
    _import(school, "Julia;Visser;Groep 5;Anna;anna@example.org;tr;;;")
    assert school.id is not None
    admin = ra.Viewer(school_id=school.id, user_id=0, is_admin=True, class_ids=frozenset())
    with school_session(school.id) as db:
        [row] = ra.list_guardians(db, viewer=admin)
        assert (row.language, row.language_nl, row.language_en) == ("tr", "Turks", "Turkish")
        change = {"name": row.name, "email": row.email, "household_id": row.household_id}
        with pytest.raises(InvalidInput) as refused:
            ra.save_guardian(db, viewer=admin, guardian_id=row.id, language="Elfs", **change)
        assert refused.value.message_key == "households.error.language_form"
        ra.save_guardian(db, viewer=admin, guardian_id=row.id, language="English", **change)
        db.commit()
        assert ra.list_guardians(db, viewer=admin)[0].language == "en"
        ra.save_guardian(db, viewer=admin, guardian_id=row.id, language="", **change)
        db.commit()
        assert ra.list_guardians(db, viewer=admin)[0].language == ""
