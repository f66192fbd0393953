"""Reading the round set-up form: every field checked, local (Amsterdam) times turned into UTC."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from ogp_app.pages.school.round_fields import bad, parse_local, text
from ogp_app.services.rounds.setup import DayInput, RoundInput
from ogp_app.state.form_input import checkbox


def _int(value: str, key: str) -> int:
    if not value.isdigit() or len(value) > 3:
        raise bad(key)
    return int(value)


def _day(form: Any, n: int) -> DayInput | None:
    raw = text(form, f"day{n}", "days")
    if not raw:
        return None
    try:
        return DayInput(
            date.fromisoformat(raw),
            time.fromisoformat(text(form, f"day{n}_start", "day_times")),
            time.fromisoformat(text(form, f"day{n}_end", "day_times")),
        )
    except ValueError as exc:
        raise bad("day_times") from exc


def read_round_form(form: Any, class_keys: dict[str, int]) -> RoundInput:
    """The form as a RoundInput; class checkboxes are named ``class_<key>`` with this page's keys."""
    days = [d for d in (_day(form, 1), _day(form, 2)) if d is not None]
    cancel = text(form, "cancel_until", "cancel_until")
    return RoundInput(
        name=text(form, "name", "name", 120),
        class_ids=[cid for key, cid in class_keys.items() if checkbox(form, f"class_{key}")],
        days=days,
        meeting_kind=text(form, "meeting_kind", "meeting_kind"),
        slot_minutes=_int(text(form, "slot_minutes", "slot_minutes"), "slot_minutes"),
        family_gap_minutes=_int(text(form, "gap_minutes", "gap_minutes") or "0", "gap_minutes"),
        booking_opens_at=parse_local(text(form, "opens_at", "window"), "window"),
        booking_closes_at=parse_local(text(form, "closes_at", "window"), "window"),
        cancel_until=parse_local(cancel, "cancel_until") if cancel else None,
    )
