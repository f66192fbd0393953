"""Export and erasure: what a person downloads, and that nothing of them is left after deletion."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass

import pytest
from click.testing import CliRunner
from sqlmodel import Session, select

from ogp_app.cli import main as cli
from ogp_app.models import (
    AuditEvent,
    Guardian,
    Pupil,
    Role,
    School,
    SchoolStatus,
    Teacher,
    TokenPurpose,
    User,
)
from ogp_app.services.accounts.login import account_key
from ogp_app.services.auth import audit, rate_limit, two_factor
from ogp_app.services.auth.tokens import issue_token
from ogp_app.services.errors import PermissionDenied
from ogp_app.services.mail import outbox
from ogp_app.services.privacy import downloads, erasure, export
from ogp_app.services.privacy.registry import hooks
from tests.support.factories import Factory
from tests.support.privacy_scan import rows_of_school, traces_of_person

EMAIL = "sanne.parent@example.org"


@dataclass
class World:
    school: School
    other_school: School
    parent: User
    teacher: User
    admin: User
    pupil: Pupil
    outsider_pupil: Pupil


def _build(factory: Factory) -> World:
    """A parent with a child at two schools, sessions, links, mail, audit, 2FA and rate-limit traces."""
    db = factory.session
    school = factory.school("De Regenboog", slug="regenboog", invoice_email="admin@regenboog.example")
    other = factory.school("Het Kompas", slug="kompas")
    parent = factory.member(school, Role.PARENT, factory.user(EMAIL, "Sanne Bakker"))
    factory.member(other, Role.PARENT, parent)
    admin = factory.member(school, Role.SCHOOL_ADMIN, factory.user("admin@regenboog.example", "Ada Admin"))
    teacher_user = factory.member(school, Role.TEACHER, factory.user("tom@regenboog.example", "Tom Leraar"))
    groep5 = factory.school_class(school, "Groep 5")
    factory.teacher(school, groep5, user=teacher_user)
    household = factory.household(school, "Bakker")
    guardian = factory.guardian(school, household, user=parent)
    pupil = factory.pupil(school, groep5, guardian, first_name="=cmd|' /C calc'!A0")
    other_guardian = factory.guardian(other, user=parent)
    factory.pupil(other, factory.school_class(other, "2B"), other_guardian, first_name="Bram")
    outsider = factory.pupil(school, groep5, factory.guardian(school), first_name="Someone")
    factory.session_token(parent, school)
    assert parent.id is not None
    issue_token(db, purpose=TokenPurpose.EMAIL_CHANGE, user_id=parent.id, new_email="sanne.new@example.org")
    outbox.enqueue(
        db,
        to=EMAIL,
        template="sign_in_link",
        language="nl",
        context={"name": "Sanne", "link": "https://x.example/l"},
        user_id=parent.id,
    )
    audit.record(db, event=audit.Event.LOGIN_SUCCEEDED, subject_user_id=parent.id, school_id=school.id)
    audit.record(db, event=audit.Event.ROLE_GRANTED, subject_user_id=parent.id, actor_user_id=admin.id)
    rate_limit.hit(db, key=account_key(EMAIL), **rate_limit.LOGIN_PER_ACCOUNT.kw)
    two_factor.begin_enrolment(db, user_id=parent.id, account_label=EMAIL)
    db.commit()
    downloads.create_ticket(db, user_id=parent.id, scope="user")
    return World(school, other, parent, teacher_user, admin, pupil, outsider)


def _zip(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


def test_a_parents_export_holds_their_account_and_children_and_nothing_of_other_families(
    factory: Factory, raw_session: Session
) -> None:
    world = _build(factory)
    assert world.parent.id is not None
    archive = _zip(export.build_zip(export.collect_user(raw_session, user_id=world.parent.id)))
    names = set(archive.namelist())
    assert {"README.txt", "data.json", "user.csv", "membership.csv", "pupil.csv", "guardian.csv"} <= names
    data = json.loads(archive.read("data.json"))
    assert data["format"] == "ogp-privacy-export" and data["version"] == 1 and data["scope"] == "user"
    assert data["tables"]["user"]["rows"][0]["email"] == EMAIL
    assert {row["name"] for row in data["tables"]["school_class"]["rows"]} == {"Groep 5", "2B"}  # context
    children = {row["first_name"] for row in data["tables"]["pupil"]["rows"]}
    assert children == {"=cmd|' /C calc'!A0", "Bram"}  # both schools, not the other family's child
    raw = archive.read("data.json").decode() + "".join(archive.read(n).decode("utf-8-sig") for n in names)
    for secret_column in ("password_hash", "token_hash", "secret_encrypted", "code_hash", "text_body"):
        assert secret_column not in raw
    assert (
        "Someone" not in raw
        and "admin@regenboog.example" not in data["tables"].get("user", {}).get("rows", [{}])[0].values()
    )
    pupil_csv = io.StringIO(archive.read("pupil.csv").decode("utf-8-sig"))
    pupils = list(csv.DictReader(pupil_csv, delimiter=";"))  # what Dutch Excel splits on
    assert {p["first_name"] for p in pupils} == {"'=cmd|' /C calc'!A0", "Bram"}  # formula neutralised
    readme = archive.read("README.txt").decode()
    assert (
        "data.json" in readme and "pupil.csv" in readme and "Deze map" in readme and "This folder" in readme
    )


def test_a_school_export_holds_every_table_of_that_school_only(
    factory: Factory, raw_session: Session
) -> None:
    world = _build(factory)
    assert world.school.id is not None
    data = export.to_json(export.collect_school(raw_session, school_id=world.school.id))
    tables = data["tables"]
    assert {"school", "membership", "user", "pupil", "guardian", "household", "teacher"} <= tables.keys()
    assert [r["slug"] for r in tables["school"]["rows"]] == ["regenboog"]
    assert "Bram" not in json.dumps(data)  # the child at the other school
    assert all(r["school_id"] == world.school.id for r in tables["pupil"]["rows"])
    assert "password_hash" not in tables["user"]["columns"]


def test_a_download_ticket_is_served_once_and_only_to_whoever_asked(
    factory: Factory, raw_session: Session
) -> None:
    world = _build(factory)
    assert world.parent.id and world.teacher.id and world.admin.id and world.school.id
    raw = downloads.create_ticket(raw_session, user_id=world.parent.id, scope="user")
    with pytest.raises(PermissionDenied):
        downloads.consume_ticket(raw_session, raw=raw, user_id=world.teacher.id)
    assert downloads.consume_ticket(raw_session, raw=raw, user_id=world.parent.id).scope == "user"
    with pytest.raises(PermissionDenied):
        downloads.consume_ticket(raw_session, raw=raw, user_id=world.parent.id)
    with pytest.raises(PermissionDenied):  # a parent cannot export the school
        downloads.create_ticket(
            raw_session, user_id=world.parent.id, scope="school", school_id=world.school.id
        )
    with pytest.raises(PermissionDenied):  # an admin only their own school
        downloads.create_ticket(
            raw_session, user_id=world.admin.id, scope="school", school_id=world.other_school.id
        )


def test_after_deletion_no_row_holds_the_persons_id_or_email_and_the_school_keeps_the_child(
    factory: Factory, raw_session: Session
) -> None:
    world = _build(factory)
    assert world.parent.id is not None and world.pupil.id is not None
    parent_id = world.parent.id
    assert traces_of_person(user_id=parent_id, email=EMAIL)  # the scan sees them before
    called: list[str] = []
    hooks.on_user_erased.append(lambda db, person: called.append(person.email))
    try:
        report = erasure.erase_user(raw_session, user_id=parent_id)
    finally:
        hooks.on_user_erased.pop()
    assert called == [EMAIL]
    assert traces_of_person(user_id=parent_id, email=EMAIL) == []
    pupil = raw_session.get(Pupil, world.pupil.id)
    assert pupil is not None and pupil.first_name.startswith("=cmd")  # the school's record stays
    guardian = raw_session.exec(select(Guardian).where(Guardian.display_name == "Sanne Bakker")).all()
    assert len(guardian) == 2 and all(
        g.user_id is None and g.email.endswith("@erased.invalid") for g in guardian
    )
    events = raw_session.exec(select(AuditEvent)).all()
    pseudonymised = [e for e in events if e.detail.get("subject_pseudonym") == report.pseudonym]
    assert len(pseudonymised) >= 3  # log-in, role granted, account deleted: kept, under a pseudonym


def test_a_teacher_is_unlinked_from_the_roster_and_a_sole_admin_must_delete_the_school_first(
    factory: Factory, raw_session: Session
) -> None:
    world = _build(factory)
    assert world.teacher.id and world.admin.id
    taught = export.collect_user(raw_session, user_id=world.teacher.id).tables["school_class"].rows
    assert [row["name"] for row in taught] == ["Groep 5"]
    erasure.erase_user(raw_session, user_id=world.teacher.id)
    teacher = raw_session.exec(select(Teacher).where(Teacher.display_name == "Tom Leraar")).one()
    assert teacher.user_id is None and "tom@" not in teacher.email
    assert traces_of_person(user_id=world.teacher.id, email="tom@regenboog.example") == []
    with pytest.raises(erasure.LastAdmin):
        erasure.erase_user(raw_session, user_id=world.admin.id)


def test_school_deletion_freezes_can_be_undone_and_the_purge_leaves_no_row_of_the_school(
    factory: Factory, raw_session: Session
) -> None:
    world = _build(factory)
    school_id, other_id = world.school.id, world.other_school.id
    assert school_id and other_id and world.admin.id and world.parent.id
    purged: list[int] = []
    hooks.on_school_purged.append(lambda db, sid: purged.append(sid))
    try:
        when = erasure.request_school_deletion(raw_session, school_id=school_id, actor_user_id=world.admin.id)
        school = raw_session.get(School, school_id)
        assert school is not None and school.status == SchoolStatus.FROZEN
        assert erasure.purge_due_schools(raw_session, now=when - erasure.GRACE) == []  # not yet
        erasure.undo_school_deletion(raw_session, school_id=school_id, actor_user_id=world.admin.id)
        raw_session.refresh(school)
        assert school.status == SchoolStatus.ACTIVE and school.deletion_requested_at is None
        when = erasure.request_school_deletion(raw_session, school_id=school_id, actor_user_id=world.admin.id)
        assert erasure.purge_due_schools(raw_session, now=when) == ["regenboog"]
    finally:
        hooks.on_school_purged.pop()
    assert purged == [school_id]
    assert rows_of_school(school_id) == []
    # The admin and teacher belonged to this school only: their accounts went too. The parent stays
    # (also at the other school), with the other school's data untouched.
    assert traces_of_person(user_id=world.admin.id, email="admin@regenboog.example") == []
    assert raw_session.get(User, world.parent.id) is not None
    assert raw_session.exec(select(Pupil).where(Pupil.first_name == "Bram")).first() is not None
    assert rows_of_school(other_id) != []


def test_cli_exports_and_deletes_a_person_and_a_school(factory: Factory, tmp_path: object) -> None:
    world = _build(factory)
    factory.user("sam@ogp.example", "Sam Staff", is_staff=True)
    why = ["--staff", "sam@ogp.example", "--reason", "Data request from the parent, ticket 7"]
    runner = CliRunner()
    out = f"{tmp_path}/me.zip"
    result = runner.invoke(cli, ["export", "--user", EMAIL, "--out", out, *why])
    assert result.exit_code == 0, result.output
    with open(out, "rb") as handle:
        assert "data.json" in _zip(handle.read()).namelist()
    result = runner.invoke(cli, ["export", "--school", "regenboog", "--out", f"{tmp_path}/school.zip", *why])
    assert result.exit_code == 0, result.output
    assert runner.invoke(cli, ["delete-account", "--user", EMAIL]).exit_code != 0  # --yes required
    result = runner.invoke(cli, ["delete-account", "--user", EMAIL, "--yes"])
    assert result.exit_code == 0, result.output
    assert world.parent.id is not None
    assert traces_of_person(user_id=world.parent.id, email=EMAIL) == []
    result = runner.invoke(cli, ["delete-school", "--school", "regenboog", "--yes", "--immediately"])
    assert result.exit_code == 0, result.output
    assert world.school.id is not None and rows_of_school(world.school.id) == []
