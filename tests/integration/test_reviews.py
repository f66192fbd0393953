"""Reviews: only members of a school that had a round, consent before publication, first name + city only."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from ogp_app.core.db import school_session, unscoped
from ogp_app.models import ConferenceRound, Review, Role, School
from ogp_app.services.rounds import reviews
from tests.support.factories import Factory


def _round(factory: Factory, school: School, status: str = "closed", name: str = "Rapportgesprekken") -> int:
    assert school.id is not None
    return factory._save(ConferenceRound(school_id=school.id, name=name, status=status)).id or 0


def _write(school: School, user_id: int, **values: object) -> int:
    assert school.id is not None
    args: dict[str, object] = {
        "rating": 5,
        "comment": "Heel handig",
        "may_publish": True,
        "school_may_be_named": False,
    }
    args.update(values)
    with school_session(school.id) as db:
        return reviews.submit_review(db, user_id=user_id, school_id=school.id, **args)  # type: ignore[arg-type]


def _publish(review_id: int, staff_id: int, decision: str = "published") -> None:
    with unscoped() as db:
        reviews.moderate(db, review_id=review_id, decision=decision, staff_user_id=staff_id)


def test_a_parent_reviews_staff_publish_and_the_public_sees_first_name_and_city_only(
    factory: Factory,
) -> None:
    school = factory.school("Basisschool De Regenboog", city="Utrecht")
    round_id = _round(factory, school)
    parent = factory.member(school, Role.PARENT, factory.user("sanne.devries@example.org", "Sanne de Vries"))
    staff = factory.user("sam@ogp.example", "Sam", is_staff=True)
    assert parent.id is not None and staff.id is not None and school.id is not None
    with school_session(school.id) as db:
        chance = reviews.review_chance(db, user_id=parent.id, school_id=school.id)
    assert chance is not None and chance.round_id == round_id and not chance.can_name_school
    review_id = _write(school, parent.id, school_may_be_named=True)  # a parent cannot name the school
    with unscoped() as db:
        assert reviews.published_reviews(db) == []  # pending until staff decide
    _publish(review_id, staff.id)
    with unscoped() as db:
        [shown] = reviews.published_reviews(db)
    assert (shown.first_name, shown.city, shown.rating, shown.comment, shown.school_name) == (
        "Sanne",
        "Utrecht",
        5,
        "Heel handig",
        "",
    )
    public_text = repr(shown)
    for secret in ("de Vries", "sanne.devries@example.org", "Regenboog"):
        assert secret not in public_text
    with school_session(school.id) as db:  # once per round
        assert reviews.review_chance(db, user_id=parent.id, school_id=school.id) is None
    with pytest.raises(reviews.NoRoundToReview):
        _write(school, parent.id)


def test_a_school_admin_may_name_the_school(factory: Factory) -> None:
    school = factory.school("Kindcentrum Zonnewijzer", city="Zwolle")
    _round(factory, school, status="open")
    admin = factory.member(school, Role.SCHOOL_ADMIN, factory.user(name="Anna Beheer"))
    staff = factory.user(is_staff=True)
    assert admin.id is not None and staff.id is not None
    _publish(_write(school, admin.id, school_may_be_named=True), staff.id)
    with unscoped() as db:
        [shown] = reviews.published_reviews(db)
    assert (shown.first_name, shown.city, shown.school_name) == ("Anna", "Zwolle", "Kindcentrum Zonnewijzer")


def test_no_review_without_a_round_or_without_membership(factory: Factory) -> None:
    school = factory.school()
    _round(factory, school, status="draft")
    parent = factory.member(school, Role.PARENT)
    outsider = factory.user()
    assert parent.id is not None and outsider.id is not None
    with pytest.raises(reviews.NoRoundToReview):
        _write(school, parent.id)  # only a draft round: nothing happened yet
    _round(factory, school)
    with pytest.raises(reviews.NoRoundToReview):
        _write(school, outsider.id)
    _write(school, parent.id)


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ({"rating": 0}, reviews.InvalidRating),
        ({"rating": 6}, reviews.InvalidRating),
        ({"rating": True}, reviews.InvalidRating),
        ({"rating": "x"}, reviews.InvalidRating),
        ({"comment": "x" * 2001}, reviews.InvalidComment),
        ({"comment": None}, reviews.InvalidComment),
    ],
)
def test_bad_reviews_are_refused(factory: Factory, values: dict[str, object], error: type[Exception]) -> None:
    school = factory.school()
    _round(factory, school)
    parent = factory.member(school, Role.PARENT)
    assert parent.id is not None
    with pytest.raises(error):
        _write(school, parent.id, **values)
    with unscoped() as db:
        assert db.exec(select(Review)).all() == []


def test_without_consent_a_review_is_never_published(factory: Factory) -> None:
    school = factory.school()
    _round(factory, school)
    parent = factory.member(school, Role.PARENT)
    staff = factory.user(is_staff=True)
    assert parent.id is not None and staff.id is not None
    review_id = _write(school, parent.id, may_publish=False)
    with pytest.raises(reviews.NoPublishConsent):
        _publish(review_id, staff.id)
    _publish(review_id, staff.id, "rejected")
    with unscoped() as db:
        [item] = reviews.moderation_queue(db)
        assert item.status == "rejected" and reviews.published_reviews(db) == []
        row = db.get(Review, review_id)
        assert row is not None
        row.status = "published"  # the database refuses it too
        db.add(row)
        with pytest.raises(IntegrityError):
            db.commit()
