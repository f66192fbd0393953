"""Reading a round's form fields (the set-up form and the round page's): each bad field raises
RoundInvalid with the message for that field; local (Amsterdam) times become UTC."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from ogp_app.services.rounds.clock import SCHOOL_TZ
from ogp_app.services.rounds.errors import RoundInvalid
from ogp_app.state.form_input import form_text


def bad(key: str) -> RoundInvalid:
    return RoundInvalid(key, message_key=f"rounds.error.{key}")


def text(form: Any, name: str, key: str, limit: int = 40) -> str:
    value = form_text(form, name, limit)
    if value is None:
        raise bad(key)
    return value.strip()


def parse_local(value: str, key: str) -> datetime:
    try:
        return datetime.fromisoformat(value).replace(tzinfo=SCHOOL_TZ).astimezone(UTC)
    except ValueError as exc:
        raise bad(key) from exc


def parse_time(value: str, key: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError as exc:
        raise bad(key) from exc
