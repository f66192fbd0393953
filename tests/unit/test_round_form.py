"""The round set-up form: Amsterdam wall-clock times become UTC; bad fields name themselves."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ogp_app.pages.school.rounds.form import read_round_form
from ogp_app.services.rounds.errors import RoundInvalid

FORM = {
    "name": "Rapportgesprekken februari",
    "meeting_kind": "mentor",
    "class_abc": "on",
    "day1": "2027-02-10",
    "day1_start": "18:00",
    "day1_end": "21:00",
    "day2": "",
    "slot_minutes": "10",
    "gap_minutes": "5",
    "opens_at": "2027-01-20T08:00",
    "closes_at": "2027-02-08T23:00",
    "cancel_until": "",
}


def test_form_becomes_round_input_in_utc() -> None:
    data = read_round_form(FORM, {"abc": 7, "def": 8})
    assert data.class_ids == [7] and len(data.days) == 1 and data.family_gap_minutes == 5
    assert data.booking_opens_at == datetime(2027, 1, 20, 7, 0, tzinfo=UTC)  # CET is UTC+1 in winter
    assert data.cancel_until is None


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("slot_minutes", "ten", "rounds.error.slot_minutes"),
        ("opens_at", "tomorrow", "rounds.error.window"),
        ("day1_start", "25:00", "rounds.error.day_times"),
        ("name", "x" * 200, "rounds.error.name"),
    ],
)
def test_bad_fields_are_named(field: str, value: str, key: str) -> None:
    with pytest.raises(RoundInvalid) as err:
        read_round_form({**FORM, field: value}, {"abc": 7})
    assert err.value.message_key == key


def test_not_a_form_is_refused() -> None:
    with pytest.raises(RoundInvalid):
        read_round_form(["not", "a", "dict"], {})
