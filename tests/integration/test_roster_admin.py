"""Manual roster management: admins manage, teachers read their own classes, nobody else sees anything."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import select

from ogp_app.core.db import school_session, unscoped
from ogp_app.models import ClassTeacher, Guardian, Pupil, PupilGuardian, Role, School, SchoolClass, User
from ogp_app.services import roster_admin as ra
from ogp_app.services.errors import InvalidInput, PermissionDenied
from ogp_app.services.roster_admin import Assignment, PupilInput
from tests.support.factories import Factory


@dataclass
class World:
    school: School
    admin: User
    groep5: SchoolClass
    groep7: SchoolClass
    teacher5: User  # teaches groep 5 only
    noah: Pupil  # groep 5
    emma: Pupil  # groep 7
    other_admin: User  # admin of another school
    parent: User

    @property
    def sid(self) -> int:
        assert self.school.id is not None
        return self.school.id


@pytest.fixture
def world(factory: Factory) -> World:
    school = factory.school("De Regenboog")
    admin = factory.member(school, Role.SCHOOL_ADMIN)
    groep5, groep7 = factory.school_class(school, "Groep 5"), factory.school_class(school, "Groep 7")
    teacher5 = factory.member(school, Role.TEACHER, factory.user(name="Juf Jansen"))
    factory.teacher(school, groep5, user=teacher5)
    factory.teacher(school, groep7)
    household = factory.household(school)
    parent_user = factory.member(school, Role.PARENT)
    mother = factory.guardian(school, household, email="moeder.devries@example.org")
    bos = factory.guardian(school, email="vader.bos@example.org")
    noah = factory.pupil(school, groep5, mother, first_name="Noah", last_name="Vries", name_prefix="de")
    emma = factory.pupil(school, groep7, bos, first_name="Emma", last_name="Bos")
    other = factory.school("Elders")
    other_admin = factory.member(other, Role.SCHOOL_ADMIN)
    return World(school, admin, groep5, groep7, teacher5, noah, emma, other_admin, parent_user)


def _viewer(w: World, user: User) -> ra.Viewer:
    assert user.id is not None
    with school_session(w.sid) as db:
        return ra.viewer(db, school_id=w.sid, user_id=user.id)


def test_admin_sees_and_searches_everything(world: World) -> None:
    v = _viewer(world, world.admin)
    with school_session(world.sid) as db:
        assert [p.name for p in ra.list_pupils(db, viewer=v)] == ["Noah de Vries", "Emma Bos"]
        assert [p.name for p in ra.list_pupils(db, viewer=v, query="BOS")] == ["Emma Bos"]
        assert [p.name for p in ra.list_pupils(db, viewer=v, query=world.noah.pupil_number)] == [
            "Noah de Vries"
        ]
        assert [c.name for c in ra.list_classes(db, viewer=v)] == ["Groep 5", "Groep 7"]
        assert [g.email for g in ra.list_guardians(db, viewer=v, query="bos")] == ["vader.bos@example.org"]
        assert len(ra.list_teachers(db, viewer=v)) == 2
        assert ra.list_pupils(db, viewer=v, query="%") == []  # a wildcard is a character, not "anything"


def test_teacher_sees_only_their_own_class_read_only(world: World) -> None:
    v = _viewer(world, world.teacher5)
    with school_session(world.sid) as db:
        assert [p.name for p in ra.list_pupils(db, viewer=v)] == ["Noah de Vries"]
        assert [c.name for c in ra.list_classes(db, viewer=v)] == ["Groep 5"]
        assert [g.email for g in ra.list_guardians(db, viewer=v)] == ["moeder.devries@example.org"]
        with pytest.raises(ra.RosterRowMissing):
            ra.list_pupils(db, viewer=v, class_id=world.groep7.id)
        for attempt in (
            lambda: ra.list_teachers(db, viewer=v),
            lambda: ra.save_class(db, viewer=v, class_id=None, name="Groep 8"),
            lambda: ra.set_pupil_archived(db, viewer=v, pupil_id=world.noah.id, archived=True),
            lambda: ra.list_pupils(db, viewer=v, archived=True),
        ):
            with pytest.raises(PermissionDenied):
                attempt()


def test_a_teacher_without_classes_and_a_parent(world: World, factory: Factory) -> None:
    lonely = factory.member(world.school, Role.TEACHER)
    v = _viewer(world, lonely)
    with school_session(world.sid) as db:
        assert ra.list_pupils(db, viewer=v) == [] and ra.list_guardians(db, viewer=v) == []
    with pytest.raises(PermissionDenied):
        _viewer(world, world.parent)


def test_another_schools_admin_sees_nothing(world: World) -> None:
    with pytest.raises(PermissionDenied):
        _viewer(world, world.other_admin)
    assert world.other_admin.id is not None
    with unscoped() as db:
        other_id = db.exec(select(School.id).where(School.name == "Elders")).one()
    assert other_id is not None
    with school_session(other_id) as db:  # their own school's scope cannot reach ours, even by id
        v = ra.viewer(db, school_id=other_id, user_id=world.other_admin.id)
        assert ra.list_pupils(db, viewer=v) == [] and ra.list_classes(db, viewer=v) == []
        with pytest.raises(ra.RosterRowMissing):
            ra.set_pupil_archived(db, viewer=v, pupil_id=world.noah.id, archived=True)
        with pytest.raises(ra.RosterRowMissing):
            ra.save_pupil(
                db, viewer=v, pupil_id=None, data=PupilInput("X", "Y", class_id=world.groep5.id or 0)
            )
    with unscoped() as db:
        assert db.get(Pupil, world.noah.id).archived_at is None  # type: ignore[union-attr]


def test_admin_adds_edits_and_archives_a_pupil(world: World) -> None:
    v = _viewer(world, world.admin)
    assert world.groep5.id is not None and world.groep7.id is not None
    with school_session(world.sid) as db:
        mother = db.exec(select(Guardian).where(Guardian.email == "moeder.devries@example.org")).one()
        assert mother.id is not None
        data = PupilInput(
            "Sem",
            "Vries",
            world.groep7.id,
            name_prefix="de",
            pupil_number="4200",
            meeting_mode="per_household",
            guardian_ids=(mother.id,),
        )
        sem = ra.save_pupil(db, viewer=v, pupil_id=None, data=data)
        row = next(p for p in ra.list_pupils(db, viewer=v) if p.id == sem)
        assert (row.class_name, row.guardians, row.meeting_mode) == (
            "Groep 7",
            mother.display_name,
            "per_household",
        )
        with pytest.raises(ra.RosterDuplicate) as caught:
            ra.save_pupil(
                db,
                viewer=v,
                pupil_id=None,
                data=PupilInput("Tim", "Bos", world.groep5.id, pupil_number="4200"),
            )
        assert caught.value.message_key == "manage.error.pupil_duplicate"
        with pytest.raises(InvalidInput):
            ra.save_pupil(db, viewer=v, pupil_id=sem, data=PupilInput("", "Vries", world.groep5.id))
        ra.save_pupil(db, viewer=v, pupil_id=sem, data=PupilInput("Sem", "de Vries", world.groep5.id))
        ra.set_pupil_archived(db, viewer=v, pupil_id=sem, archived=True)
        assert sem not in [p.id for p in ra.list_pupils(db, viewer=v)]
        assert [p.id for p in ra.list_pupils(db, viewer=v, archived=True)] == [sem]
        ra.set_pupil_archived(db, viewer=v, pupil_id=sem, archived=False)
        assert sem in [p.id for p in ra.list_pupils(db, viewer=v)]
        assert db.exec(select(PupilGuardian).where(PupilGuardian.pupil_id == sem)).all() == []


def test_classes_guardians_and_teachers(world: World) -> None:
    v = _viewer(world, world.admin)
    with school_session(world.sid) as db:
        groep8 = ra.save_class(db, viewer=v, class_id=None, name=" Groep  8 ")
        with pytest.raises(ra.RosterDuplicate):
            ra.save_class(db, viewer=v, class_id=None, name="Groep 5")
        with pytest.raises(ra.ClassNotEmpty):
            ra.set_class_archived(db, viewer=v, class_id=world.groep5.id, archived=True)
        ra.set_class_archived(db, viewer=v, class_id=groep8, archived=True)
        assert [c.name for c in ra.list_classes(db, viewer=v, archived=True)] == ["Groep 8"]
        with pytest.raises(InvalidInput):  # no new pupils in an archived class
            ra.save_pupil(db, viewer=v, pupil_id=None, data=PupilInput("A", "B", groep8))

        lotte = ra.save_guardian(
            db, viewer=v, guardian_id=None, name="Lotte Mulder", email="Lotte@Example.org", household_id=None
        )
        row = next(g for g in ra.list_guardians(db, viewer=v) if g.id == lotte)
        pieter = ra.save_guardian(
            db,
            viewer=v,
            guardian_id=None,
            name="Pieter Mulder",
            email="pieter@example.org",
            household_id=row.household_id,
        )
        assert {g.household for g in ra.list_guardians(db, viewer=v, query="mulder")} == {"Lotte Mulder"}
        with pytest.raises(ra.RosterDuplicate):
            ra.save_guardian(
                db, viewer=v, guardian_id=pieter, name="P", email="lotte@example.org", household_id=None
            )
        ra.set_guardian_archived(db, viewer=v, guardian_id=pieter, archived=True)
        assert [g.name for g in ra.list_guardians(db, viewer=v, archived=True)] == ["Pieter Mulder"]

        teacher = ra.save_teacher(
            db,
            viewer=v,
            teacher_id=None,
            name="Meester Ali",
            email="ali@school.example",
            room="12",
            assignments=[Assignment(world.groep5.id or 0, "Rekenen"), Assignment(world.groep7.id or 0)],
        )
        found = next(t for t in ra.list_teachers(db, viewer=v) if t.id == teacher)
        assert (found.classes, found.room) == ("Groep 5 (Rekenen), Groep 7", "12")
        with pytest.raises(ra.RosterRowMissing):  # a class that does not exist: nothing half-written
            ra.save_teacher(
                db,
                viewer=v,
                teacher_id=teacher,
                name="Meester Ali",
                email="ali@school.example",
                room="",
                assignments=[Assignment(999_999)],
            )
        assert len(db.exec(select(ClassTeacher).where(ClassTeacher.teacher_id == teacher)).all()) == 2
        ra.set_teacher_archived(db, viewer=v, teacher_id=teacher, archived=True)
        assert teacher not in [t.id for t in ra.list_teachers(db, viewer=v)]


@pytest.mark.parametrize("bad", [True, -1, 0, 2**40, "1", None, 1.0])
def test_row_ids_from_callers_are_checked(world: World, bad: object) -> None:
    v = _viewer(world, world.admin)
    with school_session(world.sid) as db, pytest.raises(InvalidInput):
        ra.set_pupil_archived(db, viewer=v, pupil_id=bad, archived=True)
