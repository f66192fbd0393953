"""The access view: what the privacy centre shows a person about themselves, and nothing of others."""

from __future__ import annotations

from sqlmodel import Session

from ogp_app.models import Role
from ogp_app.services.mail import outbox
from ogp_app.services.privacy import erasure
from ogp_app.services.privacy.view import access_view
from tests.support.factories import Factory


def test_a_parent_sees_their_children_as_entered_by_the_school_their_mail_and_no_other_family(
    factory: Factory, raw_session: Session
) -> None:
    school = factory.school("De Regenboog")
    other_school = factory.school("Het Kompas")
    parent = factory.member(school, Role.PARENT, factory.user("anna@example.org", "Anna"))
    groep3 = factory.school_class(school, "Groep 3")
    factory.pupil(school, groep3, factory.guardian(school, user=parent), first_name="Lotte")
    factory.pupil(school, groep3, factory.guardian(school), first_name="Someone")
    factory.pupil(other_school, factory.school_class(other_school, "1A"), factory.guardian(other_school))
    outbox.enqueue(
        raw_session,
        to="anna@example.org",
        template="sign_in_link",
        language="nl",
        context={"name": "Anna", "link": "https://x.example/l"},
        user_id=parent.id,
    )
    raw_session.commit()
    assert parent.id is not None and school.id is not None
    view = access_view(raw_session, user_id=parent.id, school_id=school.id)
    assert [(c.a, c.b, c.c) for c in view.children] == [("Lotte Jansen", "Groep 3", "De Regenboog")]
    assert [(m.a, m.b) for m in view.memberships] == [("De Regenboog", "app.role.parent")]
    assert [r.c for r in view.roster] == ["anna@example.org"]
    assert len(view.mails) == 1 and view.mails[0].c == "pending"
    assert {k.a for k in view.kinds} >= {"user", "membership", "pupil", "outbox_message"}
    assert "Het Kompas" not in repr(view) and "Someone" not in repr(view)
    assert not view.school_frozen
    erasure.request_school_deletion(raw_session, school_id=school.id, actor_user_id=None)
    frozen = access_view(raw_session, user_id=parent.id, school_id=school.id)
    assert frozen.school_frozen and frozen.purge_on
