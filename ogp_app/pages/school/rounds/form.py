"""Reading the round set-up form: every field checked, local (Amsterdam) times turned into UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from ogp_app.services.rounds.clock import SCHOOL_TZ
from ogp_app.services.rounds.errors import RoundInvalid
from ogp_app.services.rounds.setup import DayInput, RoundInput
from ogp_app.state.form_input import checkbox, form_text


def _bad(key: str) -> RoundInvalid:
    return RoundInvalid(key, message_key=f"rounds.error.{key}")


def _text(form: Any, name: str, key: str, limit: int = 40) -> str:
    value = form_text(form, name, limit)
    if value is None:
        raise _bad(key)
    return value.strip()


def _local(value: str, key: str) -> datetime:
    try:
        return datetime.fromisoformat(value).replace(tzinfo=SCHOOL_TZ).astimezone(UTC)
    except ValueError as exc:
        raise _bad(key) from exc


def _int(value: str, key: str) -> int:
    if not value.isdigit() or len(value) > 3:
        raise _bad(key)
    return int(value)


def _day(form: Any, n: int) -> DayInput | None:
    raw = _text(form, f"day{n}", "days")
    if not raw:
        return None
    try:
        return DayInput(
            date.fromisoformat(raw),
            time.fromisoformat(_text(form, f"day{n}_start", "day_times")),
            time.fromisoformat(_text(form, f"day{n}_end", "day_times")),
        )
    except ValueError as exc:
        raise _bad("day_times") from exc


def read_round_form(form: Any, class_keys: dict[str, int]) -> RoundInput:
    """The form as a RoundInput; class checkboxes are named ``class_<key>`` with this page's keys."""
    days = [d for d in (_day(form, 1), _day(form, 2)) if d is not None]
    cancel = _text(form, "cancel_until", "cancel_until")
    return RoundInput(
        name=_text(form, "name", "name", 120),
        class_ids=[cid for key, cid in class_keys.items() if checkbox(form, f"class_{key}")],
        days=days,
        meeting_kind=_text(form, "meeting_kind", "meeting_kind"),
        slot_minutes=_int(_text(form, "slot_minutes", "slot_minutes"), "slot_minutes"),
        family_gap_minutes=_int(_text(form, "gap_minutes", "gap_minutes") or "0", "gap_minutes"),
        booking_opens_at=_local(_text(form, "opens_at", "window"), "window"),
        booking_closes_at=_local(_text(form, "closes_at", "window"), "window"),
        cancel_until=_local(cancel, "cancel_until") if cancel else None,
    )
