"""FAQ entries for schools and parents, in Dutch and English; staff edit them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from ogp_app.core.db import committing
from ogp_app.models import FaqEntry
from ogp_app.models.base import utcnow
from ogp_app.services.errors import DomainError

AUDIENCES = ("school", "parent")
QUESTION_MAX = 300
ANSWER_MAX = 5000


class InvalidFaq(DomainError):
    message_key = "staff.faq.error.invalid"


class UnknownFaq(DomainError):
    message_key = "staff.faq.error.unknown"


@dataclass(frozen=True)
class FaqItem:
    id: int
    audience: str
    question_nl: str
    answer_nl: str
    question_en: str
    answer_en: str
    position: int


def entries(db: Session, *, audience: str | None = None) -> list[FaqItem]:
    query = select(FaqEntry).order_by(col(FaqEntry.audience), col(FaqEntry.position), col(FaqEntry.id))
    if audience is not None:
        query = query.where(FaqEntry.audience == audience)
    return [
        FaqItem(
            id=e.id or 0,
            audience=e.audience,
            question_nl=e.question_nl,
            answer_nl=e.answer_nl,
            question_en=e.question_en,
            answer_en=e.answer_en,
            position=e.position,
        )
        for e in db.exec(query).all()
    ]


def _text(value: object, limit: int) -> str:
    text = value.replace("\r\n", "\n").strip() if isinstance(value, str) else ""
    if not 1 <= len(text) <= limit or any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise InvalidFaq()
    return text


def _position(value: object) -> int:
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not -1000 <= value <= 1000:
        raise InvalidFaq()
    return value


def save_entry(
    db: Session,
    *,
    entry_id: int | None,
    audience: object,
    question_nl: object,
    answer_nl: object,
    question_en: object,
    answer_en: object,
    position: object,
) -> int:
    """Add (``entry_id`` None) or change an entry; both languages are required. Commits."""
    if audience not in AUDIENCES:
        raise InvalidFaq()
    values: dict[str, Any] = {
        "audience": str(audience),
        "question_nl": _text(question_nl, QUESTION_MAX),
        "answer_nl": _text(answer_nl, ANSWER_MAX),
        "question_en": _text(question_en, QUESTION_MAX),
        "answer_en": _text(answer_en, ANSWER_MAX),
        "position": _position(position),
    }
    if entry_id is None:
        entry = FaqEntry(**values)
    else:
        found = db.get(FaqEntry, entry_id)
        if found is None:
            raise UnknownFaq()
        entry = found
        for key, value in values.items():
            setattr(entry, key, value)
    entry.updated_at = utcnow()
    with committing(db):
        db.add(entry)
        db.flush()
    assert entry.id is not None
    return entry.id


def delete_entry(db: Session, *, entry_id: int) -> None:
    found = db.get(FaqEntry, entry_id)
    if found is None:
        raise UnknownFaq()
    with committing(db):
        db.delete(found)
