"""FAQ entries: both languages required, ordered per audience, edited and deleted by staff."""

from __future__ import annotations

import pytest

from ogp_app.core.db import session as db_session
from ogp_app.services.staff import faq

ENTRY = {
    "audience": "parent",
    "question_nl": "Hoe plan ik een gesprek?",
    "answer_nl": "Open de link in de e-mail van school.",
    "question_en": "How do I book a conversation?",
    "answer_en": "Open the link in the school's e-mail.",
    "position": "2",
}


def test_entries_are_saved_ordered_changed_and_deleted(clean_db: None) -> None:
    with db_session() as db:
        second = faq.save_entry(db, entry_id=None, **ENTRY)
        first = faq.save_entry(db, entry_id=None, **{**ENTRY, "question_nl": "Eerste?", "position": 1})
        school = faq.save_entry(db, entry_id=None, **{**ENTRY, "audience": "school"})
        assert [e.id for e in faq.entries(db, audience="parent")] == [first, second]
        faq.save_entry(db, entry_id=second, **{**ENTRY, "position": "0"})
        assert [e.id for e in faq.entries(db, audience="parent")] == [second, first]
        faq.delete_entry(db, entry_id=school)
        assert [e.audience for e in faq.entries(db)] == ["parent", "parent"]


@pytest.mark.parametrize(
    "change",
    [
        {"audience": "teacher"},
        {"question_en": ""},
        {"answer_nl": "   "},
        {"question_nl": "x" * 301},
        {"position": "first"},
        {"position": 10**6},
    ],
)
def test_incomplete_entries_are_refused(clean_db: None, change: dict[str, object]) -> None:
    with db_session() as db:
        with pytest.raises(faq.InvalidFaq):
            faq.save_entry(db, entry_id=None, **{**ENTRY, **change})
        assert faq.entries(db) == []
        with pytest.raises(faq.UnknownFaq):
            faq.save_entry(db, entry_id=12345, **ENTRY)
