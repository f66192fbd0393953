"""The roster import on the corpus in tests/fixtures/roster: what lands in the school's roster."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from ogp_app.core.db import school_session
from ogp_app.models import (
    ClassTeacher,
    Guardian,
    Household,
    Pupil,
    PupilGuardian,
    School,
    SchoolClass,
    Teacher,
)
from ogp_app.services.roster_import import ImportOptions, ImportResult, run_import
from tests.support.factories import Factory

CORPUS = Path(__file__).parent.parent / "fixtures" / "roster"


def _import(school: School, name: str, **options: Any) -> ImportResult:
    assert school.id is not None
    with school_session(school.id) as db:
        return run_import(
            db, school_id=school.id, data=(CORPUS / name).read_bytes(), options=ImportOptions(**options)
        )


def _pupils(db: Session, school: School) -> dict[str, Pupil]:
    return {p.first_name: p for p in db.exec(select(Pupil).where(Pupil.school_id == school.id)).all()}


def _guardian_emails(db: Session, pupil: Pupil) -> set[str]:
    rows = db.exec(
        select(Guardian.email)
        .join(PupilGuardian, col(PupilGuardian.guardian_id) == Guardian.id)
        .where(PupilGuardian.pupil_id == pupil.id)
    ).all()
    return set(rows)


def test_parnassys_file_builds_classes_pupils_households_and_teachers(factory: Factory) -> None:
    school = factory.school()
    result = _import(school, "parnassys_semicolon_bom.csv")
    assert result.issues == []
    assert result.written
    assert result.plan.create.as_dict() == {"classes": 2, "pupils": 5, "guardians": 6, "teachers": 2}
    assert school.id is not None
    with school_session(school.id) as db:
        pupils = _pupils(db, school)
        assert set(pupils) == {"Daan", "Sara", "Mila", "Luuk", "Zoë"}
        assert pupils["Zoë"].last_name == "Öztürk"
        assert pupils["Daan"].name_prefix == "de"
        # Siblings through shared guardian e-mails (matched case-insensitively) share one family.
        assert pupils["Daan"].family_key == pupils["Sara"].family_key is not None
        assert pupils["Mila"].family_key != pupils["Daan"].family_key
        assert _guardian_emails(db, pupils["Sara"]) == {"eva.deboer@example.org", "tom.deboer@example.org"}
        guardians = {g.email: g for g in db.exec(select(Guardian)).all()}
        # Same address (written slightly differently): one household. Different addresses: separated.
        assert (
            guardians["eva.deboer@example.org"].household_id
            == guardians["tom.deboer@example.org"].household_id
        )
        assert guardians["petra@example.org"].household_id != guardians["rob.smits@example.org"].household_id
        assert len(db.exec(select(Household)).all()) == 5
        teachers = {t.email: t for t in db.exec(select(Teacher)).all()}
        assert teachers["kim@linde.example"].display_name == "Juf Kim"
        groep3 = db.exec(select(SchoolClass).where(SchoolClass.name == "Groep 3")).one()
        mentors = db.exec(select(ClassTeacher.teacher_id).where(ClassTeacher.class_id == groep3.id)).all()
        assert mentors == [teachers["kim@linde.example"].id]


@pytest.mark.parametrize(
    ("name", "pupils", "guardians"),
    [
        ("magister_comma.csv", {"Noor", "Jesse", "Fenna"}, 3),
        ("somtoday_tab_cp1252.txt", {"Hélène", "Chloë"}, 3),
        ("handmade.xlsx", {"Sem", "Julia", "@SUM(1+1)*cmd"}, 4),
        ("esis_row_per_guardian.csv", {"Bram", "Lotte"}, 2),
    ],
)
def test_each_export_flavour_imports(factory: Factory, name: str, pupils: set[str], guardians: int) -> None:
    school = factory.school()
    result = _import(school, name)
    assert [i.key for i in result.issues] == []
    assert result.plan.create.pupils == len(pupils)
    assert result.plan.create.guardians == guardians
    assert school.id is not None
    with school_session(school.id) as db:
        assert set(_pupils(db, school)) == pupils


def test_magister_siblings_in_different_classes_share_a_family(factory: Factory) -> None:
    school = factory.school()
    _import(school, "magister_comma.csv")
    assert school.id is not None
    with school_session(school.id) as db:
        pupils = _pupils(db, school)
        assert pupils["Noor"].family_key == pupils["Fenna"].family_key
        assert pupils["Jesse"].family_key != pupils["Noor"].family_key
        assert pupils["Jesse"].name_prefix == "van der"


def test_one_row_per_guardian_merges_into_one_pupil(factory: Factory) -> None:
    school = factory.school()
    _import(school, "esis_row_per_guardian.csv")
    assert school.id is not None
    with school_session(school.id) as db:
        pupils = _pupils(db, school)
        assert _guardian_emails(db, pupils["Bram"]) == {"ilse@example.org", "kees@example.org"}
        assert pupils["Bram"].family_key == pupils["Lotte"].family_key


def test_a_file_with_errors_writes_nothing_and_names_row_and_field(factory: Factory) -> None:
    school = factory.school()
    result = _import(school, "bad_rows.csv")
    assert not result.written
    found = {(i.row, i.field, i.key) for i in result.issues}
    assert found == {
        (3, "first_name", "roster.error.first_name_missing"),
        (4, "class_name", "roster.error.class_name_missing"),
        (5, "guardian1_email", "roster.error.email_invalid"),
        (6, "pupil_number", "roster.error.pupil_number_duplicate"),
        (7, "teacher1_email", "roster.error.teacher_email_missing"),
    }
    bad_email = next(i for i in result.issues if i.row == 5)
    assert bad_email.message("nl") == "'not-an-email' is geen geldig e-mailadres."
    duplicate = next(i for i in result.issues if i.row == 6)
    assert "regel 2" in duplicate.message("nl")
    assert school.id is not None
    with school_session(school.id) as db:
        assert db.exec(select(Pupil)).all() == []
        assert db.exec(select(SchoolClass)).all() == []


def test_only_valid_rows_imports_the_rest(factory: Factory) -> None:
    school = factory.school()
    result = _import(school, "bad_rows.csv", only_valid_rows=True)
    assert result.written
    assert result.valid_rows == 2
    assert school.id is not None
    with school_session(school.id) as db:
        assert set(_pupils(db, school)) == {"Anna", "Fay"}


def test_dry_run_counts_but_writes_nothing(factory: Factory) -> None:
    school = factory.school()
    result = _import(school, "parnassys_semicolon_bom.csv", dry_run=True)
    assert not result.written
    assert result.plan.create.pupils == 5
    assert result.summary()["created"] == {"classes": 0, "pupils": 0, "guardians": 0, "teachers": 0}
    assert school.id is not None
    with school_session(school.id) as db:
        assert db.exec(select(Pupil)).all() == []


def test_reimport_merges_updates_and_archives_leavers_only_when_asked(factory: Factory) -> None:
    school = factory.school()
    _import(school, "reimport_year1.csv")
    preview = _import(school, "reimport_year2.csv", dry_run=True)
    assert preview.plan.leavers == 1  # Cor left
    assert preview.plan.archive.pupils == 0  # not asked
    result = _import(school, "reimport_year2.csv", archive_missing=True)
    assert result.plan.create.as_dict() == {"classes": 1, "pupils": 1, "guardians": 1, "teachers": 0}
    assert result.plan.update.pupils == 3  # Ada renamed + moved, Ben moved + a guardian less, Dua moved
    assert result.plan.archive.as_dict() == {"classes": 0, "pupils": 1, "guardians": 0, "teachers": 0}
    assert school.id is not None
    with school_session(school.id) as db:
        pupils = _pupils(db, school)
        assert len(pupils) == 5  # nobody duplicated
        assert pupils["Ada"].last_name == "Aal-Berg"
        assert pupils["Cor"].archived_at is not None
        assert pupils["Dua"].archived_at is None
        assert _guardian_emails(db, pupils["Ben"]) == {"beek.mama@example.org"}
        # aal@ is Ada's and now also Eli's guardian: one guardian row, and the two are one family.
        assert len(db.exec(select(Guardian).where(Guardian.email == "aal@example.org")).all()) == 1
        assert pupils["Eli"].family_key == pupils["Ada"].family_key
        # cat@ still has Dua, so stays active.
        cat = db.exec(select(Guardian).where(Guardian.email == "cat@example.org")).one()
        assert cat.archived_at is None
        classes = {c.name for c in db.exec(select(SchoolClass)).all()}
        assert classes == {"Groep 1", "Groep 2", "Groep 3"}


def test_leaver_whose_guardians_have_no_other_child_archives_them_too(factory: Factory) -> None:
    school = factory.school()
    _import(school, "reimport_year1.csv")
    assert school.id is not None
    with school_session(school.id) as db:
        data = b"Leerlingnummer;Roepnaam;Achternaam;Groep\n1;Ada;Aal;Groep 1\n"
        result = run_import(db, school_id=school.id, data=data, options=ImportOptions(archive_missing=True))
        assert result.plan.archive.pupils == 3
        archived = {
            g.email for g in db.exec(select(Guardian).where(col(Guardian.archived_at).is_not(None))).all()
        }
        assert archived == {"beek.mama@example.org", "beek.papa@example.org", "cat@example.org"}


def test_existing_guardian_and_account_are_reused(factory: Factory) -> None:
    school = factory.school()
    other = factory.school()
    user = factory.user(email="aal@example.org")
    household = factory.household(school, label="Familie Aal")
    existing = factory.guardian(school, household, email="aal@example.org")
    factory.guardian(other, email="cat@example.org")  # another school's guardian: not ours to reuse
    result = _import(school, "reimport_year1.csv")
    assert result.plan.create.guardians == 3
    assert school.id is not None
    with school_session(school.id) as db:
        aal = db.exec(select(Guardian).where(Guardian.email == "aal@example.org")).one()
        assert aal.id == existing.id and aal.household_id == household.id
        assert aal.user_id == user.id  # linked to the account with that e-mail
        assert (
            db.exec(select(Guardian).where(Guardian.email == "cat@example.org")).one().school_id == school.id
        )


def test_unknown_class_is_an_error_when_new_classes_are_not_allowed(factory: Factory) -> None:
    school = factory.school()
    factory.school_class(school, "Groep 1")
    result = _import(school, "reimport_year1.csv", allow_new_classes=False)
    assert {(i.row, i.key) for i in result.issues} == {
        (4, "roster.error.class_unknown"),
        (5, "roster.error.class_unknown"),
    }
    assert not result.written


def test_import_never_touches_another_school(factory: Factory) -> None:
    school, other = factory.school(), factory.school()
    _import(other, "reimport_year1.csv")
    _import(school, "reimport_year2.csv", archive_missing=True)
    assert other.id is not None
    with school_session(other.id) as db:
        pupils = _pupils(db, other)
        assert {p.first_name for p in pupils.values() if p.archived_at is None} == {
            "Ada",
            "Ben",
            "Cor",
            "Dua",
        }
        assert pupils["Ada"].last_name == "Aal"
