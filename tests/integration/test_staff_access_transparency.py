"""Staff access transparency: the school admin reads the school's access log, a person the entries about them.

"About them" (backoffice.access_about_person): an entry naming them, or a school-wide opening of a
school where they are known, made after they were known there. Never another school's entries.
"""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner
from sqlmodel import Session, select

from ogp_app.cli import main as cli
from ogp_app.core.db import school_session, unscoped
from ogp_app.models import Role, StaffAccessLog
from ogp_app.models.base import utcnow
from ogp_app.services.privacy.erasure import erase_user
from ogp_app.services.privacy.view import access_view
from ogp_app.services.staff import backoffice
from tests.support.factories import Factory


def _staff(factory: Factory) -> int:
    staff = factory.user("sam@ogp.example", "Sam Staff", is_staff=True)
    assert staff.id is not None
    return staff.id


def test_the_admin_of_a_school_reads_its_log_newest_first_and_never_another_schools(
    factory: Factory,
) -> None:
    a, b = factory.school("De Regenboog"), factory.school("Het Kompas")
    assert a.id is not None and b.id is not None
    staff_id = _staff(factory)
    with unscoped() as db:
        backoffice.open_school(db, staff_user_id=staff_id, school_id=a.id, reason="Support ticket 1 of A")
        backoffice.open_school(db, staff_user_id=staff_id, school_id=b.id, reason="Support ticket of B")
        backoffice.open_school(db, staff_user_id=staff_id, school_id=a.id, reason="Support ticket 2 of A")
    with school_session(a.id) as db:
        seen = backoffice.access_log(db, school_id=a.id)
        # Asking the school's scope for another school's log gives nothing: the scope decides.
        assert backoffice.access_log(db, school_id=b.id) == []
    assert [(e.reason, e.staff_name, e.opened) for e in seen] == [
        ("Support ticket 2 of A", "Sam Staff", "school_overview"),
        ("Support ticket 1 of A", "Sam Staff", "school_overview"),
    ]
    assert backoffice.what_label(seen[0], "en") == "The school's overview (counts, admins)"


def test_a_person_sees_openings_that_included_them_and_nothing_else(
    factory: Factory, raw_session: Session
) -> None:
    a, b, c = factory.school("De Regenboog"), factory.school("Het Kompas"), factory.school("De Linde")
    assert a.id is not None and b.id is not None and c.id is not None
    parent = factory.user("anna@example.org", "Anna de Vries")
    guardian_row = factory.guardian(a, user=parent)  # known at A through the roster, no membership
    guardian_row.created_at = utcnow() - timedelta(days=30)
    factory.session.add(guardian_row)
    factory.session.commit()
    teacher = factory.member(b, Role.TEACHER, factory.user("bas@example.org", "Bas"))
    assert parent.id is not None and teacher.id is not None
    staff_id = _staff(factory)
    with unscoped() as db:
        # Before Anna was at A: that overview did not include her.
        backoffice.open_school(db, staff_user_id=staff_id, school_id=a.id, reason="Old question from A")
        old = db.exec(select(StaffAccessLog)).one()
        old.created_at = utcnow() - timedelta(days=400)
        db.add(old)
        db.commit()
    with unscoped() as db:
        backoffice.open_school(db, staff_user_id=staff_id, school_id=a.id, reason="Question about A's rounds")
        backoffice.open_school(db, staff_user_id=staff_id, school_id=b.id, reason="Question about Kompas")
        backoffice.open_school(db, staff_user_id=staff_id, school_id=c.id, reason="Question about Linde")
    runner = CliRunner()
    why = ["--staff", "sam@ogp.example", "--reason", "Anna asked us for her data (ticket 9)"]
    result = runner.invoke(cli, ["export", "--user", "anna@example.org", "--out", "/dev/null", *why])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["export", "--user", "bas@example.org", "--out", "/dev/null", *why[:2]])
    assert result.exit_code != 0 and "--reason" in result.output  # no reason, no export, no row

    view = access_view(raw_session, user_id=parent.id, school_id=None)
    mine = [(e.school_name, e.reason, e.opened) for e in view.staff_access]
    assert mine == [
        ("De Regenboog", "Anna asked us for her data (ticket 9)", "person_export"),
        ("De Regenboog", "Question about A's rounds", "school_overview"),
    ]
    bas = access_view(raw_session, user_id=teacher.id, school_id=b.id)
    assert [e.reason for e in bas.staff_access] == ["Question about Kompas"]

    # The school's admin sees whose data was exported; Kompas sees nothing of it.
    with school_session(a.id) as db:
        log = backoffice.access_log(db, school_id=a.id)
    assert (log[0].opened, log[0].subject_name) == ("person_export", "Anna de Vries")
    assert "Data of" not in backoffice.what_label(log[0], "en")
    assert backoffice.what_label(log[0], "en").endswith(": Anna de Vries")
    with school_session(b.id) as db:
        assert "person_export" not in {e.opened for e in backoffice.access_log(db, school_id=b.id)}

    # When Anna deletes her account the school keeps its log entry, without the link to her.
    erase_user(raw_session, user_id=parent.id)
    with school_session(a.id) as db:
        entries = db.exec(select(StaffAccessLog).where(StaffAccessLog.opened == "person_export")).all()
    assert [e.subject_user_id for e in entries] == [None]


def test_a_school_export_by_staff_is_logged_for_that_school_before_the_data_is_read(
    factory: Factory, tmp_path: object
) -> None:
    school = factory.school("De Regenboog", slug="regenboog")
    assert school.id is not None
    factory.user("nobody@example.org", "Not Staff")
    _staff(factory)
    runner = CliRunner()
    export = ["export", "--school", "regenboog", "--out", f"{tmp_path}/x.zip"]
    refused = runner.invoke(
        cli, [*export, "--staff", "nobody@example.org", "--reason", "I am curious about it"]
    )
    assert refused.exit_code != 0 and "not an OGP staff account" in refused.output
    with school_session(school.id) as db:
        assert db.exec(select(StaffAccessLog)).all() == []
    result = runner.invoke(
        cli, [*export, "--staff", "sam@ogp.example", "--reason", "Court order 2026/17, see register"]
    )
    assert result.exit_code == 0, result.output
    with school_session(school.id) as db:
        [entry] = backoffice.access_log(db, school_id=school.id)
    assert (entry.opened, entry.reason, entry.subject_name) == (
        "school_export",
        "Court order 2026/17, see register",
        "",
    )
